"""Neuron models (BrainModels 0.3 ``bm.neurons``), run in the Go engine.

Units: time [ms], voltage [mV], input current as R·I [mV] (LIF R = 1).
"""

import numbers
import textwrap

import numpy as np

from . import _native, errors
from .base import NeuGroup
from .connect.base import _seed
from .native import NativeObject, check_kwargs

__all__ = ["LIF", "HH", "SpikeTimeInput", "PoissonInput", "RateGroup"]

_GROUP_KW = ("monitors", "name", "show_code", "steps")


class _NativeGroup(NativeObject, NeuGroup):
    _model = None
    _defaults = {}

    _options = {}

    def __init__(self, size, method=None, **kwargs):
        params = {k: kwargs.pop(k) for k in list(kwargs) if k in self._defaults}
        options = {k: kwargs.pop(k) for k in list(kwargs) if k in self._options}
        check_kwargs(type(self).__name__, kwargs,
                     list(self._defaults) + list(self._options) + list(_GROUP_KW) + ["method"])
        kwargs.pop("steps", None)
        NeuGroup.__init__(self, size, **kwargs)
        for k, v in params.items():
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise errors.BrainsynTypeError(f"{type(self).__name__}: {k} must be a number, got {v!r}")
        spec = {"shape": list(self.size), "params": {k: float(v) for k, v in params.items()}}
        if method is not None:
            spec["method"] = method
        for k, v in options.items():
            if not isinstance(v, str):
                raise errors.BrainsynTypeError(f"{type(self).__name__}: {k} must be a string, got {v!r}")
        spec.update(options)
        self._attach(_native.new_neuron(self._model, **spec))
        for k in self._options:
            object.__setattr__(self, k, options.get(k, self._options[k]))
        for k, v in {**self._defaults, **params}.items():
            object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        built = self.__dict__.get("_varinfo")
        if name in self._options and built is not None:
            raise errors.BrainsynValueError(f"{type(self).__name__}: {name} is fixed when the group is made")
        if name in self._defaults and built is not None and name not in built:
            # A parameter: the engine's model changes with the attribute,
            # from the next run on.
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise errors.BrainsynTypeError(f"{type(self).__name__}: {name} must be a number, got {value!r}")
            spec = _native.spec_json(self.name, {name: float(value)})
            try:
                _native.call("SetParams", self._native_handle(), spec)
            except errors.BrainsynValueError as e:
                # The group's name stands for the engine's model prefix.
                msg = str(e).removeprefix(f"{self._model}: ")
                raise errors.BrainsynValueError(f"{self.name}: {msg}") from None
            object.__setattr__(self, name, value)
            return
        super().__setattr__(name, value)


class SpikeTimeInput(NativeObject, NeuGroup):
    """Neurons that spike at given times.

    Neuron ``indices[k]`` spikes at the first step whose time is ≥
    ``times[k]`` [ms] (times of each run start at 0). Times and indices are
    sorted together.
    """

    def __init__(self, size, times, indices, need_sort=True, **kwargs):
        check_kwargs("SpikeTimeInput", kwargs, _GROUP_KW)
        kwargs.pop("steps", None)
        NeuGroup.__init__(self, size, **kwargs)
        t = np.asarray(times, dtype=float).ravel()
        i = _native.indices(indices, self.num, "SpikeTimeInput: indices")
        self._attach(_native.new_neuron("SpikeTimeInput", shape=list(self.size), times=t.tolist(),
                                        indices=i.astype(int).tolist()))
        # What the engine holds, sorted as it sorts them (read-only copies).
        order = np.argsort(t, kind="stable")
        for name, a in (("times", t[order]), ("indices", i.astype(int)[order])):
            a.flags.writeable = False
            object.__setattr__(self, name, a)


class PoissonInput(NativeObject, NeuGroup):
    """Neurons firing as independent Poisson processes at ``freqs`` [Hz].

    Each step a neuron spikes with probability freqs·dt/1000. ``freqs`` is
    one rate or one per neuron (a variable: inputs with op '=' can change it
    during a run). With ``sources=N`` each neuron stands for N independent
    sources of that rate, firing Binomial(N, freqs·dt/1000) times per step
    (Brian2's PoissonInput); synapses add one increment per spike. Random
    numbers depend only on (seed, neuron, step), so runs are reproducible
    for any thread count.
    """

    def __init__(self, size, freqs, seed=None, sources=1, **kwargs):
        check_kwargs("PoissonInput", kwargs, _GROUP_KW)
        kwargs.pop("steps", None)
        NeuGroup.__init__(self, size, **kwargs)
        f = np.atleast_1d(np.asarray(freqs, dtype=float)).ravel()
        self.seed = _seed(seed)
        if isinstance(sources, bool) or not isinstance(sources, numbers.Integral) or sources < 1:
            raise errors.BrainsynValueError(f"PoissonInput: sources must be an int >= 1, got {sources!r}")
        self.sources = int(sources)
        self._attach(_native.new_neuron("PoissonInput", shape=list(self.size), freqs=f.tolist(), seed=self.seed,
                                        sources=self.sources))


class RateGroup(NativeObject, NeuGroup):
    """Rate units for the rate-based learning rules (``bm.synapses.Oja``,
    ``bm.synapses.BCM``): the BrainPy handbook's ``neu``, whose update is
    ``r = r``.

    The one variable ``r`` (initially 0) is set by inputs (op ``'='``, e.g.
    ``inputs=(pre, 'r', rates, '=')``) or by a rate synapse, which writes
    r = Σ w·r_pre into its post group each step. The units never spike. The
    unit of r is that of the rates given (the learning rates of Oja and BCM
    are per ms for rates in that unit); time is in [ms].
    """

    def __init__(self, size, **kwargs):
        check_kwargs("RateGroup", kwargs, _GROUP_KW)
        kwargs.pop("steps", None)
        NeuGroup.__init__(self, size, **kwargs)
        self._attach(_native.new_neuron("RateGroup", shape=list(self.size)))


# Every neuron model (LIF and HH included) is defined once, in the engine
# (core/neuron/builtin.go, models_if.go, models_osc.go); the classes,
# defaults, options and docstrings are built here from its registry.
REGISTRY = {m["name"]: m for m in _native.neuron_models()}


def _num(v):
    return f"{v:g}"


def _docstring(spec):
    """The numpydoc docstring of a registered model: its text, the defaults
    in one line, one entry per parameter (default, unit, bound), then the
    variables with their initial values."""
    unit = lambda x: f" [{x['unit']}]" if x["unit"] else ""  # noqa: E731
    params = spec["params"]
    line = ", ".join(f"{p['name']} {_num(p['default'])}{unit(p)}" for p in params)
    out = [spec["doc"].strip(), "", f"Defaults: {line}.", "", "Parameters", "----------",
           "size : int or tuple", "    Number (or shape) of neurons."]
    for p in params:
        bound = f" Must be {p['bound']}." if p["bound"] else ""
        out += [f"{p['name']} : float{unit(p)}, default {_num(p['default'])}", f"    {p['doc']}{bound}"]
    out += ["method : str, default " + repr(spec["method"]),
            "    Integrator: " + ", ".join(spec["methods"]) + " (BrainPy's methods of those names)."]
    for o in spec["options"]:
        out += [f"{o['name']} : " + " | ".join(repr(v) for v in o["values"]) + f", default {o['default']!r}",
                textwrap.indent(f"{o['doc']} Fixed when the group is made.", "    ")]
    out += [
            "monitors, name", "    See :class:`brainsyn.NeuGroup`.", "", "Notes", "-----",
            "Variables (initial value): " + ", ".join(
                f"{v['name']}{unit(v)} ({_num(v['init'])})" for v in spec["vars"])
            + ", input (0), spike (False)"
            + (", refractory (False), t_last_spike [ms] (-1e7)" if spec["refractory"] else "")
            + ". ``input`` is added to the model's input term each step and zeroed after the update.",
            "Time is in [ms] (t, dt, t_refractory); the units of the variables are given above."]
    return "\n".join(out) + "\n"


def _model_class(spec):
    defaults = {p["name"]: float(p["default"]) for p in spec["params"]}
    options = {o["name"]: o["default"] for o in spec["options"]}
    return type(spec["name"], (_NativeGroup,), {"_model": spec["name"], "_defaults": defaults,
                                                "_options": options, "__doc__": _docstring(spec),
                                                "__module__": __name__})


for _spec in REGISTRY.values():
    globals()[_spec["name"]] = _model_class(_spec)
    if _spec["name"] not in __all__:
        __all__.append(_spec["name"])
del _spec
