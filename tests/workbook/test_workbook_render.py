"""LibreOffice opens the template headless, prints it to PDF, and the numbers are there.

What a reader without the add-in sees: LibreOffice keeps the cached values of
plain formulas (it does not know the TRADE_* functions), so the Figures
Table's calculated columns and the Derived sheet show the release's numbers —
total base 112.37, exports' share 62.3%, pulls 43.1 and 17.3 pp.

LibreOffice recalculates every array formula when it opens a file (it keeps
no cached value for them), so the two dynamic arrays that call the add-in —
the Checks table (TRADE_CHECKS) and the base's bounds on the Derived sheet
(TRADE_BASE_BOUNDS) — show #NAME? there; the README says so. The test
pins that down: those are the only errors on the pages.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import CHONGQING

from tradecalc.cli.build import build_command

TOML = CHONGQING

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftoppm, pdftotext) not installed; .ci/run installs them",
)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    d = tmp_path_factory.mktemp("render")
    book = d / "chongqing-2021-q1.xlsx"
    assert build_command(str(TOML), output=str(book)) == 0
    profile = d / "profile"  # a private profile: concurrent soffice runs do not collide
    proc = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(d),
            str(book),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = d / "chongqing-2021-q1.pdf"
    assert proc.returncode == 0 and out.is_file(), proc.stderr
    return out


def test_pages_show_the_release_numbers(pdf):
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for number in ("112.37", "62.3%", "5.4 pp", "43.1 pp", "17.3 pp", "63.93", "48.45", "71.3%"):
        assert number in text, number
    for error in ("#VALUE!", "#NUM!", "#REF!", "Err:5"):
        assert error not in text, error
    # #NAME? only where an array formula calls the add-in: the Checks page, and on the Derived
    # page the low and high of the 19 figures with a value and a growth
    named = {
        p.strip().splitlines()[0].split()[-1]: p.count("#NAME?")
        for p in text.split("\f")
        if "#NAME?" in p
    }
    assert set(named) == {"Derived", "Checks"}, (
        named
    )  # the sheet name, at the right of the page header
    assert named["Derived"] == 2 * 19


def test_pages_render_to_png(pdf):
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(pdf.with_suffix(""))],
        check=True,
        timeout=300,
    )
    pngs = sorted(pdf.parent.glob(pdf.stem + "-*.png"))
    assert len(pngs) >= 6  # About, Charts, Figures, Derived, Checks, ...
    assert all(p.stat().st_size > 2000 for p in pngs)
