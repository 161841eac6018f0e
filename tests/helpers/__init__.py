"""Helpers the tests import (strategies, the workbook fixture, the reliability counters)."""

from pathlib import Path

#: The repository root; ``../shared`` (release texts) lies beside it.
ROOT = Path(__file__).resolve().parents[2]
#: The release files in the repository, and the one most tests use: Chongqing Q1 2021.
RELEASES = ROOT / "workbooks" / "releases"
CHONGQING = RELEASES / "chongqing-2021-q1.toml"
