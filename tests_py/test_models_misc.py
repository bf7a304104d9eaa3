"""The remaining models and inputs, exercised once each from Python.

Expected values come from closed forms or from a step-by-step numpy
integration written here from the equations in reference §2.5, §3 and §4.
Post currents are recovered from the Euler LIF update (reference §3.1,
V1 = V0 + dt·(−V0 + I)/τ with V_rest = 0, R = 1, τ = 10), which needs a
post group that never fires.
"""

import numpy as np
import pytest

import brainsyn as bp

DT = 0.1


def recovered_input(v, v_init=0.0, tau=10.0, dt=DT):
    """The input of each step, from consecutive LIF voltages (V_rest = 0)."""
    v0 = np.concatenate([[v_init], v[:-1]])
    return (v - v0) * tau / dt + v0, v0


def one_spike_net(cls, times=(2.0,), n_post=1, conn=None, **kw):
    pre = bp.neurons.SpikeTimeInput(1, times=list(times), indices=[0] * len(times))
    post = bp.neurons.LIF(n_post, monitors=['V'], V_th=1e9)
    syn = cls(pre=pre, post=post, conn=conn or bp.connect.All2All(), monitors=['s'], **kw)
    net = bp.Network(pre, syn, post)
    return pre, syn, post, net


@pytest.mark.parametrize("cls,tau,g,E", [(bp.synapses.AMPA1, 2.0, 0.10, 0.0), (bp.synapses.GABAa1, 6.0, 0.4, -80.0)])
def test_exponential_conductance_models(cls, tau, g, E):
    """AMPA1 and GABAa1 (§4.2): s = e^{−(t−t_s)/τ} after s += 1 in the spike
    step; post.input −= g_max·s·(V − E) with the post V before its update."""
    _, syn, post, net = one_spike_net(cls)
    post.V = bp.ops.ones(post.V.shape) * -60.  # between the two reversal potentials
    net.run(20.)
    u = np.clip(net.ts - 2.0, 0, None)
    want_s = np.where(net.ts >= 2.0 - 1e-9, np.exp(-u / tau), 0.0)
    np.testing.assert_allclose(syn.mon.s[:, 0], want_s, rtol=1e-12, atol=1e-15)
    I, v0 = recovered_input(post.mon.V[:, 0], v_init=-60.)
    np.testing.assert_allclose(I, -g * want_s * (v0 - E), rtol=1e-8, atol=1e-10)
    assert (I.min() < -1) if E < -60 else (I.max() > 1)  # GABA_A inhibits at −60 mV, AMPA excites


def test_ampa1_at_rest_reversal_gives_no_current():
    # V_rest = E = 0 for AMPA1: g·s·(V − E) is exactly 0, so V stays 0.
    _, _, post, net = one_spike_net(bp.synapses.AMPA1)
    net.run(10.)
    np.testing.assert_array_equal(post.mon.V, 0.0)


def markov_pulse(alpha, beta, T, T_dur, t_spike, ts):
    """Exponential Euler of ds/dt = α·TT(1 − s) − β·s, exact for constant TT."""
    s, out = 0.0, []
    for t in ts:
        TT = T if (t - t_spike) < T_dur and t >= t_spike - 1e-9 else 0.0
        a = alpha * TT + beta
        s_inf = alpha * TT / a
        s = s_inf + (s - s_inf) * np.exp(-a * DT)
        out.append(s)
    return np.array(out)


def test_gabaa2_pulse_kinetics():
    _, syn, post, net = one_spike_net(bp.synapses.GABAa2)
    net.run(15.)
    want = markov_pulse(0.53, 0.18, 1.0, 1.0, 2.0, net.ts)
    np.testing.assert_allclose(syn.mon.s[:, 0], want, rtol=1e-12, atol=1e-15)
    # TT = T for 10 steps (2.0 .. 2.9 ms): s rises there and decays after.
    s = syn.mon.s[:, 0]
    assert np.all(np.diff(s[20:30]) > 0) and np.all(np.diff(s[30:]) < 0)
    I, v0 = recovered_input(post.mon.V[:, 0])
    np.testing.assert_allclose(I, -0.04 * want * (v0 + 80.0), rtol=1e-8, atol=1e-10)


def test_gabab2_against_euler():
    """GABAb2 (§4.2), default Euler, against the same equations in numpy."""
    times = [2.0, 2.5, 3.0, 3.5, 4.0]
    _, syn, _, net = one_spike_net(bp.synapses.GABAb2, times=times)
    syn2 = syn
    net.run(100.)
    k1, k2, k3, k4, k5, k6, kd, T, T_dur = 0.66, 0.02, 0.0053, 0.017, 8.3e-5, 7.9e-3, 100., 0.5, 0.5
    R = D = G = 0.0
    t_last = -1e7
    want = []
    for i, t in enumerate(net.ts):
        if any(abs(t - x) < 1e-9 for x in times):
            t_last = t
        TT = T if t - t_last < T_dur else 0.0
        dR = k1 * TT * (1 - R - D) - k2 * R + k3 * D
        dD = k4 * R - k3 * D
        dG = k5 * R - k6 * G
        R, D, G = R + DT * dR, D + DT * dD, G + DT * dG
        want.append(G ** 4 / (G ** 4 + kd))
    want = np.array(want)
    assert want.max() > 0
    np.testing.assert_allclose(syn2.mon.s[:, 0], want, rtol=1e-9, atol=0)


def test_nmda_mg_block_output():
    """NMDA (§4.2, library form): input −= g_max·s·(V − E)/(1 + cc_Mg/β·e^{−αV})."""
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0, 3.0], indices=[0, 0])
    post = bp.neurons.LIF(1, monitors=['V'], V_th=1e9, V_rest=-60.)
    post.V = bp.ops.ones(post.V.shape) * -60.
    syn = bp.synapses.NMDA(pre=pre, post=post, conn=bp.connect.All2All(), monitors=['s'], g_max=0.5)
    net = bp.Network(pre, syn, post)
    net.run(30.)
    v = post.mon.V[:, 0]
    v0 = np.concatenate([[-60.0], v[:-1]])
    I = (v - v0) * 10.0 / DT + v0 + 60.0  # V_rest = −60
    B = 1 + 1.2 / 3.57 * np.exp(-0.062 * v0)
    np.testing.assert_allclose(I, -0.5 * syn.mon.s[:, 0] * v0 / B, rtol=1e-8, atol=1e-10)
    assert I.max() > 0.1


def test_output_current_vs_conductance():
    """The same kinetics with the two outputs (§4, output conventions)."""
    # A conductance model made current-based: input += g_max·s.
    _, syn, post, net = one_spike_net(bp.synapses.AMPA1, output='current', g_max=0.3)
    net.run(10.)
    I, _ = recovered_input(post.mon.V[:, 0])
    np.testing.assert_allclose(I, 0.3 * syn.mon.s[:, 0], rtol=1e-8, atol=1e-10)
    # A current model made conductance-based: input −= g_max·s·(V − E).
    pre = bp.neurons.SpikeTimeInput(1, times=[2.0], indices=[0])
    post = bp.neurons.LIF(1, monitors=['V'], V_th=1e9)
    post.V = bp.ops.ones(post.V.shape) * 5.
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), monitors=['s'],
                                  output='conductance', g_max=0.2, E=-70.)
    bp.Network(pre, syn, post).run(10.)
    v = post.mon.V[:, 0]
    v0 = np.concatenate([[5.0], v[:-1]])
    I = (v - v0) * 10.0 / DT + v0
    np.testing.assert_allclose(I, -0.2 * syn.mon.s[:, 0] * (v0 + 70.), rtol=1e-8, atol=1e-10)
    assert I.min() < -1


def test_voltage_jump_only_connected_posts():
    # Reference §7.1: BrainPy added the jump to every post neuron; only
    # the connected one may jump.
    pre = bp.neurons.SpikeTimeInput(3, times=[1.0], indices=[1])
    post = bp.neurons.LIF(3, monitors=['V'])
    syn = bp.synapses.Voltage_jump(pre=pre, post=post, conn=bp.connect.One2One(), weight=2.0)
    bp.Network(pre, syn, post).run(2.)
    k = 10
    np.testing.assert_array_equal(post.mon.V[k - 1], 0.0)
    np.testing.assert_allclose(post.mon.V[k], [0.0, 2.0 * (1 - DT / 10), 0.0], rtol=1e-12)


def test_hh_spikes_with_input():
    neu = bp.neurons.HH(2, monitors=['V', 'spike'])
    I = np.zeros((500, 2))
    I[:, 0] = 10.0  # µA/cm², well above rheobase; neuron 1 gets nothing
    bp.Network(neu).run(50., inputs=(neu, 'input', I))
    v, sp = neu.mon.V, neu.mon.spike
    # The initial gates (m = 0.5, h = 0.6, §3.2) are far from rest and give
    # one transient spike in both neurons; after it only the driven one fires.
    late = slice(50, None)
    assert sp[late, 0].sum() >= 2 and sp[late, 1].sum() == 0
    assert v[late, 0].max() > 20 and v[late, 1].max() < -55
    # A spike is an upward crossing of V_th = 20 (§3.2), with no reset.
    i = np.nonzero(sp[:, 0])[0]
    assert np.all(v[i, 0] >= 20) and np.all(v[i - 1, 0] < 20)
    assert np.all(v[i + 1, 0] > -20)


def test_poisson_rate_within_band():
    rate, n, T = 100.0, 100, 1000.0
    g = bp.neurons.PoissonInput(n, freqs=rate, seed=1, monitors=['spike'])
    bp.Network(g).run(T)
    steps = g.mon.spike.shape[0]
    p = rate * DT / 1000
    mean, sd = n * steps * p, np.sqrt(n * steps * p * (1 - p))
    assert abs(g.mon.spike.sum() - mean) < 4 * sd
    # Per-neuron rates: a zero rate never fires.
    h = bp.neurons.PoissonInput(3, freqs=[0.0, 50.0, 200.0], seed=2, monitors=['spike'])
    bp.Network(h).run(T)
    counts = h.mon.spike.sum(axis=0)
    assert counts[0] == 0
    for c, r in zip(counts[1:], (50.0, 200.0)):
        m = steps * r * DT / 1000
        assert abs(c - m) < 4 * np.sqrt(m)


def test_input_shapes():
    # §2.6: spike_current starts a pulse at int(t/dt) for int(len/dt) steps.
    I = bp.inputs.spike_current([10., 20.], 1., [0.5, 2.0], 30.)
    want = np.zeros(300)
    want[100:110], want[200:210] = 0.5, 2.0
    np.testing.assert_array_equal(I, want)
    # ramp_current: linear between ceil(t_start/dt) and ceil(t_end/dt), 0 elsewhere.
    R = bp.inputs.ramp_current(0., 3., 10., t_start=2., t_end=8.)
    assert R.shape == (100,)
    np.testing.assert_array_equal(R[:20], 0)
    np.testing.assert_array_equal(R[80:], 0)
    np.testing.assert_allclose(R[20:80], np.linspace(0, 3, 60))
    # period_input: segments of int(d/dt) rows.
    P, total = bp.inputs.period_input([1., -2., 3.], [3., 2., 0.5], return_length=True)
    assert total == 5.5
    np.testing.assert_array_equal(P, np.r_[np.full(30, 1.), np.full(20, -2.), np.full(5, 3.)])
    assert bp.inputs.period_input([1.], [2.], dt=0.05).shape == (40,)


def test_pulse_is_not_replayed_in_a_new_run():
    """Run times restart at 0 while state persists (reference §1.5). A pulse
    model must not read its last spike time (25 ms, old time base) as lying
    in the future of the new run (reference §7.11): without a spike, s only
    decays."""
    pre = bp.neurons.SpikeTimeInput(1, times=[25.0], indices=[0])
    post = bp.neurons.LIF(1)
    syn = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), monitors=['s'])
    net = bp.Network(pre, syn, post)
    net.run(30.)
    last = syn.mon.s[-1, 0]
    assert last > 0
    net.run(20.)  # the spike at 25 ms of this run is not reached
    s = syn.mon.s[:, 0]
    # Free decay: exponential Euler with TT = 0 is s·e^{−β·dt} per step (β = 0.18).
    np.testing.assert_allclose(s, last * np.exp(-0.18 * DT * np.arange(1, 201)), rtol=1e-12)


def test_two_runs_equal_one_run():
    """LIF refractoriness and AMPA pulses carry across runs: 2 × 15 ms gives
    the same traces as 30 ms (pre spikes at 8.4 and 19.2 ms, reference §5.1;
    the split at 15 ms cuts nothing, the one at 19.3 ms cuts a pulse and a
    refractory period)."""

    def traces(parts):
        neu1 = bp.neurons.LIF(2, monitors=['V'])
        neu2 = bp.neurons.LIF(3, monitors=['V'])
        syn = bp.synapses.AMPA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], T_duration=3.)
        net = bp.Network(neu1, syn, neu2)
        s, v = [], []
        for d in parts:
            net.run(d, inputs=(neu1, 'input', 35.))
            s.append(syn.mon.s[:, 0].copy())
            v.append(neu1.mon.V[:, 0].copy())
        return np.concatenate(s), np.concatenate(v)

    s1, v1 = traces([30.])
    for parts in ([15., 15.], [19.3, 10.7]):
        s2, v2 = traces(parts)
        assert s2.shape == s1.shape
        np.testing.assert_allclose(s2, s1, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(v2, v1, rtol=1e-12, atol=1e-12)


def test_hh_rates_at_their_removable_singularities():
    """α_m and α_n are 0/0 at V = −40 and −55 mV (§3.2); the limit must be
    used there: the run from exactly −40 (or −55) stays finite and close
    to the run from a neighbouring voltage."""
    for v_start in (-40.0, -55.0):
        out = []
        for v in (v_start, v_start + 1e-7):
            neu = bp.neurons.HH(1, monitors=['V'])
            neu.V = bp.ops.ones(neu.V.shape) * v
            bp.Network(neu).run(5.)
            out.append(neu.mon.V[:, 0])
        assert np.all(np.isfinite(out[0]))
        np.testing.assert_allclose(out[0], out[1], atol=1e-4)


def test_synapse_weights_are_engine_views():
    """``syn.w`` of a current model is the per-synapse weight in the engine
    (BrainModels: w = ones(size)·0.2); writing it changes the run, and the
    weight parameter of a conductance model (g_max) sets the same weights."""
    def current(**kw):
        pre = bp.neurons.SpikeTimeInput(2, times=[1.0, 1.0], indices=[0, 1])
        post = bp.neurons.LIF(1, monitors=['V'], V_th=1e9)
        syn = bp.synapses.Exponential(pre=pre, post=post, conn=bp.connect.All2All(), **kw)
        return pre, post, syn

    _, post, syn = current()
    np.testing.assert_array_equal(syn.w, [0.1, 0.1])  # BrainModels' default w
    syn.w = np.array([1.0, 2.0])
    np.testing.assert_array_equal(syn.w, [1.0, 2.0])
    bp.Network(syn.pre, syn, post).run(3.)
    I, _ = recovered_input(post.mon.V[:, 0])
    assert I[10] == pytest.approx(3.0)  # both spikes at 1.0 ms, s = 1 each: 1 + 2
    # g_max does not weight a current output: the weights stay w.
    _, _, syn = current(g_max=np.array([5.0, 7.0]))
    np.testing.assert_array_equal(syn.w, [0.1, 0.1])
    # Conductance model: setting g_max after construction sets the weights.
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0], indices=[0])
    post = bp.neurons.LIF(2)
    ampa = bp.synapses.AMPA(pre=pre, post=post, conn=bp.connect.All2All(), g_max=np.array([0.5, 0.7]))
    np.testing.assert_array_equal(ampa.w, [0.5, 0.7])
    ampa.g_max = 0.3
    np.testing.assert_array_equal(ampa.w, [0.3, 0.3])
    # Other parameters are built into the engine: changing them must not pass silently.
    with pytest.raises(ValueError):
        ampa.alpha = 2.0
    assert ampa.alpha == 0.98


@pytest.mark.parametrize("post_refractory", [False, True])
@pytest.mark.parametrize("layout", ["synapse", "pre"])
def test_voltage_jump_post_refractory(post_refractory, layout):
    """post_refractory skips the jump while the post neuron is refractory
    (§4.1). The post neuron spikes at step 0 (t_ref = 1 ms: refractory
    through 1.0 ms); pre spikes at 0.5 ms (inside) and 3.0 ms (outside)."""
    pre = bp.neurons.SpikeTimeInput(1, times=[0.5, 3.0], indices=[0, 0])
    post = bp.neurons.LIF(1, monitors=['V'])
    syn = bp.synapses.Voltage_jump(pre=pre, post=post, conn=bp.connect.All2All(), weight=2.0,
                                   post_refractory=post_refractory, layout=layout)
    I = np.zeros(50)
    I[0] = 3000.  # one Euler step to V = 0.01·3000 = 30 ≥ V_th: spike, V = V_reset = −5
    bp.Network(pre, syn, post).run(5., inputs=(post, 'input', I))
    v = post.mon.V[:, 0]
    assert v[0] == -5.0
    # While refractory LIF holds V, so a jump at step 5 stays visible.
    assert v[5] == (-5.0 if post_refractory else -3.0)
    # At 3.0 ms the neuron is free again: the jump happens in both cases.
    assert v[30] - v[29] > 1.5


def test_method_and_parameter_checks():
    pre, post = bp.neurons.LIF(2), bp.neurons.LIF(2)
    conn = bp.connect.All2All()
    # 'exact' is the matrix exponential of linear kinetics only.
    for cls in (bp.synapses.NMDA, bp.synapses.AMPA, bp.synapses.GABAb1):
        with pytest.raises(ValueError, match="linear"):
            cls(pre=pre, post=post, conn=conn, method='exact')
    with pytest.raises(ValueError, match="unknown method"):
        bp.synapses.Alpha(pre=pre, post=post, conn=conn, method='rk5')
    with pytest.raises(ValueError):
        bp.synapses.Two_exponentials(pre=pre, post=post, conn=conn, tau1=0.)
    with pytest.raises(TypeError):
        bp.synapses.Exponential(pre=pre, post=post, conn=conn, tau_decay=3.)
    with pytest.raises(ValueError):
        bp.synapses.Voltage_jump(pre=pre, post=post, conn=conn, output='current')
    assert bp.synapses.Alpha(pre=pre, post=post, conn=conn).method == 'euler'  # BrainModels default (§4.2)
    assert bp.synapses.Exponential(pre=pre, post=post, conn=conn).method == 'exponential_euler'
