"""The connector base class and connectivity from explicit indices or a
matrix, and the conversions between them."""

import numbers

import numpy as np

from .. import _native, errors

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
        (synapse ids), ``pre_slice``/``post_slice`` (the [start, end) synapse
        rows of each pre or post neuron, shape (n, 2)).

        As in BrainPy 1.0, asking for ``post_slice`` orders the synapses by
        post neuron for every structure of the same call:
        ``pre, post, sl = conn.requires('pre_ids', 'post_ids', 'post_slice')``
        gives the ids in that order, and ``post[sl[j, 0]:sl[j, 1]]`` is all
        ``j``. (BrainPy also kept that order in ``conn.pre_ids``; here
        ``conn.pre_ids`` stays the engine's order, by pre neuron, which
        built-in synapses use.) ``pre_slice`` keeps the order by pre neuron.
        """
        if "pre_slice" in names and "post_slice" in names:
            raise errors.BrainsynValueError("pre_slice and post_slice cannot be required together")
        for n in names:
            if n not in REQUIRES:
                raise errors.BrainsynKeyError(f"unknown structure {n!r}; valid: {', '.join(REQUIRES)}")
        pre, post = self.pre_ids, self.post_ids
        made = {}
        if "pre_slice" in names:
            pre, post, made["pre_slice"] = _sliced(pre, post, self.num_pre)
        elif "post_slice" in names:
            post, pre, made["post_slice"] = _sliced(post, pre, self.num_post)
        n = pre.size
        rules = {
            "pre_ids": lambda: pre,
            "post_ids": lambda: post,
            "conn_mat": lambda: ij2mat(pre, post, self.num_pre, self.num_post),
            "pre2post": lambda: _grouped(pre, post, self.num_pre),
            "post2pre": lambda: _grouped(post, pre, self.num_post),
            "pre2syn": lambda: _grouped(pre, np.arange(n), self.num_pre),
            "post2syn": lambda: _grouped(post, np.arange(n), self.num_post),
        }
        out = [made[k] if k in made else rules[k]() for k in names]
        return out[0] if len(out) == 1 else tuple(out)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._spec().items() if k != "kind")
        return f"{type(self).__name__}({args})"


def _grouped(key, val, n):
    """val split by key into n lists (key's values 0..n-1), each in order."""
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(n + 1))
    return [val[order[bounds[i]:bounds[i + 1]]] for i in range(n)]


def _sliced(key, other, n):
    """key and other stably sorted by key, and the [start, end) rows of
    each of the n values of key."""
    order = np.argsort(key, kind="stable")
    k, o = key[order], other[order]
    bounds = np.searchsorted(k, np.arange(n + 1))
    return k, o, np.stack([bounds[:-1], bounds[1:]], axis=1)


def _seed(seed):
    if seed is None:
        return int(np.random.randint(0, 2**31 - 1))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**64:
        raise errors.BrainsynValueError(f"seed must be an int in [0, 2**64) or None, got {seed!r}")
    return int(seed)


class Generated(Connector):
    """Base of rules drawn here with NumPy and handed to the engine as
    explicit pairs. Subclasses define ``_generate(pre_shape, post_shape)``
    returning pre-major index arrays ``(i, j)``, or ``(i, j, weights)``."""

    _weights = None

    @property
    def weights(self):
        """The weight of each synapse, in synapse order, for the rules that
        make them (GaussianWeight, DOG); None for the others."""
        self.handle()
        return self._weights

    def _build(self):
        out = self._generate(self.pre_size, self.post_size)
        self._weights = out[2] if len(out) > 2 else None
        return _native.conn_from_ij(self.num_pre, self.num_post, out[0], out[1])

    def _rng(self):
        return np.random.default_rng(self.seed)


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
