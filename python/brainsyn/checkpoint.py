"""Save and restore the full state of a network (``bp.save_state`` /
``bp.load_state``, also ``net.save_state`` / ``net.load_state``).

One ``.npz`` file holds, per object and keyed by the object's name, the
engine's complete internal state (every variable, transmitter-pulse spike
times, presynaptic traces, weights, and the delay lines with the spikes
still in flight), the network's step counter (PoissonInput draws depend on
it), dt, and the times of the last run. A network rebuilt by the same code
(same models, sizes and order) and restored from the file continues bit
for bit as the original would have, in the same process or another.

How the network's objects are matched to the saved ones: the file lists
the saved objects in the network's order, and the network must have as
many. An object whose name was given by the user (``name=...``, or a
``Network`` keyword) matches the saved object at its place only if that
one has the same name. An object with an automatic name (``LIF0``,
``AMPA3``, ...: a new one for every object made in the process, so a
network rebuilt in the same process has other names than the saved one)
matches the saved object at its place whatever its name, by class, kind
and size. Either way the class, kind, size and neuron parameters must
agree; the object then loads the entries saved under the saved name.

Objects written in Python are saved through their numpy-array attributes
and their ``ConstantDelay`` lines.

For inspection the file also holds a plain copy of each variable as
``var/<object>/<variable>`` (read with ``np.load``); loading uses only the
engine's state blobs.

Loading treats the file as untrusted input:

* Metadata: ``format`` and ``version`` must be this format's; ``dt`` a
  finite number > 0 equal to the dt in force; ``steps`` an integer in
  0..2**63-1; ``t_start`` a finite number; ``objects`` a list with one
  dict per object of the network, in order, whose fields (name, class,
  kind, size, parameters) have their JSON types and match the network's
  (names only where the network's object was named by the user); names
  are distinct Python identifiers.
* Entries: the file holds exactly the entries of this network's state (no
  unknown ones, none missing; the ``var/`` copies are optional). Each
  entry's ``.npy`` header is read first and must give a plain dtype of the
  expected kind, the expected shape where it is known, and exactly as many
  bytes as the entry holds; only then, and only for entries that loading
  needs, is the data read. Compressed entries may not claim to expand
  more than deflate can.
* Engine states: the engine checks every length, index and flag of each
  object's state against the object (delay lines against what its delays
  make at the saved dt, heads within their line) without allocating from
  any length in the file.
* Python objects: only the numpy arrays that ``save_state`` writes (public
  array attributes), each with its current shape and dtype kind; a
  ``ConstantDelay``'s buffer with the shape its delays give at dt, and its
  read and write indices within the line and as many steps apart as the
  delays.

Loading is all or nothing: everything is checked before anything changes,
so a refused file raises a ``BrainsynError`` naming the entry or object and
the field, and leaves the network exactly as it was (every object's state,
Python arrays and delay lines, step counter, ``ts``, ``t_start``). The
engine writes all its objects' states and the step counter in one call that
holds them, so a run on another thread never sees half a checkpoint.
"""
import base64
import json
import math
import reprlib
import zipfile
import zlib

import numpy as np

from . import _native, backend, errors
from .base import auto_named

__all__ = ["save_state", "load_state"]

_FORMAT = "brainsyn-state"
_VERSION = 1
_DELAY_FIELDS = ("data", "in_idx", "out_idx")
_META_KEYS = {"format", "version", "dt", "steps", "t_start", "objects"}
_META_CHARS = 1 << 20  # __meta__ is a short JSON text
_DEFLATE_RATIO = 1032  # the most deflate expands its input, plus a margin


def _describe(o):
    """(name, class, kind, size) of an object, and the parameters of a
    neuron group (which can be set after it is built): what must match on
    load."""
    if o._is_native():
        info = _native.info(o._native_handle())
        size = info.get("nsyn", info.get("size"))
        d = {"name": o.name, "class": type(o).__name__, "kind": info.get("kind"), "size": size}
        params = getattr(type(o), "_defaults", None)
        if params and (info.get("kind") in ("LIF", "HH") or info.get("kind") in _native.neuron_model_names()):
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

    ``net`` must have the same objects as the saved network, in the same
    order, of the same models and sizes (build it with the same code, in
    this process or another). Objects named by the user must have their
    saved names; objects with automatic names (``LIF0``, ``LIF1``, ...,
    which differ when the network is built again in the same process) are
    matched by their place in the network and their class, kind and size.
    The dt [ms] in force must be the saved dt. Raises
    ``BrainsynValueError`` naming the first difference otherwise.
    After loading, ``net.run(...)`` continues exactly where the saved
    network stopped. The whole file is checked before anything is loaded
    (see the module's notes): a file that cannot be loaded leaves the
    network as it was.
    """
    net._check_open()
    with _Archive(path) as ar:
        plan = _check(net, ar)
    _apply(net, plan)


def _check(net, ar):
    """Read and check everything loading needs, changing nothing: the
    metadata, the native blobs (through the engine), the Python arrays and
    delay lines."""
    meta = _check_meta(ar)
    dt = meta["dt"]
    names = _check_entries(net, ar, meta)
    plan = {"meta": meta, "natives": [], "py": [], "delays": []}
    plan["ts"] = ar.array("__ts__", "float", "f", ndim=1)
    for o, name in zip(net._objs, names):
        if o._is_native():
            _check_var_copies(ar, o, name)
            plan["natives"].append((o, _check_native(ar, o, name)))
            continue
        for attr, cur in _py_arrays(o).items():
            key = f"py/{name}/{attr}"
            plan["py"].append((o, attr, ar.array(key, f"{cur.dtype.kind!r} array", cur.dtype.kind, shape=cur.shape)))
        for key, d in getattr(o, "constant_delays", {}).items():
            plan["delays"].append((d, _check_delay(ar, f"delay/{name}/{key}", d, dt)))
    return plan


def _apply(net, plan):
    """Load a checked plan. The engine loads every object's state and the
    step counter in one call that holds them all, so a run started on
    another thread since the check cannot see, or cause, half a load."""
    meta = plan["meta"]
    handle, natives = net._engine()
    assert [o for o, _ in plan["natives"]] == natives
    _native.call("LoadStates", handle, json.dumps([blob for _, blob in plan["natives"]]), meta["steps"])
    for o in natives:
        _refresh_views(o)
    for o, attr, val in plan["py"]:
        _set_py(o, attr, val)
    for d, fields in plan["delays"]:
        _set_delay(d, fields, meta["dt"])
    net.ts = np.array(plan["ts"], dtype=float)
    net.t_start = float(meta["t_start"])
    net._stamp_time(handle)  # the objects' time is the file's from now on


class _Archive:
    """The entries of a state file, each read only when asked for and only
    after its .npy header has been checked, so that neither a header nor a
    zip record that lies makes numpy allocate more than the entry holds."""

    def __init__(self, path):
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (ValueError, EOFError, zipfile.BadZipFile):
            raise errors.BrainsynValueError(f"{path} is not a brainsyn state file (not an .npz archive)") from None
        self.entries = {}
        try:
            for info in infos:
                self._add(info)
        except errors.BrainsynError:
            self.zip.close()
            raise

    def _add(self, info):
        name = info.filename
        key = name[:-4] if name.endswith(".npy") else None
        if key is None or key in self.entries:
            what = "twice" if key else "(not an .npy array)"
            raise self.error(f"has the entry {name!r} {what}")
        if info.flag_bits & 1:
            raise self.error(f"entry {key!r} is encrypted")
        if info.compress_type == zipfile.ZIP_STORED:
            bad = info.file_size != info.compress_size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            bad = info.file_size > _DEFLATE_RATIO * info.compress_size + 1024
        else:
            raise self.error(f"entry {key!r} uses a compression other than deflate")
        if bad:
            raise self.error(f"entry {key!r} claims {info.file_size} bytes from {info.compress_size} stored")
        self.entries[key] = info

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def error(self, msg):
        return errors.BrainsynValueError(f"{self.path}: {msg}")

    def array(self, key, what, kinds, shape=None, ndim=None, itemsize=None, limit=None, data=True):
        """The array of entry key, whose dtype kind must be in kinds (and
        itemsize the given one; what names them), shape (or number of
        dimensions) the given one and size at most limit bytes; with
        data=False only its header is checked."""
        if key not in self.entries:
            raise self.error(f"has no entry {key!r}")
        info = self.entries[key]
        try:
            with self.zip.open(info) as f:
                shp, fortran, dtype = self._header(f, key)
                self._check_header(key, what, kinds, itemsize, shape, ndim, shp, dtype)
                n = math.prod(shp) * dtype.itemsize
                held = info.file_size - f.tell()
                if n != held:
                    raise self.error(f"entry {key!r} claims shape {shp} of {dtype} ({n} bytes) but holds {held} bytes")
                if limit is not None and n > limit:
                    raise self.error(f"entry {key!r} has {n} bytes, more than its {limit}")
                if not data:
                    return None
                raw = f.read(n)
        except errors.BrainsynError:
            raise
        except (ValueError, EOFError, OSError, RuntimeError, NotImplementedError, zlib.error,
                zipfile.BadZipFile) as e:
            raise self.error(f"entry {key!r} is not a readable .npy array ({e})") from None
        if len(raw) != n:
            raise self.error(f"entry {key!r} is truncated")
        if n == 0:
            return np.zeros(shp, dtype)
        return np.frombuffer(raw, dtype).reshape(shp, order="F" if fortran else "C")

    def _header(self, f, key):
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(f)
        if version == (2, 0):
            return np.lib.format.read_array_header_2_0(f)
        raise self.error(f"entry {key!r} is .npy format {version}, not 1.0 or 2.0")

    def _check_header(self, key, what, kinds, itemsize, shape, ndim, shp, dtype):
        plain = not dtype.hasobject and dtype.fields is None and dtype.subdtype is None and dtype.itemsize > 0
        if not plain or dtype.kind not in kinds or itemsize not in (None, dtype.itemsize):
            raise self.error(f"entry {key!r} has dtype {dtype}, expected {what}")
        if any(d < 0 for d in shp):
            raise self.error(f"entry {key!r} claims shape {shp}")
        if shape is not None and shp != tuple(shape):
            raise self.error(f"entry {key!r} has shape {shp}, expected {tuple(shape)}")
        if ndim is not None and len(shp) != ndim:
            raise self.error(f"entry {key!r} has shape {shp}, expected {ndim} dimension(s)")


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


# What each field of an object's description may hold.
_OBJECT_FIELDS = {
    "name": ("a Python identifier", lambda v: isinstance(v, str) and v.isidentifier()),
    "class": ("a string", lambda v: isinstance(v, str)),
    "kind": ("a string or null", lambda v: v is None or isinstance(v, str)),
    "size": ("an integer >= 0 or null", lambda v: v is None or (_is_int(v) and v >= 0)),
}
_PARAMETER = ("a number", _is_number)


def _check_meta(ar):
    """The metadata, with every field of its JSON type and range."""
    path = ar.path
    meta = None
    if "__meta__" in ar.entries and "__ts__" in ar.entries:
        text = ar.array("__meta__", "a string", "U", shape=(), limit=4 * _META_CHARS)
        try:
            meta = json.loads(str(text))
        except (ValueError, RecursionError):
            pass
    if not isinstance(meta, dict) or not _META_KEYS <= set(meta):
        raise errors.BrainsynValueError(f"{path} is not a brainsyn state file (no readable __meta__ entry)")
    if set(meta) != _META_KEYS:
        raise ar.error(f"__meta__ has unknown fields {sorted(set(meta) - _META_KEYS)}")
    if meta["format"] != _FORMAT or not _is_int(meta["version"]) or meta["version"] != _VERSION:
        raise errors.BrainsynValueError(
            f"{path} has format {meta.get('format')!r} version {meta.get('version')!r}; "
            f"expected {_FORMAT!r} version {_VERSION}")

    def bad(field, want):
        return ar.error(f"__meta__ field {field!r} must be {want}, got {reprlib.repr(meta[field])}")

    if not _is_number(meta["dt"]) or not math.isfinite(meta["dt"]) or meta["dt"] <= 0:
        raise bad("dt", "a finite number > 0 [ms]")
    if not _is_int(meta["steps"]) or not 0 <= meta["steps"] < 2 ** 63:
        raise bad("steps", "an integer in 0..2**63-1")
    if not _is_number(meta["t_start"]) or not math.isfinite(meta["t_start"]):
        raise bad("t_start", "a finite number [ms]")
    if not isinstance(meta["objects"], list):
        raise bad("objects", "a list")
    first = {}
    for i, d in enumerate(meta["objects"]):
        _check_object(ar, i, d)
        if d["name"] in first:
            raise ar.error(f"__meta__ objects[{i}] has the name {d['name']!r} of objects[{first[d['name']]}]")
        first[d["name"]] = i
    return meta


def _check_object(ar, i, d):
    if not isinstance(d, dict) or "name" not in d:
        raise ar.error(f"__meta__ objects[{i}] must be a dict with a 'name', got {reprlib.repr(d)}")
    for k, v in d.items():
        want, ok = _OBJECT_FIELDS.get(k) or (_PARAMETER if k.startswith("parameter ") else (None, None))
        if ok is None:
            raise ar.error(f"__meta__ objects[{i}] has the unknown field {reprlib.repr(k)}")
        if not ok(v):
            raise ar.error(f"__meta__ objects[{i}] field {k!r} must be {want}, got {reprlib.repr(v)}")


def _match(net, path, saved):
    """The saved name each of the network's objects loads from.

    The saved objects are in the network's order. An object named by the
    user matches the saved object at its place if that one has its name;
    an object with an automatic name (new in every build) matches it
    whatever its name. Class, kind, size and parameters must agree either
    way; an object with an automatic name needs the saved class, kind and
    size to match by."""
    here = [_describe(o) for o in net._objs]
    if len(saved) != len(here):
        raise errors.BrainsynValueError(
            f"the network has {len(here)} objects ({', '.join(d['name'] for d in here)}) but {path} holds "
            f"{len(saved)} ({', '.join(d['name'] for d in saved)}); build the same network before loading")
    names = []
    for i, (o, s, h) in enumerate(zip(net._objs, saved, here)):
        auto = auto_named(o)
        h = {k: h.get(k) for k in s}  # files from before parameters were recorded
        diff = [f"{k} {s[k]!r} vs {h[k]!r}" for k in s if s[k] != h[k] and not (auto and k == "name")]
        if auto:
            diff += [f"no saved {k}" for k in ("class", "kind", "size") if k not in s]
        if diff:
            if auto:
                where = f" at its place (object {i + 1} of {len(here)}; "
                how = (f": {h['name']!r} is an automatic name, so the object is matched by its order, class, kind "
                       f"and size, not by name")
            else:
                where, how = " (", ""
                if s["name"] != h["name"]:
                    how = (": its name was given by the user, so the saved object at its place must have that name "
                           "(objects with automatic names are matched by order, class, kind and size)")
            raise errors.BrainsynValueError(
                f"object {h['name']!r} does not match the saved object {s['name']!r}{where}{', '.join(diff)}; "
                f"saved vs this network){how}; build the same network before loading")
        names.append(s["name"])
    return names


def _check_entries(net, ar, meta):
    """The saved objects and dt match the network, and the file holds the
    entries of its state: all of them (inspection copies aside), no other.
    Returns the saved name of each object (see :func:`_match`)."""
    path = ar.path
    names = _match(net, path, meta["objects"])
    dt = backend.get_dt()
    if meta["dt"] != dt:
        raise errors.BrainsynValueError(
            f"{path} was saved with dt = {meta['dt']} ms but dt is now {dt} ms; "
            f"call bp.backend.set(dt={meta['dt']}) before loading")
    required, optional = _entries_of(net, names)
    for key in ar.entries:
        if key not in required and key not in optional:
            raise ar.error(f"has the entry {key!r}, which is not part of this network's state")
    for key in sorted(required):
        if key not in ar.entries:
            name = key.split("/")[1] if "/" in key else key
            raise errors.BrainsynValueError(f"{path} has no state for {name} (no entry {key!r})")
    return names


def _entries_of(net, names):
    """The entries of net's state, under the saved names of its objects:
    required, and optional (the inspection copies of the engine's
    variables)."""
    required, optional = {"__meta__", "__ts__"}, set()
    for o, name in zip(net._objs, names):
        if o._is_native():
            required.add(f"state/{name}")
            optional.update(f"var/{name}/{v}" for v in o.var_names)
            continue
        required.update(f"py/{name}/{k}" for k in _py_arrays(o))
        for key in getattr(o, "constant_delays", {}):
            required.update(f"delay/{name}/{key}/{f}" for f in _DELAY_FIELDS)
    return required, optional


def _check_native(ar, o, name):
    """The engine state of o, saved under name, checked by the engine; as
    base64 text."""
    blob = ar.array(f"state/{name}", "bytes (uint8)", "u", ndim=1, itemsize=1)
    text = base64.b64encode(blob.tobytes()).decode("ascii")
    try:
        _native.call("CheckState", o._native_handle(), text)
    except errors.BrainsynError as e:
        saved = "" if name == o.name else f" (saved as {name!r})"
        raise type(e)(f"{ar.path}: the state of {o.name!r}{saved} is refused: {e}") from None
    return text


def _check_var_copies(ar, o, name):
    """The headers of o's inspection copies, saved under name (not read:
    loading does not use them)."""
    info = o.__dict__["_varinfo"]
    for v in o.var_names:
        key = f"var/{name}/{v}"
        if key in ar.entries:
            shape = info[v].get("shape")
            kind = "b" if info[v].get("bool") else "f"
            ar.array(key, f"{kind!r} array", kind, shape=tuple(shape) if shape else None,
                     ndim=None if shape else 1, data=False)


def _check_delay(ar, prefix, d, dt):
    """The fields of a ConstantDelay: its buffer with the rows its delays
    give at dt, and indices within the rows and as many steps apart as the
    delays."""
    steps = type(d)._steps(d.delay_time, dt)
    rows = int(steps.max()) + 1 if steps.size else 1
    idx_shape = () if steps.ndim == 0 else d.size
    fields = {"data": ar.array(f"{prefix}/data", "float array", "f", shape=(rows,) + tuple(d.size))}
    for f in ("in_idx", "out_idx"):
        x = ar.array(f"{prefix}/{f}", "integer", "iu", shape=idx_shape)
        if x.size and (x.min() < 0 or x.max() >= rows):
            raise ar.error(f"entry '{prefix}/{f}' has indices outside 0..{rows - 1} (the delay line has {rows} rows)")
        fields[f] = x.astype(np.int64)
    if np.any((fields["in_idx"] - fields["out_idx"]) % rows != steps % rows):
        raise ar.error(f"entries '{prefix}/in_idx' and 'out_idx' are not the delay's steps apart")
    return fields


def _refresh_views(o):
    o.__dict__["_views"] = {}  # lazy variables (weights) may have been made
    o.__dict__["_varinfo"] = {v["name"]: v for v in _native.var_list(o._native_handle())}


def _set_py(obj, attr, val):
    cur = getattr(obj, attr)
    if cur.flags.writeable:
        cur[...] = val  # in place: native synapses may hold views of it
    else:
        setattr(obj, attr, val.astype(cur.dtype))


def _set_delay(d, fields, dt):
    d._prepare(dt)
    d.data = np.array(fields["data"], dtype=float)
    for f in ("in_idx", "out_idx"):
        x = fields[f]
        setattr(d, f, int(x) if x.ndim == 0 else x.astype(int))
