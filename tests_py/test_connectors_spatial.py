"""GaussianWeight, DOG and GaussianProb (spatial rules) and the random
graphs (SmallWorld, ScaleFreeBA, ScaleFreeBADual, PowerLaw): the
deterministic rules against BrainPy 1.0.3's output
(tests_py/reference/make_brainpy1_measures.py), the random ones against
their definitions."""

import json
import os

import numpy as np
import pytest

import brainsyn as bp
from brainsyn import errors

REF = json.load(open(os.path.join(os.path.dirname(__file__), "reference", "brainpy1_measures.json")))


@pytest.mark.parametrize("case", REF["connect"], ids=lambda c: c["kind"])
def test_weighted_rules_match_brainpy(case):
    kw = {k: (tuple(v) if isinstance(v, list) else v) for k, v in case.items()
          if k not in ("kind", "pre", "post", "pre_ids", "post_ids", "weights")}
    c = getattr(bp.connect, case["kind"])(**kw)(tuple(case["pre"]), tuple(case["post"]))
    assert c.pre_ids.tolist() == case["pre_ids"]
    assert c.post_ids.tolist() == case["post_ids"]
    np.testing.assert_allclose(c.weights, case["weights"], rtol=1e-13)


def test_gaussian_weights_reach_a_synapse_in_order():
    pre, post = bp.neurons.LIF((4, 4)), bp.neurons.LIF((4, 4))
    conn = bp.connect.GaussianWeight(sigma=0.3, w_max=2.)
    syn = bp.synapses.Exponential(pre=pre, post=post, conn=conn)
    syn.w = conn.weights
    k = np.flatnonzero((conn.pre_ids == 5) & (conn.post_ids == 5))
    assert syn.w[k] == pytest.approx(2.)  # distance 0: w_max


def test_gaussian_prob_connects_with_its_probability():
    """On a 30×30 grid (810 000 candidate pairs) the fraction connected at
    each distance is exp(−d²/(2σ²)) within 5 binomial standard errors."""
    side, sigma = 30, 0.15
    c = bp.connect.GaussianProb(sigma=sigma, seed=3)((side, side), (side, side))
    r, q = np.array(np.divmod(np.arange(side * side), side)) / (side - 1)
    d2_all = (r[:, None] - r[None, :]) ** 2 + (q[:, None] - q[None, :]) ** 2
    p_all = np.exp(-d2_all / (2 * sigma ** 2))
    hit = np.zeros_like(p_all, dtype=bool)
    hit[c.pre_ids, c.post_ids] = True
    for lo, hi in ((0.02, 0.1), (0.1, 0.3), (0.3, 0.6), (0.6, 0.9)):
        band = (p_all > lo) & (p_all <= hi)
        n, want = band.sum(), p_all[band].sum()
        assert abs(hit[band].sum() - want) < 5 * np.sqrt((p_all[band] * (1 - p_all[band])).sum()), (lo, hi, n)
    same = bp.connect.GaussianProb(sigma=sigma, seed=3)((side, side), (side, side))
    assert np.array_equal(same.pre_ids, c.pre_ids) and np.array_equal(same.post_ids, c.post_ids)
    other = bp.connect.GaussianProb(sigma=sigma, seed=4)((side, side), (side, side))
    assert not np.array_equal(other.post_ids[:500], c.post_ids[:500])


def test_gaussian_prob_p_min_and_self():
    c = bp.connect.GaussianProb(sigma=0.2, p_min=0.5, include_self=False, seed=1)((10, 10), (10, 10))
    r, q = np.array(np.divmod(np.arange(100), 10)) / 9.
    d2 = (r[c.pre_ids] - r[c.post_ids]) ** 2 + (q[c.pre_ids] - q[c.post_ids]) ** 2
    assert np.all(np.exp(-d2 / 0.08) > 0.5) and not np.any(c.pre_ids == c.post_ids)


def _mat(c, n):
    return c.requires('conn_mat').astype(bool)


def test_small_world_without_rewiring_is_the_ring_lattice():
    n, k = 40, 6
    m = _mat(bp.connect.SmallWorld(k, 0., seed=1)(n, n), n)
    want = np.zeros((n, n), dtype=bool)
    for d in range(1, k // 2 + 1):
        for u in range(n):
            want[u, (u + d) % n] = want[(u + d) % n, u] = True
    np.testing.assert_array_equal(m, want)


@pytest.mark.parametrize("directed", [False, True])
def test_small_world_rewires_about_prob_of_the_edges(directed):
    n, k, p = 400, 10, 0.2
    lattice = _mat(bp.connect.SmallWorld(k, 0.)(n, n), n)
    m = _mat(bp.connect.SmallWorld(k, p, directed=directed, seed=7)(n, n), n)
    assert not m.diagonal().any()
    assert m.sum() == lattice.sum()  # rewiring moves edges, keeps their number
    if not directed:
        assert np.array_equal(m, m.T)
    moved = (lattice & ~m).sum() / lattice.sum()
    # Each edge is drawn once from each end (directed: out and in), so a
    # little more than p of them move.
    assert p * 0.8 < moved < (2 * p if directed else 1.5 * p), moved


def test_scale_free_ba_grows_by_m_edges_per_neuron_preferentially():
    n, m = 300, 3
    degrees, first = [], []
    for seed in range(10):
        a = _mat(bp.connect.ScaleFreeBA(m, seed=seed)(n, n), n)
        assert np.array_equal(a, a.T) and not a.diagonal().any()
        assert a.sum() == 2 * m * (n - m)  # m new edges per neuron after the first m
        deg = a.sum(axis=1)
        assert np.all(deg[m:] >= m)
        first.append(deg[:m].mean())
        degrees.append(deg[-50:].mean())
    # Preferential attachment: the oldest neurons gather far more edges
    # than the youngest (for BA, degree ~ m·sqrt(n/i)).
    assert np.mean(first) > 4 * np.mean(degrees)
    directed = _mat(bp.connect.ScaleFreeBA(m, directed=True, seed=1)(n, n), n)
    assert directed.sum() == m * (n - m) and np.all(directed.sum(axis=1)[m:] == m)


def test_scale_free_ba_dual_mixes_its_two_counts():
    n = 400
    a = _mat(bp.connect.ScaleFreeBADual(1, 4, 0.5, directed=True, seed=2)(n, n), n)
    out = a.sum(axis=1)[4:]
    assert set(out.tolist()) == {1, 4}
    assert 0.4 < np.mean(out == 1) < 0.6
    assert np.all(a.sum(axis=1)[4:] == out)


def test_power_law_triangles_raise_clustering():
    def clustering(a):
        a = a.astype(float)
        tri = np.diag(a @ a @ a).sum()
        deg = a.sum(axis=1)
        return tri / (deg * (deg - 1)).sum()
    n, m = 500, 4
    c0 = np.mean([clustering(_mat(bp.connect.PowerLaw(m, 0., seed=s)(n, n), n)) for s in range(4)])
    c1 = np.mean([clustering(_mat(bp.connect.PowerLaw(m, 0.9, seed=s)(n, n), n)) for s in range(4)])
    assert c1 > 3 * c0, (c0, c1)


@pytest.mark.parametrize("make, match", [
    (lambda: bp.connect.SmallWorld(5, 1.5), "prob must be a number in"),
    (lambda: bp.connect.SmallWorld(50, 0.1)(10, 10).pre_ids, "more than the 10 neurons"),
    (lambda: bp.connect.SmallWorld(2, 0.1)((3, 3), (3, 3)).pre_ids, "1-D group"),
    (lambda: bp.connect.ScaleFreeBA(0), "m must be an int >= 1"),
    (lambda: bp.connect.ScaleFreeBA(5)(5, 5).pre_ids, "needs m < n"),
    (lambda: bp.connect.ScaleFreeBA(2)(5, 6).pre_ids, "connects a group to itself"),
    (lambda: bp.connect.PowerLaw(3, -0.1), "p must be a number in"),
    (lambda: bp.connect.GaussianProb(sigma=0.), "sigma must be a finite number > 0"),
    (lambda: bp.connect.DOG(1., (1., 2.)), "pairs"),
    (lambda: bp.connect.GaussianWeight(0.2, 1.)((2, 2, 2), (2, 2, 2)).pre_ids, "1-D or 2-D group"),
])
def test_bad_arguments_are_named(make, match):
    with pytest.raises(errors.BrainsynError, match=match):
        make()
