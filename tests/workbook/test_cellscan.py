"""The C scans of a sheet's XML (``tradecalc.workbook._cellscan``) compute what the patterns compute.

Each of the extension's three functions stands for a regular expression of
:mod:`tradecalc.workbook.parts` (issue 16: the reader's scans of a 10^4-figure
Figures sheet, about 100 ms with ``re``, about 20 ms in C with the GIL released).
They are compared on byte strings made of the tokens the patterns look at, on
every sheet of the shipped workbooks and of a built 2,000-figure one; the reader
without the extension reads the same release.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tradecalc.workbook import parts

ROOT = Path(__file__).resolve().parents[2]
scan = parts._cellscan
needs_scan = pytest.mark.skipif(scan is None, reason="the C extension _cellscan is not built")

TOKENS = [
    b'<c r="', b"<c", b":c", b"c", b" ", b"\t", b"\n", b"\x0b", b"/", b">", b'"', b"'",
    b"A", b"B", b"Z", b"AB", b"ABC", b"ABCD", b"a", b"0", b"1", b"9", b"00",
    b"1234567890123456", b"<f", b"<f>", b"<f/>", b"<fx", b' t="e"', b" t = 'e'", b"\tt=\"e'",
    b"t=", b"=", b"e", b"<v>1</v>", b"</c>", b'r="', b"<", b"x:c", b' r="',
]  # fmt: skip
LETTERS = [None, ("A",), ("B", "AB"), ("A", "B", "Z", "AB", "ABC"), ("C",), ()]


def _pattern_starts(xml: bytes, letters, errors: bool) -> list[int]:
    return [m.start() for m in parts._candidates(letters, errors).finditer(xml)]


def _significant_digits_of_rows(xml: bytes) -> int:
    rows = parts._CELL_ROW.findall(xml)
    return max((len(r.lstrip(b"0")) for r in rows), default=0)


xml_bytes = st.lists(st.sampled_from(TOKENS), max_size=40).map(b"".join)


@needs_scan
@settings(max_examples=3000, deadline=None)
@given(xml_bytes)
@example(b"<c")
@example(b":c ")
@example(b'<c r="')
@example(b"<c r=")
def test_is_plain_is_the_two_searches(xml):
    assert scan.is_plain(xml) is parts._is_plain_by_pattern(xml)


@needs_scan
@settings(max_examples=3000, deadline=None)
@given(xml_bytes)
@example(b'<c r="ABCD12"<c r="AB0012"')
@example(b'<c r="A0000000000000000000000000001"')
@example(b'<c r="XFD1048576"')
@example(b'<c r="A1234567890123456"')
def test_extent_is_findall_of_the_addresses(xml):
    found = scan.extent(xml)
    if found is None:  # only where a row number is longer than its integers
        assert _significant_digits_of_rows(xml) > 15
    else:
        assert found == parts._extent_by_findall(xml)


@needs_scan
@settings(max_examples=3000, deadline=None)
@given(xml_bytes, st.sampled_from(LETTERS), st.booleans())
@example(b'<c r="A1" t="e"<c r="A2"><f>', ("A",), True)
@example(b'<c r="A1" x=">"><f>', None, False)
@example(b'<c r="AB1">\n<f/>', ("A", "B"), False)
@example(b'<c r="A1"/>\t<f ', None, False)
def test_candidates_are_the_patterns_matches(xml, letters, errors):
    if letters == ():
        letters = None if errors else ("A",)
    wanted = parts._wanted(letters)
    assert scan.candidates(xml, wanted, errors) == _pattern_starts(xml, letters, errors)


def _sheets_of(book: Path):
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                yield name, z.read(name)


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("cellscan")
    release = folder / "synthetic.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "synthetic.py"), "2000", "-o", str(release)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    built = folder / "synthetic.xlsx"
    subprocess.run(
        [sys.executable, "-m", "tradecalc.cli.main", "build", str(release), "-o", str(built)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return [*sorted((ROOT / "workbooks").glob("*.xlsx")), built]


@needs_scan
def test_every_sheet_of_the_shipped_and_a_built_workbook(books):
    seen = 0
    for book in books:
        for name, xml in _sheets_of(book):
            assert scan.is_plain(xml) is parts._is_plain_by_pattern(xml) is True, name
            assert scan.extent(xml) == parts._extent_by_findall(xml), name
            for letters in (None, ("A", "H", "K", "V"), tuple("ABCDEFGHIJKLMNOPQRSTU")):
                for errors in (False, True):
                    got = scan.candidates(xml, parts._wanted(letters), errors)
                    assert got == _pattern_starts(xml, letters, errors), (name, letters)
                    seen += len(got)
    assert seen > 1000  # the calculated columns' formulas were found


def test_the_reader_reads_the_same_release_without_the_extension(books, monkeypatch):
    from tradecalc.model.releasefile import to_dict
    from tradecalc.workbook.reader import read_workbook

    books = [book for book in books if book.name != "empty-template.xlsx"]  # no release in it
    with_scan = [to_dict(read_workbook(book)) for book in books]
    monkeypatch.setattr(parts, "_cellscan", None)
    assert [to_dict(read_workbook(book)) for book in books] == with_scan
    assert len(with_scan) >= 2 and len(with_scan[-1]["figures"]) == 2000


@needs_scan
def test_the_built_scan_is_the_source_in_the_checkout():
    # A .so built from an earlier _cellscan.c would scan the old way silently: setup.py
    # stamps the source's hash into the module, and a stale build fails here.
    import hashlib

    source = Path(parts.__file__).with_name("_cellscan.c").read_bytes()
    assert scan.SOURCE_SHA256 == hashlib.sha256(source).hexdigest(), (
        "tradecalc/workbook/_cellscan.c changed since the extension was built: "
        "run `pip install -e .` again"
    )


def _ran_during(call) -> bool:
    """Whether another thread ran while ``call()`` ran, with no time-based switching of threads.

    The switch interval is made so long that a thread holding the GIL is never asked
    to let it go; the other thread needs it once, so it runs only if ``call`` releases it.
    """
    import threading

    go, done, ran = threading.Event(), threading.Event(), []

    def other():
        go.wait()
        ran.append(True)
        done.wait()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    worker = threading.Thread(target=other)
    try:
        worker.start()
        go.set()
        call()
        return bool(ran)
    finally:
        done.set()
        sys.setswitchinterval(interval)
        worker.join()


@needs_scan
@pytest.mark.parametrize("name", ["is_plain", "extent", "candidates"])
def test_each_scan_releases_the_gil(name):
    # 66 MB of cells: a scan of tens of milliseconds, in which the other thread runs
    xml = b'<row r="1"><c r="A1" s="4"><v>1</v></c></row>' * 1_500_000
    args = {"is_plain": (xml,), "extent": (xml,), "candidates": (xml, None, True)}[name]
    assert _ran_during(lambda: getattr(scan, name)(*args))
    assert not _ran_during(lambda: parts._extent_by_findall(xml[:4_000_000]))  # re holds it
