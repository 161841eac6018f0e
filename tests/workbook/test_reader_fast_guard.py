"""The zip guard's shortcuts refuse exactly what its full scans refuse.

* The cell count is skipped when the members' declared sizes cannot hold
  more than MAX_CELLS cell tags (a tag takes 3 bytes at least, and zipfile
  inflates a member to at most its declared size).
* The DTD scan looks for the six markers only in a chunk holding a "!".
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.errors import UnsafeFile
from tradecalc.io import safety

PIECES = [b"<c>", b"<c/>", b"<c ", b"<x:c>", b"<col>", b"<", b"c", b">", b" ", b"<cc>", b"a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=400))
def test_a_text_holds_at_most_a_third_of_its_bytes_in_cell_tags(pieces):
    text = b"".join(pieces)
    assert len(safety._CELL.findall(text)) <= len(text) // 3


def _one_sheet(path, text: bytes, name="xl/worksheets/sheet1.xml"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, text)
    return path


@pytest.mark.parametrize("tag", [b"<c>", b"<c/>"])
def test_the_densest_sheet_is_still_counted(tmp_path, monkeypatch, tag):
    """Cells as short as a tag can be (3 bytes): the bound admits no skipping, the limit is exact."""
    n = 30_000
    path = _one_sheet(tmp_path / "dense.xlsx", tag * n)
    monkeypatch.setattr(safety, "MAX_CELLS", n)
    safety._stream_members(path)  # exactly at the limit
    monkeypatch.setattr(safety, "MAX_CELLS", n - 1)
    with pytest.raises(UnsafeFile, match=f"more than {n - 1:,} cells"):
        safety._stream_members(path)


def test_the_bound_is_a_third_of_the_declared_sheet_bytes(tmp_path):
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"x" * 3001)
        z.writestr("xl/worksheets/_rels/sheet1.xml.rels", b"y" * 300)
        z.writestr("xl/sharedStrings.xml", b"<c>" * 1000)  # not a sheet: its tags are not cells
        z.writestr("xl/worksheets/image.png", b"z" * 3000)  # not XML
    with zipfile.ZipFile(path) as z:
        assert safety._cells_bound(z.infolist()) == 1000 + 100


def _lying_zip(declared: int, data: bytes) -> io.BytesIO:
    """One deflated member whose directory says ``declared`` bytes (and the true CRC)."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = c.compress(data) + c.flush()
    crc, name = zlib.crc32(data), b"xl/worksheets/sheet1.xml"
    local = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, len(raw), declared, len(name), 0
    )
    central = struct.pack(
        "<4s6H3L5H2L",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        33,
        crc,
        len(raw),
        declared,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    body = local + name + raw
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), len(body), 0)
    return io.BytesIO(body + central + name + end)


def test_zipfile_inflates_a_member_to_at_most_its_declared_size():
    """The premise of the bound: a member that declares less than it holds is cut there (then fails its CRC)."""
    data = b"<c>" * 100_000
    got = 0
    with zipfile.ZipFile(_lying_zip(3000, data)) as z, z.open("xl/worksheets/sheet1.xml") as fh:
        with pytest.raises(zipfile.BadZipFile, match="CRC"):
            while chunk := fh.read(2**20):
                got += len(chunk)
    assert got <= 3000


def test_a_sheet_lying_about_its_size_is_refused_as_damaged(tmp_path, monkeypatch):
    """Declared 3,000 bytes (at most 1,000 cells: not counted), holds 100,000 cells: refused all the same."""
    path = tmp_path / "liar.xlsx"
    path.write_bytes(_lying_zip(3000, b"<c>" * 100_000).getvalue())
    monkeypatch.setattr(safety, "MAX_CELLS", 2000)
    with pytest.raises(Exception, match="inflates beyond its declared size"):
        safety._stream_members(path)


def test_every_dtd_marker_holds_an_exclamation_mark():
    assert len(safety._DTD_MARKERS) == 6
    assert all(b"!" in m for m in safety._DTD_MARKERS)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("decl", ["<!DOCTYPE worksheet>", '<!ENTITY a "b">'])
@pytest.mark.parametrize("at", [0, 2**20 - 5, 2**20 + 3])
def test_a_dtd_is_refused_wherever_it_falls(tmp_path, encoding, decl, at):
    """Also across a chunk boundary (the scan's window keeps the previous chunk's tail)."""
    text = (" " * at + decl + " " * 100).encode(encoding)
    path = _one_sheet(tmp_path / "dtd.xlsx", text)
    with pytest.raises(UnsafeFile, match="declares an XML DTD or entities"):
        safety._stream_members(path)
