"""Issue 16, correct at scale: a 10,000-figure release builds into a workbook Excel and tradecalc accept.

* every formula is under Excel's 8,192-character limit (the live template's
  formulas do not grow with the release: the longest is the same at 22 and
  at 10,000 figures);
* no cell holds more than 32,767 characters (the Checks ``figures`` list of
  a breakdown of 3,331 parts is shortened visibly);
* ``tradecalc derive`` reads the workbook back (within the readers' limits)
  as the same release.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile

import pytest
from helpers import ROOT

import tradecalc
from tradecalc.model.releasefile import loads
from tradecalc.workbook.guard import refuse_unreadable
from tradecalc.workbook.reader import read_workbook
from tradecalc.workbook.writer import build_workbook

EXCEL_FORMULA_LIMIT = 8192
EXCEL_CELL_LIMIT = 32767


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic import release_text
    finally:
        sys.path.pop(0)
    release = loads(release_text(10_000))
    path = tmp_path_factory.mktemp("scale") / "large.xlsx"
    data = build_workbook(release, "xlsx")
    path.write_bytes(data)
    refuse_unreadable(path, path)  # what `tradecalc build` checks before the rename
    return release, path, data


def _xml_texts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                yield name, z.read(name).decode("utf-8")


def _unescaped_len(s: str) -> int:
    return len(
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    )


def test_every_formula_is_under_excels_limit(large):
    _, _, data = large
    longest = 0
    for _, xml in _xml_texts(data):
        for m in re.finditer(r"<f[^>]*>([^<]*)</f>", xml):
            longest = max(longest, _unescaped_len(m.group(1)))
    assert 0 < longest < EXCEL_FORMULA_LIMIT


def test_no_cell_is_longer_than_a_cell_holds(large):
    _, _, data = large
    longest = 0
    for _, xml in _xml_texts(data):
        for m in re.finditer(r"<(?:t|v)(?: [^>]*)?>([^<]*)</(?:t|v)>", xml):
            longest = max(longest, _unescaped_len(m.group(1)))
    assert longest <= EXCEL_CELL_LIMIT
    checks = tradecalc.check(large[0])
    assert checks["figures"].str.len().max() > EXCEL_CELL_LIMIT  # the shortening was needed


def test_the_large_workbook_reads_back_as_its_release(large):
    """The same release, up to a printed "-0.0%" (a cell holds no negative zero: it reads "0.0%")."""
    from tradecalc.workbook.guard import fingerprint

    release, path, _ = large
    back = read_workbook(path)
    assert len(back.figures) == 10_000
    assert fingerprint(back) == fingerprint(release)
