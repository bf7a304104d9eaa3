"""COBA (I = 20 mV variant) in BrainPy 2.x on CPU (JAX), after BrainPy's
own COBA examples: LIF with refractoriness, exponential conductances
aligned per post neuron (exact decay), event-driven sparse projections.
Like the other simulators: float64, V by forward Euler (LifRef's default
is exponential Euler), a spike acts on the next step. LifRef's refractory
test is t − t_last ≤ τ_ref in floating point (mostly t_ref/dt + 1 steps,
as NEST's and ANNarchy's counters).

The first run compiles (and runs once); the timed run starts again from
a fresh state (new V draw, g = 0, no spike times) with the time restarted
at 0. (Without the reset, the spike times of the first run lie ahead of
the restarted clock, t − t_last < 0 ≤ τ_ref holds, and every neuron that
fired in the first run stays refractory until the clock passes its last
spike: the rate then reads about 4.5 Hz instead of 20.)

Prints one JSON line; the run-loop time excludes JIT compilation.
"""

import argparse
import json
import resource
import time

import numpy as np

t0 = time.perf_counter()
try:  # BrainPy >= 2.7 keeps the 2.x API here
    import brainpy.version2 as bp
    import brainpy.version2.math as bm
except ImportError:  # pragma: no cover - older 2.x
    import brainpy as bp
    import brainpy.math as bm
t_import = time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--p", type=float, default=None)
    ap.add_argument("--duration", type=float, default=5000.)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-reset", action="store_true", help="time a second run that continues the first one's state "
                    "with the clock restarted at 0 (the old script's way)")
    ap.add_argument("--float32", action="store_true", help="BrainPy's default precision")
    ap.add_argument("--isi", action="store_true", help="also print the interspike intervals in steps")
    a = ap.parse_args()
    if not a.float32:
        bm.enable_x64()
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    bm.random.seed(a.seed)
    ne = int(a.n * 0.8)
    ni = a.n - ne
    p = 0.02 if a.p is None else a.p
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., V_initializer=bp.init.Normal(-55., 5.),
                method="euler")

    class COBA(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.E = bp.dyn.LifRef(ne, **pars)
            self.I = bp.dyn.LifRef(ni, **pars)

            def proj(pre, post, w, tau, E, k):
                return bp.dyn.ProjAlignPostMg2(
                    pre=pre, delay=None,
                    comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(p, pre=pre.num, post=post.num, seed=a.seed * 10 + k),
                                               w),
                    syn=bp.dyn.Expon.desc(post.num, tau=tau), out=bp.dyn.COBA.desc(E=E), post=post)
            self.E2E = proj(self.E, self.E, 0.6, 5., 0., 1)
            self.E2I = proj(self.E, self.I, 0.6, 5., 0., 2)
            self.I2E = proj(self.I, self.E, 6.7, 10., -80., 3)
            self.I2I = proj(self.I, self.I, 6.7, 10., -80., 4)

        def update(self, inp):
            self.E2E()
            self.E2I()
            self.I2E()
            self.I2I()
            self.E(inp)
            self.I(inp)
            return bm.concatenate([self.E.spike.value, self.I.spike.value])

    t1 = time.perf_counter()
    net = COBA()
    n = int(round(a.duration / 0.1))
    step = lambda i: net.step_run(i, 20.)  # noqa: E731

    def run(steps):
        return np.asarray(bm.for_loop(step, np.arange(steps)))

    run(n)  # compiles (and runs once)
    t_build = time.perf_counter() - t1
    if not a.no_reset:
        net.reset()
    t2 = time.perf_counter()
    spk = run(n)
    t_run = time.perf_counter() - t2
    rate = spk.sum() / a.n / (a.duration / 1000.)
    out = {"sim": "brainpy", "n": a.n, "threads": 0, "duration_ms": a.duration, "seed": a.seed, "run_s": t_run,
           "build_s": t_build, "import_s": t_import, "rate_hz": float(rate), "synapses": None,
           "float": "32" if a.float32 else "64", "reset": not a.no_reset,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if a.isi:
        from isi import isi_histogram
        steps, idx = np.nonzero(spk)
        out["isi_steps"] = isi_histogram(idx, steps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
