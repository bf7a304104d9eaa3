"""Alpha synapse (tau = 3, rk4) driven by LIF neurons through the tutorial's run_syn
(BrainPy handbook §2.1.1, "Abstract reduced models", (2); reference §5.1).

Writes docs/alpha.png (s of synapse 0).
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
syn = bm.synapses.Alpha(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], tau=3., method='rk4')
net = bp.Network(neu1, syn, neu2)
net.run(30., inputs=(neu1, 'input', 35.))

fig = plt.figure(figsize=(6, 3))
bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s (ms)', title='Alpha synapse (tau = 3, rk4)', show=False)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "alpha.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
s = syn.mon.s[:, 0]
print(f"s max {s.max():.4f} at {net.ts[s.argmax()]:.1f} ms; figure: {os.path.normpath(out)}")
