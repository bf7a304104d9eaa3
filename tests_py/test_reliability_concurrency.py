"""Networks in threads: the engine releases the GIL, so two networks run at
once and give the results they give one after the other; a network (or an
object) already running in one thread refuses a second run instead of being
corrupted by it."""

import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import brainsyn as bp

N = 2000


def _net(seed, n=N):
    src = bp.neurons.PoissonInput(n, freqs=50., seed=seed)
    neu = bp.neurons.LIF(n, monitors=[('V', list(range(0, n, 97))), 'spike'])
    syn = bp.synapses.Exponential(pre=src, post=neu, conn=bp.connect.One2One(), w=30., g_max=30.)
    rec = bp.synapses.AMPA(pre=neu, post=neu, conn=bp.connect.FixedProb(0.002, seed=seed), delay=0.4)
    return bp.Network(src, syn, neu, rec), neu


def _result(neu):
    return neu.mon.V.copy(), neu.mon.spike.copy(), neu.V.copy()


def _same(a, b):
    for x, y in zip(a, b):
        assert x.tobytes() == y.tobytes()


def _in_thread(fn):
    out = {}

    def target():
        try:
            out["t0"] = time.perf_counter()
            out["value"] = fn()
        except BaseException as e:  # noqa: B902 - reported to the main thread
            out["error"] = e
        finally:
            out["t1"] = time.perf_counter()
    th = threading.Thread(target=target)
    return th, out


def _wait_running(net, timeout=30.):
    """Until net's run has begun in the engine."""
    t = time.perf_counter()
    while not net._running:
        if time.perf_counter() - t > timeout:
            raise AssertionError("the run did not start")
        time.sleep(0.001)


def test_two_networks_in_two_threads_match_sequential_runs():
    net1, neu1 = _net(1)
    net2, neu2 = _net(2)
    net1.run(200.)
    net2.run(200.)
    seq = _result(neu1), _result(neu2)

    net1, neu1 = _net(1)
    net2, neu2 = _net(2)
    ths = [_in_thread(lambda: net1.run(200.)), _in_thread(lambda: net2.run(200.))]
    for th, _ in ths:
        th.start()
    for th, _ in ths:
        th.join(120)
    for _, out in ths:
        assert "error" not in out, out.get("error")
    _same(seq[0], _result(neu1))
    _same(seq[1], _result(neu2))
    # They really ran at the same time: the two runs overlap in time.
    (_, a), (_, b) = ths
    assert a["t0"] < b["t1"] and b["t0"] < a["t1"]


def test_engine_releases_the_gil_during_a_run():
    net, neu = _net(3)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)
    bp._native.call("SetThreads", 1)
    # Long enough to judge on a fast machine too: about 0.5 s of wall time.
    t0 = time.perf_counter()
    net.run(30.)
    duration = max(300., 30. * 0.5 / (time.perf_counter() - t0))
    th = threading.Thread(target=ticker)
    th.start()
    t0 = time.perf_counter()
    try:
        net.run(duration)
    finally:
        stop.set()
        th.join()
    took = time.perf_counter() - t0
    # A thread holding the GIL for the whole run would let the ticker tick
    # only between chunks; with the GIL released it ticks about every ms.
    assert took > 0.2, "run too short to judge"
    assert len(ticks) > 80 * took, (len(ticks), took)  # held GIL: about 20 per s (one per 50 ms chunk)


def test_second_run_of_a_running_network_raises_and_does_not_corrupt_it():
    ref_net, ref_neu = _net(4)
    ref_net.run(2000., inputs=(ref_neu, 'input', 3.))
    ref = _result(ref_neu)

    net, neu = _net(4)
    th, out = _in_thread(lambda: net.run(2000., inputs=(neu, 'input', 3.)))
    th.start()
    _wait_running(net)
    # The second run queues its own input (-1000 to V), then is refused.
    with pytest.raises(bp.errors.BrainsynRuntimeError, match="already running"):
        net.run(10., inputs=(neu, 'V', -1000.))
    th.join(120)
    assert "error" not in out, out.get("error")
    assert not th.is_alive() or pytest.fail("first run did not finish")
    # The first run finished exactly as if alone ...
    _same(ref, _result(neu))
    # ... and the refused run left nothing behind for the next one.
    ref_net.run(20.)
    net.run(20.)
    _same(_result(ref_neu), _result(neu))


def test_object_shared_by_two_running_networks_raises():
    shared_src = bp.neurons.PoissonInput(N, freqs=50., seed=5)
    a = bp.neurons.LIF(N)
    b = bp.neurons.LIF(N)
    net1 = bp.Network(shared_src, bp.synapses.Exponential(pre=shared_src, post=a, conn=bp.connect.One2One()), a)
    net2 = bp.Network(shared_src, bp.synapses.Exponential(pre=shared_src, post=b, conn=bp.connect.One2One()), b)
    th, out = _in_thread(lambda: net1.run(2000.))
    th.start()
    _wait_running(net1)
    with pytest.raises(bp.errors.BrainsynRuntimeError, match="in use by another running network"):
        net2.run(10.)
    th.join(120)
    assert "error" not in out, out.get("error")
    net2.run(10.)  # once net1 is done, the object is free again


# Threads that call the engine at once on objects made fresh for each round:
# the first read of a variable made on first use (a synapse's per-synapse
# views of compact state, its weights) used to abort the interpreter with
# "fatal error: concurrent map writes". The script runs in a child process,
# so such an abort fails this test instead of killing pytest.
MANY_THREADS = textwrap.dedent(r'''
    import sys, threading
    import numpy as np
    import brainsyn as bp
    from brainsyn import _native

    rounds, nthreads, n = (int(x) for x in sys.argv[1:])
    # Threads take turns at the GIL often, so that they reach the engine at
    # nearly the same time.
    sys.setswitchinterval(1e-5)
    pre, post = bp.neurons.LIF(n), bp.neurons.LIF(n)

    def synapse():
        return bp.synapses.NMDA(pre, post, conn=bp.connect.All2All(), layout='pre')

    ref = synapse()
    want = {name: np.array(getattr(ref, name)) for name in ('s', 'x', 'w')}
    want['V'] = np.array(post.V)
    assert want['w'].shape == (n * n,) and want['w'].min() > 0
    failures, count = [], []

    def check(name, value):
        count.append(1)
        if np.asarray(value).tobytes() != want[name].tobytes():
            failures.append(f"{name}: {value!r}")

    def calls(k, syn):
        for j in range(3):
            name = 'sxw'[(k + j) % 3]
            check(name, getattr(syn, name))
        step = k % 5
        if step == 0:
            assert {'s', 'x', 'w'} <= set(syn.var_names), syn.var_names
            assert _native.info(syn._native_handle())['nsyn'] == n * n
        elif step == 1:
            h = syn._native_handle()
            _native.call("LoadState", h, _native.call("SaveState", h))
        elif step == 2:
            post.tau = 10. + k % 3
            check('V', post.V)
        elif step == 3:
            other = bp.synapses.AMPA(pre, post, conn=bp.connect.All2All(), layout='pre')
            check('s', other.s)
        else:
            syn.w = want['w']

    def worker(k, syn, barrier):
        try:
            barrier.wait()
            calls(k, syn)
        except BaseException as e:
            failures.append(repr(e))

    for r in range(rounds):
        syn = synapse()
        barrier = threading.Barrier(nthreads)
        ths = [threading.Thread(target=worker, args=(r + k, syn, barrier)) for k in range(nthreads)]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
    print(len(count), "results")
    if failures:
        sys.exit("\n".join(failures[:10]))
''')


def test_many_threads_on_fresh_objects_at_once():
    rounds, nthreads = 150, 8
    p = subprocess.run([sys.executable, "-c", MANY_THREADS, str(rounds), str(nthreads), "100"],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (p.stdout + p.stderr)[-3000:]
    assert int(p.stdout.split()[0]) >= rounds * nthreads * 3  # every thread read its variables
