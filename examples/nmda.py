"""NMDA synapse driven by LIF neurons, integrated with rk4 as the tutorial's
class is (BrainPy handbook §2.1.1, "NMDA Synapse"; reference §5.1).

Writes docs/nmda.png (s of synapse 0).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(backend='numba', dt=0.1)

neu1 = bm.neurons.LIF(2, monitors=['V'])
neu2 = bm.neurons.LIF(3, monitors=['V'])
syn = bm.synapses.NMDA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], method='rk4')
net = bp.Network(neu1, syn, neu2)
net.run(30., inputs=(neu1, 'input', 35.))

fig = plt.figure(figsize=(6, 3))
bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s (dimensionless)', title='NMDA (rk4)', show=False)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "nmda.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
s = syn.mon.s[:, 0]
print(f"s = {s[150]:.4f} at 15.0 ms, max {s.max():.4f}, final {s[-1]:.4f}; figure: {os.path.normpath(out)}")
