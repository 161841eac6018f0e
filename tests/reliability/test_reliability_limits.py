"""The input limits admit every workbook ``build`` writes and still refuse hostile files (issue 14, items 14 and 16;
issue 18: one place for the limits).

Workbooks here are built by ``tradecalc build`` from ``bench/synthetic.py`` releases, measured member by member
with :mod:`zipfile` (independently of :mod:`tradecalc.io.safety`), and then given to the real readers.
"""

from __future__ import annotations

import re
import sys
import time
import zipfile

import pytest
from helpers import ROOT
from helpers.reliability import COUNTS

from tradecalc.io import limits, safety

sys.path.insert(0, str(ROOT))
from bench.synthetic import write as write_synthetic  # noqa: E402


def _build(n, tmp_path):
    from tradecalc.cli.build import build_command

    toml = write_synthetic(n, tmp_path / f"s{n}.toml")
    book = tmp_path / f"s{n}.xlsx"
    assert build_command(str(toml), output=str(book), fmt="xlsx", force=True) == 0
    return book


def _measure(book):
    """(inflated bytes, cells) counted here with zipfile and a regular expression."""
    with zipfile.ZipFile(book) as z:
        inflated = sum(i.file_size for i in z.infolist())
        cells = sum(
            len(re.findall(rb"<c[\s/>]", z.read(i)))
            for i in z.infolist()
            if i.filename.startswith("xl/worksheets/")
        )
    return inflated, cells


def test_the_limits_admit_the_largest_release_build_accepts(tmp_path):
    """4,000 figures measured (the layout of large releases: shared formulas from 2,000), scaled to MAX_FIGURES:
    the limits hold them with all their text and a margin."""
    inflated, cells = _measure(_build(4000, tmp_path))
    per_figure_bytes, per_figure_cells = inflated / 4000, cells / 4000
    largest_bytes = (
        per_figure_bytes * limits.MAX_FIGURES + limits.MAX_RELEASE_FILE_BYTES
    )  # all its text, once more
    assert largest_bytes * 1.5 < limits.MAX_UNPACKED_BYTES, (per_figure_bytes, largest_bytes)
    assert per_figure_cells * limits.MAX_FIGURES * 1.5 < limits.MAX_CELLS, per_figure_cells
    assert limits.MAX_UNPACKED_BYTES <= 2**30  # still a bound: a zip bomb inflates to gigabytes


def test_a_workbook_of_12000_figures_is_read_back(tmp_path, capsys):
    """The issue's case: 12,000 figures inflated past the old 32 MiB limit and every reader called it a zip bomb."""
    from tradecalc.cli.main import main

    book = _build(12_000, tmp_path)
    inflated, _ = _measure(book)
    assert (
        inflated > 20 * 2**20
    )  # 29 MiB with the shared-formula layout (33.6 MiB, past the old limit, before it)
    safety.check_workbook_file(book)  # no refusal
    start = time.monotonic()
    code = main(["derive", str(book), "--format", "csv", "-o", str(tmp_path / "d.csv")])
    assert code == 0, capsys.readouterr().err
    rows = (tmp_path / "d.csv").read_text(encoding="utf-8").count("\n")
    assert rows == 12_000 + 1
    COUNTS["largest_read_figures"] = max(COUNTS.get("largest_read_figures", 0), 12_000)
    COUNTS["largest_read_seconds"] = round(time.monotonic() - start, 1)


def test_the_limits_live_in_one_module():
    # the old homes re-export the one definition; none defines its own
    from tradecalc.model import releasefile

    assert (
        safety.MAX_UNPACKED_BYTES is limits.MAX_UNPACKED_BYTES
        and safety.MAX_TEXT_BYTES is limits.MAX_TEXT_BYTES
    )
    assert releasefile.MAX_BYTES == limits.MAX_RELEASE_FILE_BYTES


# --------------------------------------------------------------------------- the number grammar: linear


@pytest.mark.parametrize("n", [60_000, 600_000])
def test_crafted_numbers_are_refused_in_bounded_time(n):
    """The old grammar backtracked over a run of spaces: 60 KB took 10.5 s (28 s in the issue); now the length bound
    refuses at once, and the grammar itself is linear below it."""
    from tradecalc.model.published import parse

    crafted = ["1 x" + " " * n + "x", "1" * n, "1," * (n // 2), "-" + " " * n + "1"]
    start = time.monotonic()
    for text in crafted:
        with pytest.raises(ValueError) as e:
            parse(text)
        assert len(str(e.value)) < 200
    assert (
        time.monotonic() - start < 1.0
    )  # a bound on the cost, 10 times what it takes on a loaded machine


def test_errors_and_io_sit_below_every_other_layer():
    """tradecalc.errors and tradecalc.io import no other tradecalc layer (the model imports them, not the reverse)."""
    import subprocess

    code = (
        "import sys, tradecalc.errors, tradecalc.io.limits, tradecalc.io.reader, tradecalc.io.safety, "
        "tradecalc.io.atomic, tradecalc.io.formats, tradecalc.io.progress; "
        "print(sorted(m for m in sys.modules if m.startswith('tradecalc.') and not m.startswith(('tradecalc.io', 'tradecalc.errors'))))"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_trade_number_on_a_30000_character_cell_is_a_quick_one_line_error():
    """The issue measured about 7 s for TRADE_NUMBER on such a cell (the quadratic grammar)."""
    import tradecalc_udfs as udfs

    cell = "1 x" + " " * 30_000 + "x"
    start = time.monotonic()
    out = udfs.trade_number(cell)
    assert time.monotonic() - start < 0.5
    assert isinstance(out, str) and out.startswith("#VALUE! TRADE_NUMBER") and len(out) <= 1000, (
        out[:300]
    )  # the add-in cuts its messages at 1000
    assert (
        udfs.trade_number("60.4%") == 0.604
        and udfs.trade_number("123456789012345") == 123456789012345.0
    )
