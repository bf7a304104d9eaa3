"""Long runs keep an exact time base; runs whose monitors cannot fit in
memory are refused up front with a MemoryGuardError."""

import gc

import numpy as np
import pytest

import brainsyn as bp
from brainsyn import network as network_mod


def test_million_step_run_has_exact_times_and_sizes(bp):
    neu = bp.neurons.LIF(2, monitors=bp.Monitor(['V', 'spike', 't_last_spike'], every=[1.0, None, 1.0],
                                                 events=['spike']))
    net = bp.Network(neu)
    n = 10**6
    net.run(n * 0.1, inputs=(neu, 'input', np.array([25., 40.])))
    ts = np.arange(0, n * 0.1, 0.1)
    assert len(ts) == n
    assert net.ts.shape == (n,) and net.ts.tobytes() == ts.tobytes()
    assert net.ts.tobytes() == (np.arange(n) * 0.1).tobytes()  # i*dt, no accumulated sum
    assert neu.mon.V.shape == (n // 10, 2) and neu.mon.V_t.tobytes() == ts[::10].tobytes()
    # The engine's own clock: t_last_spike holds the engine's t at each
    # spike; it must equal net.ts at the step where the event monitor saw it.
    ev = neu.mon.spike
    assert len(ev) > 10000
    for j in (0, 1):
        steps = ev["i"][ev["index"] == j]
        assert steps[-1] > n - 2000  # spikes until the end of the run
        assert neu.t_last_spike[j] == net.ts[steps[-1]]
        assert neu.mon.spike_t[ev["index"] == j][-1] == net.ts[steps[-1]]
    # Recorded t_last_spike rows are engine times of real steps.
    rec = neu.mon.t_last_spike[-1]
    assert np.all(np.isin(rec, net.ts))
    # Regular firing to the end: once settled, the interval between spikes
    # is the same number of steps at t = 10 ms and at t = 10^5 ms (the
    # refractory test compares engine times; a drifting clock would shift it).
    for j in (0, 1):
        isi = np.diff(ev["i"][ev["index"] == j])[5:]
        assert len(isi) > 5000 and isi.min() == isi.max(), np.unique(isi)


def test_interval_longer_than_any_run_records_the_first_step(bp):
    """every / dt may exceed any step count, even overflow to inf: the
    monitor then records step 0 only, the row a monitor of every step
    records first."""
    full = bp.neurons.LIF(3, monitors=['V'])
    bp.Network(full).run(5., inputs=(full, 'input', 30.))
    for every in (1e300, 1.7e308):
        neu = bp.neurons.LIF(3, monitors=bp.Monitor(['V', 'spike'], every=every))
        net = bp.Network(neu)
        net.run(5., inputs=(neu, 'input', 30.))
        assert neu.mon.V.shape == (1, 3) and neu.mon.spike.shape == (1, 3)
        assert neu.mon.V_t.tolist() == [0.0]
        assert neu.mon.V[0].tolist() == full.mon.V[0].tolist() != [neu.V_rest] * 3


GIB = 2**30


def test_memory_guard_refuses_monitors_that_cannot_fit(bp):
    gc.collect()
    live = bp.live_objects()
    neu = bp.neurons.LIF(10**5, monitors=['V'])
    net = bp.Network(neu)
    with pytest.raises(bp.errors.MemoryGuardError) as e:
        net.run(10**6)  # 10^7 steps × 10^5 neurons × 8 bytes
    msg = str(e.value)
    assert f"{8e12 / GIB:.2f} GiB" in msg
    assert "every=" in msg and "monitors=[('V', [0, 1, 2])]" in msg
    assert isinstance(e.value, MemoryError)
    del neu, net, e  # the traceback holds the run's frames
    gc.collect()
    assert bp.live_objects() == live  # refused before anything was allocated


def test_memory_guard_estimate_follows_every_and_indices(bp, monkeypatch):
    limit = 900_000
    monkeypatch.setattr(network_mod, "memory_limit_bytes", lambda: limit)
    neu = bp.neurons.LIF(100, monitors=['V'])
    net = bp.Network(neu)
    with pytest.raises(bp.errors.MemoryGuardError):
        net.run(200.)  # 2000 × 100 × 8 = 1.6 MB
    neu2 = bp.neurons.LIF(100, monitors=bp.Monitor(['V'], every=0.2))
    bp.Network(neu2).run(200.)  # 1000 rows: 0.8 MB fits
    assert neu2.mon.V.shape == (1000, 100)
    neu3 = bp.neurons.LIF(100, monitors=[('V', list(range(50)))])
    bp.Network(neu3).run(200.)  # 2000 × 50 × 8 = 0.8 MB fits
    assert neu3.mon.V.shape == (2000, 50)
    neu4 = bp.neurons.LIF(100, monitors=['spike'])
    bp.Network(neu4).run(200.)  # booleans: 1 byte each, 0.2 MB
    neu5 = bp.neurons.LIF(100, monitors=bp.Monitor(['V', 'spike'], every=[0.2, None]))
    with pytest.raises(bp.errors.MemoryGuardError):
        bp.Network(neu5).run(200.)  # the monitors add up: 0.8 + 0.2 MB


def test_engine_refuses_absurd_monitor_even_without_the_python_guard(bp, monkeypatch):
    """The C ABI has its own limit (an array of at most 2^32 elements), so a
    caller that skips the Python estimate still gets an error, not an OOM kill."""
    monkeypatch.setattr(network_mod, "memory_limit_bytes", lambda: 1 << 62)
    gc.collect()
    live = bp.live_objects()
    neu = bp.neurons.LIF(10**5, monitors=['V'])
    with pytest.raises(bp.errors.MemoryGuardError, match="elements is more than the engine allows"):
        bp.Network(neu).run(10**6)
    del neu
    gc.collect()
    assert bp.live_objects() == live


def test_absurd_duration_is_refused_before_numpy_allocates(bp):
    """10^16 steps: the time array alone would take 71 PiB (numpy raised its
    own MemoryError; 10^10 steps would have been allocated and filled)."""
    neu = bp.neurons.LIF(1)
    with pytest.raises(bp.errors.MemoryGuardError, match="time array"):
        bp.Network(neu).run(1e15)


def test_absurd_sizes_are_refused(bp):
    with pytest.raises(bp.errors.BrainsynError):
        bp.neurons.LIF((2**20, 2**20))
    a = bp.neurons.LIF(3)
    syn = bp.synapses.AMPA(pre=a, post=a, conn=bp.connect.All2All(), delay=1e12)
    with pytest.raises(bp.errors.BrainsynError, match="too long"):
        bp.Network(a, syn).run(1.)
    g = bp.synapses.Gap_junction(pre=a, post=a, conn=bp.connect.All2All(), delay=1e6)
    with pytest.raises(bp.errors.BrainsynError, match="too long"):
        bp.Network(a, g).run(1.)


def test_time_base_with_a_nonzero_start(bp):
    neu = bp.neurons.LIF(1, monitors=bp.Monitor(['spike'], events=['spike']))
    net = bp.Network(neu)
    net.run((100., 100. + 1e4), inputs=(neu, 'input', 40.))
    last = neu.mon.spike["i"][-1]
    assert neu.t_last_spike[0] == net.ts[last]
