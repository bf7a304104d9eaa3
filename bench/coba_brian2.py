"""COBA (I = 20 mV variant, perf_anchors §1.2) in Brian2, C++ standalone,
forward Euler, one thread. The conductances decay exactly, as in NEST and
brainsyn: Euler integrates every equation (ge too: ge·(1 − dt/τ) a step),
so ge and gi are given τ' = dt/(1 − e^{−dt/τ}), whose Euler step is the
factor e^{−dt/τ}. Prints one JSON line: run-loop time
(device._last_run_time), build time (code generation + compile), rate.
"""

import argparse
import json
import math
import os
import resource
import shutil
import tempfile
import time

t0 = time.perf_counter()
from brian2 import (NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, defaultclock, device, mV, ms,  # noqa: E402
                    prefs, run, second, set_device, seed)

t_import = time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--p", type=float, default=None)
    ap.add_argument("--duration", type=float, default=5000.)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--isi", action="store_true", help="also print the interspike intervals in steps")
    a = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="coba_brian2_")
    set_device("cpp_standalone", directory=workdir, build_on_run=True)
    prefs.devices.cpp_standalone.openmp_threads = a.threads if a.threads > 1 else 0
    seed(a.seed)
    defaultclock.dt = 0.1 * ms
    n = a.n
    ne = int(n * 0.8)
    p = 0.02 if a.p is None else a.p
    teff = lambda tau: 0.1 * ms / (1. - math.exp(-0.1 / tau))  # noqa: E731
    taum, taue, taui = 20 * ms, teff(5.), teff(10.)
    Vt, Vr, El, Ee, Ei, I = -50 * mV, -60 * mV, -60 * mV, 0 * mV, -80 * mV, 20 * mV
    eqs = """dv/dt = (ge*(Ee-v) + gi*(Ei-v) - (v-El) + I)*(1./taum) : volt (unless refractory)
             dge/dt = -ge/taue : 1
             dgi/dt = -gi/taui : 1"""
    t1 = time.perf_counter()
    P = NeuronGroup(n, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="euler",
                    namespace=dict(taum=taum, taue=taue, taui=taui, Vt=Vt, Vr=Vr, El=El, Ee=Ee, Ei=Ei, I=I))
    P.v = "-55*mV + 5*mV*randn()"
    Ce = Synapses(P[:ne], P, on_pre="ge += 0.6")
    Ci = Synapses(P[ne:], P, on_pre="gi += 6.7")
    Ce.connect(p=p)
    Ci.connect(p=p)
    sm = SpikeMonitor(P)
    run(a.duration * ms)
    total = time.perf_counter() - t1
    run_s = device._last_run_time
    rate = sm.num_spikes / n / (a.duration / 1000.)
    out = {"sim": "brian2", "n": n, "threads": a.threads, "duration_ms": a.duration, "seed": a.seed, "run_s": run_s,
           "build_s": total - run_s, "import_s": t_import, "rate_hz": float(rate),
           "synapses": int(len(Ce) + len(Ci)),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    if a.isi:
        from isi import isi_histogram
        out["isi_steps"] = isi_histogram(sm.i[:], sm.t[:] / (0.1 * ms))
    print(json.dumps(out))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
