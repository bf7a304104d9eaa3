"""Array functions of BrainPy 1.0's ``bp.ops`` (NumPy semantics)."""

import numpy as np

__all__ = ["zeros", "ones", "arange", "as_tensor", "where", "reshape", "concatenate", "shape", "exp",
           "sum", "normal", "clip", "unsqueeze", "squeeze", "vstack", "bool", "int", "int32", "int64",
           "float", "float32", "float64", "zeros_like", "ones_like", "maximum", "minimum", "abs", "log",
           "sqrt", "mean", "array"]

zeros, ones, arange, where, reshape = np.zeros, np.ones, np.arange, np.where, np.reshape
concatenate, shape, exp, sum, clip = np.concatenate, np.shape, np.exp, np.sum, np.clip  # noqa: A001
vstack, zeros_like, ones_like = np.vstack, np.zeros_like, np.ones_like
maximum, minimum, abs, log, sqrt, mean = np.maximum, np.minimum, np.abs, np.log, np.sqrt, np.mean  # noqa: A001
as_tensor = array = np.asarray
bool, int, int32, int64 = np.bool_, np.int_, np.int32, np.int64  # noqa: A001
float, float32, float64 = np.float64, np.float32, np.float64  # noqa: A001


def normal(loc=0.0, scale=1.0, size=None):
    """Normal draws (numpy's global generator)."""
    return np.random.normal(loc, scale, size)


def unsqueeze(x, axis):
    """``x`` with a new axis of length 1 at ``axis`` (``np.expand_dims``)."""
    return np.expand_dims(x, axis)


def squeeze(x, axis=None):
    """``x`` without its axes of length 1 (``np.squeeze``)."""
    return np.squeeze(x, axis)
