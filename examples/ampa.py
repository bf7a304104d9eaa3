"""AMPA synapse driven by LIF neurons: the first figure of the chapter
"Synaptic Models" (BrainPy handbook §2.1.1), written as the tutorial writes it.

Writes docs/ampa.png (the gating variable s of synapse 0).
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
syn = bm.synapses.AMPA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], T_duration=3.)
net = bp.Network(neu1, syn, neu2)
net.run(30., inputs=(neu1, 'input', 35.))

fig = plt.figure(figsize=(6, 3))
bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s (dimensionless)', title='AMPA, T_duration = 3 ms', show=False)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "ampa.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
s = syn.mon.s[:, 0]
print(f"s peaks at {s.max():.4f} (t = {net.ts[s.argmax()]:.1f} ms), ends at {s[-1]:.4f}; figure: {os.path.normpath(out)}")
