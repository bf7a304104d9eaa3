"""The BCM rule (BrainModels ``BCM``, BrainPy handbook §2.2): two groups
of ten input units fire in turn, 1 ms each, the first at rate 1.5, the
second at 1.0 (the handbook's example). The threshold r_th follows the
mean output rate; the stronger group ends above it and is potentiated to
w_max, the weaker one is depressed: the output unit becomes selective.

Writes docs/figures/bcm.png (input rates, output rate with r_th, mean
weights of each group against time).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(dt=0.1)

n_pre, w_max = 20, 2.
group1, duration = bp.inputs.constant_current(([1.5, 1], [0, 1]) * 100)
group2, _ = bp.inputs.constant_current(([0, 1], [1., 1]) * 100)
input_r = np.hstack([np.tile(group1[:, None], 10), np.tile(group2[:, None], 10)])

pre = bm.neurons.RateGroup(n_pre, monitors=['r'])
post = bm.neurons.RateGroup(1, monitors=['r'])
bcm = bm.synapses.BCM(pre, post, bp.connect.All2All(), lr=0.005, w_max=w_max, monitors=['w', 'r_th'])
net = bp.Network(pre, bcm, post)
net.run(duration, inputs=(pre, 'r', input_r, '='))

w1, w2 = bcm.mon.w[:, :10].mean(1), bcm.mon.w[:, 10:].mean(1)
fig, axs = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
axs[0].plot(net.ts, pre.mon.r[:, 0], 'b', lw=0.6, label='r, group 1')
axs[0].plot(net.ts, pre.mon.r[:, 10], 'r', lw=0.6, label='r, group 2')
axs[0].plot(net.ts, post.mon.r[:, 0], 'k', lw=0.6, label='r, output')
axs[0].plot(net.ts, bcm.mon.r_th[:, 0], 'g', label='threshold r_th')
axs[0].set_ylabel('rate (input units)')
axs[0].legend(fontsize=8, loc='upper left', ncol=2)
axs[1].plot(net.ts, w1, 'b', label='mean w, group 1')
axs[1].plot(net.ts, w2, 'r', label='mean w, group 2')
axs[1].set_ylim(0, w_max * 1.05)
axs[1].set_xlabel('Time [ms]')
axs[1].set_ylabel('weight (dimensionless)')
axs[1].legend(fontsize=8)
axs[0].set_title('BCM: the stronger input is selected')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "figures", "bcm.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=110, bbox_inches="tight")
print(f"final mean w: group 1 {w1[-1]:.3f}, group 2 {w2[-1]:.3f}; r_th {bcm.r_th[0]:.3f}; "
      f"figure: {os.path.normpath(out)}")
