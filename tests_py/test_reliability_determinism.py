"""Same seed, same bits: across repeated runs, thread counts and the way a
run is cut into engine calls."""

import os

import numpy as np
import pytest

import brainsyn as bp
from declared_models import AMPA, NMDA
from brainsyn import network as network_mod

N = 3000  # > 2 blocks of 1024 elements, so 2 threads really split the loops


@pytest.fixture(autouse=True)
def _split_small_loops():
    """The engine splits only large loops across threads, and only where
    that pays; lower the limit and keep it splitting so that this network's
    loops are split."""
    from brainsyn import _native
    prev = _native.call("SetMinParallel", 1024)
    prev_split = _native.call("SetAlwaysSplit", True)
    yield
    _native.call("SetMinParallel", prev)
    _native.call("SetAlwaysSplit", prev_split)


def _build(seed=5, layout="auto"):
    src = bp.neurons.PoissonInput(N, freqs=40., seed=seed, monitors=bp.Monitor(['spike'], events=['spike']))
    exc = bp.neurons.LIF(N, monitors=['V', 'spike'])
    inh = bp.neurons.LIF(N // 3, monitors=[('V', [0, 7, 999])])
    drive = bp.synapses.Exponential(pre=src, post=exc, conn=bp.connect.One2One(), w=25., g_max=25.)
    ee = bp.synapses.AMPA(pre=exc, post=exc, conn=bp.connect.FixedProb(0.002, seed=seed), monitors=[('s', list(range(0, 15000, 50)))],
                          delay=0.5, layout=layout)
    ei = bp.synapses.GABAa1(pre=exc, post=inh, conn=bp.connect.FixedProb(0.003, seed=seed + 1), delay=0.2,
                            layout=layout)
    ie = bp.synapses.GABAa1(pre=inh, post=exc, conn=bp.connect.FixedProb(0.01, seed=seed + 2), layout=layout)
    net = bp.Network(src, drive, exc, ee, ei, inh, ie)
    return net, (src, exc, inh, ee)


def _record(net, objs):
    src, exc, inh, ee = objs
    return {"src": np.asarray(src.mon.spike).copy(), "exc.V": exc.mon.V.copy(), "exc.spike": exc.mon.spike.copy(),
            "inh.V": inh.mon.V.copy(), "ee.s": ee.mon.s.copy(), "V": exc.V.copy(), "s": np.asarray(ee.s).copy()}


def _run(threads, duration=30., seed=5, **kw):
    bp.set_num_threads(threads)
    net, objs = _build(seed, **kw)
    net.run(duration, inputs=(exc_input(objs), 'input', 2.))
    return _record(net, objs)


def exc_input(objs):
    return objs[1]


def _same_bits(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].dtype == b[k].dtype and a[k].shape == b[k].shape, k
        assert a[k].tobytes() == b[k].tobytes(), f"{k} differs"


@pytest.fixture(scope="module")
def reference():
    return _run(1)


def test_network_is_active(reference):
    """The comparison means something only if neurons fire and synapses act."""
    assert reference["exc.spike"].sum() > 100
    assert reference["ee.s"].max() > 0
    assert len(reference["src"]) > 100


def test_same_seed_same_bits(reference):
    _same_bits(reference, _run(1))


def test_one_and_two_threads_give_the_same_bits(reference):
    _same_bits(reference, _run(2))


def test_another_seed_differs(reference):
    """Control: the comparison can fail."""
    other = _run(1, seed=6)
    assert other["exc.V"].tobytes() != reference["exc.V"].tobytes()


@pytest.mark.parametrize("layout", ["synapse", "pre"])
def test_layouts_deterministic_across_threads(layout):
    _same_bits(_run(1, duration=10., layout=layout), _run(2, duration=10., layout=layout))


def test_engine_chunking_does_not_change_results(reference, monkeypatch):
    """The Python loop asks the engine for chunks of steps bounded by wall
    time; forcing chunks of a few steps (hundreds of engine calls) must give
    the same bits as the default of a few large calls."""
    calls = []
    real = bp._native.call

    def counting(name, *a):
        if name == "RunFor":
            calls.append(a[1])
        return real(name, *a)

    monkeypatch.setattr(bp._native, "call", counting)
    monkeypatch.setattr(network_mod, "_CHUNK_SECONDS", 1e-6)  # each call returns after a step or a few
    chunked = _run(2)
    assert len(calls) > 100, len(calls)
    _same_bits(reference, chunked)


def test_equivalent_sequences_give_the_same_state():
    """run(15) twice on one network (times restart at 0 each run) equals the
    same sequence on a fresh network, in another thread count."""
    def seq(threads):
        bp.set_num_threads(threads)
        net, objs = _build()
        out = []
        for _ in range(2):
            net.run(15., inputs=(objs[1], 'input', 2.))
            out.append(_record(net, objs))
        return out
    a, b = seq(1), seq(2)
    _same_bits(a[0], b[0])
    _same_bits(a[1], b[1])
    assert a[0]["exc.V"].tobytes() != a[1]["exc.V"].tobytes()  # the second run continued, not restarted


def test_projections_updated_together_give_one_threads_bits():
    """COBA's four projections add into four different conductances, so two
    threads may update them at the same time, one projection each; V and
    every spike must be those of one thread."""
    from brainsyn import _native

    def run(threads):
        bp.set_num_threads(threads)
        pars = dict(V_rest=-60., V_reset=-60., V_th=-50., tau=20., t_refractory=5.)
        E = bp.neurons.LIF(2400, monitors=['V', 'spike'], **pars)
        I = bp.neurons.LIF(600, monitors=['spike'], **pars)
        E.V = np.random.default_rng(1).normal(-55., 5., 2400)
        I.V = np.random.default_rng(2).normal(-55., 5., 600)
        exc = dict(output='conductance', g_max=0.6, E=0., tau=5.)
        inh = dict(output='conductance', g_max=6.7, E=-80., tau=10.)
        net = bp.Network(E, I, *[bp.synapses.Exponential(a, b, bp.connect.FixedProb(0.02, seed=k), **kw)
                                 for k, (a, b, kw) in enumerate([(E, E, exc), (E, I, exc), (I, E, inh), (I, I, inh)])])
        net.run(50., inputs=[(E, 'input', 20.), (I, 'input', 20.)])
        return net, {"E.V": E.mon.V.copy(), "E.spike": E.mon.spike.copy(), "I.spike": I.mon.spike.copy()}

    _, ref = run(1)
    prev = _native.call("SetAlwaysTogether", True)
    try:
        net, got = run(2)
    finally:
        _native.call("SetAlwaysTogether", prev)
    info = net.thread_use
    assert info["threads"] == 2 and info["together"], info
    assert info["joined_steps"] == 500, info  # every step updated the projections together
    assert ref["E.spike"].sum() > 100
    _same_bits(ref, got)


def test_owner_way_gives_one_threads_bits():
    """Each thread owning a share of the neurons, delivering the spikes
    that land in it and updating it, meeting the others once a step: the
    spike events and the final state are one thread's, bit for bit, for
    thread counts that cut the groups in different places."""
    from brainsyn import _native

    def run(threads):
        bp.set_num_threads(threads)
        pars = dict(V_rest=-60., V_reset=-60., V_th=-50., tau=20., t_refractory=5.)
        mon = lambda: bp.Monitor(['spike'], events=['spike'])  # noqa: E731
        E = bp.neurons.LIF(2200, monitors=mon(), **pars)
        I = bp.neurons.LIF(800, monitors=mon(), **pars)
        E.V = np.random.default_rng(1).normal(-55., 5., 2200)
        I.V = np.random.default_rng(2).normal(-55., 5., 800)
        exc = dict(output='conductance', g_max=0.6, E=0., tau=5.)
        inh = dict(output='conductance', g_max=6.7, E=-80., tau=10.)
        syns = [bp.synapses.Exponential(a, b, bp.connect.FixedProb(p, seed=k), **kw)
                for k, (a, b, p, kw) in enumerate([(E, E, 0.02, exc), (E, I, 0.02, exc), (I, E, 0.02, inh),
                                                   (I, I, 0.02, inh), (I, E, 0.002, inh)])]
        net = bp.Network(E, I, *syns)
        net.run(30., inputs=[(E, 'input', 20.), (I, 'input', 20.)])
        net.run(20., inputs=[(E, 'input', 20.), (I, 'input', 20.)])  # a second run continues
        # The last projection is small enough to keep per-synapse s.
        return net, {"E.spike": np.asarray(E.mon.spike).copy(), "I.spike": np.asarray(I.mon.spike).copy(),
                     "E.V": E.V.copy(), "I.V": I.V.copy(), "s": np.asarray(syns[-1].s).copy()}

    _, ref = run(1)
    assert len(ref["E.spike"]) > 100 and len(ref["I.spike"]) > 20 and ref["s"].max() > 0
    prev = _native.call("SetAlwaysOwner", True)
    try:
        for threads in (2, 3):
            net, got = run(threads)
            info = net.thread_use
            assert info["owner"] and info["owner_applies"], info
            _same_bits(ref, got)
    finally:
        _native.call("SetAlwaysOwner", prev)


def test_thread_use_reports_the_last_run():
    bp.set_num_threads(1)
    net, objs = _build()
    assert net.thread_use is None  # not run yet
    net.run(2., inputs=(objs[1], 'input', 2.))
    assert net.thread_use == {"threads": 1, "decided": False, "split": False, "together": False,
                              "joined_steps": 0, "owner": False, "owner_applies": False}
    bp.set_num_threads(2)
    net.run(2., inputs=(objs[1], 'input', 2.))
    use = net.thread_use
    assert use["threads"] == 2 and use["split"], use  # the fixture keeps loops split
    net.close()
    with pytest.raises(bp.errors.ClosedError):
        net.thread_use


@pytest.mark.parametrize("layout", ["synapse", "pre"])
def test_declared_models_give_one_threads_bits(layout):
    """A declared model's derivative runs as an expression program; split
    across threads, each thread evaluates its share at the same time, and
    the bits must be those of one thread (the program's scratch registers
    were shared, so two threads overwrote each other's values)."""
    def run(threads):
        bp.set_num_threads(threads)
        src = bp.neurons.PoissonInput(N, freqs=40., seed=8)
        exc = bp.neurons.LIF(N, monitors=['V', 'spike'])
        exc.V = np.random.default_rng(3).uniform(0., 20., N)
        nmda = NMDA(src, exc, bp.connect.FixedProb(0.002, seed=9), monitors=[('s', list(range(0, 17000, 7)))],
                             output='current', w=2., layout=layout)
        ampa = AMPA(src, exc, bp.connect.FixedProb(0.002, seed=10), monitors=[('s', list(range(0, 17000, 7)))],
                             output='conductance', g_max=0.5, E=0., layout=layout)
        net = bp.Network(src, nmda, ampa, exc)
        net.run(4., inputs=(exc, 'input', 21.))
        assert net.thread_use["split"] == (threads > 1), net.thread_use
        return {"nmda.s": nmda.mon.s.copy(), "ampa.s": ampa.mon.s.copy(), "V": exc.mon.V.copy(),
                "spike": exc.mon.spike.copy()}

    ref = run(1)
    assert ref["nmda.s"].max() > 0 and ref["ampa.s"].max() > 0 and ref["spike"].sum() > 10
    for threads in range(2, min(4, len(os.sched_getaffinity(0))) + 1):  # runs use at most one per processor
        _same_bits(ref, run(threads))
