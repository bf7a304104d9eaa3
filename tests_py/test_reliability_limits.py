"""Limits a user can reach by mistake: memory, interrupts, time carried
across networks, copies, indices and thread counts. Each must end in a
Python exception (or a warning) that names the problem, with every object
still usable afterwards."""

import copy
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest

import brainsyn as bp
from brainsyn import _native, errors

# The engine reads the memory limits from /proc and cgroups (Linux); on other
# systems only its element limit applies, and RLIMIT_AS is not enforced.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="memory limits are read on Linux only")


def _in_subprocess(code, limit_gib=4):
    """Run code in a fresh interpreter whose address space is limited
    (RLIMIT_AS), so that a size the engine failed to refuse would end that
    process, not this one. Returns its stdout lines."""
    prog = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, ({limit_gib} << 30, {limit_gib} << 30))
        import numpy as np
        import brainsyn as bp
        from brainsyn import errors
    """) + textwrap.dedent(code)
    r = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, f"the process ended with {r.returncode}:\n{r.stdout}\n{r.stderr}"
    return r.stdout.split("\n")


# -- memory -----------------------------------------------------------------


@linux_only
def test_a_group_larger_than_memory_is_refused_before_allocating():
    h0 = bp.live_objects()
    with pytest.raises(errors.MemoryGuardError, match="neuron group needs .* GiB"):
        bp.neurons.LIF(2**31)
    assert bp.live_objects() == h0


@linux_only
def test_address_space_limit_is_respected():
    out = _in_subprocess("""
        try:
            bp.neurons.LIF(5 * 10**7)   # 3 GiB of state against RLIMIT_AS = 4 GiB, 1.7 of it taken
        except errors.MemoryGuardError as e:
            print("refused", e)
    """)
    assert out[0].startswith("refused neuron group needs"), out


@linux_only
def test_a_delay_line_larger_than_memory_is_refused_and_the_network_runs_again():
    """200 x 200 synapses with per-synapse delays up to 10 s: a delay line
    of 100 001 x 40 000 values (32 GB), under the engine's element limit."""
    out = _in_subprocess("""
        pre, post = bp.neurons.LIF(200), bp.neurons.LIF(200, monitors=['V'])
        syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), layout='synapse')
        syn.delay = np.linspace(0., 10000., 40000)
        net = bp.Network(pre, syn, post)
        try:
            net.run(1.)
        except errors.MemoryGuardError as e:
            print("refused", e)
        syn.delay = 1.
        net.run(1., inputs=(pre, 'input', 30.))
        print("ran", post.mon.V.shape)
    """)
    assert out[0].startswith("refused") and "delay line needs" in out[0], out
    assert out[1] == "ran (10, 200)", out


@linux_only
def test_a_long_uniform_delay_is_refused_not_aborted():
    """delay=100000. (100 s) on 40 x 100 synapses kept per synapse: a delay
    line of 1 000 001 x 4000 values (32 GB), under the element limit. Go
    aborted the process when it could not allocate it."""
    out = _in_subprocess("""
        pre, post = bp.neurons.LIF(40), bp.neurons.LIF(100)
        syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), delay=100000., layout='synapse')
        net = bp.Network(pre, syn, post)
        try:
            net.run(1.)
            print("ran")
        except errors.MemoryGuardError as e:
            print("refused", e)
        net2 = bp.Network(pre, post)          # the groups were not left held by the refused run
        net2.run(1.)
        print("ran again")
    """, limit_gib=6)
    assert out[0].startswith("refused") and "delay line needs" in out[0], out
    assert out[1] == "ran again", out


@linux_only
def test_event_monitors_that_outgrow_memory_stop_the_run_with_an_error():
    """Every neuron of 200 000 spikes at every step: 1.6 MB of events per
    step. Under a 4 GiB address space the run must stop with an error, keep
    the steps recorded so far, and leave the network usable."""
    out = _in_subprocess("""
        g = bp.neurons.LIF(200000, t_refractory=0., monitors=bp.Monitor(['spike'], events=['spike']))
        net = bp.Network(g)
        try:
            net.run(2000., inputs=(g, 'V', 100., '='))
            print("ran")
        except errors.MemoryGuardError as e:
            print("refused", e)
        n = len(net.ts)
        print(n, len(g.mon.spike) == 200000 * n)
        net.run(1., inputs=(g, 'V', 100., '='))
        print("ran again", len(g.mon.spike))
    """)
    assert out[0].startswith("refused event monitor spike needs"), out
    n, complete = out[1].split()
    assert 0 < int(n) < 20000 and complete == "True", out
    assert out[2].startswith("ran again") and int(out[2].split()[-1]) > 0, out


# -- Ctrl-C -----------------------------------------------------------------


_CALLS = ["DropInputs", "SetFusion", "TimeState", "SetTimeState", "Begin", "RunFor", "End", "NewNetwork"]


@pytest.mark.parametrize("name", _CALLS)
def test_ctrl_c_after_any_engine_call_leaves_the_network_usable(monkeypatch, name):
    """SIGINT delivered right after one engine call of a run returns (Begin
    included: before, the run stayed marked busy forever)."""
    src = bp.neurons.PoissonInput(20, freqs=300., seed=3)
    neu = bp.neurons.LIF(20, monitors=['V'])
    syn = bp.synapses.AMPA(pre=src, post=neu, conn=bp.connect.One2One())
    net = bp.Network(src, syn, neu)
    net.run(2.)  # so that the time state exists and is carried
    net.add(bp.neurons.LIF(1))  # the engine network is built anew: NewNetwork and SetTimeState run too
    real, fired = _native.call, []

    def call(fn, *args):
        out = real(fn, *args)
        if fn == name and not fired:
            fired.append(fn)
            signal.raise_signal(signal.SIGINT)
        return out

    monkeypatch.setattr(_native, "call", call)
    with pytest.raises(KeyboardInterrupt):
        net.run(5.)
        time.sleep(1)  # a signal held back too long would arrive here
    assert fired == [name]
    monkeypatch.setattr(_native, "call", real)
    net.run(3.)
    assert neu.mon.V.shape == (30, 20)
    bp.Network(src, syn, neu).run(1.)  # no object is left held by a run


def test_ctrl_c_is_seen_while_a_run_is_in_the_engine():
    """The engine returns to Python at least every 50 ms, however many steps
    that is, so Ctrl-C stops a long run early."""
    neu = bp.neurons.LIF(20000)
    net = bp.Network(neu)
    main = threading.get_ident()

    def interrupt():
        while not net._running:
            time.sleep(0.001)
        time.sleep(0.2)
        signal.pthread_kill(main, signal.SIGINT)
    threading.Thread(target=interrupt).start()
    with pytest.raises(KeyboardInterrupt):
        net.run(1e6, inputs=(neu, 'input', 30.))
    assert 0 < len(net.ts) < 10**7 // 2
    net.run(1.)


def test_run_for_returns_after_its_budget():
    """RunFor stops at the first step that ends past its budget: with a
    budget of one microsecond, far less than a step of 200 000 neurons
    takes, every call advances one step."""
    neu = bp.neurons.LIF(200000)
    net = bp.Network(neu)
    net.run(0.)
    h, _ = net._engine()
    _native.call("Begin", h, 50, 0.1, 0., False, "[]")
    try:
        assert [_native.call("RunFor", h, 50, 1) for _ in range(3)] == [1, 2, 3]
        assert _native.call("RunFor", h, 50, 0) == 50
    finally:
        _native.call("End", h)


# -- time carried across engine networks ---------------------------------------------


def _poisson():
    return bp.neurons.PoissonInput(200, freqs=400., seed=11, monitors=['spike'])


def test_a_bare_group_run_twice_continues_its_random_stream():
    ref = _poisson()
    ref.run(20.)
    g = _poisson()
    g.run(10.)
    first = g.mon.spike.copy()
    g.run(10.)
    np.testing.assert_array_equal(first, ref.mon.spike[:100])
    np.testing.assert_array_equal(g.mon.spike, ref.mon.spike[100:])
    assert first.any() and not np.array_equal(first, g.mon.spike)


def test_adding_an_object_between_runs_keeps_time_and_refractoriness():
    """LIF with a long refractory period spiking near the end of the first
    run: a network rebuilt by net.add must go on as the unchanged one."""
    def build():
        src = _poisson()
        neu = bp.neurons.LIF(5, t_refractory=4., monitors=['V', 'spike'])
        return src, neu, bp.Network(src, neu)
    src, neu, net = build()
    net.run(9.3, inputs=(neu, 'input', 100.))
    net.run(10., inputs=(neu, 'input', 100.))
    want_src, want_v = src.mon.spike.copy(), neu.mon.V.copy()
    src, neu, net = build()
    net.run(9.3, inputs=(neu, 'input', 100.))
    assert neu.mon.spike[-40:].any()  # refractory at the end of the first run
    net.add(bp.neurons.LIF(3))
    net.run(10., inputs=(neu, 'input', 100.))
    np.testing.assert_array_equal(src.mon.spike, want_src)
    np.testing.assert_array_equal(neu.mon.V, want_v)


def test_objects_moved_to_a_new_network_go_on_from_the_latest_time():
    src = _poisson()
    bp.Network(src).run(10.)
    net = bp.Network(src, bp.neurons.LIF(2))
    net.run(10.)
    ref = _poisson()
    ref.run(20.)
    np.testing.assert_array_equal(src.mon.spike, ref.mon.spike[100:])


# -- copies -------------------------------------------------------------------


@pytest.mark.parametrize("how", [copy.copy, copy.deepcopy, lambda x: pickle.loads(pickle.dumps(x))])
def test_engine_objects_refuse_to_be_copied(how):
    pre, post = bp.neurons.LIF(3), bp.neurons.LIF(3)
    syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All())
    net = bp.Network(pre, syn, post)
    net.run(1.)
    for obj, name in ((pre, pre.name), (syn, syn.name), (net, "Network")):
        with pytest.raises(errors.BrainsynTypeError, match=f"{name}.* cannot be copied or pickled"):
            how(obj)
    net.run(1.)  # the originals are untouched


def test_connectors_copy_the_rule_not_the_handle():
    c = bp.connect.FixedProb(0.3, seed=4)(20, 20)
    ids = c.pre_ids.copy(), c.post_ids.copy()
    copies = [copy.copy(c), copy.deepcopy(c), pickle.loads(pickle.dumps(c))]
    assert all(d._handle is None for d in copies)
    del c
    for d in copies:
        np.testing.assert_array_equal(d.pre_ids, ids[0])
        np.testing.assert_array_equal(d.post_ids, ids[1])


def test_python_models_without_engine_memory_can_be_copied():
    class Rate(bp.NeuGroup):
        def __init__(self, size):
            self.r = np.arange(float(size))
            super().__init__(size)

        def update(self, _t):
            self.r += 1.

    a = Rate(3)
    b = copy.deepcopy(a)
    b.r[0] = 10.
    assert a.r[0] == 0. and b.name == a.name


# -- indices ------------------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda: bp.connect.IJConn([2**32 + 1], [0])(3, 3).pre_ids,
    lambda: bp.connect.IJConn([0], [np.uint64(2**63 + 1)])(3, 3).pre_ids,
    lambda: bp.connect.IJConn([0, 3], [0, 0])(3, 3).pre_ids,
    lambda: bp.neurons.SpikeTimeInput(3, times=[1.], indices=[2**32 + 1]),
    lambda: bp.neurons.LIF(3, monitors=[('V', [2**32 + 1])]).run(1.),
])
def test_indices_beyond_int32_or_the_group_are_refused(make):
    with pytest.raises(errors.BrainsynIndexError, match="out of range"):
        make()


def test_in_range_indices_still_connect():
    c = bp.connect.IJConn(np.array([2, 0], dtype=np.uint64), np.array([1, 2], dtype=np.int64))(3, 3)
    assert c.pre_ids.tolist() == [0, 2] and c.post_ids.tolist() == [2, 1]


# -- threads ------------------------------------------------------------------


def test_more_threads_than_processors_warns_and_uses_the_processors():
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with pytest.warns(RuntimeWarning, match=f"64 threads asked for.* runs use {min(cpus, 64)} threads"):
        bp.set_num_threads(64)
    assert bp.get_num_threads() == min(cpus, 64)
    neu = bp.neurons.LIF(10)
    net = bp.Network(neu)
    net.run(1.)
    assert net.thread_use["threads"] == min(cpus, 64)
