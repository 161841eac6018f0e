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
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from tradecalc.workbook import layout as template
from tradecalc.model.releasefile import load as load_release_file

from helpers import ROOT
CHONGQING = ROOT / "workbooks" / "releases" / "chongqing-2021-q1.toml"

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
    _add_table(ws, template.RELEASE_TABLE, ("key", "value"), [[k, r.meta.get(k, "")] for k in template.RELEASE_KEYS])
    ws = wb.create_sheet(template.FIGURES_SHEET)
    fig_rows = [[_cell(f, c) for c in template.FIGURE_COLUMNS] for f in r.figures]
    _add_table(ws, template.FIGURES_TABLE, template.FIGURE_COLUMNS, fig_rows, {c: "0.0%" for c in _RATE_COLUMNS})
    ws = wb.create_sheet(template.BREAKDOWNS_SHEET)
    _add_table(ws, template.BREAKDOWNS_TABLE, template.BREAKDOWN_COLUMNS, [[_cell(b, c) for c in template.BREAKDOWN_COLUMNS] for b in r.breakdowns])
    ws = wb.create_sheet(template.STATEMENTS_SHEET)
    _add_table(ws, template.STATEMENTS_TABLE, template.STATEMENT_COLUMNS, [[_cell(s, c) for c in template.STATEMENT_COLUMNS] for s in r.statements])
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
