"""Input currents (``bp.inputs``), as arrays of one value per time step.

All times in ms. An array with one row per run step is an 'iter' input
(row i used at step i); see :meth:`brainsyn.Network.run`.
"""

import math
import numbers

import numpy as np

from . import backend, errors

__all__ = ["constant_current", "constant_input", "spike_current", "spike_input", "ramp_current",
           "ramp_input", "period_input", "SpikeTimeInput", "PoissonInput"]


def _dt(dt):
    return backend.get_dt() if dt is None else backend.check_dt(dt)


def _duration(d, what):
    if isinstance(d, bool) or not isinstance(d, numbers.Real) or not math.isfinite(d) or d < 0:
        raise errors.BrainsynValueError(f"{what} must be a finite duration >= 0 [ms], got {d!r}")
    return float(d)


# More rows than any input array could hold (2^48 float64 is 2 PiB).
_MAX_ROWS = 1 << 48


def _rows(duration, dt, what="duration"):
    """ceil(duration/dt) rows, refused when there could be no such array
    (duration/dt may even overflow to inf)."""
    n = duration / dt
    if n > _MAX_ROWS:
        raise errors.BrainsynValueError(f"{what} of {duration} ms is {n:.3g} steps of {dt} ms: too long for an input array")
    return int(math.ceil(n))


def _times(x, what):
    """Finite times or lengths >= 0 [ms], as a 1-D array."""
    try:
        a = np.atleast_1d(np.asarray(x, dtype=float))
    except (TypeError, ValueError):
        a = None
    if a is None or a.ndim != 1 or not np.all(np.isfinite(a)) or np.any(a < 0):
        raise errors.BrainsynValueError(f"{what} must be finite times >= 0 [ms], got {x!r}")
    return a


def constant_current(I_and_duration, dt=None):
    """Piecewise-constant current from ``[(value, duration [ms]), ...]``.

    Returns ``(I, total_duration)``: I has ``ceil(total/dt)`` rows and segment
    k fills ``int(duration_k/dt)`` of them (BrainPy 1.0). Values may be
    arrays (one per neuron); then I has that shape per row.
    Example: ``[(25, 20), (0, 1000)]`` gives I of shape (10200,) with
    I[:200] = 25 and a duration of 1020.0 ms.
    """
    dt = _dt(dt)
    try:
        pairs = [(v, _duration(d, "duration")) for v, d in I_and_duration]
    except (TypeError, ValueError) as e:
        if isinstance(e, errors.BrainsynError):
            raise
        raise errors.BrainsynTypeError("constant_current expects a list of (value, duration) pairs") from None
    shape = ()
    for v, _ in pairs:
        s = np.shape(v)
        if s:
            if shape and s != shape:
                raise errors.BrainsynValueError(f"constant_current: values have shapes {shape} and {s}")
            shape = s
    total = sum(d for _, d in pairs)
    I = np.zeros((_rows(total, dt, "total duration"),) + shape)
    start = 0
    for v, d in pairs:
        n = int(d / dt)
        I[start:start + n] = v
        start += n
    return I, total


constant_input = constant_current


def spike_current(points, lengths, sizes, duration, dt=None):
    """Pulses: at each time in ``points`` a pulse of ``lengths`` [ms] and
    amplitude ``sizes`` (scalars or one per point), over ``duration`` [ms]."""
    dt = _dt(dt)
    duration = _duration(duration, "duration")
    points = _times(points, "spike_current: points")
    try:
        lengths = np.broadcast_to(_times(lengths, "spike_current: lengths"), points.shape)
        sizes = np.broadcast_to(np.asarray(sizes, dtype=float), points.shape)
    except ValueError as e:
        if isinstance(e, errors.BrainsynError):
            raise
        raise errors.BrainsynValueError(
            f"spike_current: lengths and sizes must be one number or one per point ({points.size})") from None
    if not np.all(np.isfinite(sizes)):
        raise errors.BrainsynValueError(f"spike_current: sizes must be finite, got {sizes!r}")
    I = np.zeros(_rows(duration, dt))
    # Pulses past the end are cut at it (as in BrainPy).
    for p, l, s in zip(points, lengths, sizes):
        i0 = int(p / dt)
        I[i0:i0 + int(l / dt)] = s
    return I


spike_input = spike_current


def ramp_current(c_start, c_end, duration, t_start=0, t_end=None, dt=None):
    """Linear ramp from c_start at t_start [ms] to c_end at t_end [ms], zero
    elsewhere, over ``duration`` [ms]; values in the input's unit (mV for LIF)."""
    dt = _dt(dt)
    duration = _duration(duration, "duration")
    t_start = _duration(t_start, "ramp_current: t_start")
    t_end = duration if t_end is None else _duration(t_end, "ramp_current: t_end")
    if not t_start <= t_end <= duration:
        raise errors.BrainsynValueError(
            f"ramp_current: need t_start <= t_end <= duration, got {t_start}, {t_end} and {duration} ms")
    I = np.zeros(_rows(duration, dt))
    i0, i1 = int(math.ceil(t_start / dt)), int(math.ceil(t_end / dt))
    I[i0:i1] = np.linspace(c_start, c_end, max(i1 - i0, 0))
    return I


ramp_input = ramp_current


def period_input(values, durations, dt=None, return_length=False):
    """Concatenated constant segments (values[k] for durations[k] [ms])."""
    if len(values) != len(durations):
        raise errors.BrainsynValueError(f"period_input: {len(values)} values but {len(durations)} durations")
    I, total = constant_current(list(zip(values, durations)), dt=dt)
    return (I, total) if return_length else I


def __getattr__(name):
    # The input groups live with the neuron models; import lazily (no cycle).
    if name in ("SpikeTimeInput", "PoissonInput"):
        from . import neurons
        return getattr(neurons, name)
    raise AttributeError(name)
