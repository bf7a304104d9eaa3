"""Current-based vs conductance-based output of the same synapse, with a
2 ms delay (BrainPy handbook §2.1.1, "Current-based and Conductance-based
synapses").

Two presynaptic spikes (at 5 and 25 ms) reach LIF neurons held at different
potentials by a constant input through an Exponential synapse. The
current-based synapse adds w·s whatever the post V; the conductance-based
one adds −g_max·s·(V − E): with E = 8 mV it excites the neuron at 0 mV,
does nothing at 8 mV and inhibits at 16 mV. Both act 2 ms after the spike.

Writes docs/current_vs_conductance.png (synaptic effect on post V).
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brainsyn as bp  # noqa: E402

bp.backend.set(dt=0.1)
drives = np.array([0., 8., 16.])  # post neurons rest at V = drive (subthreshold)


def run(**syn_kw):
    pre = bp.neurons.SpikeTimeInput(1, times=[5., 25.], indices=[0, 0])
    post = bp.neurons.LIF(3, monitors=['V'])
    post.V = bp.ops.as_tensor(drives.copy())
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), tau=5., delay=2., **syn_kw)
    net = bp.Network(pre, syn, post)
    net.run(50., inputs=(post, 'input', drives))
    return net.ts, post.mon.V - drives  # deviation from the synapse-free steady state


ts, dv_cur = run(output='current', w=2.)
_, dv_cond = run(output='conductance', g_max=0.3, E=8.)

fig, gs = bp.visualize.get_figure(row_num=1, col_num=2, row_len=3, col_len=5)
for k, (dv, title) in enumerate([(dv_cur, 'current-based, w = 2'), (dv_cond, 'conductance-based, E = 8 mV')]):
    fig.add_subplot(gs[0, k])
    for j, d in enumerate(drives):
        plt.plot(ts, dv[:, j], label=f'V = {d:g} mV')
    plt.axvline(7., color='gray', lw=0.5)
    plt.axvline(27., color='gray', lw=0.5)
    plt.xlabel('Time (ms)')
    plt.ylabel('V − V without synapse (mV)')
    plt.title(title)
    plt.legend()
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "current_vs_conductance.png")
os.makedirs(os.path.dirname(out), exist_ok=True)
fig.savefig(out, dpi=120, bbox_inches="tight")
print(f"peak effect: current {dv_cur[np.abs(dv_cur).argmax(axis=0), [0, 1, 2]].round(3)}, "
      f"conductance {dv_cond[np.abs(dv_cond).argmax(axis=0), [0, 1, 2]].round(3)}; "
      f"figure: {os.path.normpath(out)}")
