"""Docstrings state equations, parameters with defaults, and units."""

import inspect
import os

import pytest


def test_help_nmda_shows_equations_parameters_and_units(bp):
    doc = inspect.getdoc(bp.synapses.NMDA)
    for item in (r"\frac{ds}{dt}", r"\tau_{rise}", "Mg", "g_max 0.15", "E 0 [mV]", "cc_Mg 1.2 [mM]",
                 "alpha 0.062 [1/mV]", "tau 100 [ms]", "tau_rise 2 [ms]", "method='rk4'",
                 "delay : float or array [ms], default 0", "post.input −= g_max·s·(V_post − E) [mV]"):
        assert item in doc, item


@pytest.mark.parametrize("module", ["synapses", "neurons", "visualize", "inputs", "checkpoint", "monitor"])
def test_every_public_docstring_gives_units(bp, module):
    mod = getattr(bp, module)
    missing = []
    for name in mod.__all__:
        doc = inspect.getdoc(getattr(mod, name)) or ""
        if not any(u in doc for u in ("[ms]", "[mV]", "[Hz]", "[inches]")):
            missing.append(name)
    assert not missing, f"{module}: no units in the docstrings of {missing}"


def test_units_page_covers_the_conventions():
    path = os.path.join(os.path.dirname(__file__), "..", "docs", "units.md")
    text = open(path, encoding="utf-8").read()
    for item in ("ms", "mV", "input −= g_max · s · (V_post − E)", "dimensionless", "Hz"):
        assert item in text


ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir)


def _slug(heading):
    """The anchor GitHub (and the docs site) give a Markdown heading."""
    import re
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _markdown_files():
    files = [os.path.join(ROOT, "README.md")]
    for folder, _, names in os.walk(os.path.join(ROOT, "docs")):
        if "_build" in folder.split(os.sep) or "gallery" in folder.split(os.sep):
            continue
        files += [os.path.join(folder, n) for n in names if n.endswith(".md")]
    return files


def test_links_between_readme_and_docs_resolve():
    import re
    anchors, links = {}, []
    for path in _markdown_files():
        text = open(path, encoding="utf-8").read()
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # no links in code
        anchors[os.path.normpath(path)] = {_slug(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}
        links += [(path, t) for t in re.findall(r"\]\(([^)\s]+)\)", text)]
    assert len(links) > 20
    broken = []
    for path, target in links:
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else os.path.normpath(path)
        if not os.path.exists(dest):
            broken.append(f"{os.path.relpath(path, ROOT)}: {target} (no such file)")
        elif anchor and anchor not in anchors.get(dest, set()):
            broken.append(f"{os.path.relpath(path, ROOT)}: {target} (no such heading)")
    assert not broken, broken
