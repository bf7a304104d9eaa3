"""Every neuron model of brainsyn driven through a synapse: one neuron,
Poisson spikes (5 sources of 40 Hz) through an Exponential current
synapse; the synaptic current and V against time, one figure per model.

    python examples/neuron_models.py               # every model
    python examples/neuron_models.py AdExIF GIF    # the ones named

Writes docs/figures/neuron_<Model>.png and prints each model's spikes.
"""

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import brainsyn as bp  # noqa: E402

bp.backend.set(dt=0.1)

# Weight of the synapse for each model: enough drive for a few spikes in
# 300 ms (the models' V and currents have different scales); V's unit.
DRIVE = {"LIF": (20, "mV"), "HH": (8, "mV"), "ExpIF": (2, "mV"), "AdExIF": (8, "mV"), "QuaIF": (8, "mV"),
         "AdQuaIF": (20, "mV"), "Izhikevich": (8, "mV"), "GIF": (1.2, "mV"), "FHN": (0.8, None),
         "HindmarshRose": (2, None), "MorrisLecar": (70, "mV")}


def drive(name, w, v_unit, T=300.):
    """Runs model `name` driven through the synapse; returns t, I_syn, V
    and the spike times."""
    pre = bp.neurons.PoissonInput(1, freqs=40., sources=5, seed=7)
    neu = getattr(bp.neurons, name)(1, monitors=['V', 'spike'])
    syn = bp.synapses.Exponential(pre, neu, bp.connect.All2All(), w=w, monitors=['s'])
    net = bp.Network(pre, syn, neu)
    net.run(T)
    t = np.asarray(net.ts)
    spikes = t[np.asarray(neu.mon.spike)[:, 0].astype(bool)]
    return t, w * np.asarray(syn.mon.s)[:, 0], np.asarray(neu.mon.V)[:, 0], spikes


def plot(name, w, v_unit, out):
    t, i_syn, v, spikes = drive(name, w, v_unit)
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(7, 4))
    ax1.plot(t, i_syn, color='tab:orange')
    ax1.set_ylabel('I_syn = w·s')
    ax2.plot(t, v)
    ax2.plot(spikes, np.full(len(spikes), v.max()), 'k|', ms=8, label='spikes')
    ax2.set_ylabel(f'V [{v_unit}]' if v_unit else 'V (dimensionless)')
    ax2.set_xlabel('t [ms]')
    ax2.legend(loc='lower right')
    ax1.set_title(f'{name} driven through an Exponential synapse (w = {w})')
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    plt.close(fig)
    print(f'{name}: {len(spikes)} spikes in 300 ms, first at {np.round(spikes[:3], 1)} ms')


if __name__ == "__main__":
    # Paths among the arguments belong to a runner that runs this file
    # among others (tests_py/test_examples.py); the rest are model names.
    names = [a for a in sys.argv[1:] if not os.path.exists(a)] or sorted(DRIVE)
    unknown = [n for n in names if n not in DRIVE]
    if unknown:
        sys.exit(f"unknown model(s) {unknown}; choose from {sorted(DRIVE)}")
    here = os.path.dirname(os.path.abspath(__file__))
    figures = os.path.join(here, os.pardir, "docs", "figures")
    os.makedirs(figures, exist_ok=True)
    for name in names:
        plot(name, *DRIVE[name], os.path.join(figures, f"neuron_{name}.png"))
