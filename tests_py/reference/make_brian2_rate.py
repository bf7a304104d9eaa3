"""Generate Brian2 reference traces for brainsyn's rate-based learning rules
(Oja, BCM).

Run (not part of the test suite; needs Brian2 in a separate environment,
e.g. ``python -m venv /tmp/b2venv && /tmp/b2venv/bin/pip install brian2
'numpy<2.3'``):

    /tmp/b2venv/bin/python tests_py/reference/make_brian2_rate.py

It writes ``brian2_rate.npz`` (traces) and ``brian2_rate.json`` (parameters,
input rates, dt, versions) next to this file; ``tests_py/test_rate.py``
reads only these files. It takes about a minute.

What is modelled (units ms, rates and weights dimensionless)
-------------------------------------------------------------
Pre units have the rates x_i(t) of the piecewise-constant patterns below
(a ``TimedArray``); post units have y_j = Σ_i w_ij x_i (a summed variable);
every pre unit reaches every post unit.

* Oja (BrainModels ``Oja``): dw/dt = gamma·(x_pre·y_post − y_post²·w),
  clipped to [w_min, w_max] after each step (bounds that do not bind here).
  3 pre, 2 post, per-synapse initial weights, three 20 ms patterns in turn
  (two overlapping ones and silence).
* BCM (BrainModels ``BCM``): dw/dt = lr·y_post·(y_post − θ)·x_pre, w clipped
  to [w_min, w_max]; θ is the mean of y over the run so far (updated every
  step as a running mean, θ += (y − θ)/(n + 1)). 2 pre, 1 post; the pre
  units fire in turn, 5 ms each, at 1.5 and 1.0: the stronger one is
  potentiated to w_max, the weaker depressed.

Numerics: forward Euler at dt = DT_FINE (0.005 ms); the samples every
T_REC = 0.1 ms are taken at the end of the step. brainsyn integrates the
same equations by forward Euler at 0.1 or 0.05 ms; the difference is the
Euler error of the coarser step (< 1 % of the peak).
"""

import json
import os
import sys

import numpy as np

import brian2 as b2

HERE = os.path.dirname(os.path.abspath(__file__))
DT_FINE = 0.005
T_REC = 0.1

OJA = {
    "duration": 400.0,
    "params": {"gamma": 0.01, "w_min": 0.0, "w_max": 1.0},
    "segment": 20.0,
    # one row per segment, cycled: the pattern of the pre rates
    "patterns": [[2.0, 1.0, 0.5], [0.5, 1.0, 2.0], [0.0, 0.0, 0.0]],
    "n_post": 2,
    # initial weight of synapse (i, j), synapse order (by pre, then post)
    "w0": [0.05, 0.1, 0.1, 0.05, 0.08, 0.02],
}

BCM = {
    "duration": 400.0,
    "params": {"lr": 0.01, "w_min": 0.0, "w_max": 2.0},
    "segment": 5.0,
    "patterns": [[1.5, 0.0], [0.0, 1.0]],
    "n_post": 1,
    "w0": [1.0, 1.0],
}


def rates(m, duration=None):
    """The pre rates per segment over the run (rows: segments)."""
    n = int(round((duration or m["duration"]) / m["segment"]))
    return np.array([m["patterns"][s % len(m["patterns"])] for s in range(n)], dtype=float)


def _run(m, syn_eqs, post_eqs="y : 1", with_theta=False):
    b2.start_scope()
    b2.defaultclock.dt = DT_FINE * b2.ms
    x = rates(m)
    stim = b2.TimedArray(x, dt=m["segment"] * b2.ms)
    npre = x.shape[1]
    pre = b2.NeuronGroup(npre, "x = stim(t, i) : 1")
    post = b2.NeuronGroup(m["n_post"], post_eqs)
    f = {k: repr(float(v)) for k, v in m["params"].items()}
    # In the 'groups' slot: the summed y (order post.order - 1 = -1), then
    # theta (order 0), then the weights (order 1): brainsyn's order.
    syn = b2.Synapses(pre, post, syn_eqs.format(**f) + "\ny_post = w*x_pre : 1 (summed)", method="euler", order=1)
    syn.connect()
    order = np.lexsort((np.asarray(syn.j), np.asarray(syn.i)))  # synapse order: by pre, then post
    w0 = np.array(m["w0"])
    syn.w[order] = w0
    syn.run_regularly(f"w = clip(w, {f['w_min']}, {f['w_max']})", when="end", order=-1)
    objs = [pre, post, syn]
    if with_theta:
        # the mean of y over the steps so far, this step's y included
        post.run_regularly("theta += (y - theta)/(t/dt + 1)", when="groups", order=0)
    ms = b2.StateMonitor(syn, "w", record=True, dt=T_REC * b2.ms, when="end", order=100)
    mp = b2.StateMonitor(post, ["y"] + (["theta"] if with_theta else []), record=True, dt=T_REC * b2.ms,
                         when="end", order=100)
    net = b2.Network(*objs, ms, mp)
    net.run(m["duration"] * b2.ms)
    out = {"t": np.asarray(ms.t / b2.ms), "w": np.asarray(ms.w).T[:, order], "r": np.asarray(mp.y).T}
    if with_theta:
        out["r_th"] = np.asarray(mp.theta).T
    return out


def run_oja():
    return _run(OJA, "dw/dt = {gamma}/ms*(x_pre*y_post - y_post**2*w) : 1 (clock-driven)")


def run_bcm():
    return _run(BCM, "dw/dt = {lr}/ms*y_post*(y_post - theta_post)*x_pre : 1 (clock-driven)",
                post_eqs="y : 1\ntheta : 1", with_theta=True)


def main():
    b2.prefs.codegen.target = "numpy"
    arrays = {}
    for name, job in [("Oja", run_oja), ("BCM", run_bcm)]:
        for k, v in job().items():
            arrays[f"{name}__{k}"] = v
    meta = {"brian2_version": b2.__version__, "numpy_version": np.__version__,
            "python_version": sys.version.split()[0], "dt_fine_ms": DT_FINE, "record_dt_ms": T_REC,
            "Oja": OJA, "BCM": BCM}
    np.savez_compressed(os.path.join(HERE, "brian2_rate.npz"), **arrays)
    with open(os.path.join(HERE, "brian2_rate.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("wrote", os.path.join(HERE, "brian2_rate.npz"))


if __name__ == "__main__":
    main()
