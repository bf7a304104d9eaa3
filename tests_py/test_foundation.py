"""The first slice of the BrainPy 1.0 surface: LIF → AMPA → LIF.

Reference numbers are the tutorial's (BrainPy handbook §2.1, re-simulated
in reference §5.6): pre spikes at 8.4 and 19.2 ms, s of synapse 0 peaks at
0.6542 at 22.1 ms and ends at 0.1607.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

import brainsyn as bp

bm = bp


def tutorial_ampa(**kw):
    neu1 = bm.neurons.LIF(2, monitors=['V'])
    neu2 = bm.neurons.LIF(3, monitors=['V'])
    syn = bm.synapses.AMPA(pre=neu1, post=neu2, conn=bp.connect.All2All(), monitors=['s'], T_duration=3., **kw)
    net = bp.Network(neu1, syn, neu2)
    net.run(30., inputs=(neu1, 'input', 35.))
    return neu1, syn, neu2, net


@pytest.mark.parametrize("layout", ["auto", "synapse", "pre"])
def test_tutorial_ampa_numbers(layout):
    neu1, syn, neu2, net = tutorial_ampa(layout=layout)
    assert syn.mon.s.shape == (300, 6)
    assert neu1.mon.V.shape == (300, 2)
    assert net.ts.shape == (300,)
    spikes = net.ts[np.nonzero(neu1.mon.V[:, 0] == -5.0)[0]]
    first = [t for k, t in enumerate(spikes) if k == 0 or spikes[k - 1] < t - 0.15]
    np.testing.assert_allclose(first, [8.4, 19.2], atol=1e-9)
    s = syn.mon.s[:, 0]
    i = int(np.argmax(s))
    assert net.ts[i] == pytest.approx(22.1)
    assert s[i] == pytest.approx(0.6542, abs=1e-3)
    assert s[-1] == pytest.approx(0.1607, abs=1e-3)
    assert s[113] == pytest.approx(0.6334, abs=1e-3)  # end of the first pulse, 11.3 ms


def test_line_plot_draws_the_monitor():
    _, syn, _, net = tutorial_ampa()
    import matplotlib.pyplot as plt
    fig = plt.figure()
    ax = bp.visualize.line_plot(net.ts, syn.mon.s, ylabel='s', show=False)
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, net.ts)
    np.testing.assert_array_equal(y, syn.mon.s[:, 0])
    plt.close(fig)


def test_state_is_a_zero_copy_view():
    neu = bm.neurons.LIF(3)
    v = neu.V
    assert not v.flags.owndata
    neu.V = bp.ops.ones(neu.V.shape) * -10.
    assert v[0] == -10.0  # same memory
    net = bp.Network(neu)
    neu.input  # views exist for every variable
    net.run(0.1)
    # one Euler step from -10 with no input: V + dt*(-V)/tau
    np.testing.assert_allclose(v, -10 + 0.1 * (10.0 / 10.0))


def test_repeated_runs_continue_the_state():
    a = bm.neurons.LIF(1, monitors=['V'])
    net = bp.Network(a)
    net.run(10., inputs=(a, 'input', 30.))
    first = a.mon.V.copy()
    net.run(10., inputs=(a, 'input', 30.))
    b = bm.neurons.LIF(1, monitors=['V'])
    bp.Network(b).run(20., inputs=(b, 'input', 30.))
    # Times restart at 0, so compare values only up to the refractory rule,
    # which uses absolute spike times; before the first spike they agree.
    np.testing.assert_array_equal(first, b.mon.V[:100])
    assert a.mon.V.shape == (100, 1)
    assert a.V[0] != 0.0


def test_input_ops_and_iter_values():
    dt = 0.1
    n = 5
    g = bm.neurons.LIF(2, monitors=['V'], tau=1e9, t_refractory=0.)
    I = np.arange(n, dtype=float)[:, None] * np.ones((1, 2))
    bp.Network(g).run(n * dt, inputs=[(g, 'input', I), (g, 'input', 2., '*')])
    # V_{k+1} = V_k + dt*(-V_k + 2*I_k)/tau ≈ V_k + dt*2*I_k/tau
    expect = np.cumsum(dt * 2 * np.arange(n) / 1e9)
    np.testing.assert_allclose(g.mon.V[:, 0], expect, rtol=1e-9)
    h = bm.neurons.LIF(2, monitors=['V'])
    bp.Network(h).run(0.2, inputs=(h, 'V', 7., '='))
    np.testing.assert_allclose(h.mon.V[:, 0], 7 + 0.1 * (-7.0 / 10.0))


def test_constant_current_shapes():
    I, dur = bp.inputs.constant_current([(25, 20), (0, 1000)])
    assert I.shape == (10200,) and dur == 1020.0
    assert np.all(I[:200] == 25) and np.all(I[200:] == 0)


def test_backend_dt_is_used_at_run_time():
    bp.backend.set(dt=0.05)
    g = bm.neurons.LIF(1, monitors=['V'])
    net = bp.Network(g)
    net.run(1.0)
    assert g.mon.V.shape == (20, 1)
    np.testing.assert_allclose(net.ts, np.arange(0, 1.0, 0.05))


def test_one2one_and_all2all_ids():
    pre, post = bp.connect.All2All()(2, 3).requires('pre_ids', 'post_ids')
    np.testing.assert_array_equal(pre, [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(post, [0, 1, 2, 0, 1, 2])
    pre, post = bp.connect.One2One()(4, 4).requires('pre_ids', 'post_ids')
    np.testing.assert_array_equal(pre, np.arange(4))
    np.testing.assert_array_equal(post, np.arange(4))


def test_bad_input_raises_named_errors():
    g = bm.neurons.LIF(2)
    net = bp.Network(g)
    with pytest.raises(ValueError, match="duration"):
        net.run(-1.)
    with pytest.raises(KeyError, match="inputt"):
        net.run(1., inputs=(g, 'inputt', 1.))
    with pytest.raises(ValueError, match="shape"):
        net.run(1., inputs=(g, 'input', np.ones(3)))
    with pytest.raises(ValueError, match="One2One"):
        bm.synapses.AMPA(pre=g, post=bm.neurons.LIF(3), conn=bp.connect.One2One())
    with pytest.raises(ValueError, match="NaN"):
        net.run(1., inputs=(g, 'input', np.nan))
    with pytest.raises(ValueError, match="LIF.*input contains NaN or inf"):
        net.run(1., inputs=(g, 'input', [1., np.inf]))
    with pytest.raises(TypeError, match="LIF.*input must be a number or an array of numbers, got 'x'"):
        net.run(1., inputs=(g, 'input', 'x'))
    for seed in (2**64, -1, 1.5):  # 2**64 was a JSON error from the engine
        with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*64\)"):
            bp.connect.FixedProb(0.5, seed=seed)
        with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*64\)"):
            bp.neurons.PoissonInput(2, freqs=10., seed=seed)
    assert bp.connect.FixedProb(0.5, seed=2**64 - 1)(3, 3).pre_ids.size >= 0
    with pytest.raises(TypeError, match="tauu"):
        bm.neurons.LIF(2, tauu=3)
    with pytest.raises(ValueError, match="tau"):
        bm.neurons.LIF(2, tau=-1.)


def test_engine_errors_through_each_layer():
    from brainsyn import _native
    # gopy layer: a handle that does not exist
    with pytest.raises(ValueError, match="invalid handle"):
        _native.call("Info", 987654321)
    # C ABI layer: bad handle and bad size
    with pytest.raises(ValueError, match="invalid handle"):
        _native.var_view(987654321, "V")
    syn = bm.synapses.Exponential(bm.neurons.LIF(2), bm.neurons.LIF(2), bp.connect.All2All())
    with pytest.raises(ValueError, match="weights have 3 values for 4 synapses"):
        _native.set_array(syn._handle, "w", np.ones(3))
    with pytest.raises(KeyError, match="no variable"):
        _native.var_view(syn._handle, "nope")


def test_interpreter_survives_hostile_calls():
    code = textwrap.dedent("""
        import ctypes, brainsyn
        from brainsyn import _native
        errs = 0
        for h in (-1, 0, 2**62):
            for f in (lambda: _native.var_view(h, "V"), lambda: _native.call("Run", h, 10),
                      lambda: _native.call("Begin", h, 10, 0.1, 0.0, False, "[]"),
                      lambda: _native.call("NewNetwork", "[%d]" % h, '["x"]'),
                      lambda: _native.set_array(h, "w", [1.0])):
                try:
                    f()
                except brainsyn.errors.BrainsynError:
                    errs += 1
        print("survived", errs)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "survived 15" in out.stdout


def test_closed_network_raises():
    g = bm.neurons.LIF(1)
    net = bp.Network(g)
    net.close()
    with pytest.raises(bp.errors.ClosedError, match="closed"):
        net.run(1.)


def test_native_loop_is_chunked_not_per_step(monkeypatch):
    from brainsyn import _native
    calls = []
    real = _native.call

    def spy(name, *a):
        calls.append(name)
        return real(name, *a)
    monkeypatch.setattr(_native, "call", spy)
    g = bm.neurons.LIF(10)
    bp.Network(g).run(100.)  # 1000 steps
    assert calls.count("RunFor") < 20


def test_two_inputs_to_one_variable_apply_in_order():
    def v(inputs):
        g = bm.neurons.LIF(3, monitors=['V'])
        bp.Network(g).run(5., inputs=[(g,) + i for i in inputs])
        return g.mon.V
    np.testing.assert_array_equal(v([('input', 10.), ('input', 5.)]), v([('input', 15.)]))
    np.testing.assert_array_equal(v([('input', 10., '='), ('input', 2., '*')]), v([('input', 20.)]))
    np.testing.assert_array_equal(v([('input', 2., '*'), ('input', 10., '=')]), v([('input', 10.)]))
    assert not np.array_equal(v([('input', 10.)]), v([('input', 20.)]))
