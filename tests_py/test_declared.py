"""Models declared for the engine (bp.NativeSynapse): the chapter's AMPA,
NMDA and dual exponential written as declarations must give the numbers of
the built-in models (which are written in Go by hand) to 1e-10, and the
chapter's reference values (reference §5.6)."""

import numpy as np
import pytest

import brainsyn as bp
from declared_models import AMPA, NMDA, TwoExp


def run_syn(make, n_pre=2, n_post=3, conn=None, duration=30., I=35.):
    neu1 = bp.neurons.LIF(n_pre, monitors=['V'])
    neu2 = bp.neurons.LIF(n_post, monitors=['V'])
    syn = make(neu1, neu2, conn or bp.connect.All2All())
    net = bp.Network(neu1, syn, neu2)
    net.run(duration, inputs=(neu1, 'input', I))
    return syn, neu2, net


def test_declared_ampa_gives_the_tutorial_numbers():
    syn, _, net = run_syn(lambda a, b, c: AMPA(a, b, c, monitors=['s'], T_duration=3.))
    s = syn.mon.s[:, 0]
    assert s.max() == pytest.approx(0.6542, abs=1e-3)
    assert net.ts[s.argmax()] == pytest.approx(22.1)
    assert s[-1] == pytest.approx(0.1607, abs=1e-3)


@pytest.mark.parametrize("declared,builtin", [
    (lambda a, b, c: AMPA(a, b, c, monitors=['s'], output='conductance', g_max=0.42, E=0., T_duration=3.),
     lambda a, b, c: bp.synapses.AMPA(a, b, c, monitors=['s'], T_duration=3.)),
    (lambda a, b, c: NMDA(a, b, c, monitors=['s'], output='current', w=0.5),
     lambda a, b, c: bp.synapses.NMDA(a, b, c, monitors=['s'], output='current', g_max=0.5, method='rk4')),
    (lambda a, b, c: TwoExp(a, b, c, monitors=['s'], output='current', w=0.2),
     lambda a, b, c: bp.synapses.Two_exponentials(a, b, c, monitors=['s'], method='rk4', layout='pre')),
])
def test_declared_equals_builtin(declared, builtin):
    conn = lambda: bp.connect.FixedProb(0.3, seed=5)  # noqa: E731
    d, post_d, _ = run_syn(declared, 20, 15, conn(), duration=60., I=25.)
    b, post_b, _ = run_syn(builtin, 20, 15, conn(), duration=60., I=25.)
    assert d.mon.s.max() > 0.05  # the synapses were driven
    np.testing.assert_allclose(d.mon.s, b.mon.s, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(post_d.mon.V, post_b.mon.V, rtol=1e-10, atol=1e-10)


def test_exponential_euler_coefficient_is_traced():
    # For ds/dt = -s/tau the exponential Euler step is exact: s·e^{-dt/tau}.
    class Decay(bp.NativeSynapse):
        state = {'s': 0.}
        params = dict(tau=4.)
        spike_var = 's'
        method = 'exponential_euler'

        @staticmethod
        def derivative(s, t, tau):
            return -s / tau
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0], indices=[0])
    post = bp.neurons.LIF(1)
    syn = Decay(pre, post, bp.connect.All2All(), monitors=['s'])
    net = bp.Network(pre, syn, post)
    net.run(10.)
    s = syn.mon.s[:, 0]
    k = int(np.argmax(s))
    expect = np.exp(-0.1 * np.arange(len(s) - k) / 4.)
    np.testing.assert_allclose(s[k:], expect, rtol=1e-12)


def test_bad_declarations_raise():
    class Branchy(bp.NativeSynapse):
        state = {'s': 0.}

        @staticmethod
        def derivative(s, t):
            return -s if s > 0 else s
    g = bp.neurons.LIF(2)
    with pytest.raises(TypeError, match="where"):
        Branchy(g, g, bp.connect.All2All())

    class Unknown(bp.NativeSynapse):
        state = {'s': 0.}

        @staticmethod
        def derivative(s, t, gamma):
            return -s * gamma
    with pytest.raises(TypeError, match="gamma"):
        Unknown(g, g, bp.connect.All2All())
    with pytest.raises(TypeError, match="alphaa"):
        AMPA(g, g, bp.connect.All2All(), alphaa=1.)
    # Non-finite numbers are named (a NaN parameter used to be reported as
    # the graph node's "value").
    with pytest.raises(bp.errors.BrainsynValueError, match="AMPA: alpha must be a finite number, got nan"):
        AMPA(g, g, bp.connect.All2All(), alpha=float("nan"))

    class Start(bp.NativeSynapse):
        state = {'s': float("inf")}

        @staticmethod
        def derivative(s, t):
            return -s
    with pytest.raises(bp.errors.BrainsynValueError, match="the initial s must be a finite number, got inf"):
        Start(g, g, bp.connect.All2All())
