"""The package version: setup.py reads it from here, so it is written once."""

__version__ = "0.1.0"
