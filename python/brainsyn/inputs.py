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
    dt = backend.get_dt() if dt is None else dt
    if not isinstance(dt, numbers.Real) or not math.isfinite(dt) or dt <= 0:
        raise errors.BrainsynValueError(f"dt must be a finite number > 0 [ms], got {dt!r}")
    return float(dt)


def _duration(d, what):
    if not isinstance(d, numbers.Real) or not math.isfinite(d) or d < 0:
        raise errors.BrainsynValueError(f"{what} must be a finite duration >= 0 [ms], got {d!r}")
    return float(d)


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
    I = np.zeros((int(math.ceil(total / dt)),) + shape)
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
    points = np.atleast_1d(points)
    lengths = np.broadcast_to(lengths, points.shape)
    sizes = np.broadcast_to(sizes, points.shape)
    I = np.zeros(int(math.ceil(duration / dt)))
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
    t_end = duration if t_end is None else t_end
    I = np.zeros(int(math.ceil(duration / dt)))
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
