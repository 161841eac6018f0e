"""The UDFs bound into an independent formula engine (pycel), as the workbook test does.

Formulas are written as a workbook would hold them: cell references, ranges,
INDEX over a bounds result, and a UDF's result feeding another UDF.
"""

from __future__ import annotations

import pytest
from helpers import CHONGQING


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    openpyxl = pytest.importorskip("openpyxl")
    pycel = pytest.importorskip("pycel")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Figures"
    rows = [
        ("total", 180.24, 0.604, 2, 1),
        ("exports", 112.32, 0.757, 2, 1),
        ("imports", 67.92, 0.402, 2, 1),
    ]
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    f = {
        "G2": "=TRADE_BASE(B2,C2)",
        "G3": "=TRADE_SHARE_CHANGE(B3,C3,B2,C2)",
        "G4": "=INDEX(TRADE_BASE_BOUNDS(B2,C2,D2,E2),1)",
        "G5": "=INDEX(TRADE_BASE_BOUNDS(B2,C2,D2,E2),2)",
        "G6": "=TRADE_SUM_GROWTH(B3:B4,C3:C4)",
        "G7": "=TRADE_RESIDUAL(B2,B3:B4)",
        "G8": "=TRADE_GROWTH(B2,G2)",
        "G9": '=TRADE_REFERENCE_RATE(C2,TRADE_NUMBER("31.2"))',
        "G10": "=TRADE_BASE(B2,-1.2)",
        "G11": "=TRADE_BASE(1/0,C2)",
    }
    for addr, formula in f.items():
        ws[addr] = formula
    path = tmp_path_factory.mktemp("pycel") / "udfs.xlsx"
    wb.save(path)
    return pycel.ExcelCompiler(filename=str(path), plugins=["tradecalc_udfs"])


def test_udfs_evaluate_in_pycel(engine):
    ev = lambda a: engine.evaluate(f"Figures!{a}")  # noqa: E731
    assert ev("G2") == pytest.approx(180.24 / 1.604)
    assert ev("G3") == pytest.approx(100 * (112.32 / 180.24 - (112.32 / 1.757) / (180.24 / 1.604)))
    assert ev("G4") == pytest.approx(180.235 / 1.6045)
    assert ev("G5") == pytest.approx(180.245 / 1.6035)
    assert ev("G6") == pytest.approx(0.604, abs=0.0005)
    assert ev("G7") == pytest.approx(0.0, abs=1e-9)
    assert ev("G8") == pytest.approx(0.604)
    assert ev("G9") == pytest.approx(0.292)
    assert ev("G10") == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"
    assert ev("G11") == "#DIV/0!"


def _table_values(ws, table):
    """A Table's cells as xlwings hands a range to a UDF with ndim=2: rows of floats, text and None."""
    from openpyxl.utils.cell import range_boundaries

    c0, r0, c1, r1 = range_boundaries(table.ref)
    rows = []
    for r in range(r0, r1 + 1):
        row = []
        for c in range(c0, c1 + 1):
            v = ws.cell(r, c).value
            row.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
        rows.append(row)
    return rows


def test_trade_checks_over_the_tables_as_xlwings_passes_them(tmp_path):
    """TRADE_CHECKS on the four Tables of the built workbook is tradecalc's checks table, header first."""
    import math

    import openpyxl
    from tradecalc_udfs import trade_checks

    import tradecalc
    from tradecalc.workbook.writer import build_workbook

    toml = CHONGQING
    path = tmp_path / "book.xlsx"
    path.write_bytes(build_workbook(tradecalc.load(toml), "xlsx"))
    wb = openpyxl.load_workbook(path, data_only=True)
    args = [
        _table_values(wb[n], wb[n].tables[n])
        for n in ("Release", "Figures", "Breakdowns", "Statements")
    ]
    rows = trade_checks(*args)
    expected = tradecalc.check(tradecalc.load(toml))
    assert rows[0] == list(expected.columns)
    assert len(rows) == len(expected) + 1
    got = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    # the release's own statement: exports 112.32 + imports 67.92 = total 180.24
    assert math.isclose(got["flow-q1:sum"]["computed"], 112.32 + 67.92, rel_tol=1e-12)
    assert got["flow-q1:sum"]["status"] == "consistent"
    # 180.24 - 88.24 - 75.07 - 16.75 = 0.18 of other ownership types
    assert math.isclose(got["ownership:residual"]["computed"], 0.18, abs_tol=1e-9)
    for rec in expected.to_dict("records"):
        assert got[rec["check"]]["status"] == rec["status"]
    # a figure row whose value is an error cell: the error text, never a number
    figures = [list(r) for r in args[1]]
    figures[2][figures[0].index("value")] = "#N/A"
    bad = trade_checks(args[0], figures, args[2], args[3])
    # passed on as the input error, like every UDF (issue 13)
    assert isinstance(bad, str) and bad.startswith("#N/A TRADE_CHECKS:"), bad
