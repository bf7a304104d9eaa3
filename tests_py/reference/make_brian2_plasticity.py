"""Generate Brian2 reference traces for brainsyn's plasticity models (STP, STDP).

Run (not part of the test suite; needs Brian2 in a separate environment,
e.g. ``python -m venv /tmp/b2venv && /tmp/b2venv/bin/pip install brian2
'numpy<2.3'``):

    /tmp/b2venv/bin/python tests_py/reference/make_brian2_plasticity.py

It writes ``brian2_plasticity.npz`` (traces) and ``brian2_plasticity.json``
(parameters, spike times, dt, versions) next to this file; the tests in
``tests_py/test_plasticity.py`` read only these files. It takes a few
seconds.

What is modelled (units ms, dimensionless state)
------------------------------------------------
* STP (Tsodyks–Markram as in BrainModels ``STP``): one presynaptic
  ``SpikeGeneratorGroup`` neuron per synapse, one synapse each, with
  du/dt = -u/tau_f, dx/dt = (1 - x)/tau_d, ds/dt = -s/tau between spikes
  (clock-driven, method 'exact', so the recorded u and x are relaxed at every
  sample) and on a presynaptic spike u += U(1 - u); r = u x; x -= r; s += r.
  Two synapses: a depressing one (U = 0.5, tau_f = 50, tau_d = 750) and a
  facilitating one (U = 0.15, tau_f = 750, tau_d = 50), as in Tsodyks, Wu
  (2013), driven by the same 40 Hz train and a recovery spike.
* STDP (BrainModels ``STDP``; Brian2's STDP example with BrainModels' sign
  convention): presynaptic and postsynaptic ``SpikeGeneratorGroup`` s, one
  synapse per pair (one-to-one), ds/dt = -s/tau, dA_s/dt = -A_s/tau_s,
  dA_t/dt = -A_t/tau_t (clock-driven, 'exact'); on a presynaptic spike
  s += w; A_s += delta_A_s; w = clip(w - A_t, w_min, w_max); on a
  postsynaptic spike A_t += delta_A_t; w = clip(w + A_s, w_min, w_max).
  Pre and post never spike in the same step.

Numerics and timing convention: dt = DT_FINE (0.005 ms) with the schedule
``start, thresholds, synapses, groups, ...`` and monitors after the
synaptic effects, so the sample at t is the state at t including spikes at
t (as in make_brian2_traces.py); samples every T_REC = 0.1 ms.
"""

import json
import os
import sys

import numpy as np

import brian2 as b2

HERE = os.path.dirname(os.path.abspath(__file__))
DT_FINE = 0.005
T_REC = 0.1

STP = {
    "duration": 600.0,
    "synapses": [{"U": 0.5, "tau_f": 50.0, "tau_d": 750.0, "tau": 8.0},
                 {"U": 0.15, "tau_f": 750.0, "tau_d": 50.0, "tau": 8.0}],
    # 40 Hz train of 8 spikes, then a recovery spike
    "spikes": [10.0 + 25.0 * k for k in range(8)] + [450.0],
}

STDP = {
    "duration": 300.0,
    "params": {"tau": 10.0, "tau_s": 16.8, "tau_t": 33.7, "delta_A_s": 0.05, "delta_A_t": 0.06,
               "w_min": 0.0, "w_max": 1.0},
    "w0": [0.5, 0.5, 0.9],
    # synapse 0: pre before post (potentiation); 1: post before pre
    # (depression); 2: repeated pre-post pairs that reach w_max
    "pre": {0: [20.0, 80.0, 150.0], 1: [25.0, 90.0, 160.0], 2: [10.0, 70.0, 130.0, 190.0]},
    "post": {0: [25.0, 84.0, 151.0], 1: [15.0, 70.0, 159.0], 2: [11.0, 71.0, 131.0, 191.0]},
}


def _schedule(net):
    net.schedule = ["start", "thresholds", "synapses", "groups", "resets", "end"]


def _gen(n, spikes):
    idx = [q for q in sorted(spikes) for _ in spikes[q]]
    ts = [t for q in sorted(spikes) for t in spikes[q]]
    return b2.SpikeGeneratorGroup(n, idx, np.array(ts) * b2.ms)


def run_stp():
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    n = len(STP["synapses"])
    pre = _gen(n, {q: STP["spikes"] for q in range(n)})
    post = b2.NeuronGroup(n, "")
    eqs = """
    U : 1 (constant)
    tau_f : second (constant)
    tau_d : second (constant)
    tau : second (constant)
    du/dt = -u/tau_f : 1 (clock-driven)
    dx/dt = (1 - x)/tau_d : 1 (clock-driven)
    ds/dt = -s/tau : 1 (clock-driven)
    """
    syn = b2.Synapses(pre, post, eqs, on_pre="u += U*(1 - u)\nr = u*x\nx -= r\ns += r", method="exact")
    syn.connect(j="i")
    for k, p in enumerate(STP["synapses"]):
        syn.U[k] = p["U"]
        syn.tau_f[k] = p["tau_f"] * b2.ms
        syn.tau_d[k] = p["tau_d"] * b2.ms
        syn.tau[k] = p["tau"] * b2.ms
    syn.x = 1.0
    mon = b2.StateMonitor(syn, ["u", "x", "s"], record=True, dt=T_REC * b2.ms, when="synapses", order=100)
    net = b2.Network(pre, post, syn, mon)
    _schedule(net)
    net.run(STP["duration"] * b2.ms)
    return {"t": np.asarray(mon.t / b2.ms), "u": np.asarray(mon.u).T, "x": np.asarray(mon.x).T,
            "s": np.asarray(mon.s).T}


def run_stdp():
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    p = STDP["params"]
    n = len(STDP["w0"])
    pre = _gen(n, STDP["pre"])
    post = _gen(n, STDP["post"])
    f = {k: repr(float(v)) for k, v in p.items()}
    eqs = f"""
    w : 1
    ds/dt = -s/({f['tau']}*ms) : 1 (clock-driven)
    dA_s/dt = -A_s/({f['tau_s']}*ms) : 1 (clock-driven)
    dA_t/dt = -A_t/({f['tau_t']}*ms) : 1 (clock-driven)
    """
    on_pre = f"s += w\nA_s += {f['delta_A_s']}\nw = clip(w - A_t, {f['w_min']}, {f['w_max']})"
    on_post = f"A_t += {f['delta_A_t']}\nw = clip(w + A_s, {f['w_min']}, {f['w_max']})"
    syn = b2.Synapses(pre, post, eqs, on_pre=on_pre, on_post=on_post, method="exact")
    syn.connect(j="i")
    syn.w = STDP["w0"]
    mon = b2.StateMonitor(syn, ["w", "s", "A_s", "A_t"], record=True, dt=T_REC * b2.ms, when="synapses",
                          order=100)
    net = b2.Network(pre, post, syn, mon)
    _schedule(net)
    net.run(STDP["duration"] * b2.ms)
    out = {"t": np.asarray(mon.t / b2.ms)}
    for v in ["w", "s", "A_s", "A_t"]:
        out[v] = np.asarray(getattr(mon, v)).T
    return out


def main():
    b2.prefs.codegen.target = "numpy"
    arrays = {}
    for name, job in [("STP", run_stp), ("STDP", run_stdp)]:
        for k, v in job().items():
            arrays[f"{name}__{k}"] = v
    meta = {"brian2_version": b2.__version__, "numpy_version": np.__version__,
            "python_version": sys.version.split()[0], "dt_fine_ms": DT_FINE, "record_dt_ms": T_REC,
            "STP": STP, "STDP": {**STDP, "pre": {str(k): v for k, v in STDP["pre"].items()},
                                 "post": {str(k): v for k, v in STDP["post"].items()}}}
    np.savez_compressed(os.path.join(HERE, "brian2_plasticity.npz"), **arrays)
    with open(os.path.join(HERE, "brian2_plasticity.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("wrote", os.path.join(HERE, "brian2_plasticity.npz"))


if __name__ == "__main__":
    main()
