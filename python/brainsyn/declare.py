"""Synapse models declared in Python and run inside the Go step loop.

A model written as a ``bp.TwoEndConn`` subclass with a Python ``update``
makes the engine call Python at every step. Declaring it instead, as a
subclass of :class:`NativeSynapse`, gives the engine everything it needs to
run the model itself:

* ``state``: the gating variables and their initial values;
* ``derivative``: the ODE, written as for ``bp.odeint`` (state variables,
  then ``t``, then parameters, with ``TT`` for the transmitter
  concentration). It is called once, with symbols, and traced into an
  expression graph that Go evaluates over the state arrays;
* ``params``: parameters and their defaults (override them as keyword
  arguments of the constructor);
* the spike rule: ``pulse = True`` for a transmitter pulse (TT = T for
  T_duration ms after each presynaptic spike), and/or ``spike_var = 'x'``
  to add 1 to x on a spike (``spike_first`` before or after the step);
* ``method``: euler, rk2, rk3, rk4, ..., or exponential_euler (the linear
  coefficient of each variable in its own derivative is differentiated
  symbolically from the trace).

The output is chosen when the synapse is made, as for the built-in models:
``output='conductance'`` (g_max, E) or ``'current'`` (w), or none.

Example — the chapter's AMPA::

    class AMPA(bp.NativeSynapse):
        state = {'s': 0.}
        params = dict(alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)
        pulse = True
        method = 'exponential_euler'

        @staticmethod
        def derivative(s, t, TT, alpha, beta):
            return alpha * TT * (1 - s) - beta * s

    syn = AMPA(pre, post, bp.connect.All2All(), monitors=['s'], T_duration=3.)

The derivative may use arithmetic, ``**``, comparisons, and ``bp.ops`` /
NumPy ``exp``, ``log``, ``sqrt``, ``abs``, ``tanh``, ``maximum``,
``minimum`` and ``where``; Python ``if`` on state values cannot be traced
(use ``where``). The state evolves from presynaptic spikes only, so the
engine keeps one state per presynaptic neuron (exact, see
:mod:`brainsyn.synapses`).
"""

import inspect
import math
import numbers

import numpy as np

from . import _native, errors
from .synapses import _Synapse, _COMMON

__all__ = ["NativeSynapse", "Sym", "trace"]


class Sym:
    """A traced value: an operation on earlier values."""

    __slots__ = ("op", "args", "value", "index")
    __array_priority__ = 1000

    def __init__(self, op, args=(), value=0.0, index=0):
        self.op, self.args, self.value, self.index = op, tuple(args), float(value), index

    @staticmethod
    def of(x):
        if isinstance(x, Sym):
            return x
        if isinstance(x, numbers.Real) and not isinstance(x, bool) or isinstance(x, np.floating):
            return Sym("const", value=float(x))
        if isinstance(x, (bool, np.bool_)):
            return Sym("const", value=float(x))
        raise errors.BrainsynTypeError(f"a declared derivative can only combine numbers and state, got {type(x).__name__}")

    def _bin(self, op, other, rev=False):
        a, b = Sym.of(self), Sym.of(other)
        return Sym(op, (b, a) if rev else (a, b))

    __add__ = lambda s, o: s._bin("add", o)
    __radd__ = lambda s, o: s._bin("add", o, True)
    __sub__ = lambda s, o: s._bin("sub", o)
    __rsub__ = lambda s, o: s._bin("sub", o, True)
    __mul__ = lambda s, o: s._bin("mul", o)
    __rmul__ = lambda s, o: s._bin("mul", o, True)
    __truediv__ = lambda s, o: s._bin("div", o)
    __rtruediv__ = lambda s, o: s._bin("div", o, True)
    __pow__ = lambda s, o: s._bin("pow", o)
    __rpow__ = lambda s, o: s._bin("pow", o, True)
    __lt__ = lambda s, o: s._bin("lt", o)
    __le__ = lambda s, o: s._bin("le", o)
    __gt__ = lambda s, o: s._bin("gt", o)
    __ge__ = lambda s, o: s._bin("ge", o)
    __neg__ = lambda s: Sym("neg", (s,))
    __pos__ = lambda s: s
    __abs__ = lambda s: Sym("abs", (s,))

    def __bool__(self):
        raise errors.BrainsynTypeError(
            "a declared derivative cannot branch on state with 'if' or 'and/or'; use bp.ops.where(cond, a, b)")

    _UFUNCS = {"exp": "exp", "log": "log", "sqrt": "sqrt", "absolute": "abs", "tanh": "tanh", "negative": "neg",
               "add": "add", "subtract": "sub", "multiply": "mul", "true_divide": "div", "divide": "div",
               "power": "pow", "less": "lt", "less_equal": "le", "greater": "gt", "greater_equal": "ge",
               "maximum": "max", "minimum": "min"}

    def __array_ufunc__(self, ufunc, method, *inputs, **kw):
        op = self._UFUNCS.get(ufunc.__name__)
        if method != "__call__" or op is None or kw:
            raise errors.BrainsynTypeError(f"np.{ufunc.__name__} cannot be used in a declared derivative")
        return Sym(op, tuple(Sym.of(x) for x in inputs))

    def __array_function__(self, func, types, args, kwargs):
        if func is np.where and len(args) == 3 and not kwargs:
            return Sym("where", tuple(Sym.of(x) for x in args))
        raise errors.BrainsynTypeError(f"np.{func.__name__} cannot be used in a declared derivative")


def _const(x):
    return Sym("const", value=x)


def diff(e, var, memo=None):
    """∂e/∂(state variable var), as a Sym."""
    memo = {} if memo is None else memo
    key = id(e)
    if key in memo:
        return memo[key]
    op, a = e.op, e.args
    d = lambda x: diff(x, var, memo)  # noqa: E731
    if op == "var":
        r = _const(1.0 if e.index == var else 0.0)
    elif op in ("const", "TT", "t", "lt", "le", "gt", "ge"):
        r = _const(0.0)
    elif op == "add":
        r = d(a[0]) + d(a[1])
    elif op == "sub":
        r = d(a[0]) - d(a[1])
    elif op == "mul":
        r = d(a[0]) * a[1] + a[0] * d(a[1])
    elif op == "div":
        r = (d(a[0]) * a[1] - a[0] * d(a[1])) / (a[1] * a[1])
    elif op == "neg":
        r = -d(a[0])
    elif op == "exp":
        r = e * d(a[0])
    elif op == "log":
        r = d(a[0]) / a[0]
    elif op == "sqrt":
        r = d(a[0]) / (2 * e)
    elif op == "tanh":
        r = (1 - e * e) * d(a[0])
    elif op == "abs":
        r = Sym("where", (a[0] >= 0, d(a[0]), -d(a[0])))
    elif op == "pow":
        r = a[1] * Sym("pow", (a[0], a[1] - 1)) * d(a[0]) + e * Sym("log", (a[0],)) * d(a[1]) \
            if _depends(a[1], var) else a[1] * Sym("pow", (a[0], a[1] - 1)) * d(a[0])
    elif op in ("max", "min"):
        pick = a[0] >= a[1] if op == "max" else a[0] <= a[1]
        r = Sym("where", (pick, d(a[0]), d(a[1])))
    elif op == "where":
        r = Sym("where", (a[0], d(a[1]), d(a[2])))
    else:  # pragma: no cover - every op is handled above
        raise errors.BrainsynTypeError(f"cannot differentiate {op}")
    memo[key] = r
    return r


def _depends(e, var, memo=None):
    memo = {} if memo is None else memo
    if id(e) in memo:
        return memo[id(e)]
    r = (e.op == "var" and e.index == var) or any(_depends(x, var, memo) for x in e.args)
    memo[id(e)] = r
    return r


def _graph(outputs):
    """Nodes in topological order (shared subexpressions once) and output ids."""
    ids, nodes = {}, []

    def visit(e):
        k = id(e)
        if k in ids:
            return ids[k]
        args = [visit(x) for x in e.args]
        node = {"op": e.op}
        if e.op == "const":
            node["value"] = e.value
        elif e.op == "var":
            node["index"] = e.index
        if args:
            node["args"] = args
        ids[k] = len(nodes)
        nodes.append(node)
        return ids[k]

    outs = [visit(o) for o in outputs]
    return {"nodes": nodes, "outputs": outs}


def trace(derivative, state, params):
    """Trace ``derivative`` into (derivative graph, coefficient graph).

    ``state`` lists the variable names in order; ``params`` maps parameter
    names to values (``TT`` is the transmitter concentration).
    """
    sig = list(inspect.signature(derivative).parameters)
    if sig and sig[0] == "self":
        sig = sig[1:]
    n = len(state)
    if sig[:n] != list(state) or len(sig) <= n or sig[n] != "t":
        raise errors.BrainsynTypeError(
            f"derivative{tuple(sig)} must take the state variables {list(state)}, then t, then parameters")
    args = [Sym("var", index=j) for j in range(n)] + [Sym("t")]
    for p in sig[n + 1:]:
        if p == "TT":
            args.append(Sym("TT"))
        elif p in params:
            args.append(_const(float(params[p])))
        else:
            raise errors.BrainsynTypeError(f"derivative parameter {p!r} is neither a declared parameter nor TT; "
                                           f"parameters: {sorted(params)}")
    out = derivative(*args)
    if n == 1 and not isinstance(out, (tuple, list)):
        out = (out,)
    out = [Sym.of(o) for o in out]
    if len(out) != n:
        raise errors.BrainsynValueError(f"derivative returned {len(out)} values for {n} state variables")
    if any(_uses_time(o) for o in out):
        raise errors.BrainsynTypeError("a declared derivative may not depend on t explicitly")
    coefs = [diff(o, j) for j, o in enumerate(out)]
    return _graph(out), _graph(coefs)


def _uses_time(e, seen=None):
    seen = set() if seen is None else seen
    if id(e) in seen:
        return False
    seen.add(id(e))
    return e.op == "t" or any(_uses_time(x, seen) for x in e.args)


class NativeSynapse(_Synapse):
    """Base class of synapse models declared for the engine (see the module
    documentation of :mod:`brainsyn.declare`).

    Parameters
    ----------
    pre, post : NeuGroup
    conn : bp.connect connector
    delay : float or array [ms], default 0
    output : None, 'conductance' or 'current'
        None: the synapse only computes its state (as the chapter's classes).
    g_max : float or array, default 1 (conductance output)
    E : float [mV], default 0 (conductance output)
    w : float or array, default 1 (current output)
    method : str, optional
        Overrides the class's ``method``.
    monitors, name : as for every object.
    **params : overrides of the class's ``params``.
    """

    state = {}
    params = {}
    pulse = False
    spike_var = None
    spike_first = False
    method = "euler"

    def __init__(self, pre, post, conn, delay=0.0, output=None, g_max=None, E=0.0, w=None, method=None,
                 layout="auto", **kwargs):
        cls = type(self)
        owner = cls.__name__
        if not cls.state:
            raise errors.BrainsynTypeError(f"{owner} declares no state (state = {{'s': 0.}})")
        if not callable(getattr(cls, "derivative", None)):
            raise errors.BrainsynTypeError(f"{owner} declares no derivative")
        params = dict(cls.params)
        for k in list(kwargs):
            if k in params:
                params[k] = kwargs.pop(k)
        from .native import check_kwargs
        check_kwargs(owner, kwargs, list(params) + [c for c in _COMMON if c not in ("method", "layout")])
        for k, v in params.items():
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise errors.BrainsynTypeError(f"{owner}: parameter {k} must be a number, got {v!r}")
        names = list(cls.state)
        for k, v in [*params.items(), *((f"the initial {n}", cls.state[n]) for n in names)]:
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise errors.BrainsynTypeError(f"{owner}: {k} must be a number, got {v!r}")
            if not math.isfinite(v):
                raise errors.BrainsynValueError(f"{owner}: {k} must be a finite number, got {v}")
        deriv, coef = trace(cls.derivative, names, params)
        sv = -1
        if cls.spike_var is not None:
            if cls.spike_var not in names:
                raise errors.BrainsynValueError(f"{owner}: spike_var {cls.spike_var!r} is not a state variable {names}")
            sv = names.index(cls.spike_var)
        if cls.pulse:
            for p in ("T", "T_duration"):
                if p not in params:
                    raise errors.BrainsynValueError(f"{owner}: a transmitter pulse needs parameter {p}")
        if output not in (None, "conductance", "current"):
            raise errors.BrainsynValueError(f"{owner}: output must be None, 'conductance' or 'current', got {output!r}")
        weight = g_max if output == "conductance" else w
        weight = 1.0 if weight is None else weight
        arr = None
        if not isinstance(weight, numbers.Real):
            arr = np.asarray(weight, dtype=float)
            weight = 1.0
        declared = {"name": owner, "vars": names, "init": [float(cls.state[n]) for n in names],
                    "deriv": deriv, "coef": coef, "spike_var": sv, "spike_first": bool(cls.spike_first),
                    "pulse": bool(cls.pulse), "T": float(params.get("T", 0.0)),
                    "T_duration": float(params.get("T_duration", 0.0)), "method": method or cls.method,
                    "output": output or "none", "E": float(E), "weight": float(weight)}
        self._declared = declared
        self._defaults = {}
        self._model = "Declared"
        self._extra_spec = {"declared": declared}
        super().__init__(pre, post, conn, delay=delay, layout=layout, **kwargs)
        for k, v in params.items():
            object.__setattr__(self, k, v)
        if arr is not None:
            _native.set_array(self._handle, "w", arr)
