"""A checkpoint is untrusted input: every corrupted, truncated or crafted
state file is refused with a brainsyn error, and a refused file leaves the
network exactly as it was (engine state of every object, Python arrays,
delay lines, step counter, ts, t_start)."""

import io
import json
import math
import struct
import warnings
import zipfile

import numpy as np
import pytest

import brainsyn as bp
from brainsyn import _native


def _build():
    class PyExp(bp.TwoEndConn):
        """A Python synapse with a uniform and a per-synapse delay line."""

        def __init__(self, pre, post, conn, **kw):
            self.conn = conn(pre.size, post.size)
            self.pre_ids, self.post_ids = self.conn.requires("pre_ids", "post_ids")
            self.num = len(self.pre_ids)
            self.tau = 5.
            self.s = np.zeros(self.num)
            self.I_syn = self.register_constant_delay("I_syn", size=self.num, delay_time=1.2)
            self.spk = self.register_constant_delay("spk", size=self.num,
                                                    delay_time=np.linspace(0.3, 0.9, self.num))
            super().__init__(pre=pre, post=post, **kw)

        def update(self, _t, _dt):
            self.s -= self.s / self.tau * _dt
            self.spk.push(self.pre.spike[self.pre_ids].astype(float))
            self.s += self.spk.pull()
            self.I_syn.push(self.s * 4.)
            np.add.at(self.post.input, self.post_ids, self.I_syn.pull())
            self.spk.update()
            self.I_syn.update()

    src = bp.inputs.PoissonInput(6, freqs=400., seed=3, name="src")
    e = bp.neurons.LIF(4, name="E", t_refractory=1.)
    ampa = bp.synapses.AMPA(src, e, bp.connect.All2All(), delay=1.3, name="ampa", g_max=0.1, E=60.)
    py = PyExp(e, e, bp.connect.All2All(), name="pysyn", monitors=["s"])
    return bp.Network(src, ampa, py, e)


def _run(net, t0, t1):
    net.run((t0, t1), inputs=(net.E, "input", 25.))


def _snapshot(net):
    """Everything load_state may change, as comparable values."""
    handle, natives = net._engine()
    snap = {"steps": _native.call("Steps", handle), "ts": (net.ts.dtype.str, net.ts.tobytes()),
            "t_start": net.t_start}
    for o in net._objs:
        if o._is_native():
            snap[o.name] = _native.call("SaveState", o._native_handle())
            continue
        for k, v in vars(o).items():
            if isinstance(v, np.ndarray):
                snap[f"{o.name}.{k}"] = (id(v), v.dtype.str, v.shape, v.tobytes())
        for key, d in o.constant_delays.items():
            for f in ("data", "in_idx", "out_idx", "num", "num_step", "uniform", "_dt"):
                x = np.asarray(getattr(d, f))
                snap[f"{o.name}.{key}.{f}"] = (type(getattr(d, f)).__name__, x.dtype.str, x.shape, x.tobytes())
    return snap


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A network saved after a short run, then run on (so that a partly
    applied load would show), and the members of its state file."""
    bp.backend.set(dt=0.1)
    net = _build()
    _run(net, 0., 8.)
    path = tmp_path_factory.mktemp("ckpt") / "state.npz"
    net.save_state(path)
    want = _snapshot(net)
    _run(net, 8., 11.)
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    return net, path, members, want


def _npy(a):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asanyarray(a), allow_pickle=False)
    return buf.getvalue()


def _arr(b):
    return np.lib.format.read_array(io.BytesIO(b))


def _header(descr, shape, payload=b""):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue() + payload


def _write(path, members, compression=zipfile.ZIP_STORED):
    """Write members (a dict, or (name, bytes) pairs with repeats)."""
    items = members.items() if isinstance(members, dict) else members
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", compression) as z:
        warnings.simplefilter("ignore")  # a repeated name is one of the cases
        for name, data in items:
            z.writestr(name, data)


# -- the saved engine states, field by field ---------------------------------
_BOOL_VARS = {"spike", "refractory"}


def _fields(blob):
    """Offsets of the fields of an engine state (neuron group or chemical
    synapse), for the cases that corrupt one."""
    b, pos, out = bytes(blob), 0, {}

    def i64(name):
        nonlocal pos
        out[name] = pos
        pos += 8
        return int.from_bytes(b[pos - 8:pos], "little", signed=True)

    def tag():
        nonlocal pos
        n = int.from_bytes(b[pos:pos + 4], "little")
        pos += 4 + n
        return b[pos - n:pos].decode()

    def arr(name, size):
        nonlocal pos
        n = i64(name + ".len")
        out[name] = pos
        pos += n * size

    kind = tag()
    if kind in ("LIF", "PoissonInput"):
        for _ in range(i64("nvars")):
            v = tag()
            arr(v, 1 if v in _BOOL_VARS else 8)
        if kind == "PoissonInput":
            arr("counts", 1)
    else:
        out["layout"] = pos
        tag()
        for j in range(i64("nvars")):
            arr(f"y{j}", 8)
        for opt in ("tLast", "gate", "w"):
            if i64(opt + ".has"):
                arr(opt, 8)
        out["weight"], pos = pos, pos + 8
        for j in range(i64("ntraces")):
            arr(f"trace{j}", 8)
        out["dt"], pos = pos, pos + 8
        for f in ("R", "ringW", "head"):
            i64(f)
        arr("ring", 8)
        i64("track")
        i64("traceOK")
    assert pos == len(b)
    return out


def _blob(members, name):
    return bytes(_arr(members[f"state/{name}.npy"]))


def _set_blob(members, name, blob):
    return {**members, f"state/{name}.npy": _npy(np.frombuffer(blob, dtype=np.uint8))}


def _put(name, field, value, fmt="<q", delta=0):
    """A case that writes value (or the saved value + delta) into a field
    of an engine state."""
    def mutate(members):
        b = bytearray(_blob(members, name))
        off = _fields(b)[field]
        if value is None:
            (v,) = struct.unpack_from(fmt, b, off)
            struct.pack_into(fmt, b, off, v + delta)
        else:
            struct.pack_into(fmt, b, off, value)
        return _set_blob(members, name, bytes(b))
    return mutate


def _edit_blob(name, fn):
    return lambda m: _set_blob(m, name, fn(_blob(m, name)))


_U64 = "<Q"
BLOB_CASES = {
    "ring head 2**63": _put("ampa", "head", 2 ** 63, _U64),
    "ring head 2**63-1": _put("ampa", "head", 2 ** 63 - 1),
    "ring head -1": _put("ampa", "head", -1),
    "ring head = rows": lambda m: _put("ampa", "head", _ring(m)[0])(m),
    "ring rows + 1": _put("ampa", "R", None, delta=1),
    "ring rows 2**62": _put("ampa", "R", 2 ** 62),
    "ring rows 0 with a line": _put("ampa", "R", 0),
    "ring width + 1": _put("ampa", "ringW", None, delta=1),
    "ring length 2**31": _put("ampa", "ring.len", 2 ** 31),
    "ring length 2**62": _put("ampa", "ring.len", 2 ** 62),
    "ring length -1": _put("ampa", "ring.len", -1),
    "ring dt NaN": _put("ampa", "dt", math.nan, "<d"),
    "ring dt -0.1": _put("ampa", "dt", -0.1, "<d"),
    "ring dt inf": _put("ampa", "dt", math.inf, "<d"),
    "ring dt 0.05 (rows do not match the delay)": _put("ampa", "dt", 0.05, "<d"),
    "ring dt 1e-300": _put("ampa", "dt", 1e-300, "<d"),
    "variable length 2**31": _put("ampa", "y0.len", 2 ** 31),
    "variable count 10**9": _put("ampa", "nvars", 10 ** 9),
    "t_last flag 2": _put("ampa", "tLast.has", 2),
    "t_last flag 0": _put("ampa", "tLast.has", 0),
    "weights flag 1 without weights": _put("ampa", "w.has", 1),
    "track flag 2": _put("ampa", "track", 2),
    "traceOK flag -1": _put("ampa", "traceOK", -1),
    "trailing byte": _edit_blob("ampa", lambda b: b + b"\0"),
    "truncated synapse state": _edit_blob("ampa", lambda b: b[:-1]),
    "empty synapse state": _edit_blob("ampa", lambda b: b""),
    "other model's tag": _edit_blob("ampa", lambda b: b.replace(b"AMPA", b"AMPB", 1)),
    "other layout": _edit_blob("ampa", lambda b: b.replace(b"pre", b"syn", 1)),
    "LIF spike flag 2": _put("E", "spike", 2, "<B"),
    "LIF refractory flag 255": _put("E", "refractory", 255, "<B"),
    "LIF V length 2**31-1": _put("E", "V.len", 2 ** 31 - 1),
    "LIF variable count 0": _put("E", "nvars", 0),
    "LIF truncated (last object, after the others)": _edit_blob("E", lambda b: b[:-3]),
    "Poisson count above its sources": _put("src", "counts", 200, "<B"),
    "Poisson counts length 2**40": _put("src", "counts.len", 2 ** 40),
    "Poisson spike flag 7": _put("src", "spike", 7, "<B"),
    "synapse state in a neuron's slot": lambda m: _set_blob(m, "E", _blob(m, "ampa")),
}


def _ring(members):
    b = _blob(members, "ampa")
    f = _fields(b)
    return struct.unpack_from("<q", b, f["R"])[0], struct.unpack_from("<q", b, f["ringW"])[0]


# -- the npz entries ------------------------------------------------------------
def _entry_cases(members):
    cases = {}
    for name, data in members.items():
        key = name[:-4]
        a = _arr(data)
        cases[f"{key}: truncated"] = lambda m, n=name: {**m, n: m[n][:-3]}
        cases[f"{key}: header only"] = lambda m, n=name: {**m, n: m[n][:64]}
        cases[f"{key}: header claims 2**40 elements"] = \
            lambda m, n=name, a=a: {**m, n: _header(a.dtype.str, (2 ** 40,), a.tobytes())}
        cases[f"{key}: header claims a negative shape"] = \
            lambda m, n=name, a=a: {**m, n: _header(a.dtype.str, (-1,), a.tobytes())}
        cases[f"{key}: header claims more than it holds"] = \
            lambda m, n=name, a=a: {**m, n: _header(a.dtype.str, (a.size + 1,), a.tobytes())}
        other = {"f": np.int64, "b": np.float64, "u": np.float64, "i": np.float64, "U": np.bytes_}[a.dtype.kind]
        cases[f"{key}: wrong dtype"] = lambda m, n=name, a=a, t=other: {**m, n: _npy(a.astype(t))}
        cases[f"{key}: object dtype"] = \
            lambda m, n=name, a=a: {**m, n: _header("|O", a.shape, b"\0" * 8 * a.size)}
        if key != "__ts__":  # the times of the last run have any length
            cases[f"{key}: one element more"] = \
                lambda m, n=name, a=a: {**m, n: _npy(np.append(a.ravel(), a.ravel()[:1] if a.size else [0]))}
        cases[f"{key}: two-dimensional"] = lambda m, n=name, a=a: {**m, n: _npy(a.reshape(1, -1) if a.ndim else a.reshape(1, 1))}
        if not key.startswith("var/"):  # inspection copies are optional
            cases[f"{key}: missing"] = lambda m, n=name: {k: v for k, v in m.items() if k != n}
    return cases


EXTRA_CASES = {
    "unknown entry": lambda m: {**m, "junk.npy": _npy(np.zeros(3))},
    "unknown Python attribute": lambda m: {**m, "py/pysyn/bogus.npy": _npy(np.zeros(3))},
    "Python attribute that is not an array": lambda m: {**m, "py/pysyn/tau.npy": _npy(np.zeros(3))},
    "dunder attribute": lambda m: {**m, "py/pysyn/__class__.npy": _npy(np.zeros(3))},
    "private attribute": lambda m: {**m, "py/pysyn/_steps.npy": _npy(np.zeros(3))},
    "monitor attribute": lambda m: {**m, "py/pysyn/mon.npy": _npy(np.zeros(3))},
    "Python entry for a native object": lambda m: {**m, "py/E/V.npy": _npy(np.zeros(4))},
    "engine state for a Python object": lambda m: {**m, "state/pysyn.npy": m["state/E.npy"]},
    "engine state for an unknown object": lambda m: {**m, "state/ghost.npy": m["state/E.npy"]},
    "unknown delay line": lambda m: {**m, "delay/pysyn/nope/data.npy": m["delay/pysyn/I_syn/data.npy"]},
    "unknown delay field": lambda m: {**m, "delay/pysyn/I_syn/extra.npy": m["delay/pysyn/I_syn/data.npy"]},
    "unknown variable copy": lambda m: {**m, "var/E/nope.npy": m["var/E/V.npy"]},
    "variable copy of a Python object": lambda m: {**m, "var/pysyn/s.npy": m["py/pysyn/s.npy"]},
    "member that is not .npy": lambda m: {**m, "__meta__.txt": b"{}"},
    "directory member": lambda m: {**m, "py/": b""},
    "repeated entry": lambda m: list(m.items()) + [("state/E.npy", m["state/ampa.npy"])],
}


def _meta_case(edit):
    def mutate(members):
        meta = json.loads(str(_arr(members["__meta__.npy"])))
        new = edit(meta)
        text = new if isinstance(new, str) else json.dumps(new if new is not None else meta)
        return {**members, "__meta__.npy": _npy(np.array(text))}
    return mutate


def _set(meta, path, value):
    d = meta
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value
    return meta


def _meta_set(*path_value):
    *path, value = path_value
    return _meta_case(lambda meta: _set(meta, path, value))


META_CASES = {
    "format 1": _meta_set("format", 1),
    "format other": _meta_set("format", "other"),
    "version '1'": _meta_set("version", "1"),
    "version true": _meta_set("version", True),
    "version 1.0": _meta_set("version", 1.0),
    "version 2": _meta_set("version", 2),
    "dt '0.1'": _meta_set("dt", "0.1"),
    "dt null": _meta_set("dt", None),
    "dt NaN": _meta_set("dt", math.nan),
    "dt Infinity": _meta_set("dt", math.inf),
    "dt -0.1": _meta_set("dt", -0.1),
    "dt true": _meta_set("dt", True),
    "dt [0.1]": _meta_set("dt", [0.1]),
    "steps -1": _meta_set("steps", -1),
    "steps 1.5": _meta_set("steps", 1.5),
    "steps 80.0": _meta_set("steps", 80.0),
    "steps 2**63": _meta_set("steps", 2 ** 63),
    "steps 2**64": _meta_set("steps", 2 ** 64),
    "steps 10**400": _meta_set("steps", 10 ** 400),
    "steps true": _meta_set("steps", True),
    "steps '80'": _meta_set("steps", "80"),
    "steps null": _meta_set("steps", None),
    "t_start '0'": _meta_set("t_start", "0"),
    "t_start NaN": _meta_set("t_start", math.nan),
    "t_start -Infinity": _meta_set("t_start", -math.inf),
    "t_start null": _meta_set("t_start", None),
    "t_start []": _meta_set("t_start", []),
    "objects {}": _meta_set("objects", {}),
    "objects null": _meta_set("objects", None),
    "objects [1, 2, 3, 4]": _meta_set("objects", [1, 2, 3, 4]),
    "objects of lists": _meta_set("objects", [[], [], [], []]),
    "object name 3": _meta_set("objects", 0, "name", 3),
    "object name null": _meta_set("objects", 0, "name", None),
    "object without a name": _meta_case(lambda m: (m["objects"][0].pop("name"), m)[1]),
    "object with an unknown field": _meta_set("objects", 0, "color", "red"),
    "object size '6'": _meta_set("objects", 0, "size", "6"),
    "object size true": _meta_set("objects", 3, "size", True),
    "object size 6.0": _meta_set("objects", 0, "size", 6.0),
    "object kind 5": _meta_set("objects", 0, "kind", 5),
    "object class []": _meta_set("objects", 0, "class", []),
    "object parameter '10'": _meta_set("objects", 3, "parameter tau", "10"),
    "meta a list": _meta_case(lambda m: []),
    "meta a string": _meta_case(lambda m: json.dumps("brainsyn-state")),
    "meta not JSON": _meta_case(lambda m: "{not json"),
    "meta nested 10**5 deep": _meta_case(lambda m: "[" * 100000 + "]" * 100000),
    "meta without steps": _meta_case(lambda m: (m.pop("steps"), m)[1]),
    "meta with an unknown field": _meta_set("extra", 1),
    "meta as bytes": lambda m: {**m, "__meta__.npy": _npy(np.array(str(_arr(m["__meta__.npy"])).encode()))},
    "meta as a list of strings": lambda m: {**m, "__meta__.npy": _npy(np.array([str(_arr(m["__meta__.npy"]))]))},
}


def _arrays_case(name, fn):
    return lambda m: {**m, name: _npy(fn(_arr(m[name])))}


ARRAY_CASES = {
    "py s of ints": _arrays_case("py/pysyn/s.npy", lambda a: a.astype(np.int64)),
    "py s of bools": _arrays_case("py/pysyn/s.npy", lambda a: a > 0),
    "py s of strings": _arrays_case("py/pysyn/s.npy", lambda a: a.astype(str)),
    "py s 0-d": _arrays_case("py/pysyn/s.npy", lambda a: np.array(1.)),
    "py pre_ids of floats": _arrays_case("py/pysyn/pre_ids.npy", lambda a: a.astype(float)),
    "py pre_ids shorter": _arrays_case("py/pysyn/pre_ids.npy", lambda a: a[:-1]),
    "uniform delay: one row more": _arrays_case("delay/pysyn/I_syn/data.npy", lambda a: np.vstack([a, a[:1]])),
    "uniform delay: data of ints": _arrays_case("delay/pysyn/I_syn/data.npy", lambda a: a.astype(int)),
    "uniform delay: in_idx = rows": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: a * 0 + 13),
    "uniform delay: in_idx -1": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: a * 0 - 1),
    "uniform delay: in_idx 2**62": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: a * 0 + 2 ** 62),
    "uniform delay: in_idx a float": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: a.astype(float)),
    "uniform delay: in_idx an array": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: np.full(16, a)),
    "uniform delay: in_idx a bool": _arrays_case("delay/pysyn/I_syn/in_idx.npy", lambda a: np.array(True)),
    "uniform delay: out_idx shifted": _arrays_case("delay/pysyn/I_syn/out_idx.npy", lambda a: (a + 1) % 13),
    "per-synapse delay: in_idx out of range": _arrays_case("delay/pysyn/spk/in_idx.npy", lambda a: a + 100),
    "per-synapse delay: out_idx negative": _arrays_case("delay/pysyn/spk/out_idx.npy", lambda a: a - 100),
    "per-synapse delay: in_idx shape": _arrays_case("delay/pysyn/spk/in_idx.npy", lambda a: a[:-1]),
    "per-synapse delay: in_idx 0-d": _arrays_case("delay/pysyn/spk/in_idx.npy", lambda a: np.array(0)),
    "per-synapse delay: indices not their delay apart": _arrays_case("delay/pysyn/spk/out_idx.npy", lambda a: (a + 1) % 10),
    "engine state of uint16": _arrays_case("state/E.npy", lambda a: a.astype(np.uint16)),
    "engine state of int8": _arrays_case("state/E.npy", lambda a: a.astype(np.int8)),
    "ts of ints": _arrays_case("__ts__.npy", lambda a: a.astype(int)),
    "ts 2-D": _arrays_case("__ts__.npy", lambda a: a.reshape(2, -1)),
    "ts of strings": _arrays_case("__ts__.npy", lambda a: a.astype(str)),
}


def _all_cases(members):
    cases = {}
    for group in (BLOB_CASES, EXTRA_CASES, META_CASES, ARRAY_CASES):
        cases.update(group)
    cases.update(_entry_cases(members))
    return cases


def test_every_corrupted_file_is_refused_and_changes_nothing(saved, tmp_path):
    net, path, members, _ = saved
    cases = _all_cases(members)
    assert len(cases) > 200
    bad = tmp_path / "bad.npz"
    problems = {}
    for name, mutate in cases.items():
        _write(bad, mutate(dict(members)))
        before = _snapshot(net)
        try:
            net.load_state(bad)
        except bp.errors.BrainsynError:
            pass
        except Exception as e:  # noqa: BLE001 - reported below with the case
            problems.setdefault(name, []).append(f"{type(e).__name__}: {str(e)[:200]}")
        else:
            problems.setdefault(name, []).append("loaded")
        after = _snapshot(net)
        if after != before:
            changed = sorted(k for k in before if before[k] != after.get(k))
            problems.setdefault(name, []).append(f"changed {changed}")
    assert not problems, f"{len(problems)} of {len(cases)} cases:\n" + "\n".join(
        f"{name}: {'; '.join(p)}" for name, p in problems.items())


def test_corrupted_fields_are_named(saved, tmp_path):
    net, path, members, _ = saved
    bad = tmp_path / "bad.npz"
    for case, pattern in [
        (BLOB_CASES["ring head 2**63-1"], r"'ampa'.*AMPA: saved delay-line head 9223372036854775807 is outside 0\.\.13"),
        (BLOB_CASES["ring length 2**31"], r"'ampa'.*delay line has 2147483648 elements"),
        (BLOB_CASES["variable length 2**31"], r"'ampa'.*saved s has 2147483648 elements, this object has 6"),
        (BLOB_CASES["ring dt 0.05 (rows do not match the delay)"], r"'ampa'.*14 rows.*dt = 0.05 ms make 27"),
        (BLOB_CASES["LIF spike flag 2"], r"'E'.*saved spike\[0\] is 2, not 0 or 1"),
        (BLOB_CASES["Poisson count above its sources"], r"'src'.*counts\[0\] = 200 is more than the 1 sources"),
        (EXTRA_CASES["Python attribute that is not an array"], r"'py/pysyn/tau'"),
        (ARRAY_CASES["py s of ints"], r"'py/pysyn/s'.*dtype"),
        (ARRAY_CASES["uniform delay: in_idx = rows"], r"'delay/pysyn/I_syn/in_idx'.*0\.\.12"),
        (_entry_cases(members)["state/ampa: header claims 2**40 elements"], r"'state/ampa'.*1099511627776"),
        (META_CASES["steps 2**63"], r"'steps'"),
        (META_CASES["object name 3"], r"'name'"),
    ]:
        _write(bad, case(dict(members)))
        with pytest.raises(bp.errors.BrainsynError, match=pattern):
            net.load_state(bad)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_valid_file_restores_bit_for_bit(saved, tmp_path, compression):
    _, path, members, want = saved
    good = tmp_path / "good.npz"
    _write(good, members, compression)
    a = _build()
    _run(a, 0., 8.)
    b = _build()
    b.load_state(good)
    got = _snapshot(b)
    ids = {k for k in want if k.startswith("pysyn.") and k.count(".") == 1}
    for k in want:
        w, g = want[k], got[k]
        if k in ids:  # the arrays themselves are b's own
            w, g = w[1:], g[1:]
        assert w == g, k
    _run(a, 8., 16.)
    _run(b, 8., 16.)
    assert _snapshot(a).keys() == _snapshot(b).keys()
    assert np.array_equal(a.pysyn.mon.s, b.pysyn.mon.s) and a.pysyn.mon.s.max() > 0
    for o in ("src", "ampa", "E"):
        assert _snapshot(a)[o] == _snapshot(b)[o], o


def _patch_size(data, name, size):
    """A zip file whose records say that entry name holds size bytes."""
    b, n = bytearray(data), name.encode()
    for sig, off in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):  # central record, local header
        pos = b.find(sig)
        while pos >= 0:
            name_at = pos + (46 if sig == b"PK\x01\x02" else 30)
            if b[name_at:name_at + len(n)] == n:
                struct.pack_into("<I", b, pos + off, size)
                break
            pos = b.find(sig, pos + 4)
    return bytes(b)


@pytest.mark.parametrize("compression, size", [(zipfile.ZIP_STORED, 2 ** 31), (zipfile.ZIP_DEFLATED, 2 ** 32 - 1)])
def test_zip_records_that_lie_about_sizes_are_refused(saved, tmp_path, compression, size):
    # A zip entry's size is what bounds its decompressed data: one larger
    # than the bytes stored (or than deflate can make of them) is refused
    # before anything is read.
    net, _, members, _ = saved
    good = tmp_path / "good.npz"
    _write(good, members, compression)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(_patch_size(good.read_bytes(), "state/E.npy", size))
    before = _snapshot(net)
    with pytest.raises(bp.errors.BrainsynValueError, match=rf"'state/E' claims {size} bytes from \d+ stored"):
        net.load_state(bad)
    assert _snapshot(net) == before
