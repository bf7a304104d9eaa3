"""bp.measure against BrainPy 1.0.3's values (tests_py/reference/
make_brainpy1_measures.py) and against closed forms."""

import json
import os

import numpy as np
import pytest

import brainsyn as bp
from brainsyn import errors

REF = json.load(open(os.path.join(os.path.dirname(__file__), "reference", "brainpy1_measures.json")))
DT = REF["dt"]


def _spikes(entry):
    sp = np.zeros(entry["shape"], dtype=bool)
    sp[entry["rows"], entry["cols"]] = True
    return sp


SPIKES = [e for e in REF["measure"] if "rows" in e]
POTENTIALS = [e for e in REF["measure"] if "potentials" in e]


@pytest.mark.parametrize("entry", SPIKES)
def test_cross_correlation_matches_brainpy(entry):
    got = bp.measure.cross_correlation(_spikes(entry), entry["bin"], dt=DT)
    assert got == pytest.approx(entry["cross_correlation"], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("entry", SPIKES)
def test_firing_rate_is_brainpys_smoothed_count_in_hz(entry):
    """BrainPy 1.0 returned the smoothed spike count per step summed over
    the neurons; brainsyn divides it by the neurons and dt [s] (Hz)."""
    sp = _spikes(entry)
    n = sp.shape[1]
    for case in entry["firing_rate"]:
        got = bp.measure.firing_rate(sp, case["width"], window=case["window"], dt=DT)
        np.testing.assert_allclose(got * n * DT / 1000., case["value"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("entry", POTENTIALS)
def test_voltage_fluctuation_matches_brainpy(entry):
    got = bp.measure.voltage_fluctuation(np.array(entry["potentials"]))
    assert got == pytest.approx(entry["voltage_fluctuation"], rel=1e-10)


def test_synchrony_indices_at_their_limits():
    t = np.arange(2000)
    same = np.repeat((t % 100 == 0)[:, None], 8, axis=1)  # 8 neurons in lockstep
    assert bp.measure.cross_correlation(same, 1., dt=DT) == pytest.approx(1.)
    alternate = np.zeros((2000, 2), dtype=bool)
    alternate[::100, 0], alternate[50::100, 1] = True, True  # never in the same 1 ms bin
    assert bp.measure.cross_correlation(alternate, 1., dt=DT) == 0.
    v = np.sin(t / 50.)[:, None] * np.ones(8)
    assert bp.measure.voltage_fluctuation(v) == pytest.approx(1.)
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(20000, 50))
    assert bp.measure.voltage_fluctuation(noise) == pytest.approx(1 / 50, rel=0.1)  # independent: 1/N


def test_bins_count_whole_steps_exactly():
    """0.3 ms is 3 steps of 0.1 ms (BrainPy 1.0's int(0.3/0.1) made it 2):
    spikes 2 steps apart in one neuron and its partner share a 3-step bin."""
    sp = np.zeros((6, 2), dtype=bool)
    sp[0, 0], sp[2, 1] = True, True
    assert bp.measure.cross_correlation(sp, 0.3, dt=0.1) == 1.
    assert bp.measure.cross_correlation(sp, 0.2, dt=0.1) == 0.


def test_firing_rate_of_a_regular_population():
    """Every neuron spikes once every 10 ms: 100 Hz, away from the edges."""
    sp = np.zeros((5000, 20), dtype=bool)
    sp[::100] = True
    for window in ("gaussian", "flat"):
        r = bp.measure.firing_rate(sp, 5., window=window, dt=DT)
        assert r.shape == (5000,)
        assert r[1000:4000].mean() == pytest.approx(100., rel=1e-3)


def test_raster_plot_gives_index_and_time():
    sp = np.zeros((4, 3), dtype=bool)
    sp[1, 2] = sp[3, 0] = sp[3, 1] = True
    idx, t = bp.measure.raster_plot(sp, np.arange(4) * 0.1)
    assert idx.tolist() == [2, 0, 1] and t.tolist() == pytest.approx([0.1, 0.3, 0.3])


@pytest.mark.parametrize("call, match", [
    (lambda: bp.measure.firing_rate(np.zeros((10, 2)), 5., dt=DT), "more than the recording"),
    (lambda: bp.measure.firing_rate(np.zeros((100, 2)), 1., window="box", dt=DT), "window must be"),
    (lambda: bp.measure.firing_rate(np.zeros(100), 1., dt=DT), r"\(time × neuron\) matrix"),
    (lambda: bp.measure.firing_rate(np.zeros((100, 2)), -1., dt=DT), "width must be a finite number > 0"),
    (lambda: bp.measure.cross_correlation(np.zeros((100, 1)), 1., dt=DT), "at least two neurons"),
    (lambda: bp.measure.cross_correlation(np.zeros((100, 2)), 0.05, dt=DT), "shorter than one step"),
    (lambda: bp.measure.voltage_fluctuation(np.full((10, 2), np.nan)), "NaN"),
    (lambda: bp.measure.raster_plot(np.zeros((4, 2)), [0., 1.]), "2 times but 4 rows"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises(errors.BrainsynError, match=match):
        call()
