"""Hostile or broken files: refused with a clear message, exit code 2, bounded time and memory.

Every file is built here, byte by byte where needed (zip bombs, an OLE
container), then given to the command line in a subprocess whose address
space is capped (``RLIMIT_AS``) and whose peak resident memory is read back
from ``wait4`` and asserted under :data:`helpers.reliability.RSS_LIMIT_MIB`.
Release-file errors, which need no memory bound, run in-process through
``tradecalc.cli.main``.
"""

from __future__ import annotations

import os
import random
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from helpers.reliability import COUNTS, RSS_LIMIT_MIB

from tradecalc.cli.main import main
from tradecalc.io import safety

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="memory limits and wait4 rusage are POSIX"
)

from helpers import CHONGQING, ROOT  # noqa: E402

CHONGQING_TEXT = ROOT.parent / "shared" / "releases" / "chongqing-2021-q1.txt"
#: Address-space cap of the child (numpy/pandas reserve far more virtual than resident memory).
AS_LIMIT = 4 * 2**30
SECONDS = 60


# --------------------------------------------------------------------------- running the CLI


def run_python(pyargs, tmp_path, env=None):
    """Run ``python PYARGS`` capped in memory and CPU; return (exit code, stdout, stderr, peak RSS MiB, seconds)."""
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"

    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))

    # the child imports this checkout, whatever the environment's install points at
    path = os.pathsep.join(
        [str(ROOT), str(ROOT / "addin"), os.environ.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    full_env = {
        **os.environ,
        "PYTHONPATH": path,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "TRADECALC_PROGRESS": "0",
        **(env or {}),
    }
    full_env.pop("TRADECALC_DEBUG", None)
    start = time.monotonic()
    with open(out, "wb") as o, open(err, "wb") as e:
        p = subprocess.Popen(
            [sys.executable, *map(str, pyargs)],
            stdout=o,
            stderr=e,
            stdin=subprocess.DEVNULL,
            env=full_env,
            cwd=tmp_path,
            preexec_fn=limits,
        )
        while True:  # wait4, not communicate: it returns the child's own rusage
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > SECONDS:
                p.kill()
                os.wait4(p.pid, 0)
                pytest.fail(f"python {' '.join(map(str, pyargs))} ran over {SECONDS} s")
            time.sleep(0.02)
    p.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    rss_mib = usage.ru_maxrss // 1024  # kilobytes on Linux
    return (
        p.returncode,
        out.read_text(errors="replace"),
        err.read_text(errors="replace"),
        rss_mib,
        seconds,
    )


def run_cli(args, tmp_path, env=None):
    """``tradecalc ARGS`` in a capped subprocess."""
    return run_python(["-m", "tradecalc", *args], tmp_path, env)


def rejected(args, tmp_path, *expected, env=None):
    """Assert exit code 2, every ``expected`` text in stderr, no traceback, bounded memory and time."""
    code, out, err, rss, seconds = run_cli(args, tmp_path, env)
    assert code == 2, (code, err[-2000:])
    assert "Traceback" not in err and "Traceback" not in out
    assert err.startswith("error: "), err[:500]
    for text in expected:
        assert text in err, (text, err[:1000])
    assert rss < RSS_LIMIT_MIB, f"peak memory {rss} MiB"
    assert seconds < SECONDS
    COUNTS["files_rejected"] += 1
    COUNTS["max_rss_mib"] = max(COUNTS["max_rss_mib"], rss)
    return err


def rejected_in_process(argv, capsys, *expected):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 2, (code, err)
    assert "Traceback" not in err
    for text in expected:
        assert text in err, (text, err)
    COUNTS["files_rejected"] += 1
    return err


# --------------------------------------------------------------------------- building files


@pytest.fixture(scope="module")
def good_book(tmp_path_factory):
    """The Chongqing template workbook, as ``tradecalc build`` writes it."""
    path = tmp_path_factory.mktemp("good") / "chongqing-2021-q1.xlsx"
    assert main(["build", str(CHONGQING), "-o", str(path)]) == 0
    return path


def members_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def sheet_part(book, sheet_name: str) -> str:
    """The zip member holding a worksheet, from the workbook's own relationships."""
    import re

    m = members_of(book)
    rid = re.search(
        rf'<sheet name="{sheet_name}" sheetId="\d+" r:id="(rId\d+)"', m["xl/workbook.xml"].decode()
    ).group(1)
    target = re.search(
        rf'Id="{rid}"[^>]*Target="([^"]+)"', m["xl/_rels/workbook.xml.rels"].decode()
    ).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


class RawZip:
    """A zip written by hand, so a member's declared size and CRC can say anything."""

    def __init__(self, path):
        self.fh = open(path, "wb")
        self.central = []

    def add(self, name: str, chunks, *, declared_size=None, declared_crc=None):
        """``chunks``: an iterable of raw deflate bytes; sizes/CRC default to the truth (computed by the caller)."""
        offset = self.fh.tell()
        fname = name.encode()
        header = struct.Struct("<4s5H3L2H")
        self.fh.write(header.pack(b"PK\x03\x04", 20, 0, 8, 0, 33, 0, 0, 0, len(fname), 0) + fname)
        csize = 0
        for c in chunks:
            self.fh.write(c)
            csize += len(c)
        end = self.fh.tell()
        self.fh.seek(offset + 14)
        self.fh.write(struct.pack("<3L", declared_crc, csize, declared_size))
        self.fh.seek(end)
        self.central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                33,
                declared_crc,
                csize,
                declared_size,
                len(fname),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + fname
        )

    def add_bytes(self, name: str, data: bytes):
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        self.add(
            name,
            [c.compress(data) + c.flush()],
            declared_size=len(data),
            declared_crc=zlib.crc32(data),
        )

    def close(self):
        start = self.fh.tell()
        for c in self.central:
            self.fh.write(c)
        size = self.fh.tell() - start
        n = len(self.central)
        self.fh.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, size, start, 0))
        self.fh.close()


def deflated_run(head: bytes, tail: bytes, mib: int):
    """Raw deflate of head + ``mib`` MiB of spaces + tail, generated in ~1 kB blocks; and its true size and CRC.

    After a full flush deflate forgets its history, so every 1 MiB block of
    spaces compresses to the same bytes: a gigabyte costs a megabyte.
    """
    spaces = b" " * 2**20
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(spaces) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + mib * 2**20 + len(tail)
    return [first, *([block] * mib), last], size, crc


SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"


def bomb_book(good_book, path, *, mib: int, declared_size=None):
    """The Chongqing workbook with its Figures sheet replaced by ``mib`` MiB of (valid) XML whitespace."""
    part = sheet_part(good_book, "Figures")
    z = RawZip(path)
    for name, data in members_of(good_book).items():
        if name == part:
            chunks, size, crc = deflated_run(SHEET_HEAD, SHEET_TAIL, mib)
            z.add(
                name,
                chunks,
                declared_size=size if declared_size is None else declared_size,
                declared_crc=crc,
            )
        else:
            z.add_bytes(name, data)
    z.close()
    return path


def test_the_bomb_builder_makes_what_it_says(tmp_path, good_book):
    """A 3 MiB version inflates, through Python's zipfile, to exactly the size it declares."""
    path = bomb_book(good_book, tmp_path / "small-bomb.xlsx", mib=3)
    with zipfile.ZipFile(path) as z:
        data = z.read(sheet_part(good_book, "Figures"))
    assert len(data) == len(SHEET_HEAD) + 3 * 2**20 + len(SHEET_TAIL)
    assert path.stat().st_size < 40_000 + good_book.stat().st_size


def with_member(good_book, path, name, transform):
    """A copy of the workbook with one member's bytes transformed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members_of(good_book).items():
            z.writestr(n, transform(data) if n == name else data)
    return path


def billion_laughs(xml: bytes, root: bytes, reference_in: bytes) -> bytes:
    """``xml`` with a 'billion laughs' DTD before its root element and ``&lol9;`` put in ``reference_in``."""
    ents = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode())) * 10)
        for i in range(1, 10)
    )
    doctype = b"<!DOCTYPE " + root + b" [" + ents + b"]>"
    i = xml.index(b"<" + root)
    xml = xml[:i] + doctype + xml[i:]
    return xml.replace(reference_in, reference_in.replace(b">", b">&lol9;", 1), 1)


def quadratic_blowup(xml: bytes, root: bytes, reference_in: bytes) -> bytes:
    """One 50 kB entity referenced 50 000 times: 2.5 GB from a 200 kB part, no nesting needed."""
    doctype = b"<!DOCTYPE " + root + b' [<!ENTITY a "' + b"a" * 50_000 + b'">]>'
    i = xml.index(b"<" + root)
    xml = xml[:i] + doctype + xml[i:]
    return xml.replace(reference_in, reference_in.replace(b">", b">" + b"&a;" * 50_000, 1), 1)


def minimal_ole_container(path):
    """An OLE compound file (CFB v3) as Excel writes an encrypted .xlsx: a root, EncryptionInfo, EncryptedPackage.

    Header (512 bytes), one FAT sector, one directory sector; both streams empty.
    """
    ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack(
        "<8s16sHHHHH6sLLLLLLLLL",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        0x1000,
        ENDOFCHAIN,
        0,
        ENDOFCHAIN,
        0,
    )
    header += struct.pack("<L", 0) + struct.pack("<108L", *[FREESECT] * 108)
    assert len(header) == 512
    fat = struct.pack("<128L", FATSECT, ENDOFCHAIN, *[FREESECT] * 126)

    def entry(name, kind, child=NOSTREAM, right=NOSTREAM):
        n = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBLLL16sLQQLQ",
            n,
            len(n),
            kind,
            1,
            NOSTREAM,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            ENDOFCHAIN,
            0,
        )

    directory = (
        entry("Root Entry", 5, child=1)
        + entry("EncryptionInfo", 2, right=2)
        + entry("EncryptedPackage", 2)
    )
    directory += b"\0" * (512 - len(directory))
    Path(path).write_bytes(header + fat + directory)
    return path


# --------------------------------------------------------------------------- defences in place


def test_openpyxl_parses_with_defusedxml_in_this_environment():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# --------------------------------------------------------------------------- XML bombs


@pytest.mark.parametrize("command", ["derive", "check", "pull"])
def test_billion_laughs_in_the_figures_sheet(command, tmp_path, good_book):
    part = sheet_part(good_book, "Figures")
    book = with_member(
        good_book,
        tmp_path / "laughs.xlsx",
        part,
        lambda x: billion_laughs(x, b"worksheet", b"<sheetData>"),
    )
    args = [command, book] + (["-o", tmp_path / "out.toml"] if command == "pull" else [])
    rejected(args, tmp_path, "laughs.xlsx", "XML DTD or entities", "billion laughs", part)
    assert not (tmp_path / "out.toml").exists()


def test_billion_laughs_in_shared_strings(tmp_path, good_book):
    book = with_member(
        good_book,
        tmp_path / "strings.xlsx",
        "xl/sharedStrings.xml",
        lambda x: billion_laughs(x, b"sst", b"<t>"),
    )
    rejected(["derive", book], tmp_path, "'xl/sharedStrings.xml' declares an XML DTD")


def test_quadratic_blowup_in_shared_strings(tmp_path, good_book):
    book = with_member(
        good_book,
        tmp_path / "quadratic.xlsx",
        "xl/sharedStrings.xml",
        lambda x: quadratic_blowup(x, b"sst", b"<t>"),
    )
    rejected(["check", book], tmp_path, "declares an XML DTD")


def test_without_the_dtd_scan_defusedxml_still_refuses_the_bomb(tmp_path, good_book):
    """Second layer: openpyxl itself, given the bomb with no guard in front, refuses to expand the entities."""
    book = with_member(
        good_book,
        tmp_path / "laughs.xlsx",
        "xl/sharedStrings.xml",
        lambda x: billion_laughs(x, b"sst", b"<t>"),
    )
    script = (
        "import sys, openpyxl\n"
        "try:\n"
        "    openpyxl.load_workbook(sys.argv[1])\n"
        "except Exception as e:\n"
        "    chain = []\n"
        "    while e is not None:\n"
        "        chain.append(type(e).__name__)\n"
        "        e = e.__cause__ or e.__context__\n"
        "    print(' '.join(chain))\n"
        "    sys.exit(2)\n"
    )
    code, out, err, rss, seconds = run_python(["-c", script, book], tmp_path)
    assert code == 2, err
    assert "EntitiesForbidden" in out.split(), out
    assert rss < RSS_LIMIT_MIB


@pytest.mark.parametrize("bomb", [billion_laughs, quadratic_blowup])
def test_without_the_dtd_scan_python_calamine_does_not_expand_the_bomb(bomb, tmp_path, good_book):
    """Second layer for the reader's values: python-calamine (quick-xml) expands no declared entity."""
    book = with_member(
        good_book,
        tmp_path / "laughs.xlsx",
        "xl/sharedStrings.xml",
        lambda x: bomb(x, b"sst", b"<t>"),
    )
    script = (
        "import sys, python_calamine\n"
        "try:\n"
        "    wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
        "    rows = wb.get_sheet_by_name('Figures').to_python()\n"
        "    print(max(len(str(v)) for row in rows for v in row))\n"
        "except Exception as e:\n"
        "    print(type(e).__name__)\n"
    )
    code, out, err, rss, seconds = run_python(["-c", script, book], tmp_path)
    assert code == 0, err
    assert rss < RSS_LIMIT_MIB and seconds < 30
    assert out.split()[-1] in ("XmlError", "CalamineError") or int(out.split()[-1]) < 100_000, out


# --------------------------------------------------------------------------- zip bombs


@pytest.fixture(scope="module")
def honest_bomb(good_book, tmp_path_factory):
    """A ~2 MB .xlsx whose Figures sheet declares, truthfully, 2 GiB."""
    return bomb_book(good_book, tmp_path_factory.mktemp("bomb") / "bomb.xlsx", mib=2048)


@pytest.mark.parametrize("command", ["derive", "check", "pull"])
def test_zip_bomb_refused_from_its_directory(command, tmp_path, honest_bomb):
    assert honest_bomb.stat().st_size < 4 * 2**20
    args = [command, honest_bomb] + (["-o", tmp_path / "out.toml"] if command == "pull" else [])
    rejected(args, tmp_path, "bomb.xlsx", "zip bomb", "2048 MiB")


def test_zip_bomb_with_lying_sizes_refused_while_streaming(tmp_path, good_book):
    """Declares 60 kB, inflates to 512 MiB: the declared size caps the inflation and the CRC gives it away."""
    book = bomb_book(good_book, tmp_path / "liar.xlsx", mib=512, declared_size=60_000)
    rejected(["derive", book], tmp_path, "liar.xlsx", "inflates beyond its declared size")


def test_many_small_members_adding_up_past_the_limit(tmp_path, good_book):
    """Each member stays under the ratio floor; together they pass the unpacked limit."""
    z = RawZip(tmp_path / "many.xlsx")
    for name, data in members_of(good_book).items():
        z.add_bytes(name, data)
    n = safety.MAX_UNPACKED_BYTES // 2**20 + 8
    for i in range(n):
        chunks, size, crc = deflated_run(b"", b"", 1)
        z.add(f"xl/media/filler{i}.bin", chunks, declared_size=size, declared_crc=crc)
    z.close()
    rejected(
        ["derive", tmp_path / "many.xlsx"],
        tmp_path,
        "would inflate to",
        f"limit {safety.MAX_UNPACKED_BYTES // 2**20} MiB",
    )


def test_a_million_empty_cells(tmp_path, good_book):
    """4 MiB of ``<c/>``, stored uncompressed (no ratio to see): openpyxl would spend ~350 MB on it; refused by count."""
    part = sheet_part(good_book, "Derived")
    cells = safety.MAX_CELLS + 1000
    body = b"<row>" + b"<c/>" * 1000 + b"</row>"
    sheet = SHEET_HEAD + body * (cells // 1000) + SHEET_TAIL
    with zipfile.ZipFile(tmp_path / "cells.xlsx", "w", zipfile.ZIP_STORED) as z:
        for name, data in members_of(good_book).items():
            z.writestr(name, sheet if name == part else data)
    rejected(
        ["derive", tmp_path / "cells.xlsx"],
        tmp_path,
        "cells.xlsx",
        f"more than {safety.MAX_CELLS:,} cells",
    )


@pytest.mark.parametrize("sheet", ["Figures", "Derived"])
def test_two_cells_far_apart(sheet, tmp_path, good_book):
    """A cell at XFD1048576: a value reader would lay out 17 billion cells (512 GiB); refused by extent.

    On Derived (no input Table) ``build`` meets it when it inspects the workbook it would replace.
    """
    part = sheet_part(good_book, sheet)
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    book = with_member(
        good_book, tmp_path / "far.xlsx", part, lambda x: x.replace(b"</sheetData>", far)
    )
    if sheet == "Figures":
        rejected(
            ["derive", book], tmp_path, "far.xlsx", "reach XFD1048576", "not a template workbook"
        )
    else:
        before = book.read_bytes()
        rejected(
            ["build", CHONGQING, "-o", book], tmp_path, "far.xlsx", "reach XFD1048576", "--force"
        )
        assert book.read_bytes() == before


def test_too_many_members(tmp_path, good_book):
    with zipfile.ZipFile(tmp_path / "members.xlsx", "w", zipfile.ZIP_STORED) as z:
        for name, data in members_of(good_book).items():
            z.writestr(name, data)
        for i in range(safety.MAX_MEMBERS + 1):
            z.writestr(f"xl/x/{i}", b"")
    rejected(
        ["derive", tmp_path / "members.xlsx"], tmp_path, f"members (limit {safety.MAX_MEMBERS})"
    )


# --------------------------------------------------------------------------- not a workbook


def test_password_protected_workbook(tmp_path):
    book = minimal_ole_container(tmp_path / "secret.xlsx")
    assert book.read_bytes()[:4] == bytes.fromhex("d0cf11e0")
    err = rejected(
        ["derive", book], tmp_path, "secret.xlsx", "password-protected or a legacy .xls", "Fix:"
    )
    assert "remove the password" in err
    rejected(
        ["pull", book, "-o", tmp_path / "out.toml"], tmp_path, "password-protected or a legacy .xls"
    )
    assert not (tmp_path / "out.toml").exists()


@pytest.mark.parametrize(
    "name, data, said",
    [
        ("empty.xlsx", b"", "an empty file"),
        ("text.xlsx", b"id,value\nexports,112.32\n", "not a zip file"),
        (
            "random.xlsm",
            bytes(random.Random(8).randrange(256) for _ in range(5000)),
            "not a zip file",
        ),
        ("report.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF"),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "an image"),
    ],
)
def test_not_a_workbook(name, data, said, tmp_path):
    (tmp_path / name).write_bytes(data)
    rejected(["check", tmp_path / name], tmp_path, name, "not an Excel workbook", said)


def test_other_zip_files_are_named(tmp_path, good_book):
    with zipfile.ZipFile(tmp_path / "letter.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    rejected(["derive", tmp_path / "letter.xlsx"], tmp_path, "a Word document")
    with zipfile.ZipFile(tmp_path / "sheet.xlsx", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    rejected(["derive", tmp_path / "sheet.xlsx"], tmp_path, "an OpenDocument file")


def test_truncated_workbook(tmp_path, good_book):
    data = good_book.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    rejected(["derive", tmp_path / "cut.xlsx"], tmp_path, "cut.xlsx", "not an Excel workbook")


def test_corrupted_member_is_a_damaged_file(tmp_path, good_book):
    data = bytearray(good_book.read_bytes())
    with zipfile.ZipFile(good_book) as z:
        info = z.getinfo(sheet_part(good_book, "Figures"))
    start = info.header_offset + 30 + len(info.filename) + 40
    data[start : start + 64] = bytes(64)  # zeros in the middle of the deflate stream
    (tmp_path / "bitrot.xlsx").write_bytes(bytes(data))
    rejected(["derive", tmp_path / "bitrot.xlsx"], tmp_path, "bitrot.xlsx", "damaged")


def test_build_will_not_replace_a_hostile_file_at_its_output(tmp_path, good_book):
    """The file at the output path is inspected before it is replaced; a bomb there is not parsed."""
    book = with_member(
        good_book,
        tmp_path / "out.xlsx",
        "xl/sharedStrings.xml",
        lambda x: billion_laughs(x, b"sst", b"<t>"),
    )
    before = book.read_bytes()
    rejected(["build", CHONGQING, "-o", book], tmp_path, "out.xlsx", "--force")
    assert book.read_bytes() == before


# --------------------------------------------------------------------------- a template with a broken Figures table


def _figures(wb):
    for ws in wb.worksheets:
        if "Figures" in ws.tables:
            return ws, ws.tables["Figures"]
    raise AssertionError("no Figures table")


def test_figures_table_with_wrong_columns(tmp_path, good_book):
    wb = openpyxl.load_workbook(good_book)
    ws, table = _figures(wb)
    headers = {c.value: c for c in ws[1]}
    headers["value"].value = "amount"
    headers["yoy"].value = "growth"
    wb.save(tmp_path / "columns.xlsx")
    rejected(
        ["derive", tmp_path / "columns.xlsx"],
        tmp_path,
        "columns.xlsx",
        "has no column 'value', 'yoy'",
        "unknown columns: 'amount', 'growth'",
    )


def test_figures_table_with_wrong_types(tmp_path, good_book):
    """Text where a number belongs, a logical value as a growth, a date as a period: each named at its cell."""
    wb = openpyxl.load_workbook(good_book)
    ws, table = _figures(wb)
    col = {c.value: c.column_letter for c in ws[1]}
    ws[f"{col['value']}3"] = "n/a"
    ws[f"{col['yoy']}4"] = True
    import datetime

    ws[f"{col['period']}5"] = datetime.datetime(2021, 3, 15)
    ws[f"{col['value_decimals']}6"] = "two"
    wb.save(tmp_path / "types.xlsx")
    err = rejected(["check", tmp_path / "types.xlsx"], tmp_path, "types.xlsx")
    assert f"Figures!{col['value']}3" in err and "n/a" in err
    assert "2021-03-15" in err
    assert "'two'" in err
    assert f"{col['yoy']}4" in err or "row 4" in err


# --------------------------------------------------------------------------- release files


ALL_VALIDATION_ERRORS = """[release]
id = "broken"

[[breakdowns]]
id = "flows"
parent = "nowhere"
kind = "sideways"

[[breakdowns]]
id = "flows"

[[breakdowns]]
kind = "partial"

[[breakdowns]]
id = "split-b"
parent = "b"

[[figures]]
id = "total"
period = "2021-Q5"
flow = "sideways"
value = "abc"
yoy = "-120%"

[[figures]]
id = "total"
period = "2021-Q1"
value = "1"

[[figures]]
id = "a"
period = "2021-Q1"
parent = "b"
value = "1"

[[figures]]
id = "b"
period = "2021-Q1"
parent = "a"
value = "1"

[[figures]]
id = "orphan"
period = "2021-Q1"
parent = "ghost"
breakdown = "none-such"
earlier_growth = "5%"

[[figures]]
id = "other-unit"
period = "2021-03"
parent = "a"
unit = "million dollars"
value = "2"

[[figures]]
id = "late"
period = "2021-Q1"
earlier_period = "2022-Q1"
value = "1"
value_decimals = "x"

[[figures]]
id = "timeless"
value = "3"

[[figures]]
id = "odd-earlier"
period = "2021-Q1"
earlier_period = "last year"
value = "3"

[[figures]]
id = "misfiled"
period = "2021-Q1"
parent = "a"
breakdown = "split-b"
value = "1"

[[figures]]
label = "no id at all"
period = "2021-Q1"
value = "1"

[[statements]]
id = "s"
kind = "guess"
figure = "ghost"

[[statements]]
id = "s"
kind = "share"
figure = "a"
value = "5%"
"""

VALIDATION_MESSAGES = [
    "the release has no unit",
    "breakdown 'flows' names unknown parent 'nowhere'",
    "has kind 'sideways'",
    "duplicate breakdown id 'flows'",
    "duplicate figure id 'total'",
    "bad period",
    "has flow 'sideways'",
    "value: ",
    "-100% or less",
    "is its own ancestor",
    "names unknown parent 'ghost'",
    "names unknown breakdown 'none-such'",
    "has earlier_growth but no earlier_period",
    "neither a value nor a growth",
    "is not before 2021-Q1",
    "of another period",
    "statement 's' has kind 'guess'",
    "names unknown figure 'ghost'",
    "statement 's' has no value",
    "duplicate statement id 's'",
    "a breakdown has no id",
    "'timeless' has no period",
    "bad earlier_period",
    "is in 'million dollars' but its parent 'a'",
    "but its breakdown 'split-b' splits 'b'",
    "a figure has no id",
    "is not a whole number of decimals",
]


def test_release_file_with_every_validation_error_lists_them_all(tmp_path, capsys):
    p = tmp_path / "broken.toml"
    p.write_text(ALL_VALIDATION_ERRORS, encoding="utf-8")
    for command in ("derive", "check"):
        err = rejected_in_process([command, p], capsys, *VALIDATION_MESSAGES)
        assert err.count("Fix:") >= len(VALIDATION_MESSAGES) - 2
    rejected_in_process(["build", p, "-o", tmp_path / "b.xlsx"], capsys, "is its own ancestor")
    assert not (tmp_path / "b.xlsx").exists()


@pytest.mark.parametrize(
    "name, content, said",
    [
        (
            "syntax.toml",
            '[release]\nid = "x"\nunit = "billion yuan"\n[[figures]]\nid = "a\n',
            "not valid TOML",
        ),
        ("nometa.toml", '[[figures]]\nid = "a"\n', "there is no [release] table"),
        (
            "bare.toml",
            '[release]\nunit = "b"\n[[figures]]\nid = "a"\nperiod = "2021"\nvalue = 112.32\n',
            "bare number",
        ),
        (
            "unknown.toml",
            '[release]\nunit = "b"\n[[figures]]\nid = "a"\nperiod = "2021"\nvalue = "1"\ncolour = "red"\n',
            "unknown key 'colour'",
        ),
        (
            "table.toml",
            '[release]\nunit = "b"\n[figures]\nid = "a"\n',
            "must be written as [[figures]]",
        ),
        ("empty.toml", "", "there is no [release] table"),
        ("latin1.toml", '[release]\ntitle = "Gr\xfc\xdfe"\n'.encode("latin-1"), "not UTF-8"),
        ("binary.toml", b"\x00\x01\x02" * 100, "binary"),
        ("sheet.toml", None, "a zip file"),
    ],
)
def test_release_file_errors_the_loader_knows(name, content, said, tmp_path, capsys, good_book):
    p = tmp_path / name
    if content is None:
        p.write_bytes(good_book.read_bytes())  # a workbook renamed .toml
    elif isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    rejected_in_process(["derive", p], capsys, name, said)


def test_enormous_release_file(tmp_path):
    from tradecalc.io.limits import MAX_RELEASE_FILE_BYTES as MAX_BYTES

    p = tmp_path / "huge.toml"
    with open(p, "wb") as fh:
        fh.write(b'[release]\nunit = "b"\n')
        fh.write((b"# " + b"x" * 1021 + b"\n") * (MAX_BYTES // 1024 + 8))
    rejected(["check", p], tmp_path, "huge.toml", "a release file is at most")


# --------------------------------------------------------------------------- release texts (extract)


def test_enormous_text(tmp_path):
    p = tmp_path / "huge.txt"
    line = (
        CHONGQING_TEXT.read_bytes()
        if CHONGQING_TEXT.exists()
        else b"Exports rose 5% to 1 billion yuan.\n"
    )
    with open(p, "wb") as fh:
        for _ in range(safety.MAX_TEXT_BYTES // len(line) + 2):
            fh.write(line)
    rejected(
        ["extract", p, "-o", tmp_path / "out.toml"],
        tmp_path,
        "huge.txt",
        "a release text is at most",
    )
    assert not (tmp_path / "out.toml").exists()


@pytest.mark.parametrize(
    "name, data, said",
    [
        ("random.txt", bytes(random.Random(3).randrange(256) for _ in range(20_000)), "binary"),
        ("nul.txt", b"Exports rose 5% to 1 billion yuan.\x00\x00" * 40, "binary"),
        ("release.txt", b"%PDF-1.4\n" + bytes(range(256)) * 4, "a PDF"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 200, "binary"),
        (
            "latin1.txt",
            "In 2021 exports rose 5% to 1 billion yuan. Gr\xfc\xdfe.".encode("latin-1"),
            "not UTF-8",
        ),
    ],
)
def test_binary_texts(name, data, said, tmp_path):
    (tmp_path / name).write_bytes(data)
    rejected(["extract", tmp_path / name, "-o", tmp_path / "out.toml"], tmp_path, name, said)


def test_a_workbook_given_to_extract_is_named(tmp_path, good_book):
    rejected(
        ["extract", good_book, "-o", tmp_path / "out.toml"],
        tmp_path,
        "a zip file",
        "tradecalc pull",
    )


@pytest.mark.skipif(
    not CHONGQING_TEXT.exists(), reason="the Chongqing release text is not on this machine"
)
def test_utf16_text_from_notepad_is_read_like_utf8(tmp_path):
    """Not hostile, but binary-looking (NUL bytes): Notepad's "Unicode" gives the same release as UTF-8."""
    import tradecalc

    (tmp_path / "utf16.txt").write_bytes(
        CHONGQING_TEXT.read_text(encoding="utf-8").encode("utf-16")
    )
    assert (
        main(["extract", str(tmp_path / "utf16.txt"), "-o", str(tmp_path / "a.toml"), "--id", "cq"])
        == 0
    )
    assert main(["extract", str(CHONGQING_TEXT), "-o", str(tmp_path / "b.toml"), "--id", "cq"]) == 0
    a, b = tradecalc.load(tmp_path / "a.toml"), tradecalc.load(tmp_path / "b.toml")
    assert [(f.id, f.value, f.yoy) for f in a.figures] == [
        (f.id, f.value, f.yoy) for f in b.figures
    ]
    exports = {f.value for f in a.figures if f.flow == "exports"}
    assert 112.32 in exports  # "exports surged 75.7% to 112.32 billion yuan"


def test_text_that_keeps_the_extractor_busy_is_stopped(tmp_path):
    """A short text of thousands of percentages: the extractor's time limit stops it, not the user's patience."""
    p = tmp_path / "percent.txt"
    p.write_text("In 2021 exports rose " + "5% " * 3000 + "to 1 billion yuan.\n", encoding="utf-8")
    assert p.stat().st_size < 10_000
    # 3000 figures take seconds to place; a 0.2 s limit stops it on any machine (a margin of 10x and more)
    rejected(
        ["extract", p, "-o", tmp_path / "out.toml"],
        tmp_path,
        "percent.txt",
        "took more than 0.2 s",
        env={"TRADECALC_EXTRACT_SECONDS": "0.2"},
    )
    assert not (tmp_path / "out.toml").exists()
