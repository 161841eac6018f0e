"""The command line: the only layer that prints and exits."""

from tradecalc.cli.main import main

__all__ = ["main"]
