"""TRADE_TABLE reads a Figures range as ``tradecalc derive book.xlsx`` reads the workbook: the
same numbers for every figure, an empty precision cell included (one record reader)."""

from __future__ import annotations

import math

import openpyxl
import pytest
from helpers import ROOT
from tradecalc_udfs import trade_table

import tradecalc
from tradecalc.workbook.layout import FIGURES_SHEET, FIGURES_TABLE

BOOK = ROOT / "workbooks" / "chongqing-2021-q1.xlsx"


def figures_grid(path):
    """The Figures Table with its header row, cells as xlwings passes a range (blanks None)."""
    from openpyxl.utils.cell import range_boundaries

    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[FIGURES_SHEET]
    c0, r0, c1, r1 = range_boundaries(ws.tables[FIGURES_TABLE].ref)
    return [[ws.cell(r, c).value for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)], wb


def same(a, b) -> bool:
    """Equal as a cell shows them: NaN and empty text are a blank cell (None)."""
    if a is None or a == "" or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return b == pytest.approx(a, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("blank_precision", [False, True])
def test_trade_table_is_the_command_lines_derived_table(tmp_path, blank_precision):
    grid, wb = figures_grid(BOOK)
    path = BOOK
    if blank_precision:
        # the exports' value printed as 112.32: its precision cell emptied by hand
        header = grid[0]
        ws = wb[FIGURES_SHEET]
        row = next(i for i, r in enumerate(grid) if r[header.index("id")] == "exports")
        ws.cell(row + 1, header.index("value_decimals") + 1).value = None
        path = tmp_path / "blank-precision.xlsx"
        wb.save(path)
        grid[row][header.index("value_decimals")] = None
    rows = trade_table(grid)
    head = rows[0]
    table = tradecalc.derive(tradecalc.load(path))
    assert len(rows) - 1 == len(table)
    for row in rows[1:]:
        fid = row[head.index("id")] if "id" in head else None
        want = table.loc[fid] if fid is not None else None
        for col in table.columns:
            if col in head:
                assert same(want[col], row[head.index(col)]), (fid, col)
    if blank_precision:
        # inferred as 2 decimals, as printed: the base's bounds stay those of 112.32 ± 0.005
        # at +75.7% ± 0.05 points, not of an exact 112.32
        exports = rows[[r[head.index("id")] for r in rows].index("exports")]
        lo, hi = exports[head.index("base_low")], exports[head.index("base_high")]
        assert lo == pytest.approx(112.315 / 1.7575) and hi == pytest.approx(112.325 / 1.7565)
