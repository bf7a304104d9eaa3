"""COBA (I = 20 mV variant, perf_anchors §1.2) in ANNarchy 5, after its
examples/vogels_abbott/COBA.py with this benchmark's start (v ~ N(−55, 5),
g = 0): explicit (forward) Euler, conductances in units of g_L, one thread.
The conductances decay exactly, as in the other simulators: an Euler step
with τ' = dt/(1 − e^{−dt/τ}) multiplies g by e^{−dt/τ}. A spike reaches
its targets on the next step. Pairs are drawn independently
(connect_fixed_probability) up to 40 000 neurons; above, the pairs are
drawn in numpy with the same law and given as a sparse matrix (ANNarchy's
connectors took more than 8 minutes at 400 000 neurons). Prints one JSON
line: run-loop time (simulate), build time (code generation, compile,
network construction).
"""

import argparse
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--p", type=float, default=None)
    ap.add_argument("--duration", type=float, default=5000.)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workdir", default=None, help="compile here (kept, reused when unchanged); default: a new one")
    ap.add_argument("--isi", action="store_true", help="also print the interspike intervals in steps")
    a = ap.parse_args()
    # ANNarchy reads the command line when imported (and takes --p for its
    # own options): it sees none.
    sys.argv = sys.argv[:1]
    t0 = time.perf_counter()
    import ANNarchy as ann
    t_import = time.perf_counter() - t0
    dt = 0.1
    workdir = a.workdir or tempfile.mkdtemp(prefix="coba_annarchy_")
    t1 = time.perf_counter()
    net = ann.Network(dt=dt, seed=a.seed)
    net.config(num_threads=a.threads, suppress_warnings=True)
    teff = lambda tau: dt / (1. - math.exp(-dt / tau))  # noqa: E731
    COBA = ann.Neuron(
        parameters=dict(El=-60., Vr=-60., Erev_exc=0., Erev_inh=-80., Vt=-50., tau=20., tau_exc=teff(5.),
                        tau_inh=teff(10.), I=20.),
        equations=["tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v) + I",
                   "tau_exc * dg_exc/dt = - g_exc",
                   "tau_inh * dg_inh/dt = - g_inh"],
        spike="v > Vt", reset="v = Vr", refractory=5.0)
    n = a.n
    ne = int(n * 0.8)
    p = 0.02 if a.p is None else a.p
    P = net.create(geometry=n, neuron=COBA)
    P.v = ann.Normal(-55., 5.)
    Pe, Pi = P[:ne], P[ne:]
    Ce = net.connect(pre=Pe, post=P, target="exc")
    Ci = net.connect(pre=Pi, post=P, target="inh")
    if n <= 40000:
        Ce.fixed_probability(weights=0.6, probability=p, allow_self_connections=True)
        Ci.fixed_probability(weights=6.7, probability=p, allow_self_connections=True)
    else:
        # ANNarchy's own connectors took more than 8 minutes for 32 million
        # pairs: the pairs are drawn here (Bernoulli in law: a binomial
        # count per post neuron, its sources uniform without repeats) and
        # handed over as a sparse matrix.
        import numpy as np
        from scipy.sparse import csr_matrix
        rng = np.random.default_rng(a.seed)

        def sparse(npre, w):
            k = rng.binomial(npre, p, n)
            post = np.repeat(np.arange(n), k)
            pre = rng.integers(0, npre, k.sum())
            m = csr_matrix((np.full(len(pre), w), (pre, post)), shape=(npre, n))
            m.data[:] = w  # a repeated pair (rare at this p) is one synapse
            return m
        Ce.from_sparse(sparse(ne, 0.6))
        Ci.from_sparse(sparse(n - ne, 6.7))
    m = net.monitor(P, ["spike"])
    net.compile(directory=workdir, silent=True)
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    net.simulate(a.duration)
    t_run = time.perf_counter() - t2
    sp = m.get("spike")
    spikes = sum(len(v) for v in sp.values())
    out = {"sim": "annarchy", "n": n, "threads": a.threads, "duration_ms": a.duration, "seed": a.seed,
           "run_s": t_run, "build_s": t_build, "import_s": t_import, "rate_hz": spikes / n / (a.duration / 1000.),
           "synapses": int(Ce.nb_synapses + Ci.nb_synapses),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if a.isi:
        from isi import isi_histogram
        s = [k for k, v in sp.items() for _ in v]
        st = [x for v in sp.values() for x in v]
        out["isi_steps"] = isi_histogram(s, st)
    print(json.dumps(out))
    if a.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
