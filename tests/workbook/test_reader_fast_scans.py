"""The sheet scans' faster patterns match what the patterns before them matched.

* :func:`tradecalc.workbook.parts._beyond` (a cell past the last column or row
  seen, letters read once) against the alternation it replaced, on cell
  addresses of 1-4 letters, leading zeros and no row at all;
* the error-cell test of :func:`tradecalc.workbook.parts.special_cells` that
  looks for a "'" first, against the two searches before it.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tradecalc.workbook.parts import (
    _above_column,
    _above_number,
    _beyond,
    _may_hold_error,
    _plain_extent,
    column_letters,
    special_cells,
)


def reference_beyond(col: bytes, last_row: int) -> re.Pattern:
    return re.compile(
        rb'<c r="(?:' + _above_column(col) + rb"|[A-Z]{1,3}" + _above_number(last_row) + b")"
    )


letters = st.text(alphabet="ABCGHYZ", min_size=1, max_size=4)
rows = st.one_of(
    st.integers(0, 30), st.integers(0, 2_000_000), st.sampled_from([9, 10, 99, 100, 10001])
)


@settings(max_examples=1000, deadline=None)
@given(
    st.integers(1, 16384),
    st.one_of(st.integers(0, 30), st.integers(0, 2_000_000)),
    letters,
    rows,
    st.sampled_from(["", "0", "00"]),
    st.sampled_from(['"', '"/>', "x", ""]),
)
@example(33, 10001, "AH", 1, "", '"')
@example(33, 10001, "AG", 10002, "", '"')
@example(33, 10001, "AG", 10001, "0", '"')
@example(1, 0, "A", 1, "", '"')
@example(16384, 1048576, "XFD", 1048577, "", '"')
def test_beyond_matches_what_the_alternation_matched(col, last_row, cell_letters, row, zeros, end):
    col = column_letters(col).encode()
    cell = f'<c r="{cell_letters}{zeros}{row}{end}'.encode()
    want = reference_beyond(col, last_row).match(cell)
    got = _beyond(col, last_row).match(cell)
    assert (got is None) == (want is None), (col, last_row, cell)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 800), st.integers(1, 120_000)), min_size=1, max_size=30))
def test_plain_extent_of_a_sheet_written_in_order_then_not(addresses):
    xml = b"".join(f'<c r="{column_letters(c)}{r}"><v>1</v></c>'.encode() for c, r in addresses)
    assert _plain_extent(xml) == (max(r for _, r in addresses), max(c for c, _ in addresses))


PIECES = [
    b'<c r="A1" t="e">',
    b"<c r='A2' t='e'>",
    b'"e"',
    b"'e'",
    b"'",
    b'"',
    b"e",
    b"<f>1</f>",
    b"<v>#N/A</v>",
    b"</c>",
    b" ",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_the_error_test_is_the_two_searches(pieces):
    xml = b"".join(pieces)
    assert _may_hold_error(xml) == (b'"e"' in xml or b"'e'" in xml)


def test_an_error_cell_in_single_quotes_is_found():
    xml = b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t=\'e\'><v>#N/A</v></c></row>'
    assert list(special_cells(xml)) == [(2, 2)]
    assert special_cells(xml)[(2, 2)].cached == "#N/A"


CELL_PIECES = [
    b'<c r="A1">',
    b'<c r="B2" s="4">',
    b'<c r="C3" t="e">',
    b'<c r="AA10" t="str">',
    b'<c r="A5"/>',
    b"<f>1+1</f>",
    b'<f t="shared" si="0"/>',
    b"<fx>",
    b" ",
    b"\n",
    b"<v>1</v>",
    b"</c>",
    b">",
    b"<f",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(CELL_PIECES), max_size=25),
    st.sampled_from([None, ("A",), ("A", "B", "AA"), ("C",)]),
    st.booleans(),
)
def test_formula_candidates_are_those_of_the_pattern_before(pieces, letters, errors):
    from tradecalc.workbook.parts import _candidates

    xml = b"".join(pieces)
    new = _candidates(letters, errors)
    old = re.compile(new.pattern.replace(rb"[^>]*+>\s*+<f", rb"[^>]*>\s*<f"))
    assert old.pattern != new.pattern
    assert [m.groups() for m in new.finditer(xml)] == [m.groups() for m in old.finditer(xml)]
