"""Deterministic rules: all to all, one to one, and grid neighbourhoods."""

import numbers

from .. import errors
from .base import Connector


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
