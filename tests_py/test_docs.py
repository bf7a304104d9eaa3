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
