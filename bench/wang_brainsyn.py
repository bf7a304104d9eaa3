"""Wang (2002) decision network, N = 2000 (perf_anchors §1.6; Brian2's
examples/frompapers/Wang_2002.py, eLife timing), with brainsyn's built-in
AMPA (exponential, AMPA1), NMDA and GABA_A (GABAa1) synapses.

Pools E1, E2 (240 each), E3 (1120), I (400), all-to-all with pool weights
w+ = 1.7 and w− inside the excitatory population, delay 0.5 ms. Each
neuron gets 2.4 kHz of Poisson input through AMPA. E1 and E2 get a
stimulus μ0 ± coh·μ1/100 (+ σ noise redrawn every 50 ms) from 100 to
1100 ms of 1600 ms. Conductances are in units of the leak conductance, so
LIF has R = 1 and τ = C/g_L. Every synapse uses Euler, like Brian2, and
the refractory period is counted in steps as Brian2 counts it
(refractory_rule='brian2': 2 ms is 20 steps).
"""

import argparse
import json
import resource
import time

import numpy as np

t0 = time.perf_counter()
import brainsyn as bp  # noqa: E402

t_import = time.perf_counter() - t0

from wang_common import PARAMS, stimulus_rates  # noqa: E402


def build(scale=1.0, seed=1):
    P = PARAMS
    bp.backend.set(dt=0.1)
    NE, NI = int(1600 * scale), int(400 * scale)
    sub = int(0.15 * NE)
    sizes = {"E1": sub, "E2": sub, "E3": NE - 2 * sub}
    lifE = dict(V_rest=-70., V_th=-50., V_reset=-55., tau=20., t_refractory=2., R=1., refractory_rule='brian2')
    lifI = dict(V_rest=-70., V_th=-50., V_reset=-55., tau=10., t_refractory=1., R=1., refractory_rule='brian2')
    ev = lambda: bp.Monitor(['spike'], events=['spike'])  # noqa: E731
    groups = {k: bp.neurons.LIF(v, name=k, monitors=ev(), **lifE) for k, v in sizes.items()}
    groups["I"] = bp.neurons.LIF(NI, name="I", monitors=ev(), **lifI)
    for g in groups.values():
        g.V = -52.  # Vt − 2 mV
    gLE, gLI = 25., 20.
    Jp = 1.7
    Jm = 1.0 - 0.15 * (Jp - 1.0) / (1.0 - 0.15)
    J = lambda a, b: (Jp if a == b else Jm) if b in ("E1", "E2") else 1.0  # noqa: E731
    syns = []
    k = 0
    for a in ("E1", "E2", "E3"):
        for b in ("E1", "E2", "E3", "I"):
            gl, gA, gN = (gLI, 0.04, 0.13) if b == "I" else (gLE, 0.05 * J(a, b), 0.165 * J(a, b))
            syns.append(bp.synapses.AMPA1(groups[a], groups[b], bp.connect.All2All(), g_max=gA / gl * 1600 / NE,
                                          E=0., tau=2., delay=0.5, method='euler', name=f"A_{a}_{b}"))
            syns.append(bp.synapses.NMDA(groups[a], groups[b], bp.connect.All2All(), g_max=gN / gl * 1600 / NE,
                                         E=0., cc_Mg=1.0, alpha=0.062, beta=3.57, tau=100., tau_rise=2., a=0.5,
                                         delay=0.5, method='euler', name=f"N_{a}_{b}"))
    for b in ("E1", "E2", "E3", "I"):
        gl, g = (gLI, 1.0) if b == "I" else (gLE, 1.3)
        syns.append(bp.synapses.GABAa1(groups["I"], groups[b], bp.connect.All2All(), g_max=g / gl * 400 / NI,
                                       E=-70., tau_decay=5., delay=0.5, method='euler', name=f"G_I_{b}"))
    drives = []
    for b, g in groups.items():
        # 1000 independent sources of 2.4 Hz per neuron, as Brian2's PoissonInput.
        src = bp.neurons.PoissonInput(g.num, freqs=2.4, sources=1000, seed=seed + len(drives), name=f"ext_{b}")
        gl, ge = (gLI, 1.62) if b == "I" else (gLE, 2.1)
        drives.append(src)
        syns.append(bp.synapses.AMPA1(src, g, bp.connect.One2One(), g_max=ge / gl, E=0., tau=2., method='euler',
                                      name=f"X_{b}"))
    stim = {b: bp.neurons.PoissonInput(sub, freqs=0., seed=seed + 10 + i, name=f"stim_{b}") for i, b in enumerate(("E1", "E2"))}
    for b, src in stim.items():
        syns.append(bp.synapses.AMPA1(src, groups[b], bp.connect.One2One(), g_max=2.1 / gLE, E=0., tau=2.,
                                      method='euler', name=f"S_{b}"))
    # Sources first, then neurons, then synapses: every projection sees the
    # spikes of the same step, like Brian2's order.
    net = bp.Network(*drives, *stim.values(), *groups.values(), *syns)
    return net, groups, stim


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=1600.)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--profile", default=None, help="write a pprof CPU profile of the run here")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    bp.set_num_threads(a.threads)
    t1 = time.perf_counter()
    net, groups, stim = build(seed=a.seed * 100)
    r1, r2 = stimulus_rates(a.duration, 0.1)
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    if a.profile:
        bp._native.call("Profile", a.profile)
    net.run(a.duration, inputs=[(stim["E1"], 'freqs', r1, '='), (stim["E2"], 'freqs', r2, '=')])
    if a.profile:
        bp._native.call("Profile", "")
    t_run = time.perf_counter() - t2
    rates = {k: float(len(g.mon.spike) / g.num / (a.duration / 1000.)) for k, g in groups.items()}
    print(json.dumps({"sim": "brainsyn", "model": "wang2002", "threads": a.threads, "duration_ms": a.duration, "seed": a.seed,
                      "run_s": t_run, "build_s": t_build, "import_s": t_import, "rates_hz": rates,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
