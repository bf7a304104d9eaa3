"""Generate BrainPy 1.0.3 reference values for ``bp.measure`` and the
deterministic spatial connectors (GaussianWeight, DOG).

Run (not part of the test suite) in an environment with BrainPy 1.0.3,
which needs numpy < 2:

    python -m venv /tmp/bp1 && /tmp/bp1/bin/pip install 'numpy<2' brainpy-simulator==1.0.3
    /tmp/bp1/bin/python tests_py/reference/make_brainpy1_measures.py

It writes ``brainpy1_measures.json`` next to this file: the inputs (drawn
here from a fixed seed), the calls and BrainPy's results. The tests in
``tests_py/test_measure.py`` and ``tests_py/test_connectors_spatial.py``
read only that file. Inputs are chosen where BrainPy 1.0.3 is not affected
by its known defects (bins and windows that are whole numbers of steps).
"""

import json
import os

import numpy as np
import brainpy as bp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "brainpy1_measures.json")


def spikes(rng, steps, n, p):
    return rng.random((steps, n)) < p


def main():
    rng = np.random.default_rng(20260612)
    dt = 0.1
    bp.backend.set(dt=dt)
    out = {"brainpy": bp.__version__, "dt": dt, "measure": [], "connect": []}
    for steps, n, p, bin_ in ((500, 6, 0.02, 1.0), (1000, 10, 0.005, 2.0), (333, 4, 0.05, 0.5)):
        sp = spikes(rng, steps, n, p)
        rows, cols = np.nonzero(sp)
        entry = {"shape": [steps, n], "rows": rows.tolist(), "cols": cols.tolist(), "bin": bin_,
                 "cross_correlation": float(bp.measure.cross_correlation(sp, bin_, dt=dt))}
        for window, width in (("gaussian", 1.0), ("flat", 2.0), ("gaussian", 0.5)):
            entry.setdefault("firing_rate", []).append(
                {"window": window, "width": width, "value": bp.measure.firing_rate(sp, width, window=window).tolist()})
        out["measure"].append(entry)
    for steps, n in ((400, 5), (200, 12)):
        v = rng.normal(-60., 5., (steps, n)) + 3. * np.sin(np.arange(steps) / 10.)[:, None]
        out["measure"].append({"potentials": v.tolist(), "voltage_fluctuation": float(bp.measure.voltage_fluctuation(v))})
    for args in ({"kind": "GaussianWeight", "sigma": 0.2, "w_max": 1.0, "pre": [4, 5], "post": [4, 5]},
                 {"kind": "GaussianWeight", "sigma": 1.5, "w_max": 2.0, "w_min": 0.3, "normalize": False,
                  "include_self": False, "pre": [6, 3], "post": [6, 3]},
                 {"kind": "DOG", "sigmas": [0.1, 0.3], "ws_max": [1.0, 0.5], "pre": [5, 5], "post": [5, 5]},
                 {"kind": "DOG", "sigmas": [1.0, 2.0], "ws_max": [2.0, 1.0], "w_min": 0.05, "normalize": False,
                  "include_self": False, "pre": [4, 6], "post": [4, 6]}):
        kw = {k: v for k, v in args.items() if k not in ("kind", "pre", "post")}
        c = getattr(bp.connect, args["kind"])(**kw)(tuple(args["pre"]), tuple(args["post"]))
        out["connect"].append({**args, "pre_ids": np.asarray(c.pre_ids).tolist(),
                               "post_ids": np.asarray(c.post_ids).tolist(), "weights": np.asarray(c.weights).tolist()})
    with open(OUT, "w") as f:
        json.dump(out, f)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
