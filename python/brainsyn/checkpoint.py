"""Save and restore the full state of a network (``bp.save_state`` /
``bp.load_state``, also ``net.save_state`` / ``net.load_state``).

One ``.npz`` file holds, per object and keyed by the object's name, the
engine's complete internal state (every variable, transmitter-pulse spike
times, presynaptic traces, weights, and the delay lines with the spikes
still in flight), the network's step counter (PoissonInput draws depend on
it), dt, and the times of the last run. A network rebuilt with the same
objects (same names, models, sizes and order) and restored from the file
continues bit for bit as the original would have.

Objects written in Python are saved through their numpy-array attributes
and their ``ConstantDelay`` lines.

For inspection the file also holds a plain copy of each variable as
``var/<object>/<variable>`` (read with ``np.load``); loading uses only the
engine's state blobs.
"""

import base64
import json
import zipfile

import numpy as np

from . import _native, backend, errors

__all__ = ["save_state", "load_state"]

_FORMAT = "brainsyn-state"
_VERSION = 1
_DELAY_FIELDS = ("data", "in_idx", "out_idx")


def _describe(o):
    """(name, class, kind, size) of an object, and the parameters of a
    neuron group (which can be set after it is built): what must match on
    load."""
    if o._is_native():
        info = _native.info(o._native_handle())
        size = info.get("nsyn", info.get("size"))
        d = {"name": o.name, "class": type(o).__name__, "kind": info.get("kind"), "size": size}
        params = getattr(type(o), "_defaults", None)
        if params and info.get("kind") in ("LIF", "HH"):
            d.update({f"parameter {k}": float(getattr(o, k)) for k in params})
        return d
    return {"name": o.name, "class": type(o).__name__, "kind": "python", "size": getattr(o, "num", None)}


def _py_arrays(o):
    skip = {"mon"}
    return {k: v for k, v in vars(o).items() if isinstance(v, np.ndarray) and k not in skip and not k.startswith("_")}


def save_state(net, path):
    """Write the complete state of ``net`` to ``path`` (an ``.npz`` file).

    Parameters
    ----------
    net : Network
        A network that is not running.
    path : str or path-like
        File to write (numpy adds ``.npz`` if the name lacks it).

    Notes
    -----
    Save after a run (or before the first one). Monitor data are not part of
    the state; export them with ``obj.mon.save_npz``. Values are stored in
    the engine's units (ms, mV); the file records dt [ms].
    """
    net._check_open()
    handle, natives = net._engine()
    dt = backend.get_dt()
    ts = np.asarray(net.ts, dtype=float)
    meta = {"format": _FORMAT, "version": _VERSION, "dt": float(dt),
            "steps": int(_native.call("Steps", handle)), "t_start": float(net.t_start),
            "objects": [_describe(o) for o in net._objs]}
    out = {"__meta__": np.array(json.dumps(meta)), "__ts__": ts}
    for o in net._objs:
        if o._is_native():
            blob = base64.b64decode(_native.call("SaveState", o._native_handle()))
            out[f"state/{o.name}"] = np.frombuffer(blob, dtype=np.uint8)
            for v in o.var_names:
                if not o.__dict__["_varinfo"].get(v, {}).get("lazy"):
                    out[f"var/{o.name}/{v}"] = np.array(getattr(o, v))
        else:
            for k, v in _py_arrays(o).items():
                out[f"py/{o.name}/{k}"] = v.copy()
            for key, d in getattr(o, "constant_delays", {}).items():
                for f in _DELAY_FIELDS:
                    out[f"delay/{o.name}/{key}/{f}"] = np.array(getattr(d, f))
    np.savez(path, **out)


def load_state(net, path):
    """Restore a state written by :func:`save_state` into ``net``.

    ``net`` must have the same objects as the saved network: same names, in
    the same order, of the same models and sizes (build it with the same
    code). The dt [ms] in force must be the saved dt. Raises
    ``BrainsynValueError`` naming the first difference otherwise.
    After loading, ``net.run(...)`` continues exactly where the saved
    network stopped. A file that cannot be loaded leaves the network as it
    was.
    """
    net._check_open()
    files, meta = _read(path)
    if meta.get("format") != _FORMAT or meta.get("version") != _VERSION:
        raise errors.BrainsynValueError(
            f"{path} has format {meta.get('format')!r} version {meta.get('version')!r}; "
            f"expected {_FORMAT!r} version {_VERSION}")
    saved, here = meta["objects"], [_describe(o) for o in net._objs]
    if len(saved) != len(here):
        raise errors.BrainsynValueError(
            f"the network has {len(here)} objects ({', '.join(d['name'] for d in here)}) but {path} holds "
            f"{len(saved)} ({', '.join(d['name'] for d in saved)}); build the same network before loading")
    for s, h in zip(saved, here):
        h = {k: h.get(k) for k in s}  # files from before parameters were recorded
        if s != h:
            diff = ", ".join(f"{k} {s[k]!r} vs {h[k]!r}" for k in s if s[k] != h.get(k))
            raise errors.BrainsynValueError(
                f"object {h['name']!r} does not match the saved object {s['name']!r} ({diff}; saved vs this "
                f"network); build the same network before loading")
    dt = backend.get_dt()
    if meta["dt"] != dt:
        raise errors.BrainsynValueError(
            f"{path} was saved with dt = {meta['dt']} ms but dt is now {dt} ms; "
            f"call bp.backend.set(dt={meta['dt']}) before loading")
    for o in net._objs:
        if o._is_native() and f"state/{o.name}" not in files:
            raise errors.BrainsynValueError(f"{path} has no state for {o.name}")
    handle, natives = net._engine()
    # The engine checks each blob as it loads it: keep the current state
    # to put back if a later one is refused.
    before = {o.name: _native.call("SaveState", o._native_handle()) for o in net._objs if o._is_native()}
    loaded = []
    try:
        for o in net._objs:
            if o._is_native():
                loaded.append(o)
                _load_native(o, base64.b64encode(files[f"state/{o.name}"].tobytes()).decode("ascii"))
    except errors.BrainsynError:
        for o in loaded:
            _load_native(o, before[o.name])
        raise
    for o in net._objs:
        if not o._is_native():
            prefix = f"py/{o.name}/"
            for key, val in files.items():
                if key.startswith(prefix):
                    _set_py(o, key[len(prefix):], val)
            for key, d in getattr(o, "constant_delays", {}).items():
                d._prepare(dt)
                for fld in _DELAY_FIELDS:
                    val = files.get(f"delay/{o.name}/{key}/{fld}")
                    if val is not None:
                        setattr(d, fld, val.copy() if val.ndim else val.item())
    _native.call("SetSteps", handle, int(meta["steps"]))
    net.ts = files["__ts__"]
    net.t_start = meta["t_start"]


def _read(path):
    """The arrays of a state file and its metadata, or an error that says
    the file is not one."""
    try:
        with np.load(path, allow_pickle=False) as f:
            files = {k: f[k] for k in f.files}
    except (ValueError, EOFError, zipfile.BadZipFile):
        raise errors.BrainsynValueError(f"{path} is not a brainsyn state file (not an .npz archive)") from None
    meta = None
    if "__meta__" in files and "__ts__" in files:
        try:
            meta = json.loads(str(files["__meta__"]))
        except ValueError:
            pass
    keys = {"format", "version", "dt", "steps", "t_start", "objects"}
    if not isinstance(meta, dict) or not keys <= set(meta):
        raise errors.BrainsynValueError(f"{path} is not a brainsyn state file (no readable __meta__ entry)")
    return files, meta


def _load_native(o, blob):
    _native.call("LoadState", o._native_handle(), blob)
    o.__dict__["_views"] = {}  # lazy variables (weights) may have been made
    o.__dict__["_varinfo"] = {v["name"]: v for v in _native.var_list(o._native_handle())}


def _set_py(obj, attr, val):
    cur = getattr(obj, attr, None)
    if isinstance(cur, np.ndarray) and cur.shape == val.shape and cur.flags.writeable:
        cur[...] = val  # in place: native synapses may hold views of it
    else:
        setattr(obj, attr, val.copy())
