"""A PoissonInput reads its rates when a run starts; a change during the
run counts from the step it is made, whether an input writes freqs or a
model stepped from Python does."""

import numpy as np

import brainsyn as bp


def _spikes_per_step(mon):
    return np.asarray(mon.spike).sum(axis=1)


def test_an_input_on_freqs_counts_from_its_step():
    src = bp.neurons.PoissonInput(200, freqs=0., seed=2, monitors=['spike'])
    rates = np.where(np.arange(100) < 50, 0., 2000.)  # silent, then 20 % a step
    net = bp.Network(src)
    net.run(10., inputs=[(src, 'freqs', rates, '=')])
    n = _spikes_per_step(src.mon)
    assert n[:50].sum() == 0
    assert n[50:].mean() > 20


def test_a_python_model_writing_freqs_counts_from_its_step():
    src = bp.neurons.PoissonInput(200, freqs=0., seed=2, monitors=['spike'])

    class Switch(bp.NeuGroup):
        target_backend = 'general'

        def __init__(self, **kwargs):
            super().__init__(1, **kwargs)

        def update(self, _t, _i):
            if _i == 50:
                src.freqs[:] = 2000.

    net = bp.Network(Switch(), src)
    net.run(10.)
    n = _spikes_per_step(src.mon)
    # The model runs before the generator in each step: step 50 draws at
    # the new rate.
    assert n[:50].sum() == 0
    assert n[50:].mean() > 20


def test_freqs_set_between_runs_counts():
    src = bp.neurons.PoissonInput(200, freqs=0., seed=2, monitors=['spike'])
    net = bp.Network(src)
    net.run(5.)
    assert _spikes_per_step(src.mon).sum() == 0
    src.freqs[:] = 2000.
    net.run(5.)
    assert _spikes_per_step(src.mon).mean() > 20
    # one rate again, then one neuron apart: both ways draw
    src.freqs[:] = 0.
    src.freqs[7] = 5000.
    net.run(5.)
    n = np.asarray(src.mon.spike)
    assert n[:, 7].sum() > 20 and n.sum() == n[:, 7].sum()
