"""Synapse models of the chapter (BrainModels 0.3 ``bm.synapses``), run in
the Go engine.

Units: time [ms], voltage [mV]; conductances in units of the post group's
input (for LIF, R·g with R = 1). Outputs:

* ``output='conductance'``: post.input −= g_max·s·(V_post − E)
  (NMDA: divided by the Mg²⁺ block 1 + cc_Mg/β·e^{−α·V_post});
* ``output='current'``: post.input += w·s.

``delay`` [ms] is a number or one value per synapse: the output computed at
step k acts at step k + ceil(delay/dt), with the dt of the run. Per-synapse
``g_max`` (or ``w``) may be an array in synapse order (``syn.pre_ids``,
``syn.post_ids``).

``track`` (linear models summed per post neuron): keep the presynaptic
trace that makes ``syn.s`` available per synapse. The default keeps it for
projections of up to 10 000 synapses, or when 's' is monitored or read
before the first run.

``layout`` chooses where state is kept: ``'synapse'`` (one state per
synapse, BrainPy's way), ``'pre'`` (one per presynaptic neuron, exact when
the kinetics depend only on presynaptic spikes), ``'post'`` (linear
kinetics summed per postsynaptic neuron), or ``'auto'`` (the cheapest exact
one). All give the same results; compact layouts show ``syn.s`` as a
read-only per-synapse view. One difference shows only when weights change
between runs: ``'post'`` applies a weight when the spike arrives (Brian2's
``g_post += w``), so a new weight acts on later spikes, while ``'synapse'``
and ``'pre'`` scale the conductance already present (``g = g_max·s``).
"""

import numbers

import numpy as np

from . import _native, errors
from .base import NeuGroup, TwoEndConn
from .connect import Connector
from .native import NativeObject, check_kwargs

_COMMON = ("delay", "output", "method", "layout", "track", "monitors", "name", "show_code", "steps")


def _group_handle(g, what):
    if not isinstance(g, NeuGroup):
        raise errors.BrainsynTypeError(f"{what} must be a NeuGroup, got {type(g).__name__}")
    return g._native_handle()


def _connect(conn, pre, post, owner):
    if isinstance(conn, type) and issubclass(conn, Connector):
        conn = conn()
    if not isinstance(conn, Connector):
        raise errors.BrainsynTypeError(f"{owner}: conn must be a bp.connect connector, got {type(conn).__name__}")
    conn = conn(pre.size, post.size)
    try:
        conn.handle()  # build now, so a size error names this synapse and its groups
    except errors.BrainsynValueError as e:
        raise errors.BrainsynValueError(f"{owner}: {e} ({pre.name} → {post.name})") from None
    return conn


def _delay(d, owner):
    if isinstance(d, numbers.Real) and not isinstance(d, bool):
        if not np.isfinite(d) or d < 0:
            raise errors.BrainsynValueError(f"{owner}: delay must be a finite number >= 0 [ms], got {d!r}")
        return float(d), None
    arr = np.asarray(d, dtype=float)
    if arr.ndim == 0:
        return _delay(float(arr), owner)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise errors.BrainsynValueError(f"{owner}: every delay must be finite and >= 0 [ms]")
    return 0.0, arr.ravel()


def _resolve_aliases(cls, kwargs):
    """Renames parameter aliases (BrainModels' names) to their primary names;
    an alias given with its primary raises a TypeError naming both."""
    for alias, primary in cls._aliases.items():
        if alias in kwargs:
            if primary in kwargs:
                raise errors.BrainsynTypeError(
                    f"{cls.__name__}: got both {primary!r} and its alias {alias!r}; give one")
            kwargs[primary] = kwargs.pop(alias)


class _Synapse(NativeObject, TwoEndConn):
    _model = None
    _defaults = {}
    _aliases = {}  # alias → primary parameter name
    _output = "conductance"

    def __init__(self, pre, post, conn, delay=0.0, output=None, method=None, layout="auto", track=None, **kwargs):
        owner = type(self).__name__
        _resolve_aliases(type(self), kwargs)
        params = {k: kwargs.pop(k) for k in list(kwargs) if k in self._defaults}
        check_kwargs(owner, kwargs, list(self._defaults) + list(_COMMON))
        kwargs.pop("steps", None)
        TwoEndConn.__init__(self, pre, post, **kwargs)
        owner = f"{owner} {self.name!r}"  # errors below name the object
        self.conn = _connect(conn, pre, post, owner)
        scalar, arrays = {}, {}
        for k, v in params.items():
            if isinstance(v, bool) or isinstance(v, numbers.Real):
                scalar[k] = float(v)
            elif k in ("g_max", "w"):
                arrays[k] = np.asarray(v, dtype=float)
            else:
                raise errors.BrainsynTypeError(f"{owner}: {k} must be a number, got {v!r}")
        d, darr = _delay(delay, owner)
        if output is not None and output not in ("conductance", "current"):
            raise errors.BrainsynValueError(f"{owner}: output must be 'conductance' or 'current', got {output!r}")
        extra = dict(getattr(self, "_extra_spec", {}))
        if track is not None:
            extra["track"] = bool(track)
        h = _native.new_synapse(self._model, _group_handle(pre, "pre"), _group_handle(post, "post"),
                                self.conn.handle(), params=scalar, output=output or "", method=method or "",
                                layout=layout, delay=d, **extra)
        self._attach(h)
        meta = _native.info(h)
        self.__dict__.update(size=meta["nsyn"], layout=meta["layout"], method=meta["method"], output=meta["output"])
        if darr is not None:
            _native.set_array(h, "delay", darr)
        for k, arr in arrays.items():
            if k != self._weight_param():
                continue
            if arr.size == 1:
                _native.set_array(h, "w", arr.reshape(1))
            else:
                _native.set_array(h, "w", arr)
        for k, v in {**self._defaults, **scalar, **arrays}.items():
            # Engine variables (the per-synapse ``w`` of current models) stay
            # engine views; a plain attribute of that name would hide them.
            if k not in self._varinfo:
                object.__setattr__(self, k, v)
        for alias, primary in self._aliases.items():
            if primary not in self._varinfo:
                object.__setattr__(self, alias, getattr(self, primary))
        object.__setattr__(self, "delay", delay)
        object.__setattr__(self, "_built", True)

    def _weight_param(self):
        """The parameter that sets the weight: g_max for a conductance
        output; for a current output w, or g_max on a conductance model;
        weight for the voltage jump."""
        if self.output == "voltage":
            return "weight"
        if self.output == "conductance" or "w" not in self._defaults:
            return "g_max"
        return "w"

    def __setattr__(self, name, value):
        d = self.__dict__
        if d.get("_built") and name in self._aliases:
            name = self._aliases[name]
        if d.get("_built") and name == "delay":
            # A new delay applies from the next run, with empty delay lines.
            dd, darr = _delay(value, type(self).__name__)
            _native.set_array(self._native_handle(), "delay", np.full(self.size, dd) if darr is None else darr)
            object.__setattr__(self, "delay", value)
            return
        if d.get("_built") and name in self._defaults and name not in d.get("_varinfo", {}):
            if name == self._weight_param():
                NativeObject.__setattr__(self, "w", value)  # per-synapse weights in the engine
                object.__setattr__(self, name, value)
                return
            raise errors.BrainsynValueError(
                f"{type(self).__name__}.{name} is fixed when the synapse is built (the engine holds it); "
                f"build a new synapse to change it. Weights can be changed: set .w (per synapse)")
        NativeObject.__setattr__(self, name, value)

    @property
    def pre_ids(self):
        """Presynaptic neuron of each synapse (synapse order)."""
        return np.array(_native.conn_ids(self._native_handle(), 0))

    @property
    def post_ids(self):
        """Postsynaptic neuron of each synapse (synapse order)."""
        return np.array(_native.conn_ids(self._native_handle(), 1))


def _common_doc(output):
    """The parameters every synapse takes, for a model whose output is
    'conductance', 'current' or 'voltage' (the jump)."""
    what = "jump" if output == "voltage" else "output"
    lines = ["Common parameters", "-----------------",
             "pre, post : NeuGroup", "    Presynaptic and postsynaptic groups.",
             "conn : bp.connect connector",
             "    Which pre neuron reaches which post neuron (synapse order: by pre, then post).",
             "delay : float or array [ms], default 0",
             f"    The {what} computed at step k acts at step k + ceil(delay/dt)."]
    if output == "voltage":
        lines += ["layout : 'auto', 'synapse' or 'pre'"]
    else:
        lines += [f"output : 'conductance' or 'current', default {output!r}",
                  "    conductance: post.input −= g_max·s·(V_post − E) [mV] (g_max is",
                  "    dimensionless: the LIF input is R·I, so g means R·g); current:",
                  "    post.input += w·s [mV].",
                  "method : str",
                  "    Integrator: euler, rk2, rk4, exponential_euler, exact, ... (see ``bp.odeint``).",
                  "layout : 'auto', 'synapse', 'pre' or 'post'"]
    lines += ["    Where state is kept (same results; see :mod:`brainsyn.synapses`).",
              "monitors : list or bp.Monitor",
              "    Variables to record, e.g. ``['s']``; ``syn.mon.s`` is (steps × synapses).",
              "name : str",
              "    Unique name in a network (used in messages and saved states)."]
    units = [] if output == "voltage" else ["Units: time [ms], voltage [mV], rates [1/ms], concentrations [mM].", ""]
    return "\n" + "\n".join(units + lines) + "\n"


# The models are defined once, in the engine (core/synapse/models.go); the
# classes, their defaults and docstrings are built here from its registry.
REGISTRY = {m["name"]: m for m in _native.models()}


def _num(v):
    return f"{v:g}"


def _default(p):
    return bool(p["default"]) if p["flag"] else float(p["default"])


def _docstring(spec):
    """The numpydoc docstring of a registered model: its text, the defaults
    in one line, then one entry per parameter with default, unit and bound."""
    params = spec["params"]
    unit = lambda p: f" [{p['unit']}]" if p["unit"] else ""  # noqa: E731
    line = ", ".join(f"{p['name']} {_default(p)}" if p["flag"] else f"{p['name']} {_num(p['default'])}{unit(p)}"
                     for p in params)
    out = [spec["doc"].strip(), "", f"Defaults: {line}.", "", "Parameters", "----------"]
    for p in params:
        if p["flag"]:
            out.append(f"{p['name']} : bool, default {_default(p)}")
        else:
            out.append(f"{p['name']} : float{unit(p)}, default {_num(p['default'])}")
        bound = f" Must be {p['bound']}." if p["bound"] else ""
        out.append(f"    {p['doc']}{bound}")
    for alias, primary in spec.get("param_aliases", {}).items():
        out += [f"{alias} : float", f"    Alias of ``{primary}`` (BrainModels' name); give one of the two."]
    return "\n".join(out) + "\n"


def _model_class(spec):
    output = spec["output"]
    doc = _docstring(spec) + _common_doc(output)
    defaults = {p["name"]: _default(p) for p in spec["params"]}
    return type(spec["name"], (_Synapse,), {"_model": spec["name"], "_defaults": defaults, "_output": output,
                                           "_aliases": dict(spec.get("param_aliases", {})),
                                           "__doc__": doc, "__module__": __name__})


class _RateSynapse(NativeObject, TwoEndConn):
    """A rate-based learning rule between two :class:`brainsyn.neurons.RateGroup`
    (the registered rate models; core/synapse/rate.go)."""

    _model = None
    _defaults = {}

    def __init__(self, pre, post, conn, delay=0.0, **kwargs):
        owner = type(self).__name__
        params = {k: kwargs.pop(k) for k in list(kwargs) if k in self._defaults}
        check_kwargs(owner, kwargs, list(self._defaults) + ["delay", "monitors", "name", "show_code", "steps"])
        kwargs.pop("steps", None)
        TwoEndConn.__init__(self, pre, post, **kwargs)
        owner = f"{owner} {self.name!r}"
        self.conn = _connect(conn, pre, post, owner)
        d, darr = _delay(delay, owner)
        if darr is not None or d != 0:
            raise errors.BrainsynValueError(f"{owner}: a rate synapse has no delay (rates act in the step they "
                                            f"are set); got delay = {delay!r}")
        scalar, w_arr = {}, None
        for k, v in params.items():
            if isinstance(v, numbers.Real) and not isinstance(v, bool):
                scalar[k] = float(v)
            elif k == "w" and not isinstance(v, (bool, str)):
                try:
                    w_arr = np.asarray(v, dtype=float).ravel()
                except (TypeError, ValueError):
                    raise errors.BrainsynTypeError(f"{owner}: w must be a number or one per synapse, got {v!r:.80}") from None
            else:
                raise errors.BrainsynTypeError(f"{owner}: {k} must be a number, got {v!r:.80}")
        h = _native.new_synapse(self._model, _group_handle(pre, "pre"), _group_handle(post, "post"),
                                self.conn.handle(), params=scalar, delay=0.0)
        self._attach(h)
        nsyn = _native.info(h)["nsyn"]
        if w_arr is not None:
            if w_arr.size != nsyn:
                raise errors.BrainsynValueError(f"{owner}: w has {w_arr.size} values for {nsyn} synapses")
            if not np.all(np.isfinite(w_arr)):
                raise errors.BrainsynValueError(f"{owner}: every w must be finite")
            NativeObject.__setattr__(self, "w", w_arr)
        for k, v in {**self._defaults, **scalar}.items():
            if k not in self._varinfo:
                object.__setattr__(self, k, v)
        self.__dict__.update(size=nsyn, delay=0.0, _built=True)

    def __setattr__(self, name, value):
        if self.__dict__.get("_built") and (name in self._defaults or name == "delay") and name != "w":
            raise errors.BrainsynValueError(
                f"{type(self).__name__}.{name} is fixed when the synapse is built; build a new one to change it "
                f"(the weights .w can be changed)")
        NativeObject.__setattr__(self, name, value)

    pre_ids = _Synapse.pre_ids
    post_ids = _Synapse.post_ids


def _rate_doc(spec):
    return _docstring(spec) + "\n".join([
        "", "Units: time [ms]; learning rates [1/ms] for rates in the unit of r; weights dimensionless.", "",
        "Common parameters", "-----------------",
        "pre, post : brainsyn.neurons.RateGroup", "    Presynaptic and postsynaptic rate groups (variable r).",
        "conn : bp.connect connector",
        "    Which pre unit reaches which post unit (synapse order: by pre, then post).",
        "delay : 0 [ms]", "    Rate synapses have no delay.",
        "monitors : list or bp.Monitor",
        "    Variables to record, e.g. ``['w']``; ``syn.mon.w`` is (steps × synapses).",
        "name : str", "    Unique name in a network (used in messages and saved states).", ""])


__all__ = []
for _spec in REGISTRY.values():
    if _spec["output"] == "rate":
        _cls = type(_spec["name"], (_RateSynapse,), {
            "_model": _spec["name"], "_defaults": {p["name"]: _default(p) for p in _spec["params"]},
            "__doc__": _rate_doc(_spec), "__module__": __name__})
        globals()[_spec["name"]] = _cls
        __all__.append(_spec["name"])
        continue
    if not _spec["chemical"]:
        continue
    _cls = _model_class(_spec)
    for _name in [_spec["name"]] + _spec["aliases"]:
        globals()[_name] = _cls
        __all__.append(_name)
del _spec, _cls, _name

_GAP = {p["name"]: _default(p) for p in REGISTRY["Gap_junction"]["params"]}


class Gap_junction(NativeObject, TwoEndConn):
    r"""Electrical synapse (tutorial §2.1.2).

    For each junction from pre i to post j, in synapse order:
    post.input[j] += w·(V_i − V_j), and on a pre spike post.V[j] jumps by
    w·k_spikelet (after ``delay`` ms; not while refractory if
    ``post_refractory``). ``w`` is per junction: ``weight`` gives one
    number for all (default 1) or one per junction. The tutorial's
    class is this one (``k_spikelet`` 0.1 by default); set ``k_spikelet=0``
    for BrainModels' current-only ``Gap_junction``. The current flows from pre
    to post only: connect both ways for a symmetric junction.

    Units: w is dimensionless (the input is R·I in mV, so w means R·g_gap);
    the spikelet w·k_spikelet is in [mV]; delay in [ms].
    """

    def __init__(self, pre, post, conn, delay=0.0, k_spikelet=_GAP["k_spikelet"], post_refractory=_GAP["post_refractory"],
                 weight=_GAP["weight"], **kwargs):
        check_kwargs("Gap_junction", kwargs, ("monitors", "name", "show_code", "steps"))
        kwargs.pop("steps", None)
        TwoEndConn.__init__(self, pre, post, **kwargs)
        self.conn = _connect(conn, pre, post, f"Gap_junction {self.name!r}")
        owner = f"Gap_junction {self.name!r}"
        d, darr = _delay(delay, owner)
        if darr is not None:
            raise errors.BrainsynValueError("Gap_junction: delay must be one number [ms]")
        if isinstance(k_spikelet, bool) or not isinstance(k_spikelet, numbers.Real):
            raise errors.BrainsynTypeError(f"{owner}: k_spikelet must be a number, got {k_spikelet!r:.80}")
        per_junction = None
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real):
            try:
                per_junction = np.asarray(weight, dtype=float)
            except (TypeError, ValueError):
                raise errors.BrainsynTypeError(
                    f"{owner}: weight must be a number or one number per junction, got {weight!r:.80}") from None
        h = _native.new_synapse("Gap_junction", _group_handle(pre, "pre"), _group_handle(post, "post"),
                                self.conn.handle(), delay=d, k_spikelet=float(k_spikelet),
                                weight=1.0 if per_junction is not None else float(weight),
                                post_refractory=bool(post_refractory))
        self._attach(h)
        nsyn = _native.info(h)["nsyn"]
        if per_junction is not None:
            if per_junction.size != nsyn:
                raise errors.BrainsynValueError(f"{owner}: weight has {per_junction.size} values for {nsyn} junctions")
            NativeObject.__setattr__(self, "w", per_junction.ravel())
        self.__dict__.update(size=nsyn, k_spikelet=float(k_spikelet),
                             post_refractory=bool(post_refractory), delay=d, weight=weight, _built=True)

    def __setattr__(self, name, value):
        if self.__dict__.get("_built") and name == "weight":
            # As g_max of a chemical synapse: the weight of every synapse.
            NativeObject.__setattr__(self, "w", value)
            object.__setattr__(self, "weight", value)
            return
        if self.__dict__.get("_built") and name in ("delay", "k_spikelet", "post_refractory"):
            raise errors.BrainsynValueError(
                f"Gap_junction.{name} is fixed when the junction is built; build a new one to change it "
                f"(the weights .w can be changed)")
        NativeObject.__setattr__(self, name, value)

    pre_ids = _Synapse.pre_ids
    post_ids = _Synapse.post_ids


for _name in ["Gap_junction"] + REGISTRY["Gap_junction"]["aliases"]:
    globals()[_name] = Gap_junction
    __all__.append(_name)
del _name
