"""Helpers the tests import (strategies, the workbook fixture, the reliability counters)."""

from pathlib import Path

#: The repository root; ``../shared`` (release texts) lies beside it.
ROOT = Path(__file__).resolve().parents[2]
