"""Rate-based learning rules (Oja, BCM) through the Python API: Brian2
reference traces, closed forms, the BrainPy 1.0 interface (RateGroup,
inputs to 'r' with '=', monitors of w, r and r_th, checkpoints) and errors.

The traces in ``reference/brian2_rate.npz`` were made by
``reference/make_brian2_rate.py`` (Brian2, forward Euler at dt = 0.005 ms,
samples every 0.1 ms at the end of the step, in brainsyn's order: y, then
the threshold, then the weights). Monitor row k holds the state after the
step at k·dt, as the sample at k·dt. Errors are max |brainsyn − Brian2|
divided by max |Brian2|; what remains is the Euler error of the coarser
step (seen ≤ 0.7 % at dt = 0.1 ms); the tolerance is 1 %, and a wrong
learning rate breaks it (test_a_wrong_rate_is_seen).
"""

import json
import os

import numpy as np
import pytest

import brainsyn as bp

HERE = os.path.dirname(os.path.abspath(__file__))
REF = np.load(os.path.join(HERE, "reference", "brian2_rate.npz"))
with open(os.path.join(HERE, "reference", "brian2_rate.json")) as f:
    META = json.load(f)
T_REC = META["record_dt_ms"]
TOL = 0.01


def _err(a, ref):
    return float(np.max(np.abs(a - ref)) / np.max(np.abs(ref)))


def run_ref(name, dt=0.1, **over):
    m = META[name]
    nseg = int(round(m["duration"] / m["segment"]))
    x = np.array([m["patterns"][s % len(m["patterns"])] for s in range(nseg)], dtype=float)
    old = bp.backend.get_dt()
    bp.backend.set_dt(dt)
    try:
        X = np.repeat(x, int(round(m["segment"] / dt)), axis=0)
        pre = bp.neurons.RateGroup(x.shape[1], monitors=["r"])
        post = bp.neurons.RateGroup(m["n_post"], monitors=["r"])
        mons = ["w"] + (["r_th"] if name == "BCM" else [])
        syn = getattr(bp.synapses, name)(pre, post, bp.connect.All2All(), w=np.array(m["w0"]), monitors=mons,
                                         **{**m["params"], **over})
        bp.Network(pre, syn, post).run(m["duration"], inputs=(pre, "r", X, "="))
    finally:
        bp.backend.set_dt(old)
    return pre, post, syn


@pytest.mark.parametrize("dt", [0.1, 0.05])
@pytest.mark.parametrize("name", ["Oja", "BCM"])
def test_matches_brian2(name, dt):
    pre, post, syn = run_ref(name, dt)
    got = {"w": syn.mon.w, "r": post.mon.r}
    if name == "BCM":
        got["r_th"] = syn.mon.r_th
    r = int(round(T_REC / dt))
    for v, a in got.items():
        ref = REF[f"{name}__{v}"]
        err = _err(a[::r][:ref.shape[0]], ref)
        assert err < TOL, f"{name} {v} at dt {dt}: error {err:.3g} of peak"
    if name == "BCM":  # the stronger input wins
        assert syn.mon.w[-1, 0] == META["BCM"]["params"]["w_max"] and syn.mon.w[-1, 1] < 0.5


@pytest.mark.parametrize("name,param", [("Oja", "gamma"), ("BCM", "lr")])
def test_a_wrong_rate_is_seen(name, param):
    pre, post, syn = run_ref(name, 0.1, **{param: 1.2 * META[name]["params"][param]})
    assert _err(syn.mon.w[::1], REF[f"{name}__w"]) > TOL


def test_oja_converges_to_the_principal_eigenvector():
    # Two patterns in alternate steps: C = (x1 x1ᵀ + x2 x2ᵀ)/2; w of the
    # post unit → the unit principal eigenvector of C (up to O(γ·dt)).
    x1, x2 = np.array([2., 1., 0.]), np.array([1., 1., 1.])
    C = (np.outer(x1, x1) + np.outer(x2, x2)) / 2
    lam, vec = np.linalg.eigh(C)
    v = np.abs(vec[:, -1])
    pre, post = bp.neurons.RateGroup(3), bp.neurons.RateGroup(1, monitors=["r"])
    syn = bp.synapses.Oja(pre, post, bp.connect.All2All(), gamma=0.002, monitors=["w"])
    n = int(round(6000. / bp.backend.get_dt()))
    X = np.where((np.arange(n) % 2 == 0)[:, None], x1, x2)
    bp.Network(pre, syn, post).run(6000., inputs=(pre, "r", X, "="))
    np.testing.assert_allclose(syn.w, v, atol=3e-3)
    assert abs(np.linalg.norm(syn.w) - 1) < 3e-3


def test_oja_single_step_and_bcm_threshold():
    pre, post = bp.neurons.RateGroup(2), bp.neurons.RateGroup(1, monitors=["r"])
    syn = bp.synapses.Oja(pre, post, bp.connect.All2All(), gamma=0.1, w=[0.3, 0.6])
    bp.Network(pre, syn, post).run(0.1, inputs=(pre, "r", np.array([1., 2.]), "="))
    y = 0.3 * 1 + 0.6 * 2
    want = np.array([0.3, 0.6]) + 0.1 * 0.1 * (y * np.array([1., 2.]) - y * y * np.array([0.3, 0.6]))
    np.testing.assert_allclose(syn.w, want, rtol=1e-14)
    assert post.mon.r[0, 0] == pytest.approx(y, rel=1e-15)

    pre, post = bp.neurons.RateGroup(2), bp.neurons.RateGroup(2, monitors=["r"])
    syn = bp.synapses.BCM(pre, post, bp.connect.All2All(), lr=0.05, monitors=["r_th", "w"])
    net = bp.Network(pre, syn, post)
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 2, size=(300, 2))
    net.run(30., inputs=(pre, "r", X, "="))
    y1 = post.mon.r.copy()
    n1 = np.arange(1, 301)[:, None]
    # r_th after step n is the mean of the post rates of steps 0..n
    np.testing.assert_allclose(syn.mon.r_th, np.cumsum(y1, axis=0) / n1, rtol=1e-12)
    assert np.all(syn.mon.w >= 0) and np.all(syn.mon.w <= 2)
    net.run(20., inputs=(pre, "r", X[:200], "="))  # the mean runs on across runs
    want = (y1.sum(axis=0) + np.cumsum(post.mon.r, axis=0)) / (300 + np.arange(1, 201)[:, None])
    np.testing.assert_allclose(syn.mon.r_th, want, rtol=1e-12)


def test_checkpoint_and_views(tmp_path):
    def build():
        pre, post = bp.neurons.RateGroup(3), bp.neurons.RateGroup(2)
        syn = bp.synapses.BCM(pre, post, bp.connect.All2All(), lr=0.02)
        return pre, post, syn, bp.Network(pre, syn, post)

    X = np.array([1.5, 0.5, 1.0])
    pre, post, syn, net = build()
    net.run(50., inputs=(pre, "r", X, "="))
    path = tmp_path / "bcm.npz"
    bp.save_state(net, path)
    net.run(50., inputs=(pre, "r", X, "="))
    want_w, want_th = np.array(syn.w), np.array(syn.r_th)
    pre2, post2, syn2, net2 = build()
    bp.load_state(net2, path)
    net2.run(50., inputs=(pre2, "r", X, "="))
    np.testing.assert_array_equal(np.array(syn2.w), want_w)
    np.testing.assert_array_equal(np.array(syn2.r_th), want_th)
    syn2.w = 0.5  # weights are engine views
    np.testing.assert_array_equal(np.array(syn2.w), 0.5)


def test_bad_input_names_the_problem():
    rg, lif = bp.neurons.RateGroup(2), bp.neurons.LIF(2)
    with pytest.raises(TypeError, match="pre must be a group of rate units"):
        bp.synapses.Oja(lif, rg, bp.connect.All2All())
    with pytest.raises(TypeError, match="post must be a group of rate units"):
        bp.synapses.BCM(rg, lif, bp.connect.All2All())
    with pytest.raises(ValueError, match="w_min must be <= w_max"):
        bp.synapses.BCM(rg, rg, bp.connect.All2All(), w_min=3., w_max=2.)
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        bp.synapses.Oja(rg, rg, bp.connect.All2All(), gamma=-1.)
    with pytest.raises(ValueError, match="no delay"):
        bp.synapses.Oja(rg, rg, bp.connect.All2All(), delay=1.)
    with pytest.raises(TypeError):
        bp.synapses.Oja(rg, rg, bp.connect.All2All(), tau=1.)
    with pytest.raises(ValueError, match="w has 3 values for 4 synapses"):
        bp.synapses.Oja(rg, rg, bp.connect.All2All(), w=[1., 2., 3.])
    syn = bp.synapses.Oja(rg, rg, bp.connect.All2All())
    with pytest.raises(ValueError, match="fixed when the synapse is built"):
        syn.gamma = 0.1
