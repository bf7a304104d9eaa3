"""Monitors: what to record, and the recorded data (``obj.mon``)."""

import math
import numbers

import numpy as np

from . import errors

__all__ = ["Monitor", "MonitorData"]


class Monitor:
    """A list of variables to record, with optional indices and interval.

    ``variables`` is a list of names or ``(name, indices)`` pairs, or a dict
    ``{name: None | indices}``. ``every`` is a recording interval [ms]: one
    number for all, a list aligned with the variables, or a dict. Spike
    variables can be stored as events with ``events=['spike']``: then
    ``mon.spike`` holds (time index, neuron index) pairs instead of a
    (steps × neurons) boolean matrix.
    """

    def __init__(self, variables, every=None, events=()):
        self.items = _parse_variables(variables)
        names = [v for v, _ in self.items]
        if every is None or isinstance(every, numbers.Real):
            ev = {n: every for n in names}
        elif isinstance(every, dict):
            ev = {n: every.get(n) for n in names}
            extra = set(every) - set(names)
            if extra:
                raise errors.BrainsynKeyError(f"every= names {sorted(extra)} that are not monitored")
        else:
            every = list(every)
            if len(every) != len(names):
                raise errors.BrainsynValueError(f"every has {len(every)} entries for {len(names)} variables")
            ev = dict(zip(names, every))
        for n, e in ev.items():
            if e is not None and (not isinstance(e, numbers.Real) or not math.isfinite(e) or e <= 0):
                raise errors.BrainsynValueError(f"every for {n!r} must be a positive interval [ms], got {e!r}")
        self.every = ev
        self.events = {events} if isinstance(events, str) else set(_names_of(events, "events"))
        unknown = self.events - set(names)
        if unknown:
            raise errors.BrainsynKeyError(f"events= names {sorted(unknown)} that are not monitored")


def _names_of(x, what):
    """x as a list, or an error saying what was expected."""
    try:
        return list(x)
    except TypeError:
        raise errors.BrainsynTypeError(f"{what} must be a name or a list of names, got {x!r}") from None


def _parse_variables(variables):
    if variables is None:
        return []
    if isinstance(variables, str):
        variables = [variables]
    if isinstance(variables, dict):
        items = list(variables.items())
    else:
        items = []
        for v in _names_of(variables, "monitor variables"):
            if isinstance(v, str):
                items.append((v, None))
            elif isinstance(v, (tuple, list)) and len(v) == 2 and isinstance(v[0], str):
                items.append((v[0], v[1]))
            else:
                raise errors.BrainsynTypeError(f"a monitor entry must be a name or (name, indices), got {v!r}")
    out = []
    for name, idx in items:
        if idx is not None:
            idx = np.asarray(idx)
            if idx.ndim == 0:
                idx = idx.reshape(1)
            if idx.size and not np.issubdtype(idx.dtype, np.integer):
                raise errors.BrainsynTypeError(f"monitor indices for {name!r} must be integers, got dtype {idx.dtype}")
            idx = idx.astype(np.int64).ravel()
        out.append((name, idx))
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise errors.BrainsynValueError(f"a variable is monitored twice: {names}")
    return out


def as_monitor(monitors):
    if monitors is None:
        return Monitor([])
    if isinstance(monitors, Monitor):
        return monitors
    return Monitor(monitors)


class Deferred:
    """A recorded array computed on first use (the times of tens of millions
    of spike events need not be made for a run that never asks for them)."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make


class MonitorData:
    """Recorded values of one object, as attributes after a run.

    ``mon.<var>`` has shape ``(rows, *var_shape)`` (or ``(rows, len(indices))``);
    row r is the value after the object's update at time ``mon.<var>_t[r]``
    [ms]. ``mon.ts`` holds the times [ms] of the last run. Only the latest run is kept.
    Event-recorded spikes are a structured array with fields ``i`` (time
    index) and ``index`` (neuron), plus ``mon.spike_t`` times of each event.
    """

    def __init__(self, owner, spec):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_data", {})

    @property
    def item_names(self):
        return [n for n, _ in self._spec.items]

    def __getattr__(self, name):
        data = object.__getattribute__(self, "_data")
        if name in data:
            if isinstance(data[name], Deferred):
                data[name] = data[name].make()
            return data[name]
        spec = object.__getattribute__(self, "_spec")
        names = [n for n, _ in spec.items]
        base = name[:-2] if name.endswith("_t") else name
        owner = object.__getattribute__(self, "_owner")
        if base in names or name == "ts":
            raise AttributeError(f"{owner.name}.mon.{name} has no data yet: {owner.name} has not been run; "
                                 f"add it to the Network you run (BrainPy left such monitors empty silently)")
        raise AttributeError(f"{owner.name}.mon has no {name!r}; monitored: {', '.join(names) or 'nothing'}"
                             f" (pass monitors=[...] when creating {owner.name})")

    def __setattr__(self, name, value):
        self._data[name] = value

    def __contains__(self, name):
        return name in self._data

    def keys(self):
        return list(self._data)

    def to_dict(self):
        """The recorded arrays by name (times included)."""
        return {k: getattr(self, k) for k in self._data}

    def save_npz(self, path):
        """Write every recorded array to an ``.npz`` file."""
        np.savez(path, **self.to_dict())

    def to_dataframe(self, var):
        """A pandas DataFrame of one variable: rows are times [ms], columns elements."""
        try:
            import pandas as pd
        except ImportError:
            raise errors.BrainsynRuntimeError("to_dataframe needs pandas: pip install pandas") from None
        x = getattr(self, var)
        t = getattr(self, var + "_t") if var + "_t" in self._data else self._data.get("ts")
        if x.dtype.names:
            return pd.DataFrame({"t": t, "index": x["index"]})
        return pd.DataFrame(x.reshape(x.shape[0], -1), index=pd.Index(t, name="t [ms]"))
