"""Spike-timing-dependent plasticity (BrainModels ``STDP``): the weight
change of one pre/post pair against the time between the two spikes (the
STDP window), each pair on its own synapse.

Writes docs/figures/stdp.png (Δw against Δt = t_post − t_pre).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp
bp.backend.set(dt=0.1)

dts = np.round(np.arange(-50., 50.1, 2.5), 1)
dts = dts[dts != 0]
t0 = 60.
pre_t = [t0 if d > 0 else t0 - d for d in dts]
post_t = [t0 + d if d > 0 else t0 for d in dts]
n = len(dts)
pre = bm.neurons.SpikeTimeInput(n, pre_t, list(range(n)))
post = bm.neurons.SpikeTimeInput(n, post_t, list(range(n)))
p = dict(tau_pre=16.8, tau_post=33.7, A_pre=0.01, A_post=0.0105, w=0.5)
syn = bm.synapses.STDP(pre, post, bp.connect.One2One(), monitors=['w'], **p)
net = bp.Network(pre, post, syn)
net.run(150.)
dw = syn.mon.w[-1] - p['w']

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(dts, dw, 'o', label='brainsyn STDP')
x = np.linspace(-50, 50, 401)
ax.plot(x, np.where(x > 0, p['A_pre'] * np.exp(-x / p['tau_pre']), -p['A_post'] * np.exp(x / p['tau_post'])),
        '-', lw=1, label='A_pre·exp(−Δt/τ_pre), −A_post·exp(Δt/τ_post)')
ax.axhline(0, color='k', lw=0.5)
ax.set_xlabel('Δt = t_post − t_pre [ms]')
ax.set_ylabel('Δw (dimensionless)')
ax.set_title('STDP window (one pair per synapse)')
ax.legend(fontsize=8)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "figures", "stdp.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=110, bbox_inches="tight")
print(f"Δw at Δt = +2.5 ms: {dw[dts == 2.5][0]:.5f}, at −2.5 ms: {dw[dts == -2.5][0]:.5f}; figure: {os.path.normpath(out)}")
