"""Global simulation settings: the time step and the (nominal) backend.

brainsyn has one engine (Go); the backend names of BrainPy 1.0 are accepted
so that tutorial code runs unchanged, and are reported back by
:func:`get_backend_name`.
"""

import math
import numbers

from . import errors

__all__ = ["set", "get_dt", "set_dt", "get_backend_name", "BACKENDS"]

BACKENDS = ("numpy", "numba", "numba-parallel", "pytorch", "tensorflow", "jax", "go")
_state = {"dt": 0.1, "backend": "numpy"}


def set_dt(dt):
    """Set the time step [ms] used by runs that start from now on."""
    _state["dt"] = check_dt(dt)


def check_dt(dt):
    """dt as a float, or an error unless it is a finite number > 0 [ms]."""
    if isinstance(dt, bool) or not isinstance(dt, numbers.Real):
        raise errors.BrainsynTypeError(f"dt must be a number [ms], got {type(dt).__name__} {dt!r}")
    dt = float(dt)
    if not math.isfinite(dt) or dt <= 0:
        raise errors.BrainsynValueError(f"dt must be a finite number > 0 [ms], got {dt}")
    return dt


def get_dt():
    """The time step [ms] (default 0.1)."""
    return _state["dt"]


def set(backend=None, dt=None):  # noqa: A001 - BrainPy's name
    """Set the backend name and/or the time step [ms].

    ``bp.backend.set(backend='numba', dt=0.1)`` as in BrainPy 1.0. Unlike
    BrainPy, an int dt is accepted. Delays, integrators and monitors use the
    dt in force when a run starts.
    """
    if backend is not None:
        if backend not in BACKENDS:
            raise errors.BrainsynValueError(f"unknown backend {backend!r}; valid: {', '.join(BACKENDS)}")
        _state["backend"] = backend
    if dt is not None:
        set_dt(dt)


def get_backend_name():
    """The backend name last set (every backend runs on the Go engine)."""
    return _state["backend"]
