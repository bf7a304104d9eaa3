"""Rules over the 2-D positions of the neurons: connection probability or
weight falling off as a Gaussian of the distance (BrainPy 1.0's
GaussianProb, GaussianWeight and DOG).

A group of shape (height, width) has neuron k at row k // width and column
k % width; a 1-D group of n neurons is a column (n, 1). With
``normalize=True`` (the default) rows and columns are scaled to [0, 1]
(a single row or column sits at 1), so ``sigma`` is a fraction of the
extent; otherwise distances are in grid steps.
"""

import numbers

import numpy as np

from .. import errors
from .base import Generated, _seed

_BLOCK = 1 << 22  # distances computed per block of this many pairs


def _positions(shape, normalize):
    """(row, column) of every neuron of a group, as floats."""
    h, w = (shape[0], 1) if len(shape) == 1 else shape if len(shape) == 2 else (None, None)
    if h is None:
        raise errors.BrainsynValueError(f"a spatial rule needs a 1-D or 2-D group, got shape {shape}")
    k = np.arange(h * w)
    r, c = (k // w).astype(float), (k % w).astype(float)
    if normalize:
        r = r / (h - 1) if h > 1 else np.ones_like(r)
        c = c / (w - 1) if w > 1 else np.ones_like(c)
    return r, c


def _pairs(pre_shape, post_shape, normalize, include_self, value, keep):
    """Pre-major (i, j, value(d²)) of the pairs where keep(value) holds."""
    pr, pc = _positions(pre_shape, normalize)
    qr, qc = _positions(post_shape, normalize)
    rows = max(1, _BLOCK // qr.size)
    out = [], [], []
    for lo in range(0, pr.size, rows):
        hi = min(pr.size, lo + rows)
        d2 = (pr[lo:hi, None] - qr[None, :]) ** 2 + (pc[lo:hi, None] - qc[None, :]) ** 2
        v = value(d2)
        ok = keep(v)
        if not include_self:  # the pair (k, k), by flat index as in BrainPy
            r = np.arange(hi - lo)
            r = r[r + lo < qr.size]
            ok[r, r + lo] = False
        i, j = np.nonzero(ok)
        for acc, x in zip(out, (i + lo, j, v[i, j])):
            acc.append(x)
    return tuple(np.concatenate(x) for x in out)


def _positive(what, x):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x) or x <= 0:
        raise errors.BrainsynValueError(f"{what} must be a finite number > 0, got {x!r}")
    return float(x)


def _finite(what, x):
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not np.isfinite(x):
        raise errors.BrainsynValueError(f"{what} must be a finite number, got {x!r}")
    return float(x)


class GaussianProb(Generated):
    """Each pair connects with probability p = exp(−d²/(2σ²)), d the
    distance between the two neurons' positions, where p > ``p_min``.

    Parameters
    ----------
    sigma : float
        Width σ of the Gaussian (in normalised units, see the module).
    p_min : float
        Pairs with p ≤ p_min are never connected.
    normalize, include_self : bool
    seed : int, optional
        The draws depend only on the seed (BrainPy 1.0 ignored it).
    """

    def __init__(self, sigma, p_min=0., normalize=True, include_self=True, seed=None):
        super().__init__()
        self.sigma = _positive("GaussianProb: sigma", sigma)
        self.p_min = _finite("GaussianProb: p_min", p_min)
        self.normalize, self.include_self, self.seed = bool(normalize), bool(include_self), _seed(seed)

    def _spec(self):
        return {"kind": "GaussianProb", "sigma": self.sigma, "p_min": self.p_min, "normalize": self.normalize,
                "include_self": self.include_self, "seed": self.seed}

    def _generate(self, pre, post):
        i, j, p = _pairs(pre, post, self.normalize, self.include_self,
                         lambda d2: np.exp(-d2 / (2 * self.sigma ** 2)), lambda p: p > self.p_min)
        drawn = self._rng().random(p.size) < p  # one draw per candidate, in order
        return i[drawn], j[drawn]


class GaussianWeight(Generated):
    """Every pair whose weight w = w_max·exp(−d²/(2σ²)) exceeds ``w_min``
    connects, with that weight (``conn.weights``, in synapse order; set it
    on a synapse with ``syn.w = conn.weights``).

    Parameters
    ----------
    sigma : float
        Width σ of the Gaussian (in normalised units, see the module).
    w_max : float
        The weight at distance 0.
    w_min : float, optional
        Pairs with w ≤ w_min are not connected; default 0.01·w_max.
    normalize, include_self : bool
    """

    def __init__(self, sigma, w_max, w_min=None, normalize=True, include_self=True):
        super().__init__()
        self.sigma = _positive("GaussianWeight: sigma", sigma)
        self.w_max = _finite("GaussianWeight: w_max", w_max)
        self.w_min = self.w_max * 0.01 if w_min is None else _finite("GaussianWeight: w_min", w_min)
        self.normalize, self.include_self = bool(normalize), bool(include_self)

    def _spec(self):
        return {"kind": "GaussianWeight", "sigma": self.sigma, "w_max": self.w_max, "w_min": self.w_min,
                "normalize": self.normalize, "include_self": self.include_self}

    def _generate(self, pre, post):
        return _pairs(pre, post, self.normalize, self.include_self,
                      lambda d2: self.w_max * np.exp(-d2 / (2 * self.sigma ** 2)), lambda w: w > self.w_min)


class DOG(Generated):
    """Difference of Gaussians: w = w⁺·exp(−d²/(2σ⁺²)) − w⁻·exp(−d²/(2σ⁻²));
    pairs with abs(w) > ``w_min`` connect with that weight (``conn.weights``).

    Parameters
    ----------
    sigmas : (float, float)
        σ⁺ and σ⁻.
    ws_max : (float, float)
        w⁺ and w⁻.
    w_min : float, optional
        Default 0.01·abs(w⁺ − w⁻).
    normalize, include_self : bool
    """

    def __init__(self, sigmas, ws_max, w_min=None, normalize=True, include_self=True):
        super().__init__()
        try:
            sp, sn = sigmas
            wp, wn = ws_max
        except (TypeError, ValueError):
            raise errors.BrainsynValueError(f"DOG: sigmas and ws_max must be pairs, got {sigmas!r} and {ws_max!r}") from None
        self.sigma_p, self.sigma_n = _positive("DOG: sigma+", sp), _positive("DOG: sigma-", sn)
        self.w_max_p, self.w_max_n = _finite("DOG: w_max+", wp), _finite("DOG: w_max-", wn)
        self.w_min = abs(self.w_max_p - self.w_max_n) * 0.01 if w_min is None else _finite("DOG: w_min", w_min)
        self.normalize, self.include_self = bool(normalize), bool(include_self)

    def _spec(self):
        return {"kind": "DOG", "sigmas": (self.sigma_p, self.sigma_n), "ws_max": (self.w_max_p, self.w_max_n),
                "w_min": self.w_min, "normalize": self.normalize, "include_self": self.include_self}

    def _generate(self, pre, post):
        def dog(d2):
            return (self.w_max_p * np.exp(-d2 / (2 * self.sigma_p ** 2))
                    - self.w_max_n * np.exp(-d2 / (2 * self.sigma_n ** 2)))
        return _pairs(pre, post, self.normalize, self.include_self, dog, lambda w: np.abs(w) > self.w_min)
