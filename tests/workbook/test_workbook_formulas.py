"""The workbook's formulas evaluated by an independent Excel engine (pycel).

pycel reads the formulas with openpyxl, compiles them to Python and calls our
UDF names on the add-in's functions (:mod:`helpers.pycel_udfs`: the name
``TRADE_BASE`` resolves to ``tradecalc_udfs.trade_base``). The workbook is
first saved by openpyxl, which keeps the formulas and drops every cached
value, so each number below is computed by pycel, not read back.
"""

from __future__ import annotations

import math
import subprocess
import sys

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from tradecalc.cli.build import build_command

pycel = pytest.importorskip("pycel", reason="pycel (test extra) is not installed")

from helpers import CHONGQING  # noqa: E402
from helpers.workbook_fixture import clear_spills, set_cell  # noqa: E402

TOML = CHONGQING


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("pycel") / "chongqing-2021-q1.xlsx"
    assert build_command(str(TOML), output=str(out)) == 0
    return out


@pytest.fixture()
def uncached(book, tmp_path):
    """The workbook as openpyxl saves it: the same formulas, no cached values."""
    path = tmp_path / "uncached.xlsx"
    wb = openpyxl.load_workbook(book)
    clear_spills(wb)
    wb.save(path)
    values = openpyxl.load_workbook(path, data_only=True)
    assert values["Figures"]["T2"].value is None and values["Checks"]["F2"].value is None
    return path


def _compiler(path):
    from pycel import ExcelCompiler

    return ExcelCompiler(
        filename=str(path), plugins=["helpers.pycel_udfs", "helpers.pycel_gaps"]
    )  # ROWS: the Charts blocks


def _same(cached, got) -> bool:
    if cached in (None, "") or got in (None, ""):
        return cached in (None, "") and got in (None, "")
    if isinstance(cached, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(cached, got, rel_tol=1e-9, abs_tol=1e-12)
    return cached == got


def _spill_cells(ws):
    """Every cell a formula computes: plain formulas and each cell of a dynamic array's range."""
    from openpyxl.utils.cell import range_boundaries

    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if isinstance(v, ArrayFormula):
                c0, r0, c1, r1 = range_boundaries(v.ref)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        yield ws.cell(r, c).coordinate
            elif isinstance(v, str) and v.startswith("="):
                yield cell.coordinate


def test_pycel_computes_every_cached_value(book, uncached):
    """Figures' calculated columns, the Derived arrays, the Checks spill and the Charts blocks."""
    xl = _compiler(uncached)
    formulas = openpyxl.load_workbook(book)
    values = openpyxl.load_workbook(book, data_only=True)
    n, wrong = 0, []
    for sheet in ("Figures", "Derived", "Checks", "Charts"):
        for addr in _spill_cells(formulas[sheet]):
            got = xl.evaluate(f"{sheet}!{addr}")
            cached = values[sheet][addr].value
            n += 1
            if not _same(cached, got):
                wrong.append((sheet, addr, cached, got))
    assert not wrong, wrong[:10]
    assert n > 22 * 12 + 22 * 13 + 30 * 13


def test_editing_a_figure_recomputes_derived_and_checks(book, uncached):
    """Exports typed as 120 instead of 112.32: its base and share follow, and 120 + 67.92 ≠ 180.24."""
    wb = openpyxl.load_workbook(uncached)
    set_cell(wb["Figures"], "exports", "value", 120.0)
    wb.save(uncached)
    xl = _compiler(uncached)
    head = [c.value for c in openpyxl.load_workbook(uncached)["Figures"][1]]
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(head, start=1)}
    assert math.isclose(xl.evaluate(f"Figures!{col['base']}3"), 120 / 1.757, rel_tol=1e-12)
    assert math.isclose(xl.evaluate(f"Figures!{col['share']}3"), 120 / 180.24, rel_tol=1e-12)
    assert math.isclose(xl.evaluate("Checks!F2"), 120 + 67.92, rel_tol=1e-12)
    assert xl.evaluate("Checks!A2") == "flow-q1:sum" and xl.evaluate("Checks!L2") == "inconsistent"


def test_a_deleted_value_is_not_checkable_never_a_sum_counting_it_as_0(book, uncached):
    wb = openpyxl.load_workbook(uncached)
    set_cell(wb["Figures"], "imports", "value", None)
    wb.save(uncached)
    xl = _compiler(uncached)
    assert xl.evaluate("Checks!A2") == "flow-q1:sum"
    assert xl.evaluate("Checks!F2") in (None, "")
    assert xl.evaluate("Checks!L2") == "not checkable"


def test_growth_only_figure_gets_a_value(book, uncached):
    """Fruits were published with a growth only ("jumped 100%"): typing a value makes its base appear."""
    wb = openpyxl.load_workbook(uncached)
    ws = wb["Figures"]
    head = [c.value for c in ws[1]]
    ids = [c.value for c in ws["A"]]
    r = ids.index("fruits") + 1
    base = f"{openpyxl.utils.get_column_letter(head.index('base') + 1)}{r}"
    assert _compiler(uncached).evaluate(f"Figures!{base}") in (None, "")  # blank, not 0
    set_cell(ws, "fruits", "value", 1.0)
    wb.save(uncached)
    assert math.isclose(_compiler(uncached).evaluate(f"Figures!{base}"), 1.0 / 2.0, rel_tol=1e-12)


def test_building_a_workbook_imports_no_xlwings(tmp_path):
    """The core never imports the add-in: the About sheet's function list is data in the core."""
    code = (
        "import sys, tradecalc\n"
        "from tradecalc.workbook.writer import build_workbook\n"
        f"data = build_workbook(tradecalc.load({str(TOML)!r}), 'xlsx')\n"
        "assert len(data) > 10000\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('xlwings', 'tradecalc_udfs')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_core_function_list_is_the_add_ins():
    from tradecalc_udfs.reference import core_function_data

    from tradecalc.workbook.functions import function_reference

    assert function_reference() == core_function_data(), "run: python -m tradecalc_udfs.reference"
    assert "TRADE_CHECKS" in {f["name"] for f in function_reference()}


def test_shared_formulas_of_a_large_release_compute_the_same(tmp_path, monkeypatch):
    """From 2,000 figures the calculated columns are shared formulas; pycel (via openpyxl) computes them alike."""
    import tradecalc
    from tradecalc.workbook import sheets
    from tradecalc.workbook.writer import build_workbook

    monkeypatch.setattr(sheets, "SHARED_FORMULA_MIN", 1)
    path = tmp_path / "shared.xlsx"
    path.write_bytes(build_workbook(tradecalc.load(TOML), "xlsx"))
    import zipfile

    with zipfile.ZipFile(path) as z:
        assert b'<f t="shared" si="1"/>' in z.read("xl/worksheets/sheet3.xml")
    wb = openpyxl.load_workbook(path)
    clear_spills(wb)
    uncached = tmp_path / "uncached.xlsx"
    wb.save(uncached)
    xl = _compiler(uncached)
    values = openpyxl.load_workbook(path, data_only=True)
    wrong = [
        (a, values["Figures"][a].value, xl.evaluate(f"Figures!{a}"))
        for a in _spill_cells(wb["Figures"])
        if not _same(values["Figures"][a].value, xl.evaluate(f"Figures!{a}"))
    ]
    assert not wrong, wrong[:5]
