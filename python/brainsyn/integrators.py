"""``bp.odeint``: explicit integrators for derivative functions in Python.

The derivative signature is BrainPy's: state variables first, then ``t``,
then parameters (a leading ``self`` is allowed); it returns the derivatives
in the same order. The integrator has the same signature and returns the
new value(s). Parameters are held constant over a step.
"""

import functools
import inspect
import math

import numpy as np

from . import backend, errors

__all__ = ["odeint", "set_default_odeint", "get_default_odeint", "METHODS"]

_TABLEAUS = {
    "euler": ([[]], [1.0]),
    "midpoint": ([[], [0.5]], [0.0, 1.0]),
    "heun2": ([[], [1.0]], [0.5, 0.5]),
    "ralston2": ([[], [2 / 3]], [0.25, 0.75]),
    "rk2": ([[], [2 / 3]], [0.25, 0.75]),
    "rk3": ([[], [0.5], [-1.0, 2.0]], [1 / 6, 2 / 3, 1 / 6]),
    "heun3": ([[], [1 / 3], [0.0, 2 / 3]], [0.25, 0.0, 0.75]),
    "ralston3": ([[], [0.5], [0.0, 0.75]], [2 / 9, 1 / 3, 4 / 9]),
    "ssprk3": ([[], [1.0], [0.25, 0.25]], [1 / 6, 1 / 6, 2 / 3]),
    "rk4": ([[], [0.5], [0.0, 0.5], [0.0, 0.0, 1.0]], [1 / 6, 1 / 3, 1 / 3, 1 / 6]),
    "rk4_38rule": ([[], [1 / 3], [-1 / 3, 1.0], [1.0, -1.0, 1.0]], [0.125, 0.375, 0.375, 0.125]),
    "ralston4": ([[], [0.4], [0.29697761, 0.15875964], [0.21810040, -3.05096516, 3.83286476]],
                 [0.17476028, -0.55148066, 1.20553560, 0.17118478]),
}
_C = {"euler": [0], "midpoint": [0, 0.5], "heun2": [0, 1], "ralston2": [0, 2 / 3], "rk2": [0, 2 / 3],
      "rk3": [0, 0.5, 1], "heun3": [0, 1 / 3, 2 / 3], "ralston3": [0, 0.5, 0.75], "ssprk3": [0, 1, 0.5],
      "rk4": [0, 0.5, 0.5, 1], "rk4_38rule": [0, 1 / 3, 2 / 3, 1], "ralston4": [0, 0.4, 0.45573725, 1]}
_SCALARS = (float, int, np.floating, np.integer, np.bool_)
METHODS = tuple(_TABLEAUS) + ("exponential_euler",)
_default = {"method": "euler"}


def set_default_odeint(method):
    if method not in METHODS:
        raise errors.BrainsynValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
    _default["method"] = method


def get_default_odeint():
    return _default["method"]


def _variables(f):
    params = list(inspect.signature(f).parameters)
    if params and params[0] == "self":
        params = params[1:]
    if "t" not in params:
        raise errors.BrainsynTypeError(
            f"derivative {f.__name__}{inspect.signature(f)} must take its state variables, then t, "
            f"then its parameters")
    k = params.index("t")
    if k == 0:
        raise errors.BrainsynTypeError(f"derivative {f.__name__} has no state variable before t")
    return params[:k], params[k + 1:]


def odeint(f=None, method=None, show_code=False, dt=None, **kwargs):
    """Make an integrator from a derivative function.

    Use as ``bp.odeint(f=self.derivative, method='rk4')`` or as a decorator
    ``@bp.odeint(method='exponential_euler')``. ``dt`` [ms] defaults to the
    dt in force when the integrator is called (BrainPy froze it when the
    integrator was made). Methods: euler, midpoint, heun2, ralston2, rk2,
    rk3, heun3, ralston3, ssprk3, rk4, ralston4, rk4_38rule,
    exponential_euler. exponential_euler updates each variable alone with
    the others at their old values: y + (e^{A·dt} − 1)/A · f, where A is
    ∂f_y/∂y (the coefficient of y for equations linear in y).
    """
    if f is None:
        return lambda g: odeint(g, method=method, show_code=show_code, dt=dt, **kwargs)
    method = method or _default["method"]
    if method not in METHODS:
        raise errors.BrainsynValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")
    if not callable(f):
        raise errors.BrainsynTypeError(f"odeint needs a derivative function, got {type(f).__name__}")
    dt = None if dt is None else backend.check_dt(dt)
    names, pnames = _variables(f)
    nv = len(names)
    # A plain function whose first argument is self (decorated inside a class
    # without @staticmethod) is called as obj.integral(...): the integral then
    # receives the object first and passes it on to f.
    sig = list(inspect.signature(f).parameters)
    takes_self = bool(sig) and sig[0] == "self"

    def _deriv(f, ys, t, params):
        out = f(*ys, t, *params)
        if nv == 1:
            out = (out[0],) if isinstance(out, (tuple, list)) else (out,)
        if len(out) != nv:
            raise errors.BrainsynValueError(f"{f.__name__} returned {len(out)} derivatives for {nv} variables {names}")
        return out

    if takes_self:
        def deriv(ys, t, params):
            return _deriv(functools.partial(f, params[0]), ys, t, params[1:])
    elif nv == 1:
        def deriv(ys, t, params):
            out = f(*ys, t, *params)
            return (out[0],) if isinstance(out, (tuple, list)) else (out,)
    else:
        def deriv(ys, t, params):
            out = f(*ys, t, *params)  # one call layer less: this runs 4× per element per step for rk4
            if len(out) != nv:
                raise errors.BrainsynValueError(
                    f"{f.__name__} returned {len(out)} derivatives for {nv} variables {names}")
            return out

    stepper = None if method == "exponential_euler" else _rk_stepper(method, nv)

    @functools.wraps(f)
    def integral(*args, **kw):
        h = backend.get_dt() if dt is None else dt
        if takes_self:
            if not args:
                raise errors.BrainsynTypeError(f"integral of {f.__name__} needs the object (self) first")
            # self travels at the front of the parameters: deriv peels it off
            owner, args = args[0], args[1:]
            bound = list(args)
            for name in names + ["t"] + pnames:
                if name in kw:
                    bound.append(kw.pop(name))
            if "dt" in kw:
                h = backend.check_dt(kw.pop("dt"))
            if kw or len(bound) < nv + 1:
                raise errors.BrainsynTypeError(f"integral of {f.__name__} needs {names + ['t'] + pnames}")
            ys, t, params = bound[:nv], bound[nv], [owner] + bound[nv + 1:]
            new = _exp_euler(deriv, ys, t, params, h) if stepper is None else _rk(deriv, ys, t, params, h, method)
            return new[0] if nv == 1 else tuple(new)
        if not kw and stepper is not None and len(args) > nv:
            # Fast path: the per-element calls of a Python update loop.
            new = stepper(deriv, args[:nv], args[nv], args[nv + 1:], h)
            return new[0] if nv == 1 else new
        if "dt" in kw:
            h = backend.check_dt(kw.pop("dt"))
        bound = list(args)
        for name in names + ["t"] + pnames:
            if name in kw:
                bound.append(kw.pop(name))
        if kw:
            raise errors.BrainsynTypeError(f"integral of {f.__name__} got unexpected arguments {sorted(kw)}")
        if len(bound) < nv + 1:
            raise errors.BrainsynTypeError(f"integral of {f.__name__} needs {names + ['t'] + pnames}")
        ys, t, params = bound[:nv], bound[nv], bound[nv + 1:]
        if method == "exponential_euler":
            new = _exp_euler(deriv, ys, t, params, h)
        else:
            new = _rk(deriv, ys, t, params, h, method)
        return new[0] if nv == 1 else tuple(new)

    integral.method = method
    integral.variables = names
    integral.parameters = pnames
    return integral


_STEPPERS = {}


def _rk_stepper(method, nv):
    """A generated step function for one tableau and nv variables.

    Written out term by term (as BrainPy 1.0 generated its integrators):
    a generic loop over the tableau costs several times more per call,
    which dominates models whose update calls the integrator per element.
    """
    key = (method, nv)
    fn = _STEPPERS.get(key)
    if fn is not None:
        return fn
    A, B = _TABLEAUS[method]
    C = _C[method]
    ys = [f"y{j}" for j in range(nv)]
    lines = ["def step(deriv, ys, t, p, h):", f"    {', '.join(ys)}, = ys"]
    for s in range(len(B)):
        args = []
        for j in range(nv):
            terms = " + ".join(f"{a!r} * k{q}_{j}" for q, a in enumerate(A[s]) if a != 0)
            args.append(f"{ys[j]} + h * ({terms})" if terms else ys[j])
        tt = "t" if C[s] == 0 else f"t + {C[s]!r} * h"
        ks = ", ".join(f"k{s}_{j}" for j in range(nv))
        lines.append(f"    {ks}, = deriv(({', '.join(args)},), {tt}, p)")
    outs = []
    for j in range(nv):
        terms = " + ".join(f"{b!r} * k{q}_{j}" for q, b in enumerate(B) if b != 0)
        outs.append(f"{ys[j]} + h * ({terms})")
    lines.append(f"    return ({', '.join(outs)},)")
    ns = {}
    exec("\n".join(lines), ns)  # noqa: S102 - source built above from the tableau only
    fn = _STEPPERS[key] = ns["step"]
    return fn


def _rk(deriv, ys, t, params, h, method):
    return list(_rk_stepper(method, len(ys))(deriv, tuple(ys), t, tuple(params), h))


def _exp_euler_scalar(deriv, ys, t, params, h, f0):
    """Same as below for plain numbers, with math instead of numpy (a Python
    update loop calls this once per element per step)."""
    out = []
    for j, y in enumerate(ys):
        y = float(y)
        eps = 1e-6 * (1.0 + abs(y))
        up = list(ys)
        dn = list(ys)
        up[j], dn[j] = y + eps, y - eps
        a = (float(deriv(up, t, params)[j]) - float(deriv(dn, t, params)[j])) / (2 * eps)
        phi = h if abs(a) < 1e-12 else math.expm1(a * h) / a
        out.append(y + phi * float(f0[j]))
    return out


def _exp_euler(deriv, ys, t, params, h):
    f0 = deriv(ys, t, params)
    if all(isinstance(v, _SCALARS) for v in ys) and all(isinstance(v, _SCALARS) for v in f0):
        try:
            return _exp_euler_scalar(deriv, ys, t, params, h, f0)
        except (OverflowError, ZeroDivisionError, TypeError, ValueError):
            pass  # inf/nan or array-valued pieces: numpy's rules below
    out = []
    for j, y in enumerate(ys):
        y = np.asarray(y, dtype=float)
        eps = 1e-6 * (1.0 + np.abs(y))
        up = list(ys)
        dn = list(ys)
        up[j], dn[j] = y + eps, y - eps
        a = (np.asarray(deriv(up, t, params)[j]) - np.asarray(deriv(dn, t, params)[j])) / (2 * eps)
        # Coefficients that are zero to rounding mean y is absent: plain Euler.
        a = np.where(np.abs(a) < 1e-12, 0.0, a)
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = np.where(a == 0, h, np.expm1(a * h) / np.where(a == 0, 1.0, a))
        new = y + phi * np.asarray(f0[j])
        out.append(new if np.ndim(new) else float(new))
    return out
