"""COBA (Vogels–Abbott, I = 20 mV variant of perf_anchors §1.2) in brainsyn.

4000 LIF neurons (3200 E, 800 I), p = 0.02, exponential conductance
synapses (τ 5/10 ms, g 0.6/6.7 in units of g_L, E 0/−80 mV), refractory
5 ms, v0 ~ N(−55, 5), dt 0.1 ms. V by forward Euler; the conductances
decay exactly (e^{−dt/τ} a step, exponential_euler), as in NEST (and in
the Brian2 and ANNarchy scripts). The refractory period is counted in
steps: by default as Brian2 does (the shortest interval is t_ref/dt
steps); --refractory-rule nest holds one step more (NEST, ANNarchy).
--delay 0.1 makes a spike act one step later, as NEST's smallest delay
does. Prints one JSON line of results.
"""

import argparse
import json
import resource
import time

import numpy as np

t_import = time.perf_counter()
import brainsyn as bp  # noqa: E402

t_import = time.perf_counter() - t_import


def build(n=4000, p=None, seed=42, layout="auto", rule="brian2", delay=0.):
    bp.backend.set(dt=0.1)
    ne = int(n * 0.8)
    ni = n - ne
    p = 0.02 if p is None else p
    rng = np.random.default_rng(seed)
    pars = dict(V_rest=-60., V_reset=-60., V_th=-50., tau=20., t_refractory=5., refractory_rule=rule)
    mon = bp.Monitor(['spike'], events=['spike'])
    E = bp.neurons.LIF(ne, monitors=mon, name="E", **pars)
    I = bp.neurons.LIF(ni, monitors=bp.Monitor(['spike'], events=['spike']), name="I", **pars)
    E.V = rng.normal(-55., 5., ne)
    I.V = rng.normal(-55., 5., ni)
    exc = dict(output='conductance', g_max=0.6, E=0., tau=5., layout=layout, method='exponential_euler', delay=delay)
    inh = dict(output='conductance', g_max=6.7, E=-80., tau=10., layout=layout, method='exponential_euler', delay=delay)
    syns = [bp.synapses.Exponential(E, E, bp.connect.FixedProb(p, seed=seed + 1), name="EE", **exc),
            bp.synapses.Exponential(E, I, bp.connect.FixedProb(p, seed=seed + 2), name="EI", **exc),
            bp.synapses.Exponential(I, E, bp.connect.FixedProb(p, seed=seed + 3), name="IE", **inh),
            bp.synapses.Exponential(I, I, bp.connect.FixedProb(p, seed=seed + 4), name="II", **inh)]
    net = bp.Network(E, I, *syns)
    return net, E, I, syns


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--p", type=float, default=None)
    ap.add_argument("--duration", type=float, default=5000.)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--layout", default="auto")
    ap.add_argument("--profile", default=None, help="write a pprof CPU profile of the run here")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--refractory-rule", default="brian2", choices=["brian2", "nest", "time"])
    ap.add_argument("--delay", type=float, default=0.)
    ap.add_argument("--isi", action="store_true", help="also print the interspike intervals in steps")
    a = ap.parse_args()
    bp.set_num_threads(a.threads)
    t0 = time.perf_counter()
    net, E, I, syns = build(a.n, a.p, seed=a.seed, layout=a.layout, rule=a.refractory_rule, delay=a.delay)
    t_build = time.perf_counter() - t0
    t1 = time.perf_counter()
    if a.profile:
        bp._native.call("Profile", a.profile)
    net.run(a.duration, inputs=[(E, 'input', 20.), (I, 'input', 20.)])
    if a.profile:
        bp._native.call("Profile", "")
    t_run = time.perf_counter() - t1
    spikes = len(E.mon.spike) + len(I.mon.spike)
    rate = spikes / a.n / (a.duration / 1000.)
    out = {"sim": "brainsyn", "n": a.n, "threads": a.threads, "duration_ms": a.duration, "seed": a.seed,
           "refractory_rule": a.refractory_rule, "delay_ms": a.delay,
           "run_s": t_run, "build_s": t_build, "import_s": t_import, "rate_hz": rate,
           "synapses": int(sum(s.size for s in syns)),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "thread_use": net.thread_use}
    if a.isi:
        from isi import isi_histogram
        ev = [g.mon.spike for g in (E, I)]
        out["isi_steps"] = isi_histogram(np.concatenate([ev[0]["index"], ev[1]["index"] + E.num]),
                                         np.concatenate([ev[0]["i"], ev[1]["i"]]))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
