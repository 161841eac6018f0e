"""The template is live: edit the Figures Table as an analyst does, and every number and check follows.

Each edit is applied to the built Chongqing workbook the way Excel stores it
(rows move with their row-relative formulas; a new Table row gets the
calculated-column formulas; the Table's ref grows or shrinks; a dynamic array
spills to its result's size), then an independent formula engine (pycel,
with the add-in's functions bound by name) recomputes the file. For every
figure id and every check id, the workbook's numbers and statuses must equal
``tradecalc derive`` / ``tradecalc check`` on the same edited file.

pycel evaluates the workbook's real structured references (``Figures[value]``,
``Figures[[#This Row],[value]]``, ``Release[#All]``) itself: no translation to
A1 ranges is needed. pycel keeps an array formula's stored range, so the test
sets each dynamic array's range to its result's size, which is what Excel
does when it recalculates (:func:`helpers.workbook_fixture.resize_spill`).
The add-in's functions are bound through :mod:`helpers.pycel_udfs`, which
hands their array results to pycel as tuples (pycel's own array type).
"""

from __future__ import annotations

import math
import re
import shutil

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import (
    append_row,
    delete_row,
    figures_table,
    insert_row,
    new_row,
    read_rows,
    resize_spill,
    set_cell,
    sort_rows,
    write_rows,
)

import tradecalc
from tradecalc.workbook.formulas import (
    BOUND_COLUMNS,
    CALCULATED_COLUMNS,
    DERIVED_VIEW_COLUMNS,
    FIGURES_TABLE_COLUMNS,
    PARENT_ROW,
)
from tradecalc.workbook.reader import read_workbook
from tradecalc.workbook.writer import build_workbook, empty_release

pycel = pytest.importorskip("pycel", reason="pycel (test extra) is not installed")

#: The issue's example of a figure typed in by an analyst (not a published Chongqing figure).
JAPAN = {
    "id": "japan",
    "label": "Trade with Japan",
    "period": "2021-Q1",
    "flow": "total",
    "breakdown": "partners",
    "parent": "total",
    "value": 17.5,
    "value_decimals": 1,
    "unit": "billion yuan",
    "yoy": 0.201,
    "yoy_decimals": 1,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "chongqing-2021-q1.xlsx"
    path.write_bytes(build_workbook(tradecalc.load(CHONGQING), "xlsx"))
    return path


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def _fit_spills(path):
    """Resize the Derived and Checks dynamic arrays to the edited release's size, as Excel respills them."""
    release = read_workbook(path)
    n, m = max(len(release.figures), 1), len(tradecalc.check(release)) + 1
    wb = openpyxl.load_workbook(path)
    d = wb["Derived"]
    cols = list(DERIVED_VIEW_COLUMNS)
    resize_spill(d, "A2", n, 1)
    calc = [c for c in cols[1:] if c not in BOUND_COLUMNS]
    resize_spill(d, f"{_letter(cols.index(calc[0]) + 1)}2", n, len(calc))
    resize_spill(d, f"{_letter(cols.index(BOUND_COLUMNS[0]) + 1)}2", n, len(BOUND_COLUMNS))
    ncheck = len(tradecalc.check(release).columns)
    resize_spill(wb["Checks"], "A1", m, ncheck)
    wb.save(path)
    return release


def edited(built, tmp_path, edit):
    """A copy of the built workbook with ``edit(ws, table)`` applied to its Figures Table."""
    path = tmp_path / "edited.xlsx"
    shutil.copy(built, path)
    wb = openpyxl.load_workbook(path)
    ws, table = figures_table(wb)
    edit(ws, table)
    wb.save(path)
    return path


def _blank(x) -> bool:
    return x is None or x == "" or (isinstance(x, float) and math.isnan(x))


def _same(expected, got) -> bool:
    if _blank(expected) or _blank(got):
        return _blank(expected) and _blank(got)
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(float(expected), float(got), rel_tol=1e-9, abs_tol=1e-12)
    return str(expected) == str(got)


def recomputed(path):
    """(derived by id from the Figures Table, Derived sheet by id, checks grid) as pycel computes them."""
    from pycel import ExcelCompiler

    release = _fit_spills(path)
    n, nchk = max(len(release.figures), 1), len(tradecalc.check(release)) + 1
    xl = ExcelCompiler(filename=str(path), plugins=["helpers.pycel_udfs"])

    def grid(sheet, nrows, ncols):
        # cell by cell: pycel evaluates each cell of an array formula as INDEX(formula, i, j)
        return [
            [xl.evaluate(f"{sheet}!{_letter(j)}{i}") for j in range(1, ncols + 1)]
            for i in range(1, nrows + 1)
        ]

    table = grid("Figures", n + 1, len(FIGURES_TABLE_COLUMNS))
    header = list(table[0])
    assert header == list(FIGURES_TABLE_COLUMNS)
    in_table = {row[0]: dict(zip(header, row)) for row in table[1:]}
    view = grid("Derived", n + 1, len(DERIVED_VIEW_COLUMNS))
    in_view = {row[0]: dict(zip(DERIVED_VIEW_COLUMNS, row)) for row in view[1:]}
    checks = grid("Checks", nchk, len(tradecalc.check(release).columns))
    return release, in_table, in_view, checks


def assert_agrees_with_the_command_line(path):
    release, in_table, in_view, checks = recomputed(path)
    derived = tradecalc.derive(release)
    expected_checks = tradecalc.check(release)
    wrong = []
    ids = [f.id for f in release.figures]
    assert sorted(in_table) == sorted(ids) and sorted(in_view) == sorted(ids)
    for fid in ids:
        for c in CALCULATED_COLUMNS:
            if c != PARENT_ROW and not _same(derived.at[fid, c], in_table[fid][c]):
                wrong.append(("Figures", fid, c, derived.at[fid, c], in_table[fid][c]))
        for c in DERIVED_VIEW_COLUMNS[1:]:
            if not _same(derived.at[fid, c], in_view[fid][c]):
                wrong.append(("Derived", fid, c, derived.at[fid, c], in_view[fid][c]))
    assert checks[0] == list(expected_checks.columns)
    got = {row[0]: dict(zip(checks[0], row)) for row in checks[1:]}
    assert sorted(got) == sorted(expected_checks["check"])
    for rec in expected_checks.to_dict("records"):
        for c, v in rec.items():
            if isinstance(v, float) and math.isinf(v):
                v = None  # an unbounded end: a blank cell
            if not _same(v, got[rec["check"]][c]):
                wrong.append(("Checks", rec["check"], c, v, got[rec["check"]][c]))
    assert not wrong, wrong[:10]
    return release, in_table, {rec["check"]: rec for rec in got.values()}


# --------------------------------------------------------------------------- the edits


def test_as_built(built, tmp_path):
    _, table, checks = assert_agrees_with_the_command_line(
        edited(built, tmp_path, lambda ws, t: None)
    )
    assert math.isclose(table["exports"]["base"], 112.32 / 1.757, rel_tol=1e-12)
    assert checks["flow-q1:sum"]["status"] == "consistent"


def test_sort_by_value_descending(built, tmp_path):
    """The issue's example: after the sort, imports still show imports' numbers (share 37.7%, base 48.45)."""
    path = edited(built, tmp_path, lambda ws, t: sort_rows(ws, t, "value", descending=True))
    wb = openpyxl.load_workbook(path)
    ws, t = figures_table(wb)
    assert [r[0] for r in read_rows(ws, t)][:3] == ["total", "exports", "foreign-funded"]
    _, table, _ = assert_agrees_with_the_command_line(path)
    assert math.isclose(table["imports"]["share"], 67.92 / 180.24, rel_tol=1e-12)
    assert math.isclose(table["imports"]["base"], 67.92 / 1.402, rel_tol=1e-12)
    assert math.isclose(table["foreign-funded"]["share"], 88.24 / 180.24, rel_tol=1e-12)


def test_sort_by_label(built, tmp_path):
    path = edited(built, tmp_path, lambda ws, t: sort_rows(ws, t, "label"))
    _, table, _ = assert_agrees_with_the_command_line(path)
    assert math.isclose(table["laptops"]["share"], 43.39 / 112.32, rel_tol=1e-12)


def test_insert_a_row_mid_table(built, tmp_path):
    path = edited(built, tmp_path, lambda ws, t: insert_row(ws, t, 5, JAPAN))
    _, table, checks = assert_agrees_with_the_command_line(path)
    assert math.isclose(table["japan"]["share"], 17.5 / 180.24, rel_tol=1e-12)
    assert table["japan"][PARENT_ROW] == 1  # total is the Table's first row


def test_append_a_figure_to_a_breakdown(built, tmp_path):
    """Japan typed below the Table: its derived numbers appear, and the partners checks include it."""
    path = edited(built, tmp_path, lambda ws, t: append_row(ws, t, JAPAN))
    _, table, checks = assert_agrees_with_the_command_line(path)
    assert math.isclose(table["japan"]["base"], 17.5 / 1.201, rel_tol=1e-12)
    assert "japan" in checks["partners:within"]["figures"].split(",")


def test_append_a_figure_that_names_only_its_breakdown(built, tmp_path):
    """No parent typed: the figure's parent is its breakdown's (total), in Excel as in tradecalc."""
    japan = {k: v for k, v in JAPAN.items() if k != "parent"}
    path = edited(built, tmp_path, lambda ws, t: append_row(ws, t, japan))
    _, table, checks = assert_agrees_with_the_command_line(path)
    assert math.isclose(table["japan"]["share"], 17.5 / 180.24, rel_tol=1e-12)
    assert "japan" in checks["partners:within"]["figures"].split(",")


def test_delete_a_figure(built, tmp_path):
    path = edited(built, tmp_path, lambda ws, t: delete_row(ws, t, "eu"))
    _, table, checks = assert_agrees_with_the_command_line(path)
    assert "eu" not in table
    assert "eu" not in checks["partners:within"]["figures"].split(",")


def test_re_parent_a_figure(built, tmp_path):
    """Consumer goods moved from the import goods to the export products: both breakdowns follow."""

    def edit(ws, t):
        set_cell(ws, "consumer-goods", "parent", "exports")
        set_cell(ws, "consumer-goods", "breakdown", "export-products")

    _, table, checks = assert_agrees_with_the_command_line(edited(built, tmp_path, edit))
    assert math.isclose(table["consumer-goods"]["share"], 3.91 / 112.32, rel_tol=1e-12)
    assert "consumer-goods" in checks["export-products:residual"]["figures"].split(",")


def test_a_value_that_breaks_a_breakdown(built, tmp_path):
    """Exports typed as 120.00: 120.00 + 67.92 is not the stated 180.24."""
    path = edited(built, tmp_path, lambda ws, t: set_cell(ws, "exports", "value", 120.0))
    _, table, checks = assert_agrees_with_the_command_line(path)
    assert math.isclose(checks["flow-q1:sum"]["computed"], 120.0 + 67.92, rel_tol=1e-12)
    assert checks["flow-q1:sum"]["status"] == "inconsistent"


# --------------------------------------------------------------------------- the empty template


def _typed_in(ws, table, rows: list[dict]):
    """Type records into a Table that holds one blank row (the empty template's)."""
    write_rows(ws, table, [new_row(ws, table, r) for r in rows])


def test_empty_template_filled_in_gives_the_shipped_workbook(built, tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(build_workbook(empty_release(), "xlsx"))
    shipped = openpyxl.load_workbook(built)
    wb = openpyxl.load_workbook(path)
    for name in ("Release", "Figures", "Breakdowns", "Statements"):
        src, dst = shipped[name], wb[name]
        src_t, dst_t = src.tables[name], dst.tables[name]
        header = [c.name for c in src_t.tableColumns]
        records = [dict(zip(header, r)) for r in read_rows(src, src_t)]
        typed = [
            {k: v for k, v in r.items() if not (isinstance(v, str) and v.startswith("="))}
            for r in records
        ]
        if name == "Release":
            rows = [[r["key"], r["value"]] for r in typed]
            write_rows(dst, dst_t, rows)
        else:
            _typed_in(dst, dst_t, typed)
    wb.save(path)
    release, table, checks = assert_agrees_with_the_command_line(path)
    cached = openpyxl.load_workbook(built, data_only=True)
    ws = cached["Checks"]
    shipped_checks = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert sorted(shipped_checks) == sorted(checks)
    head = [c.value for c in ws[1]]
    for cid, row in shipped_checks.items():
        for c, v in zip(head, row):
            assert _same(v, checks[cid][c]), (cid, c, v, checks[cid][c])
    fig = cached["Figures"]
    head = [c.value for c in fig[1]]
    for row in fig.iter_rows(min_row=2, values_only=True):
        rec = dict(zip(head, row))
        for c in CALCULATED_COLUMNS:
            if c != PARENT_ROW:
                assert _same(rec[c], table[rec["id"]][c]), (rec["id"], c)


# --------------------------------------------------------------------------- charts follow the Table (issue 12)


def _chart_names(path) -> dict[str, str]:
    """Defined name → its formula, for the chart series' names."""
    wb = openpyxl.load_workbook(path)
    return {n: d.attr_text for n, d in wb.defined_names.items() if n.startswith("Chart")}


_NAME = re.compile(r"OFFSET\(Charts!\$([A-Z]+)\$(\d+),0,0,(.+),1\)")


def _series(path, breakdown: str, what: str):
    """(labels, values) of a chart series of ``breakdown``, through its defined names, by pycel.

    A name is ``OFFSET(Charts!$A$7,0,0,height,1)``: pycel computes the height
    (a count over the live Table) and the Charts cells it covers.
    """
    from pycel import ExcelCompiler

    names = _chart_names(path)
    picked = [
        n for n, f in names.items() if f'"{breakdown}"' in f and n.endswith(f"_{what}_labels")
    ]
    assert len(picked) == 1, names
    scratch = path.with_name("scratch.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Scratch")
    cells = {}
    for k, which in enumerate(("labels", "values"), start=1):
        column, first, height = _NAME.fullmatch(
            names[picked[0].replace("_labels", f"_{which}")]
        ).groups()
        ws.cell(row=k, column=1).value = f"={height}"
        cells[which] = (column, int(first))
    wb.save(scratch)
    xl = ExcelCompiler(filename=str(scratch), plugins=["helpers.pycel_udfs", "helpers.pycel_gaps"])
    out = []
    for k, which in enumerate(("labels", "values"), start=1):
        n = int(xl.evaluate(f"Scratch!A{k}"))
        column, first = cells[which]
        out.append([xl.evaluate(f"Charts!{column}{first + i}") for i in range(n)])
    return tuple(out)


def test_chart_series_are_names_over_the_live_table(built):
    names = _chart_names(built)
    assert names and all(
        f.startswith("OFFSET(Charts!") and "COUNTIF(Figures[breakdown]," in f
        for f in names.values()
    )
    release = tradecalc.load(CHONGQING)
    partners = [f for f in release.figures if f.breakdown == "partners"]
    labels, values = _series(built, "partners", "composition")
    assert labels == [f.label or f.id for f in partners]  # the Table's order, as built
    assert values == [f.value for f in partners]


def test_a_figure_appended_to_the_table_is_charted(built, tmp_path):
    """The issue's example: Japan typed below the Table joins the partners' charts without a rebuild."""
    path = edited(built, tmp_path, lambda ws, t: append_row(ws, t, JAPAN))
    release = tradecalc.load(CHONGQING)
    partners = [f for f in release.figures if f.breakdown == "partners"]
    labels, values = _series(path, "partners", "composition")
    assert labels == [f.label or f.id for f in partners] + ["Trade with Japan"]
    assert values == [f.value for f in partners] + [17.5]
    labels, values = _series(path, "partners", "growth")
    assert labels[0] == "Total trade" or labels[0] == release.figure("total").label
    assert labels[-1] == "Trade with Japan" and values[-1] == pytest.approx(0.201)
    assert len(labels) == len(partners) + 2  # the total, the parts, Japan


def test_a_sorted_table_charts_in_its_new_order(built, tmp_path):
    path = edited(built, tmp_path, lambda ws, t: sort_rows(ws, t, "value", descending=True))
    release = tradecalc.load(CHONGQING)
    partners = sorted(
        (f for f in release.figures if f.breakdown == "partners"),
        key=lambda f: -f.value,
    )
    labels, values = _series(path, "partners", "composition")
    assert values == [f.value for f in partners] and values == sorted(values, reverse=True)
    assert labels == [f.label or f.id for f in partners]


def test_a_deleted_figure_leaves_the_chart(built, tmp_path):
    release = tradecalc.load(CHONGQING)
    partners = [f for f in release.figures if f.breakdown == "partners"]
    gone = partners[0].id
    path = edited(built, tmp_path, lambda ws, t: delete_row(ws, t, gone))
    labels, _ = _series(path, "partners", "composition")
    assert labels == [f.label or f.id for f in partners[1:]]
