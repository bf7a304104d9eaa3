"""Parameter sweeps and repeated trials on Dask: ``bp.sweep(fn, grid)``.

``fn`` builds and runs one network from keyword parameters and returns an
array, a scalar, or a dict of them. ``sweep`` runs ``fn`` once per grid
point (and trial) as independent tasks, on a local cluster of worker
processes by default or on any Dask cluster given as ``client=``, and
returns the results labelled by their parameters.

Reproducibility: every task gets a seed derived from the sweep seed, the
task's parameters and its trial number (:func:`task_seed`), never from the
order tasks ran in or the worker that ran them, so a sweep gives the same
bits run twice, on 1 or 100 workers. ``fn`` receives it as ``seed=`` when
its signature takes ``seed``, and must pass it on to every random part of
the model (connectors' ``seed=``, ``PoissonInput(seed=)``, its own
``np.random.default_rng(seed)``). NumPy's global generator is also seeded
with it during the task, as a safety net for connectors built without one.

Why processes with one thread each: every process holds one Go runtime,
and several runs in one process would share it; one-thread workers give one
run per core. Workers are started with the 'spawn' method: a process in
which the Go runtime has started must never be forked.

``bp.sweep`` is the function; the module's other names are imported with
``from brainsyn.sweep import task_seed, SweepResult, ...``.
"""

import hashlib
import inspect
import itertools
import json
import numbers
import os
import sys
import time
import traceback
import warnings

import numpy as np

from . import backend, errors

__all__ = ["sweep", "task_seed", "expand_grid", "SweepResult", "SweepFailure", "SweepError", "SweepWarning"]

SEED_BOUND = 2 ** 32  # task seeds fit np.random.seed / RandomState as well as brainsyn


class SweepError(errors.BrainsynRuntimeError):
    """Raised at the end of a sweep with ``raise_on_error=True``; ``.failures``
    lists every failed task, ``.result`` is the :class:`SweepResult` of all."""

    def __init__(self, failures, total):
        self.failures = list(failures)
        self.result = None
        lines = [f"{len(self.failures)} of {total} sweep tasks failed:"]
        for f in self.failures:
            lines.append(f"--- {f.label()}\n{f.traceback.rstrip()}")
        super().__init__("\n".join(lines))


class SweepWarning(RuntimeWarning):
    """Some tasks of a sweep failed (the others' results are returned)."""


class SweepFailure:
    """One failed task: its parameters, trial, seed, error and traceback."""

    __slots__ = ("params", "trial", "seed", "error", "traceback")

    def __init__(self, params, trial, seed, error, tb):
        self.params, self.trial, self.seed, self.error, self.traceback = dict(params), trial, seed, error, tb

    def label(self):
        items = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        trial = "" if self.trial is None else f", trial={self.trial}"
        return f"{items}{trial} (seed {self.seed}): {self.error}"

    def __repr__(self):
        return f"SweepFailure({self.label()})"


# -- seeds and grids -----------------------------------------------------------

def _canon(v):
    """A JSON-able form of a parameter value that does not depend on its
    Python/NumPy type (np.float64(0.5) and 0.5 give the same seed)."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, numbers.Complex):
        return [float(v.real), float(v.imag)]
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_canon(x) for x in (v.tolist() if isinstance(v, np.ndarray) else v)]
    return f"{type(v).__name__}:{v!r}"


def task_seed(sweep_seed, params, trial=None):
    """The seed of the task running ``params`` (and ``trial``) in a sweep
    seeded with ``sweep_seed``: an int in [0, 2**32).

    It is a SHA-256 hash of (sweep seed, parameters sorted by name, trial),
    so it does not depend on task order, worker count or machine.
    """
    if isinstance(sweep_seed, bool) or not isinstance(sweep_seed, numbers.Integral):
        raise errors.BrainsynTypeError(f"sweep seed must be an int, got {sweep_seed!r}")
    items = [[str(k), _canon(v)] for k, v in sorted(params.items(), key=lambda kv: str(kv[0]))]
    key = json.dumps([int(sweep_seed), items, None if trial is None else int(trial)], separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little") % SEED_BOUND


def expand_grid(grid):
    """(points, axes): the list of parameter dicts, and for a dict grid the
    ordered {name: values} of its Cartesian product (None for a list)."""
    if isinstance(grid, dict):
        axes = {}
        for k, vals in grid.items():
            if isinstance(vals, (str, bytes)) or not hasattr(vals, "__iter__"):
                raise errors.BrainsynTypeError(
                    f"sweep grid: {k!r} must be a list of values, got {vals!r} (wrap one value as [{vals!r}])")
            vals = list(vals)
            if not vals:
                raise errors.BrainsynValueError(f"sweep grid: {k!r} has no values")
            axes[str(k)] = vals
        points = [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
        return points, axes
    if isinstance(grid, (list, tuple)):
        if not grid or not all(isinstance(p, dict) for p in grid):
            raise errors.BrainsynTypeError("sweep grid: a list grid must be a non-empty list of dicts of parameters")
        return [dict(p) for p in grid], None
    raise errors.BrainsynTypeError(f"sweep grid must be a dict of value lists or a list of dicts, got {type(grid).__name__}")


def _trials(seeds):
    """[(trial, explicit seed or None)], or None without a trial dimension."""
    if seeds is None:
        return None
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        if seeds < 1:
            raise errors.BrainsynValueError(f"seeds must be >= 1 trials, got {seeds}")
        return [(k, None) for k in range(int(seeds))]
    out = list(seeds)
    if not out or not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and 0 <= s for s in out):
        raise errors.BrainsynValueError(f"seeds must be a number of trials or a non-empty list of ints >= 0, got {seeds!r}")
    return [(k, int(s)) for k, s in enumerate(out)]


def _takes_seed(fn):
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return any(p.name == "seed" or p.kind is p.VAR_KEYWORD for p in sig.parameters.values())


# -- the task ------------------------------------------------------------------

def _normalize(out, name):
    """fn's result as {variable: ndarray}."""
    if out is None:
        return {}
    if isinstance(out, dict):
        return {str(k): np.asarray(v) for k, v in out.items()}
    return {name: np.asarray(out)}


def _run_task(fn, params, seed, settings):
    """Run one task where it lands (a worker, or this process): (True, outputs)
    or (False, (error line, traceback)). Exceptions stay inside, so one
    failing point does not stop the sweep."""
    import brainsyn as bp
    saved, rng_state = None, np.random.get_state()
    try:
        saved = (bp.get_num_threads(), backend.get_dt(), bp.check_nan)  # raises ForkError in a forked worker
        bp.set_num_threads(settings["threads"])
        backend.set_dt(settings["dt"])  # workers start at the default dt; carry the caller's
        bp.check_nan = settings["check_nan"]
        np.random.seed(seed)
        kw = dict(params)
        if settings["pass_seed"]:
            kw["seed"] = seed
        return True, _normalize(fn(**kw), settings["name"])
    except Exception as e:
        return False, (f"{type(e).__name__}: {e}", traceback.format_exc())
    finally:
        np.random.set_state(rng_state)
        if saved is not None:
            try:
                bp.set_num_threads(saved[0])
                backend.set_dt(saved[1])
                bp.check_nan = saved[2]
            except errors.BrainsynError:
                pass


# -- progress ------------------------------------------------------------------

class _Bar:
    def __init__(self, total, enabled):
        self.total, self.n, self.bar, self.enabled = total, 0, None, bool(enabled)
        self.t0 = time.monotonic()
        if not self.enabled:
            return
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc="sweep", unit="task")
        except ImportError:
            pass

    def update(self, failed=0):
        self.n += 1
        if self.bar is not None:
            self.bar.update(1)
            if failed:
                self.bar.set_postfix(failed=failed)
        elif self.enabled:
            sys.stderr.write(f"\rsweep: {self.n}/{self.total} tasks ({failed} failed), {time.monotonic() - self.t0:.0f} s")
            sys.stderr.flush()

    def close(self):
        if self.bar is not None:
            self.bar.close()
        elif self.enabled and self.n:
            sys.stderr.write("\n")


# -- running -------------------------------------------------------------------

def _run_serial(tasks, fn, settings, record):
    for i, (params, seed) in enumerate(tasks):
        record(i, _run_task(fn, params, seed, settings))


def _run_dask(client, tasks, fn, settings, record):
    from dask.distributed import as_completed
    import dask.base
    nthreads = client.nthreads()
    if any(n > 1 for n in nthreads.values()):
        warnings.warn("some Dask workers run several threads; tasks in one worker then share one Go runtime "
                      "and its cores. Start workers with one thread each (processes=cores, threads_per_worker=1).",
                      SweepWarning, stacklevel=3)
    token = dask.base.tokenize(time.time_ns(), os.getpid(), id(tasks))
    futures = {}
    for i, (params, seed) in enumerate(tasks):
        fut = client.submit(_run_task, fn, params, seed, settings, key=f"brainsyn-sweep-{token}-{i}", pure=False)
        futures[fut] = i
    try:
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # the worker died, or fn's result could not be sent back
                res = (False, (f"{type(e).__name__}: {e}", "".join(traceback.format_exception(type(e), e, e.__traceback__))))
            record(i, res)
            fut.release()
    finally:
        client.cancel(list(futures))


def _local_client(n_workers, threads, cluster_kwargs):
    """A LocalCluster of spawned one-thread worker processes, and its client."""
    from dask.distributed import Client, LocalCluster
    kw = dict(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
              env={"GOMAXPROCS": str(threads)})  # Go would otherwise size its runtime to every core
    kw.update(cluster_kwargs or {})
    cluster = LocalCluster(**kw)
    try:
        return cluster, Client(cluster)
    except BaseException:
        cluster.close()
        raise


def sweep(fn, grid, *, client=None, seeds=None, seed=0, progress=True, n_workers=None, threads=1,
          raise_on_error=False, as_xarray=None, name="result", dims=None, cluster_kwargs=None):
    """Run ``fn(**params)`` for every point of ``grid`` (and trial) as
    independent tasks on Dask, and return the results labelled by parameter.

    Parameters
    ----------
    fn : callable
        Builds and runs a network from keyword parameters; returns an array,
        a scalar, or a dict of arrays/scalars (every point must give the same
        names and shapes). If it takes ``seed``, it receives the task's seed
        (:func:`task_seed`) and must pass it to its connectors and inputs.
        It runs in other processes: define it at module level (or in the
        script's ``__main__``; it is then sent by value), and start scripts
        that create a local cluster under ``if __name__ == "__main__":``.
    grid : dict or list of dict
        ``{name: [values]}`` for the Cartesian product of the lists (one
        result dimension per name, in this order), or a list of parameter
        dicts (one dimension ``point``).
    client : dask.distributed.Client, optional
        Any Dask cluster (LocalCluster, dask-jobqueue, a remote scheduler).
        Without it, a LocalCluster of ``n_workers`` spawned worker processes
        with one thread each is started and closed afterwards.
    seeds : int or list of int, optional
        Repeated trials, as a ``trial`` dimension. An int n: trials
        0..n-1, each with its own derived seed per point. A list: these
        exact seeds, the same at every point (common random numbers).
    seed : int
        The sweep seed every task seed is derived from.
    progress : bool
        A progress bar over tasks (tqdm if installed).
    n_workers : int, optional
        Worker processes of the local cluster (default: the CPUs this
        process may use). 0 runs every task in this process, without Dask.
    threads : int
        Engine threads per task (``bp.set_num_threads``); results do not
        depend on it.
    raise_on_error : bool
        Raise :class:`SweepError` listing every failed task at the end,
        instead of warning and returning NaN at the failed points.
    as_xarray : bool, optional
        Return an ``xarray.Dataset`` (default when xarray is installed) or a
        :class:`SweepResult`.
    name : str
        Variable name for a result that is not a dict.
    dims : dict, optional
        ``{variable: (dim names)}`` for the result's own dimensions (default
        ``<variable>_dim_0``, ...).
    cluster_kwargs : dict, optional
        Extra arguments for the LocalCluster.

    Returns
    -------
    xarray.Dataset or SweepResult
        The Dataset has dimensions grid names (+ ``trial``) + each result's
        own, one variable per result name (NaN where a task failed), and per
        task ``task_seed`` and ``task_error`` (empty string, or the error and
        worker traceback). A :class:`SweepResult` holds the same as a table.
    """
    points, axes = expand_grid(grid)
    trials = _trials(seeds)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise errors.BrainsynTypeError(f"sweep seed must be an int, got {seed!r}")
    if not callable(fn):
        raise errors.BrainsynTypeError(f"sweep: fn must be callable, got {type(fn).__name__}")
    if isinstance(threads, bool) or not isinstance(threads, numbers.Integral) or threads < 1:
        raise errors.BrainsynValueError(f"sweep: threads must be an int >= 1, got {threads!r}")
    if any("seed" in p for p in points) and _takes_seed(fn):
        raise errors.BrainsynValueError("sweep: 'seed' cannot be a grid parameter (fn receives the task seed); "
                                        "use seeds=[...] to give the seeds of the trials")
    import brainsyn as bp
    settings = {"threads": int(threads), "dt": backend.get_dt(), "check_nan": bool(bp.check_nan),
                "pass_seed": _takes_seed(fn), "name": str(name)}

    # Task i is point i // n_trials, trial i % n_trials.
    tasks, meta = [], []
    for p in points:
        for trial, explicit in (trials or [(None, None)]):
            s = explicit if explicit is not None else task_seed(seed, p, trial)
            tasks.append((p, s))
            meta.append((p, trial, s))

    outputs = [None] * len(tasks)
    failures = {}
    bar = _Bar(len(tasks), progress)

    def record(i, res):
        ok, val = res
        if ok:
            outputs[i] = val
        else:
            p, trial, s = meta[i]
            failures[i] = SweepFailure(p, trial, s, val[0], val[1])
        bar.update(len(failures))

    try:
        if client is not None:
            _run_dask(client, tasks, fn, settings, record)
        elif n_workers == 0:
            _run_serial(tasks, fn, settings, record)
        else:
            n = n_workers if n_workers is not None else _cpus()
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
                raise errors.BrainsynValueError(f"sweep: n_workers must be an int >= 0, got {n_workers!r}")
            try:
                import dask
                import dask.distributed  # noqa: F401
            except ImportError as e:
                raise ImportError("bp.sweep needs Dask for worker processes: pip install 'dask[distributed]' "
                                  "(or pass n_workers=0 to run every task in this process)") from e
            # Spawned workers start a fresh interpreter: this process, whose Go
            # runtime is running, is never forked. The setting must hold for
            # as long as the cluster may (re)start workers.
            with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
                cluster, local = _local_client(min(int(n), len(tasks)), int(threads), cluster_kwargs)
                try:
                    _run_dask(local, tasks, fn, settings, record)
                finally:
                    local.close()
                    cluster.close()
    finally:
        bar.close()

    result = SweepResult(meta, outputs, failures, axes, trials, seed)
    if result.failures:
        if raise_on_error:
            err = SweepError(result.failures, len(tasks))
            err.result = result  # what did finish is not lost
            raise err
        shown = result.failures[:5]
        msg = "\n".join(f"  {f.label()}\n{_indent(f.traceback)}" for f in shown)
        msg += "".join(f"\n  {f.label()}" for f in result.failures[5:])
        warnings.warn(f"{len(result.failures)} of {len(tasks)} sweep tasks failed; their points hold NaN:\n{msg}",
                      SweepWarning, stacklevel=2)
    if as_xarray is None:
        try:
            import xarray  # noqa: F401
            as_xarray = True
        except ImportError:
            as_xarray = False
    if not as_xarray:
        return result
    try:
        return result.to_xarray(dims)
    except (errors.BrainsynError, ValueError, TypeError) as e:
        # Never lose a finished sweep to a labelling problem.
        warnings.warn(f"sweep results could not be labelled as an xarray Dataset ({e}); returning a SweepResult",
                      SweepWarning, stacklevel=2)
        return result


def _indent(text):
    return "".join("    " + line for line in text.rstrip().splitlines(True))


def _cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- results -------------------------------------------------------------------

class SweepResult:
    """Results of a sweep, one row per task.

    ``params`` (list of dicts, with ``trial`` when there are trials),
    ``seeds``, ``outputs`` (list of {name: ndarray}, None where a task
    failed), ``failures`` (list of :class:`SweepFailure`).
    ``to_dataframe()`` gives a pandas table (parameters, trial, task_seed,
    one column per output, task_error); ``to_xarray()`` a labelled Dataset.
    """

    def __init__(self, meta, outputs, failures, axes, trials, sweep_seed):
        self._meta, self._axes, self._trials = meta, axes, trials
        self.sweep_seed = sweep_seed
        self.outputs = outputs
        self._failed = dict(failures)  # task index -> SweepFailure
        self.failures = [self._failed[i] for i in sorted(self._failed)]
        self.params = [dict(p, **({} if t is None else {"trial": t})) for p, t, _ in meta]
        self.seeds = [s for _, _, s in meta]

    def __len__(self):
        return len(self.outputs)

    def __iter__(self):
        """(parameters, outputs or None) per task."""
        return iter(zip(self.params, self.outputs))

    def __repr__(self):
        return f"<SweepResult: {len(self)} tasks, {len(self.failures)} failed>"

    def _errors(self):
        return [f"{self._failed[i].error}\n{self._failed[i].traceback}" if i in self._failed else ""
                for i in range(len(self.outputs))]

    def to_dataframe(self):
        """A pandas DataFrame: one row per task (arrays as cell objects)."""
        import pandas as pd
        names = _names(self.outputs)
        rows = []
        for params, seed, out, err in zip(self.params, self.seeds, self.outputs, self._errors()):
            row = dict(params, task_seed=seed)
            for n in names:
                v = None if out is None else out.get(n)
                row[n] = v.item() if isinstance(v, np.ndarray) and v.ndim == 0 else v
            row["task_error"] = err
            rows.append(row)
        return pd.DataFrame(rows)

    def to_xarray(self, dims=None):
        """An xarray Dataset: dimensions = grid (+ trial) + each output's own."""
        import xarray as xr
        if self._axes is not None:
            pdims = list(self._axes)
            shape = [len(v) for v in self._axes.values()]
            coords = {k: _coord(v) for k, v in self._axes.items()}
        else:
            pdims, shape = ["point"], [len(self._meta) // (len(self._trials) if self._trials else 1)]
            keys = list(dict.fromkeys(k for p, _, _ in self._meta[::len(self._trials or [0])] for k in p))
            pts = [p for p, _, _ in self._meta[::len(self._trials or [0])]]
            coords = {"point": np.arange(shape[0])}
            coords.update({k: ("point", _coord([p.get(k) for p in pts])) for k in keys})
        if self._trials:
            pdims.append("trial")
            shape.append(len(self._trials))
            coords["trial"] = np.arange(len(self._trials))
        shape = tuple(shape)
        dims = dict(dims or {})
        data = {"task_seed": (pdims, np.array(self.seeds, dtype=np.int64).reshape(shape)),
                "task_error": (pdims, np.array(self._errors(), dtype=object).reshape(shape).astype(str))}
        taken = set(pdims) | set(coords) | set(data)
        for n in _names(self.outputs):
            vals = [None if o is None else o.get(n) for o in self.outputs]
            var = n
            while var in taken:  # an output named like a parameter: xarray needs distinct names
                var += "_out"
            if var != n:
                warnings.warn(f"sweep output {n!r} has the name of a parameter or coordinate; it is stored as {var!r}",
                              SweepWarning, stacklevel=3)
            present = [v for v in vals if v is not None]
            shapes = {v.shape for v in present}
            own = dims.get(n)
            if len(shapes) == 1:
                vshape = shapes.pop()
                dtype = np.result_type(*[v.dtype for v in present])
                missing = len(present) < len(vals)
                if missing and dtype.kind in "biu":
                    dtype = np.dtype(np.float64)  # room for NaN at failed points
                if dtype.kind in "fc":
                    fill = np.nan
                elif missing:
                    dtype, fill = np.dtype(object), None
                else:
                    fill = None
                arr = np.empty((len(vals),) + vshape, dtype=dtype)
                if fill is not None:
                    arr[...] = fill
                for i, v in enumerate(vals):
                    if v is not None:
                        arr[i] = v
                arr = arr.reshape(shape + vshape)
                own = tuple(own) if own is not None else tuple(f"{n}_dim_{k}" for k in range(len(vshape)))
                if len(own) != len(vshape):
                    raise errors.BrainsynValueError(f"dims[{n!r}] names {len(own)} dimensions; {n} has shape {vshape}")
            else:
                # Shapes differ between points: keep each point's array as one cell.
                warnings.warn(f"sweep output {n!r} has different shapes at different points {sorted(shapes)}; "
                              f"it is stored as an object array", SweepWarning, stacklevel=3)
                arr = np.empty(len(vals), dtype=object)
                for i, v in enumerate(vals):
                    arr[i] = v
                arr, own = arr.reshape(shape), ()
            data[var] = (pdims + list(own), arr)
        attrs = {"sweep_seed": int(self.sweep_seed), "n_tasks": len(self.outputs), "n_failed": len(self.failures)}
        return xr.Dataset(data, coords=coords, attrs=attrs)


def _names(outputs):
    return list(dict.fromkeys(k for o in outputs if o is not None for k in o))


def _coord(values):
    """Coordinate values as an array (object dtype when they are mixed)."""
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError):
        arr = None
    if arr is None or arr.ndim != 1 or (arr.dtype == object and len(values)):
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    return arr
