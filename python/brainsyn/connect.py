"""Connectivity rules (``bp.connect``), built by the Go engine.

A connector is called as ``conn(pre.size, post.size)``; the call returns the
connector itself, so ``conn.requires('pre_ids', 'post_ids')`` works after it
(BrainPy 1.0 semantics, reference §2.4). Synapses are ordered by
presynaptic neuron and, for the generated rules, by postsynaptic neuron
within a row: All2All on 2×3 gives ``pre_ids = [0,0,0,1,1,1]`` and
``post_ids = [0,1,2,0,1,2]``.

Random rules take ``seed=``: the same seed gives the same connectivity on
every machine and for any thread count. Without a seed one is drawn from
NumPy's global generator, so ``np.random.seed`` makes runs repeatable.
"""

import numbers

import numpy as np

from . import _native, errors

__all__ = ["Connector", "All2All", "One2One", "FixedProb", "FixedPreNum", "FixedPostNum", "GridFour",
           "GridEight", "GridN", "IJConn", "MatConn", "all2all", "one2one", "grid_four", "grid_eight",
           "ij2mat", "mat2ij", "REQUIRES"]

REQUIRES = ("pre_ids", "post_ids", "conn_mat", "pre2post", "post2pre", "pre2syn", "post2syn",
            "pre_slice", "post_slice")


def _shape(size, what):
    if isinstance(size, numbers.Integral) and not isinstance(size, bool):
        shape = (int(size),)
    elif isinstance(size, (tuple, list)) and size and all(isinstance(s, numbers.Integral) for s in size):
        shape = tuple(int(s) for s in size)
    else:
        raise errors.BrainsynTypeError(f"{what} size must be an int or a tuple of ints, got {size!r}")
    if any(s <= 0 for s in shape):
        raise errors.BrainsynValueError(f"{what} size must be positive, got {size!r}")
    return shape


class Connector:
    """Base class: subclasses describe a rule; the engine builds it."""

    def __init__(self):
        self.pre_size = self.post_size = None
        self._handle = None
        self._ids = None

    def _spec(self):
        raise NotImplementedError

    def __call__(self, pre_size, post_size):
        pre, post = _shape(pre_size, "pre"), _shape(post_size, "post")
        if (pre, post) != (self.pre_size, self.post_size):
            self._drop()
            self.pre_size, self.post_size = pre, post
        return self

    @property
    def num_pre(self):
        return int(np.prod(self.pre_size))

    @property
    def num_post(self):
        return int(np.prod(self.post_size))

    def _build(self):
        return _native.new_conn(pre_shape=list(self.pre_size), post_shape=list(self.post_size), **self._spec())

    def handle(self):
        """The engine handle of the built connectivity."""
        if self.pre_size is None:
            raise errors.BrainsynValueError(
                f"{type(self).__name__} has no sizes yet; call it as conn(pre.size, post.size) first")
        if self._handle is None:
            self._handle = self._build()
        return self._handle

    def _drop(self):
        if self._handle is not None:
            _native.free(self._handle)
        self._handle, self._ids = None, None

    def __getstate__(self):
        # Copies and pickles carry the rule, not the engine handle: they build
        # their own connectivity when used (the same: the seed is fixed at construction).
        d = dict(self.__dict__)
        d["_handle"], d["_ids"] = None, None
        return d

    def __del__(self):
        try:
            self._drop()
        except Exception:
            pass

    @property
    def pre_ids(self):
        return self._pair()[0]

    @property
    def post_ids(self):
        return self._pair()[1]

    def _pair(self):
        if self._ids is None:
            h = self.handle()
            self._ids = (np.array(_native.conn_ids(h, 0)), np.array(_native.conn_ids(h, 1)))
        return self._ids

    def requires(self, *names):
        """Build and return the named structures (one value, or a tuple in order).

        Names: ``pre_ids``, ``post_ids``, ``conn_mat`` (num_pre × num_post of
        0/1), ``pre2post``/``post2pre`` (neighbour ids), ``pre2syn``/``post2syn``
        (synapse ids), ``pre_slice``/``post_slice`` (ids sorted by pre or post
        and the [start, end) rows of each neuron).
        """
        if "pre_slice" in names and "post_slice" in names:
            raise errors.BrainsynValueError("pre_slice and post_slice cannot be required together")
        out = []
        for n in names:
            if n not in REQUIRES:
                raise errors.BrainsynKeyError(f"unknown structure {n!r}; valid: {', '.join(REQUIRES)}")
            out.append(getattr(self, "_req_" + n)())
        return out[0] if len(out) == 1 else tuple(out)

    def _req_pre_ids(self):
        return self.pre_ids

    def _req_post_ids(self):
        return self.post_ids

    def _req_conn_mat(self):
        return ij2mat(self.pre_ids, self.post_ids, self.num_pre, self.num_post)

    def _group(self, key, val, n):
        order = np.argsort(key, kind="stable")
        bounds = np.searchsorted(key[order], np.arange(n + 1))
        return [val[order[bounds[i]:bounds[i + 1]]] for i in range(n)]

    def _req_pre2post(self):
        return self._group(self.pre_ids, self.post_ids, self.num_pre)

    def _req_post2pre(self):
        return self._group(self.post_ids, self.pre_ids, self.num_post)

    def _req_pre2syn(self):
        return self._group(self.pre_ids, np.arange(self.pre_ids.size), self.num_pre)

    def _req_post2syn(self):
        return self._group(self.post_ids, np.arange(self.post_ids.size), self.num_post)

    def _slice(self, key, other, n):
        order = np.argsort(key, kind="stable")
        k, o = key[order], other[order]
        bounds = np.searchsorted(k, np.arange(n + 1))
        return k, o, np.stack([bounds[:-1], bounds[1:]], axis=1)

    def _req_pre_slice(self):
        return self._slice(self.pre_ids, self.post_ids, self.num_pre)

    def _req_post_slice(self):
        post, pre, sl = self._slice(self.post_ids, self.pre_ids, self.num_post)
        return pre, post, sl

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._spec().items() if k != "kind")
        return f"{type(self).__name__}({args})"


class All2All(Connector):
    """Every pre neuron to every post neuron (``include_self`` keeps i→i)."""

    def __init__(self, include_self=True):
        super().__init__()
        self.include_self = bool(include_self)

    def _spec(self):
        return {"kind": "All2All", "include_self": self.include_self}


class One2One(Connector):
    """Neuron i to neuron i; pre and post must have the same size."""

    def _spec(self):
        return {"kind": "One2One"}


def _seed(seed):
    if seed is None:
        return int(np.random.randint(0, 2**31 - 1))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**64:
        raise errors.BrainsynValueError(f"seed must be an int in [0, 2**64) or None, got {seed!r}")
    return int(seed)


class FixedProb(Connector):
    """Each (pre, post) pair independently with probability ``prob``."""

    def __init__(self, prob, include_self=True, seed=None, method="matrix"):
        super().__init__()
        if not isinstance(prob, numbers.Real) or not 0 <= prob <= 1:
            raise errors.BrainsynValueError(f"FixedProb: prob must be a number in [0, 1], got {prob!r}")
        self.prob, self.include_self, self.seed = float(prob), bool(include_self), _seed(seed)

    def _spec(self):
        return {"kind": "FixedProb", "prob": self.prob, "include_self": self.include_self, "seed": self.seed}


class _FixedNum(Connector):
    def __init__(self, num, include_self=True, seed=None):
        super().__init__()
        if isinstance(num, bool) or not isinstance(num, numbers.Real) or num < 0:
            raise errors.BrainsynValueError(f"{type(self).__name__}: num must be a count or a fraction >= 0, got {num!r}")
        self.num, self.include_self, self.seed = num, bool(include_self), _seed(seed)

    def _spec(self):
        return {"kind": type(self).__name__, "num": float(self.num), "include_self": self.include_self, "seed": self.seed}


class FixedPreNum(_FixedNum):
    """Each post neuron receives from exactly ``num`` distinct pre neurons
    (a float in [0, 1) is a fraction of the pre group)."""


class FixedPostNum(_FixedNum):
    """Each pre neuron projects to exactly ``num`` distinct post neurons
    (a float in [0, 1) is a fraction of the post group)."""


class GridFour(Connector):
    """Four nearest neighbours on the grid of the pre group's shape."""

    def __init__(self, include_self=False):
        super().__init__()
        self.include_self = bool(include_self)

    def _spec(self):
        return {"kind": type(self).__name__, "include_self": self.include_self}


class GridEight(GridFour):
    """Eight nearest neighbours (the 3×3 square)."""


class GridN(Connector):
    """The (2N+1)×(2N+1) square around each neuron, clipped at the borders."""

    def __init__(self, N=1, include_self=False):
        super().__init__()
        if isinstance(N, bool) or not isinstance(N, numbers.Integral):
            raise errors.BrainsynTypeError(f"GridN: N must be an int, got {N!r}")
        self.N, self.include_self = int(N), bool(include_self)

    def _spec(self):
        return {"kind": "GridN", "N": self.N, "include_self": self.include_self}


class IJConn(Connector):
    """Connectivity from explicit index arrays ``i`` (pre) and ``j`` (post).

    Pairs are stably sorted by pre neuron; within a pre neuron the given
    order is kept.
    """

    def __init__(self, i, j):
        super().__init__()
        self.i = np.asarray(i).ravel()
        self.j = np.asarray(j).ravel()
        if self.i.size != self.j.size:
            raise errors.BrainsynValueError(f"IJConn: i has {self.i.size} entries but j has {self.j.size}")
        for name, a in (("i", self.i), ("j", self.j)):
            if a.size and not np.issubdtype(a.dtype, np.integer):
                raise errors.BrainsynTypeError(f"IJConn: {name} must hold integers, got dtype {a.dtype}")

    def _build(self):
        return _native.conn_from_ij(self.num_pre, self.num_post, self.i, self.j)

    def _spec(self):
        return {"kind": "IJ", "n": int(self.i.size)}


class MatConn(IJConn):
    """Connectivity from a (num_pre, num_post) matrix; nonzero entries connect."""

    def __init__(self, conn_mat):
        m = _matrix(conn_mat, "MatConn")
        i, j = np.nonzero(m)
        super().__init__(i, j)
        self.shape = m.shape

    def __call__(self, pre_size, post_size):
        super().__call__(pre_size, post_size)
        if (self.num_pre, self.num_post) != self.shape:
            raise errors.BrainsynValueError(
                f"MatConn: the matrix is {self.shape} but pre has {self.num_pre} and post {self.num_post} neurons")
        return self


def _matrix(conn_mat, what):
    """A 2-D connection matrix without NaN or infinite entries."""
    m = np.asarray(conn_mat)
    if m.ndim != 2:
        raise errors.BrainsynValueError(f"{what} needs a 2-D matrix, got shape {m.shape}")
    if np.issubdtype(m.dtype, np.inexact) and not np.all(np.isfinite(m)):
        k = np.argwhere(~np.isfinite(m))[0]
        raise errors.BrainsynValueError(f"{what}: entry {tuple(int(x) for x in k)} of the matrix is {m[tuple(k)]}")
    return m


def ij2mat(i, j, num_pre=None, num_post=None):
    """0/1 float matrix from index arrays (sizes from the largest index
    when not given)."""
    c = IJConn(i, j)  # same lengths, integers
    m = []
    for name, a, n in (("i", c.i, num_pre), ("j", c.j, num_post)):
        if n is None:
            n = int(a.max()) + 1 if a.size else 0
        elif isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise errors.BrainsynValueError(f"ij2mat: the number of neurons for {name} must be an int >= 0, got {n!r}")
        bad = np.flatnonzero((a < 0) | (a >= n))
        if bad.size:
            raise errors.BrainsynIndexError(f"ij2mat: {name}[{bad[0]}] = {a[bad[0]]} is out of range for {n} neurons")
        m.append(int(n))
    mat = np.zeros(m)
    mat[c.i.astype(np.intp), c.j.astype(np.intp)] = 1.0
    return mat


def mat2ij(conn_mat):
    """Index arrays (pre, post) of the nonzero entries, row-major."""
    i, j = np.nonzero(_matrix(conn_mat, "mat2ij"))
    return i.astype(np.int32), j.astype(np.int32)


all2all = All2All()
one2one = One2One()
grid_four = GridFour()
grid_eight = GridEight()
