"""Sphinx configuration: the brainsyn documentation site.

Build with ``make docs`` (HTML in docs/_build/html, warnings are errors).
The API reference is read from the docstrings of the installed package
(``pip install .`` first), the pages are the Markdown files of docs/, and
the notebooks examples/synaptic_models.ipynb and examples/neurons.ipynb are
executed during the build.
"""

import json
import os
import sys

import brainsyn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

project = "brainsyn"
author = "the brainsyn authors"
copyright = "the brainsyn authors"
release = brainsyn.__version__
version = release

extensions = [
    "myst_nb",  # Markdown pages (myst-parser) and notebooks, executed
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
]

exclude_patterns = ["_build", "**/.ipynb_checkpoints", "requirements.txt"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}
root_doc = "index"

# Docstrings are numpydoc-style; napoleon reads them.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_custom_sections = [("Common parameters", "params_style")]  # the synapse classes'
autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_default_options = {"show-inheritance": True}

highlight_language = "text"  # code blocks without a language (tables, output) are not highlighted
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# The notebook runs on every build, in a kernel of this very interpreter,
# so it uses the brainsyn installed here; an error in a cell fails the build.
nb_execution_mode = "force"
nb_execution_timeout = 180
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

html_theme = "furo"
html_title = f"brainsyn {release}"
html_static_path = []



def _public_bases(app, name, obj, options, bases):
    """Show a class's public bases: a private base (``_Synapse``) is
    replaced by its own bases."""
    out = []
    for b in bases:
        todo = [b]
        while todo:
            c = todo.pop(0)
            if getattr(c, "__name__", "").startswith("_"):
                todo[:0] = [x for x in c.__bases__ if x is not object]
            elif c not in out:
                out.append(c)
    bases[:] = out


def setup(app):
    app.connect("autodoc-process-bases", _public_bases)


# ---------------------------------------------------------------------------
# The notebooks of examples/ live outside the source folder: copy them in
# (docs/gallery/ is git-ignored) with a kernel spec for sys.executable.

NOTEBOOKS = ("synaptic_models", "neurons")

_GALLERY = os.path.join(HERE, "gallery")
_KERNELS = os.path.join(HERE, "_build", "jupyter")


def _stage_notebook():
    os.makedirs(_GALLERY, exist_ok=True)
    spec = os.path.join(_KERNELS, "kernels", "brainsyn-docs")
    os.makedirs(spec, exist_ok=True)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                            "--IPKernelApp.log_level=ERROR"],
                   "display_name": "brainsyn docs", "language": "python"}, f)
    os.environ["JUPYTER_PATH"] = _KERNELS + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # figures as cell outputs
    os.environ.pop("BRAINSYN_FIGURES", None)  # the notebook writes no files during the build
    for name in NOTEBOOKS:
        with open(os.path.join(ROOT, "examples", name + ".ipynb"), encoding="utf-8") as f:
            nb = json.load(f)
        nb.setdefault("metadata", {})["kernelspec"] = {"name": "brainsyn-docs", "display_name": "brainsyn docs",
                                                       "language": "python"}
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        dst = os.path.join(_GALLERY, name + ".ipynb")
        old = open(dst, encoding="utf-8").read() if os.path.exists(dst) else None
        if old != text:  # leave an unchanged copy alone
            with open(dst, "w", encoding="utf-8") as f:
                f.write(text)


_stage_notebook()
