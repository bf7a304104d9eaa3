"""Generate Brian2 reference traces for brainsyn's registered neuron models.

Run (not part of the test suite; needs Brian2 in a separate environment,
``pip install brian2 'numpy<2.3'``):

    python tests_py/reference/make_brian2_neurons.py

It takes under a minute and writes ``brian2_neurons.npz`` (V samples and
spike times) and ``brian2_neurons.json`` (drives, dt, methods, versions)
next to this file. ``tests_py/test_brian2_neurons.py`` reads only these.

What is modelled
----------------
One neuron of each model with BrainModels 0.3 defaults (those of
docs/neurons.md, written out here as numbers, not read from brainsyn), a
constant input ``I`` and the model's spike rule, for T_RUN ms at DT with
brainsyn's default integrator: forward Euler for every model but HH, whose
exponential Euler per variable (each variable linear in itself, the others
held at their old values) is Brian2's ``exponential_euler``. Units: the
equations are written in ms and mV as plain numbers (Brian2 quantities are
dimensionless here, ``/ms`` makes the derivatives per time).

Brian2's step order is brainsyn's: integrate, then threshold and reset,
with the spike time the step's start t. brainsyn's rules are written with
Brian2's own means:

* refractoriness (LIF, ExpIF, ...): the 'time' rule t − t_last ≤ t_ref with
  the whole state held (``(unless refractory)``). brainsyn compares times in
  ms computed as step·dt; Brian2's own t and lastspike are in seconds and
  round differently, which moves the step at exactly t_ref (LIF's 1 ms is
  10 steps, ExpIF's 1.7 ms 17). So the time is taken as brainsyn takes it,
  ``t_in_timesteps*dt`` in ms, and the spike time is kept in ``t_last``;
  the refractory condition is ``(t_in_timesteps*dt - t_last) <= t_ref``;
* GIF fires when V exceeds the threshold variable of the step's start, and
  the oscillators on an upward crossing: the old values are copied by a
  ``run_regularly`` before the state update.

V is recorded after the reset (``when='end'``) every REC_EVERY steps.
"""

import json
import os
import sys

import numpy as np

DT = 0.1        # ms, brainsyn's default
T_RUN = 200.0   # ms
REC_EVERY = 10  # V kept every 1 ms (the file stays small)

HERE = os.path.dirname(os.path.abspath(__file__))

# name: (equations, initial values, drive, threshold, reset, refractory [ms] or None,
#        variables to copy before the step, method)
IF_REF = "(unless refractory)"
MODELS = {
    "LIF": ("dV/dt = (-(V - 0) + 1*I)/(10*ms) : 1 " + IF_REF,
            {"V": 0.0}, 25.0, "V >= 20", "V = -5", 1.0, [], "euler"),
    "HH": ("""dV/dt = (-120*m**3*h*(V - 50) - 36*n**4*(V + 77) - 0.03*(V + 54.387) + I)/(1*ms) : 1
              dm/dt = (am*(1 - m) - bm*m)/ms : 1
              dh/dt = (ah*(1 - h) - bh*h)/ms : 1
              dn/dt = (an*(1 - n) - bn*n)/ms : 1
              am = 0.1*(V + 40)/(1 - exp(-(V + 40)/10)) : 1
              bm = 4*exp(-(V + 65)/18) : 1
              ah = 0.07*exp(-(V + 65)/20) : 1
              bh = 1/(1 + exp(-(V + 35)/10)) : 1
              an = 0.01*(V + 55)/(1 - exp(-(V + 55)/10)) : 1
              bn = 0.125*exp(-(V + 65)/80) : 1""",
           {"V": -65.0, "m": 0.5, "h": 0.6, "n": 0.32}, 10.0, "V_old < 20 and V >= 20", "", None, ["V"],
           "exponential_euler"),
    "ExpIF": ("dV/dt = (-(V + 65) + 3.48*exp((V + 59.9)/3.48) + 10*I)/(10*ms) : 1 " + IF_REF,
              {"V": -65.0}, 2.0, "V >= -30", "V = -68", 1.7, [], "euler"),
    "AdExIF": ("""dV/dt = (-(V + 65) + 3.48*exp((V + 59.9)/3.48) - 10*w + 10*I)/(10*ms) : 1 """ + IF_REF + """
                  dw/dt = (1*(V + 65) - w)/(30*ms) : 1 """ + IF_REF,
               {"V": -65.0, "w": 0.0}, 10.0, "V >= -30", "V = -68; w += 1", 0.0, [], "euler"),
    "QuaIF": ("dV/dt = (0.07*(V + 65)*(V + 50) + 1*I)/(10*ms) : 1 " + IF_REF,
              {"V": -65.0}, 10.0, "V >= -30", "V = -68", 0.0, [], "euler"),
    "AdQuaIF": ("""dV/dt = (0.07*(V + 65)*(V + 50) - w + I)/(10*ms) : 1 """ + IF_REF + """
                   dw/dt = (1*(V + 65) - w)/(10*ms) : 1 """ + IF_REF,
                {"V": -65.0, "w": 0.0}, 30.0, "V >= -30", "V = -68; w += 0.1", 0.0, [], "euler"),
    "Izhikevich": ("""dV/dt = (0.04*V**2 + 5*V + 140 - u + I)/ms : 1 """ + IF_REF + """
                      du/dt = 0.02*(0.2*V - u)/ms : 1 """ + IF_REF,
                   {"V": -65.0, "u": 1.0}, 10.0, "V >= 30", "V = -65; u += 8", 0.0, [], "euler"),
    "GIF": ("""dV/dt = (-(V + 70) + 20*(I1 + I2 + I))/(20*ms) : 1
               dV_th/dt = (0*(V + 70) - 0.01*(V_th + 50))/ms : 1
               dI1/dt = -0.2*I1/ms : 1
               dI2/dt = -0.02*I2/ms : 1""",
            {"V": -70.0, "V_th": -50.0, "I1": 0.0, "I2": 0.0}, 1.5, "V > V_th_old",
            "V = -70; I1 = 0*I1 + 0; I2 = 1*I2 + 0; V_th = clip(V_th, -60, inf)", None, ["V_th"], "euler"),
    "FHN": ("""dV/dt = (V - V**3/3 - w + I)/ms : 1
               dw/dt = (V + 0.7 - 0.8*w)/(12.5*ms) : 1""",
            {"V": 0.0, "w": 0.0}, 1.0, "V_old < 1.9 and V >= 1.9", "", None, ["V"], "euler"),
    "HindmarshRose": ("""dV/dt = (y - 1*V**3 + 3*V**2 - z + I)/ms : 1
                         dy/dt = (1 - 5*V**2 - y)/ms : 1
                         dz/dt = 0.001*(4*(V + 1.6) - z)/ms : 1""",
                      {"V": -1.6, "y": -10.0, "z": 0.0}, 3.0, "V_old < 1.9 and V >= 1.9", "", None, ["V"],
                      "euler"),
    "MorrisLecar": ("""dV/dt = (-4.4*M_inf*(V - 130) - 8*W*(V + 84) - 2*(V + 60) + I)/(20*ms) : 1
                       dW/dt = (W_inf - W)/tau_W : 1
                       M_inf = 0.5*(1 + tanh((V + 1.2)/18)) : 1
                       W_inf = 0.5*(1 + tanh((V - 2)/30)) : 1
                       tau_W = ms/(0.04*cosh((V - 2)/60)) : second""",
                    {"V": -20.0, "W": 0.02}, 100.0, "V_old < 10 and V >= 10", "", None, ["V"], "euler"),
}


def simulate(b2, name):
    eqs, init, drive, threshold, reset, t_ref, olds, method = MODELS[name]
    ms = b2.ms
    eqs = eqs + "\nI : 1 (constant)" + "".join(f"\n{v}_old : 1" for v in olds)
    kw = {}
    if t_ref is not None:
        eqs += "\nt_last : 1"
        reset += f"; t_last = t_in_timesteps*{DT}"
        kw["refractory"] = f"(t_in_timesteps*{DT} - t_last) <= {t_ref}"
    g = b2.NeuronGroup(1, eqs, threshold=threshold, reset=reset, method=method, **kw)
    for k, v in init.items():
        setattr(g, k, v)
    if t_ref is not None:
        g.t_last = -1e7  # as brainsyn's t_last_spike
    g.I = drive
    if olds:  # the values at the step's start, for the spike rule
        g.run_regularly("; ".join(f"{v}_old = {v}" for v in olds), when="before_groups")
    mon = b2.StateMonitor(g, "V", record=0, when="end", dt=REC_EVERY * DT * ms)
    spk = b2.SpikeMonitor(g)
    net = b2.Network(g, mon, spk)
    net.run(T_RUN * ms)
    return np.asarray(mon.V[0], float), np.asarray(spk.t / ms, float)


def main():
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"  # no compiler needed; these runs are short
    b2.defaultclock.dt = DT * b2.ms
    arrays, meta = {}, {"dt_ms": DT, "t_run_ms": T_RUN, "record_every_steps": REC_EVERY,
                        "brian2": b2.__version__, "numpy": np.__version__,
                        "python": sys.version.split()[0], "models": {}}
    for name in MODELS:
        b2.start_scope()
        b2.defaultclock.dt = DT * b2.ms
        v, t = simulate(b2, name)
        arrays[f"{name}__V"], arrays[f"{name}__spikes"] = v, t
        meta["models"][name] = {"drive": MODELS[name][2], "method": MODELS[name][7], "spikes": len(t)}
        print(f"{name}: {len(t)} spikes, first {t[:3]}")
    np.savez_compressed(os.path.join(HERE, "brian2_neurons.npz"), **arrays)
    with open(os.path.join(HERE, "brian2_neurons.json"), "w") as f:
        json.dump(meta, f, indent=1)


if __name__ == "__main__":
    main()
