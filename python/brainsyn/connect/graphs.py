"""Random graphs over one group (pre and post are the same neurons):
Watts–Strogatz small worlds, Barabási–Albert scale-free graphs and the
Holme–Kim power-law graph, as BrainPy 1.0 defines them, drawn from
``seed`` alone. BrainPy 1.0's versions of SmallWorld, ScaleFreeBA and
ScaleFreeBADual did not work (docs/brainpy_differences.md).
"""

import numbers

import numpy as np

from .. import errors
from .base import Generated, _seed


def _count(what, x, lo, hi=None):
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < lo or (hi is not None and x > hi):
        bound = f">= {lo}" if hi is None else f"in [{lo}, {hi}]"
        raise errors.BrainsynValueError(f"{what} must be an int {bound}, got {x!r}")
    return int(x)


def _prob(what, p):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
        raise errors.BrainsynValueError(f"{what} must be a number in [0, 1], got {p!r}")
    return float(p)


class _Graph(Generated):
    """A graph on the n neurons of one group; edges kept as sets."""

    def _nodes(self, pre, post):
        n = int(np.prod(pre))
        if n != int(np.prod(post)):
            raise errors.BrainsynValueError(
                f"{type(self).__name__} connects a group to itself: pre has {n} neurons, post {int(np.prod(post))}")
        return n

    @staticmethod
    def _edges(out):
        """Pre-major (i, j) of the edges out[i]."""
        i = np.repeat(np.arange(len(out)), [len(s) for s in out])
        j = np.fromiter((x for s in out for x in sorted(s)), dtype=np.int64, count=i.size)
        return i, j

    def _link(self, out, a, b):
        out[a].add(b)
        if not self.directed:
            out[b].add(a)


def _subset(rng, seq, m):
    """m distinct values drawn uniformly from seq (which repeats values),
    in ascending order."""
    chosen = set()
    while len(chosen) < m:
        chosen.add(seq[rng.integers(len(seq))])
    return sorted(chosen)


class SmallWorld(_Graph):
    """Watts–Strogatz small world on a ring of the group's neurons.

    Each neuron is joined to its ``num_neighbor`` nearest neighbours on the
    ring (num_neighbor // 2 on each side); then, for each neighbour
    distance and each neuron u in order, the edge from u to its neighbour v
    at that distance is replaced, with probability ``prob``, by an edge to
    a neuron w drawn uniformly among those u is not connected to (itself
    excluded unless ``include_self``). Directed graphs rewire the edge into
    u the same way.

    Parameters
    ----------
    num_neighbor : int
    prob : float
        Rewiring probability.
    directed, include_self : bool
    seed : int, optional
    """

    def __init__(self, num_neighbor, prob, directed=False, include_self=False, seed=None):
        super().__init__()
        self.num_neighbor = _count("SmallWorld: num_neighbor", num_neighbor, 0)
        self.prob = _prob("SmallWorld: prob", prob)
        self.directed, self.include_self, self.seed = bool(directed), bool(include_self), _seed(seed)

    def _spec(self):
        return {"kind": "SmallWorld", "num_neighbor": self.num_neighbor, "prob": self.prob,
                "directed": self.directed, "include_self": self.include_self, "seed": self.seed}

    def _generate(self, pre, post):
        n, k = self._nodes(pre, post), self.num_neighbor
        if len(pre) != 1:
            raise errors.BrainsynValueError(f"SmallWorld needs a 1-D group (a ring), got shape {pre}")
        if k > n:
            raise errors.BrainsynValueError(f"SmallWorld: num_neighbor {k} is more than the {n} neurons")
        if k == n:  # complete: not a Watts-Strogatz graph
            out = [set(range(n)) - ({u} if not self.include_self else set()) for u in range(n)]
            return self._edges(out)
        rng = self._rng()
        out = [set() for _ in range(n)]
        into = [set() for _ in range(n)]  # directed: the sources of each neuron's edges
        for d in range(1, k // 2 + 1):
            for u in range(n):
                v = (u + d) % n
                for a, b in ((u, v), (v, u)):
                    out[a].add(b)
                    into[b].add(a)
        for d in range(1, k // 2 + 1):
            for u in range(n):
                v = (u + d) % n
                w = self._rewire(rng, u, out[u], n)
                if w is not None:
                    self._move(out, into, u, v, w)
                if self.directed:
                    w = self._rewire(rng, u, into[u], n)
                    if w is not None:
                        self._move(into, out, u, v, w)
        return self._edges(out)

    def _rewire(self, rng, u, linked, n):
        """With probability prob, a neuron u is not linked to (None if none
        is left, or no rewiring)."""
        if rng.random() >= self.prob:
            return None
        free = n - len(linked)  # u itself counts while it is not linked
        if free <= 1:
            return None
        if not self.include_self and u not in linked and free == 1:
            return None
        while True:
            w = int(rng.integers(n))
            if w not in linked and (self.include_self or w != u):
                return w

    def _move(self, fwd, back, u, v, w):
        """Replace the edge u→v of fwd (and its mirror) by u→w."""
        fwd[u].discard(v)
        back[v].discard(u)
        fwd[u].add(w)
        back[w].add(u)
        if not self.directed:
            fwd[v].discard(u)
            back[u].discard(v)
            fwd[w].add(u)
            back[u].add(w)


class ScaleFreeBA(_Graph):
    """Barabási–Albert graph: neurons m, m+1, ... join in turn, each with
    ``m`` edges to distinct earlier neurons drawn with probability
    proportional to their degree (the first to neurons 0..m-1).

    Parameters
    ----------
    m : int
        Edges per new neuron, 1 <= m < n.
    directed : bool
        Edges from the new neuron only (otherwise both ways).
    seed : int, optional
    """

    def __init__(self, m, directed=False, seed=None):
        super().__init__()
        self.m = _count("ScaleFreeBA: m", m, 1)
        self.directed, self.seed = bool(directed), _seed(seed)

    def _spec(self):
        return {"kind": "ScaleFreeBA", "m": self.m, "directed": self.directed, "seed": self.seed}

    def _ms(self, rng):
        """The number of edges of each new neuron, forever."""
        while True:
            yield self.m

    def _generate(self, pre, post):
        n = self._nodes(pre, post)
        first = self._first()
        if first >= n:
            raise errors.BrainsynValueError(f"{type(self).__name__} needs m < n, got {self._spec()} for {n} neurons")
        rng = self._rng()
        out = [set() for _ in range(n)]
        ms = self._ms(rng)
        targets, repeated = list(range(first)), []
        for source in range(first, n):
            for t in targets:
                self._link(out, source, t)
            repeated += targets
            m = next(ms)
            repeated += [source] * len(targets)
            targets = _subset(rng, repeated, m)
        return self._edges(out)

    def _first(self):
        return self.m


class ScaleFreeBADual(ScaleFreeBA):
    """Dual Barabási–Albert graph: as ScaleFreeBA, but each new neuron
    brings ``m1`` edges with probability ``p`` and ``m2`` otherwise
    (Moshiri 2018); the first max(m1, m2) neurons start the graph.

    Parameters
    ----------
    m1, m2 : int
        1 <= m1, m2 < n.
    p : float
    directed : bool
    seed : int, optional
    """

    def __init__(self, m1, m2, p, directed=False, seed=None):
        Generated.__init__(self)
        self.m1 = _count("ScaleFreeBADual: m1", m1, 1)
        self.m2 = _count("ScaleFreeBADual: m2", m2, 1)
        self.p = _prob("ScaleFreeBADual: p", p)
        self.directed, self.seed = bool(directed), _seed(seed)

    def _spec(self):
        return {"kind": "ScaleFreeBADual", "m1": self.m1, "m2": self.m2, "p": self.p, "directed": self.directed,
                "seed": self.seed}

    def _first(self):
        return max(self.m1, self.m2)

    def _ms(self, rng):
        while True:
            yield self.m1 if rng.random() < self.p else self.m2


class PowerLaw(_Graph):
    """Holme–Kim graph: Barabási–Albert growth where, after each
    preferential edge, with probability ``p`` the next edge closes a
    triangle (goes to a neighbour of the last target) instead.

    Parameters
    ----------
    m : int
        Edges per new neuron, 1 <= m <= n.
    p : float
        Probability of a triangle step.
    directed : bool
    seed : int, optional
    """

    def __init__(self, m, p, directed=False, seed=None):
        super().__init__()
        self.m = _count("PowerLaw: m", m, 1)
        self.p = _prob("PowerLaw: p", p)
        self.directed, self.seed = bool(directed), _seed(seed)

    def _spec(self):
        return {"kind": "PowerLaw", "m": self.m, "p": self.p, "directed": self.directed, "seed": self.seed}

    def _generate(self, pre, post):
        n, m = self._nodes(pre, post), self.m
        if m > n:
            raise errors.BrainsynValueError(f"PowerLaw needs m <= n, got m = {m} for {n} neurons")
        rng = self._rng()
        out = [set() for _ in range(n)]
        repeated = list(range(m))
        for source in range(m, n):
            candidates = _subset(rng, repeated, m)
            target = candidates.pop()
            self._link(out, source, target)
            repeated.append(target)
            count = 1
            while count < m:
                if rng.random() < self.p:  # close a triangle
                    near = [x for x in sorted(out[target]) if x not in out[source] and x != source]
                    if near:
                        nb = near[rng.integers(len(near))]
                        self._link(out, source, nb)
                        repeated.append(nb)
                        count += 1
                        continue
                target = candidates.pop()
                self._link(out, source, target)
                repeated.append(target)
                count += 1
            repeated += [source] * m
        return self._edges(out)
