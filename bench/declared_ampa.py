"""The chapter's AMPA on a 4000 → 4000 FixedProb(0.02) network for 1 s,
three ways: the built-in bp.synapses.AMPA (kinetics written in Go), the
same model declared in Python (bp.NativeSynapse, run by the engine), and
the chapter's plain Python class (engine calls Python every step; run for
a few steps only and scaled, since it is orders of magnitude slower).
Presynaptic neurons are Poisson at 20 Hz; outputs are conductance-based
(g_max 0.42, E 0) into LIF neurons. Prints a table and checks that the
declared and built-in runs agree to 1e-10.
"""

import argparse
import sys
import time

import numpy as np

import brainsyn as bp

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/tests_py")


class AMPA(bp.NativeSynapse):
    state = {'s': 0.}
    params = dict(alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)
    pulse = True
    method = 'exponential_euler'

    @staticmethod
    def derivative(s, t, TT, alpha, beta):
        return alpha * TT * (1 - s) - beta * s


class PyAMPA(bp.TwoEndConn):
    """The chapter's class, with the conductance output of BrainModels."""
    target_backend = ['numpy', 'numba']

    @staticmethod
    def derivative(s, t, TT, alpha, beta):
        return alpha * TT * (1 - s) - beta * s

    def __init__(self, pre, post, conn, alpha=0.98, beta=0.18, T=0.5, T_duration=0.5, g_max=0.42, E=0., **kwargs):
        self.alpha, self.beta, self.T, self.T_duration, self.g_max, self.E = alpha, beta, T, T_duration, g_max, E
        self.conn = conn(pre.size, post.size)
        self.pre_ids, self.post_ids = conn.requires('pre_ids', 'post_ids')
        self.size = len(self.pre_ids)
        self.s = bp.ops.zeros(self.size)
        self.t_last_pre_spike = -1e7 * bp.ops.ones(self.size)
        self.int_s = bp.odeint(f=self.derivative, method='exponential_euler')
        super().__init__(pre=pre, post=post, **kwargs)

    def update(self, _t):
        for i in range(self.size):
            pre_id, post_id = self.pre_ids[i], self.post_ids[i]
            if self.pre.spike[pre_id]:
                self.t_last_pre_spike[i] = _t
            TT = self.T if (_t - self.t_last_pre_spike[i]) < self.T_duration else 0.
            self.s[i] = self.int_s(self.s[i], _t, TT, self.alpha, self.beta)
            self.post.input[post_id] -= self.g_max * self.s[i] * (self.post.V[post_id] - self.E)


def build(kind, n):
    pre = bp.neurons.PoissonInput(n, freqs=20., seed=3)
    post = bp.neurons.LIF(n, monitors=['V'])
    conn = bp.connect.FixedProb(0.02, seed=4)
    if kind == "builtin":
        syn = bp.synapses.AMPA(pre, post, conn, monitors=[('s', [0, 1, 2])])
    elif kind == "declared":
        syn = AMPA(pre, post, conn, output='conductance', g_max=0.42, E=0., monitors=[('s', [0, 1, 2])])
    else:
        syn = PyAMPA(pre, post, conn, monitors=[('s', [0, 1, 2])])
    return bp.Network(pre, syn, post), post, syn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--duration", type=float, default=1000.)
    ap.add_argument("--python-steps", type=int, default=20)
    a = ap.parse_args()
    times, out = {}, {}
    for kind in ("builtin", "declared", "builtin", "declared"):
        net, post, syn = build(kind, a.n)
        t = time.perf_counter()
        net.run(a.duration)
        el = time.perf_counter() - t
        times[kind] = min(times.get(kind, 1e9), el)
        out[kind] = (post.mon.V.copy(), syn.mon.s.copy())
    net, post, syn = build("python", a.n)
    dur = a.python_steps * bp.backend.get_dt()
    t = time.perf_counter()
    net.run(dur)
    py = (time.perf_counter() - t) * a.duration / dur
    dv = np.max(np.abs(out["builtin"][0] - out["declared"][0]))
    ds = np.max(np.abs(out["builtin"][1] - out["declared"][1]))
    per = a.duration / 1000.
    print(f"AMPA, {a.n} -> {a.n} FixedProb(0.02) ({syn.size} synapses), {a.duration:.0f} ms, 1 thread")
    print(f"{'form':<34}{'s per bio-s':>12}{'ratio to built-in':>19}")
    print(f"{'built-in bp.synapses.AMPA':<34}{times['builtin'] / per:>12.3f}{1.0:>19.2f}")
    print(f"{'declared bp.NativeSynapse':<34}{times['declared'] / per:>12.3f}{times['declared'] / times['builtin']:>19.2f}")
    print(f"{'plain Python TwoEndConn (scaled)':<34}{py / per:>12.1f}{py / times['builtin']:>19.0f}"
          f"   ({a.python_steps} steps timed)")
    print(f"max |ΔV| declared vs built-in: {dv:.3g} mV; max |Δs|: {ds:.3g}")
    if dv > 1e-10 or ds > 1e-10:
        raise SystemExit("declared and built-in results differ by more than 1e-10")


if __name__ == "__main__":
    main()
