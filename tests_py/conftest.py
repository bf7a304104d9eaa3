import os

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _reset_dt():
    """Every test starts at the default dt of 0.1 ms and one thread."""
    import brainsyn as bp
    bp.backend.set(dt=0.1)
    bp.set_num_threads(1)
    bp.check_nan = False
    yield
    bp.backend.set(dt=0.1)
    bp.set_num_threads(1)


@pytest.fixture
def bp():
    import brainsyn
    return brainsyn


@pytest.fixture
def run_notebook(tmp_path, monkeypatch):
    """Executes a notebook of examples/ headless, with a kernel of this very
    interpreter (found first through JUPYTER_PATH, so it runs against the
    brainsyn installed here); returns the notebook and its printed text.
    A cell that raises fails the test (CellExecutionError)."""
    import json
    import sys

    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    spec = tmp_path / "kernels" / "brainsyn-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "brainsyn test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")  # no inline rendering: keeps the run short
    monkeypatch.delenv("BRAINSYN_FIGURES", raising=False)
    examples = os.path.join(os.path.dirname(__file__), os.pardir, "examples")

    def run(name, timeout=60):
        nb = nbformat.read(os.path.join(examples, name), as_version=4)
        nbclient.NotebookClient(nb, timeout=timeout, kernel_name="brainsyn-test",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors
        return nb, text
    return run
