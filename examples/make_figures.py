"""Run examples/synaptic_models.ipynb headless and write its figures to docs/figures/*.png.

Usage: python examples/make_figures.py  (needs nbclient and ipykernel: pip install '.[test]')
"""

import os
import sys

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "docs", "figures")


def main():
    os.makedirs(OUT, exist_ok=True)
    os.environ["BRAINSYN_FIGURES"] = os.path.abspath(OUT)  # the kernel inherits it
    nb = nbformat.read(os.path.join(HERE, "synaptic_models.ipynb"), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": HERE}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("name") == "stdout":
                sys.stdout.write(out["text"])
    print("figures:", ", ".join(sorted(os.listdir(OUT))))


if __name__ == "__main__":
    main()
