"""``Network``: objects stepped together, run for a duration with inputs."""

import json
import math
import numbers
import signal
import sys
import threading
import time
import warnings

import numpy as np

from . import _native, backend, errors
from .base import DynamicSystem, TwoEndConn
from .monitor import Deferred
from .native import unknown_var

__all__ = ["Network", "memory_limit_bytes"]


_OPS = {"+": "+", "-": "-", "*": "*", "x": "*", "/": "/", "=": "="}
_CHUNK_SECONDS = 0.05  # engine calls return at least this often (Ctrl-C, progress)


def memory_limit_bytes():
    """Memory a run's monitors may take [bytes]: 80 % of what the process may
    still use (the least of the machine's available memory, its cgroup's
    limit and its address-space limit, as the engine reads them)."""
    return int(_native.call("MemoryAvailable")) * 8 // 10


class Network:
    """An ordered set of objects run together.

    ``Network(neu1, syn, neu2)`` steps, at every time step and in this order,
    each object's inputs, its update and its monitors (BrainPy 1.0 order).
    Objects may also be given by keyword: ``Network(E=group)``.

    Networks made only of built-in objects run entirely in the Go engine;
    objects written in Python are called from the step loop. Times are in
    ms (``net.ts`` [ms]); the state can be saved with :meth:`save_state`.
    """

    def __init__(self, *objs, show_code=False, **named_objs):
        self._objs = []
        self._handle = None
        self._key = None
        self.ts = np.zeros(0)
        self.t_start = 0.0
        self._closed = False
        self._running = False  # between Begin and End (read by other threads)
        self.add(*objs, **named_objs)

    # -- building -------------------------------------------------------------
    def add(self, *objs, **named_objs):
        """Add objects (positionally, or by keyword to set their name)."""
        self._check_open()
        for name, obj in named_objs.items():
            if isinstance(obj, DynamicSystem):
                object.__setattr__(obj, "name", name)
            objs = objs + (obj,)
        for obj in objs:
            if isinstance(obj, (list, tuple)):
                self.add(*obj)
                continue
            if not isinstance(obj, DynamicSystem):
                raise errors.BrainsynTypeError(f"Network takes brain objects (NeuGroup, TwoEndConn, ...), got {type(obj).__name__}")
            if any(o is obj for o in self._objs):
                raise errors.BrainsynValueError(f"{obj.name} was added to the network twice")
            if any(o.name == obj.name for o in self._objs):
                raise errors.BrainsynValueError(f"two objects are named {obj.name!r}; names must be unique in a network")
            self._objs.append(obj)
        self._key = None

    @property
    def all_nodes(self):
        return {o.name: o for o in self._objs}

    def __getattr__(self, name):
        objs = self.__dict__.get("_objs", [])
        for o in objs:
            if o.name == name:
                return o
        raise AttributeError(f"Network has no attribute or object named {name!r}")

    def _check_open(self):
        if self.__dict__.get("_closed"):
            raise errors.ClosedError("this network was closed; create a new Network")

    def close(self):
        """Release the engine network (objects stay usable in other networks)."""
        if self._handle is not None:
            _native.free(self._handle)
            self._handle = None
        self._closed = True

    def __del__(self):
        try:
            if self._handle is not None:
                _native.free(self._handle)
        except Exception:
            pass

    def __reduce_ex__(self, protocol):
        # See DynamicSystem.__reduce_ex__: a copy would share the engine network.
        if self._handle is not None:
            raise errors.BrainsynTypeError(
                "a Network that has run cannot be copied or pickled: it holds engine memory. Build a new "
                "one; net.save_state / net.load_state carry the state across")
        return super().__reduce_ex__(protocol)

    def _engine(self):
        """(handle, native objects in order) of the engine-side network."""
        natives = [o for o in self._objs if o._is_native()]
        key = tuple(id(o) for o in natives)
        if key != self._key or self._handle is None:
            if self._handle is not None:
                _native.free(self._handle)
                self._handle = None
            handles = [o._native_handle() for o in natives]
            self._handle = _native.call("NewNetwork", json.dumps(handles), json.dumps([o.name for o in natives]))
            self._key = key
            self._natives = natives
        return self._handle, self._natives

    @property
    def thread_use(self):
        """How the last run used its threads (``bp.set_num_threads``), or None
        before the first run: a dict with

        * ``threads``: the number of threads;
        * ``split``: loops of large groups were split across them;
        * ``together``: projections that add into different conductances were
          updated at the same time, one per thread, in ``joined_steps`` steps;
        * ``owner``: each thread owned a share of the neurons and delivered
          spikes into it and updated it, meeting the others once per step;
          ``owner_applies`` says whether the network allows this way at all
          (groups first, then projections that only add into a conductance,
          no delays, monitors of spikes only; see docs/performance.md);
        * ``decided``: the run timed its first steps each way and kept the
          fastest (False when it was too short to, or when it had one thread).
        """
        self._check_open()
        if self._handle is None:
            return None
        return json.loads(_native.call("Threading", self._handle))

    # -- state --------------------------------------------------------------------
    def save_state(self, path):
        """Write the complete network state to one ``.npz`` file (see :mod:`brainsyn.checkpoint`)."""
        from .checkpoint import save_state
        save_state(self, path)

    def load_state(self, path):
        """Restore a state written by :meth:`save_state` into this (identically built) network."""
        from .checkpoint import load_state
        load_state(self, path)

    # -- running ----------------------------------------------------------------
    def run(self, duration, inputs=(), report=False, report_percent=0.1):
        """Run for ``duration`` [ms] (or ``(start, end)``).

        Parameters
        ----------
        duration : float or (float, float)
            End time [ms] (start 0), or the pair (start, end). Times of step i
            are ``start + i·dt``; the run has ``len(arange(start, end, dt))`` steps.
        inputs : tuple or list of tuples
            ``(target, key, value[, op])``: before the target's update at
            every step, ``target.key op= value``. ``op`` is one of
            ``+ - * / =`` (default ``+``; ``=`` assigns element-wise).
            A number, or an array of the variable's shape, is used at every
            step; an array with one row per step is used row by row.
            Several inputs may drive one variable: they are applied in the
            order given, each with its op (``('input', 10.)`` and
            ``('input', 5.)`` add 15; ``(neu, 'input', 10., '=')`` then
            ``(neu, 'input', 2., '*')`` make it 20).
        report : bool
            Show a progress bar (tqdm.auto: a widget in Jupyter) and print
            build and run times [s] separately.

        Returns
        -------
        float or None
            Run time [s] when ``report`` is set.

        Notes
        -----
        Ctrl-C (Jupyter's stop button) ends the run within about 0.1 s with
        KeyboardInterrupt: monitors and ``net.ts`` then hold the steps
        finished before it, and the network can run again. With models
        written in Python the step in progress is finished first; a second
        Ctrl-C stops at once. A run stopped by an error (a NaN with
        ``bp.check_nan``, an exception in a model written in Python) also
        keeps the steps finished before it.
        """
        self._check_open()
        dt = backend.get_dt()
        start, end = _duration(duration)
        _guard_steps(start, end, dt)
        # start + i·dt, as the engine computes it (np.arange steps by (start+dt)-start).
        ts = start + np.arange(len(np.arange(start, end, dt))) * dt if end > start else np.zeros(0)
        nsteps = len(ts)
        t0 = time.perf_counter()
        plan = self._plan(inputs, nsteps)
        self._warn_left_out()
        handle, natives = self._engine()
        index = {id(o): k for k, o in enumerate(natives)}
        _native.call("DropInputs", handle)  # any left by a run that failed before Begin
        for target, key, value, op, iterate, width in plan["native"]:
            _native.net_input(handle, index[id(target)], key, op, iterate, width, value)
        mons, pymons = self._monitors(natives, nsteps, dt)
        self._memory_guard(natives, mons, pymons, nsteps)
        for o in self._objs:
            for d in getattr(o, "constant_delays", {}).values():
                d._prepare(dt)
        # Python models may read or write V between engine calls, so outputs
        # stay separate (no folding into the post group's update).
        _native.call("SetFusion", handle, all(o._is_native() for o in self._objs))
        self._continue_time(handle)
        pos, interrupted, bar, begun, held = 0, None, None, False, None
        build_time, t1 = 0.0, time.perf_counter()
        try:  # once Begin has succeeded End must run, or the network stays marked busy
            # Ctrl-C is held back from before Begin until begun is set, so
            # an interrupt cannot land between the two.
            held = _hold_sigint()
            _native.call("Begin", handle, nsteps, float(dt), float(start), bool(getattr(sys.modules.get("brainsyn"), "check_nan", False)), json.dumps([m[0] for m in mons]))
            begun = self._running = True
            held = _release_sigint(held)
            build_time = time.perf_counter() - t0
            t1 = time.perf_counter()
            self._pos = 0
            bar = _Progress(nsteps, report, report_percent)
            if all(o._is_native() for o in self._objs):
                pos = self._run_native(handle, nsteps, bar)
            else:
                pos = self._run_mixed(handle, natives, plan["python"], pymons, ts, dt, bar)
        except BaseException as e:
            if not begun:
                raise
            # Monitors keep every step finished before the interrupt or error.
            interrupted = e
            # An interrupt that arrives during an engine call is raised after
            # it returns, before its result is stored: ask the engine (Run up
            # to step 0 computes nothing and returns the next step).
            pos = self._pos
            if all(o._is_native() for o in self._objs):
                try:
                    pos = _native.call("Run", handle, 0)
                except errors.BrainsynError:
                    pass
        finally:
            _release_sigint(held)
            self._running = False
            try:
                if begun:
                    _native.call("End", handle)
                    self._stamp_time(handle)
            finally:
                if bar is not None:
                    bar.close()
        run_time = time.perf_counter() - t1
        self.ts = ts[:pos] if pos < nsteps else ts
        self.t_start = start
        self._collect(handle, mons, pymons, ts, pos)
        if interrupted is not None:
            raise interrupted
        if report:
            print(f"Build took {build_time:.4f} s; run took {run_time:.4f} s ({pos} steps).")
            return run_time
        return None

    def _run_native(self, handle, nsteps, bar):
        self._pos = pos = 0
        budget = max(1, int(_CHUNK_SECONDS * 1e6))  # [µs]; each call returns after one step past it
        while pos < nsteps:
            pos = _native.call("RunFor", handle, nsteps, budget)
            self._pos = pos
            bar.update(pos)
        return pos

    # -- time carried across networks ---------------------------------------------
    def _continue_time(self, handle):
        """Go on from the latest time any object reached. Each object keeps
        the time its last run ended (_stamp_time): a network built anew
        (``obj.run`` again, ``net.add`` between runs) or one whose objects
        ran elsewhere since would otherwise restart the step counter, which
        replays PoissonInput draws, and the time axis that spike times in
        state refer to, which ends refractory periods early or late. An
        object that ran less long than the latest sees the gap as time
        passed."""
        clocks = [o.__dict__.get("_clock") for o in self._objs]
        latest = max((c for c in clocks if c), key=lambda c: c["steps"], default=None)
        if latest is None:
            return
        cur = json.loads(_native.call("TimeState", handle))
        if cur is None or latest["steps"] > cur["steps"]:
            _native.call("SetTimeState", handle, json.dumps(latest))

    def _stamp_time(self, handle):
        clock = json.loads(_native.call("TimeState", handle))
        for o in self._objs:
            o.__dict__["_clock"] = clock

    def _run_mixed(self, handle, natives, pyinputs, pymons, ts, dt, bar):
        """Step loop in Python: native runs go to the engine in one call each."""
        segments = []  # ('native', from, to) or ('py', obj)
        k = 0
        for o in self._objs:
            if o._is_native():
                if segments and segments[-1][0] == "native":
                    segments[-1] = ("native", segments[-1][1], k + 1)
                else:
                    segments.append(("native", k, k + 1))
                k += 1
            else:
                segments.append(("py", o, o._step_funcs()))
        self._pos = 0
        with _StepBoundaryInterrupt() as stop:
            for i, t in enumerate(ts):
                t = float(t)
                for seg in segments:
                    if seg[0] == "native":
                        _native.call("StepRange", handle, i, seg[1], seg[2])
                        continue
                    obj, funcs = seg[1], seg[2]
                    for key, value, op, iterate in pyinputs.get(id(obj), ()):
                        _apply_py_input(obj, key, value[i] if iterate else value, op)
                    for f in funcs:
                        f(t, i, dt)
                    for rec in pymons.get(id(obj), ()):
                        rec.record(i)
                _native.call("Advance", handle, i + 1)
                self._pos = i + 1
                if stop.requested:
                    raise KeyboardInterrupt
                if i % 64 == 0:
                    bar.update(i + 1)
        bar.update(len(ts))
        return len(ts)

    def _warn_left_out(self):
        """Warn (once per object) about synapses whose groups are not in the
        network: those groups are never updated, which BrainPy did silently."""
        warned = self.__dict__.setdefault("_warned", set())
        for o in self._objs:
            for role in ("pre", "post"):
                g = getattr(o, role, None) if isinstance(o, TwoEndConn) else None
                if g is None or any(x is g for x in self._objs) or (o.name, role) in warned:
                    continue
                warned.add((o.name, role))
                warnings.warn(f"{o.name}'s {role} group {g.name} is not in this network, so it is never "
                              f"updated during the run; add it to the Network (Network({g.name}, {o.name}, ...))",
                              errors.LeftOutWarning, stacklevel=3)

    # -- inputs -----------------------------------------------------------------
    def _plan(self, inputs, nsteps):
        if inputs is None:
            inputs = []
        if isinstance(inputs, tuple) and inputs and isinstance(inputs[0], DynamicSystem):
            inputs = [inputs]
        if not isinstance(inputs, (list, tuple)):
            raise errors.BrainsynTypeError("inputs must be a tuple (target, key, value[, op]) or a list of them")
        native, python = [], {}
        for spec in inputs:
            if not isinstance(spec, (tuple, list)) or len(spec) not in (3, 4):
                raise errors.BrainsynTypeError(f"an input must be (target, key, value[, op]), got {spec!r}")
            target, key, value = spec[:3]
            op = spec[3] if len(spec) == 4 else "+"
            if not isinstance(target, DynamicSystem):
                raise errors.BrainsynTypeError(f"input target must be a brain object, got {type(target).__name__}")
            if not any(o is target for o in self._objs):
                raise errors.BrainsynValueError(
                    f"input target {target.name} is not in this network (BrainPy ignored such inputs silently); "
                    f"add it to the Network or remove the input")
            if op not in _OPS:
                raise errors.BrainsynValueError(f"input op must be one of + - * / =, got {op!r}")
            op = _OPS[op]
            if not isinstance(key, str):
                raise errors.BrainsynTypeError(f"input key must be a variable name, got {key!r}")
            current = _target_var(target, key)
            if callable(value):
                raise errors.BrainsynTypeError(f"input value for {target.name}.{key} must be a number or an array, got a function")
            try:
                val = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise errors.BrainsynTypeError(
                    f"input value for {target.name}.{key} must be a number or an array of numbers, got {value!r:.80}") from None
            if not np.isfinite(val).all():
                raise errors.BrainsynValueError(f"input value for {target.name}.{key} contains NaN or inf")
            var_shape = np.shape(current)
            var_len = int(np.prod(var_shape)) if var_shape else 1
            iterate = val.ndim >= 1 and val.shape[0] == nsteps and val.shape != var_shape
            if iterate:
                row = val.shape[1:]
                if row not in ((), var_shape) and int(np.prod(row)) != var_len:
                    raise errors.BrainsynValueError(
                        f"input for {target.name}.{key} has rows of shape {row}; the variable has shape {var_shape}")
                width = 1 if row == () else var_len
            else:
                if val.shape not in ((), (1,)) and val.shape != var_shape and val.size != var_len:
                    raise errors.BrainsynValueError(
                        f"input for {target.name}.{key} has shape {val.shape}: give a number, an array of the "
                        f"variable's shape {var_shape}, or one row per step ({nsteps} rows)")
                width = 1 if val.size == 1 else var_len
            if target._is_native():
                native.append((target, key, val, op, iterate, width))
            else:
                python.setdefault(id(target), []).append((key, val if iterate else val.reshape(var_shape) if width > 1 else val.reshape(()), op, iterate))
        return {"native": native, "python": python}

    # -- monitors ---------------------------------------------------------------
    def _monitors(self, natives, nsteps, dt):
        index = {id(o): k for k, o in enumerate(natives)}
        mons, pymons = [], {}
        for o in self._objs:
            spec = o._mon_spec
            for name, idx in spec.items:
                every = spec.every.get(name)
                k = 1 if every is None else _record_steps(every, dt)
                events = name in spec.events
                if o._is_native():
                    if name not in o.__dict__.get("_varinfo", {}):
                        unknown_var(o, name, "monitor")
                    m = {"node": index[id(o)], "var": name, "every": k, "events": events}
                    if idx is not None:
                        m["idx"] = [int(i) for i in idx]
                        big = [i for i in m["idx"] if not -2**31 <= i < 2**31]
                        if big:  # the engine checks the rest against the variable's length
                            raise errors.BrainsynIndexError(f"monitor {o.name}.{name}: index {big[0]} is out of range")
                    mons.append((m, o, name, idx))
                else:
                    if not hasattr(o, name):
                        unknown_var(o, name, "monitor")
                    pymons.setdefault(id(o), []).append(_PyRecorder(o, name, idx, k, nsteps))
        return mons, pymons

    def _memory_guard(self, natives, mons, pymons, nsteps):
        total = 0
        for m, o, name, idx in mons:
            if m["events"]:
                continue
            info = o.__dict__["_varinfo"][name]
            n = len(idx) if idx is not None else (info.get("len") or getattr(o, "size", 1))
            rows = -(-nsteps // m["every"])
            total += rows * n * (1 if info.get("bool") else 8)
        for recs in pymons.values():
            total += sum(r.nbytes for r in recs)
        limit = memory_limit_bytes()
        if total > limit:
            raise errors.MemoryGuardError(
                f"the monitors of this run would take {total / 2**30:.2f} GiB but only {limit / 2**30:.2f} GiB "
                f"may be used; record fewer elements (monitors=[('V', [0, 1, 2])]), record less often "
                f"(bp.Monitor(['V'], every=1.0)), record spikes as events (bp.Monitor(['spike'], events=['spike'])), "
                f"or run in shorter pieces")

    def _collect(self, handle, mons, pymons, ts, pos):
        done = {}
        for k, (m, o, name, idx) in enumerate(mons):
            every = m["every"]
            rows_t = ts[:pos][::every]
            if m["events"]:
                ev = _native.monitor_events(handle, k)
                setattr(o.mon, name, ev)
                setattr(o.mon, name + "_t", Deferred(lambda ts=ts, ev=ev: ts[ev["i"]] if len(ts) else np.zeros(0)))
            else:
                data = _native.monitor_view(handle, k)[: len(rows_t)]
                shape = o.__dict__["_varinfo"][name].get("shape")
                if idx is None and shape and len(shape) > 1:
                    data = data.reshape((data.shape[0],) + tuple(shape))
                setattr(o.mon, name, data)
                setattr(o.mon, name + "_t", rows_t)
            done[id(o)] = o
        for recs in pymons.values():
            for r in recs:
                r.finish(ts, pos)
                done[id(r.obj)] = r.obj
        for o in self._objs:
            o.mon.ts = ts[:pos]


class _PyRecorder:
    """Records a Python object's variable after its update."""

    def __init__(self, obj, name, idx, every, nsteps):
        self.obj, self.name, self.idx, self.every = obj, name, idx, every
        x = np.asarray(getattr(obj, name))
        shape = x.shape if idx is None else (len(idx),)
        self.rows = -(-nsteps // every)
        self.nbytes = self.rows * int(np.prod(shape)) * x.dtype.itemsize
        self.data = None
        self.shape, self.dtype = shape, x.dtype

    def record(self, i):
        if i % self.every:
            return
        if self.data is None:
            self.data = np.zeros((self.rows,) + self.shape, dtype=self.dtype)
        x = np.asarray(getattr(self.obj, self.name))
        self.data[i // self.every] = x if self.idx is None else x.ravel()[self.idx]

    def finish(self, ts, pos):
        rows_t = ts[:pos][:: self.every]
        data = self.data if self.data is not None else np.zeros((self.rows,) + self.shape, dtype=self.dtype)
        setattr(self.obj.mon, self.name, data[: len(rows_t)])
        setattr(self.obj.mon, self.name + "_t", rows_t)


def _target_var(target, key):
    if target._is_native():
        if key not in target.__dict__.get("_varinfo", {}):
            unknown_var(target, key, "input")
        return getattr(target, key)
    if not hasattr(target, key):
        unknown_var(target, key, "input")
    return getattr(target, key)


def _apply_py_input(obj, key, value, op):
    cur = getattr(obj, key)
    if op == "=":
        if isinstance(cur, np.ndarray):
            cur[...] = value
        else:
            setattr(obj, key, value)
    elif op == "+":
        setattr(obj, key, cur + value) if not isinstance(cur, np.ndarray) else np.add(cur, value, out=cur, casting="unsafe")
    elif op == "-":
        setattr(obj, key, cur - value) if not isinstance(cur, np.ndarray) else np.subtract(cur, value, out=cur, casting="unsafe")
    elif op == "*":
        setattr(obj, key, cur * value) if not isinstance(cur, np.ndarray) else np.multiply(cur, value, out=cur, casting="unsafe")
    elif op == "/":
        setattr(obj, key, cur / value) if not isinstance(cur, np.ndarray) else np.divide(cur, value, out=cur, casting="unsafe")


def _guard_steps(start, end, dt):
    """Refuse a run whose time array alone (8 bytes a step) cannot fit,
    before numpy tries to allocate it."""
    nsteps = (end - start) / dt if end > start else 0.0
    limit = memory_limit_bytes()
    if 8 * nsteps > limit:
        raise errors.MemoryGuardError(
            f"a run of {nsteps:.4g} steps needs {8 * nsteps / 2**30:.2f} GiB for its time array alone but only "
            f"{limit / 2**30:.2f} GiB may be used; run a shorter duration, in pieces, or with a larger dt")


def _duration(duration):
    if isinstance(duration, (tuple, list)):
        if len(duration) != 2:
            raise errors.BrainsynValueError(f"duration must be a number or (start, end), got {duration!r}")
        start, end = duration
    else:
        start, end = 0.0, duration
    for what, x in (("duration", end), ("start", start)):
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise errors.BrainsynTypeError(f"{what} must be a number [ms], got {x!r}")
        if not math.isfinite(x):
            raise errors.BrainsynValueError(f"{what} must be finite [ms], got {x!r}")
    start, end = float(start), float(end)
    if not isinstance(duration, (tuple, list)) and end < 0:
        raise errors.BrainsynValueError(f"duration must be >= 0 [ms], got {end!r}")
    if start > end:
        start, end = end, start
    return start, end


class _Progress:
    """Progress bar (tqdm when installed) with correct totals per run."""

    def __init__(self, total, report, percent):
        self.bar = None
        self.total = total
        self.last = 0
        if not report or total == 0:
            return
        try:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, unit="step", desc="Running", file=sys.stdout, leave=True)
        except ImportError:
            self.bar = None
            self.every = max(1, int(total * percent))
            self.t0 = time.perf_counter()
            self.plain = True

    def update(self, pos):
        if self.bar is not None:
            self.bar.update(pos - self.last)
        elif getattr(self, "plain", False) and (pos // self.every) > (self.last // self.every):
            print(f"Run {100 * pos / self.total:.1f}% used {time.perf_counter() - self.t0:.3f} s.")
        self.last = pos

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _record_steps(every, dt):
    """Steps between recorded rows for an interval of ``every`` ms. An
    interval longer than any run (every / dt may even overflow to inf)
    records the first step only."""
    r = every / dt
    return max(1, int(round(r))) if r < _MAX_EVERY else _MAX_EVERY


_MAX_EVERY = 1 << 62


def _hold_sigint():
    """Block SIGINT for this thread (the main one, on POSIX) and return
    whether it was unblocked before: a Ctrl-C meanwhile waits for
    _release_sigint instead of raising between two statements that must
    not be parted."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        return False
    try:
        prev = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except BaseException:  # a Ctrl-C from before the block
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    return signal.SIGINT not in prev


def _release_sigint(held):
    """Undo _hold_sigint (a held Ctrl-C is raised from here); returns None."""
    if held:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    return None


class _StepBoundaryInterrupt:
    """Defers Ctrl-C (SIGINT) to the end of the step in progress while the
    step loop runs in Python, so no model's update is cut in half and the
    monitors, the state and the engine's step counter agree. A second
    Ctrl-C interrupts at once (a model stuck in a loop stays stoppable)."""

    def __enter__(self):
        self.requested, self.old = False, None
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self.old = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)
        return False
