"""Synaptic delays (reference §2.3): a value computed at step k acts at step
k + ceil(d/dt), with the dt of the run.

The probe is a current-based Exponential synapse from a SpikeTimeInput: the
synapse sees the spike in the spike step k (pre runs first, §1.2) and its
output w·s is nonzero from step k on. Delivered at step k + D to a LIF that
runs after the synapse, it moves post V in that same step, so the first
nonzero entry of ``post.mon.V`` is step k + D. Expected steps are computed
with exact rational arithmetic, independently of the engine's float rule.
"""

import math
from fractions import Fraction

import numpy as np
import pytest

import brainsyn as bp


def ceil_div(a, b):
    """ceil(a/b) for decimal literals, exactly."""
    return math.ceil(Fraction(str(a)) / Fraction(str(b)))


def first_nonzero(v):
    nz = np.nonzero(v)[0]
    return int(nz[0]) if nz.size else None


def probe(delay, dt, t_spike=1.0, n_post=1, duration=6.0, build_dt=None):
    bp.backend.set(dt=build_dt or dt)
    pre = bp.neurons.SpikeTimeInput(1, times=[t_spike], indices=[0])
    post = bp.neurons.LIF(n_post, monitors=['V'])
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), delay=delay, w=1.0)
    bp.backend.set(dt=dt)
    net = bp.Network(pre, syn, post)
    net.run(duration)
    assert net.ts[1] - net.ts[0] == pytest.approx(dt)
    return [first_nonzero(post.mon.V[:, j]) for j in range(n_post)]


SCALAR_DELAYS = [0.0, 0.05, 0.1, 0.25, 1.0, 1.1, 1.15, 2.3]


@pytest.mark.parametrize("dt", [0.1, 0.05])
@pytest.mark.parametrize("d", SCALAR_DELAYS)
def test_scalar_delay_step(d, dt):
    k = ceil_div(1.0, dt)  # SpikeTimeInput: first step with t >= 1.0
    assert probe(d, dt) == [k + ceil_div(d, dt)]


@pytest.mark.parametrize("dt", [0.1, 0.05])
def test_per_synapse_delays(dt):
    d = np.array(SCALAR_DELAYS)
    k = ceil_div(1.0, dt)
    got = probe(d, dt, n_post=d.size)
    assert got == [k + ceil_div(x, dt) for x in SCALAR_DELAYS]


def test_delay_follows_the_run_dt():
    # Built while dt = 0.1, run at dt = 0.05: 1.0 ms is 20 steps, not 10.
    assert probe(1.0, 0.05, build_dt=0.1) == [ceil_div(1.0, 0.05) + 20]
    d = np.array([0.3, 1.0])
    assert probe(d, 0.05, n_post=2, build_dt=0.1) == [20 + 6, 20 + 20]


def test_delay_changes_only_timing():
    """The delayed input is the undelayed one shifted by D steps."""
    dt, d = 0.1, 0.7
    D = ceil_div(d, dt)

    def input_trace(delay):
        pre = bp.neurons.SpikeTimeInput(1, times=[1.0, 2.3], indices=[0, 0])
        post = bp.neurons.LIF(1, monitors=['V'], V_th=1e9)
        syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), delay=delay, w=1.0,
                                      monitors=['s'])
        net = bp.Network(pre, syn, post)
        net.run(10.)
        v = post.mon.V[:, 0]
        # Recover the input of each step from Euler: V1 = V0 + dt(−V0 + I)/τ.
        v0 = np.concatenate([[0.0], v[:-1]])
        return (v - v0) * 10.0 / dt + v0, syn.mon.s[:, 0]

    i0, s0 = input_trace(0.0)
    i1, s1 = input_trace(d)
    np.testing.assert_allclose(i1[D:], i0[:-D], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(i1[:D], 0.0)
    np.testing.assert_array_equal(s1, s0)  # the state itself is not delayed
    # Sanity: the undelayed input is the state (w = 1).
    np.testing.assert_allclose(i0, s0, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("layout", ["synapse", "pre", "post"])
def test_delay_in_every_layout(layout):
    dt = 0.1
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0], indices=[0])
    post = bp.neurons.LIF(3, monitors=['V'])
    d = np.array([0.0, 0.3, 1.2])
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), delay=d, w=1.0, layout=layout)
    bp.Network(pre, syn, post).run(4.)
    got = [first_nonzero(post.mon.V[:, j]) for j in range(3)]
    assert got == [10 + ceil_div(x, dt) for x in (0.0, 0.3, 1.2)]


@pytest.mark.parametrize("dt,d", [(0.1, 0.5), (0.05, 0.5), (0.1, 0.25)])
def test_gap_junction_spikelet_delay(dt, d):
    """The spikelet (w·k_spikelet) is delayed by ceil(d/dt) steps. With the
    order neu0, neu1, syn it is added after neu1's update, so it shows in
    neu1.mon.V one step after it is applied (reference §5.3)."""
    bp.backend.set(dt=dt)
    neu0 = bp.neurons.LIF(1, monitors=['V'], t_refractory=0)
    neu1 = bp.neurons.LIF(1, monitors=['V'], t_refractory=0)
    syn = bp.synapses.Gap_junction(pre=neu0, post=neu1, conn=bp.connect.All2All(), k_spikelet=20., delay=d)
    syn.w = bp.ops.ones(syn.w.shape) * .5
    bp.Network(neu0, neu1, syn).run(20., inputs=(neu0, 'input', 30.))
    k = int(np.nonzero(neu0.mon.V[:, 0] == -5.0)[0][0])  # first pre spike
    jumps = np.diff(neu1.mon.V[:, 0])
    first = int(np.nonzero(jumps > 9.0)[0][0]) + 1  # the 10 mV spikelet
    assert first == k + ceil_div(d, dt) + 1


def test_delay_set_after_construction():
    """``syn.delay = d`` between runs applies from the next run."""
    dt = 0.1
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0], indices=[0])
    post = bp.neurons.LIF(2, monitors=['V'])
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), w=1.0, layout='synapse')
    net = bp.Network(pre, syn, post)
    syn.delay = 0.7
    net.run(4.)
    assert first_nonzero(post.mon.V[:, 0]) == 10 + ceil_div(0.7, dt)
    post.V = bp.ops.zeros(post.V.shape)
    syn.delay = np.array([0.2, 1.5])
    syn.s = bp.ops.zeros(syn.s.shape)  # start the second run from rest
    net.run(4.)
    assert [first_nonzero(post.mon.V[:, j]) for j in range(2)] == [12, 25]
    with pytest.raises(ValueError):
        syn.delay = -1.0
    gap = bp.synapses.Gap_junction(pre=post, post=post, conn=bp.connect.One2One())
    with pytest.raises(ValueError):
        gap.delay = 1.0


@pytest.mark.parametrize("delay", [1e300, np.array([1e40, 1.0]), np.array([1e10, 1.0])])
def test_too_long_delay_is_an_error(delay):
    """A delay beyond the engine's limit is refused with a ValueError at run
    time; it must neither overflow to no delay nor crash."""
    pre = bp.neurons.SpikeTimeInput(2, times=[1.0], indices=[0])
    post = bp.neurons.LIF(1)
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), delay=delay, layout='synapse')
    with pytest.raises(Exception, match="too long"):
        bp.Network(pre, syn, post).run(1.)
    gap = bp.synapses.Gap_junction(pre=post, post=post, conn=bp.connect.One2One(), delay=1e300)
    with pytest.raises(Exception, match="too long"):
        bp.Network(post, gap).run(1.)
