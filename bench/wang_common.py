"""Shared settings of the Wang (2002) benchmark: the stimulus is drawn once
(numpy seed 7) and given to every simulator as the same rate series."""

import numpy as np

PARAMS = {"coh": 25.6, "mu0": 40.0, "mu1": 40.0, "sigma": 10.0, "interval": 50.0, "on": 100.0, "off": 1100.0}


def stimulus_rates(duration, dt):
    """Rates [Hz] of pools 1 and 2 at every step (one row per step)."""
    P = PARAMS
    n = len(np.arange(0, duration, dt))
    k = int(np.ceil(duration / P["interval"]))
    rng = np.random.default_rng(7)
    noise1, noise2 = rng.normal(0, P["sigma"], k), rng.normal(0, P["sigma"], k)
    t = np.arange(n) * dt
    seg = (t // P["interval"]).astype(int)
    on = (t > P["on"]) & (t < P["off"])
    r1 = np.where(on, P["mu0"] + P["coh"] / 100 * P["mu1"] + noise1[seg], 0.0).clip(min=0)
    r2 = np.where(on, P["mu0"] - P["coh"] / 100 * P["mu1"] + noise2[seg], 0.0).clip(min=0)
    return r1, r2


def interval_rates(duration):
    """The same rates, one value per 50 ms interval (for TimedArray)."""
    P = PARAMS
    k = int(np.ceil(duration / P["interval"]))
    rng = np.random.default_rng(7)
    noise1, noise2 = rng.normal(0, P["sigma"], k), rng.normal(0, P["sigma"], k)
    return noise1, noise2
