"""A small openpyxl writer of template-shaped workbooks, and edits made the way Excel stores them.

``write_template`` lays a release out as tradecalc/template.py says (sheets and
Excel Tables Figures, Breakdowns, Statements, Release; numbers in the release
unit, growth as fractions formatted 0.0%, ``*_decimals`` filled). It is
independent of the XlsxWriter builder, so the reader is tested against the
layout contract itself, not only against one writer. Other headless tests
import the helpers below.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from tradecalc.model.releasefile import load as load_release_file
from tradecalc.workbook import layout as template

_RATE_COLUMNS = {"yoy", "earlier_growth"}


def _cell(obj, col):
    v = getattr(obj, col, None)
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    if isinstance(v, bool):
        return v
    return v


def _add_table(ws, name, columns, rows, formats=None):
    ws.append(list(columns))
    for r in rows:
        ws.append(r)
    for j, col in enumerate(columns, start=1):
        fmt = (formats or {}).get(col)
        if fmt:
            for i in range(2, len(rows) + 2):
                ws.cell(row=i, column=j).number_format = fmt
    ref = f"A1:{get_column_letter(len(columns))}{max(len(rows), 1) + 1}"
    t = Table(displayName=name, name=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(t)


def write_template(release_path, out_path) -> Path:
    """Write ``release_path`` as a template-shaped workbook with openpyxl."""
    r = load_release_file(release_path)
    wb = openpyxl.Workbook()
    wb.active.title = template.ABOUT_SHEET
    ws = wb.create_sheet(template.RELEASE_SHEET)
    _add_table(
        ws,
        template.RELEASE_TABLE,
        ("key", "value"),
        [[k, r.meta.get(k, "")] for k in template.RELEASE_KEYS],
    )
    ws = wb.create_sheet(template.FIGURES_SHEET)
    fig_rows = [[_cell(f, c) for c in template.FIGURE_COLUMNS] for f in r.figures]
    _add_table(
        ws,
        template.FIGURES_TABLE,
        template.FIGURE_COLUMNS,
        fig_rows,
        {c: "0.0%" for c in _RATE_COLUMNS},
    )
    ws = wb.create_sheet(template.BREAKDOWNS_SHEET)
    _add_table(
        ws,
        template.BREAKDOWNS_TABLE,
        template.BREAKDOWN_COLUMNS,
        [[_cell(b, c) for c in template.BREAKDOWN_COLUMNS] for b in r.breakdowns],
    )
    ws = wb.create_sheet(template.STATEMENTS_SHEET)
    _add_table(
        ws,
        template.STATEMENTS_TABLE,
        template.STATEMENT_COLUMNS,
        [[_cell(s, c) for c in template.STATEMENT_COLUMNS] for s in r.statements],
    )
    wb.save(out_path)
    return Path(out_path)


# --------------------------------------------------------------------------- edits as Excel stores them


def figures_table(wb):
    ws = wb[template.FIGURES_SHEET]
    return ws, ws.tables[template.FIGURES_TABLE]


def column_of(ws, name) -> int:
    for c in ws[1]:
        if c.value == name:
            return c.column
    raise KeyError(name)


def row_of(ws, fid) -> int:
    col = column_of(ws, "id")
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=col).value == fid:
            return r
    raise KeyError(fid)


def set_cell(ws, fid, column, value):
    ws.cell(row=row_of(ws, fid), column=column_of(ws, column)).value = value


def append_table_rows(ws, table, rows: list[dict]) -> int:
    """Type new rows under the Table: Excel extends the Table's ref to cover them."""
    from openpyxl.utils.cell import range_boundaries

    columns = {c.value: c.column for c in ws[1]}
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    for values in rows:
        max_row += 1
        for name, v in values.items():
            ws.cell(row=max_row, column=columns[name]).value = v
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref
    return max_row


def append_table_row(ws, table, values: dict) -> int:
    return append_table_rows(ws, table, [values])


# --------------------------------------------------------------------------- whole-row edits, as Excel makes them


def table_bounds(table):
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(table.ref)  # min_col, min_row, max_col, max_row


def calculated_formulas(table) -> dict[int, str]:
    """Table column offset → the column's calculated-column formula ("=..."), as Excel fills a new row."""
    out = {}
    for i, col in enumerate(table.tableColumns):
        f = col.calculatedColumnFormula
        if f is not None:
            text = getattr(f, "attr_text", None) or str(f)
            out[i] = "=" + text.lstrip("=")
    return out


def read_rows(ws, table) -> list[list]:
    """The Table's data rows: each cell's stored content (constants and formulas)."""
    min_col, min_row, max_col, max_row = table_bounds(table)
    return [
        [ws.cell(row=r, column=c).value for c in range(min_col, max_col + 1)]
        for r in range(min_row + 1, max_row + 1)
    ]


def write_rows(ws, table, rows: list[list]) -> None:
    """Put ``rows`` in the Table's data area and fit its ref (and autofilter) to them.

    Rows keep their row-relative formulas as they move (structured references
    name their own row); rows the Table no longer covers are cleared, as
    Excel clears a deleted Table row.
    """
    min_col, min_row, max_col, max_row = table_bounds(table)
    for i in range(max(len(rows), max_row - min_row)):
        r = min_row + 1 + i
        values = rows[i] if i < len(rows) else [None] * (max_col - min_col + 1)
        for j, v in enumerate(values):
            ws.cell(row=r, column=min_col + j).value = v
    last = min_row + max(len(rows), 1)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def new_row(ws, table, values: dict) -> list:
    """A row typed into the Table: the typed values, and the calculated columns filled in by Excel."""
    header = [c.name for c in table.tableColumns]
    row = [values.get(h) for h in header]
    for i, formula in calculated_formulas(table).items():
        row[i] = formula
    return row


def sort_rows(ws, table, column: str, *, descending=False) -> None:
    """Data > Sort on one column: blanks last in either order, ties in their present order (Excel's sort is stable)."""
    header = [c.name for c in table.tableColumns]
    j = header.index(column)
    rows = read_rows(ws, table)
    filled = [r for r in rows if r[j] not in (None, "")]
    blank = [r for r in rows if r[j] in (None, "")]
    key = (
        (lambda r: r[j].casefold())
        if all(isinstance(r[j], str) for r in filled)
        else (lambda r: r[j])
    )
    write_rows(ws, table, sorted(filled, key=key, reverse=descending) + blank)


def insert_row(ws, table, position: int, values: dict) -> None:
    """Insert > Table Rows Above the ``position``-th data row (0-based), then type ``values``."""
    rows = read_rows(ws, table)
    rows.insert(position, new_row(ws, table, values))
    write_rows(ws, table, rows)


def append_row(ws, table, values: dict) -> None:
    """Type a row just below the Table: Excel extends the Table and fills its calculated columns."""
    rows = read_rows(ws, table)
    write_rows(ws, table, rows + [new_row(ws, table, values)])


def delete_row(ws, table, fid: str) -> None:
    """Delete > Table Rows on the figure's row."""
    header = [c.name for c in table.tableColumns]
    j = header.index("id")
    write_rows(ws, table, [r for r in read_rows(ws, table) if r[j] != fid])


def resize_spill(ws, anchor: str, nrows: int, ncols: int) -> None:
    """What Excel does to a dynamic array when its result changes size: the spill range follows.

    The anchor's array formula gets the new range; cells of the old range
    outside the new one are cleared (they held spilled values, not content).
    """
    from openpyxl.utils.cell import (
        column_index_from_string,
        coordinate_from_string,
        range_boundaries,
    )
    from openpyxl.worksheet.formula import ArrayFormula

    cell = ws[anchor]
    f = cell.value
    assert isinstance(f, ArrayFormula), (anchor, f)
    min_col, min_row, max_col, max_row = range_boundaries(f.ref)
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            if (r, c) != (min_row, min_col):
                ws.cell(row=r, column=c).value = None
    letter, row = coordinate_from_string(anchor)
    col = column_index_from_string(letter)
    ref = f"{anchor}:{get_column_letter(col + ncols - 1)}{row + nrows - 1}"
    cell.value = ArrayFormula(ref, f.text)


def clear_spills(wb) -> None:
    """Empty every cell of every dynamic array's range but its anchor.

    openpyxl reads the cached values Excel stores in a spill range as
    constants and would save them as such; cleared, a formula engine has to
    compute them.
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet.formula import ArrayFormula

    for ws in wb:
        for anchor, ref in list(ws.array_formulae.items()):
            assert isinstance(ws[anchor].value, ArrayFormula)
            c0, r0, c1, r1 = range_boundaries(ref)
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        ws.cell(row=r, column=c).value = None
