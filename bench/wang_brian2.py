"""Wang (2002) decision network in Brian2 (C++ standalone, one thread,
Euler), after Brian2's examples/frompapers/Wang_2002.py with the eLife
timing and the stimulus of wang_common.py (same rate series as brainsyn).
Prints one JSON line.
"""

import argparse
import json
import resource
import shutil
import tempfile
import time

import numpy as np

t0 = time.perf_counter()
from brian2 import (Hz, Network, NeuronGroup, collect, PoissonGroup, PoissonInput, SpikeMonitor, Synapses, TimedArray,  # noqa: E402
                    defaultclock, device, kHz, mmole, ms, mV, nF, nS, prefs, run, set_device, seed)

t_import = time.perf_counter() - t0
from wang_common import PARAMS, interval_rates  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=1600.)
    ap.add_argument("--seed", type=int, default=3)
    a = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="wang_brian2_")
    set_device("cpp_standalone", directory=workdir, build_on_run=True)
    prefs.devices.cpp_standalone.openmp_threads = 0
    seed(a.seed)
    defaultclock.dt = 0.1 * ms
    P = PARAMS
    N, NE, NI = 2000, 1600, 400
    subN = int(0.15 * NE)
    ns = dict(El=-70 * mV, Vt=-50 * mV, Vr=-55 * mV, CmE=0.5 * nF, CmI=0.2 * nF, gLeakE=25 * nS, gLeakI=20 * nS,
              V_E=0 * mV, V_I=-70 * mV, tau_AMPA=2 * ms, tau_NMDA_rise=2 * ms, tau_NMDA_decay=100 * ms,
              tau_GABA=5 * ms, alpha=0.5 * kHz, C=1 * mmole, gEEN=0.165 * nS, gEIN=0.13 * nS)
    Jp = 1.7
    Jm = 1.0 - 0.15 * (Jp - 1.0) / (1.0 - 0.15)
    eqsE = """
       label : integer (constant)
       dV/dt = (- gLeakE * (V - El) - I_AMPA - I_NMDA - I_GABA - I_AMPA_ext) / CmE : volt (unless refractory)
       I_AMPA = s_AMPA * (V - V_E) : amp
       ds_AMPA / dt = - s_AMPA / tau_AMPA : siemens
       I_NMDA = gEEN * s_NMDA_tot * (V - V_E) / ( 1 + exp(-0.062 * V/mV) * (C/mmole / 3.57) ) : amp
       s_NMDA_tot : 1
       I_GABA = s_GABA * (V - V_I) : amp
       ds_GABA / dt = - s_GABA / tau_GABA : siemens
       I_AMPA_ext = s_AMPA_ext * (V - V_E) : amp
       ds_AMPA_ext / dt = - s_AMPA_ext / tau_AMPA : siemens
       ds_NMDA / dt = - s_NMDA / tau_NMDA_decay + alpha * x * (1 - s_NMDA) : 1
       dx / dt = - x / tau_NMDA_rise : 1
    """
    eqsI = """
       dV/dt = (- gLeakI * (V - El) - I_AMPA - I_NMDA - I_GABA - I_AMPA_ext) / CmI : volt (unless refractory)
       I_AMPA = s_AMPA * (V - V_E) : amp
       ds_AMPA / dt = - s_AMPA / tau_AMPA : siemens
       I_NMDA = gEIN * s_NMDA_tot * (V - V_E) / ( 1 + exp(-0.062 * V/mV) * (C/mmole / 3.57) ): amp
       s_NMDA_tot : 1
       I_GABA = s_GABA * (V - V_I) : amp
       ds_GABA / dt = - s_GABA / tau_GABA : siemens
       I_AMPA_ext = s_AMPA_ext * (V - V_E) : amp
       ds_AMPA_ext / dt = - s_AMPA_ext / tau_AMPA : siemens
    """
    t1 = time.perf_counter()
    popE = NeuronGroup(NE, eqsE, threshold="V > Vt", reset="V = Vr", refractory=2 * ms, method="euler", namespace=ns)
    popI = NeuronGroup(NI, eqsI, threshold="V > Vt", reset="V = Vr", refractory=1 * ms, method="euler", namespace=ns)
    popE1, popE2, popE3 = popE[:subN], popE[subN:2 * subN], popE[2 * subN:]
    popE1.label, popE2.label, popE3.label = 0, 1, 2
    gEEA, gEIA, gIE, gII = 0.05 * nS, 0.04 * nS, 1.3 * nS, 1.0 * nS
    C_EE_AMPA = Synapses(popE, popE, "w : siemens", on_pre="s_AMPA += w", delay=0.5 * ms, method="euler")
    C_EE_AMPA.connect()
    C_EE_AMPA.w[:] = gEEA
    C_EE_AMPA.w["label_pre == label_post and label_pre < 2"] = gEEA * Jp
    C_EE_AMPA.w["label_pre != label_post and label_post < 2"] = gEEA * Jm
    C_EI_AMPA = Synapses(popE, popI, on_pre="s_AMPA += gEIA", delay=0.5 * ms, namespace={"gEIA": gEIA})
    C_EI_AMPA.connect()
    C_EE_NMDA = Synapses(popE, popE, on_pre="x_pre += 1", delay=0.5 * ms)
    C_EE_NMDA.connect(j="i")
    sumgrp = NeuronGroup(3, "s : 1")
    NMDA_sum = Synapses(popE, sumgrp, "s_post = s_NMDA_pre : 1 (summed)")
    NMDA_sum.connect(j="label_pre")
    set_E = Synapses(sumgrp, popE, "w : 1 (constant)\ns_NMDA_tot_post = w*s_pre : 1 (summed)")
    set_E.connect()
    set_E.w = 1
    set_E.w["i == label_post and label_post < 2"] = Jp
    set_E.w["i != label_post and label_post < 2"] = Jm
    set_I = Synapses(sumgrp, popI, "s_NMDA_tot_post = s_pre : 1 (summed)")
    set_I.connect()
    C_IE = Synapses(popI, popE, on_pre="s_GABA += gIE", delay=0.5 * ms, namespace={"gIE": gIE})
    C_IE.connect()
    C_II = Synapses(popI, popI, on_pre="s_GABA += gII", delay=0.5 * ms, namespace={"gII": gII})
    C_II.connect()
    ext_E = PoissonInput(popE, "s_AMPA_ext", 1000, 2.4 * Hz, 2.1 * nS)  # noqa: F841 - collected by run()
    ext_I = PoissonInput(popI, "s_AMPA_ext", 1000, 2.4 * Hz, 1.62 * nS)  # noqa: F841
    n1, n2 = interval_rates(a.duration)
    k = len(n1)
    t_int = np.arange(k) * P["interval"]
    on = (t_int + P["interval"] > P["on"]) & (t_int < P["off"])
    r1 = np.clip(P["mu0"] + P["coh"] / 100 * P["mu1"] + n1, 0, None)
    r2 = np.clip(P["mu0"] - P["coh"] / 100 * P["mu1"] + n2, 0, None)
    stim1 = TimedArray(r1 * Hz, dt=P["interval"] * ms)
    stim2 = TimedArray(r2 * Hz, dt=P["interval"] * ms)
    on_t = (P["on"] * ms, P["off"] * ms)
    g1 = PoissonGroup(subN, rates="stim1(t) * int(t > t_on and t < t_off)", namespace={"stim1": stim1, "t_on": on_t[0], "t_off": on_t[1]})
    g2 = PoissonGroup(subN, rates="stim2(t) * int(t > t_on and t < t_off)", namespace={"stim2": stim2, "t_on": on_t[0], "t_off": on_t[1]})
    c1 = Synapses(g1, popE1, on_pre="s_AMPA_ext += 2.1*nS")
    c1.connect(j="i")
    c2 = Synapses(g2, popE2, on_pre="s_AMPA_ext += 2.1*nS")
    c2.connect(j="i")
    popE.V = -52 * mV
    popI.V = -52 * mV
    monE, monI = SpikeMonitor(popE), SpikeMonitor(popI)
    net = Network(collect())  # every object above, PoissonInputs included
    net.run(a.duration * ms)
    total = time.perf_counter() - t1
    run_s = device._last_run_time
    sizes = {"E1": subN, "E2": subN, "E3": NE - 2 * subN, "I": NI}
    iE = np.asarray(monE.i[:])
    counts = {"E1": int(np.sum(iE < subN)), "E2": int(np.sum((iE >= subN) & (iE < 2 * subN))),
              "E3": int(np.sum(iE >= 2 * subN)), "I": int(monI.num_spikes)}
    rates = {k2: counts[k2] / sizes[k2] / (a.duration / 1000.) for k2 in counts}
    print(json.dumps({"sim": "brian2", "model": "wang2002", "threads": 1, "duration_ms": a.duration, "seed": a.seed, "run_s": run_s,
                      "build_s": total - run_s, "import_s": t_import, "rates_hz": rates,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
