"""``tradecalc build``: the template workbook read back with openpyxl.

Expected numbers come from the Chongqing Q1 2021 release itself (180.24 =
112.32 + 67.92; "31.2 percentage points higher"; the March breakdown 64.06 =
40.06 + 24) or from plain arithmetic written here, never from the code under
test: total base 180.24 / 1.604 = 112.37, exports' share 112.32 / 180.24 =
62.3% (+5.4 pp on the base period), pulls 43.1 + 17.3 = 60.4 pp, January–
February 180.24 - 64.06 = 116.18 at about +70.2%, national growth 60.4% -
31.2 pp = 29.2%, 180.24 / 27.77 = 6.49 yuan per dollar.
"""

from __future__ import annotations

import math
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import CHONGQING, ROOT
from openpyxl.worksheet.formula import ArrayFormula

import tradecalc
from tradecalc.analysis.checks import CHECK_COLUMNS
from tradecalc.cli.build import build_command
from tradecalc.model.release import FIGURE_COLUMNS
from tradecalc.workbook.writer import build_workbook

TOML = CHONGQING
COMMITTED = ROOT / "workbooks" / "chongqing-2021-q1.xlsx"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "chongqing-2021-q1.xlsx"
    assert build_command(str(TOML), output=str(out)) == 0
    return out


@pytest.fixture(scope="module")
def books(built):
    return openpyxl.load_workbook(built), openpyxl.load_workbook(built, data_only=True)


@pytest.fixture(scope="module")
def printed():
    """The release file's figures as printed text, read with tomllib (not tradecalc)."""
    return tomllib.loads(TOML.read_text(encoding="utf-8"))


def _rows(ws):
    header = [c.value for c in ws[1]]
    return header, [
        dict(zip(header, [c for c in row]))
        for row in ws.iter_rows(min_row=2)
        if row[0].value is not None
    ]


def _decimals(text: str) -> int:
    t = text.rstrip("%")
    return len(t.split(".")[1]) if "." in t else 0


# ------------------------------------------------------------------------------ figures


def test_figures_table_has_the_template_columns(books):
    wb, _ = books
    ws = wb["Figures"]
    assert "Figures" in ws.tables
    t = ws.tables["Figures"]
    header = [c.value for c in ws[1]][: len(FIGURE_COLUMNS)]
    assert header == list(FIGURE_COLUMNS)
    assert t.ref.startswith("A1:")
    assert ws.freeze_panes == "B2"
    for name in ("Breakdowns", "Statements", "Release"):
        assert name in wb[name].tables


def test_figures_round_trip_values_and_published_precision(books, printed):
    _, wbv = books
    header, rows = _rows(wbv["Figures"])
    by_id = {r["id"].value: r for r in rows}
    assert list(by_id) == [f["id"] for f in printed["figures"]]
    for f in printed["figures"]:
        row = by_id[f["id"]]
        if "value" in f:
            assert row["value"].value == float(f["value"])  # exactly the printed number
            assert row["value_decimals"].value == _decimals(f["value"])
            assert row["value"].number_format == "#,##0.00"
        else:
            assert row["value"].value is None  # missing stays blank, never 0
        for key in ("yoy", "earlier_growth"):
            if key in f:
                assert math.isclose(row[key].value, float(f[key].rstrip("%")) / 100, rel_tol=1e-12)
                assert row[f"{key}_decimals"].value == _decimals(f[key])
                assert row[key].number_format == "0.0%"
        assert row["sentence"].value == f["sentence"]
        assert row["label"].value == f["label"]


def test_workbook_reads_back_as_the_same_release(built):
    from tradecalc.model.releasefile import to_dict

    assert to_dict(tradecalc.load(built)) == to_dict(tradecalc.load(TOML))


def test_release_table_holds_the_metadata(books, printed):
    _, wbv = books
    kv = {r["key"].value: r["value"].value for r in _rows(wbv["Release"])[1]}
    for k, v in printed["release"].items():
        assert kv[k] == v


# ------------------------------------------------------------------------------ derived


def test_derived_key_numbers_from_the_release(books):
    _, wbv = books
    header, rows = _rows(wbv["Derived"])
    d = {r["id"].value: {k: c.value for k, c in r.items()} for r in rows}
    assert round(d["total"]["base"], 2) == round(180.24 / 1.604, 2) == 112.37
    assert round(d["exports"]["share"], 3) == round(112.32 / 180.24, 3) == 0.623
    assert round(d["exports"]["share_change_pp"], 1) == 5.4
    # exports and imports pull total trade by 43.1 + 17.3 = 60.4 points: its growth
    assert round(d["exports"]["pull_pp"], 1) == 43.1 and round(d["imports"]["pull_pp"], 1) == 17.3
    assert math.isclose(d["exports"]["pull_pp"] + d["imports"]["pull_pp"], 60.4, abs_tol=0.05)
    assert math.isclose(
        d["exports"]["contribution"] + d["imports"]["contribution"], 1.0, abs_tol=1e-3
    )
    assert d["total"]["years"] == 2
    assert round(d["total"]["earlier_base"], 2) == round(180.24 / 1.37, 2)
    assert round(d["total"]["prior_growth"], 4) == round(1.37 / 1.604 - 1, 4)
    # "up 100%" printed without decimals: the base of private enterprises lies in [37.44, 37.63]
    assert (round(d["private"]["base_low"], 2), round(d["private"]["base_high"], 2)) == (
        37.44,
        37.63,
    )
    assert d["fruits"]["base"] in (None, "")  # growth only: no value, no base (not 0)


def test_derived_cached_values_match_plain_arithmetic(books):
    """Every parent-relative number recomputed here from the Figures cells."""
    _, wbv = books
    _, figs = _rows(wbv["Figures"])
    F = {r["id"].value: (r["value"].value, r["yoy"].value, r["parent"].value) for r in figs}
    _, rows = _rows(wbv["Derived"])
    checked = 0
    for r in rows:
        fid = r["id"].value
        v, g, parent = F[fid]
        if v is None or g is None:
            continue
        b = v / (1 + g)
        assert math.isclose(r["base"].value, b, rel_tol=1e-12)
        assert math.isclose(r["change"].value, v - b, rel_tol=1e-9)
        if parent:
            pv, pg, _ = F[parent]
            pb = pv / (1 + pg)
            assert math.isclose(r["share"].value, v / pv, rel_tol=1e-12)
            assert math.isclose(r["base_share"].value, b / pb, rel_tol=1e-12)
            assert math.isclose(r["share_change_pp"].value, 100 * (v / pv - b / pb), rel_tol=1e-9)
            assert math.isclose(r["pull_pp"].value, 100 * (v - b) / pb, rel_tol=1e-9)
            assert math.isclose(r["contribution"].value, (v - b) / (pv - pb), rel_tol=1e-9)
            checked += 1
    assert checked >= 15


def _num(x):
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def _formula(cell):
    v = cell.value
    if isinstance(v, ArrayFormula):
        return v.text
    return v if isinstance(v, str) and v.startswith("=") else None


def test_every_derived_formula_caches_tradecalcs_result(books):
    """The calculated columns of the Figures Table and the Derived arrays cache derive()'s numbers."""
    wb, wbv = books
    table = tradecalc.derive(tradecalc.load(TOML))
    n = 0
    for sheet in ("Figures", "Derived"):
        header = [c.value for c in wb[sheet][1]]
        for row in wb[sheet].iter_rows(min_row=2):
            fid = wbv[sheet].cell(row[0].row, 1).value
            for j, cell in enumerate(row):
                col = header[j]
                if col not in table.columns or col == "id":
                    continue
                if sheet == "Figures" and _formula(cell) is None:
                    continue  # the release's own columns
                cached = wbv[sheet][cell.coordinate].value
                want = _num(table.at[fid, col])
                if want is None:
                    assert cached in (None, ""), (sheet, cell.coordinate)
                else:
                    assert math.isclose(cached, want, rel_tol=1e-12, abs_tol=1e-15), (
                        sheet,
                        cell.coordinate,
                    )
                n += 1
    assert n > 2 * 22 * 10


def test_every_check_cell_caches_tradecalcs_result(books):
    """One TRADE_CHECKS formula in A1; every cell of its spill range caches check()'s table."""
    wb, wbv = books
    table = tradecalc.check(tradecalc.load(TOML))
    ws, wsv = wb["Checks"], wbv["Checks"]
    assert isinstance(ws["A1"].value, ArrayFormula)
    assert (
        ws["A1"].value.ref == f"A1:{ws.cell(1, len(CHECK_COLUMNS)).column_letter}{len(table) + 1}"
    )
    assert (
        ws["A1"].value.text
        == "=TRADE_CHECKS(Release[#All],Figures[#All],Breakdowns[#All],Statements[#All])"
    )
    assert [c.value for c in wsv[1]] == list(CHECK_COLUMNS)
    assert wsv.max_row == len(table) + 1
    for i, rec in enumerate(table.to_dict("records"), start=2):
        for j, col in enumerate(CHECK_COLUMNS, start=1):
            cached, want = wsv.cell(i, j).value, rec[col]
            if isinstance(want, str):
                assert (cached or "") == want, (rec["check"], col)
            elif _num(want) is None:
                assert cached in (None, ""), (rec["check"], col)
            else:
                assert math.isclose(cached, want, rel_tol=1e-12, abs_tol=1e-15), (
                    rec["check"],
                    col,
                    cached,
                    want,
                )


def test_checks_key_numbers_and_statuses(books):
    _, wbv = books
    _, rows = _rows(wbv["Checks"])
    c = {r["check"].value: {k: x.value for k, x in r.items()} for r in rows}
    # stated totals: 180.24 = 112.32 + 67.92 and 64.06 = 40.06 + 24
    assert (
        c["flow-q1:sum"]["computed"] == pytest.approx(112.32 + 67.92)
        and c["flow-q1:sum"]["status"] == "consistent"
    )
    assert (
        c["flow-march:sum"]["computed"] == pytest.approx(40.06 + 24)
        and c["flow-march:sum"]["status"] == "consistent"
    )
    # "24 billion" (no decimals) leaves March's bases apart by more than 2-decimal rounding
    assert c["flow-march:base"]["status"] == "consistent within rounding"
    # other ownership types: 180.24 - 88.24 - 75.07 - 16.75 = 0.18, negative naive base
    assert c["ownership:residual"]["computed"] == pytest.approx(0.18)
    assert (
        c["ownership:residual_base"]["computed"] < 0
        and c["ownership:residual_base"]["status"] == "consistent within rounding"
    )
    jan_feb = next(v for k, v in c.items() if k.startswith("total:") and k.endswith(":value"))
    assert round(jan_feb["computed"], 2) == 116.18
    jan_feb_g = next(v for k, v in c.items() if k.startswith("total:") and k.endswith(":growth"))
    assert (
        round(jan_feb_g["computed"], 3)
        == round((180.24 - 64.06) / (180.24 / 1.604 - 64.06 / 1.452) - 1, 3)
        == 0.702
    )
    assert round(c["total-vs-national"]["computed"], 3) == round(0.604 - 0.312, 3) == 0.292
    assert round(c["total-usd"]["computed"], 2) == round(180.24 / 27.77, 2) == 6.49


_A1 = re.compile(r"(?<![A-Za-z_\[])\$?[A-Z]{1,3}\$?\d+\b")


def test_formulas_find_figures_by_row_or_id_never_by_address(books, printed):
    """The live template: structured references and ids only; no cell address fixed at build time."""
    wb, _ = books
    texts = {f[k] for f in printed["figures"] for k in ("value",) if k in f}
    n = 0
    for sheet in ("Figures", "Derived", "Checks"):
        for row in wb[sheet].iter_rows(min_row=1):
            for cell in row:
                f = _formula(cell)
                if f is None:
                    continue
                n += 1
                body = re.sub(r'"[^"]*"', '""', f)  # text literals
                assert not _A1.search(body), (sheet, cell.coordinate, f)
                assert not any(t in f for t in texts if "." in t), (sheet, cell.coordinate, f)
    assert n == 22 * 12 + 3 + 1  # 12 calculated columns, 3 Derived arrays, 1 Checks call
    ws = wb["Figures"]
    header = [c.value for c in ws[1]]
    base, share = (
        ws.cell(2, header.index("base") + 1).value,
        ws.cell(3, header.index("share") + 1).value,
    )
    assert base == (
        '=IF(OR(Figures[[#This Row],[value]]="",Figures[[#This Row],[yoy]]=""),"",'
        "TRADE_BASE(Figures[[#This Row],[value]],Figures[[#This Row],[yoy]]))"
    )
    assert (
        "TRADE_SHARE(Figures[[#This Row],[value]],INDEX(Figures[value],Figures[[#This Row],[parent_row]]))"
        in share
    )
    parent_row = ws.cell(3, header.index("parent_row") + 1).value
    assert (
        "MATCH(Figures[[#This Row],[breakdown]],Breakdowns[id],0)" in parent_row
    )  # the breakdown's parent
    assert "Figures[id],0)" in parent_row  # the parent found by id
    # stored as the Table's calculated-column formulas: Excel fills a new row by itself
    table = ws.tables["Figures"]
    calculated = {
        c.name: c.calculatedColumnFormula
        for c in table.tableColumns
        if c.calculatedColumnFormula is not None
    }
    assert set(calculated) == set(header[len(FIGURE_COLUMNS) :])
    d = wb["Derived"]
    assert d["M2"].value.text.endswith(
        "TRADE_BASE_BOUNDS(Figures[value],Figures[yoy],Figures[value_decimals],Figures[yoy_decimals]))"
    )
    assert d["M2"].value.ref == "M2:N23"  # low and high of every figure from one call


def test_checks_hold_no_copy_of_the_status_rule(books):
    """The statuses are tradecalc's (TRADE_CHECKS); the sheet only colours them, natively."""
    wb, _ = books
    ws = wb["Checks"]
    formulas = [(c.coordinate, _formula(c)) for row in ws.iter_rows() for c in row if _formula(c)]
    assert [a for a, _ in formulas] == ["A1"]
    assert ws.conditional_formatting  # red / amber / green / grey
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert {r.formula[0] for r in rules if r.type == "cellIs"} == {
        '"inconsistent"',
        '"consistent within rounding"',
        '"consistent"',
        '"not checkable"',
    }


def test_charts_are_native_and_read_the_figures(built, books):
    """Every chart series is a workbook-level name (``[0]!Name``, as Excel stores one in a
    chart) over the Charts block, whose cells find their figures in the live Table."""
    wb, _ = books
    with zipfile.ZipFile(built) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(z.read(n).decode() for n in charts)
    assert len(charts) >= 6  # composition and growth of exports/imports, ownership, partners ...
    assert "<c:pieChart>" in xml and "<c:barChart>" in xml
    refs = re.findall(r"<c:f>([^<]*)</c:f>", xml)
    series = [r for r in refs if not r.startswith("Charts!$")]  # titles may be cells
    assert series and all(r.startswith("[0]!Chart") for r in series)
    for ref in series:
        name = wb.defined_names[ref[len("[0]!") :]]
        assert re.fullmatch(
            r"OFFSET\(Charts!\$[ABC]\$\d+,0,0,MAX\(1,(\d\+)?MIN\(COUNTIF\(Figures\[breakdown\],"
            r'"[^"]+"\),\d+\)\),1\)',
            name.attr_text,
        ), name.attr_text
    ws = wb["Charts"]
    formulas = [
        c.value
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert formulas and all("Figures[" in f or "Checks!" in f for f in formulas)
    # no address of a Figures cell: a block's own helper cells (column D, "Figures row") aside
    own = re.compile(r"\$D\$\d+")
    assert not any(
        _A1.search(own.sub("", re.sub(r'"[^"]*"', '""', f)).replace("$", ""))
        for f in formulas
        if "Checks!" not in f
    )


# ------------------------------------------------------------------------------ text, xlwings, vba


def test_release_text_is_written_as_text_never_as_a_formula(tmp_path):
    hostile = {
        "=1+1": "label",
        "+SUM(A1)": "sentence",
        "-2+3": "growth_sentence",
        "@NOW()": "review",
    }
    text = TOML.read_text(encoding="utf-8")
    text = text.replace('label = "Exports"\n', 'label = "=1+1"\nreview = "@NOW()"\n', 1)
    text = text.replace('title = "Chongqing', 'title = "=HYPERLINK(0)Chongqing', 1)
    text = text.replace('label = "Imports"\n', 'label = "+SUM(A1)"\ngrowth_sentence = "-2+3"\n', 1)
    p = tmp_path / "releases" / "hostile.toml"
    p.parent.mkdir()
    p.write_text(text, encoding="utf-8")
    out = tmp_path / "hostile.xlsx"
    build_command(str(p), output=str(out))
    wb = openpyxl.load_workbook(out)
    found = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.value in hostile or c.value in (
                    "=HYPERLINK(0)Chongqing's Foreign Trade Hit a Record High in Q1 2021",
                ):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    found[c.value] = True
    assert set(hostile) <= set(found)


def test_xlwings_conf_sheet(books):
    wb, _ = books
    ws = wb["xlwings.conf"]
    assert (ws["A1"].value, ws["B1"].value) == ("UDF Modules", "tradecalc_udfs")
    assert ws["A2"].value is None  # xlwings reads keys from A1 down to the first blank


def test_about_sheet_names_the_release_and_lists_the_functions(books, printed):
    wb, _ = books
    ws = wb["About"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    for k in ("title", "publisher", "source_url", "published"):
        assert printed["release"][k] in values
    names = [v for v in values if isinstance(v, str) and v.startswith("TRADE_") and "(" not in v]
    assert {"TRADE_BASE", "TRADE_BASE_BOUNDS", "TRADE_RESIDUAL", "TRADE_FX_RATE"} <= set(names)
    assert wb.sheetnames[0] == "About"


def test_xlsm_carries_the_vba_project_of_the_installed_xlwings(tmp_path):
    from tradecalc.workbook.vba import xlwings_vba_project

    out = tmp_path / "c.xlsm"
    assert build_command(str(TOML), output=str(out)) == 0
    expected = xlwings_vba_project()[0]  # the quickstart's project without its sample Module1
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == expected
        assert "macroEnabled" in z.read("[Content_Types].xml").decode()
    wb = openpyxl.load_workbook(out, keep_vba=True)
    try:
        assert wb["Figures"].tables["Figures"]
    finally:  # keep_vba holds an open zip in memory that openpyxl never closes
        wb.vba_archive.close()


# ------------------------------------------------------------------------------ determinism, committed copy


def test_building_twice_gives_the_same_bytes():
    release = tradecalc.load(TOML)
    assert build_workbook(release, "xlsx") == build_workbook(release, "xlsx")


def _contents(path):
    wb = openpyxl.load_workbook(path)
    wbv = openpyxl.load_workbook(path, data_only=True)
    out = {"sheets": wb.sheetnames}
    for ws in wb:
        out[ws.title] = [
            (
                c.coordinate,
                (c.value.ref, c.value.text) if isinstance(c.value, ArrayFormula) else c.value,
                wbv[ws.title][c.coordinate].value,
                c.number_format,
            )
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        ]
        out[ws.title + ":tables"] = sorted((t.name, t.ref) for t in ws.tables.values())
    return out


def test_committed_workbook_is_what_the_build_produces(built):
    assert COMMITTED.is_file(), (
        "run: tradecalc build workbooks/releases/chongqing-2021-q1.toml --format xlsx"
    )
    assert _contents(COMMITTED) == _contents(built), (
        "workbooks/chongqing-2021-q1.xlsx drifted from the build: "
        "run tradecalc build workbooks/releases/chongqing-2021-q1.toml --format xlsx --force"
    )


def test_committed_workbooks_regenerate_byte_identically():
    """The build is deterministic: the committed Chongqing workbook and the empty template, byte for byte."""
    from tradecalc.workbook.writer import empty_release

    assert build_workbook(tradecalc.load(TOML), "xlsx") == COMMITTED.read_bytes(), (
        "run: tradecalc report " + str(TOML)
    )
    empty = ROOT / "workbooks" / "empty-template.xlsx"
    assert build_workbook(empty_release(), "xlsx") == empty.read_bytes(), (
        "run: tradecalc build --empty -o " + str(empty)
    )


def test_empty_template_has_the_tables_and_one_blank_row(tmp_path):
    out = tmp_path / "book.xlsx"
    assert build_command(None, output=str(out), empty=True) == 0
    wb = openpyxl.load_workbook(out)
    for name in ("Figures", "Breakdowns", "Statements"):
        t = wb[name].tables[name]
        assert t.ref.endswith("2")  # the header and one row to type into
    assert wb["Release"].tables["Release"].ref == "A1:B9"  # the keys, their values to fill in
    keys = [wb["Release"].cell(r, 1).value for r in range(2, 10)]
    assert keys == [
        "id",
        "title",
        "publisher",
        "source_url",
        "published",
        "period",
        "currency",
        "unit",
    ]
    wbv = openpyxl.load_workbook(out, data_only=True)
    assert [c.value for c in wbv["Checks"][1]] == list(CHECK_COLUMNS) and wbv["Checks"].max_row == 1
    with pytest.raises(ValueError, match="output"):
        build_command(None, empty=True)


# ------------------------------------------------------------------------------ safety and command line


def _release_copy(tmp_path) -> Path:
    p = tmp_path / "releases" / "chongqing-2021-q1.toml"
    p.parent.mkdir(exist_ok=True)
    shutil.copy(TOML, p)
    return p


def test_default_output_is_beside_the_releases_folder(tmp_path, capsys):
    from tradecalc.cli.main import main

    rel = _release_copy(tmp_path)
    assert main(["build", str(rel)]) == 0
    assert (tmp_path / "chongqing-2021-q1.xlsm").is_file()
    assert main(["build", str(rel), "--format", "xlsx"]) == 0
    assert (tmp_path / "chongqing-2021-q1.xlsx").is_file()


def test_bad_output_name_is_a_one_line_error(tmp_path, capsys):
    from tradecalc.cli.main import main

    assert main(["build", str(TOML), "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".xlsm or .xlsx" in err
    assert main(["build", str(TOML), "-o", str(tmp_path / "x.xlsx"), "--format", "xlsm"]) == 2


def test_hand_edited_workbook_is_not_overwritten(tmp_path, capsys):
    from tradecalc.cli.main import main

    rel = _release_copy(tmp_path)
    out = tmp_path / "book.xlsx"
    assert main(["build", str(rel), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Figures"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("value") + 1).value = 112.5  # a user corrects exports
    wb.save(out)
    before = out.read_bytes()
    assert main(["build", str(rel), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and f"tradecalc pull {out}" in err and "'exports'" in err
    assert out.read_bytes() == before  # nothing lost
    # the edits can be kept: pull them into a release file and build from it
    kept = tmp_path / "releases" / "kept.toml"
    assert main(["pull", str(out), "-o", str(kept)]) == 0
    assert main(["build", str(kept), "-o", str(out)]) == 0
    assert tradecalc.load(out).figure("exports").value == 112.5
    # or overwritten on purpose
    assert main(["build", str(rel), "-o", str(out), "--force"]) == 0
    assert tradecalc.load(out).figure("exports").value == 112.32


def test_untouched_workbook_follows_an_edited_release_file(tmp_path):
    rel = _release_copy(tmp_path)
    out = tmp_path / "book.xlsx"
    assert build_command(str(rel), output=str(out)) == 0
    rel.write_text(
        rel.read_text(encoding="utf-8").replace('value = "67.92"', 'value = "67.93"'),
        encoding="utf-8",
    )
    assert build_command(str(rel), output=str(out)) == 0  # the workbook held no edits of its own
    assert tradecalc.load(out).figure("imports").value == 67.93


def test_interrupted_write_leaves_the_previous_workbook(tmp_path, monkeypatch):
    import os

    rel = _release_copy(tmp_path)
    out = tmp_path / "book.xlsx"
    assert build_command(str(rel), output=str(out)) == 0
    before = out.read_bytes()

    def boom(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    rel.write_text(
        rel.read_text(encoding="utf-8").replace('value = "67.92"', 'value = "67.93"'),
        encoding="utf-8",
    )
    with pytest.raises(KeyboardInterrupt):
        build_command(str(rel), output=str(out))
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "book.xlsx",
        "releases",
    ]  # no temporary file left


# ------------------------------------------------------------------------------ issue 14: text, negative zero, limits


def _release_variant(tmp_path, old, new):
    text = TOML.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    p = tmp_path / "releases" / "variant.toml"
    p.parent.mkdir(exist_ok=True)
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_a_form_feed_and_a_literal_escape_survive_build_and_pull(tmp_path):
    """A form feed pasted from a PDF comes back as it was; the text "_x000C_" itself is refused.

    openpyxl reads both a form feed and a literal "_x000C_" as "_x000C_": the
    reader undoes the escape, and the build refuses the one text it could not keep.
    """
    from tradecalc.workbook.reader import read_workbook

    p = _release_variant(tmp_path, 'label = "Exports"\n', 'label = "Ex\\fports end"\n')
    out = tmp_path / "b.xlsx"
    assert build_command(str(p), output=str(out)) == 0
    assert read_workbook(out).figure("exports").label == "Ex\fports end"
    assert (
        build_command(str(p), output=str(out)) == 0
    )  # an immediate rebuild does not call it edited
    p = _release_variant(tmp_path, 'label = "Exports"\n', 'label = "Ex _x000C_ ports"\n')
    with pytest.raises(ValueError, match="escaped control character"):
        build_command(str(p), output=str(tmp_path / "c.xlsx"))


def test_text_longer_than_a_cell_is_refused_never_cut(tmp_path):
    p = _release_variant(tmp_path, 'label = "Exports"\n', f'label = "{"x" * 40000}"\n')
    with pytest.raises(ValueError, match="longer than an Excel cell holds"):
        build_command(str(p), output=str(tmp_path / "b.xlsx"))
    assert not (tmp_path / "b.xlsx").exists()


def test_negative_zero_does_not_make_a_rebuild_refuse(tmp_path):
    p = _release_variant(tmp_path, 'yoy = "75.7%"', 'yoy = "-0.0%"')
    out = tmp_path / "b.xlsx"
    assert build_command(str(p), output=str(out)) == 0
    assert build_command(str(p), output=str(out)) == 0


def test_checks_text_is_shortened_visibly_to_fit_a_cell():
    from tradecalc.workbook.formulas import MAX_CELL_CHARS, shortened

    ids = ",".join(f"partner-{i}" for i in range(5000))
    s = shortened(ids)
    assert len(s) <= MAX_CELL_CHARS and s.startswith("partner-0,partner-1,")
    kept = s.split(",… and ")[0].count(",") + 1
    assert s.endswith("more (cut to fit a cell; `tradecalc check` lists them all)")
    assert f"and {5000 - kept:,} more" in s
    assert shortened("a,b") == "a,b"


def test_build_refuses_a_workbook_the_readers_would_refuse(tmp_path, monkeypatch):
    from tradecalc.io import safety

    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(ValueError, match="readers would refuse"):
        build_command(str(TOML), output=str(tmp_path / "b.xlsx"))
    assert not (tmp_path / "b.xlsx").exists()


def test_a_rebuild_refuses_to_lose_the_users_sheet_or_note(tmp_path):
    """Issue 14.6: a sheet of the user's own, a note beside a Table: the rebuild refuses and names them."""
    out = tmp_path / "b.xlsx"
    assert build_command(str(TOML), output=str(out)) == 0
    wb = openpyxl.load_workbook(out)
    wb.create_sheet("My notes")["A1"] = "call the customs office"
    wb.save(out)
    with pytest.raises(FileExistsError, match="'My notes'"):
        build_command(str(TOML), output=str(out))
    assert build_command(str(TOML), output=str(tmp_path / "c.xlsx")) == 0
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    wb["Breakdowns"]["H3"] = "check the ownership split"
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(FileExistsError, match=r"Breakdowns!H3"):
        build_command(str(TOML), output=str(tmp_path / "c.xlsx"))
    assert build_command(str(TOML), output=str(tmp_path / "c.xlsx"), force=True) == 0
