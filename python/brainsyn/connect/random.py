"""Random rules built by the engine: fixed probability and fixed counts."""

import numbers

from .. import errors
from .base import Connector, _seed


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
