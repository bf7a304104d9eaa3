"""bp.visualize: assertions on the drawn data (Agg backend), not pixels."""

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _spiking_net(bp, events):
    mon = bp.Monitor(["spike"], events=["spike"]) if events else ["spike"]
    neu = bp.neurons.LIF(4, monitors=mon)
    net = bp.Network(neu)
    net.run(40., inputs=(neu, "input", np.array([25., 30., 35., 0.])))
    return net, neu


def test_get_figure_size_and_grid(bp):
    fig, gs = bp.visualize.get_figure(2, 3, row_len=2, col_len=4)
    assert tuple(fig.get_size_inches()) == (12, 4)
    assert (gs.nrows, gs.ncols) == (2, 3)


def test_line_plot_data_legend_limits_and_ax(bp):
    ts = np.arange(0, 5, 0.1)
    val = np.stack([np.sin(ts), np.cos(ts), ts], axis=1)
    fig, ax = plt.subplots()
    out = bp.visualize.line_plot(ts, val, plot_ids=[0, 2], ax=ax, legend="syn", xlim=(0, 4), ylim=(-2, 6),
                                 ylabel="s", title="T")
    assert out is ax
    lines = ax.get_lines()
    assert len(lines) == 2
    assert np.array_equal(lines[0].get_xdata(), ts) and np.array_equal(lines[0].get_ydata(), val[:, 0])
    assert np.array_equal(lines[1].get_ydata(), val[:, 2])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["syn-0", "syn-2"]
    assert ax.get_xlim() == (0, 4) and ax.get_ylim() == (-2, 6)
    assert ax.get_ylabel() == "s" and ax.get_xlabel() == "Time (ms)" and ax.get_title() == "T"


def test_line_plot_defaults_to_first_column_on_current_axes(bp):
    ts = np.arange(3.)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Agg cannot show; show=True must still work
        ax = bp.visualize.line_plot(ts, np.arange(6.).reshape(3, 2), show=True)
    assert ax is plt.gca() and len(ax.get_lines()) == 1
    assert np.array_equal(ax.get_lines()[0].get_ydata(), [0., 2., 4.])
    assert ax.get_legend() is None
    with pytest.raises(bp.errors.BrainsynIndexError, match="plot_ids has 5, but there are 2 columns"):
        bp.visualize.line_plot(ts, np.zeros((3, 2)), plot_ids=[5])
    with pytest.raises(bp.errors.BrainsynValueError, match="3 times but 4 rows"):
        bp.visualize.line_plot(ts, np.zeros((4, 2)))


def test_raster_plot_matrix_and_event_forms_draw_the_same_points(bp):
    net, neu = _spiking_net(bp, events=False)
    sp = neu.mon.spike
    t_idx, n_idx = np.nonzero(sp)
    assert len(t_idx) > 5 and 3 not in n_idx
    ax = bp.visualize.raster_plot(net.ts, sp, ax=plt.figure().gca())
    (line,) = ax.get_lines()
    assert np.allclose(line.get_xdata(), net.ts[t_idx]) and np.array_equal(line.get_ydata(), n_idx)

    net2, neu2 = _spiking_net(bp, events=True)
    ev = neu2.mon.spike
    assert ev.dtype.names == ("i", "index") and len(ev) == len(t_idx)
    ax2 = bp.visualize.raster_plot(net2.ts, ev, ax=plt.figure().gca())
    (line2,) = ax2.get_lines()
    got = sorted(zip(line2.get_xdata(), line2.get_ydata()))
    assert np.allclose(got, sorted(zip(net.ts[t_idx], n_idx)))


def test_firing_rate_against_hand_counts(bp):
    dt = 0.1
    sp = np.zeros((10, 4), bool)
    sp[2, [0, 1]] = True          # 2 spikes at step 2
    sp[5, 3] = True               # 1 spike at step 5
    r = bp.visualize.firing_rate(sp, width=dt, dt=dt)   # no smoothing
    expect = np.zeros(10)
    expect[2] = 2 / 4 / (dt / 1000)   # 5000 Hz
    expect[5] = 1 / 4 / (dt / 1000)   # 2500 Hz
    assert np.allclose(r, expect)
    r3 = bp.visualize.firing_rate(sp, width=0.3, dt=dt)  # flat window of 3 steps
    assert np.isclose(r3[2], 5000 / 3) and np.isclose(r3[1], 5000 / 3) and np.isclose(r3[4], 2500 / 3)
    assert np.isclose(r3.sum(), r.sum())  # smoothing keeps the spike count


def test_binned_rate_and_rate_plot(bp):
    net, neu = _spiking_net(bp, events=False)
    sp = neu.mon.spike
    t, r = bp.visualize.binned_rate(net.ts, sp, width=10.)
    assert np.allclose(t, [0., 10., 20., 30.])
    counts = sp.reshape(4, 100, 4).sum(axis=(1, 2))
    assert np.allclose(r, counts / 4 / 0.010)      # spikes / neurons / 10 ms
    _, neu_ev = _spiking_net(bp, events=True)
    t2, r2 = bp.visualize.binned_rate(net.ts, neu_ev.mon.spike, width=10., num_neurons=4)
    assert np.allclose(r2, r)
    ax = bp.visualize.rate_plot(net.ts, sp, width=10., binned=True, ax=plt.figure().gca())
    assert np.allclose(ax.get_lines()[0].get_ydata()[:4], r)
    ax = bp.visualize.rate_plot(net.ts, sp, width=2., ax=plt.figure().gca())
    assert np.allclose(ax.get_lines()[0].get_ydata(), bp.visualize.firing_rate(sp, 2.))
    assert ax.get_ylabel() == "Rate (Hz)"


def test_firing_rate_gives_one_value_per_step_and_refuses_bad_widths(bp):
    dt = 0.1
    sp = np.zeros((40, 2), bool)
    sp[[0, 3, 20, 39], 0] = True
    rate = sp.sum(axis=1) / 2 / (dt / 1000)
    # Gaussian tails (±4σ = ±4 ms = ±40 steps) reach past both ends of 4 ms.
    g = bp.visualize.firing_rate(sp, width=2., dt=dt, window="gaussian")
    sigma = 10.
    x = np.arange(-4 * sigma, 4 * sigma + 1)
    w = np.exp(-0.5 * (x / sigma) ** 2)
    w /= w.sum()
    c = (len(w) - 1) // 2
    expect = [sum(rate[j] * w[c + i - j] for j in range(40) if 0 <= c + i - j < len(w)) for i in range(40)]
    assert g.shape == (40,) and np.allclose(g, expect)
    assert bp.visualize.firing_rate(sp, width=4., dt=dt).shape == (40,)  # the whole recording
    assert bp.visualize.firing_rate(np.zeros((0, 3)), width=1., dt=dt).shape == (0,)
    for width in (4.2, 1e308, float("inf"), float("nan"), 0., -1., "2"):
        with pytest.raises(bp.errors.BrainsynValueError, match="width"):
            bp.visualize.firing_rate(sp, width=width, dt=dt)
    with pytest.raises(bp.errors.BrainsynValueError, match="dt"):
        bp.visualize.firing_rate(sp, width=1., dt=0.)


def test_binned_rate_with_a_bin_longer_than_the_recording(bp):
    ts = np.arange(40) * 0.1
    sp = np.zeros((40, 2), bool)
    sp[[0, 3, 20, 39], 0] = True
    for width in (4., 1e308):
        t, r = bp.visualize.binned_rate(ts, sp, width=width)
        assert t.tolist() == [0.] and np.allclose(r, [4 / 2 / 0.004])  # 4 spikes, 2 neurons, 4 ms
    for width in (float("inf"), float("nan"), -2.):
        with pytest.raises(bp.errors.BrainsynValueError, match="width"):
            bp.visualize.binned_rate(ts, sp, width=width)


def test_raster_plot_needs_times_for_every_spike(bp):
    _, neu = _spiking_net(bp, events=True)
    ev = neu.mon.spike
    assert len(ev) > 0
    with pytest.raises(bp.errors.BrainsynValueError, match="need ts, a 1-D array"):
        bp.visualize.raster_plot(None, ev, ax=plt.figure().gca())  # was an IndexError
    with pytest.raises(bp.errors.BrainsynValueError, match=r"spike events at step \d+ but ts has 3 times"):
        bp.visualize.raster_plot(np.arange(3) * 0.1, ev, ax=plt.figure().gca())


def test_raster_plot_of_no_steps_is_empty(bp):
    """A run of no steps gives a (0, n) spike matrix: an empty raster, not a
    numpy reshape error."""
    ax = bp.visualize.raster_plot(np.zeros(0), np.zeros((0, 3)), ax=plt.figure().gca())
    assert ax.lines[0].get_xdata().size == 0
    with pytest.raises(bp.errors.BrainsynValueError, match="got a scalar"):
        bp.visualize.raster_plot(np.zeros(1), 1.0, ax=plt.figure().gca())
