"""Exponential, Alpha and Two_exponentials against their closed forms.

One spike at t_s gives (s/x forms, x += 1 per spike):

* Exponential: s = exp(−(t − t_s)/τ)
* Alpha: s = (t − t_s)·exp(−(t − t_s)/τ)
* Two_exponentials: s = τ1τ2/(τ1 − τ2)·(exp(−(t − t_s)/τ1) − exp(−(t − t_s)/τ2))

Which step is t_s: the SpikeTimeInput runs first, so the synapse sees the
spike in the spike step k (reference §1.2); these models add the spike
after integrating (reference §4.1, "then x += spike"), so the state
recorded at step k is already (s, x) = (1,) or (0, 1): the initial value of
the closed form. Step i ≥ k therefore holds the closed form at
t_i − t_k, with t_s = t_k = k·dt. Spike times are chosen on the grid.
"""

import numpy as np
import pytest

import brainsyn as bp

SPIKES = [2.0, 7.5]  # on every grid used; two spikes check superposition
DURATION = 30.0


def kernel(model, p):
    if model == "Exponential":
        return lambda u: np.exp(-u / p["tau"])
    if model == "Alpha":
        return lambda u: u * np.exp(-u / p["tau"])
    t1, t2 = p["tau1"], p["tau2"]
    return lambda u: t1 * t2 / (t1 - t2) * (np.exp(-u / t1) - np.exp(-u / t2))


def analytic(model, p, ts):
    k = kernel(model, p)
    out = np.zeros_like(ts)
    for t_s in SPIKES:
        u = ts - t_s
        on = u > -1e-9
        out[on] += k(np.maximum(u[on], 0.0))
    return out


def simulate(model, p, method, dt, layout="auto"):
    bp.backend.set(dt=dt)
    pre = bp.neurons.SpikeTimeInput(1, times=SPIKES, indices=[0] * len(SPIKES))
    post = bp.neurons.LIF(2)
    cls = getattr(bp.synapses, model)
    syn = cls(pre=pre, post=post, conn=bp.connect.All2All(), monitors=['s'], method=method, layout=layout, **p)
    net = bp.Network(pre, syn, post)
    net.run(DURATION)
    return net.ts, syn.mon.s[:, 0]


CASES = [("Exponential", {"tau": 8.0}), ("Alpha", {"tau": 3.0}),
         ("Two_exponentials", {"tau1": 2.0, "tau2": 3.0}), ("Two_exponentials", {"tau1": 1.0, "tau2": 3.0})]


@pytest.mark.parametrize("layout", ["synapse", "pre", "post"])
@pytest.mark.parametrize("dt", [0.1, 0.05])
@pytest.mark.parametrize("model,p", CASES)
def test_exact_method_matches_closed_form(model, p, dt, layout):
    ts, s = simulate(model, p, "exact", dt, layout)
    np.testing.assert_allclose(s, analytic(model, p, ts), rtol=0, atol=1e-9)
    k = int(round(SPIKES[0] / dt))
    assert s[k - 1] == 0.0  # nothing before the spike step


def test_exponential_default_method_is_exact():
    # exponential_euler is exact for ds/dt = −s/τ (reference §2.5).
    ts, s = simulate("Exponential", {"tau": 8.0}, None, 0.1)
    np.testing.assert_allclose(s, analytic("Exponential", {"tau": 8.0}, ts), rtol=0, atol=1e-12)


@pytest.mark.parametrize("method,order,lo,hi", [("euler", 1, 1.85, 2.15), ("rk4", 4, 14.5, 17.5)])
@pytest.mark.parametrize("model,p", CASES)
def test_error_order(model, p, method, order, lo, hi):
    """Halving dt divides the global error by about 2^order."""
    errs = []
    for j, dt in enumerate([0.1, 0.05]):
        ts, s = simulate(model, p, method, dt)
        e = np.abs(s - analytic(model, p, ts))[::2 ** j]  # the same times at both dt
        errs.append(e.max())
    assert errs[0] > (1e-5 if order == 1 else 1e-10)  # measurable, not rounding
    assert lo < errs[0] / errs[1] < hi, (errs, errs[0] / errs[1])


def test_current_output_is_w_times_s():
    """Current output: post.input += w·s, seen in post V (Euler LIF, §3.1)."""
    pre = bp.neurons.SpikeTimeInput(1, times=[1.0], indices=[0])
    post = bp.neurons.LIF(1, monitors=['V'], V_th=1e9)
    syn = bp.synapses.Alpha(pre=pre, post=post, conn=bp.connect.All2All(), tau=3.0, w=0.7, method="exact",
                            monitors=['s'])
    net = bp.Network(pre, syn, post)
    net.run(20.)
    v = post.mon.V[:, 0]
    v0 = np.concatenate([[0.0], v[:-1]])
    current = (v - v0) * 10.0 / 0.1 + v0  # V1 = V0 + dt(−V0 + I)/τ solved for I
    u = np.clip(net.ts - 1.0, 0.0, None)
    np.testing.assert_allclose(current, 0.7 * u * np.exp(-u / 3.0), rtol=1e-9, atol=1e-9)


ORDERS = {"euler": 1, "exponential_euler": 1, "midpoint": 2, "heun2": 2, "ralston2": 2, "rk2": 2, "rk3": 3,
          "heun3": 3, "ralston3": 3, "ssprk3": 3, "rk4": 4, "ralston4": 4, "rk4_38rule": 4}


@pytest.mark.parametrize("method", sorted(ORDERS))
def test_every_method_has_its_order(method):
    """Each explicit method of reference §2.5 on the dual exponential: the
    error ratio for dt 0.1 → 0.05 is 2^order within 12 %. (Exponential
    Euler treats each variable separately, which is first order for this
    coupled system.)"""
    p = {"tau1": 2.0, "tau2": 3.0}
    errs = []
    for j, dt in enumerate([0.1, 0.05]):
        ts, s = simulate("Two_exponentials", p, method, dt)
        errs.append(np.abs(s - analytic("Two_exponentials", p, ts))[::2 ** j].max())
    ratio = errs[0] / errs[1]
    assert abs(ratio / 2 ** ORDERS[method] - 1) < 0.12, (errs, ratio)
