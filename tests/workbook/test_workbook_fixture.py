"""The test fixture (a second, hand-rolled writer of the template layout) reads back as the release."""

from __future__ import annotations

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import figures_table, write_template
from openpyxl.utils import get_column_letter

from tradecalc.workbook import layout as template
from tradecalc.workbook.reader import read_workbook


@pytest.fixture
def chongqing_fixture_book(tmp_path):
    return write_template(CHONGQING, tmp_path / "chongqing-fixture.xlsx")


def test_fixture_reads_back_the_release_figures(chongqing_fixture_book):

    r = read_workbook(chongqing_fixture_book)
    exports = r.figure("exports")
    # the release: "exports surged 75.7% to 112.32 billion yuan"
    assert (exports.value, exports.value_decimals) == (112.32, 2)
    assert (round(exports.yoy, 12), exports.yoy_decimals) == (0.757, 1)
    # "imports amounted to 24 billion yuan": printed without decimals
    assert (r.figure("imports-march").value, r.figure("imports-march").value_decimals) == (24.0, 0)
    assert r.unit == "billion yuan"
    assert [s.id for s in r.statements] == ["total-usd", "total-vs-national"]
    assert r.statements[1].value == 31.2  # "31.2 percentage points higher"
    assert {b.id for b in r.breakdowns} >= {"flow-q1", "flow-march", "ownership", "partners"}
    assert not any(
        "precision" in f.review for f in r.figures
    )  # nothing inferred: decimals are filled


def test_fixture_layout_follows_the_template_contract(chongqing_fixture_book):
    wb = openpyxl.load_workbook(chongqing_fixture_book)
    ws, table = figures_table(wb)
    assert [c.value for c in ws[1]] == list(template.FIGURE_COLUMNS)
    assert table.ref == f"A1:{get_column_letter(len(template.FIGURE_COLUMNS))}{ws.max_row}"
