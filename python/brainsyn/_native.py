"""The one module that talks to the compiled engine.

Control calls go through gopy's bindings (``pyapi``); memory is shared
through the ``bs_*`` C ABI of the same extension module, opened with ctypes
(one shared object, so one Go runtime in the process).
"""

import ctypes
import json
import math
import os
import weakref

import numpy as np

from . import errors

try:
    from ._gopy import pyapi as _pyapi
    from ._gopy import _brainsyn_go as _ext
except ImportError as e:  # pragma: no cover - only without a build
    raise ImportError("brainsyn's compiled engine is missing; install a brainsyn wheel, or build it "
                      "with 'pip install .' (or 'pip install -e .') from the source tree (that needs "
                      "Go >= 1.24, a C compiler and the Python headers)") from e

_lib = ctypes.CDLL(_ext.__file__)

_i64 = ctypes.c_int64
_p_i64 = ctypes.POINTER(ctypes.c_int64)
_vp = ctypes.c_void_p
_p_vp = ctypes.POINTER(ctypes.c_void_p)
_ERRLEN = 4096

_SIGS = {
    "bs_version": ([], ctypes.c_int),
    "bs_var": ([_i64, ctypes.c_char_p, _p_vp, _p_i64, ctypes.POINTER(ctypes.c_int), _p_i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_store_release": ([_i64], ctypes.c_int),
    "bs_monitor": ([_i64, ctypes.c_int, _p_vp, _p_i64, _p_i64, ctypes.POINTER(ctypes.c_int), _p_i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_monitor_events": ([_i64, ctypes.c_int, _p_vp, _p_i64, _p_i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_set_array": ([_i64, ctypes.c_char_p, _vp, _i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_conn_from_ij": ([_i64, _i64, _vp, _vp, _i64, _p_i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_conn_ids": ([_i64, ctypes.c_int, _p_vp, _p_i64, _p_i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_net_input": ([_i64, ctypes.c_int, ctypes.c_char_p, ctypes.c_char, ctypes.c_int, _i64, _vp, _i64, ctypes.c_char_p, ctypes.c_int], ctypes.c_int),
    "bs_live": ([_p_i64, _p_i64, _p_i64], ctypes.c_int),
}
for _name, (_args, _res) in _SIGS.items():
    _f = getattr(_lib, _name)
    _f.argtypes, _f.restype = _args, _res

_forked = False


def _after_fork():
    global _forked
    _forked = True


os.register_at_fork(after_in_child=_after_fork)


def _check_process():
    if _forked:
        raise errors.ForkError(
            "brainsyn cannot be used in a process forked after its Go runtime started "
            "(fork copies only one thread of the runtime and can hang). Use the 'spawn' "
            "start method: multiprocessing.get_context('spawn'), or concurrent.futures "
            "with mp_context=multiprocessing.get_context('spawn').")


def call(name, *args):
    """Call a gopy-bound engine function, raising brainsyn errors."""
    _check_process()
    try:
        return getattr(_pyapi, name)(*args)
    except RuntimeError as e:
        raise errors.from_native(e) from None


def ccall(name, *args):
    """Call a bs_* C function whose last two arguments are the error buffer."""
    _check_process()
    buf = ctypes.create_string_buffer(_ERRLEN)
    status = getattr(_lib, name)(*args, buf, _ERRLEN)
    if status != 0:
        raise errors.from_native(buf.value.decode("utf-8", "replace"))


def spec_json(what, spec):
    """JSON of a specification. JSON has no NaN or infinity: such a value
    is refused here by name, not as a parse error in the engine."""
    def check(x, name):
        if isinstance(x, dict):
            for k, v in x.items():
                check(v, k)
        elif isinstance(x, (list, tuple)):
            for v in x:
                check(v, name)
        elif isinstance(x, float) and not math.isfinite(x):
            raise errors.BrainsynValueError(f"{what}: {name} must be a finite number, got {x}")
    check(spec, "a value")
    return json.dumps(spec)


def new_neuron(model, **spec):
    return call("NewNeuron", model, spec_json(model, spec))


def new_conn(**spec):
    return call("NewConn", spec_json(spec.get("kind", "connector"), spec))


def models():
    """The engine's synapse model registry: one dict per model (name,
    aliases, doc, params with default/unit/bound/flag/doc, vars, method,
    output, linear, chemical)."""
    return json.loads(call("Models"))


def neuron_models():
    """The engine's neuron model registry: one dict per model (name, doc,
    params with default/unit/bound/doc, vars with unit/doc/init, rule,
    refractory, method, methods)."""
    return json.loads(call("NeuronModels"))


_NEURON_NAMES = None


def neuron_model_names():
    """Names of the registered neuron models (cached)."""
    global _NEURON_NAMES
    if _NEURON_NAMES is None:
        _NEURON_NAMES = frozenset(m["name"] for m in neuron_models())
    return _NEURON_NAMES


def new_synapse(model, pre, post, conn, **spec):
    return call("NewSynapse", model, int(pre), int(post), int(conn), spec_json(model, spec))


def info(h):
    return json.loads(call("Info", int(h)))


def var_list(h):
    return json.loads(call("Vars", int(h))) or []


def free(h):
    if not _forked:
        try:
            _pyapi.Free(int(h))
        except Exception:  # the handle may already be gone at shutdown
            pass


class _Store:
    """Owns one reference to a C store; releases it when collected."""

    __slots__ = ("__weakref__",)

    def __init__(self, sid):
        weakref.finalize(self, _release, sid)


def _release(sid):
    if not _forked:
        _lib.bs_store_release(sid)


_CT = {0: (ctypes.c_double, np.float64, np.float64), 1: (ctypes.c_uint8, np.uint8, np.bool_),
       2: (ctypes.c_int32, np.int32, np.int32)}


def _view(ptr, n, kind, sid):
    """A numpy view of n elements at ptr, keeping the store alive."""
    ctype, raw, dtype = _CT[kind]
    if n == 0 or not ptr:
        if ptr and sid:
            _release(sid)  # an empty store still holds its reference
        return np.zeros(0, dtype=dtype)
    buf = (ctype * n).from_address(ptr)
    buf._owner = _Store(sid)
    return np.frombuffer(buf, dtype=raw).view(dtype)


def var_view(h, name):
    """Zero-copy view of a node variable."""
    ptr, n, kind, sid = _vp(), _i64(), ctypes.c_int(), _i64()
    ccall("bs_var", int(h), name.encode(), ctypes.byref(ptr), ctypes.byref(n), ctypes.byref(kind), ctypes.byref(sid))
    return _view(ptr.value, n.value, kind.value, sid.value)


def monitor_view(net, k):
    ptr, rows, cols, kind, sid = _vp(), _i64(), _i64(), ctypes.c_int(), _i64()
    ccall("bs_monitor", int(net), int(k), ctypes.byref(ptr), ctypes.byref(rows), ctypes.byref(cols),
          ctypes.byref(kind), ctypes.byref(sid))
    return _view(ptr.value, rows.value * cols.value, kind.value, sid.value).reshape(rows.value, cols.value)


EVENT = np.dtype([("i", np.int32), ("index", np.int32)])


def monitor_events(net, k):
    """The events of an event monitor: a record array (step ``i``, ``index``)
    over the engine's copy."""
    ptr, n, sid = _vp(), _i64(), _i64()
    ccall("bs_monitor_events", int(net), int(k), ctypes.byref(ptr), ctypes.byref(n), ctypes.byref(sid))
    if n.value == 0:
        return np.zeros(0, dtype=EVENT)
    return _view(ptr.value, 2 * n.value, 2, sid.value).view(EVENT)


def set_array(h, name, x):
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    ccall("bs_set_array", int(h), name.encode(), x.ctypes.data, x.size)


def conn_from_ij(npre, npost, pre, post):
    pre = indices(pre, npre, "IJConn: i")
    post = indices(post, npost, "IJConn: j")
    if pre.size != post.size:
        raise errors.BrainsynValueError(f"pre_ids has {pre.size} entries but post_ids has {post.size}")
    out = _i64()
    ccall("bs_conn_from_ij", int(npre), int(npost), pre.ctypes.data, post.ctypes.data, pre.size, ctypes.byref(out))
    return out.value


def indices(x, n, what):
    """x as int32 neuron indices, each checked to be in [0, n) before the
    cast (which would wrap 2**32 + 1 around to 1)."""
    a = np.asarray(x).ravel()
    if a.size and not np.issubdtype(a.dtype, np.integer):
        raise errors.BrainsynTypeError(f"{what} must hold integers, got dtype {a.dtype}")
    bad = np.flatnonzero((a < 0) | (a >= n)) if a.size else ()
    if len(bad):
        raise errors.BrainsynIndexError(f"{what}[{bad[0]}] = {a[bad[0]]} is out of range for {n} neurons")
    return np.ascontiguousarray(a, dtype=np.int32)


def conn_ids(h, which):
    ptr, n, sid = _vp(), _i64(), _i64()
    ccall("bs_conn_ids", int(h), int(which), ctypes.byref(ptr), ctypes.byref(n), ctypes.byref(sid))
    return _view(ptr.value, n.value, 2, sid.value)


def net_input(net, node, var, op, iterate, width, data):
    data = np.ascontiguousarray(data, dtype=np.float64).ravel()
    ccall("bs_net_input", int(net), int(node), var.encode(), op.encode(), int(bool(iterate)), int(width),
          data.ctypes.data, data.size)


def live():
    """(live handles, live C stores, bytes held by them)."""
    o, s, b = _i64(), _i64(), _i64()
    _lib.bs_live(ctypes.byref(o), ctypes.byref(s), ctypes.byref(b))
    return o.value, s.value, b.value
