"""GABA_B synapse: one presynaptic spike, then a slow second-messenger
response (BrainPy handbook §2.1.1, "GABA_B Synapse"; reference §5.2).
Integrated with rk4 as the tutorial's class is.

Writes docs/gabab.png (s of synapse 0).
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
syn = bm.synapses.GABAb(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], method='rk4')
net = bp.Network(neu1, syn, neu2)
# 25 for 20 ms (one pre spike, at 16.0 ms), then nothing for 1000 ms.
I, dur = bp.inputs.constant_current([(25, 20), (0, 1000)])
net.run(dur, inputs=(neu1, 'input', I))

fig = plt.figure(figsize=(6, 3))
bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s (dimensionless)', title='GABA_B (rk4)', show=False)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "gabab.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
s = syn.mon.s[:, 0]
print(f"s max {s.max():.4e} at {net.ts[s.argmax()]:.1f} ms, {s[-1]:.3e} at {net.ts[-1]:.1f} ms; "
      f"figure: {os.path.normpath(out)}")
