"""Measures of network activity (``bp.measure``), as in BrainPy 1.0.

``firing_rate`` smooths the population rate [Hz] with BrainPy's windows;
``cross_correlation`` and ``voltage_fluctuation`` are the synchrony
indices of Wang & Buzsáki (1996) and Golomb & Rinzel (1993);
``raster_plot`` gives the (neuron index, spike time [ms]) pairs of a spike
matrix. Differences from BrainPy 1.0 are listed in each docstring and in
docs/brainpy_differences.md.
"""

import math
import numbers

import numpy as np

from . import backend, errors

__all__ = ["firing_rate", "cross_correlation", "voltage_fluctuation", "raster_plot"]


def _interval(what, x):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x) or x <= 0:
        raise errors.BrainsynValueError(f"{what} must be a finite number > 0 [ms], got {x!r}")
    return float(x)


def _matrix(x, what):
    """x as a (time × neuron) float matrix; more dimensions are flattened."""
    m = np.asarray(x)
    if m.dtype.names:
        raise errors.BrainsynTypeError(f"{what} needs a (time × neuron) matrix, not event spikes; record "
                                       f"spikes without events=, or use bp.visualize.firing_rate")
    if m.ndim < 2:
        raise errors.BrainsynValueError(f"{what} needs a (time × neuron) matrix, got shape {m.shape}")
    if m.dtype.kind not in "biuf":
        raise errors.BrainsynTypeError(f"{what} needs numbers, got dtype {m.dtype}")
    m = m.reshape(m.shape[0], -1).astype(float)
    if not np.all(np.isfinite(m)):
        raise errors.BrainsynValueError(f"{what}: the matrix holds NaN or infinite values")
    return m


def _steps(length, dt):
    """A length [ms] in steps of dt, robust to rounding (0.3/0.1 is 3)."""
    return int(math.floor(length / dt + 1e-9))


def firing_rate(sp_matrix, width, window="gaussian", dt=None):
    """Population firing rate [Hz] at every step, smoothed.

    Parameters
    ----------
    sp_matrix : array (time × neuron)
        Spikes (bool or 0/1), e.g. ``neu.mon.spike``.
    width : float
        Window width [ms].
    window : {'gaussian', 'flat'}
        BrainPy 1.0's windows: ``'gaussian'`` is exp(−k²/(2σ²)) over
        k = −K..K steps with σ = 2·width/dt steps and K = round(σ);
        ``'flat'`` is a moving average over n·2 + 1 steps, n the whole
        steps in width/2.
    dt : float, optional
        Step [ms]; default the backend's dt.

    Returns
    -------
    numpy.ndarray
        One rate [Hz] per step: spikes per neuron per second, the window
        normalised to sum 1 and centred on each step.

    Notes
    -----
    BrainPy 1.0 documented Hz but returned the number of spikes per step
    summed over the neurons (it divided by neither the number of neurons
    nor dt), a window longer than the recording gave an array longer than
    the recording, and int(width/2/dt) made a flat window of 0.6 ms at
    dt = 0.1 ms 5 steps long instead of 7. Here the rate is in Hz, such a
    window is refused, and whole steps are counted exactly.
    """
    dt = _interval("firing_rate: dt", backend.get_dt() if dt is None else dt)
    width = _interval("firing_rate: width", width)
    sp = _matrix(sp_matrix, "firing_rate")
    rate = sp.sum(axis=1) / sp.shape[1] / (dt / 1000.0) if sp.shape[1] else np.zeros(sp.shape[0])
    if window == "gaussian":
        sigma = 2 * width / dt
        k = int(round(sigma))
        kern = np.exp(-np.arange(-k, k + 1) ** 2 / (2 * sigma ** 2))
    elif window == "flat":
        kern = np.ones(_steps(width / 2, dt) * 2 + 1)
    else:
        raise errors.BrainsynValueError(f"firing_rate: window must be 'gaussian' or 'flat', got {window!r}")
    if kern.size > rate.size:
        raise errors.BrainsynValueError(
            f"firing_rate: a {window} window of width {width} ms spans {kern.size} steps, more than the "
            f"recording's {rate.size}")
    return np.convolve(rate, kern / kern.sum(), mode="same")


def cross_correlation(spikes, bin, dt=None):
    """Synchrony index: the mean coherence κ of all pairs of neurons.

    The recording is cut into bins of ``bin`` [ms]; X_i(l) is 1 when
    neuron i spikes in bin l. For neurons i and j,
    κ_ij = Σ_l X_i(l)·X_j(l) / √(Σ_l X_i(l) · Σ_l X_j(l)) (0 when either
    is silent), and the index is the mean of κ_ij over all pairs i < j
    (Wang & Buzsáki, J. Neurosci. 16, 6402, 1996).

    Parameters
    ----------
    spikes : array (time × neuron)
        Spikes, e.g. ``neu.mon.spike``; at least two neurons.
    bin : float
        Bin width [ms], at least one step.
    dt : float, optional
        Step [ms]; default the backend's dt.

    Returns
    -------
    float
        The index, in [0, 1].

    Notes
    -----
    BrainPy 1.0 took ``int(bin/dt)`` steps per bin, so that 0.3 ms at
    dt = 0.1 ms made bins of 2 steps; here it is 3. The pairs are summed
    as one matrix product.
    """
    dt = _interval("cross_correlation: dt", backend.get_dt() if dt is None else dt)
    bin = _interval("cross_correlation: bin", bin)
    sp = _matrix(spikes, "cross_correlation")
    steps, n = sp.shape
    if n < 2:
        raise errors.BrainsynValueError(f"cross_correlation needs at least two neurons, got {n}")
    size = _steps(bin, dt)
    if size < 1:
        raise errors.BrainsynValueError(f"cross_correlation: bin {bin} ms is shorter than one step of {dt} ms")
    nbin = -(-steps // size)
    padded = np.zeros((nbin * size, n))
    padded[:steps] = sp
    x = (padded.reshape(nbin, size, n).sum(axis=1) > 0).astype(float)  # (bins × neurons)
    both = x.T @ x
    counts = np.diag(both)
    norm = np.sqrt(np.outer(counts, counts))
    kappa = np.divide(both, norm, out=np.zeros_like(both), where=norm > 0)
    return float(kappa[np.triu_indices(n, k=1)].mean())


def voltage_fluctuation(potentials):
    """Synchrony index χ² from voltage fluctuations.

    χ² = σ_V² / mean_i σ_Vi², where V(t) is the population mean of the
    potentials, σ_V² its variance over time and σ_Vi² the variance of
    neuron i over time (Golomb & Rinzel, Phys. Rev. E 48, 4810, 1993).

    Parameters
    ----------
    potentials : array (time × neuron)
        Membrane potentials [mV], e.g. ``neu.mon.V``.

    Returns
    -------
    float
        χ²: 1 for neurons in lockstep, near 1/N for independent ones; 1
        when no neuron's potential varies (as in BrainPy 1.0).
    """
    v = _matrix(potentials, "voltage_fluctuation")
    if v.size == 0:
        raise errors.BrainsynValueError(f"voltage_fluctuation needs a non-empty matrix, got shape {v.shape}")
    avg = v.mean(axis=1)
    avg_var = np.mean(avg * avg) - np.mean(avg) ** 2
    var_mean = np.mean(np.mean(v * v, axis=0) - np.mean(v, axis=0) ** 2)
    return float(avg_var / var_mean) if var_mean != 0 else 1.0


def raster_plot(sp_matrix, times):
    """The (neuron index, spike time [ms]) pairs of a spike matrix.

    Parameters
    ----------
    sp_matrix : array (time × neuron)
        Spikes, e.g. ``neu.mon.spike``.
    times : array
        The time [ms] of each row, e.g. ``net.ts``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Neuron indices and spike times, in time order.
    """
    sp = _matrix(sp_matrix, "raster_plot")
    times = np.asarray(times, dtype=float).ravel()
    if times.size != sp.shape[0]:
        raise errors.BrainsynValueError(f"raster_plot: {times.size} times but {sp.shape[0]} rows of spikes")
    rows, index = np.nonzero(sp > 0)
    return index, times[rows]
