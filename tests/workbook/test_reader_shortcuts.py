"""The workbook reader's shortcuts give what the general ways give.

* :func:`tradecalc.io.safety._cell_count` counts cell elements with ``bytes.count``
  where no cell can carry a namespace prefix: the same count as the regular
  expression's ``findall``, on text built of cell tags, look-alikes (``<col``,
  ``<cfRule``, a prefixed ``<x:c``) and a ``<c`` cut at the end.
* :func:`tradecalc.workbook.parts._plain_extent` searches for a cell beyond the
  last one written instead of reading every address: the same extent as
  reading them all, and as the largest row and column of the cells generated,
  in any order (rows growing, shuffled, leading zeros, three-letter columns).
* :func:`tradecalc.io.safety.check_workbook_file` returns the members it was
  asked to keep exactly as zipfile inflates them, and nothing when refusing.
* :func:`tradecalc.model.release._number` on a float cell (no ``Published``
  built) and the reader's precision inference on floats: values, decimals,
  a stored -0 and the refusals of a bad decimals cell as before.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tradecalc.errors import UnsafeFile
from tradecalc.io import safety
from tradecalc.model.release import ReleaseError, from_records
from tradecalc.workbook.parts import (
    _PREFIXED_CELL,
    _extent_by_findall,
    _plain_extent,
    column_letters,
    is_plain,
)
from tradecalc.workbook.reader import _infer_precision, _is_worksheet_xml

#: The count rule is_plain must agree with, written differently: every cell (a "<c" that does
#: not start another name, such as <col or <cfRule) is a '<c r="', and none has a prefix.
_OTHER_C = re.compile(rb"<c(?=[^\s/>])")  # a lookahead: "<c<col" holds two


def _is_plain_by_counts(xml: bytes) -> bool:
    """:func:`is_plain` by counting."""
    cells = xml.count(b"<c") - len(_OTHER_C.findall(xml))
    return xml.count(b'<c r="') == cells and _PREFIXED_CELL.search(xml) is None


#: The committed template workbook of the Chongqing Q1 2021 release.
CHONGQING = Path(__file__).resolve().parents[2] / "workbooks" / "chongqing-2021-q1.xlsx"

FRAGMENTS = [
    b'<c r="A1">',
    b"<c/>",
    b"<c>",
    b"<c\t",
    b"<c\n",
    b"<col>",
    b"<cols>",
    b"<cfRule>",
    b"<x:c ",
    b"<ab.c:c/>",
    b":c",
    b"<c",
    b"x",
    b"<",
    b"c ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_cell_count_is_the_patterns_count(parts):
    xml = b"".join(parts)
    assert safety._cell_count(xml) == len(safety._CELL.findall(xml))


def test_cell_count_of_a_row():
    # two cells, a column definition and a conditional format: 2 cells
    xml = b'<cols><col min="1"/></cols><row r="1"><c r="A1"><v>1</v></c><c r="B1"/></row><cfRule/>'
    assert safety._cell_count(xml) == 2


cells = st.tuples(
    st.integers(1, 16384), st.integers(0, 1_048_576), st.sampled_from(["", "0", "00"])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=25), st.sampled_from(["as given", "sorted", "reversed"]))
def test_plain_extent_is_the_largest_address(addresses, order):
    if order == "sorted":
        addresses = sorted(addresses, key=lambda a: (a[1], a[0]))
    elif order == "reversed":
        addresses = sorted(addresses, key=lambda a: (a[1], a[0]), reverse=True)
    xml = b"".join(
        f'<c r="{column_letters(c)}{zeros}{r}"><v>1</v></c>'.encode() for c, r, zeros in addresses
    )
    expected = (
        max((r for _, r, _ in addresses), default=0),
        max((c for c, _, _ in addresses), default=0),
    )
    assert _plain_extent(xml) == expected == _extent_by_findall(xml)


@pytest.mark.parametrize(
    "xml",
    [
        b'<c r="A1"/><c r="ABCD7"/><c r="B2"/>',  # four letters: no row read, three letters of column
        b'<c r="ZZZ"/><c r="A3"/>',  # a column without a row
        b'<c r="A1x"/><c r="C2"/><c r="B5x"/>',  # the last cell's address is not a cell's
        b'<c r="A1"/>'
        + b"".join(b'<c r="%s%d"/>' % (column_letters(i).encode(), i) for i in range(2, 40)),
        b"",
    ],
)
def test_plain_extent_of_odd_addresses(xml):
    assert _plain_extent(xml) == _extent_by_findall(xml)


def test_plain_extent_of_growing_cells_after_a_small_last_one():
    # every cell beyond the one before, then a small last one: the passes run out, all are read
    xml = b"".join(b'<c r="A%d"/>' % i for i in range(1, 50)) + b'<c r="A2"/>'
    assert _plain_extent(xml) == (49, 1)


def test_kept_members_are_zipfiles(tmp_path):
    kept = safety.check_workbook_file(CHONGQING, keep=_is_worksheet_xml)
    with zipfile.ZipFile(CHONGQING) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert sheets and sorted(kept) == sorted(sheets)
        assert all(kept[n] == z.read(n) for n in sheets)
    assert safety.check_workbook_file(CHONGQING) == {}


def test_a_refused_file_keeps_nothing(tmp_path):
    bomb = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(CHONGQING) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if _is_worksheet_xml(info.filename):
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            out.writestr(info.filename, data)
    with pytest.raises(UnsafeFile, match="declares an XML DTD"):
        safety.check_workbook_file(bomb, keep=_is_worksheet_xml)


META = {"id": "r", "unit": "billion yuan", "period": "2021-Q1"}


def _figure(**cells):
    return {
        "id": "exports",
        "period": "2021-Q1",
        "flow": "exports",
        "_where": "Figures row 2",
        **cells,
    }


def test_a_float_cell_is_its_value_with_its_decimals():
    r = from_records(META, [_figure(value=112.32, value_decimals=2.0, yoy=0.757, yoy_decimals=1.0)])
    f = r.figures[0]
    assert (f.value, f.value_decimals, f.yoy, f.yoy_decimals) == (112.32, 2, 0.757, 1)
    assert type(f.value_decimals) is int


def test_a_float_cell_without_decimals_has_none():
    f = from_records(META, [_figure(value=112.32, yoy=-0.0)]).figures[0]
    assert f.value_decimals is None and f.yoy_decimals is None
    assert f.yoy == 0 and math.copysign(1, f.yoy) == -1  # the stored -0 keeps its sign


@pytest.mark.parametrize(
    ("decimals", "message"),
    [
        (16.0, "more than a number is printed with"),
        (2.5, "not a whole number of decimals"),
        (-1.0, "not a whole number of decimals"),
        (math.inf, "not a whole number of decimals"),
        ("two", "not a whole number of decimals"),
    ],
)
def test_a_bad_decimals_cell_is_refused(decimals, message):
    with pytest.raises(ReleaseError, match=message):
        from_records(META, [_figure(value=112.32, value_decimals=decimals)])


def test_an_infinite_float_cell_is_refused():
    with pytest.raises(ReleaseError, match="not a finite number"):
        from_records(META, [_figure(value=math.inf, value_decimals=2.0)])


def test_inferred_precision_of_floats():
    columns = {"value": ("value_decimals", False), "yoy": ("yoy_decimals", True)}
    rec = {"value": 112.32, "yoy": 0.757, "yoy_decimals": math.nan}
    assert _infer_precision(rec, columns, []) == ["precision inferred for value (2), yoy (1)"]
    assert (rec["value_decimals"], rec["yoy_decimals"]) == (2, 1)
    rec = {"value": math.nan, "yoy": 40.06 / 3 / 100, "yoy_decimals": 1.0}
    assert _infer_precision(rec, columns, []) == []  # NaN: blank; yoy: decimals given
    rec = {"value": 40.06 / 3, "value_decimals": None}
    assert _infer_precision(rec, columns, []) == ["precision unknown for value (taken as exact)"]


PLAIN_FRAGMENTS = [
    b'<c r="A1">',
    b'<c r="B2"/>',
    b"<c>",
    b"<c/>",
    b"<c\t",
    b"<c\n",
    b'<c  r="A1">',
    b'<c t="s" r="A1">',
    b"<col/>",
    b"<cfRule/>",
    b"<x:c ",
    b":c>",
    b"<c",
    b"r=",
    b"x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PLAIN_FRAGMENTS), max_size=20))
@example([b"<c", b"<col/>"])  # "<c<col": the count rule's pattern once consumed the second "<c"
def test_is_plain_is_the_count_rule(parts):
    xml = b"".join(parts)
    assert is_plain(xml) == _is_plain_by_counts(xml)


def test_plain_sheets():
    assert is_plain(b'<cols><col min="1"/></cols><c r="A1"><v>1</v></c><c r="B1"/>')
    assert not is_plain(b'<c r="A1"/><c t="n"><v>1</v></c>')  # a cell without its address first
    assert not is_plain(b'<x:c r="A1"/>')  # a prefixed cell
