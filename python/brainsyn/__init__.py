"""brainsyn: synapse models and small networks in the BrainPy 1.0 style,
simulated by a Go engine.

``import brainsyn as bp`` (and ``bm = bp``) runs code written for the
"Synaptic Models" chapter of the BrainPy handbook. Units: time in ms,
voltage in mV, input current as R·I in mV.
"""

import numbers as _numbers
import warnings as _warnings

from . import backend, connect, errors, inputs, ops, visualize
from . import measure, neurons, synapses
from . import network as _network_mod
from .base import ConstantDelay, DynamicSystem, NeuGroup, TwoEndConn, size2len
from .errors import ModelDefError, ModelUseError, RunningError
from .integrators import odeint, set_default_odeint, get_default_odeint
from .monitor import Monitor
from .network import Network
from .checkpoint import save_state, load_state
from .declare import NativeSynapse
from . import integrators
from . import _native
from .sweep import sweep  # bp.sweep(fn, grid): parameter sweeps on Dask (module: brainsyn.sweep)

from ._version import __version__

__all__ = ["backend", "connect", "errors", "inputs", "measure", "ops", "visualize", "neurons", "synapses", "models",
           "DynamicSystem", "NeuGroup", "TwoEndConn", "ConstantDelay", "Network", "Monitor", "odeint",
           "set_default_odeint", "get_default_odeint", "size2len", "set_num_threads", "get_num_threads",
           "live_objects", "check_nan", "ModelUseError", "ModelDefError", "RunningError", "set_backend",
           "integrators", "simulation", "save_state", "load_state", "NativeSynapse"]

models = __import__("types").SimpleNamespace(neurons=neurons, synapses=synapses)
simulation = __import__("types").SimpleNamespace(Monitor=Monitor, Network=Network)


def set_num_threads(n):
    """Number of threads the engine uses for runs that start from now on.

    Results are bit-identical for any thread count. At most one thread per
    processor this process may use is taken (more would wait for each
    other's processors and slow a run many times over): a larger ``n``
    warns and uses that many.
    """
    if isinstance(n, bool) or not isinstance(n, _numbers.Integral):
        raise errors.BrainsynTypeError(f"the number of threads must be an int, got {n!r}")
    _native.call("SetThreads", int(n))
    used = _native.call("Threads")
    if used < n:
        _warnings.warn(f"{n} threads asked for, but this process may use {used} processors: runs use {used} "
                      f"threads", RuntimeWarning, stacklevel=2)


def get_num_threads():
    """Threads used by new runs."""
    return _native.call("Threads")


def set_backend(backend=None, dt=None):
    """BrainModels' ``bm.set_backend(backend='numba')``: accepted, every backend runs on Go."""
    # The parameter is named as in BrainModels (the appendix calls it by
    # keyword), so the backend module is imported under another name here.
    from .backend import set as _set
    _set(backend=backend, dt=dt)


def live_objects():
    """(live engine handles, live memory stores, bytes in them): for leak checks."""
    return _native.live()


#: Set ``bp.check_nan = True`` to stop a run at the first NaN in any engine
#: variable, with a NaNError naming the object, variable, index and step.
check_nan = False
