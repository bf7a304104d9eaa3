"""The chapter's AMPA declared for the engine (docs/native_models.md).

The derivative is the chapter's; declared as a bp.NativeSynapse it runs in
the Go step loop instead of calling Python every step. Prints the
tutorial's reference numbers (peak 0.6542 at 22.1 ms, final 0.1607) and
writes docs/native_ampa.png.
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import brainsyn as bp  # noqa: E402

bm = bp


class AMPA(bp.NativeSynapse):
    state = {'s': 0.}
    params = dict(alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)
    pulse = True
    method = 'exponential_euler'

    @staticmethod
    def derivative(s, t, TT, alpha, beta):
        return alpha * TT * (1 - s) - beta * s


neu1 = bm.neurons.LIF(2, monitors=['V'])
neu2 = bm.neurons.LIF(3, monitors=['V'])
syn = AMPA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], T_duration=3.)
net = bp.Network(neu1, syn, neu2)
net.run(30., inputs=(neu1, 'input', 35.))

fig = plt.figure(figsize=(6, 3))
bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s (dimensionless)', title='declared AMPA (runs in the engine)')
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "native_ampa.png")
fig.savefig(out, dpi=120, bbox_inches="tight")
s = syn.mon.s[:, 0]
print(f"s peaks at {s.max():.4f} (t = {net.ts[s.argmax()]:.1f} ms), ends at {s[-1]:.4f}")
