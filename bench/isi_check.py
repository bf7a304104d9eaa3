"""The shortest interspike interval each simulator allows, in steps.

Neurons with t_ref = 2 ms at dt = 0.1 ms are driven so hard that one step
from V_reset crosses V_th: every interval is then the refractory rule's
shortest. Prints one JSON line per simulator: {interval in steps: count}.

    python bench/isi_check.py              # all (run with bench/.venv's python)
    python bench/isi_check.py --sim nest   # one
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from isi import isi_histogram  # noqa: E402

N, T_REF, DT, DURATION = 20, 2.0, 0.1, 200.0


def brainsyn(rule):
    import numpy as np

    import brainsyn as bp
    bp.backend.set(dt=DT)
    g = bp.neurons.LIF(N, monitors=bp.Monitor(['spike'], events=['spike']), V_rest=-60., V_reset=-60., V_th=-50.,
                       tau=20., t_refractory=T_REF, refractory_rule=rule)
    g.V = np.full(N, -60.)
    bp.Network(g).run(DURATION, inputs=[(g, 'input', 1e4)])
    ev = g.mon.spike
    return isi_histogram(ev["index"], ev["i"])


def brian2():
    from brian2 import NeuronGroup, SpikeMonitor, defaultclock, mV, ms, prefs, run
    prefs.codegen.target = "numpy"
    defaultclock.dt = DT * ms
    g = NeuronGroup(N, "dv/dt = (-(v + 60*mV) + 1e4*mV)/(20*ms) : volt (unless refractory)", threshold="v > -50*mV",
                    reset="v = -60*mV", refractory=T_REF * ms, method="euler")
    g.v = -60 * mV
    m = SpikeMonitor(g)
    run(DURATION * ms)
    return isi_histogram(m.i[:], m.t[:] / (DT * ms))


def nest():
    import nest as ns
    ns.set_verbosity("M_ERROR")
    ns.ResetKernel()
    ns.SetKernelStatus({"resolution": DT})
    g = ns.Create("iaf_cond_exp", N, params={"C_m": 200., "g_L": 10., "E_L": -60., "V_reset": -60., "V_th": -50.,
                                            "t_ref": T_REF, "I_e": 1e6, "V_m": -60.})
    r = ns.Create("spike_recorder")
    ns.Connect(g, r)
    ns.Simulate(DURATION)
    ev = r.events
    return isi_histogram(ev["senders"], [round(t / DT) for t in ev["times"]])


def annarchy():
    import ANNarchy as ann
    net = ann.Network(dt=DT, seed=1)
    net.config(suppress_warnings=True)
    nrn = ann.Neuron(parameters=dict(I=1e4), equations=["20. * dv/dt = -(v + 60.) + I"], spike="v > -50.",
                     reset="v = -60.", refractory=T_REF)
    pop = net.create(N, nrn)
    pop.v = -60.
    m = net.monitor(pop, ["spike"])
    net.compile(directory=tempfile.mkdtemp(prefix="isi_annarchy_"), silent=True)
    net.simulate(DURATION)
    sp = m.get("spike")
    return isi_histogram([k for k, v in sp.items() for _ in v], [x for v in sp.values() for x in v])


SIMS = {"brainsyn time": lambda: brainsyn("time"), "brainsyn brian2": lambda: brainsyn("brian2"),
        "brainsyn nest": lambda: brainsyn("nest"), "brian2": brian2, "nest": nest, "annarchy": annarchy}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", default=None)
    a = ap.parse_args()
    if a.sim:
        print(json.dumps({"sim": a.sim, "t_ref_ms": T_REF, "dt_ms": DT, "isi_steps": SIMS[a.sim]()}))
        return
    for s in SIMS:
        out = subprocess.run([sys.executable, __file__, "--sim", s], capture_output=True, text=True, cwd=HERE)
        line = [x for x in out.stdout.splitlines() if x.startswith("{")]
        print(line[-1] if line else json.dumps({"sim": s, "error": out.stderr[-500:]}), flush=True)


if __name__ == "__main__":
    main()
