"""The command line itself: a quick --help, ``python -m tradecalc``, progress only on a terminal."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import openpyxl
import pytest
from helpers import CHONGQING
from helpers.workbook_fixture import append_table_rows, figures_table, write_template

from tradecalc.cli.main import main
from tradecalc.io import progress as prog

HEAVY = ("numpy", "pandas", "openpyxl", "xlsxwriter", "rich")


def _imported(argv):
    """Top-level modules imported while running ``python -X importtime argv``."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr[-2000:]
    names = set()
    for line in r.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return r.stdout, names


def test_help_imports_no_heavy_library():
    out, names = _imported(["-m", "tradecalc.cli.main", "--help"])
    assert "derive" in out and "pull" in out
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


def test_python_dash_m_tradecalc_runs_the_cli():
    out, names = _imported(["-m", "tradecalc", "derive", "--help"])
    assert "--format" in out and "markdown" in out
    assert not names & set(HEAVY)


def test_import_tradecalc_is_light_until_arithmetic_is_used():
    code = "import sys, tradecalc; a = 'numpy' in sys.modules; tradecalc.base; print(a, 'numpy' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == ["False", "True"], r.stderr


def test_exit_code_2_for_a_missing_file(capsys):
    assert main(["check", "no-such-book.xlsx"]) == 2
    assert "no such file" in capsys.readouterr().err


# --------------------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_no_progress_when_piped(monkeypatch):
    monkeypatch.delenv("TRADECALC_PROGRESS", raising=False)
    with prog.progress_for(stream=io.StringIO()) as p:
        assert p is prog.NULL_PROGRESS


def test_progress_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("TRADECALC_PROGRESS", "never")
    with prog.progress_for(stream=FakeTerminal()) as p:
        assert p is prog.NULL_PROGRESS


def test_progress_on_a_terminal_counts_rows_and_leaves_stdout_alone(tmp_path, monkeypatch, capsys):
    """A 3000-figure workbook: the bar counts Figures rows on stderr, stdout holds only the output."""
    from tradecalc.workbook.reader import read_workbook

    book = write_template(CHONGQING, tmp_path / "big.xlsx")
    wb = openpyxl.load_workbook(book)
    ws, t = figures_table(wb)
    n = 3000
    append_table_rows(
        ws,
        t,
        [
            {
                "id": f"product-{i}",
                "period": "2021-Q1",
                "flow": "exports",
                "breakdown": "export-products",
                "parent": "exports",
                "value": 0.001,
                "yoy": 0.1,
            }
            for i in range(n)
        ],
    )
    wb.save(book)

    term = FakeTerminal()
    monkeypatch.delenv("TRADECALC_PROGRESS", raising=False)
    with prog.progress_for(stream=term, delay=0) as p:
        assert p.shown
        release = read_workbook(book, progress=p)
    rows = [(total, done) for phase, total, done in p.finished if phase == "reading figures"]
    assert rows == [(n + 22, n + 22)]  # every Figures row was counted
    assert len(release.figures) == n + 22
    assert "reading figures" in term.getvalue()

    # the same run through the CLI, with progress forced on: stdout is the plain CSV either way
    monkeypatch.setenv("TRADECALC_PROGRESS", "never")
    assert main(["check", str(book), "--format", "csv"]) == 0
    quiet = capsys.readouterr().out
    monkeypatch.setenv("TRADECALC_PROGRESS", "always")
    assert main(["check", str(book), "--format", "csv"]) == 0
    loud = capsys.readouterr()
    assert loud.out == quiet
    listed = 43.39 + 7.33 + 6.66 + 3.43 + 2.5 + n * 0.001
    row = next(
        r for r in csv.DictReader(io.StringIO(quiet)) if r["check"] == "export-products:residual"
    )
    assert float(row["computed"]) == pytest.approx(112.32 - listed)
