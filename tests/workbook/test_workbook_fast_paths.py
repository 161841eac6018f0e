"""The build's and the reader's fast paths give what the slow ones gave.

* :class:`tradecalc.workbook.sheets.PreparedFormulaWorksheet` skips XlsxWriter's
  formula rewrites only where they change nothing: every formula of the
  Chongqing template, and formulas that XlsxWriter does rewrite, come out as
  XlsxWriter's own ``Worksheet`` prepares them.
* :func:`tradecalc.workbook.reader.read_workbook` reads only the Tables' cells,
  in openpyxl's read-only mode: a Table reaching past the sheet's last stored
  row, and a Table on a sheet other than the template's, read as in openpyxl's
  normal mode.
"""

from __future__ import annotations

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import figures_table
from xlsxwriter.worksheet import Worksheet

from tradecalc.cli.build import build_command
from tradecalc.workbook.formulas import (
    CHECKS_FORMULA,
    calculated_column_formulas,
    derived_view_formulas,
)
from tradecalc.workbook.reader import read_workbook
from tradecalc.workbook.sheets import PreparedFormulaWorksheet

REWRITTEN = [
    "=XLOOKUP(A1,B1:B9,C1:C9)",
    "=SUM(A1:A3)+FILTER(A1:A3,A1:A3>0)",
    '=IF(A1>0,SORT(B1:B3),"")',
    "=(INGLE(A1)",  # XlsxWriter's pattern for SINGLE( is \SINGLE\( : any non-space, then INGLE(
    "=SINGLE(A1)",
    "=_xlfn.XLOOKUP(A1,B1:B9,C1:C9)",
    "{=SUM(A1:A3*B1:B3)}",
    '=LEN("UNIQUE(")',  # inside a text literal XlsxWriter rewrites it too
    "=STDEV.S(A1:A3)+BASE(10,2)",  # future functions: rewritten only with use_future_functions
    "=TRADE.BASE(A1,B1)",  # \bBASE\( matches after a dot
    "=TRADE_BASE(A1,B1)",  # ...but not after an underscore
]


@pytest.fixture(scope="module")
def chongqing_formulas():
    formulas = (
        list(calculated_column_formulas().values())
        + [f for _, f, _ in derived_view_formulas()]
        + [CHECKS_FORMULA]
    )
    assert (
        len(formulas) == 16
    )  # 12 calculated columns, 3 Derived arrays, 1 Checks call: the same for any release
    assert any("TRADE_BASE_BOUNDS(" in f for f in formulas) and any("MATCH(" in f for f in formulas)
    return formulas


@pytest.mark.parametrize("future", [False, True])
def test_prepared_formulas_are_xlsxwriters(chongqing_formulas, future):
    ours, theirs = PreparedFormulaWorksheet(), Worksheet()
    ours.use_future_functions = theirs.use_future_functions = future
    for f in chongqing_formulas + REWRITTEN:
        assert ours._prepare_formula(f) == theirs._prepare_formula(f), f


def test_rewrites_still_happen(chongqing_formulas):
    ws = PreparedFormulaWorksheet()
    assert ws._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert ws._prepare_formula('=IF(A1>0,SORT(B1:B3),"")') == 'IF(A1>0,_xlfn._xlws.SORT(B1:B3),"")'
    # the template's own formulas need none: stored as written, without the "="
    assert ws._prepare_formula(chongqing_formulas[0]) == chongqing_formulas[0][1:]


@pytest.fixture
def book(tmp_path):
    out = tmp_path / "chongqing-2021-q1.xlsx"
    assert build_command(str(CHONGQING), output=str(out), fmt="xlsx", force=True) == 0
    return out


def test_table_past_the_last_stored_row_reads_its_rows_and_skips_the_blank_ones(book):
    wb = openpyxl.load_workbook(book)
    ws, table = figures_table(wb)
    first, last = table.ref.split(":")
    col = "".join(ch for ch in last if ch.isalpha())
    last_row = int(last[len(col) :])
    assert ws.max_row == last_row  # nothing stored below the Table
    table.ref = f"{first}:{col}{last_row + 5}"  # five empty rows, stored nowhere
    wb.save(book)
    release = read_workbook(book)
    assert len(release.figures) == 22
    exports = release.figure("exports")
    assert (exports.value, exports.yoy) == (112.32, 0.757)


def test_table_on_another_sheet_is_found(book):
    """Tables are found by name wherever they are: the Release Table moved to a new sheet."""
    wb = openpyxl.load_workbook(book)
    old = wb["Release"]
    rows = [[c.value for c in row] for row in old.iter_rows()]
    del wb["Release"]
    ws = wb.create_sheet("Metadata")
    for row in rows:
        ws.append(row)
    from openpyxl.worksheet.table import Table

    ws.add_table(Table(displayName="Release", ref=f"A1:B{len(rows)}"))
    wb.save(book)
    release = read_workbook(book)
    assert release.meta["unit"] == "billion yuan" and len(release.figures) == 22


def test_a_table_claiming_the_whole_sheet_is_read_to_its_stored_rows(book):
    """Issue 14.12: a Figures Table whose ref says A1:XFD1048576 reads its 22 figures, not a million rows."""
    import time

    wb = openpyxl.load_workbook(book)
    ws, table = figures_table(wb)
    table.ref = "A1:XFD1048576"
    table.autoFilter.ref = table.ref
    wb.save(book)
    start = time.perf_counter()
    release = read_workbook(book)
    assert len(release.figures) == 22 and release.figure("exports").value == 112.32
    assert (
        time.perf_counter() - start < 30
    )  # a bound, not a benchmark: unbounded it scans 10^6 rows × 18 columns
