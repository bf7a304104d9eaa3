"""COBA (I = 20 mV variant) in BrainPy 2.x on CPU (JAX), after BrainPy's
own COBA examples: LIF with refractoriness, exponential conductances
aligned per post neuron, event-driven sparse projections. Prints one JSON
line; the run-loop time excludes JIT compilation (a first run compiles).
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
    a = ap.parse_args()
    bm.set_platform("cpu")
    bm.set_dt(0.1)
    ne = int(a.n * 0.8)
    ni = a.n - ne
    p = 0.02 if a.p is None else a.p
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., V_initializer=bp.init.Normal(-55., 5.))

    class COBA(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.E = bp.dyn.LifRef(ne, **pars)
            self.I = bp.dyn.LifRef(ni, **pars)

            def proj(pre, post, w, tau, E, seed):
                return bp.dyn.ProjAlignPostMg2(
                    pre=pre, delay=None,
                    comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(p, pre=pre.num, post=post.num, seed=seed), w),
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
            return self.E.spike.value.sum() + self.I.spike.value.sum()

    t1 = time.perf_counter()
    net = COBA()
    n = int(a.duration / 0.1)

    def run(steps):
        return bm.for_loop(lambda i: net.step_run(i, 20.), np.arange(steps))

    np.asarray(run(n))  # compiles (and runs once)
    t_build = time.perf_counter() - t1
    t2 = time.perf_counter()
    counts = np.asarray(run(n))
    t_run = time.perf_counter() - t2
    rate = counts.sum() / a.n / (a.duration / 1000.)
    print(json.dumps({"sim": "brainpy", "n": a.n, "threads": 0, "duration_ms": a.duration, "run_s": t_run,
                      "build_s": t_build, "import_s": t_import, "rate_hz": float(rate), "synapses": None,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
