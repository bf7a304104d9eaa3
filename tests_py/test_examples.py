"""Every figure script of the chapter under examples/ runs and writes its figure.

The scripts are copied to a temporary folder (their figures go to
``<tmp>/docs``, not into the repository) and run one after the other in a
single Python subprocess, so the package is imported once. Where a script
prints a number published in reference §5.6, the number is checked.
"""

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "examples")
# One script per figure of the chapter (issue 3); other examples have their own tests.
SCRIPTS = ["alpha.py", "ampa.py", "current_vs_conductance.py", "dual_exponential.py", "exponential.py",
           "gabab.py", "gap_junction.py", "nmda.py", "voltage_jump.py", "stp.py", "stdp.py",
           "oja.py", "bcm.py", "neuron_models.py"]

# Figures under docs/ of the scripts that do not write docs/<script>.png.
FIGURE = {"stp.py": "figures/stp.png", "stdp.py": "figures/stdp.png", "oja.py": "figures/oja.png",
          "bcm.py": "figures/bcm.png", "neuron_models.py": "figures/neuron_AdExIF.png"}

# Reference §5.6, as the scripts print them (4 significant digits).
PUBLISHED = {
    "ampa.py": ["0.6542", "22.1 ms", "0.1607"],
    "nmda.py": ["0.5916", "0.8033", "0.7731"],
    "gabab.py": ["1.5569e-07", "118.0 ms", "2.369e-09"],
    "gap_junction.py": ["4.904", "18.644"],
}

RUNNER = textwrap.dedent("""
    import runpy, sys, traceback
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    failed = 0
    for path in sys.argv[1:]:
        print("=== " + path, flush=True)
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException:
            traceback.print_exc(file=sys.stdout)
            print("!!! FAILED", flush=True)
            failed += 1
        plt.close("all")
    sys.exit(1 if failed else 0)
""")


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    root = tmp_path_factory.mktemp("ex")
    shutil.copytree(EXAMPLES, root / "examples")
    paths = [str(root / "examples" / f) for f in SCRIPTS]
    p = subprocess.run([sys.executable, "-c", RUNNER, *paths], capture_output=True, text=True, timeout=120,
                       cwd=root)
    out = {}
    for block in p.stdout.split("=== ")[1:]:
        head, _, body = block.partition("\n")
        out[os.path.basename(head.strip())] = body
    return root, out, p


def test_every_neuron_model_has_an_example(ran):
    """examples/neuron_models.py covers every registered neuron model and
    writes a figure for each; each one spikes under its drive."""
    import brainsyn as bp
    root, out, p = ran
    models = [m["name"] for m in bp.neurons.REGISTRY.values()]
    for name in models:
        png = root / "docs" / "figures" / f"neuron_{name}.png"
        assert png.exists() and png.stat().st_size > 5000, f"{png} missing or empty"
        line = [ln for ln in out["neuron_models.py"].splitlines() if ln.startswith(name + ":")]
        assert line and not line[0].startswith(f"{name}: 0 spikes"), (name, out["neuron_models.py"])


def test_the_scripts_exist():
    assert set(SCRIPTS) <= set(os.listdir(EXAMPLES))


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs(ran, script):
    root, out, p = ran
    assert script in out, p.stdout + p.stderr
    assert "!!! FAILED" not in out[script], out[script]
    png = root / "docs" / FIGURE.get(script, script.replace(".py", ".png"))
    assert png.exists() and png.stat().st_size > 5000, f"{png} missing or empty"
    for text in PUBLISHED.get(script, []):
        assert text in out[script], (text, out[script])
