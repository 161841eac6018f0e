"""read_workbook on cells as Excel stores them: dates, formulas, error values, renamed Tables."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import column_of, figures_table, row_of, set_cell

from tradecalc.cli.build import build_command
from tradecalc.model.published import shortest_decimals
from tradecalc.model.release import ReleaseError
from tradecalc.workbook.reader import _inferred_decimals, read_workbook


@pytest.fixture
def book(tmp_path):
    out = tmp_path / "chongqing-2021-q1.xlsx"
    assert build_command(str(CHONGQING), output=str(out), fmt="xlsx", force=True) == 0
    return out


def _edit(path, fn, sheet="Figures"):
    wb = openpyxl.load_workbook(path)
    fn(wb[sheet])
    wb.save(path)


def test_period_excel_turned_into_a_date_reads_back_as_the_month(book):
    # typing 2021-03 into a General cell makes Excel store the date 1 March 2021
    _edit(book, lambda ws: set_cell(ws, "total-march", "period", dt.datetime(2021, 3, 1)))
    r = read_workbook(book)
    assert r.figure("total-march").period == "2021-03"
    assert r.figure("exports-march").period == "2021-03"


def test_published_date_in_the_release_table_stays_iso(book):
    def f(ws):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "published":
                row[1].value = dt.datetime(2021, 4, 24)

    _edit(book, f, sheet="Release")
    assert read_workbook(book).meta["published"] == "2021-04-24"


def test_formula_without_a_saved_result_is_refused_at_its_cell(book):
    # openpyxl (like any non-Excel writer) saves no result for a formula; Excel would
    def f(ws):
        set_cell(ws, "exports", "value", "=100+12.32")

    _edit(book, f)
    wb = openpyxl.load_workbook(book)
    ws, _ = figures_table(wb)
    cell = (
        f"Figures!{openpyxl.utils.get_column_letter(column_of(ws, 'value'))}{row_of(ws, 'exports')}"
    )
    with pytest.raises(ReleaseError) as e:
        read_workbook(book)
    assert cell in str(e.value) and "formula with no saved result" in str(e.value)


def test_excel_error_value_is_refused_at_its_cell(book):
    _edit(book, lambda ws: set_cell(ws, "imports", "yoy", "#DIV/0!"))
    with pytest.raises(ReleaseError) as e:
        read_workbook(book)
    assert "Excel error #DIV/0!" in str(e.value) and "Figures!K" in str(e.value)


def test_release_table_missing_unit_is_named(book):
    def f(ws):
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "unit":
                row[1].value = None

    _edit(book, f, sheet="Release")
    with pytest.raises(ReleaseError) as e:
        read_workbook(book)
    assert "no unit" in str(e.value)


def test_renamed_figures_table_is_reported_with_the_tables_found(book):
    def f(ws):
        t = ws.tables["Figures"]
        t.displayName = t.name = "Table1"

    _edit(book, f)
    with pytest.raises(ReleaseError) as e:
        read_workbook(book)
    msg = str(e.value)
    assert "no Excel Table named 'Figures'" in msg and "Table1" in msg and "Table Name" in msg


def test_shortest_decimals_of_release_numbers():
    # as printed in the release: "112.32", "24", "2.5", "75.7%", "100%", "2020%"
    assert [shortest_decimals(x) for x in (112.32, 24.0, 2.5)] == [2, 0, 1]
    assert [shortest_decimals(x, percent=True) for x in (0.757, 1.0, 20.2)] == [1, 0, 0]
    assert shortest_decimals(float("nan")) is None
    # what the reader infers for an empty decimals cell: the same, within binary noise, up to a limit
    assert _inferred_decimals(0.757, percent=True) == 1
    assert _inferred_decimals(24.0, percent=False) == 0
    # a formula's result, not a typed figure
    assert _inferred_decimals(40.06 / 3, percent=False) is None


def test_macro_enabled_workbook_is_read_like_the_xlsx(tmp_path, capsys):
    import json

    from tradecalc.cli.main import main

    xlsm = tmp_path / "chongqing-2021-q1.xlsm"
    assert build_command(str(CHONGQING), output=str(xlsm), fmt="xlsm", force=True) == 0
    assert main(["derive", str(xlsm), "--format", "json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    # March: 40.06 exports at +57.5% and 24 imports at +28.3%
    assert rows["exports-march"]["base"] == pytest.approx(40.06 / 1.575, rel=1e-12)
    assert rows["imports-march"]["base"] == pytest.approx(24 / 1.283, rel=1e-12)
    assert main(["check", str(xlsm)]) == 0


def test_formula_with_a_saved_result_counts_as_its_result(tmp_path):
    """Excel saves each formula's last result; that result is the figure (written here with XlsxWriter)."""
    import xlsxwriter

    from tradecalc.workbook import layout as template

    path = tmp_path / "formula.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(template.FIGURES_SHEET)
    cols = list(template.FIGURE_COLUMNS)
    rows = [
        {
            "id": "total",
            "period": "2021-Q1",
            "value": 180.24,
            "value_decimals": 2,
            "yoy": 0.604,
            "yoy_decimals": 1,
        },
        {
            "id": "exports",
            "period": "2021-Q1",
            "flow": "exports",
            "parent": "total",
            "value_decimals": 2,
            "yoy": 0.757,
            "yoy_decimals": 1,
        },
    ]
    for i, rec in enumerate(rows, start=1):
        for j, c in enumerate(cols):
            if c in rec:
                ws.write(i, j, rec[c])
    # exports typed as a formula; its saved result is 112.32
    ws.write_formula(2, cols.index("value"), "=180.24-67.92", None, 112.32)
    ws.add_table(
        0,
        0,
        2,
        len(cols) - 1,
        {"name": template.FIGURES_TABLE, "columns": [{"header": c} for c in cols]},
    )
    rs = wb.add_worksheet(template.RELEASE_SHEET)
    meta = [("id", "formula-test"), ("unit", "billion yuan")]
    for i, (k, v) in enumerate(meta, start=1):
        rs.write(i, 0, k)
        rs.write(i, 1, v)
    rs.add_table(
        0,
        0,
        len(meta),
        1,
        {"name": template.RELEASE_TABLE, "columns": [{"header": "key"}, {"header": "value"}]},
    )
    wb.close()
    r = read_workbook(path)
    assert r.figure("exports").value == pytest.approx(180.24 - 67.92)
    assert r.figure("exports").value_decimals == 2 and r.figure("exports").parent == "total"
