"""examples/neurons.ipynb runs headless without errors and has one section
per registered neuron model, each of which fires when driven through its
synapse."""

import re

import brainsyn as bp


def test_neurons_notebook_runs_with_a_section_per_model(run_notebook):
    nb, text = run_notebook("neurons.ipynb", timeout=120)
    headings = re.findall(r"^## (\w+):", "".join(c.source + "\n" for c in nb.cells if c.cell_type == "markdown"),
                          flags=re.M)
    assert sorted(headings) == sorted(bp.neurons.REGISTRY)
    for name in bp.neurons.REGISTRY:
        m = re.search(rf"^{name}: (\d+) spikes in 300 ms", text, flags=re.M)
        assert m and int(m.group(1)) >= 3, (name, text)
