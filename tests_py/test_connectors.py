"""Connectors (reference §2.4): exact ids for the regular rules, the
defining properties for the random ones, and ``requires`` structures that
agree with ``pre_ids``/``post_ids``. Expected neighbour sets are computed
here by brute force over all pairs."""

import itertools

import numpy as np
import pytest

import brainsyn as bp


def ids(conn, pre, post):
    c = conn(pre, post)
    return [(int(i), int(j)) for i, j in zip(c.pre_ids, c.post_ids)]


def test_all2all_row_major():
    # §2.4: 2×3 gives pre 0,0,0,1,1,1 and post 0,1,2,0,1,2.
    c = bp.connect.All2All()(2, 3)
    np.testing.assert_array_equal(c.pre_ids, [0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(c.post_ids, [0, 1, 2, 0, 1, 2])


@pytest.mark.parametrize("include_self", [True, False])
def test_all2all_include_self(include_self):
    want = [(i, j) for i in range(4) for j in range(5) if include_self or i != j]
    assert ids(bp.connect.All2All(include_self=include_self), 4, 5) == want


def test_one2one():
    assert ids(bp.connect.One2One(), 6, 6) == [(i, i) for i in range(6)]
    with pytest.raises(Exception):
        bp.connect.One2One()(3, 4).pre_ids


def grid_expected(h, w, offsets, include_self):
    out = []
    for p in range(h * w):
        r, c = divmod(p, w)
        row = []
        for dr, dc in offsets:
            if (dr, dc) == (0, 0) and not include_self:
                continue
            rr, cc = r + dr, c + dc
            if 0 <= rr < h and 0 <= cc < w:
                row.append(rr * w + cc)
        out += [(p, q) for q in sorted(row)]
    return out


FOUR = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]


def square(n):
    return list(itertools.product(range(-n, n + 1), repeat=2))


@pytest.mark.parametrize("include_self", [False, True])
@pytest.mark.parametrize("shape", [(3, 4), (5, 5), (4,)])
def test_grid_four_eight(shape, include_self):
    h, w = shape[0], (shape[1] if len(shape) > 1 else 1)
    assert ids(bp.connect.GridFour(include_self=include_self), shape, shape) == grid_expected(h, w, FOUR, include_self)
    assert ids(bp.connect.GridEight(include_self=include_self), shape, shape) == grid_expected(h, w, square(1), include_self)


@pytest.mark.parametrize("N", [1, 2, 3])
@pytest.mark.parametrize("include_self", [False, True])
def test_grid_n(N, include_self):
    got = ids(bp.connect.GridN(N=N, include_self=include_self), (5, 6), (5, 6))
    assert got == grid_expected(5, 6, square(N), include_self)


def test_grid_n_needs_an_int():
    for bad in (1.5, "2", None):  # 1.5 was used as 1
        with pytest.raises(bp.errors.BrainsynTypeError, match="GridN: N must be an int"):
            bp.connect.GridN(N=bad)


def test_grid_four_interior_degree():
    # A 10×10 grid: 4 neighbours inside, 3 on edges, 2 at corners; 2·(2·10·9) synapses.
    c = bp.connect.GridFour()((10, 10), (10, 10))
    deg = np.bincount(c.pre_ids, minlength=100).reshape(10, 10)
    assert deg[1:-1, 1:-1].min() == deg[1:-1, 1:-1].max() == 4
    assert deg[0, 0] == deg[9, 9] == 2
    assert c.pre_ids.size == 2 * 2 * 10 * 9


@pytest.mark.parametrize("include_self", [True, False])
def test_fixed_pre_num(include_self):
    n_pre, n_post, num = 12, 9, 4
    c = bp.connect.FixedPreNum(num, include_self=include_self, seed=3)(n_pre, n_post)
    pairs = set(zip(c.pre_ids.tolist(), c.post_ids.tolist()))
    assert len(pairs) == c.pre_ids.size == n_post * num  # distinct partners
    for j in range(n_post):
        pres = c.pre_ids[c.post_ids == j]
        assert pres.size == num
        if not include_self:
            assert j not in pres
    assert np.all(np.diff(c.pre_ids) >= 0)  # synapses grouped by pre


@pytest.mark.parametrize("include_self", [True, False])
def test_fixed_post_num(include_self):
    n_pre, n_post, num = 9, 12, 5
    c = bp.connect.FixedPostNum(num, include_self=include_self, seed=4)(n_pre, n_post)
    assert len(set(zip(c.pre_ids.tolist(), c.post_ids.tolist()))) == c.pre_ids.size == n_pre * num
    for i in range(n_pre):
        posts = c.post_ids[c.pre_ids == i]
        assert posts.size == num
        if not include_self:
            assert i not in posts


def test_fixed_num_fraction_and_limits():
    # A float in [0, 1) is a fraction of the other group: 0.3 of 10 = 3.
    c = bp.connect.FixedPostNum(0.3, seed=1)(5, 10)
    assert np.all(np.bincount(c.pre_ids, minlength=5) == 3)
    with pytest.raises(Exception):
        bp.connect.FixedPostNum(11, seed=1)(5, 10).pre_ids
    # Without self-connections a square group offers n − 1 candidates.
    with pytest.raises(Exception):
        bp.connect.FixedPreNum(5, include_self=False, seed=1)(5, 5).pre_ids
    c = bp.connect.FixedPreNum(4, include_self=False, seed=1)(5, 5)
    assert set(zip(c.pre_ids.tolist(), c.post_ids.tolist())) == {(i, j) for i in range(5) for j in range(5) if i != j}


def test_fixed_prob_count_and_seed():
    n, p = 100, 0.2
    a = bp.connect.FixedProb(p, seed=42)(n, n)
    mean, sd = n * n * p, np.sqrt(n * n * p * (1 - p))
    assert abs(a.pre_ids.size - mean) < 4 * sd
    b = bp.connect.FixedProb(p, seed=42)(n, n)
    np.testing.assert_array_equal(a.pre_ids, b.pre_ids)
    np.testing.assert_array_equal(a.post_ids, b.post_ids)
    c = bp.connect.FixedProb(p, seed=43)(n, n)
    assert not (a.pre_ids.size == c.pre_ids.size and np.array_equal(a.post_ids, c.post_ids))
    # No duplicate pairs; rows sorted by pre then post.
    key = a.pre_ids.astype(np.int64) * n + a.post_ids
    assert np.all(np.diff(key) > 0)
    # Per-row counts are binomial(n, p) too: their mean is within 4 standard errors.
    rows = np.bincount(a.pre_ids, minlength=n)
    assert abs(rows.mean() - n * p) < 4 * np.sqrt(n * p * (1 - p) / n)


def test_fixed_prob_include_self_and_edges():
    c = bp.connect.FixedProb(0.5, include_self=False, seed=7)(50, 50)
    assert not np.any(c.pre_ids == c.post_ids)
    assert bp.connect.FixedProb(0.0, seed=1)(10, 10).pre_ids.size == 0
    assert ids(bp.connect.FixedProb(1.0, seed=1), 3, 4) == [(i, j) for i in range(3) for j in range(4)]


@pytest.mark.parametrize("threads", [1, 2])
def test_same_seed_same_connectivity_any_threads(threads):
    bp.set_num_threads(1)
    ref = [bp.connect.FixedProb(0.1, seed=5)(300, 200), bp.connect.FixedPreNum(7, seed=5)(300, 200),
           bp.connect.FixedPostNum(7, seed=5)(300, 200)]
    bp.set_num_threads(threads)
    again = [bp.connect.FixedProb(0.1, seed=5)(300, 200), bp.connect.FixedPreNum(7, seed=5)(300, 200),
             bp.connect.FixedPostNum(7, seed=5)(300, 200)]
    for r, a in zip(ref, again):
        np.testing.assert_array_equal(r.pre_ids, a.pre_ids)
        np.testing.assert_array_equal(r.post_ids, a.post_ids)


def test_ij_and_mat_conn():
    i, j = [2, 0, 2, 1, 0], [1, 3, 0, 2, 0]
    # Stable sort by pre keeps the given order within a pre neuron.
    assert ids(bp.connect.IJConn(i, j), 3, 4) == [(0, 3), (0, 0), (1, 2), (2, 1), (2, 0)]
    m = np.zeros((3, 4))
    m[i, j] = 1
    assert ids(bp.connect.MatConn(m), 3, 4) == [(0, 0), (0, 3), (1, 2), (2, 0), (2, 1)]
    with pytest.raises(Exception):
        bp.connect.MatConn(m)(4, 4)
    with pytest.raises(Exception):
        bp.connect.IJConn([0, 5], [0, 0])(3, 3).pre_ids


def test_matrix_helpers_round_trip_and_refuse_bad_input():
    i, j = [2, 0, 2, 1, 0], [1, 3, 0, 2, 0]
    m = bp.connect.ij2mat(i, j)
    assert m.shape == (3, 4) and m.sum() == 5 and all(m[a, b] == 1 for a, b in zip(i, j))
    assert bp.connect.ij2mat(i, j, 5, 6).shape == (5, 6)
    assert bp.connect.ij2mat([], []).shape == (0, 0)
    pre, post = bp.connect.mat2ij(m)
    assert sorted(zip(pre.tolist(), post.tolist())) == sorted(zip(i, j))
    # Negative indices used to wrap around and i, j of different lengths
    # to broadcast; NaN entries used to count as connections.
    with pytest.raises(bp.errors.BrainsynIndexError, match=r"i\[0\] = -1 is out of range for 3"):
        bp.connect.ij2mat([-1, 2], [0, 1])
    with pytest.raises(bp.errors.BrainsynIndexError, match=r"j\[1\] = 4 is out of range for 4"):
        bp.connect.ij2mat([0, 1], [0, 4], 3, 4)
    with pytest.raises(bp.errors.BrainsynValueError, match="2 entries but j has 1"):
        bp.connect.ij2mat([0, 1], [0])
    with pytest.raises(bp.errors.BrainsynValueError, match="must be an int >= 0, got 2.5"):
        bp.connect.ij2mat([0], [0], 2.5, 3)
    bad = np.ones((3, 4))
    bad[1, 2] = np.nan
    for f in (bp.connect.MatConn, bp.connect.mat2ij):
        with pytest.raises(bp.errors.BrainsynValueError, match=r"entry \(1, 2\) of the matrix is nan"):
            f(bad)
    with pytest.raises(bp.errors.BrainsynValueError, match="2-D matrix"):
        bp.connect.mat2ij(np.ones((2, 2, 2)))


CONNS = [lambda: bp.connect.All2All(include_self=False), lambda: bp.connect.FixedProb(0.3, seed=2),
         lambda: bp.connect.GridEight(), lambda: bp.connect.IJConn([3, 1, 1, 0, 3], [2, 0, 2, 2, 2])]


@pytest.mark.parametrize("make", CONNS)
def test_requires_consistent(make):
    size = (3, 4) if isinstance(make(), bp.connect.GridEight) else 12
    c = make()(size, size)
    n = 12
    pre, post = c.requires('pre_ids', 'post_ids')
    pairs = list(zip(pre.tolist(), post.tolist()))
    mat = c.requires('conn_mat')
    assert mat.shape == (n, n)
    want = np.zeros((n, n))
    for a, b in pairs:
        want[a, b] = 1
    np.testing.assert_array_equal(mat, want)
    pre2post, post2pre, pre2syn, post2syn = c.requires('pre2post', 'post2pre', 'pre2syn', 'post2syn')
    for i in range(n):
        assert sorted(pre2post[i].tolist()) == sorted(b for a, b in pairs if a == i)
        assert sorted(pre2syn[i].tolist()) == [k for k, (a, b) in enumerate(pairs) if a == i]
    for j in range(n):
        assert sorted(post2pre[j].tolist()) == sorted(a for a, b in pairs if b == j)
        assert sorted(post2syn[j].tolist()) == [k for k, (a, b) in enumerate(pairs) if b == j]
    for key, other, name in ((0, 1, 'pre_slice'), (1, 0, 'post_slice')):
        p, q, sl = c.requires('pre_ids', 'post_ids', name)
        assert sl.shape == (n, 2) and np.array_equal(c.requires(name), sl)
        sorted_ = (p, q)[key]
        assert np.all(np.diff(sorted_) >= 0)
        assert sorted(zip(p.tolist(), q.tolist())) == sorted(pairs)
        for x in range(n):
            a, b = sl[x]
            assert np.all(sorted_[a:b] == x) and (b - a) == sum(1 for pr in pairs if pr[key] == x)
    # BrainPy's form: the other structures of a call follow the slice's order.
    post, post2syn, sl = c.requires('post_ids', 'post2syn', 'post_slice')
    for j in range(n):
        assert post2syn[j].tolist() == list(range(*sl[j]))
    assert c.pre_ids.tolist() == [a for a, b in pairs]  # the connector's own order is unchanged
    with pytest.raises(Exception):
        c.requires('pre_slice', 'post_slice')


def test_conn_is_the_same_object():
    conn = bp.connect.All2All()
    assert conn(2, 3) is conn
