"""COBA (I = 20 mV variant, perf_anchors §1.2) in NEST, the model NEST
users pick: iaf_cond_exp (g_L 10 nS, C_m 200 pF, so τ 20 ms; the drive
20 mV is I_e = 200 pA; weights 6 and −67 nS, conductances in nS, exact
exponential decay). NEST integrates V and the conductances together with
an adaptive Runge–Kutta–Fehlberg (4,5) solver, not forward Euler; its
smallest delay is one step (0.1 ms), so a spike acts on the step after
the others do. Refractoriness: a counter of t_ref/dt steps, during which
V is held at V_reset (the shortest interspike interval is t_ref/dt + 1
steps). Pairs are drawn independently (pairwise_bernoulli) up to 40 000
neurons; above, where NEST's pair loop (N² draws) would dominate, each
neuron gets p·N_pre inputs (fixed_indegree, as NEST's own COBA benchmark;
a fixed total, fixed_total_number, took 16 GB at 400 000 neurons).
Prints one JSON line; the run-loop time is nest.Run after nest.Prepare.
"""

import argparse
import json
import os
import resource
import time

os.environ.setdefault("PYNEST_QUIET", "1")
t0 = time.perf_counter()
import nest  # noqa: E402

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
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": a.threads, "rng_seed": a.seed + 1,
                          "print_time": False})
    n = a.n
    ne = int(n * 0.8)
    p = 0.02 if a.p is None else a.p
    t1 = time.perf_counter()
    pars = {"C_m": 200., "g_L": 10., "E_L": -60., "V_reset": -60., "V_th": -50., "t_ref": 5., "E_ex": 0.,
            "E_in": -80., "tau_syn_ex": 5., "tau_syn_in": 10., "I_e": 200.}
    pop = nest.Create("iaf_cond_exp", n, params=pars)
    pop.V_m = nest.random.normal(mean=-55., std=5.)
    E, I = pop[:ne], pop[ne:]
    if n <= 40000:
        rule = lambda npre: {"rule": "pairwise_bernoulli", "p": p, "allow_autapses": True}  # noqa: E731
    else:
        rule = lambda npre: {"rule": "fixed_indegree", "indegree": int(round(p * npre))}  # noqa: E731
    nest.Connect(E, pop, rule(ne), {"synapse_model": "static_synapse", "weight": 6., "delay": 0.1})
    nest.Connect(I, pop, rule(n - ne), {"synapse_model": "static_synapse", "weight": -67., "delay": 0.1})
    rec = nest.Create("spike_recorder")
    nest.Connect(pop, rec)
    nest.Prepare()
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    nest.Run(a.duration)
    t_run = time.perf_counter() - t2
    nest.Cleanup()
    ev = rec.events
    spikes = len(ev["times"])
    out = {"sim": "nest", "n": n, "threads": a.threads, "duration_ms": a.duration, "seed": a.seed, "run_s": t_run,
           "build_s": t_build, "import_s": t_import, "rate_hz": spikes / n / (a.duration / 1000.),
           "synapses": int(nest.GetKernelStatus("num_connections")) - n,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if a.isi:
        import numpy as np
        from isi import isi_histogram
        out["isi_steps"] = isi_histogram(np.asarray(ev["senders"]), np.rint(np.asarray(ev["times"]) / 0.1))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
