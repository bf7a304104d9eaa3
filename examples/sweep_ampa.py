"""Sweep the AMPA synapse's g_max and T_duration over a small network and plot
the postsynaptic firing rate as a heat map (docs/sweep_ampa.png).

100 Poisson neurons (20 Hz) → AMPA (20 % connectivity) → 50 LIF neurons,
0.5 s simulated per point, 6 × 6 grid points × 2 trials = 72 tasks, run on a
local Dask cluster of 2 worker processes (under a minute on two cores).
On a cluster, pass ``client=Client(...)`` to ``bp.sweep``: nothing else
changes (docs/sweeps.md).

    python examples/sweep_ampa.py [n_workers]
"""

import os
import sys
import time

import brainsyn as bp


def post_rate(g_max, T_duration, seed, duration=500.0):
    """Mean firing rate [Hz] of the postsynaptic LIF group.

    ``seed`` comes from the sweep (one per point and trial); every random
    part of the model takes it, so the sweep is reproducible.
    """
    pre = bp.neurons.PoissonInput(100, freqs=20.0, seed=seed)
    post = bp.neurons.LIF(50, V_rest=-65.0, V_reset=-70.0, V_th=-50.0, tau=10.0, monitors=['spike'])
    post.V = -65.0
    syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.FixedProb(0.2, seed=seed + 1),
                           g_max=g_max, T_duration=T_duration)
    net = bp.Network(pre, syn, post)
    net.run(duration)
    return post.mon.spike.sum() / post.num / (duration / 1000.0)


def main(n_workers=2):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = {"g_max": [0.1, 0.16, 0.25, 0.4, 0.8, 1.6], "T_duration": [0.25, 0.5, 0.75, 1.0, 1.5, 2.0]}
    t0 = time.perf_counter()
    ds = bp.sweep(post_rate, grid, seeds=2, seed=2024, n_workers=n_workers, name="rate")
    elapsed = time.perf_counter() - t0
    rate = ds["rate"].mean("trial")  # dims (g_max, T_duration)

    fig, ax = plt.subplots(figsize=(5.5, 4))
    im = ax.imshow(rate.values, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(rate.sizes["T_duration"]), [f"{v:g}" for v in rate.T_duration.values])
    ax.set_yticks(range(rate.sizes["g_max"]), [f"{v:g}" for v in rate.g_max.values])
    ax.set_xlabel("T_duration (ms)")
    ax.set_ylabel("g_max (dimensionless, R·g)")
    ax.set_title("AMPA: postsynaptic LIF rate (mean of 2 trials)")
    fig.colorbar(im, ax=ax, label="rate (Hz)")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "docs", "sweep_ampa.png")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    print(f"{ds.attrs['n_tasks']} tasks on {n_workers} workers in {elapsed:.1f} s; "
          f"rate from {float(rate.min()):.1f} to {float(rate.max()):.1f} Hz; figure: {os.path.normpath(out)}")
    return ds


# Workers are spawned: they import this file as a module, so the sweep must
# only start when it is run as a script.
if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
