"""Issue 16: the big sheets' cells written by tradecalc's own streaming writer are XlsxWriter's.

``build_workbook(..., streamed=False)`` writes every cell through XlsxWriter
(the reference); the default build renders the Figures, Derived and Checks
cells itself (:mod:`tradecalc.workbook.sheetdata`). Both must give the same
workbook: every member of the zip the same XML, every cell the same value,
type, formula, cached value and style as openpyxl reads them. The numbers
themselves are checked against ``tradecalc.derive`` (an exact round trip of
every float), not against either writer.
"""

from __future__ import annotations

import io
import math
import sys
import zipfile

import openpyxl
import pytest
from helpers import CHONGQING, ROOT
from hypothesis import given
from hypothesis import strategies as st

import tradecalc
from tradecalc.model.releasefile import loads
from tradecalc.workbook import sheetdata
from tradecalc.workbook.formulas import MAX_CELL_CHARS, shortened, utf16_len
from tradecalc.workbook.writer import build_workbook

#: Above the shared-formula threshold (2,000 figures), so shared formulas are streamed too.
FIGURES = 2_100


@pytest.fixture(scope="module")
def synthetic():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic import release_text
    finally:
        sys.path.pop(0)
    return loads(release_text(FIGURES))


@pytest.fixture(scope="module")
def pair(synthetic):
    return build_workbook(synthetic, "xlsx"), build_workbook(synthetic, "xlsx", streamed=False)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_chongqing_streamed_is_xlsxwriters_file_byte_for_byte():
    release = tradecalc.load(CHONGQING)
    for fmt in ("xlsx",):
        assert build_workbook(release, fmt) == build_workbook(release, fmt, streamed=False)


def test_the_empty_template_is_the_same_file_streamed():
    from tradecalc.workbook.writer import empty_release

    assert build_workbook(empty_release()) == build_workbook(empty_release(), streamed=False)


def test_every_member_holds_the_same_xml(pair):
    streamed, reference = (_members(d) for d in pair)
    assert list(streamed) == list(reference)
    for name in reference:
        assert streamed[name] == reference[name], name
    sheet = streamed["xl/worksheets/sheet3.xml"]
    assert (
        f'<f t="shared" ref="V2:V{FIGURES + 1}" si="0">'.encode() in sheet
    )  # streamed shared formulas


def test_large_sheets_are_deflated_fast_and_read_the_same(synthetic, monkeypatch):
    monkeypatch.setattr(sheetdata, "FAST_LEVEL_MIN_CELLS", 0)
    fast = build_workbook(synthetic, "xlsx")
    reference = build_workbook(synthetic, "xlsx", streamed=False)
    assert fast != reference  # another deflate level ...
    assert _members(fast) == _members(reference)  # ... of the same XML
    with zipfile.ZipFile(io.BytesIO(fast)) as z:
        assert z.testzip() is None


def _style(cell):
    return (
        cell.number_format,
        repr(cell.font),
        repr(cell.fill),
        repr(cell.alignment),
        repr(cell.border),
    )


def _content(cell):
    v = cell.value
    if hasattr(v, "text") and hasattr(v, "ref"):  # an array formula
        return ("array", v.ref, v.text)
    return (cell.data_type, v)


@pytest.mark.parametrize("data_only", [False, True], ids=["formulas", "cached values"])
def test_every_cell_is_the_same_as_through_xlsxwriter(pair, data_only):
    """Value, type, formula (or cached value) and style of every cell of every sheet, by openpyxl."""
    streamed, reference = (openpyxl.load_workbook(io.BytesIO(d), data_only=data_only) for d in pair)
    assert streamed.sheetnames == reference.sheetnames
    compared = 0
    for name in reference.sheetnames:
        a, b = streamed[name], reference[name]
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), name
        for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                assert _content(ca) == _content(cb), (name, ca.coordinate)
                assert _style(ca) == _style(cb), (name, ca.coordinate)
                compared += 1
    assert compared > 50 * FIGURES


def test_cached_numbers_round_trip_exactly(synthetic, pair):
    """Each Derived cell's cached number is tradecalc's float itself (XlsxWriter's %.16G lost the
    17th digit of e.g. 0.00023486998300155935)."""
    derived = tradecalc.derive(synthetic)
    ws = openpyxl.load_workbook(io.BytesIO(pair[0]), data_only=True, read_only=True)["Derived"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    needs_17 = 0
    for row in rows:
        rec = dict(zip(header, row))
        for column in ("base", "share", "pull_pp", "contribution", "base_low", "base_high"):
            expected = derived.at[rec["id"], column]
            if math.isnan(expected):
                assert rec[column] in (None, ""), (rec["id"], column)
            else:
                assert rec[column] == expected, (rec["id"], column)
                needs_17 += float(f"{expected:.16G}") != expected
    assert needs_17 > 0  # the case XlsxWriter alone gets wrong did occur


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_reads_back_as_the_same_float(x):
    text = sheetdata.number_text(x)
    assert float(text) == x and math.copysign(1, float(text)) == math.copysign(1, x)
    if float(f"{x:.16G}") == x:
        assert text == f"{x:.16G}"  # XlsxWriter's own text whenever it is exact
    mantissa = text.lstrip("-").split("E")[0].split("e")[0]
    assert len(mantissa.replace(".", "").strip("0")) <= 17  # significant digits


# ------------------------------------------------------------------------------ cells Excel cannot hold


def _with_label(label: str):
    import dataclasses

    release = tradecalc.load(CHONGQING)
    figures = [
        dataclasses.replace(f, label=label) if f.id == "exports" else f for f in release.figures
    ]
    return dataclasses.replace(release, figures=figures)


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "XlsxWriter"])
def test_text_beyond_a_cell_in_utf16_units_is_refused_not_cut(streamed):
    """20,000 emoji are 20,000 characters to Python but 40,000 to Excel: XlsxWriter alone would cut it."""
    label = "\U0001f600" * 20_000
    assert len(label) < MAX_CELL_CHARS < utf16_len(label)
    with pytest.raises(ValueError, match=r"Figures!B\d+: a text of 40,000 characters"):
        build_workbook(_with_label(label), "xlsx", streamed=streamed)


def test_text_of_a_full_cell_is_kept_whole():
    label = "\U0001f600" * 16_000 + "x" * (MAX_CELL_CHARS - 32_000)
    assert utf16_len(label) == MAX_CELL_CHARS
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(_with_label(label), "xlsx")))
    ws = book["Figures"]
    labels = [c.value for c in ws["B"]]
    assert label in labels


def test_shortened_counts_utf16_units():
    text = ",".join("\U0001f600" * 5 for _ in range(5_000))  # 30,000 characters, 55,000 units
    s = shortened(text)
    assert utf16_len(s) <= MAX_CELL_CHARS < utf16_len(text)
    assert s.endswith("more (cut to fit a cell; `tradecalc check` lists them all)")
    kept = s.split(",… and ")[0].count(",") + 1
    assert f"and {5_000 - kept:,} more" in s
