"""Plots (``bp.visualize``), drawn with matplotlib."""

import math
import numbers

import numpy as np

from . import errors

__all__ = ["get_figure", "line_plot", "raster_plot", "firing_rate", "binned_rate", "rate_plot"]


def _plt():
    import matplotlib.pyplot as plt
    return plt


def get_figure(row_num, col_num, row_len=3, col_len=6):
    """A figure of size (col_num·col_len, row_num·row_len) [inches] and its GridSpec.

    Returns ``(fig, gs)``; add panels with ``fig.add_subplot(gs[i, j])``.
    """
    plt = _plt()
    from matplotlib.gridspec import GridSpec
    fig = plt.figure(figsize=(col_num * col_len, row_num * row_len), constrained_layout=True)
    return fig, GridSpec(row_num, col_num, figure=fig)


def line_plot(ts, val_matrix, plot_ids=None, ax=None, xlim=None, ylim=None, xlabel="Time (ms)", ylabel=None,
              xticks=None, yticks=None, legend=None, title=None, show=False):
    """Plot columns of a (time × element) matrix against time [ms].

    ``plot_ids`` selects the columns (default ``[0]``, as in BrainPy 1.0);
    with ``legend`` the lines are labelled ``'{legend}-{id}'``. Draws on
    ``ax`` (default: the current axes) and returns it.
    """
    plt = _plt()
    ts = np.asarray(ts)
    val = np.asarray(val_matrix)
    if val.ndim == 1:
        val = val[:, None]
    val = val.reshape(val.shape[0], -1)
    if val.shape[0] != ts.shape[0]:
        raise errors.BrainsynValueError(f"line_plot: {ts.shape[0]} times but {val.shape[0]} rows of values")
    ids = [0] if plot_ids is None else list(np.atleast_1d(plot_ids))
    for i in ids:
        if not 0 <= i < val.shape[1]:
            raise errors.BrainsynIndexError(f"line_plot: plot_ids has {i}, but there are {val.shape[1]} columns")
    ax = plt.gca() if ax is None else ax
    for i in ids:
        ax.plot(ts, val[:, i], label=None if legend is None else f"{legend}-{i}")
    if xlim is not None:
        ax.set_xlim(xlim)
    if ylim is not None:
        ax.set_ylim(ylim)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if xticks is not None:
        ax.set_xticks(xticks)
    if yticks is not None:
        ax.set_yticks(yticks)
    if legend is not None:
        ax.legend()
    if title:
        ax.set_title(title)
    if show:
        plt.show()
    return ax


def _spike_pairs(ts, sp):
    sp = np.asarray(sp)
    try:
        ts = np.asarray(ts, dtype=float)
    except (TypeError, ValueError):
        ts = None
    if ts is None or ts.ndim != 1:
        raise errors.BrainsynValueError("the spike times need ts, a 1-D array of the run's times [ms] (net.ts)")
    if sp.dtype.names and "index" in sp.dtype.names:  # event monitor
        if sp.size and sp["i"].max() >= ts.size:
            raise errors.BrainsynValueError(f"spike events at step {sp['i'].max()} but ts has {ts.size} times")
        return ts[sp["i"]], sp["index"]
    if sp.ndim == 0:
        raise errors.BrainsynValueError("the spikes must be a (time × neuron) matrix or spike events, got a scalar")
    sp = sp.reshape(sp.shape[0], int(np.prod(sp.shape[1:])))  # (0, n) too: a run of no steps
    if sp.shape[0] != ts.shape[0]:
        raise errors.BrainsynValueError(f"{ts.shape[0]} times but {sp.shape[0]} rows of spikes")
    t_idx, n_idx = np.nonzero(sp > 0)
    return ts[t_idx], n_idx


def raster_plot(ts, sp_matrix, ax=None, marker=".", markersize=2, color="k", xlabel="Time (ms)",
                ylabel="Neuron index", xlim=None, ylim=None, title=None, show=False):
    """Dots at (time [ms], neuron index) of every spike.

    ``sp_matrix`` is a (time × neuron) spike matrix, or the event array of a
    spike monitor recorded with ``events=['spike']``.
    """
    plt = _plt()
    t, n = _spike_pairs(ts, sp_matrix)
    ax = plt.gca() if ax is None else ax
    ax.plot(t, n, marker, markersize=markersize, color=color, linestyle="none")
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if xlim is not None:
        ax.set_xlim(xlim)
    if ylim is not None:
        ax.set_ylim(ylim)
    if title:
        ax.set_title(title)
    if show:
        plt.show()
    return ax


def firing_rate(sp_matrix, width, dt=None, ts=None, num_neurons=None, window="flat"):
    """Population firing rate [Hz] at every time step.

    Spike counts of all neurons per step are divided by the number of
    neurons and dt, then smoothed with a window of ``width`` [ms]
    (``'flat'`` moving average or ``'gaussian'`` with σ = width/2), one
    value per step. ``sp_matrix`` is a (time × neuron) matrix, or event
    spikes with ``ts`` and ``num_neurons`` given. A window longer than the
    recording is refused (BrainPy returned an array longer than the
    recording).
    """
    from . import backend
    dt = backend.get_dt() if dt is None else dt
    _check_interval("firing_rate: dt", dt)
    _check_interval("firing_rate: width", width)
    sp = np.asarray(sp_matrix)
    if sp.dtype.names:
        if ts is None or num_neurons is None:
            raise errors.BrainsynValueError("firing_rate of event spikes needs ts= and num_neurons=")
        counts = np.bincount(sp["i"], minlength=len(ts)).astype(float)
        n = num_neurons
    else:
        sp = sp.reshape(sp.shape[0], int(np.prod(sp.shape[1:])))
        counts = sp.sum(axis=1).astype(float)
        n = sp.shape[1]
    rate = counts / n / (dt / 1000.0)
    if rate.size == 0:
        return rate
    if width > rate.size * dt:
        raise errors.BrainsynValueError(
            f"firing_rate: width {width} ms is longer than the recording ({rate.size} steps of {dt} ms)")
    k = max(1, int(round(width / dt)))
    if window == "flat":
        kern = np.ones(k) / k
    elif window == "gaussian":
        sigma = k / 2
        x = np.arange(-4 * sigma, 4 * sigma + 1)
        kern = np.exp(-0.5 * (x / sigma) ** 2)
        kern /= kern.sum()
    else:
        raise errors.BrainsynValueError(f"window must be 'flat' or 'gaussian', got {window!r}")
    # The part of the full convolution that mode='same' returns for a
    # window shorter than the rate: one value per step even when the
    # gaussian's tails reach past the recording.
    c = (kern.size - 1) // 2
    return np.convolve(rate, kern, mode="full")[c:c + rate.size]


def _check_interval(what, x):
    """A time interval [ms] must be a finite number > 0."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or x <= 0:
        raise errors.BrainsynValueError(f"{what} must be a finite number > 0 [ms], got {x!r}")


def binned_rate(ts, sp_matrix, width, num_neurons=None):
    """Population rate [Hz] in consecutive bins of ``width`` [ms].

    Returns ``(t_bins, rate)``: the start time [ms] of each bin and the
    spikes in it divided by the number of neurons and the bin's length (a
    last, shorter bin is divided by its own length). ``sp_matrix`` is a
    (time × neuron) matrix, or event spikes with ``num_neurons`` given.
    """
    ts = np.asarray(ts, dtype=float)
    if ts.size == 0:
        return np.zeros(0), np.zeros(0)
    dt = ts[1] - ts[0] if ts.size > 1 else None
    if dt is None:
        from . import backend
        dt = backend.get_dt()
    sp = np.asarray(sp_matrix)
    if sp.dtype.names:
        if num_neurons is None:
            raise errors.BrainsynValueError("binned_rate of event spikes needs num_neurons=")
        counts, n = np.bincount(sp["i"], minlength=ts.size).astype(float), num_neurons
    else:
        sp = sp.reshape(sp.shape[0], int(np.prod(sp.shape[1:])))
        if sp.shape[0] != ts.size:
            raise errors.BrainsynValueError(f"binned_rate: {ts.size} times but {sp.shape[0]} rows of spikes")
        counts, n = sp.sum(axis=1).astype(float), sp.shape[1]
    _check_interval("binned_rate: width", width)
    # A bin longer than the recording holds all of it.
    k = ts.size if width >= ts.size * dt else max(1, int(round(width / dt)))
    starts = np.arange(0, ts.size, k)
    sums = np.add.reduceat(counts, starts)
    lengths = np.diff(np.append(starts, ts.size)) * dt
    return ts[starts], sums / n / (lengths / 1000.0)


def rate_plot(ts, sp_matrix, width=5.0, ax=None, show=False, binned=False, **kw):
    """Plot the population rate [Hz] of a spike matrix (or event spikes).

    Smoothed with a ``width`` [ms] window (see :func:`firing_rate`), or
    with ``binned=True`` as steps over bins of ``width`` ms (see
    :func:`binned_rate`). Returns the axes.
    """
    plt = _plt()
    ax = plt.gca() if ax is None else ax
    if binned:
        t, r = binned_rate(ts, sp_matrix, width, num_neurons=kw.get("num_neurons"))
        ax.step(t, r, where="post")
    else:
        r = firing_rate(sp_matrix, width, ts=ts, **kw)
        ax.plot(ts, r)
    ax.set_xlabel("Time (ms)")
    ax.set_ylabel("Rate (Hz)")
    if show:
        plt.show()
    return ax
