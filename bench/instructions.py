"""Instructions per COBA step (N = 4000, one thread), counted by callgrind:
a noise-free regression signal for the step, where wall times on a shared
machine move by several percent.

The capi test TestCOBASteps builds COBA through the handles (as Python
does) and runs BRAINSYN_COBA_STEPS steps; it runs under callgrind for two
step counts, and the difference of the totals over the difference of the
steps is the cost of a step of the settled network (about 21 Hz): the
first steps (the start's burst of spikes) fall in both runs. Valgrind
emulates no AVX-512, so the count is of the AVX2 kernel.

    python bench/instructions.py          # prints one JSON line
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def count(binary, steps, workdir):
    """Instructions executed inside RunFor for a run of `steps` steps."""
    out = os.path.join(workdir, f"callgrind.{steps}")
    # Go's asynchronous preemption signals trip callgrind (an assertion
    # on signals); without them the count is the same from run to run.
    env = dict(os.environ, BRAINSYN_COBA_STEPS=str(steps), GOGC="off", GOMAXPROCS="1", GODEBUG="asyncpreemptoff=1")
    # Only what runs inside RunFor (the steps, on this thread) is counted:
    # not the set-up, nor the Go runtime's own threads, whose work follows
    # the wall time (about 0.1 % from run to run when they were counted).
    subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=*capi.RunFor", f"--callgrind-out-file={out}",
                    binary,
                    "-test.run", "^TestCOBASteps$", "-test.count", "1"],
                   check=True, env=env, capture_output=True, cwd=workdir)
    with open(out) as f:
        for line in f:
            m = re.match(r"(summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(2))
    raise RuntimeError(f"no instruction total in {out}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, nargs=2, default=(1000, 3000))
    a = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing (apt-get install -y valgrind)")
    work = tempfile.mkdtemp(prefix="brainsyn_instr_")
    try:
        binary = os.path.join(work, "capi.test")
        go = shutil.which("go") or "/usr/local/go/bin/go"
        subprocess.run([go, "test", "-c", "-o", binary, "./capi"], check=True, cwd=ROOT)
        s1, s2 = a.steps
        i1, i2 = count(binary, s1, work), count(binary, s2, work)
        print(json.dumps({"model": "COBA N=4000, one thread", "steps": [s1, s2], "instructions": [i1, i2],
                          "instructions_per_step": (i2 - i1) / (s2 - s1),
                          "instructions_per_neuron_step": (i2 - i1) / (s2 - s1) / 4000}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
