"""Interspike intervals in steps, for the refractoriness checks."""

import numpy as np


def isi_histogram(senders, steps, upto=60):
    """{interval in steps: count} for the shortest intervals (≤ upto)."""
    senders, steps = np.asarray(senders), np.rint(np.asarray(steps, dtype=float)).astype(np.int64)
    order = np.lexsort((steps, senders))
    s, k = senders[order], steps[order]
    d = np.diff(k)[s[1:] == s[:-1]]
    d = d[d <= upto]
    u, c = np.unique(d, return_counts=True)
    return {int(a): int(b) for a, b in zip(u, c)}
