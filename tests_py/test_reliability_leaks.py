"""No leaks: networks built, run and dropped return every native object and
byte; numpy views outlive their objects and free their memory when dropped."""

import gc
import sys

import numpy as np
import pytest

import brainsyn as bp


def _rss_bytes():
    with open("/proc/self/statm") as f:
        import os
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _cycle(k):
    pre = bp.neurons.LIF(4, monitors=['V', 'spike'])
    src = bp.neurons.PoissonInput(3, freqs=200., seed=k)
    post = bp.neurons.LIF(2, monitors=bp.Monitor(['V'], events=[]))
    s1 = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), monitors=['s'], delay=0.3)
    s2 = bp.synapses.Exponential(pre=src, post=pre, conn=bp.connect.FixedProb(0.5, seed=k))
    net = bp.Network(src, s2, pre, s1, post)
    net.run(2., inputs=(pre, 'input', 25.))
    assert s1.mon.s.shape == (20, 8)
    _ = pre.V, s1.s  # take views too


@pytest.mark.skipif(sys.platform != "linux", reason="reads the RSS from /proc")
def test_thousand_networks_keep_memory_flat():
    gc.collect()
    base = bp.live_objects()
    for k in range(100):  # warm-up: allocator pools, caches, lazy imports
        _cycle(k)
    gc.collect()
    assert bp.live_objects() == base
    rss0 = _rss_bytes()
    for k in range(1000):
        _cycle(k)
    gc.collect()
    grown = _rss_bytes() - rss0
    assert bp.live_objects() == base, (base, bp.live_objects())
    # 1000 cycles allocate about 1000 x 30 objects; a leak of even one small
    # store per cycle would show in the live count above, and a leak of Go or
    # Python memory of 20 kB per cycle would pass this bound.
    assert grown < 20 * 2**20, f"RSS grew by {grown / 2**20:.1f} MiB over 1000 networks"


def test_live_objects_counts_what_is_alive():
    """Control for the test above: live_objects sees an object that is kept."""
    gc.collect()
    h0, s0, b0 = bp.live_objects()
    neu = bp.neurons.LIF(1000)
    h1, s1, b1 = bp.live_objects()
    assert h1 == h0 + 1 and s1 > s0 and b1 >= b0 + 8 * 1000
    del neu
    gc.collect()
    assert bp.live_objects() == (h0, s0, b0)


def test_views_outlive_their_network_and_free_memory():
    gc.collect()
    h0, s0, b0 = bp.live_objects()
    neu = bp.neurons.LIF(5000, monitors=['V'])
    net = bp.Network(neu)
    net.run(1., inputs=(neu, 'input', 30.))
    v, mon = neu.V, neu.mon.V
    v_copy, mon_copy = v.copy(), mon.copy()
    del neu, net
    gc.collect()
    h, s, b = bp.live_objects()
    assert h == h0  # every handle is gone ...
    assert s == s0 + 2 and b >= b0 + 8 * 5000 * 11  # ... but the two viewed stores stay
    np.testing.assert_array_equal(v, v_copy)  # and still hold the data
    np.testing.assert_array_equal(mon, mon_copy)
    v[:] = 1.0  # writable without harm
    del v
    gc.collect()
    assert bp.live_objects()[1] == s0 + 1
    sliced = mon[3:5]  # a view of a view keeps the store too
    del mon
    gc.collect()
    assert bp.live_objects()[1] == s0 + 1
    np.testing.assert_array_equal(sliced, mon_copy[3:5])
    del sliced
    gc.collect()
    assert bp.live_objects() == (h0, s0, b0)


def test_closed_network_and_failed_runs_free_everything():
    gc.collect()
    base = bp.live_objects()
    for _ in range(50):
        neu = bp.neurons.LIF(3, monitors=[('V', [0, 7])])  # index 7 is refused when the run begins
        net = bp.Network(neu)
        try:
            net.run(1.)
        except bp.errors.BrainsynError:
            pass
        syn_fail = None
        try:
            syn_fail = bp.synapses.AMPA(pre=neu, post=neu, conn=bp.connect.One2One(), delay=1e9)
            bp.Network(neu, syn_fail).run(1.)
        except bp.errors.BrainsynError:
            pass
        net.close()
        del neu, net, syn_fail
    gc.collect()
    assert bp.live_objects() == base


def test_spike_events_are_one_store_that_outlives_the_network():
    """Spike events come as one record array over the engine's copy; it
    keeps that store alive, and a run without spikes leaves no store."""
    gc.collect()
    h0, s0, _ = bp.live_objects()
    quiet = bp.neurons.LIF(3, monitors=bp.Monitor(['spike'], events=['spike']))
    busy = bp.neurons.LIF(3, monitors=bp.Monitor(['spike'], events=['spike']))
    net = bp.Network(quiet, busy)
    net.run(30., inputs=(busy, "input", 30.))
    ev, none = busy.mon.spike, quiet.mon.spike
    assert none.dtype.names == ("i", "index") and len(none) == 0
    assert ev.dtype.names == ("i", "index") and len(ev) > 3
    # Rows of the record array: the steps ascend, and every index fired then.
    assert np.all(np.diff(ev["i"]) >= 0) and set(ev["index"]) == {0, 1, 2}
    # The event times are made on first use, and by to_dict and save_npz.
    np.testing.assert_array_equal(busy.mon.to_dict()["spike_t"], net.ts[ev["i"]])
    np.testing.assert_array_equal(busy.mon.spike_t, net.ts[ev["i"]])
    del quiet, busy, net
    gc.collect()
    h, s, _ = bp.live_objects()
    assert h == h0 and s == s0 + 1  # only the events' store is left
    del ev
    gc.collect()
    assert bp.live_objects()[:2] == (h0, s0)


def test_empty_connection_ids_hold_no_store():
    """A connection without synapses hands back empty id arrays; the engine's
    (empty) copies are released, not kept alive by nothing."""
    gc.collect()
    base = bp.live_objects()
    for _ in range(3):
        c = bp.connect.FixedProb(0.0, seed=1)(4, 5)
        assert c.pre_ids.size == 0 and c.post_ids.size == 0
        del c
    gc.collect()
    assert bp.live_objects() == base
