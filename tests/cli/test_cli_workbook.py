"""Headless runs on the Chongqing template workbook after edits made as Excel stores them.

The workbook is built by ``tradecalc build`` (XlsxWriter), then edited with
openpyxl the way Excel stores edits (a value; a Table resized by a new row; a
number typed as text; a blank row; an empty precision cell), then run through
the CLI entry ``tradecalc.cli.main``.

Expected numbers come from the release's own statements (180.24 = 112.32 +
67.92; "24 billion yuan"; "75.7%") or from plain Python arithmetic written
here, never from tradecalc's output.
"""

from __future__ import annotations

import csv
import io
import json
import math

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import append_table_row, column_of, figures_table, row_of, set_cell

from tradecalc.cli.build import build_command
from tradecalc.cli.main import main


def build_book(release_path, out):
    """The template workbook as ``tradecalc build --format xlsx`` writes it (XlsxWriter)."""
    assert build_command(str(release_path), output=str(out), fmt="xlsx", force=True) == 0
    return out


@pytest.fixture
def book(tmp_path):
    return build_book(CHONGQING, tmp_path / "chongqing-2021-q1.xlsx")


def edit(path, fn):
    """Open with openpyxl, apply ``fn(ws, table)`` to the Figures sheet, save as Excel would."""
    wb = openpyxl.load_workbook(path)
    ws, table = figures_table(wb)
    fn(ws, table)
    wb.save(path)
    return path


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def derived_rows(path, capsys):
    code, out, err = run(["derive", path, "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    return doc, {r["id"]: r for r in doc["rows"]}


def checks_rows(path, capsys):
    code, out, err = run(["check", path, "--format", "json"], capsys)
    doc = json.loads(out)
    return code, {r["check"]: r for r in doc["rows"]}


# --------------------------------------------------------------------------- unedited


def test_unedited_workbook_derives_the_release_numbers(book, capsys):
    doc, rows = derived_rows(book, capsys)
    assert (
        doc["units"]["base"] == "billion yuan"
        and doc["units"]["share"] == "fraction"
        and doc["units"]["pull_pp"] == "pp"
    )
    ex = rows["exports"]
    assert ex["value"] == 112.32 and ex["unit"] == "billion yuan"
    assert ex["base"] == pytest.approx(112.32 / 1.757, rel=1e-12)
    assert ex["share"] == pytest.approx(112.32 / 180.24, rel=1e-12)
    assert ex["precision"] == "published" and ex["value_decimals"] == 2 and ex["yoy_decimals"] == 1


def test_unedited_workbook_checks_clean(book, capsys):
    code, rows = checks_rows(book, capsys)
    assert code == 0
    s = rows["flow-q1:sum"]  # 180.24 = 112.32 + 67.92, as the release states
    assert (s["stated"], s["status"], s["unit"]) == (180.24, "consistent", "billion yuan")
    assert s["computed"] == pytest.approx(112.32 + 67.92)
    m = rows["flow-march:sum"]  # 64.06 = 40.06 + 24
    assert m["computed"] == pytest.approx(40.06 + 24) and m["status"] == "consistent"


# --------------------------------------------------------------------------- edits flow through


def test_edited_value_flows_through_derive(book, capsys):
    edit(book, lambda ws, t: set_cell(ws, "exports", "value", 120.00))
    _, rows = derived_rows(book, capsys)
    ex = rows["exports"]
    assert ex["value"] == 120.0
    assert ex["base"] == pytest.approx(120 / 1.757, rel=1e-12)
    assert ex["change"] == pytest.approx(120 - 120 / 1.757, rel=1e-12)
    assert ex["share"] == pytest.approx(120 / 180.24, rel=1e-12)
    assert ex["pull_pp"] == pytest.approx(100 * (120 - 120 / 1.757) / (180.24 / 1.604), rel=1e-12)
    # the workbook's value_decimals cell still says 2: "120.00"
    assert ex["value_decimals"] == 2 and ex["precision"] == "published"


def test_parts_that_no_longer_add_up_make_check_exit_1(book, capsys):
    edit(book, lambda ws, t: set_cell(ws, "exports", "value", 150))
    code, rows = checks_rows(book, capsys)
    assert code == 1
    s = rows["flow-q1:sum"]
    assert s["status"] == "inconsistent" and s["stated"] == 180.24
    assert s["computed"] == pytest.approx(150 + 67.92)
    code, out, _ = run(["check", book, "--format", "csv"], capsys)
    assert code == 1
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["check"] == "flow-q1:sum")
    assert (row["status"], row["unit"]) == ("inconsistent", "billion yuan")


def test_value_typed_as_text_is_read_as_printed(book, capsys):
    # a growth typed as text "80.0%" (apostrophe, or a Text-formatted cell) and a value typed as "112.32"
    def f(ws, t):
        set_cell(ws, "exports", "yoy", "80.0%")
        set_cell(ws, "exports", "yoy_decimals", None)
        set_cell(ws, "exports", "value", "112.32")
        set_cell(ws, "exports", "value_decimals", None)

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    ex = rows["exports"]
    assert ex["yoy"] == pytest.approx(0.8) and ex["value"] == 112.32
    assert ex["base"] == pytest.approx(112.32 / 1.8, rel=1e-12)
    # the text carries its own decimals: "80.0%" has 1 (the number 0.8 alone would say 0)
    assert (ex["yoy_decimals"], ex["value_decimals"]) == (1, 2)
    assert ex["precision"] == "published"
    # "80.0%" means [79.95%, 80.05%): the base interval is 112.315/1.8005 .. 112.325/1.7995
    assert ex["base_low"] == pytest.approx(112.315 / 1.8005, rel=1e-9)
    assert ex["base_high"] == pytest.approx(112.325 / 1.7995, rel=1e-9)


def test_growth_typed_as_text_60_4_percent(book, capsys):
    edit(book, lambda ws, t: set_cell(ws, "total", "yoy", "60.4%"))
    _, rows = derived_rows(book, capsys)
    assert rows["total"]["yoy"] == pytest.approx(0.604)
    assert rows["total"]["base"] == pytest.approx(180.24 / 1.604, rel=1e-12)


def test_table_resized_by_a_new_row_counts(book, capsys):
    def f(ws, t):
        append_table_row(
            ws,
            t,
            {
                "id": "tablets",
                "label": "Exports of tablets",
                "period": "2021-Q1",
                "flow": "exports",
                "breakdown": "export-products",
                "parent": "exports",
                "value": 5.12,
                "yoy": 0.253,
            },
        )

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    tab = rows["tablets"]
    assert tab["base"] == pytest.approx(5.12 / 1.253, rel=1e-12)
    assert tab["share"] == pytest.approx(5.12 / 112.32, rel=1e-12)
    # no decimals typed: inferred from the numbers, and said so
    assert (tab["value_decimals"], tab["yoy_decimals"]) == (2, 1)
    assert tab["precision"] == "precision inferred for value (2), yoy (1)"
    _, checks = checks_rows(book, capsys)
    listed = 43.39 + 7.33 + 6.66 + 3.43 + 2.5 + 5.12
    assert checks["export-products:residual"]["computed"] == pytest.approx(112.32 - listed)


def test_row_typed_below_the_table_without_resizing_it_is_ignored(book, capsys):
    def f(ws, t):
        last = ws.max_row
        ws.cell(row=last + 1, column=column_of(ws, "id")).value = "stray"
        ws.cell(row=last + 1, column=column_of(ws, "value")).value = 1.0

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    assert "stray" not in rows and len(rows) == 22


def test_deleted_row_vanishes(book, capsys):
    def f(ws, t):
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import range_boundaries

        ws.delete_rows(row_of(ws, "autos"))
        c1, r1, c2, r2 = range_boundaries(t.ref)  # Excel shrinks the Table with the deleted row
        t.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2 - 1}"
        if t.autoFilter is not None:
            t.autoFilter.ref = t.ref

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    assert "autos" not in rows
    _, checks = checks_rows(book, capsys)
    assert checks["export-products:residual"]["computed"] == pytest.approx(
        112.32 - (43.39 + 7.33 + 6.66 + 3.43)
    )


def test_blank_rows_are_skipped_and_errors_point_at_the_excel_row(book, capsys):
    def f(ws, t):
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import range_boundaries

        ws.insert_rows(
            row_of(ws, "total-march")
        )  # a blank row inside the Table; Excel grows the Table
        c1, r1, c2, r2 = range_boundaries(t.ref)
        t.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2 + 1}"
        if t.autoFilter is not None:
            t.autoFilter.ref = t.ref

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    assert len(rows) == 22 and rows["exports-march"]["value"] == 40.06
    assert rows["exports-march"]["share"] == pytest.approx(40.06 / 64.06, rel=1e-12)
    # a bad value below the blank row: the message names that very cell
    wb = openpyxl.load_workbook(book)
    ws, _ = figures_table(wb)
    r, col = row_of(ws, "exports-march"), column_of(ws, "value")
    ws.cell(row=r, column=col).value = "n/a"
    wb.save(book)
    code, out, err = run(["derive", book], capsys)
    letter = openpyxl.utils.get_column_letter(col)
    assert code == 2 and out == ""
    assert f"Figures!{letter}{r}" in err and "'n/a'" in err


def test_empty_precision_cells_are_inferred_or_stated_unknown(book, capsys):
    def f(ws, t):
        set_cell(ws, "imports-march", "value_decimals", None)  # 24 → printed "24": 0 decimals
        set_cell(ws, "exports-march", "value", 40.06 / 3)  # a formula's result: no printed form
        set_cell(ws, "exports-march", "value_decimals", None)

    edit(book, f)
    _, rows = derived_rows(book, capsys)
    im = rows["imports-march"]
    assert im["value_decimals"] == 0 and im["precision"] == "precision inferred for value (0)"
    # "24" stands for [23.5, 24.5]: base bounds 23.5/1.2835 .. 24.5/1.2825
    assert im["base_low"] == pytest.approx(23.5 / 1.2835, rel=1e-9)
    assert im["base_high"] == pytest.approx(24.5 / 1.2825, rel=1e-9)
    ex = rows["exports-march"]
    assert ex["value_decimals"] is None and "precision unknown for value" in ex["precision"]
    code, out, _ = run(
        ["derive", book, "--format", "markdown"], capsys
    )  # the readable tables show it too
    assert "| inferred for value (0) |" in out and "unknown for value (taken as exact)" in out


# --------------------------------------------------------------------------- pull, then build


def _figures(release):
    def n(x):
        return None if isinstance(x, float) and math.isnan(x) else round(x, 12)

    return {
        f.id: (
            f.period,
            f.flow,
            f.parent,
            f.breakdown,
            n(f.value),
            f.value_decimals,
            n(f.yoy),
            f.yoy_decimals,
            n(f.earlier_growth),
            f.earlier_growth_decimals,
            f.earlier_period,
        )
        for f in release.figures
    }


def test_pull_then_build_reproduces_the_figures(book, tmp_path, capsys):
    from tradecalc.model.releasefile import load as load_release_file
    from tradecalc.workbook.reader import read_workbook

    def f(ws, t):
        set_cell(ws, "exports", "value", 120.00)
        set_cell(ws, "total", "yoy", "61.0%")
        set_cell(ws, "imports-march", "value_decimals", None)
        append_table_row(
            ws,
            t,
            {
                "id": "tablets",
                "label": "Exports of tablets",
                "period": "2021-Q1",
                "flow": "exports",
                "breakdown": "export-products",
                "parent": "exports",
                "value": 5.12,
                "yoy": 0.253,
            },
        )

    edit(book, f)
    pulled = tmp_path / "pulled.toml"
    code, out, err = run(["pull", book, "-o", pulled], capsys)
    assert code == 0, err
    assert "23 figures" in out
    text = pulled.read_text(encoding="utf-8")
    assert 'value = "120.00"' in text and 'yoy = "61.0%"' in text and 'value = "5.12"' in text
    edited = read_workbook(book)
    assert _figures(load_release_file(pulled)) == _figures(edited)
    rebuilt = build_book(pulled, tmp_path / "rebuilt.xlsx")
    again = read_workbook(rebuilt)
    assert _figures(again) == _figures(edited)
    assert (
        again.figure("exports").value == 120.0 and again.figure("imports-march").value_decimals == 0
    )
    assert [(s.id, s.value) for s in again.statements] == [
        ("total-usd", 27.77),
        ("total-vs-national", 31.2),
    ]


def test_pull_refuses_to_overwrite_without_force(book, tmp_path, capsys):
    out = tmp_path / "r.toml"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run(["pull", book, "-o", out], capsys)
    assert code == 2 and "--force" in err and out.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(["pull", book, "-o", out, "--force"], capsys)
    assert code == 0 and 'id = "chongqing-2021-q1"' in out.read_text(encoding="utf-8")
    code, _, err = run(["pull", book, "-o", tmp_path / "r.xlsx"], capsys)
    assert code == 2 and ".toml" in err


# --------------------------------------------------------------------------- not a template


def test_workbook_without_figures_table_names_what_is_missing(tmp_path, capsys):
    p = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Figures"
    wb.active.append(["id", "value"])
    wb.active.append(["exports", 112.32])
    wb.save(p)
    code, out, err = run(["check", p], capsys)
    assert code == 2 and out == ""
    assert "no Excel Table named 'Figures' or 'Release'" in err and "sheets: Figures" in err


def test_figures_table_with_wrong_columns_names_them(book, capsys):
    edit(
        book, lambda ws, t: setattr(ws.cell(row=1, column=column_of(ws, "yoy")), "value", "growth")
    )
    code, out, err = run(["derive", book], capsys)
    assert code == 2
    assert "has no column 'yoy'" in err and "unknown columns: 'growth'" in err


def test_not_a_workbook_at_all(tmp_path, capsys):
    p = tmp_path / "fake.xlsx"
    p.write_text("id,value\n", encoding="utf-8")
    code, _, err = run(["derive", p], capsys)
    assert code == 2 and "not an Excel workbook" in err


# --------------------------------------------------------------------------- formats and output files


def test_csv_headers_carry_units(book, capsys):
    code, out, _ = run(["derive", book, "--format", "csv"], capsys)
    header = next(csv.reader(io.StringIO(out)))
    assert (
        "base [billion yuan]" in header
        and "share [fraction]" in header
        and "pull_pp [pp]" in header
    )
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(rows["imports"]["base [billion yuan]"]) == pytest.approx(67.92 / 1.402, rel=1e-12)


def test_markdown_and_output_file(book, tmp_path, capsys):
    code, out, _ = run(["check", book, "--format", "markdown"], capsys)
    assert code == 0 and "| check |" in out and "| flow-q1:sum | 180.24 | 180.24 |" in out
    target = tmp_path / "checks.json"  # format from the suffix
    code, out, _ = run(["check", book, "-o", target], capsys)
    assert code == 0 and out == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["summary"].get("inconsistent", 0) == 0 and "units" in doc
    code, _, err = run(["derive", book, "-o", book], capsys)
    assert code == 2 and "input itself" in err


def test_python_api_on_a_workbook(book):
    import tradecalc

    release = tradecalc.load(book)
    d = tradecalc.derive(release)
    assert d.loc["exports", "base"] == pytest.approx(112.32 / 1.757, rel=1e-12)
    d2 = tradecalc.derive(book)  # a path works too
    assert d2.loc["imports", "share"] == pytest.approx(67.92 / 180.24, rel=1e-12)
    c = tradecalc.check(release)
    assert c.set_index("check").loc["flow-q1:sum", "status"] == "consistent"


def test_pull_of_an_unedited_workbook_gives_back_the_release_file(book, tmp_path, capsys):
    from tradecalc.model.releasefile import load as load_release_file
    from tradecalc.model.releasefile import to_dict

    pulled = tmp_path / "same.toml"
    assert run(["pull", book, "-o", pulled], capsys)[0] == 0
    assert to_dict(load_release_file(pulled)) == to_dict(load_release_file(CHONGQING))
