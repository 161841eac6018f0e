"""Issue 14.6: a rebuild keeps what the user typed over the Derived and Checks formulas, or refuses.

Each edit is applied to a built Chongqing workbook the way Excel stores it
(openpyxl edits the file; the parts openpyxl cannot write are set in the XML):
a value typed into a dynamic array's result blocks it, so Excel empties the
result, keeps the anchor's formula alone and caches ``#SPILL!`` in it; the typed
value stays in its cell. ``tradecalc build`` without ``--force`` must refuse,
naming the cell, what it holds and what the build writes there; with
``--force`` it rebuilds.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import append_row, figures_table, resize_spill
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

import tradecalc
from tradecalc.cli.build import build_command
from tradecalc.workbook.formulas import CHECKS_FORMULA, DERIVED_VIEW_COLUMNS
from tradecalc.workbook.parts import WorkbookParts


@pytest.fixture
def book(tmp_path):
    out = tmp_path / "chongqing-2021-q1.xlsx"
    assert build_command(str(CHONGQING), output=str(out), fmt="xlsx", force=True) == 0
    return out


def _set_anchor_result(path, sheet: str, anchor: str, error: str) -> None:
    """Cache ``error`` as the saved result of the formula in ``anchor`` (openpyxl saves none)."""
    with WorkbookParts(path) as parts:
        member = parts.sheet_part(sheet)
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    cell = re.compile(
        rb'<c r="'
        + anchor.encode()
        + rb'"([^>]*?)>(<f[^>]*>[^<]*</f>)(?:<v\s*/>|<v>[^<]*</v>)?</c>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename == member:
                data, n = cell.subn(
                    lambda m: (
                        b'<c r="%s"%s t="e">%s<v>%s</v></c>'
                        % (anchor.encode(), m.group(1), m.group(2), error.encode())
                    ),
                    data,
                )
                assert n == 1, (sheet, anchor)
            z.writestr(info, data)


def typed_into_a_result(path, sheet: str, cell: str, value) -> str:
    """Type ``value`` into a cell of a dynamic array's result, as Excel stores it; returns the anchor."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row, col = coordinate_to_tuple(cell)
    anchor, ref = next(
        (a, r)
        for a, r in ws.array_formulae.items()
        if range_boundaries(r)[1] <= row <= range_boundaries(r)[3]
        and range_boundaries(r)[0] <= col <= range_boundaries(r)[2]
    )
    c0, r0, c1, r1 = range_boundaries(ref)
    text = ws[anchor].value.text
    for r in range(r0, r1 + 1):  # a blocked result shows nothing but its #SPILL!
        for c in range(c0, c1 + 1):
            if (r, c) != (r0, c0):
                ws.cell(row=r, column=c).value = None
    ws[anchor].value = ArrayFormula(anchor, text)  # the anchor alone: nothing spills
    ws[cell] = value
    wb.save(path)
    _set_anchor_result(path, sheet, anchor, "#SPILL!")
    return anchor


def _refusal(book) -> str:
    with pytest.raises(FileExistsError) as e:
        build_command(str(CHONGQING), output=str(book), fmt="xlsx")
    return str(e.value)


def _derived_cell(column: str, figure: str) -> str:
    """The Derived cell of ``column`` for ``figure`` (the Derived rows follow the Figures rows)."""
    ids = [f.id for f in tradecalc.load(CHONGQING).figures]
    letter = openpyxl.utils.get_column_letter(DERIVED_VIEW_COLUMNS.index(column) + 1)
    return f"{letter}{ids.index(figure) + 2}"


def test_a_value_typed_into_the_derived_results_is_refused_and_named(book):
    cell = _derived_cell("base", "exports")
    anchor = typed_into_a_result(book, "Derived", cell, 99)
    before = book.read_bytes()
    msg = _refusal(book)
    # exports 112.32 billion yuan, up 75.7%: the build writes its base 112.32 / 1.757 there
    base = 112.32 / 1.757
    assert f"Derived!{cell} holds 99 where the build writes {base:.6}" in msg, msg
    assert f"in the result of Derived!{anchor}, which shows #SPILL!" in msg
    assert "--force" in msg
    assert book.read_bytes() == before  # nothing lost
    assert build_command(str(CHONGQING), output=str(book), fmt="xlsx", force=True) == 0
    ws = openpyxl.load_workbook(book, data_only=True)["Derived"]
    assert ws[cell].value == pytest.approx(base, rel=1e-12)
    assert build_command(str(CHONGQING), output=str(book), fmt="xlsx") == 0  # as built again


def test_a_note_typed_into_the_checks_results_is_refused(book):
    anchor = typed_into_a_result(book, "Checks", "B3", "ask the customs office")
    msg = _refusal(book)
    assert "Checks!B3 holds 'ask the customs office' where the build writes" in msg, msg
    assert f"in the result of Checks!{anchor}, which shows #SPILL!" in msg and anchor == "A1"


def test_a_formula_replacing_the_anchors_is_refused(book):
    wb = openpyxl.load_workbook(book)
    wb["Derived"]["B2"] = "=Figures[value]*2"
    wb["Checks"]["A1"] = "my own checks"
    wb.save(book)
    msg = _refusal(book)
    assert (
        "Derived!B2 holds =Figures[value]*2 where the build writes =Figures[[base]:[prior_growth]]"
        in msg
    )
    assert f"Checks!A1 holds 'my own checks' where the build writes {CHECKS_FORMULA[:40]}" in msg
    assert build_command(str(CHONGQING), output=str(book), fmt="xlsx", force=True) == 0


def test_a_formula_of_its_own_inside_a_result_and_a_note_beside_it(book):
    """A script (not Excel) writing into a result leaves no #SPILL!: the formula there is still named."""
    wb = openpyxl.load_workbook(book)
    wb["Derived"]["C4"] = "=B4*2"
    wb["Derived"]["Q3"] = "ask customs"
    wb.save(book)
    msg = _refusal(book)
    assert (
        "Derived!C4 holds =B4*2 where the build writes" in msg
        and "(in the result of Derived!B2)" in msg
    )
    assert "Derived!Q3 holds 'ask customs' where the build writes nothing" in msg


def test_a_blocked_result_with_nothing_found_in_it_is_still_refused(book):
    """Excel also shows #SPILL! for a merged cell in the way: no value to name, still a refusal."""
    typed_into_a_result(book, "Derived", "A3", None)
    assert "Derived!A2 shows #SPILL!: something sits in the range" in _refusal(book)


def test_untouched_resaved_and_respilled_workbooks_are_rebuilt(book, tmp_path):
    """No false alarm: a workbook saved again, or whose results Excel respilled for a new figure."""
    wb = openpyxl.load_workbook(book)
    wb.save(book)
    assert build_command(str(CHONGQING), output=str(book), fmt="xlsx") == 0
    # an analyst adds a figure; Excel respills Derived and Checks; `pull` keeps it in a release file
    wb = openpyxl.load_workbook(book)
    ws, table = figures_table(wb)
    append_row(
        ws,
        table,
        {
            "id": "japan",
            "label": "Trade with Japan",
            "period": "2021-Q1",
            "flow": "total",
            "breakdown": "partners",
            "parent": "total",
            "value": 17.5,
            "value_decimals": 1,
            "unit": "billion yuan",
        },
    )
    n = len(tradecalc.load(CHONGQING).figures) + 1
    resize_spill(wb["Derived"], "A2", n, 1)
    wb.save(book)
    kept = tmp_path / "releases" / "kept.toml"
    kept.parent.mkdir()
    from tradecalc.cli.main import main

    assert main(["pull", str(book), "-o", str(kept)]) == 0
    assert build_command(str(kept), output=str(book), fmt="xlsx") == 0
    assert tradecalc.load(book).figure("japan").value == 17.5


def test_the_command_line_says_what_would_be_lost_and_force_rebuilds(book, capsys):
    from tradecalc.cli.main import main

    cell = _derived_cell("change", "imports")
    typed_into_a_result(book, "Derived", cell, 1.5)
    assert main(["build", str(CHONGQING), "-o", str(book)]) == 2
    err = capsys.readouterr().err
    # imports 67.92 billion yuan, up 40.2%: change 67.92 - 67.92 / 1.402
    change = 67.92 - 67.92 / 1.402
    assert f"Derived!{cell} holds 1.5 where the build writes {change:.6}" in err, err
    assert main(["build", str(CHONGQING), "-o", str(book), "--force"]) == 0


def test_a_blocked_result_is_named_once_by_what_blocks_it(book):
    typed_into_a_result(book, "Derived", _derived_cell("share", "exports"), 0.5)
    msg = _refusal(book)
    assert "Derived!B2 shows #SPILL!" not in msg and msg.count("#SPILL!") == 1, msg
