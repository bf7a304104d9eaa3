"""Side-by-side benchmarks: brainsyn against Brian2 (C++ standalone), NEST,
ANNarchy 5 and BrainPy 2.x (CPU), on COBA, the Wang (2002) decision
network and COBA scaled at fixed in-degree, with agreement checks of the
rates over seeds and the instruction count of a COBA step. One command:

    python bench/run.py            # full run (about 30 minutes on 2 cores)
    python bench/run.py --quick    # shorter simulations, fewer seeds

The peers are installed in their own virtual environment (bench/.venv,
made on first use), together with brainsyn from this source tree. Every
simulator runs in a fresh process; the runs of one workload alternate
between simulators, and the best of --repeats is kept. Times are run-loop
wall times; build times (network construction, code generation and
compilation) are reported apart. The report is also written to
bench/last_run.txt.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = ["numpy<2.3", "brian2", "brainpy", "jax[cpu]", "numba", "matplotlib", "nest-simulator", "nanobind"]


def venv_env(path):
    # ANNarchy builds its extensions with CMake, which must find the venv's
    # python (and nanobind in it) first on PATH.
    return dict(os.environ, PATH=os.path.join(path, "bin") + os.pathsep + os.environ.get("PATH", ""))


def venv_python(path):
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        print(f"creating {path} (Brian2, BrainPy, JAX, NEST, ANNarchy) ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", path])
        subprocess.check_call([py, "-m", "pip", "install", "-q", *PEERS])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "annarchy"], env=venv_env(path))
    subprocess.check_call([py, "-m", "pip", "install", "-q", ROOT])
    return py


ENV = None


def run(py, script, *args, timeout=3600):
    t = time.perf_counter()
    try:
        out = subprocess.run([py, os.path.join(HERE, script), *map(str, args)], capture_output=True, text=True,
                             timeout=timeout, cwd=HERE, env=ENV)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s", "process_wall_s": time.perf_counter() - t}
    wall = time.perf_counter() - t
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            r = json.loads(line)
            r["process_wall_s"] = wall
            return r
    return {"error": (out.stderr or out.stdout)[-2000:], "process_wall_s": wall}


def mem_available_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return float("inf")


# One COBA run of each simulator: (script, extra arguments).
COBA = {"brainsyn-1": ("coba_brainsyn.py", ("--threads", 1)), "brainsyn-2": ("coba_brainsyn.py", ("--threads", 2)),
        "brian2-1": ("coba_brian2.py", ()), "nest-1": ("coba_nest.py", ()), "annarchy-1": ("coba_annarchy.py", ()),
        "brainpy": ("coba_brainpy.py", ())}
PEER_NAMES = ("brian2-1", "nest-1", "annarchy-1", "brainpy")


def main():
    global ENV
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="shorter simulations, 4 seeds")
    ap.add_argument("--venv", default=os.path.join(HERE, ".venv"))
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=None, help="seeds per simulator in the agreement checks (10)")
    ap.add_argument("--no-brainpy", action="store_true")
    ap.add_argument("--only", default="coba,wang,ttfr,scaling,agree,instructions")
    ap.add_argument("--keep", action="store_true",
                    help="keep the sections of the last results.json that this run does not redo")
    a = ap.parse_args()
    ENV = venv_env(a.venv)
    py = venv_python(a.venv)
    only = set(a.only.split(","))
    dur = 1000. if a.quick else 5000.
    seeds = a.seeds or (4 if a.quick else 10)
    res = {"machine": os.uname().nodename, "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
           "started": time.strftime("%Y-%m-%d %H:%M:%S"), "results": {}}
    if a.keep and os.path.exists(os.path.join(HERE, "results.json")):
        with open(os.path.join(HERE, "results.json")) as f:
            old = json.load(f)
        res["results"] = {k: v for k, v in old["results"].items() if k not in only}
        res["kept"] = {k: old.get("started") for k in res["results"]}
    R = res["results"]
    sims = [k for k in COBA if not (a.no_brainpy and k == "brainpy")]

    def best(rs):
        ok = [r for r in rs if "run_s" in r]
        return min(ok, key=lambda r: r["run_s"]) if ok else (rs[0] if rs else {"error": "not run"})

    def save():
        with open(os.path.join(HERE, "results.json"), "w") as f:
            json.dump(res, f, indent=1)

    if "coba" in only:
        runs = {k: [] for k in sims}
        for _ in range(a.repeats):
            for k in sims:
                script, extra = COBA[k]
                runs[k].append(run(py, script, "--duration", dur, *extra))
        R["coba"] = {k: best(v) for k, v in runs.items()}
        save()
    if "wang" in only:
        wd = 1600.
        runs = {"brainsyn-1": [], "brainsyn-2": [], "brian2-1": []}
        for _ in range(a.repeats):
            runs["brainsyn-1"].append(run(py, "wang_brainsyn.py", "--duration", wd, "--threads", 1))
            runs["brian2-1"].append(run(py, "wang_brian2.py", "--duration", wd))
            runs["brainsyn-2"].append(run(py, "wang_brainsyn.py", "--duration", wd, "--threads", 2))
        R["wang"] = {k: best(v) for k, v in runs.items()}
        save()
    if "ttfr" in only:
        # Fresh process: import + build + run 1 s of COBA; Brian2 and
        # ANNarchy include their compile, BrainPy its JIT (and its run twice).
        R["ttfr"] = {k: run(py, COBA[k][0], "--duration", 1000) for k in ("brainsyn-1", *PEER_NAMES) if k in sims}
        save()
    if "scaling" in only:
        sc = {}
        # The same number of runs at every size (the best of each is kept),
        # and 5 s of COBA at 4000 neurons as above: a run of 0.1 s wall
        # time is noisier, and the start of a run (timing whether to split
        # loops) would weigh on it more than on the larger sizes. The
        # larger sizes run 1 s: the first 50 ms (about 16 % of the neurons
        # fire in the first step, and activity settles over the next few
        # hundred) cost about a quarter more per step than the rest, which
        # weighed 8 % on the 200 ms once run at 400 000 neurons. The slow
        # peers run once at the large sizes, and NEST (about 1300 s per
        # bio-second at 400 000 neurons, and 16 GB) 100 ms there: its time
        # then reads high by the start's weight.
        big = 1000. if not a.quick else 200.
        names = ("brainsyn-1", "brainsyn-2", "brian2-1", "nest-1", "annarchy-1")
        slow = {("nest-1", 40000): (big, 1), ("annarchy-1", 400000): (big, 1), ("nest-1", 400000): (min(big, 100.), 1)}
        for n, d in ((4000, dur), (40000, big), (400000, big)):
            runs = {k: [] for k in names}
            for rep in range(a.repeats):
                for k in names:
                    dk, n_runs = slow.get((k, n), (d, a.repeats))
                    if rep >= n_runs:
                        continue
                    if k == "nest-1" and n == 400000 and mem_available_gib() < 18:
                        runs[k].append({"error": f"skipped: NEST needs about 16 GB at 400 000 neurons, "
                                                 f"{mem_available_gib():.0f} GiB were available"})
                        continue
                    script, extra = COBA[k]
                    runs[k].append(run(py, script, "--n", n, "--p", 80. / n, "--duration", dk, *extra))
            sc[n] = {k: best(v) for k, v in runs.items()}
            R["scaling"] = sc
            save()
        R["scaling"] = sc
    if "agree" in only:
        R["agree"] = agreement(py, seeds, 1000.)
        save()
    if "instructions" in only:
        out = subprocess.run([sys.executable, os.path.join(HERE, "instructions.py")], capture_output=True, text=True,
                             cwd=ROOT)
        lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
        R["instructions"] = json.loads(lines[-1]) if lines else {"error": out.stderr[-500:]}
    res["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    save()
    text = report(res)
    print(text)
    with open(os.path.join(HERE, "last_run.txt"), "w") as f:
        f.write(text + "\n")


# The agreement checks: each peer against the brainsyn variant that follows
# its discrete-time conventions (shortest interspike interval in steps,
# and the step on which a spike first acts). The peers' own choices are
# measured in isi_check.py.
VARIANTS = {
    "brainsyn[brian2]": ("coba_brainsyn.py", ("--refractory-rule", "brian2")),
    "brainsyn[nest]": ("coba_brainsyn.py", ("--refractory-rule", "nest")),
    "brainsyn[nest,delay]": ("coba_brainsyn.py", ("--refractory-rule", "nest", "--delay", 0.1)),
    "brian2": ("coba_brian2.py", ()),
    "nest": ("coba_nest.py", ()),
    "annarchy": ("coba_annarchy.py", ()),
    "brainpy": ("coba_brainpy.py", ()),
}
PAIRS = [("brainsyn[brian2]", "brian2"), ("brainsyn[nest,delay]", "nest"), ("brainsyn[nest]", "annarchy"),
         ("brainsyn[nest]", "brainpy"), ("brainsyn[brian2]", "brainsyn[nest]")]


def agreement(py, seeds, duration):
    out = {"duration_ms": duration, "seeds": seeds, "coba": {}, "wang": {}}
    work = os.path.join(HERE, ".annarchy_agree")  # compiled once, reused for every seed
    for k, (script, extra) in VARIANTS.items():
        rates = []
        for s in range(1, seeds + 1):
            args = ("--duration", duration, "--seed", s, *extra)
            if k == "annarchy":
                args += ("--workdir", work)
            r = run(py, script, *args)
            rates.append(r.get("rate_hz", float("nan")))
            if "error" in r:
                out["coba"].setdefault("errors", {})[k] = r["error"][-300:]
        out["coba"][k] = rates
    for k, script in (("brainsyn", "wang_brainsyn.py"), ("brian2", "wang_brian2.py")):
        out["wang"][k] = [run(py, script, "--seed", s).get("rates_hz") for s in range(1, seeds + 1)]
    return out


def welch(x, y):
    """Welch's t-test of equal means: (difference, its standard error, t,
    degrees of freedom, two-sided p)."""
    x = [v for v in x if v == v]
    y = [v for v in y if v == v]
    nx, ny = len(x), len(y)
    mx, my = sum(x) / nx, sum(y) / ny
    vx = sum((v - mx) ** 2 for v in x) / (nx - 1)
    vy = sum((v - my) ** 2 for v in y) / (ny - 1)
    se = math.sqrt(vx / nx + vy / ny)
    t = (mx - my) / se if se > 0 else (0. if mx == my else math.inf)
    df = (vx / nx + vy / ny) ** 2 / ((vx / nx) ** 2 / (nx - 1) + (vy / ny) ** 2 / (ny - 1)) if se > 0 else nx + ny - 2
    return mx - my, se, t, df, student_p(abs(t), df)


def student_p(t, df):
    """Two-sided p of Student's t: the regularized incomplete beta
    I_{df/(df+t²)}(df/2, 1/2), by its continued fraction."""
    if math.isinf(t):
        return 0.
    x, a, b = df / (df + t * t), df / 2., 0.5
    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(math.log(x) * a + math.log1p(-x) * b + lbeta)
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1. - front * _betacf(b, a, 1. - x) / b


def _betacf(a, b, x):
    tiny = 1e-300
    c, d = 1., 1. - (a + b) * x / (a + 1)
    d = 1. / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)), -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1. + num * d
            d = 1. / (d if abs(d) > tiny else tiny)
            c = 1. + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.) < 1e-15:
            break
    return h


ALPHA = 0.01  # equal means are rejected below this p (|t| above about 2.9 at 18 degrees of freedom)


def mean_sd(x):
    x = [v for v in x if v == v]
    m = sum(x) / len(x)
    return m, math.sqrt(sum((v - m) ** 2 for v in x) / (len(x) - 1)) if len(x) > 1 else float("nan")


def per_s(r):
    return r["run_s"] / (r["duration_ms"] / 1000.) if "run_s" in r else float("nan")


def report(res):
    R = res["results"]
    L = []
    p = L.append
    la = res.get("loadavg_start")
    p(f"machine: {res['cpus']} CPUs; started {res.get('started', '?')}, finished {res.get('finished', '?')}; "
      f"load average at the start {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}" if la else f"machine: {res['cpus']} CPUs")
    for k, when in res.get("kept", {}).items():
        p(f"(section {k}: from the run started {when})")
    targets = []

    def fastest_peer(rs):
        ok = {k: per_s(r) for k, r in rs.items() if k in PEER_NAMES and "run_s" in r}
        return min(ok.items(), key=lambda kv: kv[1]) if ok else (None, float("nan"))

    if "coba" in R:
        c = R["coba"]
        fk, fv = fastest_peer(c)
        p(f"\nCOBA N=4000 (p=0.02, dt 0.1 ms, {c.get('brainsyn-1', {}).get('duration_ms', 0) / 1000:.0f} s); ratio = run time / fastest peer's ({fk})")
        p(f"{'simulator':<14}{'run s/bio-s':>12}{'build s':>9}{'RSS MB':>8}{'rate Hz':>9}{'ratio':>8}")
        for k, r in c.items():
            if "run_s" not in r:
                p(f"{k:<14} failed: {r.get('error', '')[-200:]!r}")
                continue
            p(f"{k:<14}{per_s(r):>12.4f}{r['build_s']:>9.2f}{r['peak_rss_mb']:>8.0f}{r['rate_hz']:>9.2f}"
              f"{per_s(r) / fv:>8.3f}")
        b1, b2 = c.get("brainsyn-1", {}), c.get("brainsyn-2", {})
        if "run_s" in b1:
            targets.append(("COBA N=4000, one thread, ratio to the fastest peer", per_s(b1) / fv, 0.4,
                            f"{per_s(b1):.4f} vs {fk} {fv:.4f} s/bio-s"))
        if "run_s" in b1 and "run_s" in b2:
            targets.append(("COBA N=4000, two threads / one thread", per_s(b2) / per_s(b1), 0.75,
                            f"{per_s(b2):.4f} vs {per_s(b1):.4f} s/bio-s"))
    if "wang" in R:
        w = R["wang"]
        ref = w.get("brian2-1", {})
        p("\nWang 2002 decision network, N=2000, 1.6 s; ratio = run time / Brian2's (the only peer)")
        p(f"{'simulator':<14}{'run s/bio-s':>12}{'build s':>9}{'RSS MB':>8}  rates Hz (E1 E2 E3 I){'':>6}{'ratio':>7}")
        for k, r in w.items():
            if "run_s" not in r:
                p(f"{k:<14} failed: {r.get('error', '')[-300:]!r}")
                continue
            rates = " ".join(f"{r['rates_hz'][q]:.2f}" for q in ("E1", "E2", "E3", "I"))
            ratio = per_s(r) / per_s(ref) if "run_s" in ref else float("nan")
            p(f"{k:<14}{per_s(r):>12.4f}{r['build_s']:>9.2f}{r['peak_rss_mb']:>8.0f}  {rates:<28}{ratio:>7.3f}")
        if "run_s" in w.get("brainsyn-1", {}) and "run_s" in ref:
            targets.append(("Wang 2002, one thread, ratio to Brian2", per_s(w["brainsyn-1"]) / per_s(ref), 0.6,
                            f"{per_s(w['brainsyn-1']):.4f} vs {per_s(ref):.4f} s/bio-s"))
    if "ttfr" in R:
        t = R["ttfr"]
        p("\nTime to first result (fresh process: import + build + 1 s of COBA; compiles included)")
        p("  " + ", ".join(f"{k} {r['process_wall_s']:.2f} s" for k, r in t.items() if "process_wall_s" in r))
    if "scaling" in R:
        names = ("brainsyn-1", "brainsyn-2", "brian2-1", "nest-1", "annarchy-1")
        p("\nCOBA at fixed in-degree (p = 80/N): run s/bio-s (build s), rate Hz; ratio = brainsyn-1 / fastest peer")
        p(f"{'N':>7}{'synapses':>10}" + "".join(f"{k:>22}" for k in names) + f"{'ratio':>7}{'RSS MB':>8}")
        first, first_syn = None, None
        for n, rs in R["scaling"].items():
            b1, b2 = rs.get("brainsyn-1", {}), rs.get("brainsyn-2", {})
            syn = b1.get("synapses", 0)
            cells = []
            for k in names:
                r = rs.get(k, {})
                cells.append(f"{per_s(r):>9.3f} ({r['build_s']:>5.1f}) {r['rate_hz']:>4.1f}" if "run_s" in r
                             else f"{'failed':>22}")
            fk, fv = fastest_peer(rs)
            ratio = per_s(b1) / fv if "run_s" in b1 else float("nan")
            p(f"{int(n):>7}{syn:>10}" + "".join(f"{c:>22}" for c in cells) + f"{ratio:>7.3f}"
              f"{b1.get('peak_rss_mb', float('nan')):>8.0f}")
            if "run_s" in b1:
                first = first or {k: per_s(rs[k]) for k in names if "run_s" in rs.get(k, {})}
                first_syn = first_syn or syn
                if syn != first_syn:
                    p(f"{'':>17}{syn / first_syn:.0f}x synapses: time " + ", ".join(
                        f"x{per_s(rs[k]) / first[k]:.0f} ({k})" for k in names if "run_s" in rs.get(k, {}) and k in first))
            if int(n) == 400000 and "run_s" in b1 and "run_s" in b2:
                targets.append(("COBA N=400k, two threads / one thread", per_s(b2) / per_s(b1), 0.6,
                                f"{per_s(b2):.3f} vs {per_s(b1):.3f} s/bio-s"))
        short = [f"{k} at {int(n)}: {r['duration_ms']:.0f} ms" for n, rs in R["scaling"].items()
                 for k, r in rs.items() if "duration_ms" in r and r["duration_ms"] < 1000]
        if short:
            p(f"{'':>7}(shorter runs: {'; '.join(short)})")
    if "agree" in R:
        ag = R["agree"]
        p(f"\nAgreement of rates: COBA N=4000, {ag['duration_ms']:.0f} ms, {ag['seeds']} seeds per simulator "
          f"(mean ± sd over seeds, Hz); Welch's t-test of equal means, rejected at p < {ALPHA}")
        co = ag["coba"]
        for k, v in co.items():
            if k != "errors":
                m, sd = mean_sd(v)
                p(f"  {k:<22}{m:>8.3f} ± {sd:.3f}")
        p(f"  {'pair':<44}{'diff Hz':>9}{'(%)':>8}{'SE':>7}{'t':>7}{'df':>6}{'p':>8}  result")
        for x, y in PAIRS:
            if x in co and y in co:
                d, se, t, df, pv = welch(co[x], co[y])
                ok = "equal" if pv >= ALPHA else "DIFFERENT"
                p(f"  {x + ' vs ' + y:<44}{d:>9.3f}{100 * d / mean_sd(co[y])[0]:>7.2f}%{se:>7.3f}{t:>7.2f}"
                  f"{df:>6.1f}{pv:>8.3f}  {ok}")
        for k, e in co.get("errors", {}).items():
            p(f"  {k} failed: {e!r}")
        wa = ag.get("wang", {})
        if wa.get("brainsyn") and wa.get("brian2"):
            p(f"  Wang 2002, 1.6 s, {ag['seeds']} seeds: pool rates (mean ± sd, Hz), brainsyn vs Brian2")
            for q in ("E1", "E2", "E3", "I"):
                xs = [r[q] for r in wa["brainsyn"] if r]
                ys = [r[q] for r in wa["brian2"] if r]
                d, se, t, df, pv = welch(xs, ys)
                (mx, sx), (my, sy) = mean_sd(xs), mean_sd(ys)
                p(f"    {q:<4}{mx:>8.3f} ± {sx:<7.3f}{my:>8.3f} ± {sy:<7.3f} diff {d:>7.3f} t {t:>6.2f} p {pv:.3f}  "
                  f"{'equal' if pv >= ALPHA else 'DIFFERENT'}")
    if "instructions" in R:
        ins = R["instructions"]
        if "instructions_per_step" in ins:
            p(f"\nInstructions per COBA step (N=4000, one thread, callgrind, AVX2 kernel): "
              f"{ins['instructions_per_step']:.0f} ({ins['instructions_per_neuron_step']:.2f} per neuron-step)")
        else:
            p(f"\nInstructions: failed: {ins.get('error', '')!r}")
    if targets:
        p("\nTargets")
        for name, v, lim, detail in targets:
            p(f"  {name}: {v:.3f} (target <= {lim}): {'met' if v <= lim else 'NOT met'} ({detail})")
    return "\n".join(L)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--report":
        with open(os.path.join(HERE, "results.json")) as f:
            print(report(json.load(f)))
    else:
        main()
