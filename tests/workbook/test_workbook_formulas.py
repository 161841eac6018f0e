"""The workbook's formulas evaluated by an independent Excel engine (pycel).

pycel reads the formulas with openpyxl, compiles them to Python and calls our
UDF names on the add-in's functions (``plugins=["tradecalc_udfs"]``: the name
``TRADE_BASE`` resolves to ``tradecalc_udfs.trade_base``). It must give back
the values cached in the cells, and recompute when a figure is edited.
"""
from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from tradecalc.workbook.writer import build_command

pycel = pytest.importorskip("pycel", reason="pycel (test extra) is not installed")

from helpers import ROOT
TOML = ROOT / "workbooks" / "releases" / "chongqing-2021-q1.toml"


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("pycel") / "chongqing-2021-q1.xlsx"
    assert build_command(str(TOML), output=str(out)) == 0
    return out


def _compiler(path):
    from pycel import ExcelCompiler

    return ExcelCompiler(filename=str(path), plugins=["tradecalc_udfs"])


def _same(cached, got) -> bool:
    if cached in (None, "") or got in (None, ""):
        return cached in (None, "") and got in (None, "")
    if isinstance(cached, (int, float)) and isinstance(got, (int, float)):
        return math.isclose(cached, got, rel_tol=1e-9, abs_tol=1e-12)
    return cached == got


def test_pycel_recomputes_every_cached_value(book):
    xl = _compiler(book)
    formulas = openpyxl.load_workbook(book)
    values = openpyxl.load_workbook(book, data_only=True)
    n, wrong = 0, []
    for sheet in ("Derived", "Checks", "Charts"):
        for row in formulas[sheet].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    got = xl.evaluate(f"{sheet}!{cell.coordinate}")
                    cached = values[sheet][cell.coordinate].value
                    n += 1
                    if not _same(cached, got):
                        wrong.append((sheet, cell.coordinate, cached, got, cell.value[:80]))
    assert not wrong, wrong[:10]
    assert n > 400


def test_editing_a_figure_recomputes_derived_and_checks(book):
    xl = _compiler(book)
    for addr in ("Derived!B3", "Derived!D3", "Checks!F2", "Checks!L2"):  # pycel edits only cells it has read
        xl.evaluate(addr)
    # exports typed as 120 instead of 112.32: its base is 120 / 1.757, and the
    # stated total 180.24 no longer equals exports + imports (120 + 67.92)
    xl.set_value("Figures!H3", 120.0)
    assert math.isclose(xl.evaluate("Derived!B3"), 120 / 1.757, rel_tol=1e-12)
    assert math.isclose(xl.evaluate("Derived!D3"), 120 / 180.24, rel_tol=1e-12)
    assert math.isclose(xl.evaluate("Checks!F2"), 120 + 67.92, rel_tol=1e-12)
    assert xl.evaluate("Checks!L2") == "inconsistent"
    # a value deleted: the sum is blank (not checkable), never a sum counting it as 0
    xl.set_value("Figures!H4", "")  # pycel 1.0b30: set_value(None) leaves dependents stale; "" is a cleared cell
    assert xl.evaluate("Checks!F2") in (None, "")
    assert xl.evaluate("Checks!L2") == "not checkable"


def test_growth_only_figure_gets_a_value(book):
    """Fruits were published with a growth only; typing a value makes its base appear."""
    xl = _compiler(book)
    formulas = openpyxl.load_workbook(book)
    ids = [c.value for c in formulas["Figures"]["A"]]
    r = ids.index("fruits") + 1
    assert formulas["Derived"][f"B{r}"].value.startswith(f'=IF(OR(Figures!H{r}=""')
    assert xl.evaluate(f"Derived!B{r}") in (None, "")  # blank, not 0
    xl.set_value(f"Figures!H{r}", 1.0)
    assert math.isclose(xl.evaluate(f"Derived!B{r}"), 1.0 / 2.0, rel_tol=1e-12)  # "jumped 100%"
