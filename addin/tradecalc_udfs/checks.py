"""TRADE_CHECKS: the release's consistency checks over the live Tables, as one dynamic array.

The four Tables of the template workbook (each WITH its header row,
``Release[#All]``, ``Figures[#All]`` ...) are read by the core's record reader,
:func:`tradecalc.workbook.reader.release_from_tables` (the path of ``tradecalc
check book.xlsx``), and checked by :func:`tradecalc.check`. The result is the
checks table with its header row, :func:`tradecalc.workbook.formulas.checks_grid`:
the same rows and statuses as the command line, by construction.

For Chongqing Q1 2021 the first row after the header is ``trade_direction:sum``:
exports 112.32 + imports 67.92 = 180.24, stated 180.24, ``consistent``.
"""

from __future__ import annotations

from tradecalc.model.release import ReleaseError

from ._excel import blank, grid, returns_cell_errors, udf, value_error
from .table import _cells_of_row

SECTION = "Whole tables"

_TABLE_DOC = "the {name} Table WITH its header row ({name}[#All]); columns in any order, other columns ignored."


def _rows(fname: str, name: str, raw) -> list[list]:
    try:
        g = grid(raw)
    except ValueError as e:
        raise value_error(fname, f"{name} is not a rectangular range ({e})") from None
    rows = g.tolist()
    if rows:
        # Cells are read as TRADE_TABLE reads them: an Excel error (text or pywin32's integer)
        # is passed on, never taken as a number; a Decimal is a number; a date is its month.
        head = [None if blank(h) else h for h in rows[0]]
        header = [str(h).strip() if h is not None else "" for h in head]
        rows = [head] + [_cells_of_row(row, header, r) for r, row in enumerate(rows[1:], start=1)]
    if rows and not any(
        isinstance(h, str) and h.strip() == ("key" if name == "release_table" else "id")
        for h in rows[0]
    ):
        want = "key" if name == "release_table" else "id"
        raise value_error(
            fname,
            f"{name} has no {want!r} column in its first row (include the header row: Table[#All])",
        )
    return rows


@udf(
    SECTION,
    release_table=_TABLE_DOC.format(name="Release"),
    figures_table=_TABLE_DOC.format(name="Figures"),
    breakdowns_table=_TABLE_DOC.format(name="Breakdowns"),
    statements_table=_TABLE_DOC.format(name="Statements"),
)
@returns_cell_errors
def trade_checks(release_table, figures_table, breakdowns_table, statements_table):
    """The release's consistency checks, with a header row, as one dynamic array: per check its id, kind, figures, description, stated and computed numbers, difference, tolerance, bounds within rounding, unit, status and note (tradecalc's own checks)."""
    fname = "TRADE_CHECKS"
    from tradecalc import check
    from tradecalc.workbook.formulas import checks_grid
    from tradecalc.workbook.layout import (
        BREAKDOWNS_TABLE,
        FIGURES_TABLE,
        RELEASE_TABLE,
        STATEMENTS_TABLE,
    )
    from tradecalc.workbook.reader import release_from_tables

    tables = {
        RELEASE_TABLE: _rows(fname, "release_table", release_table),
        FIGURES_TABLE: _rows(fname, "figures_table", figures_table),
        BREAKDOWNS_TABLE: _rows(fname, "breakdowns_table", breakdowns_table),
        STATEMENTS_TABLE: _rows(fname, "statements_table", statements_table),
    }
    from tradecalc.analysis.checks import CHECK_COLUMNS
    from tradecalc.workbook.reader import grid_records

    if not grid_records(FIGURES_TABLE, tables[FIGURES_TABLE]):
        return [list(CHECK_COLUMNS)]  # nothing typed yet (the empty template): no checks
    try:
        release = release_from_tables(tables, source="workbook")
    except ReleaseError as e:
        where, msg, fix = e.problems[0]
        more = f" (and {len(e.problems) - 1} more problems)" if len(e.problems) > 1 else ""
        raise value_error(fname, f"{where}: {msg}{' Fix: ' + fix if fix else ''}{more}") from None
    return checks_grid(check(release))
