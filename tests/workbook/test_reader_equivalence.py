"""The python-calamine reader reads every workbook as the openpyxl reader did: same release, same messages.

Each workbook is the built Chongqing template with one kind of edit a user
makes in Excel (applied with openpyxl, or in the XML where openpyxl cannot
write what Excel stores: a formula's saved result, an error result). Both
readers (``tradecalc.workbook.reader`` and the frozen openpyxl oracle
``helpers.openpyxl_reader``) must give the same release, field by field, or
the same problems, cell by cell. ``-p helpers.compare_readers`` does the same
for every workbook the whole test suite reads.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import openpyxl
import pytest
from helpers import CHONGQING, openpyxl_reader
from helpers.compare_readers import outcome
from helpers.workbook_fixture import append_table_rows, column_of, figures_table, row_of, set_cell
from openpyxl.utils import get_column_letter

from tradecalc.cli.build import build_command
from tradecalc.model.release import ReleaseError
from tradecalc.workbook import reader
from tradecalc.workbook.parts import WorkbookParts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("equivalence") / "chongqing-2021-q1.xlsx"
    assert build_command(str(CHONGQING), output=str(out), fmt="xlsx", force=True) == 0
    return out


def _edited(built, tmp_path, edit, sheet="Figures"):
    path = tmp_path / "edited.xlsx"
    shutil.copy(built, path)
    wb = openpyxl.load_workbook(path)
    edit(wb[sheet]) if sheet else edit(wb)
    wb.save(path)
    return path


def _in_xml(path, sheet: str, pattern: bytes, replacement: bytes) -> None:
    """Rewrite one cell of a sheet's XML (what openpyxl cannot write: saved results)."""
    with WorkbookParts(path) as parts:
        member = parts.sheet_part(sheet)
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename == member:
                data, n = re.subn(pattern, replacement, data)
                assert n == 1, pattern
            z.writestr(info, data)


def _same(path):
    new, old = outcome(reader.read_workbook, path), outcome(openpyxl_reader.read_workbook, path)
    assert new == old
    return new


def _cell(ws, fid, column) -> str:
    return f"{get_column_letter(column_of(ws, column))}{row_of(ws, fid)}"


def test_as_built_xlsx_and_xlsm(built, tmp_path):
    got = _same(built)
    assert got[0] == "release" and len(got[1]["figures"]) == 22
    xlsm = tmp_path / "b.xlsm"
    assert build_command(str(CHONGQING), output=str(xlsm), fmt="xlsm", force=True) == 0
    assert _same(xlsm)[0] == "release"


def test_edited_values_text_numbers_dates_and_empty_precision(built, tmp_path):
    def edit(ws):
        set_cell(ws, "exports", "value", 112.5)  # an edited value
        set_cell(ws, "imports", "value", " 67.92 ")  # a number typed as text
        set_cell(ws, "imports", "yoy", "40.2%")
        set_cell(ws, "total", "value_decimals", None)  # precision left empty: inferred
        set_cell(ws, "total", "yoy_decimals", None)
        set_cell(ws, "exports-march", "period", dt.datetime(2021, 3, 1))  # Excel made it a date

    got = _same(_edited(built, tmp_path, edit))
    assert got[0] == "release", got
    figs = {f["id"]: f for f in got[1]["figures"]}
    assert figs["exports"]["value"] == "112.50" and figs["imports"]["value"] == "67.92"
    assert figs["imports"]["yoy"] == "40.2%" and figs["exports-march"]["period"] == "2021-03"
    assert figs["total"]["value"] == "180.24" and figs["total"]["yoy"] == "60.4%"


def test_precision_inferred_and_flagged(built, tmp_path):
    def edit(ws):
        set_cell(ws, "total", "value_decimals", None)
        set_cell(ws, "exports-march", "value", 40.06 / 3)  # a formula's result: no short form
        set_cell(ws, "exports-march", "value_decimals", None)

    got = _same(_edited(built, tmp_path, edit))
    assert got[0] == "release", got
    figs = {f["id"]: f for f in got[1]["figures"]}
    assert "precision inferred for value (2)" in figs["total"]["review"]
    assert "precision unknown for value (taken as exact)" in figs["exports-march"]["review"]


def test_blank_rows_and_a_resized_table(built, tmp_path):
    def edit(ws):
        _, table = figures_table(ws.parent)
        r = row_of(ws, "imports")
        for c in range(1, ws.max_column + 1):
            ws.cell(row=r, column=c).value = None  # a row emptied inside the Table
        append_table_rows(ws, table, [{}, {"id": "japan", "label": "Japan", "period": "2021-Q1"}])
        append_table_rows(ws, table, [{"id": "korea", "period": "2021-Q1", "value": 5.0}])

    got = _same(_edited(built, tmp_path, edit))
    # the emptied row is skipped (its children now name an unknown parent), the blank one
    # typed under the Table too; the new figures are read to the Table's new end
    assert got[0] == "error"
    said = {p[0]: p[1] for p in got[2]}
    assert "'japan' has neither a value nor a growth" in said["Figures row 25"]
    assert "'consumer-goods' names unknown parent 'imports'" in said["Figures!G20"]
    assert not any("korea" in m for m in said.values())


def test_errors_and_formulas_with_and_without_saved_results(built, tmp_path):
    def edit(ws):
        set_cell(ws, "imports", "yoy", "#DIV/0!")  # an error value
        set_cell(ws, "exports", "value", "=100+12.32")  # openpyxl saves no result
        set_cell(ws, "total", "value", "=180+0.24")

    path = _edited(built, tmp_path, edit)
    ws, _ = figures_table(openpyxl.load_workbook(path))
    total = _cell(ws, "total", "value").encode()
    # Excel's saved result of the total's formula
    _in_xml(
        path,
        "Figures",
        rb'(<c r="' + total + rb'"[^>]*>)<f>([^<]*)</f><v\s*/>',
        rb"\1<f>\2</f><v>180.24</v>",
    )
    got = _same(path)
    assert got[0] == "error"
    ws, _ = figures_table(openpyxl.load_workbook(path))
    where = {p[0]: p[1] for p in got[2]}
    assert "formula with no saved result" in where[f"Figures!{_cell(ws, 'exports', 'value')}"]
    assert "Excel error #DIV/0!" in where[f"Figures!{_cell(ws, 'imports', 'yoy')}"]
    assert len(where) == 2  # the total's formula has its saved result, 180.24: no problem


def _renamed_table_column(path, old: bytes, new: bytes) -> None:
    """Rename a column in the Figures Table's part only, the header cell left as it was."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    renamed = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename.startswith("xl/tables/") and b'name="Figures"' in data:
                data, renamed = re.subn(
                    rb'(<tableColumn [^>]*name=")' + old + rb'"', rb"\1" + new + b'"', data
                )
            z.writestr(info, data)
    assert renamed == 1


def test_an_error_cell_under_a_header_the_table_part_names_otherwise(built, tmp_path):
    """A header cell that says otherwise than the Table part's column name: the header is what is
    read, and its column is scanned for error cells (the openpyxl oracle reads the same)."""
    path = _edited(built, tmp_path, lambda ws: set_cell(ws, "imports", "yoy", "#DIV/0!"))
    _renamed_table_column(path, b"yoy", b"growth")  # the header cell still says "yoy"
    ws, _ = figures_table(openpyxl.load_workbook(path))
    got = _same(path)
    assert got[0] == "error"
    where = {p[0]: p[1] for p in got[2]}
    assert "Excel error #DIV/0!" in where[f"Figures!{_cell(ws, 'imports', 'yoy')}"]


def test_an_error_result_newer_than_python_calamine_knows(built, tmp_path):
    """#SPILL! (a dynamic array typed over): python-calamine refuses the sheet; the reader still names the cell."""
    path = _edited(built, tmp_path, lambda ws: set_cell(ws, "imports", "value", "=SEQUENCE(2)"))
    ws, _ = figures_table(openpyxl.load_workbook(path))
    cell = _cell(ws, "imports", "value").encode()
    _in_xml(
        path,
        "Figures",
        rb'<c r="' + cell + rb'"([^>]*)>(<f>[^<]*</f>)<v\s*/>',
        rb'<c r="' + cell + rb'"\1 t="e">\2<v>#SPILL!</v>',
    )
    with pytest.raises(ReleaseError) as e:
        reader.read_workbook(path)
    assert f"Figures!{cell.decode()}" in str(e.value) and "Excel error #SPILL!" in str(e.value)


def test_a_figure_table_moved_and_a_release_table_edited(built, tmp_path):
    def edit(wb):
        wb["Release"].cell(row=3, column=2).value = dt.datetime(2021, 4, 24)
        wb.move_sheet("Figures", offset=3)

    got = _same(_edited(built, tmp_path, edit, sheet=None))
    assert got[0] == "release" and got[2]["title"] == "2021-04-24"  # a date typed: ISO text


def test_the_empty_template(tmp_path):
    out = tmp_path / "empty.xlsx"
    assert build_command(None, output=str(out), empty=True, force=True) == 0
    _same(out)


def test_a_typed_escape_reads_as_typed(built, tmp_path):
    """Excel stores a typed "_x000C_" as "_x005F_x000C_"; both readers give back the text typed."""
    path = _edited(built, tmp_path, lambda ws: set_cell(ws, "exports", "label", "PLACEHOLDER"))
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info, data.replace(b"PLACEHOLDER", b"Ex_x005F_x000C_ports_x000C_end"))
    assert reader.read_workbook(path).figure("exports").label == "Ex_x000C_ports\x0cend"
    _same(path)


def test_a_negative_zero_growth_reads_as_printed(tmp_path):
    """ "-0.0%" (a fall that rounds to nothing) is stored as -0: read back as the release printed it.

    openpyxl read the stored "-0" as 0 ("0.0%"); the rebuild check compares the two as equal.
    """
    from tradecalc.model.releasefile import to_dict

    text = CHONGQING.read_text(encoding="utf-8").replace('yoy = "75.7%"', 'yoy = "-0.0%"', 1)
    rel = tmp_path / "releases" / "zero.toml"
    rel.parent.mkdir()
    rel.write_text(text, encoding="utf-8")
    out = tmp_path / "zero.xlsx"
    assert build_command(str(rel), output=str(out), fmt="xlsx") == 0
    figs = {f["id"]: f for f in to_dict(reader.read_workbook(out))["figures"]}
    assert figs["exports"]["yoy"] == "-0.0%"
    assert build_command(str(rel), output=str(out), fmt="xlsx") == 0  # not called edited
