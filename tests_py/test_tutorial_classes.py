"""The chapter's own classes run unchanged and give its numbers.

The classes live in tutorial_models.py, written as the handbook writes them.
Expected values come from reference §5.6 (the handbook's figures,
re-simulated), from closed forms, or from step-order reasoning spelled out
next to each test; never from this package's own output.
"""

import numpy as np
import pytest

import brainsyn as bp
import tutorial_models as tm

bm = bp
DT = 0.1
# Pre LIF (input 35, tau 10, V_th 20, Euler, t_ref 1) spike at 8.4 and 19.2 ms
# (reference §5.1): V_n = 35(1 - 0.99^n) first reaches 20 at the 85th update
# (step 84); after 10 refractory steps V climbs from -5 and crosses at step 192.
SPIKE_STEPS = (84, 192)
TS = np.arange(300) * DT


def _spike_train_response(kernel):
    """s(t) for unit kicks at SPIKE_STEPS, with kernel(t) = response t ms after a kick."""
    s = np.zeros(300)
    for k in SPIKE_STEPS:
        after = np.arange(300) >= k
        s[after] += kernel((np.arange(300)[after] - k) * DT)
    return s


def test_ampa_tutorial_numbers():
    neu1, syn, neu2, net = tm.run_syn(tm.AMPA, T_duration=3.)
    assert syn.mon.s.shape == (300, 6)
    np.testing.assert_allclose(net.ts, TS, atol=1e-12)
    s = syn.mon.s[:, 0]
    i = int(np.argmax(s))
    assert net.ts[i] == pytest.approx(22.1)
    assert s[i] == pytest.approx(0.6542, abs=1e-4)
    assert s[113] == pytest.approx(0.6334, abs=1e-4)  # 11.3 ms: last step of the first pulse
    assert s[112] < s[113] > s[114]
    assert s[-1] == pytest.approx(0.1607, abs=1e-4)
    # Both pre neurons get the same input, so all six synapses agree.
    np.testing.assert_array_equal(syn.mon.s, np.repeat(s[:, None], 6, axis=1))
    # Nothing before the first spike (the pulse starts in the spike step).
    assert np.all(s[:84] == 0) and s[84] > 0


def test_ampa_pulse_closed_form():
    """During the pulse ds/dt = αT(1−s) − βs is linear with constant
    coefficients; exponential Euler is exact: s → s∞ + (s − s∞)e^{−(αT+β)dt}."""
    neu1, syn, neu2, net = tm.run_syn(tm.AMPA, T_duration=3.)
    a, b, T = 0.98, 0.18, 0.5
    k = a * T + b
    s_inf = a * T / k
    n = np.arange(1, 31)  # steps 84..113: 30 pulse steps
    np.testing.assert_allclose(syn.mon.s[83 + n, 0], s_inf * (1 - np.exp(-k * n * DT)), rtol=1e-9)
    # then pure decay s·e^{−β dt} until the next spike step
    np.testing.assert_allclose(syn.mon.s[114:192, 0], syn.mon.s[113, 0] * np.exp(-b * DT * np.arange(1, 79)),
                               rtol=1e-9)


def test_nmda_tutorial_numbers():
    neu1, syn, neu2, net = tm.run_syn(tm.NMDA)
    s = syn.mon.s[:, 0]
    assert s[150] == pytest.approx(0.5916, abs=1e-4)  # 15.0 ms
    assert s.max() == pytest.approx(0.8033, abs=1e-4)
    assert s[-1] == pytest.approx(0.7731, abs=1e-4)
    # x += spike before integrating: s moves in the spike step itself.
    assert np.all(s[:84] == 0) and s[84] > 0
    # Post V = E = 0 throughout, so g(V − E) = 0 and post stays at rest.
    np.testing.assert_array_equal(neu2.mon.V, 0.0)


@pytest.fixture(scope="module")
def gabab_run():
    # 10200 steps of a Python update: run once, share between two tests.
    return tm.run_gabab()


def test_gabab_tutorial_numbers(gabab_run):
    neu1, syn, neu2, net = gabab_run
    s = syn.mon.s[:, 0]
    assert s.shape == (10200,)
    i = int(np.argmax(s))
    assert net.ts[i] == pytest.approx(118.0)
    assert s[i] == pytest.approx(1.5569e-7, rel=1e-4)
    assert s[-1] == pytest.approx(2.369e-9, rel=1e-3)
    # one pre spike at 16.0 ms (input 25: 25(1 − 0.99^n) ≥ 20 first at n = 161)
    v = neu1.mon.V[:, 0]
    np.testing.assert_array_equal(np.nonzero(v == -5.0)[0][:1], [160])
    assert np.all(s[:160] == 0) and s[160] > 0


def test_two_exponentials_closed_form():
    """After a kick x = 1, s = τ1τ2/(τ1−τ2)(e^{−t/τ1} − e^{−t/τ2}) (kicks add
    linearly). x += spike comes after the integration, so a spike at step k
    shows in s from step k + 1 on. RK4 at dt = 0.1 is accurate to ~1e-6."""
    neu1, syn, neu2, net = tm.run_syn(tm.Two_exponentials, tau1=2.)
    t1, t2 = 2.0, 3.0
    expect = _spike_train_response(lambda t: t1 * t2 / (t1 - t2) * (np.exp(-t / t1) - np.exp(-t / t2)))
    np.testing.assert_allclose(syn.mon.s[:, 0], expect, atol=2e-6)
    assert np.all(syn.mon.s[:85] == 0)


def test_alpha_closed_form():
    """τ = 3: after a kick x = 1, s = t·e^{−t/τ}."""
    neu1, syn, neu2, net = tm.run_syn(tm.Alpha)
    expect = _spike_train_response(lambda t: t * np.exp(-t / 3.0))
    np.testing.assert_allclose(syn.mon.s[:, 0], expect, atol=2e-6)


def test_exponential_closed_form():
    """Exponential Euler is exact for ds/dt = −s/τ; s += spike after it, so
    s = 1 in the spike step and decays by e^{−dt/8} per step."""
    neu1, syn, neu2, net = tm.run_syn(tm.Exponential)
    expect = _spike_train_response(lambda t: np.exp(-t / 8.0))
    np.testing.assert_allclose(syn.mon.s[:, 0], expect, rtol=1e-12, atol=1e-15)
    assert syn.mon.s[192, 0] == pytest.approx(1 + np.exp(-10.8 / 8))  # max, at 19.2 ms


def test_voltage_jump_v1():
    neu1, syn, neu2, net = tm.run_syn(tm.Voltage_jump)
    expect = np.zeros((300, 6))
    expect[list(SPIKE_STEPS)] = 1.0
    np.testing.assert_array_equal(syn.mon.s, expect)
    np.testing.assert_array_equal(neu2.mon.V, 0.0)  # v1 has no output


def test_voltage_jump_v2_whole_array_jump():
    """v2 adds pull(i) to the whole post.V array (the tutorial's bug, §7.1):
    in a spike step all 6 synapses fire, so every post V gets +6 before the
    post update (syn runs before neu2); LIF then multiplies by 0.99 per step."""
    neu1, syn, neu2, net = tm.run_syn(tm.Voltage_jump_v2)
    expect_s = np.zeros((300, 6))
    expect_s[list(SPIKE_STEPS)] = 1.0
    np.testing.assert_array_equal(syn.mon.s, expect_s)
    i = np.arange(300)
    v = sum(np.where(i >= k, 6.0 * 0.99 ** (i - k + 1), 0.0) for k in SPIKE_STEPS)
    for j in range(3):
        np.testing.assert_allclose(neu2.mon.V[:, j], v, rtol=1e-12)


def test_gap_junction_tutorial_numbers():
    neu0, neu1, syn, net = tm.run_gap()
    v0, v1 = neu0.mon.V[:, 0], neu1.mon.V[:, 0]
    spikes = net.ts[v0 == -5.0]  # V_reset: t_refractory = 0, so only spike steps
    np.testing.assert_allclose(spikes, [13.7, 26.2, 38.7, 51.2, 63.7, 76.2, 88.7], atol=1e-9)
    assert v1[0] == pytest.approx(-9.9, abs=1e-9)  # −10 · 0.99, the gap current is one step late
    assert v1[137] == pytest.approx(2.491, abs=1e-3)
    assert v1[138] == pytest.approx(4.904, abs=1e-3)  # the spikelet w·k = 2.5 shows one step late
    assert v1[999] == pytest.approx(4.617, abs=1e-3)
    assert v0[999] == pytest.approx(18.644, abs=1e-3)
    assert np.all(v1 < 20)  # neu1 never fires


def test_gap_junction_first_steps_by_hand():
    """Step order neu0, neu1, syn: at step 0 neu1 has no input yet
    (V = −10·0.99); the synapse then writes w(V0 − V1) into neu1.input, used
    at step 1."""
    neu0, neu1, syn, net = tm.run_gap()
    v0_0 = -10 + 0.1 * (10 + 30) / 10          # −9.6
    v1_0 = -10 * 0.99                           # −9.9
    i1 = 0.5 * (v0_0 - v1_0)                    # 0.15
    v1_1 = v1_0 + 0.1 * (-v1_0 + i1) / 10
    assert neu0.mon.V[0, 0] == pytest.approx(v0_0, abs=1e-12)
    assert neu1.mon.V[1, 0] == pytest.approx(v1_1, abs=1e-12)


# -- each tutorial class against the built-in class with the same method ----------

def _builtin(cls, **kw):
    def make(pre, post, conn, **kwargs):
        return cls(pre=pre, post=post, conn=conn, **kw, **kwargs)
    return make


@pytest.mark.parametrize("tut, builtin, kw", [
    (tm.AMPA, _builtin(bp.synapses.AMPA), dict(T_duration=3.)),
    (tm.NMDA, _builtin(bp.synapses.NMDA, method='rk4'), {}),
    (tm.Two_exponentials, _builtin(bp.synapses.Two_exponentials, method='rk4'), dict(tau1=2.)),
    (tm.Alpha, _builtin(bp.synapses.Alpha, tau=3., method='rk4'), {}),
    (tm.Exponential, _builtin(bp.synapses.Exponential), {}),
    (tm.Voltage_jump, _builtin(bp.synapses.Voltage_jump), {}),
], ids=["AMPA", "NMDA", "Two_exponentials", "Alpha", "Exponential", "Voltage_jump"])
def test_tutorial_class_matches_builtin(tut, builtin, kw):
    _, syn_t, _, _ = tm.run_syn(tut, **kw)
    _, syn_b, _, _ = tm.run_syn(builtin, **kw)
    assert syn_b.mon.s.shape == syn_t.mon.s.shape == (300, 6)
    np.testing.assert_allclose(syn_b.mon.s, syn_t.mon.s, rtol=1e-7, atol=1e-10)


def test_gabab_tutorial_matches_builtin(gabab_run):
    _, syn_t, neu2_t, _ = gabab_run
    _, syn_b, neu2_b, _ = tm.run_gabab(_builtin(bp.synapses.GABAb, method='rk4'))
    np.testing.assert_allclose(syn_b.mon.s, syn_t.mon.s, rtol=1e-7, atol=1e-16)
    np.testing.assert_allclose(neu2_b.mon.V, neu2_t.mon.V, rtol=1e-7, atol=1e-12)


def test_gap_tutorial_matches_builtin():
    neu0_t, neu1_t, _, _ = tm.run_gap()
    neu0_b, neu1_b, _, _ = tm.run_gap(bp.synapses.Gap_junction)
    np.testing.assert_allclose(neu1_b.mon.V, neu1_t.mon.V, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(neu0_b.mon.V, neu0_t.mon.V, rtol=1e-9, atol=1e-9)


def test_nmda_current_reaches_post():
    """With post V ≠ E the tutorial NMDA drives post through the Mg-blocked
    conductance, and matches the built-in NMDA (block at output, same thing
    at delay 0)."""
    out = []
    for cls in (tm.NMDA, _builtin(bp.synapses.NMDA, method='rk4')):
        neu1 = bm.neurons.LIF(2, monitors=['V'])
        neu2 = bm.neurons.LIF(3, monitors=['V'], V_rest=-10.)
        neu2.V = -10.
        syn = cls(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'])
        net = bp.Network(neu1, syn, neu2)
        net.run(30., inputs=(neu1, 'input', 35.))
        out.append(neu2.mon.V.copy())
    assert np.all(out[0][:84] == -10.0) and out[0][-1, 0] > -9.9  # depolarised after the spikes
    np.testing.assert_allclose(out[0], out[1], rtol=1e-7, atol=1e-9)


def test_voltage_jump_v2_delay_and_refractory_flag():
    # delay 1 ms = 10 steps: the +6 jump arrives at steps 94 and 202
    _, _, neu2, _ = tm.run_syn(tm.Voltage_jump_v2, delay=1.)
    i = np.arange(300)
    v = sum(np.where(i >= k + 10, 6.0 * 0.99 ** (i - k - 9), 0.0) for k in SPIKE_STEPS)
    np.testing.assert_allclose(neu2.mon.V[:, 0], v, rtol=1e-12)
    # post never fires, so post_refractory=True changes nothing
    _, _, neu2r, _ = tm.run_syn(tm.Voltage_jump_v2, post_refractory=True)
    v0 = sum(np.where(i >= k, 6.0 * 0.99 ** (i - k + 1), 0.0) for k in SPIKE_STEPS)
    np.testing.assert_allclose(neu2r.mon.V[:, 0], v0, rtol=1e-12)
