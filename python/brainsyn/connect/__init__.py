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

from .base import REQUIRES, Connector, IJConn, MatConn, ij2mat, mat2ij
from .graphs import PowerLaw, ScaleFreeBA, ScaleFreeBADual, SmallWorld
from .random import FixedPostNum, FixedPreNum, FixedProb
from .regular import All2All, GridEight, GridFour, GridN, One2One
from .spatial import DOG, GaussianProb, GaussianWeight

__all__ = ["Connector", "All2All", "One2One", "FixedProb", "FixedPreNum", "FixedPostNum", "GridFour",
           "GridEight", "GridN", "IJConn", "MatConn", "GaussianProb", "GaussianWeight", "DOG", "SmallWorld",
           "ScaleFreeBA", "ScaleFreeBADual", "PowerLaw", "all2all", "one2one", "grid_four", "grid_eight",
           "ij2mat", "mat2ij", "REQUIRES"]

all2all = All2All()
one2one = One2One()
grid_four = GridFour()
grid_eight = GridEight()
