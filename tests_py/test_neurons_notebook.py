"""examples/neurons.ipynb runs headless without errors and has one section
per registered neuron model, each of which fires when driven through its
synapse."""

import json
import os
import re
import sys

import pytest

import brainsyn as bp

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = os.path.join(os.path.dirname(__file__), "..", "examples", "neurons.ipynb")


def test_neurons_notebook_runs_with_a_section_per_model(tmp_path, monkeypatch):
    spec = tmp_path / "kernels" / "brainsyn-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "brainsyn test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    headings = re.findall(r"^## (\w+):", "".join(c.source + "\n" for c in nb.cells if c.cell_type == "markdown"),
                          flags=re.M)
    assert sorted(headings) == sorted(bp.neurons.REGISTRY)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="brainsyn-test",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    for name in bp.neurons.REGISTRY:
        m = re.search(rf"^{name}: (\d+) spikes in 300 ms", text, flags=re.M)
        assert m and int(m.group(1)) >= 3, (name, text)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
