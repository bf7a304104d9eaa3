"""bp.sweep: parameter sweeps on Dask worker processes.

The cluster tests start real spawned worker processes (a few seconds each)
and compare their results bit for bit with fn called in this process.
"""

import functools
import os
import sys

import numpy as np
import pytest

import brainsyn as bp
from brainsyn.sweep import SweepError, SweepResult, SweepWarning, expand_grid, task_seed

GRID = {"g_max": [0.4, 0.8], "rate": [100.0, 200.0, 300.0, 400.0]}  # 8 points
NET_KEYS = ("counts", "v_end", "rate_hz")


def small_net(g_max, rate, seed, fail_at=None):
    """Poisson → AMPA → LIF; every random part takes the task seed. Also
    reports which process ran it, so tests can check how workers started."""
    if fail_at is not None and (g_max, rate) == tuple(fail_at):
        raise ValueError(f"planned failure at g_max={g_max}, rate={rate}")
    pre = bp.neurons.PoissonInput(40, freqs=rate, seed=seed)
    post = bp.neurons.LIF(10, V_rest=-65., V_reset=-70., V_th=-50., monitors=['spike'])
    post.V = -65.
    syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.FixedProb(0.3, seed=seed + 1), g_max=g_max,
                           T_duration=1.0)
    net = bp.Network(pre, syn, post)
    net.run(100.)
    counts = post.mon.spike.sum(axis=0)
    try:  # a spawned child runs "python -c 'from multiprocessing.spawn import spawn_main; ...'"
        with open(f"/proc/{os.getpid()}/cmdline", "rb") as f:
            spawned = "multiprocessing.spawn" in f.read().replace(b"\0", b" ").decode()
    except OSError:  # no /proc (macOS)
        spawned = None
    return {"counts": counts, "v_end": np.array(post.V), "rate_hz": counts.mean() * 10.0,
            "pid": os.getpid(), "ppid": os.getppid(), "spawned": spawned, "forked_flag": bp._native._forked,
            "dt": bp.backend.get_dt(), "gomaxprocs": os.environ.get("GOMAXPROCS", "")}


def serial_reference(grid, sweep_seed=0, **kw):
    """fn called here, point by point, with the seeds the sweep derives."""
    points, _ = expand_grid(grid)
    return [small_net(**p, seed=task_seed(sweep_seed, p), **kw) for p in points]


def assert_matches_serial(ds, grid, ref):
    points, _ = expand_grid(grid)
    for p, r in zip(points, ref):
        at = ds.sel(p)
        for k in NET_KEYS:
            got, want = at[k].values, np.asarray(r[k])
            np.testing.assert_array_equal(got, want, err_msg=f"{k} at {p}")
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), f"{k} at {p}"  # bit for bit


@pytest.fixture
def fork_log():
    """Records every os.fork() in this process while the test runs (the
    hook cannot be removed, so it is switched by a flag)."""
    log = []
    _FORK_LOGS.append(log)
    yield log
    _FORK_LOGS.remove(log)


_FORK_LOGS = []
os.register_at_fork(before=lambda: [log.append(os.getpid()) for log in _FORK_LOGS])


# -- seeds and grids (no Dask needed) -------------------------------------------

def test_task_seed_depends_on_parameters_trial_and_sweep_seed_only():
    p = {"g_max": 0.5, "T_duration": 1}
    s = task_seed(0, p)
    assert 0 <= s < 2**32
    assert task_seed(0, {"T_duration": 1, "g_max": 0.5}) == s  # key order does not matter
    assert task_seed(0, {"g_max": np.float64(0.5), "T_duration": np.int64(1)}) == s  # nor NumPy scalar types
    others = {task_seed(1, p), task_seed(0, {**p, "g_max": 0.6}), task_seed(0, p, 0), task_seed(0, p, 1)}
    assert s not in others and len(others) == 4


def test_expand_grid_orders_points_like_the_dimensions():
    points, axes = expand_grid({"a": [1, 2], "b": ["x", "y", "z"]})
    assert list(axes) == ["a", "b"] and len(points) == 6
    assert points[:3] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"}]
    with pytest.raises(TypeError):
        expand_grid({"a": 3})
    assert expand_grid([{"a": 1}, {"a": 2, "b": 0}]) == ([{"a": 1}, {"a": 2, "b": 0}], None)


# -- in-process runs (n_workers=0) ------------------------------------------------

def test_trials_add_a_dimension_with_derived_or_given_seeds():
    pytest.importorskip("xarray")
    grid = {"g_max": [0.8], "rate": [300.0, 400.0]}
    ds = bp.sweep(small_net, grid, seeds=3, n_workers=0, progress=False)
    assert ds["counts"].dims == ("g_max", "rate", "trial", "counts_dim_0")
    assert ds["counts"].shape == (1, 2, 3, 10)
    for t in range(3):
        p = {"g_max": 0.8, "rate": 400.0}
        s = task_seed(0, p, t)
        assert int(ds.task_seed.sel(p).isel(trial=t)) == s
        np.testing.assert_array_equal(ds["counts"].sel(p).isel(trial=t).values, small_net(**p, seed=s)["counts"])
    # Independent trials: the spike counts are not all the same.
    assert len({ds["counts"].sel(g_max=0.8, rate=400.0).isel(trial=t).values.tobytes() for t in range(3)}) > 1

    given = bp.sweep(small_net, grid, seeds=[11, 12], n_workers=0, progress=False)
    assert given.task_seed.values.tolist() == [[[11, 12], [11, 12]]]


def test_failures_raise_at_the_end_when_asked():
    grid = {"g_max": [0.4, 0.8], "rate": [100.0]}
    fn = functools.partial(small_net, fail_at=(0.8, 100.0))
    with pytest.raises(SweepError) as info:
        bp.sweep(fn, grid, n_workers=0, progress=False, raise_on_error=True)
    assert len(info.value.failures) == 1
    f = info.value.failures[0]
    assert f.params == {"g_max": 0.8, "rate": 100.0}
    assert "g_max=0.8, rate=100.0" in str(info.value) and "planned failure" in f.traceback
    assert info.value.result.outputs[0]["counts"].shape == (10,)  # the point that ran is kept


def test_result_table_without_xarray():
    grid = [{"g_max": 0.4, "rate": 100.0}, {"g_max": 0.8, "rate": 400.0}]
    with pytest.warns(SweepWarning, match="g_max=0.8"):
        res = bp.sweep(functools.partial(small_net, fail_at=(0.8, 400.0)), grid, n_workers=0, progress=False,
                       as_xarray=False)
    assert isinstance(res, SweepResult) and len(res) == 2
    assert res.outputs[0] is not None and res.outputs[1] is None
    assert [f.params for f in res.failures] == [{"g_max": 0.8, "rate": 400.0}]
    pd = pytest.importorskip("pandas")
    df = res.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df["g_max"]) == [0.4, 0.8] and df["task_error"][0] == "" and "planned failure" in df["task_error"][1]
    np.testing.assert_array_equal(df["counts"][0], small_net(g_max=0.4, rate=100.0, seed=res.seeds[0])["counts"])

    xr = pytest.importorskip("xarray")
    ds = res.to_xarray()  # a list grid becomes one dimension 'point', parameters as its coordinates
    assert isinstance(ds, xr.Dataset) and ds["counts"].dims == ("point", "counts_dim_0")
    assert ds.g_max.values.tolist() == [0.4, 0.8] and np.isnan(ds.rate_hz.values[1])


def scalar_named_like_a_parameter(g_max, seed):
    return {"g_max": g_max * 2, "noise": np.random.default_rng(seed).random()}


def test_progress_bar_and_output_names(capsys):
    pytest.importorskip("xarray")  # the renaming applies to Dataset variables
    with pytest.warns(SweepWarning, match="stored as 'g_max_out'"):
        res = bp.sweep(scalar_named_like_a_parameter, {"g_max": [0.5, 1.0]}, n_workers=0, progress=True)
    assert "2/2" in capsys.readouterr().err  # tqdm (or the plain counter) writes to stderr
    if not isinstance(res, SweepResult):
        assert res.g_max_out.values.tolist() == [1.0, 2.0] and res.noise.values[0] != res.noise.values[1]


# -- Dask clusters ------------------------------------------------------------------

def test_local_cluster_matches_serial_bit_for_bit(fork_log):
    pytest.importorskip("dask.distributed")
    pytest.importorskip("xarray")
    ds = bp.sweep(small_net, GRID, n_workers=2, progress=False)
    assert ds["counts"].dims == ("g_max", "rate", "counts_dim_0") and ds["counts"].shape == (2, 4, 10)
    assert ds.attrs["n_failed"] == 0 and (ds.task_error == "").all()
    ref = serial_reference(GRID)
    assert_matches_serial(ds, GRID, ref)
    assert sum(r["rate_hz"] for r in ref) > 0  # the network does spike: the comparison is not of zeros

    # Workers are fresh interpreters started by spawn, children of this process.
    pids = set(ds.pid.values.ravel().tolist())
    assert os.getpid() not in pids
    assert set(ds.ppid.values.ravel().tolist()) == {os.getpid()}
    if sys.platform.startswith("linux"):
        assert ds.spawned.values.all()
    assert not ds.forked_flag.values.any()
    assert (ds.gomaxprocs == "1").all()  # one Go thread per one-thread worker
    # This process, whose Go runtime runs, was never forked ...
    assert fork_log == []
    # ... and still runs brainsyn.
    assert not bp._native._forked
    again = small_net(g_max=0.8, rate=400.0, seed=task_seed(0, {"g_max": 0.8, "rate": 400.0}))
    np.testing.assert_array_equal(again["counts"], ds["counts"].sel(g_max=0.8, rate=400.0).values)


@pytest.fixture(scope="module")
def one_worker_client():
    """A cluster given by the caller (here one spawned worker process)."""
    pytest.importorskip("xarray")
    dask = pytest.importorskip("dask")
    distributed = pytest.importorskip("dask.distributed")
    with dask.config.set({"distributed.worker.multiprocessing-method": "spawn"}):
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            yield client


def test_given_client_and_another_worker_count_give_the_same_bits(one_worker_client):
    ds = bp.sweep(small_net, GRID, client=one_worker_client, progress=False)
    assert_matches_serial(ds, GRID, serial_reference(GRID))
    assert len(set(ds.pid.values.ravel().tolist())) == 1
    # The client stays open for its owner.
    assert one_worker_client.status == "running"


def test_failed_task_reported_with_parameters_others_returned(one_worker_client):
    bp.backend.set_dt(0.05)  # the caller's dt travels with the tasks
    with pytest.warns(SweepWarning) as rec:
        ds = bp.sweep(functools.partial(small_net, fail_at=(0.8, 200.0)), GRID, client=one_worker_client,
                      progress=False)
    msg = str(rec[0].message)
    assert "1 of 8 sweep tasks failed" in msg and "g_max=0.8, rate=200.0" in msg and "planned failure" in msg
    assert ds.attrs["n_failed"] == 1
    err = ds.task_error.sel(g_max=0.8, rate=200.0).item()
    assert "ValueError: planned failure" in err and "Traceback" in err and "small_net" in err
    assert np.isnan(ds.rate_hz.sel(g_max=0.8, rate=200.0)) and np.isnan(ds["counts"].sel(g_max=0.8, rate=200.0)).all()
    failed = ds.task_error != ""
    assert int(failed.sum()) == 1
    assert int((ds.dt.where(~failed) == 0.05).sum()) == 7
    # The other seven points are there, with the numbers a serial run gives.
    points = [p for p in expand_grid(GRID)[0] if p != {"g_max": 0.8, "rate": 200.0}]
    for p in points:
        r = small_net(**p, seed=task_seed(0, p))
        np.testing.assert_array_equal(ds["counts"].sel(p).values, r["counts"].astype(np.float64))
