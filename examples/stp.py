"""Short-term plasticity (Tsodyks–Markram, BrainModels ``STP``): a depressing
and a facilitating synapse driven by the same 40 Hz train and a recovery
spike.

Writes docs/figures/stp.png (u, x and the synaptic current s of both).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(dt=0.1)

times = [10. + 25. * k for k in range(8)] + [450.]
kinds = {"depressing (U = 0.5, tau_f = 50 ms, tau_d = 750 ms)": dict(U=0.5, tau_f=50., tau_d=750.),
         "facilitating (U = 0.15, tau_f = 750 ms, tau_d = 50 ms)": dict(U=0.15, tau_f=750., tau_d=50.)}
fig, axes = plt.subplots(3, 1, figsize=(7, 6), sharex=True)
for label, p in kinds.items():
    pre = bm.neurons.SpikeTimeInput(1, times, [0] * len(times))
    post = bm.neurons.LIF(1, V_th=1e9)
    syn = bm.synapses.STP(pre, post, bp.connect.One2One(), monitors=['u', 'x', 's'], **p)
    net = bp.Network(pre, syn, post)
    net.run(600.)
    for ax, v in zip(axes, ['u', 'x', 's']):
        ax.plot(net.ts, getattr(syn.mon, v)[:, 0], label=label)
    print(f"{label.split()[0]}: u after spikes 1-3 = " +
          ", ".join(f"{syn.mon.u[int(round(t / 0.1)), 0]:.3f}" for t in times[:3]) +
          "; x = " + ", ".join(f"{syn.mon.x[int(round(t / 0.1)), 0]:.3f}" for t in times[:3]))
axes[0].set_ylabel('u (release prob.)')
axes[1].set_ylabel('x (resources)')
axes[2].set_ylabel('s [mV] (w = 1)')
axes[2].set_xlabel('time [ms]')
axes[0].legend(fontsize=8)
axes[0].set_title('Short-term plasticity: 40 Hz train, recovery spike at 450 ms')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "figures", "stp.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=110, bbox_inches="tight")
print(f"figure: {os.path.normpath(out)}")
