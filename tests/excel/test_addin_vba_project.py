"""The .xlsm's VBA project: which modules it carries (issue 13, item 9).

The build copies ``xl/vbaProject.bin`` from xlwings' ``quickstart_standalone.xlsm``
(``tradecalc.workbook.vba``). Besides the ``xlwings`` module and its
``Dictionary`` class, that project carries ``Module1`` with xlwings' sample
``SampleCall``, which runs ``import <workbook name without .xlsm>``: for
``chongqing-2021-q1.xlsm`` that is ``import chongqing-2021-q1``, a syntax
error; and the document modules ``ThisWorkbook``, ``Sheet1``, ``Sheet2``.
The build takes ``Module1`` out.

The result is read here by other parsers than the one that wrote it: olefile
for the compound file, oletools' olevba (strict mode) for the dir stream and
the module sources, and LibreOffice, which imports the modules into a Basic
library when it opens the .xlsm.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import warnings
import zipfile

import olefile
import pytest
from helpers import CHONGQING
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradecalc.workbook import cfb, ovba, vba
from tradecalc.workbook.vba import (
    check_code_names,
    document_bases,
    module_source,
    quickstart_vba_project,
    without_module,
    workbook_code_name,
    xlwings_vba_project,
)

with warnings.catch_warnings():  # oletools still calls pyparsing's pre-3.0 names on import
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools import olevba


TOML = CHONGQING
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
KEPT = {"ThisWorkbook": "Document", "Sheet1": "Document", "Sheet2": "Document"}
KEPT |= {"xlwings": "Module", "Dictionary": "Class"}


def project_modules(vba_bin: bytes) -> dict[str, str]:
    """Module name -> kind (Document, Module, Class), from the PROJECT stream read by olefile."""
    text = open_ole(vba_bin).openstream("PROJECT").read().decode("latin-1")
    head = text.split("[Host Extender Info]")[0]
    return {n: k for k, n in re.findall(r"^(Document|Module|Class)=([^/\r\n]+)", head, re.M)}


def open_ole(data: bytes) -> olefile.OleFileIO:
    """olefile's reader, with every defect it can report raised and every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


def olevba_project(vba_bin: bytes):
    """oletools' strict parse of the dir stream: (VBA_Project, {module name: decompressed source})."""
    ole = open_ole(vba_bin)
    project = olevba.VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    return project, {m.name: m.code_raw for m in project.modules}


@pytest.fixture(scope="module")
def original() -> bytes:
    return quickstart_vba_project()[0]


@pytest.fixture(scope="module")
def cleaned() -> bytes:
    return xlwings_vba_project()[0]


def test_the_quickstart_carries_the_sample(original):
    # what this change is for: the shipped project has Module1 with SampleCall
    assert project_modules(original) == KEPT | {"Module1": "Module"}
    _, sources = olevba_project(original)
    assert b"Sub SampleCall()" in sources["Module1"]
    assert b'RunPython "import " & mymodule' in sources["Module1"]


def test_no_leftover_sample_module(cleaned):
    assert project_modules(cleaned) == KEPT
    assert "Module1" not in open_ole(cleaned).openstream("PROJECTwm").read().decode("latin-1")
    workspace = open_ole(cleaned).openstream("PROJECT").read().split(b"[Workspace]")[1]
    assert b"Module1" not in workspace and b"xlwings=" in workspace


def test_olevba_finds_exactly_the_kept_modules(cleaned):
    project, sources = olevba_project(cleaned)
    assert set(sources) == set(KEPT)
    assert project.modules_count == len(project.modules) == 5
    # the dir's module count equals the module streams present, and nothing else is there
    ole = open_ole(cleaned)
    streams = {"/".join(p) for p in ole.listdir()}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} | {
        f"VBA/{m.streamname}" for m in project.modules
    }
    assert len([s for s in streams if s.startswith("VBA/")]) - 2 == project.modules_count


def test_every_kept_stream_is_the_original_byte_for_byte(original, cleaned):
    before, after = open_ole(original), open_ole(cleaned)
    for path in after.listdir():
        name = "/".join(path)
        if name not in ("VBA/dir", "PROJECT", "PROJECTwm"):
            assert after.openstream(name).read() == before.openstream(name).read(), name
    _, old = olevba_project(original)
    _, new = olevba_project(cleaned)
    assert new["xlwings"] == old["xlwings"]  # decompressed source, byte for byte
    assert b"Function RunPython(" in new["xlwings"] and len(new["xlwings"]) > 40_000
    assert {k: v for k, v in old.items() if k != "Module1"} == new


def test_the_project_streams_lose_only_the_module_lines(original, cleaned):
    def lines(data):
        return open_ole(data).openstream("PROJECT").read().split(b"\r\n")

    assert [x for x in lines(original) if b"Module1" not in x] == lines(cleaned)
    gone = [x for x in lines(original) if b"Module1" in x]
    assert gone[0] == b"Module=Module1" and len(gone) == 2
    assert re.fullmatch(rb"Module1=\d+, \d+, \d+, \d+, \w*", gone[1])  # its [Workspace] window
    wm_before = open_ole(original).openstream("PROJECTwm").read()
    wm_after = open_ole(cleaned).openstream("PROJECTwm").read()
    assert (
        wm_before.replace(b"Module1\0" + "Module1".encode("utf-16-le") + b"\0\0", b"") == wm_after
    )


def test_vba_project_stream_has_no_cache(cleaned):
    # 7 bytes: 0x61CC, version 0xFFFF (Excel recompiles from source), 0x00, 0x0001
    data = open_ole(cleaned).openstream("VBA/_VBA_PROJECT").read()
    assert struct.unpack("<HHBH", data) == (0x61CC, 0xFFFF, 0, 1)


def test_dir_stream_keeps_everything_but_the_module(original, cleaned):
    def dir_bytes(data):
        return olevba.decompress_stream(bytearray(open_ole(data).openstream("VBA/dir").read()))

    def record(rid: int, data: bytes) -> bytes:  # Id, Size, Data (MS-OVBA 2.3.4.2)
        return struct.pack("<HI", rid, len(data)) + data

    before, after = dir_bytes(original), dir_bytes(cleaned)
    start = before.index(record(0x0019, b"Module1"))  # MODULENAME
    end = before.index(record(0x002B, b""), start) + 6  # its MODULE terminator
    # name, unicode name, stream name, unicode stream name, docstring, unicode docstring,
    # offset, help context, cookie, type, terminator: 13+20+13+20+6+6+10+10+8+6+6 bytes
    assert end - start == 118
    count = before.index(record(0x000F, b"\x06\x00"))  # PROJECTMODULES, Count 6
    expected = before[:count] + record(0x000F, b"\x05\x00") + before[count + 8 : start]
    assert after == expected + before[end:]


def test_a_project_without_the_sample_is_left_as_it_is(monkeypatch, cleaned):
    monkeypatch.setattr(vba, "quickstart_vba_project", lambda: (cleaned, "test"))
    assert xlwings_vba_project() == (cleaned, "test")


def test_a_module1_that_is_not_the_sample_is_refused(monkeypatch, original):
    root = cfb.read(original)
    stream = root.children["VBA"].children["Module1"]
    project, _ = olevba_project(original)
    offset = next(m.textoffset for m in project.modules if m.name == "Module1")
    assert module_source(original, "Module1").startswith(b'Attribute VB_Name = "Module1"')
    own = b'Attribute VB_Name = "Module1"\r\nSub Mine()\r\nEnd Sub\r\n'
    root.children["VBA"].children["Module1"] = stream[:offset] + ovba.compress(own)
    theirs = cfb.write(root)
    assert module_source(theirs, "Module1") == own
    monkeypatch.setattr(vba, "quickstart_vba_project", lambda: (theirs, "test"))
    with pytest.raises(ValueError, match="not xlwings' SampleCall sample"):
        xlwings_vba_project()


def test_unknown_layouts_raise(original):
    with pytest.raises(ValueError, match="no standard module 'Sheet1'"):
        without_module(original, "Sheet1")  # a document module
    with pytest.raises(ValueError, match="no standard module"):
        without_module(original, "Module2")
    root = cfb.read(original)
    root.children["VBA"].children["Unknown"] = b"x"
    with pytest.raises(ValueError, match="unexpected streams in the VBA storage: Unknown"):
        without_module(cfb.write(root), "Module1")
    root = cfb.read(original)
    records = bytearray(ovba.decompress(root.children["VBA"].children["dir"]))
    records[records.index(b"\x0f\x00\x02\x00\x00\x00") + 6] = 7  # a count the records deny
    root.children["VBA"].children["dir"] = ovba.compress(bytes(records))
    with pytest.raises(ValueError, match="PROJECTMODULES says"):
        without_module(cfb.write(root), "Module1")
    for wm, message in [(b"Module1\0M\0o\0", "ends inside a name"), (b"", "no terminator")]:
        root = cfb.read(original)
        root.children["PROJECTwm"] = wm
        with pytest.raises(ValueError, match=message):
            without_module(cfb.write(root), "Module1")
    with pytest.raises(ValueError, match="not a compound file"):
        without_module(b"PK\3\4" + bytes(600), "Module1")


@pytest.mark.parametrize("which", [0, 1, 2])
def test_a_dir_record_of_unknown_id_is_refused(original, which):
    # a module's MODULENAME id (0x0019) zeroed, as a flipped byte did in a fuzzed run: olevba
    # refuses that dir stream, so the rewrite must too rather than write it out
    root = cfb.read(original)
    records = bytearray(ovba.decompress(root.children["VBA"].children["dir"]))
    at = -1
    for _ in range(which + 1):
        at = records.index(b"\x19\x00", at + 1)
    records[at : at + 2] = b"\x00\x00"
    root.children["VBA"].children["dir"] = ovba.compress(bytes(records))
    with pytest.raises(ValueError, match="unknown id 0x0000"):
        without_module(cfb.write(root), "Module1")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 54271), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_damaged_project_is_refused_or_stays_readable(original, flips):
    # bytes changed anywhere (header, FAT, directory, dir stream, PROJECT...): the rewrite
    # raises ValueError, or gives a file olefile and olevba read with exactly the kept modules
    damaged = bytearray(original)
    for at, value in flips:
        damaged[at] = value
    try:
        out = without_module(bytes(damaged), "Module1")
    except ValueError:
        return
    project, _ = olevba_project(out)
    assert {m.name for m in project.modules} == set(KEPT)
    assert project_modules(out) == KEPT


# ------------------------------------------------------------------------------ the built .xlsm


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory):
    from tradecalc.cli.build import build_command

    book = tmp_path_factory.mktemp("xlsm") / "chongqing-2021-q1.xlsm"
    assert build_command(str(TOML), output=str(book)) == 0
    return book


def code_names(book) -> tuple[str, list[str]]:
    """(workbook code name, each sheet's code name) from the package's XML."""
    with zipfile.ZipFile(book) as z:
        workbook = z.read("xl/workbook.xml").decode()
        sheets = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        sheet_names = [
            re.search(r'<sheetPr[^>]*codeName="([^"]+)"', z.read(s).decode()).group(1)
            for s in sheets
        ]
    return re.search(r'<workbookPr[^>]*codeName="([^"]+)"', workbook).group(1), sheet_names


def test_the_xlsm_carries_the_cleaned_project(xlsm, cleaned):
    with zipfile.ZipFile(xlsm) as z:
        assert z.read("xl/vbaProject.bin") == cleaned


def test_document_modules_match_the_sheets_code_names(xlsm, cleaned):
    workbook, sheets = code_names(xlsm)
    assert workbook == "ThisWorkbook"
    assert len(sheets) >= 2 and sheets == [f"Sheet{i}" for i in range(1, len(sheets) + 1)]
    documents = {n for n, k in project_modules(cleaned).items() if k == "Document"}
    # every document module has its workbook or sheet (Sheet3 … get theirs from Excel)
    assert documents == {"ThisWorkbook", "Sheet1", "Sheet2"} <= {workbook, *sheets}
    check_code_names(cleaned, workbook, sheets)
    with pytest.raises(ValueError, match="without a sheet of that code name: Sheet2"):
        check_code_names(cleaned, workbook, sheets[:1])
    with pytest.raises(
        ValueError, match="is 'Workbook', but its module in the VBA project is 'ThisW"
    ):
        check_code_names(cleaned, "Workbook", sheets)


def test_document_modules_belong_to_the_workbook_and_worksheets(xlsm, cleaned):
    _, sources = olevba_project(cleaned)
    # Excel's type library: Workbook {00020819-...}, Worksheet {00020820-...}
    assert b'VB_Base = "0{00020819-0000-0000-C000-000000000046}"' in sources["ThisWorkbook"]
    assert b'VB_Base = "0{00020820-0000-0000-C000-000000000046}"' in sources["Sheet2"]
    assert document_bases(cleaned) == {
        "ThisWorkbook": "Workbook",
        "Sheet1": "Worksheet",
        "Sheet2": "Worksheet",
    }
    assert workbook_code_name(cleaned) == code_names(xlsm)[0]
    with zipfile.ZipFile(xlsm) as z:  # Sheet1 and Sheet2 are worksheets (About, Charts), not charts
        for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
            assert "<worksheet " in z.read(part).decode()


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) not installed; .ci/run installs it"
)
def test_libreoffice_loads_the_modules(xlsm, tmp_path):
    # converting to .ods keeps the VBA project as a Basic library, one file per module
    profile = tmp_path / "profile"  # a private profile: concurrent soffice runs do not collide
    proc = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(xlsm),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    ods = tmp_path / "chongqing-2021-q1.ods"
    assert proc.returncode == 0 and ods.is_file(), proc.stderr
    with zipfile.ZipFile(ods) as z:
        names = z.namelist()
        library = {
            m.group(1) for n in names if (m := re.fullmatch(r"Basic/VBAProject/(\w+)\.xml", n))
        }
        xlwings = z.read("Basic/VBAProject/xlwings.xml").decode("utf-8")
    assert library == set(KEPT)  # (\w+ leaves out the index, script-lb.xml)
    assert "Function RunPython(" in xlwings and "SampleCall" not in xlwings
