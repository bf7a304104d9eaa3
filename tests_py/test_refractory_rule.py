"""LIF's refractory_rule: what ends the refractory period, in steps.

Under a drive so strong that one step from V_reset crosses V_th, every
interspike interval is the shortest the rule allows: n = t_refractory/dt
steps ('brian2'), n + 1 ('nest'), or either as rounding falls ('time',
the default, which the BrainPy 1.0 tutorial numbers rely on).
"""

import numpy as np
import pytest

import brainsyn as bp


def intervals(rule, t_ref, dt=0.1, n=13, duration=300.):
    bp.backend.set(dt=dt)
    kw = {} if rule is None else {"refractory_rule": rule}
    g = bp.neurons.LIF(n, monitors=bp.Monitor(['spike'], events=['spike']), V_rest=-60., V_reset=-60.,
                       V_th=-50., tau=20., t_refractory=t_ref, **kw)
    g.V = np.full(n, -60.)
    bp.Network(g).run(duration, inputs=[(g, 'input', 1e4)])
    ev = g.mon.spike
    idx, steps = np.asarray(ev["index"]), np.asarray(ev["i"]).astype(int)
    out = []
    for i in range(n):
        out.extend(np.diff(np.sort(steps[idx == i])))
    bp.backend.set(dt=0.1)
    return np.unique(out, return_counts=True)


@pytest.mark.parametrize("t_ref,n", [(2., 20), (5., 50), (1., 10)])
def test_step_rules_give_one_interval(t_ref, n):
    for rule, want in (("brian2", n), ("nest", n + 1)):
        k, _ = intervals(rule, t_ref)
        assert list(k) == [want], (rule, k)


def test_time_rule_is_the_default_and_unchanged():
    k0, c0 = intervals(None, 2.)
    k1, c1 = intervals("time", 2.)
    assert list(k0) == list(k1) and list(c0) == list(c1)
    # t − t_last ≤ 2 ms in floating point: mostly 21 steps, 20 for some.
    assert set(k0) <= {20, 21} and c0[list(k0).index(21)] > c0.sum() / 2


def test_rule_is_checked_and_fixed():
    with pytest.raises(bp.errors.BrainsynError):
        bp.neurons.LIF(2, refractory_rule="steps")
    with pytest.raises(bp.errors.BrainsynError):
        bp.neurons.LIF(2, refractory_rule=3)
    g = bp.neurons.LIF(2, refractory_rule="nest")
    assert g.refractory_rule == "nest"
    with pytest.raises(bp.errors.BrainsynError):
        g.refractory_rule = "brian2"
