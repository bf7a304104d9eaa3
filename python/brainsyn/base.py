"""Brain objects in the BrainPy 1.0 style: DynamicSystem, NeuGroup, TwoEndConn.

Subclass them in Python to write your own models (the chapter's way); the
built-in models in :mod:`brainsyn.neurons` and :mod:`brainsyn.synapses`
are subclasses whose update runs in the Go engine.
"""

import inspect
import numbers

import numpy as np

from . import _native, backend, errors
from .monitor import MonitorData, as_monitor

__all__ = ["DynamicSystem", "NeuGroup", "TwoEndConn", "ConstantDelay", "size2len"]

_SYSTEM_ARGS = ("_t", "_i", "_dt")


def auto_named(obj):
    """Whether ``obj``'s name is the automatic one (no name was given)."""
    auto = obj.__dict__.get("_auto_name")
    return auto is not None and auto == obj.name


def size2len(size):
    """Number of elements of an int or a shape tuple."""
    if isinstance(size, numbers.Integral):
        return int(size)
    return int(np.prod(size))


class DynamicSystem:
    """Base class of every object a Network steps.

    Parameters
    ----------
    steps : callable, list of callables or dict, optional
        The step functions; default ``{'update': self.update}``.
    monitors : list, dict or :class:`brainsyn.Monitor`, optional
        Variables to record (see :class:`brainsyn.Monitor`).
    name : str, optional
        A Python identifier, unique within a network. Default: an automatic
        name, the class name and a count (``LIF0``, ``LIF1``, ...), new for
        every object made in this process. Saved states
        (:mod:`brainsyn.checkpoint`) match objects named by the user by
        name, and objects with automatic names by their order and type.
    """

    target_backend = "general"
    _prefix = "DS"
    _counter = {}

    def __init__(self, steps=None, monitors=None, name=None, show_code=False):
        auto = None
        if name is None:
            cls = type(self).__name__
            n = DynamicSystem._counter.get(cls, 0)
            DynamicSystem._counter[cls] = n + 1
            name = auto = f"{cls}{n}"
        if not isinstance(name, str) or not name.isidentifier():
            raise errors.BrainsynValueError(f"name must be a Python identifier, got {name!r}")
        object.__setattr__(self, "name", name)
        # The automatic name, if the name was not given: the name stays
        # automatic while it is this one (a Network keyword renames it).
        object.__setattr__(self, "_auto_name", auto)
        self._steps = self._parse_steps(steps)
        self._mon_spec = as_monitor(monitors)
        self.mon = MonitorData(self, self._mon_spec)
        self.show_code = show_code

    def _parse_steps(self, steps):
        if steps is None:
            return None  # resolved at run time: update + delay updates
        if callable(steps):
            return {steps.__name__: steps}
        if isinstance(steps, (list, tuple)):
            return {f.__name__: f for f in steps}
        if isinstance(steps, dict):
            return dict(steps)
        raise errors.BrainsynTypeError(f"steps must be a callable, a list or a dict, got {type(steps).__name__}")

    def schedule(self):
        """Step names in order: update, then one per registered delay."""
        steps = self._steps if self._steps is not None else {"update": self.update}
        names = list(steps)
        for key in getattr(self, "constant_delays", {}):
            names.append(f"{key}_delay_update")
        return names

    def _step_funcs(self):
        steps = self._steps if self._steps is not None else {"update": self.update}
        funcs = []
        for name in self.schedule():
            if name in steps:
                funcs.append(_bind_system_args(self, steps[name], name))
            else:
                delay = self.constant_delays[name[: -len("_delay_update")]]
                funcs.append(lambda _t, _i, _dt, d=delay: d.update())
        return funcs

    def update(self, _t):
        raise errors.BrainsynTypeError(f"{type(self).__name__} must define update(self, _t)")

    def _is_native(self):
        return False

    def run(self, duration, inputs=(), report=False, report_percent=0.1):
        """Run this object alone; inputs are ``(key, value[, op])`` tuples."""
        from .network import Network
        if isinstance(inputs, tuple) and inputs and isinstance(inputs[0], str):
            inputs = [inputs]
        net = Network(self)
        return net.run(duration, inputs=[(self,) + tuple(i) for i in inputs], report=report,
                       report_percent=report_percent)

    def __repr__(self):
        return f"<{type(self).__name__} {self.name}>"

    def __reduce_ex__(self, protocol):
        # copy, deepcopy and pickle all come here. A copy would carry the
        # engine handle: it would share (and free) the original's memory, and
        # in another process name an unrelated object.
        if self._is_native() or self.__dict__.get("_ext_handle") is not None:
            raise errors.BrainsynTypeError(
                f"{self.name} cannot be copied or pickled: its state lives in engine memory. Build a new "
                f"object with the same arguments; net.save_state / net.load_state carry the state across")
        return super().__reduce_ex__(protocol)


def _bind_system_args(obj, fn, step_name):
    """Wrap a step function so it is called as f(_t, _i, _dt)."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = ["_t"]
    for p in params:
        if p not in _SYSTEM_ARGS and not hasattr(obj, p):
            raise errors.BrainsynTypeError(
                f"{obj.name}.{step_name} takes argument {p!r}; step functions may only take "
                f"_t, _i, _dt or names of the object's attributes")

    def call(_t, _i, _dt):
        kw = {"_t": _t, "_i": _i, "_dt": _dt}
        return fn(*[kw[p] if p in kw else getattr(obj, p) for p in params])
    return call


class NeuGroup(DynamicSystem):
    """A group of neurons.

    Subclasses set their variables (e.g. ``self.V``, ``self.spike``,
    ``self.input``) before or after ``super().__init__`` and define
    ``update(self, _t)``.

    Parameters
    ----------
    size : int or tuple of int
        Number of neurons, or the group's shape.
    monitors, name, steps
        See :class:`DynamicSystem`.
    """

    _adoptable = ("V", "input", "spike", "refractory")

    def __init__(self, size, monitors=None, name=None, show_code=False, steps=None):
        if isinstance(size, numbers.Integral) and not isinstance(size, bool):
            size = (int(size),)
        elif isinstance(size, (tuple, list)) and size and all(isinstance(s, numbers.Integral) for s in size):
            size = tuple(int(s) for s in size)
        else:
            raise errors.BrainsynTypeError(f"size must be an int or a tuple of ints, got {size!r}")
        if any(s <= 0 for s in size):
            raise errors.BrainsynValueError(f"size must be positive, got {size}")
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "num", size2len(size))
        super().__init__(steps=steps, monitors=monitors, name=name, show_code=show_code)

    def _native_handle(self):
        """Handle of this group in the engine. A Python group gets an
        engine-side twin whose V/input/spike/refractory become the group's
        arrays, so native synapses read and write them directly."""
        h = self.__dict__.get("_ext_handle")
        if h is not None:
            return h
        h = _native.new_neuron("External", shape=list(self.size))
        views = {}
        for key in self._adoptable:
            view = _native.var_view(h, key)
            old = self.__dict__.get(key)
            if old is not None:
                view.reshape(self.size)[...] = np.broadcast_to(np.asarray(old), self.size)
            views[key] = view.reshape(self.size)
        object.__setattr__(self, "_ext_handle", h)
        object.__setattr__(self, "_ext_views", views)
        import weakref
        weakref.finalize(self, _native.free, h)
        for key, view in views.items():
            object.__setattr__(self, key, view)
        return h

    def __setattr__(self, key, value):
        views = self.__dict__.get("_ext_views")
        if views is not None and key in views:
            view = views[key]
            if value is view:
                return
            arr = np.asarray(value)
            try:
                view[...] = np.broadcast_to(arr, view.shape)
            except ValueError:
                raise errors.BrainsynValueError(
                    f"{self.name}.{key} has shape {view.shape}; cannot assign shape {arr.shape}") from None
            return
        object.__setattr__(self, key, value)


class TwoEndConn(DynamicSystem):
    """A projection between two neuron groups.

    ``register_constant_delay`` may be called before or after
    ``super().__init__`` (BrainPy 1.0 silently ignored delays registered
    after it).

    Parameters
    ----------
    pre, post : NeuGroup
        Presynaptic and postsynaptic groups.
    monitors, name, steps
        See :class:`DynamicSystem`.
    """

    def __init__(self, pre, post, monitors=None, name=None, show_code=False, steps=None):
        for what, g in (("pre", pre), ("post", post)):
            if not isinstance(g, NeuGroup):
                raise errors.BrainsynTypeError(f"{what} must be a NeuGroup, got {type(g).__name__}")
        self.pre, self.post = pre, post
        if not hasattr(self, "constant_delays"):
            self.constant_delays = {}
        super().__init__(steps=steps, monitors=monitors, name=name, show_code=show_code)

    def register_constant_delay(self, key, size, delay_time):
        """A delay line of ``size`` values, ``delay_time`` [ms] long.

        ``push(i, v)`` writes at step k what ``pull(i)`` reads at step
        k + ceil(delay/dt) (dt of the run; see :class:`ConstantDelay`).
        """
        if not hasattr(self, "constant_delays"):
            self.constant_delays = {}
        if not isinstance(key, str) or not key.isidentifier():
            raise errors.BrainsynValueError(f"delay key must be an identifier, got {key!r}")
        d = ConstantDelay(size, delay_time)
        self.constant_delays[key] = d
        return d


class ConstantDelay:
    """A delay line (BrainPy 1.0 ``ConstantDelay``).

    For a uniform delay d a value pushed at step k is pulled at step
    k + ceil(d/dt); with d = 0 it comes back in the same step. A per-element
    delay (an array) uses the same rule per element (BrainPy rounded those
    instead, reference §7.4). The number of steps follows the dt of the run.
    """

    def __init__(self, size, delay_time):
        shape = (size,) if isinstance(size, numbers.Integral) else size
        try:
            shape = tuple(shape)
        except TypeError:
            shape = None
        if shape is None or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0
                                    for n in shape):
            raise errors.BrainsynValueError(f"delay size must be an int >= 0 or a tuple of them, got {size!r}")
        self.size = tuple(int(n) for n in shape)
        try:
            d = np.asarray(delay_time, dtype=float)
        except (TypeError, ValueError):
            raise errors.BrainsynTypeError(f"delay_time must be a number [ms] or an array of them, got {delay_time!r}") from None
        if d.ndim > 1 or (d.ndim == 1 and d.size != size2len(self.size)):
            raise errors.BrainsynValueError(
                f"delay_time must be a number or one value per element ({size2len(self.size)}), got shape {d.shape}")
        if not np.all(np.isfinite(d)) or np.any(d < 0):
            raise errors.BrainsynValueError(f"delay_time must be finite and >= 0 [ms], got {delay_time!r}")
        self.delay_time = d
        self._dt = None
        self._prepare(backend.get_dt())

    # As the engine's delay lines: longer ones are surely a mistake in units.
    MAX_STEPS = 1 << 20

    @classmethod
    def _steps(cls, d, dt):
        q = d / dt
        if q.size and q.max() > cls.MAX_STEPS:
            raise errors.BrainsynValueError(
                f"delay_time of {d.max()} ms is {q.max():.3g} steps of {dt} ms: too long (at most {cls.MAX_STEPS})")
        return np.maximum(np.ceil(q - 1e-9 * np.maximum(1, q)), 0).astype(int)

    def _prepare(self, dt):
        if dt == self._dt:
            return
        self._dt = dt
        steps = self._steps(self.delay_time, dt)
        self.num_step = steps
        self.uniform = steps.ndim == 0
        n = int(steps.max()) + 1 if steps.size else 1
        self.num = n
        self.data = np.zeros((n,) + self.size)
        self.in_idx = (np.zeros(self.size, dtype=int) if not self.uniform else 0) + (steps if not self.uniform else n - 1)
        self.out_idx = 0 if self.uniform else np.zeros(self.size, dtype=int)

    def push(self, idx_or_val, value=None):
        if value is None:
            try:
                if self.uniform:
                    self.data[self.in_idx] = idx_or_val
                else:
                    flat = np.arange(size2len(self.size))
                    self.data[self.in_idx.ravel(), flat] = np.broadcast_to(idx_or_val, self.size).ravel()
            except ValueError:
                raise errors.BrainsynValueError(f"push: values of shape {np.shape(idx_or_val)} do not fit a delay "
                                                f"line of size {self.size}") from None
        else:
            i = idx_or_val
            row = self.in_idx if self.uniform else self.in_idx.flat[i]
            self.data[row].flat[i] = value

    def pull(self, idx=None):
        if self.uniform:
            return self.data[self.out_idx] if idx is None else self.data[self.out_idx].flat[idx]
        if idx is None:
            flat = np.arange(size2len(self.size))
            return self.data[self.out_idx.ravel(), flat].reshape(self.size)
        return self.data[self.out_idx.flat[idx]].flat[idx]

    def update(self):
        self.in_idx = (self.in_idx + 1) % self.num
        self.out_idx = (self.out_idx + 1) % self.num

    def reset(self):
        self.data[...] = 0
