"""The tutorial's runs through the Python API with the built-in classes.

Published numbers are from reference §5.6 (re-simulation of the handbook's
figures), rounded to the digits given there: each check allows half a unit
of the last digit. Where §5.6 gives no number (Two_exponentials, Alpha,
Exponential, Voltage_jump), the run is checked against the closed form
driven by the published pre spike times 8.4 and 19.2 ms (§5.1).
"""

import numpy as np
import pytest

import brainsyn as bp

bm = bp


def run_syn(syn_model, **kwargs):
    """The tutorial's helper (reference §5.1), returning what it plots."""
    neu1 = bm.neurons.LIF(2, monitors=['V'])
    neu2 = bm.neurons.LIF(3, monitors=['V'])
    syn = syn_model(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], **kwargs)
    net = bp.Network(neu1, syn, neu2)
    net.run(30., inputs=(neu1, 'input', 35.))
    return neu1, syn, neu2, net


def near(x, published, digits):
    """|x − published| within half a unit of the published last digit."""
    return abs(x - published) <= 0.5 * 10.0 ** -digits + 1e-12


PRE_SPIKES = [8.4, 19.2]  # §5.1


def step(t, dt=0.1):
    return int(round(t / dt))


def test_pre_spikes_of_run_syn():
    neu1, _, _, net = run_syn(bm.synapses.Exponential)
    # LIF holds V at V_reset (−5) for the spike step and t_ref = 1 ms after it.
    v = neu1.mon.V[:, 0]
    spikes = [i for i in range(1, len(v)) if v[i] == -5.0 and v[i - 1] != -5.0]
    assert [net.ts[i] for i in spikes] == pytest.approx(PRE_SPIKES)


@pytest.mark.parametrize("layout", ["synapse", "pre"])
def test_nmda_rk4(layout):
    # §5.6: s = 0.5916 at 15.0 ms, max 0.8033, final 0.7731.
    _, syn, _, net = run_syn(bm.synapses.NMDA, method='rk4', layout=layout)
    s = syn.mon.s[:, 0]
    assert near(s[step(15.0)], 0.5916, 4), s[step(15.0)]
    assert near(s.max(), 0.8033, 4), s.max()
    assert near(s[-1], 0.7731, 4), s[-1]
    # The tutorial's NMDA adds the spike to x before integrating (§4.1):
    # x jumps in the spike step and s starts rising in the same step.
    assert s[step(8.4) - 1] == 0 and s[step(8.4)] > 0


@pytest.mark.parametrize("layout", ["synapse", "pre"])
def test_gabab_rk4(layout):
    # §5.2 / §5.6: pre spike at 16.0 ms; s max 1.5569e-7 at 118.0 ms; 2.369e-9 at 1019.9 ms.
    neu1 = bm.neurons.LIF(2, monitors=['V'])
    neu2 = bm.neurons.LIF(3, monitors=['V'])
    syn = bm.synapses.GABAb(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], method='rk4',
                              layout=layout)
    net = bp.Network(neu1, syn, neu2)
    I, dur = bp.inputs.constant_current([(25, 20), (0, 1000)])
    assert I.shape == (10200,) and dur == 1020.0
    net.run(dur, inputs=(neu1, 'input', I))
    v = neu1.mon.V[:, 0]
    assert [net.ts[i] for i in np.nonzero(v == -5.0)[0][:1]] == pytest.approx([16.0])
    s = syn.mon.s[:, 0]
    i = int(np.argmax(s))
    assert net.ts[i] == pytest.approx(118.0)
    assert near(s[i] * 1e7, 1.5569, 4), s[i]
    assert net.ts[-1] == pytest.approx(1019.9)
    assert near(s[-1] * 1e9, 2.369, 3), s[-1]


def closed_form(kind, ts, **p):
    out = np.zeros_like(ts)
    for t_s in PRE_SPIKES:
        u = ts - t_s
        on = u > -1e-9
        u = np.maximum(u[on], 0)
        if kind == "exp":
            out[on] += np.exp(-u / p["tau"])
        elif kind == "alpha":
            out[on] += u * np.exp(-u / p["tau"])
        else:
            t1, t2 = p["tau1"], p["tau2"]
            out[on] += t1 * t2 / (t1 - t2) * (np.exp(-u / t1) - np.exp(-u / t2))
    return out


def test_two_exponentials_rk4():
    _, syn, _, net = run_syn(bm.synapses.Two_exponentials, tau1=2., method='rk4')
    want = closed_form("dual", net.ts, tau1=2., tau2=3.)
    # rk4 at dt = 0.1 with τ ≥ 2: local error ~ (dt/τ)^5, global below 1e-6.
    np.testing.assert_allclose(syn.mon.s[:, 0], want, atol=1e-6)
    # Peak of one spike at τ1τ2/(τ2−τ1)·ln(τ2/τ1) = 6·ln 1.5 = 2.433 ms after it.
    i = int(np.argmax(syn.mon.s[:step(19.2), 0]))
    assert net.ts[i] == pytest.approx(8.4 + 2.4)


def test_alpha_rk4():
    _, syn, _, net = run_syn(bm.synapses.Alpha, tau=3., method='rk4')
    np.testing.assert_allclose(syn.mon.s[:, 0], closed_form("alpha", net.ts, tau=3.), atol=1e-6)
    # One spike peaks τ after it at τ/e.
    i = int(np.argmax(syn.mon.s[:step(19.2), 0]))
    assert net.ts[i] == pytest.approx(8.4 + 3.0)
    assert syn.mon.s[i, 0] == pytest.approx(3.0 / np.e, abs=1e-6)


def test_exponential():
    _, syn, _, net = run_syn(bm.synapses.Exponential)
    np.testing.assert_allclose(syn.mon.s[:, 0], closed_form("exp", net.ts, tau=8.), atol=1e-12)


def test_voltage_jump():
    _, syn, neu2, net = run_syn(bm.synapses.Voltage_jump)
    s = syn.mon.s[:, 0]
    want = np.zeros(300)
    want[[step(t) for t in PRE_SPIKES]] = 1
    np.testing.assert_array_equal(s, want)
    # Each post neuron receives both pre neurons (weight 1) in step 84, before
    # its own update (syn precedes neu2): V = 2 then one Euler step, 2·(1 − dt/τ).
    np.testing.assert_array_equal(neu2.mon.V[step(8.4) - 1], 0.0)
    np.testing.assert_allclose(neu2.mon.V[step(8.4)], 2 * 0.99, rtol=1e-12)


def test_gap_junction_example():
    # §5.3 code; numbers from §5.6.
    neu0 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
    neu0.V = bp.ops.ones(neu0.V.shape) * -10.
    neu1 = bm.neurons.LIF(1, monitors=['V'], t_refractory=0)
    neu1.V = bp.ops.ones(neu1.V.shape) * -10.
    syn = bp.synapses.Gap_junction(pre=neu0, post=neu1, conn=bp.connect.All2All(), k_spikelet=5.)
    syn.w = bp.ops.ones(syn.w.shape) * .5
    net = bp.Network(neu0, neu1, syn)
    net.run(100., inputs=(neu0, 'input', 30.))
    v0, v1 = neu0.mon.V[:, 0], neu1.mon.V[:, 0]
    spikes = net.ts[v0 == -5.0]
    np.testing.assert_allclose(spikes, [13.7, 26.2, 38.7, 51.2, 63.7, 76.2, 88.7], atol=1e-9)
    assert near(v1[0], -9.9, 1)
    assert near(v1[step(13.7)], 2.491, 3), v1[step(13.7)]
    assert near(v1[step(13.8)], 4.904, 3), v1[step(13.8)]  # the spikelet, one step late
    assert near(v1[-1], 4.617, 3), v1[-1]
    assert near(v0[-1], 18.644, 3), v0[-1]
