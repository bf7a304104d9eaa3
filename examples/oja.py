"""Oja's rule (BrainModels ``Oja``, BrainPy handbook §2.2): two rate
patterns shown in turn to three input units; the weights onto the output
unit grow together while inputs fire together, then converge to the unit
principal eigenvector of the input correlation matrix (the closed form,
drawn dashed).

Writes docs/figures/oja.png (weights and |w| against time).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(dt=0.1)

x1, x2 = np.array([2., 1., 0.]), np.array([1., 1., 1.])  # the two patterns
duration, seg = 2000., 1.
n = int(round(duration / 0.1))
X = np.where(((np.arange(n) * 0.1) // seg % 2 == 0)[:, None], x1, x2)

pre = bm.neurons.RateGroup(3, monitors=['r'])
post = bm.neurons.RateGroup(1, monitors=['r'])
syn = bm.synapses.Oja(pre, post, bp.connect.All2All(), gamma=0.003, monitors=['w'])
net = bp.Network(pre, syn, post)
net.run(duration, inputs=(pre, 'r', X, '='))

C = (np.outer(x1, x1) + np.outer(x2, x2)) / 2
v = np.abs(np.linalg.eigh(C)[1][:, -1])  # unit principal eigenvector

fig, ax = plt.subplots(figsize=(7, 3.5))
for i in range(3):
    line, = ax.plot(net.ts, syn.mon.w[:, i], label=f'w from input {i}')
    ax.axhline(v[i], color=line.get_color(), ls='--', lw=0.8)
ax.plot(net.ts, np.linalg.norm(syn.mon.w, axis=1), 'k', lw=1, label='|w|')
ax.set_xlabel('Time [ms]')
ax.set_ylabel('weight (dimensionless)')
ax.set_title("Oja's rule: w → principal eigenvector (dashed)")
ax.legend(fontsize=8, loc='lower right')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "figures", "oja.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=110, bbox_inches="tight")
print(f"final w = {np.round(syn.w, 4)}, eigenvector = {np.round(v, 4)}, |w| = {np.linalg.norm(syn.w):.4f}; "
      f"figure: {os.path.normpath(out)}")
