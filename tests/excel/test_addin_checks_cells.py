"""TRADE_CHECKS reads Table cells as Excel hands them over: errors are passed on, never summed."""

from __future__ import annotations

from decimal import Decimal

import tradecalc_udfs as udfs

RELEASE = [["key", "value"], ["id", "r"], ["unit", "billion yuan"]]
BREAKDOWNS = [["id", "parent", "kind", "label"], ["flow", "total", "complete", ""]]
STATEMENTS = [["id", "kind", "figure", "value"], [None, None, None, None]]
HEADER = ["id", "period", "breakdown", "value"]

#: #SPILL! as pywin32 delivers it from an input cell (0x800A07FD as a signed 32-bit int).
SPILL = 0x800A07FD - 2**32


def _figures(exports_value):
    return [
        HEADER,
        ["total", "2021-Q1", None, "180.24"],
        ["exports", "2021-Q1", "flow", exports_value],
        ["imports", "2021-Q1", "flow", "67.92"],
    ]


def _status(grid, check_id):
    header = list(grid[0])
    row = next(r for r in grid[1:] if r[header.index("check")] == check_id)
    return row[header.index("status")], row[header.index("computed")]


def test_exports_and_imports_sum_to_the_total():
    grid = udfs.trade_checks(RELEASE, _figures("112.32"), BREAKDOWNS, STATEMENTS)
    status, computed = _status(grid, "flow:sum")
    assert status == "consistent" and abs(computed - 180.24) < 1e-9  # 112.32 + 67.92


def test_a_currency_formatted_cell_is_a_number():
    grid = udfs.trade_checks(RELEASE, _figures(Decimal("112.32")), BREAKDOWNS, STATEMENTS)
    assert _status(grid, "flow:sum")[0] == "consistent"


def test_an_excel_error_integer_is_an_error_not_a_number():
    out = udfs.trade_checks(RELEASE, _figures(SPILL), BREAKDOWNS, STATEMENTS)
    text = out if isinstance(out, str) else str(out)
    assert "#SPILL!" in text and "flow:sum" not in text and len(text) <= 300
