"""Gap junction between two LIF neurons: a current w·(V0 − V1) and a
spikelet of w·k_spikelet mV on each presynaptic spike (BrainPy handbook
§2.1.2, "Electrical Synapses"; reference §5.3).

Writes docs/gap_junction.png (V of both neurons).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(backend='numba', dt=0.1)

neu0 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
neu0.V = bp.ops.ones(neu0.V.shape) * -10.
neu1 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
neu1.V = bp.ops.ones(neu1.V.shape) * -10.
syn = bp.synapses.Gap_junction(pre=neu0, post=neu1, conn=bp.connect.All2All(), k_spikelet=5.)
syn.w = bp.ops.ones(syn.w.shape) * .5
net = bp.Network(neu0, neu1, syn)
net.run(100., inputs=(neu0, 'input', 30.))

fig, gs = bp.visualize.get_figure(row_num=2, col_num=1)
fig.add_subplot(gs[1, 0])
plt.plot(net.ts, neu0.mon.V[:, 0], label='V0')
plt.legend()
plt.xlabel('Time (ms)')
plt.ylabel('V (mV)')
fig.add_subplot(gs[0, 0])
plt.plot(net.ts, neu1.mon.V[:, 0], label='V1')
plt.legend()
plt.ylabel('V (mV)')
plt.title('gap junction: neu0 → neu1')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "gap_junction.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
print(f"V1 = {neu1.mon.V[138, 0]:.3f} at 13.8 ms (spikelet), V0 = {neu0.mon.V[-1, 0]:.3f} at 99.9 ms; "
      f"figure: {os.path.normpath(out)}")
