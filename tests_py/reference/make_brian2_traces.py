"""Generate Brian2 reference traces for brainsyn's synapse models.

Run (not part of the test suite; needs Brian2, e.g. ``pip install brian2``):

    python tests_py/reference/make_brian2_traces.py

Brian2 2.9.0 (the version used) needs numpy < 2.4 (numpy 2.4 removed
``ndarray.ptp``), so use a separate environment:
``pip install brian2 'numpy<2.4'``. It takes about 8 minutes on 2 cores.

It writes ``brian2_traces.npz`` (the traces) and ``brian2_traces.json``
(parameters, spike times, dt, versions) next to this file. The tests in
``tests_py/test_brian2_reference.py`` read only these files.

What is modelled
----------------
For every chemical model (AMPA, AMPA1, NMDA, GABAa1, GABAa2, GABAb1, GABAb2,
Exponential, Two_exponentials, Alpha), Voltage_jump and the gap junction, the
continuous-time model of the BrainModels 0.3 class with its default
parameters (brainsyn's ``bp.synapses`` defaults), in units of ms and mV:

* Presynaptic neurons: ``SpikeGeneratorGroup`` with fixed spike times t_s
  (all on the 0.1 ms grid).
* Synapses: all-to-all from N_PRE presynaptic to N_POST postsynaptic neurons.
  The gating kinetics depend only on the presynaptic neuron, so the state is
  kept once per presynaptic neuron p (variables ``s_p``, ``x_p``, ...).
* On a spike of p at t_s (effect exactly at t_s):
  - exponential models (AMPA1, GABAa1, Exponential): s_p += 1;
  - NMDA, Two_exponentials, Alpha: x_p += 1;
  - pulse models (AMPA, GABAa2, GABAb1, GABAb2): the transmitter is
    [T] = T on [t_s, t_s + T_duration) and 0 otherwise; a new spike during a
    pulse restarts it (t_last = t_s);
  - Voltage_jump: V of every post neuron += weight.
* Kinetics (rates per ms):
  AMPA/GABAa2  ds/dt = alpha [T] (1 - s) - beta s
  AMPA1/GABAa1/Exponential  ds/dt = -s/tau
  NMDA  ds/dt = -s/tau + a x (1 - s),  dx/dt = -x/tau_rise
  GABAb1  dR/dt = k3 [T](1 - R) - k4 R,  dG/dt = k1 R - k2 G,  s = G^4/(G^4 + kd)
  GABAb2  dR/dt = k1 [T](1 - R - D) - k2 R + k3 D,  dD/dt = k4 R - k3 D,
          dG/dt = k5 R - k6 G,  s = G^4/(G^4 + kd)
  Two_exponentials  ds/dt = x,  dx/dt = (-(tau1 + tau2) x - s)/(tau1 tau2)
  Alpha  the same with tau1 = tau2 = tau
* Output into post neuron j, summed over presynaptic p:
  conductance  I_j = -sum_p g_max s_p (V_j - E)   (NMDA: divided by
               B(V_j) = 1 + cc_Mg/beta exp(-alpha V_j));
  current      I_j = +sum_p w s_p.
  Recorded ``g`` is sum_p g_max s_p (conductance) or sum_p w s_p (current).
* Post neurons: LIF without threshold (subthreshold),
  tau dV/dt = -(V - V_rest) + R (I_j + bias_j), tau = 10, V_rest = 0, R = 1,
  with a constant bias input per neuron and V(0) = bias (at rest), so that
  the driving force V - E differs between neurons.
* Gap junction (current only): pre LIF neurons with constant inputs,
  V_pre(0) = 0; post neuron j gets w (V_pre_j - V_j) (one-to-one, w = 1).
* Gap spikelet: pre neurons with V_pre = 0 and fixed spike times; post gets
  w (0 - V_j) plus a jump w k_spikelet at each presynaptic spike.

Numerics and timing convention
------------------------------
dt = DT_FINE (0.005 ms), method 'rk4' for all equations, which are integrated
together in one NeuronGroup (synaptic state and V), so the coupling between
g and V is integrated to rk4 accuracy. The schedule is changed to
``start, thresholds, synapses, groups, ...``: a spike at t_s is applied at
t_s before the step from t_s to t_s + dt is integrated, and the transmitter
flag for a step is set at the step's start (it is constant within a step;
pulse edges lie on the grid). The monitors record after the synaptic
effects, so the sample at time t is the state at t including spikes at t
(right limit). Traces are decimated to every T_REC (0.1 ms).

npz layout: ``<model>__t`` (ms), ``<model>__<var>`` with shape (samples,
N_PRE) for the per-presynaptic state (s, x, R, D, G) and (samples, N_POST)
for g, B (NMDA's Mg block) and V; the gap cases hold ``Vpre`` and ``V``.
"""

import json
import os
import sys
import time

import numpy as np

import brian2 as b2

HERE = os.path.dirname(os.path.abspath(__file__))
DT_FINE = 0.005  # ms
T_REC = 0.1      # ms, recording interval
N_PRE, N_POST = 2, 2
LIF = {"tau": 10.0, "V_rest": 0.0, "R": 1.0}
BIAS = [-20.0, 10.0]  # constant input per post neuron [mV]; V(0) = bias

# Spike times avoid BrainPy's float edge of t - t_last < T_duration (e.g.
# 5.3 - 5.0 < 0.3 in float64, which lengthens a pulse by one step) at both
# dt = 0.1 and dt = 0.01; 20.3 restarts pulses of 0.5 and 1 ms while they are on.
SPIKES = {0: [8.0, 12.0, 13.0, 40.0], 1: [20.0, 20.3, 60.0]}
# GABA_B needs a burst to open noticeably (s = G^4/(G^4 + kd)).
SPIKES_GABAB = {0: [8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 40.0], 1: [20.0, 20.3, 60.0]}

MODELS = {
    "AMPA": {"kind": "markov", "out": "conductance", "duration": 100.0,
             "params": {"g_max": 0.42, "E": 0.0, "alpha": 0.98, "beta": 0.18, "T": 0.5, "T_duration": 0.5}},
    "AMPA1": {"kind": "expo", "out": "conductance", "duration": 100.0,
              "params": {"g_max": 0.10, "E": 0.0, "tau": 2.0}},
    "NMDA": {"kind": "nmda", "out": "conductance", "duration": 150.0,
             "params": {"g_max": 0.15, "E": 0.0, "cc_Mg": 1.2, "alpha": 0.062, "beta": 3.57, "tau": 100.0,
                        "a": 0.5, "tau_rise": 2.0}},
    "GABAa1": {"kind": "expo", "out": "conductance", "duration": 100.0,
               "params": {"g_max": 0.4, "E": -80.0, "tau_decay": 6.0}},
    "GABAa2": {"kind": "markov", "out": "conductance", "duration": 100.0,
               "params": {"g_max": 0.04, "E": -80.0, "alpha": 0.53, "beta": 0.18, "T": 1.0, "T_duration": 1.0}},
    "GABAb1": {"kind": "gabab1", "out": "conductance", "duration": 400.0, "spikes": "gabab",
               "params": {"g_max": 0.02, "E": -95.0, "k1": 0.18, "k2": 0.034, "k3": 0.09, "k4": 0.0012,
                          "kd": 100.0, "T": 0.5, "T_duration": 0.3}},
    "GABAb2": {"kind": "gabab2", "out": "conductance", "duration": 400.0, "spikes": "gabab",
               "params": {"g_max": 0.02, "E": -95.0, "k1": 0.66, "k2": 0.02, "k3": 0.0053, "k4": 0.017,
                          "k5": 8.3e-5, "k6": 7.9e-3, "kd": 100.0, "T": 0.5, "T_duration": 0.5}},
    "Exponential": {"kind": "expo", "out": "current", "duration": 100.0,
                    "params": {"tau": 8.0, "w": 0.1}},
    "Two_exponentials": {"kind": "dualexp", "out": "current", "duration": 100.0,
                         "params": {"tau1": 1.0, "tau2": 3.0, "w": 0.2}},
    "Alpha": {"kind": "dualexp", "out": "current", "duration": 100.0,
              "params": {"tau": 2.0, "w": 0.2}},
    "Voltage_jump": {"kind": "vjump", "out": "voltage", "duration": 100.0,
                     "params": {"weight": 1.0}},
}
GAP = {"duration": 60.0, "w": 1.0, "pre_input": [15.0, -10.0]}
GAP_SPIKELET = {"duration": 100.0, "w": 1.0, "k_spikelet": 0.1, "bias": [10.0, 4.0], "v0": [5.0, 2.0]}

# Variables recorded per presynaptic neuron, by kind.
STATE_VARS = {"markov": ["s"], "expo": ["s"], "nmda": ["s", "x"], "gabab1": ["R", "G", "s"],
              "gabab2": ["R", "D", "G", "s"], "dualexp": ["s", "x"], "vjump": []}


def _kinetics(kind, p, q):
    """Equation lines and on_pre code for presynaptic neuron q (suffix _q)."""
    f = {k: repr(float(v)) for k, v in p.items()}
    sfx = f"_{q}"
    pulse_on = f"tlast{sfx}_post = t/ms\nTT{sfx}_post = {f.get('T', '0')}"
    if kind == "markov":
        eqs = [f"ds{sfx}/dt = ({f['alpha']}*TT{sfx}*(1 - s{sfx}) - {f['beta']}*s{sfx})/ms : 1",
               f"TT{sfx} : 1", f"tlast{sfx} : 1"]
        return eqs, pulse_on
    if kind == "expo":
        tau = f.get("tau", f.get("tau_decay"))
        return [f"ds{sfx}/dt = -s{sfx}/({tau}*ms) : 1"], f"s{sfx}_post += 1"
    if kind == "nmda":
        return [f"ds{sfx}/dt = (-s{sfx}/{f['tau']} + {f['a']}*x{sfx}*(1 - s{sfx}))/ms : 1",
                f"dx{sfx}/dt = -x{sfx}/({f['tau_rise']}*ms) : 1"], f"x{sfx}_post += 1"
    if kind == "gabab1":
        return [f"dR{sfx}/dt = ({f['k3']}*TT{sfx}*(1 - R{sfx}) - {f['k4']}*R{sfx})/ms : 1",
                f"dG{sfx}/dt = ({f['k1']}*R{sfx} - {f['k2']}*G{sfx})/ms : 1",
                f"s{sfx} = G{sfx}**4/(G{sfx}**4 + {f['kd']}) : 1",
                f"TT{sfx} : 1", f"tlast{sfx} : 1"], pulse_on
    if kind == "gabab2":
        return [f"dR{sfx}/dt = ({f['k1']}*TT{sfx}*(1 - R{sfx} - D{sfx}) - {f['k2']}*R{sfx} + {f['k3']}*D{sfx})/ms : 1",
                f"dD{sfx}/dt = ({f['k4']}*R{sfx} - {f['k3']}*D{sfx})/ms : 1",
                f"dG{sfx}/dt = ({f['k5']}*R{sfx} - {f['k6']}*G{sfx})/ms : 1",
                f"s{sfx} = G{sfx}**4/(G{sfx}**4 + {f['kd']}) : 1",
                f"TT{sfx} : 1", f"tlast{sfx} : 1"], pulse_on
    if kind == "dualexp":
        t1 = f.get("tau1", f.get("tau"))
        t2 = f.get("tau2", f.get("tau"))
        return [f"ds{sfx}/dt = x{sfx}/ms : 1",
                f"dx{sfx}/dt = (-({t1} + {t2})*x{sfx} - s{sfx})/({t1}*{t2})/ms : 1"], f"x{sfx}_post += 1"
    if kind == "vjump":
        return [], f"V_post += {f['weight']}"
    raise ValueError(kind)


def _lif_line(current):
    return (f"dV/dt = (-(V - {LIF['V_rest']!r}) + {LIF['R']!r}*({current} + bias))/({LIF['tau']!r}*ms) : 1")


def _schedule(net):
    # Spikes (thresholds) and their synaptic effects come before the state
    # update of the same step, so an effect at t_s acts from t_s on.
    net.schedule = ["start", "thresholds", "synapses", "groups", "resets", "end"]


def _record(net, grp, names):
    mon = b2.StateMonitor(grp, names, record=True, dt=T_REC * b2.ms, when="synapses", order=100)
    net.add(mon)
    return mon


def _spike_gen(spikes):
    idx = [q for q in sorted(spikes) for _ in spikes[q]]
    ts = [t for q in sorted(spikes) for t in spikes[q]]
    return b2.SpikeGeneratorGroup(N_PRE, idx, np.array(ts) * b2.ms)


def run_chemical(name, spec):
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    kind, p, out = spec["kind"], spec["params"], spec["out"]
    spikes = SPIKES_GABAB if spec.get("spikes") == "gabab" else SPIKES
    lines, on_pre = [], {}
    for q in range(N_PRE):
        eqs, code = _kinetics(kind, p, q)
        lines += eqs
        on_pre[q] = code
    s_sum = " + ".join(f"s_{q}" for q in range(N_PRE))
    if out == "conductance":
        lines.append(f"g = {p['g_max']!r}*({s_sum}) : 1")
        if name == "NMDA":
            lines.append(f"B = 1 + {p['cc_Mg']!r}/{p['beta']!r}*exp(-{p['alpha']!r}*V) : 1")
            current = f"-g*(V - {p['E']!r})/B"
        else:
            current = f"-g*(V - {p['E']!r})"
    elif out == "current":
        lines.append(f"g = {p['w']!r}*({s_sum}) : 1")
        current = "g"
    else:
        current = "0"
    lines.append(_lif_line(current))
    lines.append("bias : 1 (constant)")
    grp = b2.NeuronGroup(N_POST, "\n".join(lines), method="rk4")
    grp.bias = BIAS
    grp.V = BIAS
    for q in range(N_PRE):
        if kind in ("markov", "gabab1", "gabab2"):
            setattr(grp, f"tlast_{q}", -1e7)
            # [T] of the coming step: on while t - t_last < T_duration.
            grp.run_regularly(f"TT_{q} = {p['T']!r}*int(t/ms - tlast_{q} < {p['T_duration']!r} - 1e-6)",
                              when="start")
    gen = _spike_gen(spikes)
    net = b2.Network(grp, gen)
    for q in range(N_PRE):
        syn = b2.Synapses(gen, grp, on_pre=on_pre[q])
        syn.connect(i=q, j=np.arange(N_POST))
        net.add(syn)
    rec_pre = [f"{v}_{q}" for v in STATE_VARS[kind] for q in range(N_PRE)]
    rec = rec_pre + (["g"] if out != "voltage" else []) + (["B"] if name == "NMDA" else []) + ["V"]
    mon = _record(net, grp, rec)
    _schedule(net)
    net.run(spec["duration"] * b2.ms)
    data = {"t": np.asarray(mon.t / b2.ms)}
    for v in STATE_VARS[kind]:
        # state of presynaptic neuron q, read from post element 0 (all equal)
        data[v] = np.stack([np.asarray(getattr(mon, f"{v}_{q}"))[0] for q in range(N_PRE)], axis=1)
    for v in rec[len(rec_pre):]:
        data[v] = np.asarray(getattr(mon, v)).T
    meta = {"kind": kind, "output": out, "duration": spec["duration"], "params": p,
            "spikes": {str(q): spikes[q] for q in spikes}, "bias": BIAS, "V0": BIAS,
            "state_vars": STATE_VARS[kind]}
    return data, meta


def run_gap():
    """Gap junction, current only: post V_j driven by w (V_pre_j - V_j)."""
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    w = GAP["w"]
    pre = f"dVpre/dt = (-(Vpre - {LIF['V_rest']!r}) + {LIF['R']!r}*Ipre)/({LIF['tau']!r}*ms) : 1"
    eqs = "\n".join([pre, _lif_line(f"{w!r}*(Vpre - V)"), "Ipre : 1 (constant)", "bias : 1 (constant)"])
    grp = b2.NeuronGroup(N_POST, eqs, method="rk4")
    grp.Ipre = GAP["pre_input"]
    grp.bias = 0.0
    net = b2.Network(grp)
    mon = _record(net, grp, ["Vpre", "V"])
    _schedule(net)
    net.run(GAP["duration"] * b2.ms)
    data = {"t": np.asarray(mon.t / b2.ms), "Vpre": np.asarray(mon.Vpre).T, "V": np.asarray(mon.V).T}
    meta = {"duration": GAP["duration"], "w": w, "pre_input": GAP["pre_input"], "V0": [0.0, 0.0],
            "connect": "one2one", "k_spikelet": 0.0}
    return data, meta


def run_gap_spikelet():
    """Gap junction with spikelets: pre V = 0, pre spikes at fixed times."""
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    w, k = GAP_SPIKELET["w"], GAP_SPIKELET["k_spikelet"]
    grp = b2.NeuronGroup(N_POST, "\n".join([_lif_line(f"{w!r}*(0 - V)"), "bias : 1 (constant)"]), method="rk4")
    grp.bias = GAP_SPIKELET["bias"]
    grp.V = GAP_SPIKELET["v0"]
    gen = _spike_gen(SPIKES)
    syn = b2.Synapses(gen, grp, on_pre=f"V_post += {w * k!r}")
    syn.connect(j="i")  # one-to-one
    net = b2.Network(grp, gen, syn)
    mon = _record(net, grp, ["V"])
    _schedule(net)
    net.run(GAP_SPIKELET["duration"] * b2.ms)
    data = {"t": np.asarray(mon.t / b2.ms), "V": np.asarray(mon.V).T}
    meta = {"duration": GAP_SPIKELET["duration"], "w": w, "k_spikelet": k, "bias": GAP_SPIKELET["bias"],
            "V0": GAP_SPIKELET["v0"], "connect": "one2one", "spikes": {str(q): SPIKES[q] for q in SPIKES}}
    return data, meta


def main():
    b2.prefs.codegen.target = "numpy"
    arrays, meta = {}, {"brian2_version": b2.__version__, "numpy_version": np.__version__,
                        "python_version": sys.version.split()[0], "dt_fine_ms": DT_FINE, "method": "rk4",
                        "record_dt_ms": T_REC, "n_pre": N_PRE, "n_post": N_POST, "connect": "all2all",
                        "lif": LIF, "models": {}}
    jobs = [(n, (lambda n=n: run_chemical(n, MODELS[n]))) for n in MODELS]
    jobs += [("Gap_junction", run_gap), ("Gap_spikelet", run_gap_spikelet)]
    for name, job in jobs:
        t0 = time.time()
        data, m = job()
        for k, v in data.items():
            arrays[f"{name}__{k}"] = v
        meta["models"][name] = m
        print(f"{name}: {len(data['t'])} samples, {time.time() - t0:.1f} s", flush=True)
    np.savez_compressed(os.path.join(HERE, "brian2_traces.npz"), **arrays)
    with open(os.path.join(HERE, "brian2_traces.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("wrote", os.path.join(HERE, "brian2_traces.npz"))


if __name__ == "__main__":
    main()
