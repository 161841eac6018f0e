"""The series workbook, edited as Excel edits it and recomputed by an independent formula
engine (pycel, with the add-in's UDFs bound), against ``tradecalc series`` row by row.

Edits: sort both Tables (rows move with their row-relative formulas), and append a third
release's figures plus its new periods as Table rows (a new row gets the calculated-column
formulas, as Excel fills them).
"""

from __future__ import annotations

import math
import random
import zipfile

import pytest
from helpers import RELEASES

from tradecalc.analysis.series import series
from tradecalc.workbook.series import (
    FIGURES_SHEET,
    FIGURES_TABLE,
    SERIES_SHEET,
    SERIES_TABLE,
    build_series_workbook,
)

openpyxl = pytest.importorskip("openpyxl")
pycel = pytest.importorskip("pycel", reason="pycel (test extra) is not installed")

TWO = [
    RELEASES / "national-2021-q1.toml",
    RELEASES / "national-2021-jan-apr.toml",
    RELEASES / "chongqing-2021-q1.toml",
    RELEASES / "chongqing-2021-jan-apr.toml",
]
MAY = RELEASES / "national-2021-jan-may.toml"
COMPARED = (
    "cumulative",
    "previous",
    "value",
    "value_low",
    "value_high",
    "growth",
    "growth_low",
    "growth_high",
    "stated_value",
    "stated_yoy",
    "value_status",
    "growth_status",
)


def _write(tables, path):
    path.write_bytes(build_series_workbook(tables))
    return path


def _table_rows(ws, table):
    from openpyxl.utils.cell import range_boundaries

    c0, r0, c1, r1 = range_boundaries(table.ref)
    return c0, r0, c1, r1


def sort_table(ws, table, key_column: str, *, reverse=True, shuffle_seed=None):
    """Sort a Table's data rows as Excel does: whole rows move, formulas unchanged."""
    c0, r0, c1, r1 = _table_rows(ws, table)
    header = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
    rows = [[ws.cell(r, c).value for c in range(c0, c1 + 1)] for r in range(r0 + 1, r1 + 1)]
    k = header.index(key_column)
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(rows)
    else:
        rows.sort(key=lambda row: str(row[k]), reverse=reverse)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(r0 + 1 + i, c0 + j).value = v


def append_rows(ws, table, records: list[dict]):
    """Type rows under a Table: Excel extends it and fills the calculated columns."""
    c0, r0, c1, r1 = _table_rows(ws, table)
    header = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
    formulas = {
        tc.name: tc.calculatedColumnFormula.attr_text
        for tc in table.tableColumns
        if tc.calculatedColumnFormula is not None
    }
    for rec in records:
        r1 += 1
        for j, name in enumerate(header):
            if name in formulas:
                ws.cell(r1, c0 + j).value = "=" + formulas[name]
            elif rec.get(name) is not None and not (
                isinstance(rec[name], float) and math.isnan(rec[name])
            ):
                v = rec[name]
                ws.cell(r1, c0 + j).value = v.item() if hasattr(v, "item") else v
    from openpyxl.utils import get_column_letter

    table.ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def recompute(path):
    """{(key, end): {column: value}} for every Series row, as pycel computes it."""
    from openpyxl.utils import get_column_letter

    wb = openpyxl.load_workbook(path)
    ws = wb[SERIES_SHEET]
    c0, r0, c1, r1 = _table_rows(ws, ws.tables[SERIES_TABLE])
    header = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
    xl = pycel.ExcelCompiler(filename=str(path), plugins=["tradecalc_udfs"])
    out = {}
    for r in range(r0 + 1, r1 + 1):
        key, end = (
            ws.cell(r, header.index("key") + 1).value,
            ws.cell(r, header.index("end") + 1).value,
        )
        out[(key, int(end))] = {
            c: xl.evaluate(f"{SERIES_SHEET}!{get_column_letter(header.index(c) + 1)}{r}")
            for c in COMPARED
        }
    return out


def expected(tables):
    """{(key, end): core row} for the rows the Series sheet holds (not the 'stated only' rows)."""
    out = {}
    for rec in tables.periods.to_dict("records"):
        if rec["kind"] == "stated only":
            continue
        end = (
            int(rec["cumulative_period"][-7:].replace("-", ""))
            if "/" in rec["cumulative_period"]
            else None
        )
        if end is None:
            from tradecalc.model.periods import Period

            p = Period.parse(rec["cumulative_period"])
            end = (p.end // 12) * 100 + p.end % 12 + 1
        out[(f"{rec['group']}|{rec['series']}|{rec['currency']}", end)] = rec
    return out


def assert_same(book: dict, core: dict):
    assert set(book) == set(core)
    for k, rec in core.items():
        for c in COMPARED:
            want, got = rec[c], book[k][c]
            if c == "previous" and rec["kind"] == "first period":
                want = 0.0  # nothing is subtracted from the first cumulative period
            if isinstance(want, str):  # a status: TRADE_STATUS in the book, judge in the core
                assert got == want, (k, c, got, want)
            elif isinstance(want, float) and math.isnan(want):
                assert got in ("", None), (k, c, got)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (k, c, got, want)


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    tables = series(TWO)
    return tables, _write(tables, tmp_path_factory.mktemp("series") / "series.xlsx")


def test_sorted_tables_recompute_to_the_series_command(two, tmp_path):
    tables, path = two
    wb = openpyxl.load_workbook(path)
    ws = wb[SERIES_SHEET]
    sort_table(ws, ws.tables[SERIES_TABLE], "label")  # by label, descending
    fws = wb[FIGURES_SHEET]
    sort_table(fws, fws.tables[FIGURES_TABLE], "value", shuffle_seed=15)
    edited = tmp_path / "sorted.xlsx"
    wb.save(edited)
    book = recompute(edited)
    assert_same(book, expected(tables))
    # the worked example, as the workbook computes it
    april = book[("General Administration of Customs|total|yuan", 202104)]
    assert (april["value"], april["value_low"], april["value_high"]) == (
        pytest.approx(3.15),
        pytest.approx(3.14),
        pytest.approx(3.16),
    )
    assert round(april["growth"] * 100, 2) == 26.65
    surplus = book[("General Administration of Customs|balance|yuan", 202104)]
    assert surplus["value"] * 1000 == pytest.approx(260.71) and surplus[
        "stated_value"
    ] * 1000 == pytest.approx(276.5)
    assert book[("Chongqing Customs|total|yuan", 202104)]["value"] == pytest.approx(65.67)
    # the statuses are live: April 3.15 against the stated 3.15, the surplus 260.71 against 276.5
    assert april["value_status"] == "consistent"
    assert surplus["value_status"] == "inconsistent"


def test_a_status_follows_an_edited_stated_figure(two, tmp_path):
    """Typing 3.20 over the stated April total turns its status to inconsistent: 3.20 ± 0.005
    does not meet the implied [3.14, 3.16]."""
    _, path = two
    wb = openpyxl.load_workbook(path)
    fws = wb[FIGURES_SHEET]
    c0, r0, c1, r1 = _table_rows(fws, fws.tables[FIGURES_TABLE])
    header = [fws.cell(r0, c).value for c in range(c0, c1 + 1)]
    col = {h: c0 + i for i, h in enumerate(header)}
    april = [
        r
        for r in range(r0 + 1, r1 + 1)
        if fws.cell(r, col["series"]).value == "total"
        and fws.cell(r, col["group"]).value == "General Administration of Customs"
        and fws.cell(r, col["start"]).value == 202104
        and fws.cell(r, col["end"]).value == 202104
    ]
    assert len(april) == 1, april
    assert fws.cell(april[0], col["value"]).value == pytest.approx(3.15)
    fws.cell(april[0], col["value"]).value = 3.20
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    row = recompute(edited)[("General Administration of Customs|total|yuan", 202104)]
    assert row["stated_value"] == pytest.approx(3.20)
    assert row["value_status"] == "inconsistent"


def test_a_new_release_appended_as_rows_is_picked_up(two, tmp_path):
    tables, path = two
    three = series(TWO + [MAY])
    wb = openpyxl.load_workbook(path)
    fws = wb[FIGURES_SHEET]
    new_figs = three.figures[three.figures["release"] == "national-2021-jan-may"].to_dict("records")
    append_rows(fws, fws.tables[FIGURES_TABLE], new_figs)
    ws = wb[SERIES_SHEET]
    have = {(r["key"], int(r["end"])) for r in recompute_keys(ws)}
    new_rows = [{"key": k, "end": e} for k, e in expected(three) if (k, e) not in have]
    assert {r["end"] for r in new_rows} == {202105}
    append_rows(ws, ws.tables[SERIES_TABLE], new_rows)
    edited = tmp_path / "appended.xlsx"
    wb.save(edited)
    assert_same(recompute(edited), expected(three))


def recompute_keys(ws):
    c0, r0, c1, r1 = _table_rows(ws, ws.tables[SERIES_TABLE])
    header = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
    return [
        {
            "key": ws.cell(r, header.index("key") + 1).value,
            "end": ws.cell(r, header.index("end") + 1).value,
        }
        for r in range(r0 + 1, r1 + 1)
    ]


def test_every_formula_cell_has_a_cached_value(two):
    tables, path = two
    import re

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        n_formulas = 0
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            cells = re.findall(r"<c [^>]*>(.*?)</c>", xml)
            for body in cells:
                if "<f>" in body or "<f " in body:
                    n_formulas += 1
                    assert "<v>" in body or "<v/>" in body or 't="str"' in body, body[:200]
    assert n_formulas > 300
    wb = openpyxl.load_workbook(path, data_only=True)
    ws = wb[SERIES_SHEET]
    header = [c.value for c in ws[1]]
    rows = {
        (r[0], int(r[1])): dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    april = rows[("General Administration of Customs|total|yuan", 202104)]
    assert april["value"] == pytest.approx(3.15) and april["value_status"] == "consistent"
    assert april["growth_status"] == "consistent within rounding"


def test_charts_per_series(two):
    tables, path = two
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    n_series = len(
        {
            (r["group"], r["series"], r["currency"])
            for r in tables.periods.to_dict("records")
            if r["kind"] != "stated only"
        }
    )
    assert len(charts) == 2 * n_series  # cumulative and single-period growth, per series


def test_chart_blocks_follow_a_sorted_series_table(two, tmp_path):
    tables, path = two
    wb = openpyxl.load_workbook(path)
    ws = wb[SERIES_SHEET]
    sort_table(ws, ws.tables[SERIES_TABLE], "key", shuffle_seed=3)
    edited = tmp_path / "charts.xlsx"
    wb.save(edited)
    xl = pycel.ExcelCompiler(filename=str(edited), plugins=["tradecalc_udfs"])
    cws = wb["Charts"]
    for r in range(1, cws.max_row + 1):
        key = cws.cell(r, 1).value
        if key == "General Administration of Customs|total|yuan":
            # the block's rows: 202103, 202104; the single-period value column is C
            assert xl.evaluate(f"Charts!A{r + 3}") == 202104
            assert xl.evaluate(f"Charts!C{r + 3}") == pytest.approx(3.15)
            break
    else:
        pytest.fail("no chart block for the national total")


def test_a_missing_growth_stays_blank_never_zero(tmp_path):
    # January-April printed without its growth: the single period's growth is unknown, and a
    # blank read as 0% would give a wrong growth, so the workbook must show a blank
    q1 = tmp_path / "q1.toml"
    q1.write_text(
        '[release]\nid = "q1"\npublisher = "Chongqing Customs"\nunit = "billion yuan"\n'
        '[[figures]]\nid = "total"\nperiod = "2021-Q1"\nvalue = "180.24"\nyoy = "60.4%"\n',
        encoding="utf-8",
    )
    ja = tmp_path / "ja.toml"
    ja.write_text(
        '[release]\nid = "ja"\npublisher = "Chongqing Customs"\nunit = "billion yuan"\n'
        '[[figures]]\nid = "total"\nperiod = "2021-01/2021-04"\nvalue = "245.91"\n',
        encoding="utf-8",
    )
    tables = series([q1, ja])
    book = recompute(_write(tables, tmp_path / "blank.xlsx"))
    april = book[("Chongqing Customs|total|yuan", 202104)]
    assert april["value"] == pytest.approx(65.67)
    assert april["growth"] in ("", None) and april["growth_low"] in ("", None)
    assert_same(book, expected(tables))


@pytest.mark.skipif(
    not (__import__("shutil").which("soffice") or __import__("shutil").which("libreoffice")),
    reason="LibreOffice (soffice) not installed; .ci/run installs it",
)
def test_a_reader_that_does_not_recalculate_shows_the_numbers(two, tmp_path):
    # LibreOffice does not know the TRADE_* functions: it shows the cached values
    import csv
    import shutil
    import subprocess

    tables, path = two
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / "series-Series.csv").read_text(encoding="utf-8")
    rows = {(r["key"], r["end"]): r for r in csv.DictReader(text.splitlines())}
    april = rows[("General Administration of Customs|total|yuan", "202104")]
    assert (april["value"], april["value_low"], april["value_high"]) == ("3.15", "3.14", "3.16")
    assert april["growth_status"] == "consistent within rounding"
    assert "#NAME" not in text and "Err:" not in text
