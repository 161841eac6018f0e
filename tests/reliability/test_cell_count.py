"""The zip guard counts a sheet's cells while inflating it in 1 MiB chunks: each cell exactly once,
whatever falls on a chunk boundary (checked against a count over the whole text)."""

from __future__ import annotations

import random
import zipfile

import pytest

from tradecalc.errors import UnsafeFile
from tradecalc.io import safety

PIECES = [b'<c r="A1">', b"<x:c ", b"<c/>", b"<col>", b"<cell>", b"<ns:c>", b" ", b"<", b"c", b":"]


def sheet_zip(tmp_path, seed: int):
    """A zip whose one sheet is 3 MiB of cell-like tags (three chunk boundaries), and its cells."""
    rng = random.Random(seed)
    text = b"".join(rng.choice(PIECES) for _ in range(600_000))
    path = tmp_path / f"cells-{seed}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", text)
    return path, len(safety._CELL.findall(text))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_cell_limit_is_exact_across_chunk_boundaries(tmp_path, monkeypatch, seed):
    path, cells = sheet_zip(tmp_path, seed)
    assert cells > 100_000
    monkeypatch.setattr(safety, "MAX_CELLS", cells)
    safety._stream_members(path)  # exactly at the limit: admitted
    monkeypatch.setattr(safety, "MAX_CELLS", cells - 1)
    with pytest.raises(UnsafeFile, match="cells"):
        safety._stream_members(path)
