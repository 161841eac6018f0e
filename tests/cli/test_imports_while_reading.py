"""The CLI imports pandas and the analysis while it reads the input (issue 16).

For a release file the imports run in a thread from the start; for a workbook
they run on the main thread while the reader's worker parses the Figures sheet
(python-calamine releases the GIL there).
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
cli = importlib.import_module("tradecalc.cli.main")  # tradecalc.cli.main is also the function


def test_a_failed_import_is_quiet_and_raised_by_the_import_that_uses_it():
    cli._import_quietly(("tradecalc_no_such_module", "json"))
    with pytest.raises(ModuleNotFoundError, match="tradecalc_no_such_module"):
        __import__("tradecalc_no_such_module")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_derive_of_a_release_file_imports_in_a_thread_while_it_reads():
    # In a fresh process: the thread is started before the release is read, and the
    # derived table printed is the one of the release (Chongqing 2021 Q1: exports 112.32).
    code = (
        "import importlib, threading\n"
        "m = importlib.import_module('tradecalc.cli.main')\n"
        "seen = []\n"
        "load = m._load\n"
        "def spy(source, progress, alongside=None):\n"
        "    assert alongside is None\n"
        "    seen.extend(t.name for t in threading.enumerate())\n"
        "    return load(source, progress)\n"
        "m._load = spy\n"
        "code = m.main(['derive', 'workbooks/releases/chongqing-2021-q1.toml', '--format', 'csv'])\n"
        "assert 'tradecalc-imports' in seen, seen\n"
        "raise SystemExit(code)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert "112.32" in done.stdout


@pytest.mark.parametrize("command", ["derive", "check"])
def test_a_workbook_is_parsed_in_a_worker_while_pandas_is_imported(command, tmp_path):
    book = tmp_path / "book.xlsx"
    built = subprocess.run(
        [sys.executable, "-m", "tradecalc.cli.main", "build",
         "workbooks/releases/chongqing-2021-q1.toml", "-o", str(book)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    code = (
        "import importlib, sys\n"
        "m = importlib.import_module('tradecalc.cli.main')\n"
        "r = importlib.import_module('tradecalc.workbook.reader')\n"
        "events = []\n"
        "class Aside(r._ParseAside):\n"
        "    def __init__(self, values, sheet):\n"
        "        events.append(('parse', sheet))\n"
        "        super().__init__(values, sheet)\n"
        "    def join(self):\n"
        "        events.append(('join', self.sheet))\n"
        "        super().join()\n"
        "r._ParseAside = Aside\n"
        "quiet = m._import_quietly\n"
        "def spy(modules):\n"
        "    events.append(('imports', 'pandas' in sys.modules, modules))\n"
        "    quiet(modules)\n"
        "    events.append(('imported', 'pandas' in sys.modules))\n"
        "m._import_quietly = spy\n"
        f"code = m.main([{command!r}, {str(book)!r}, '--format', 'csv'])\n"
        "assert events[0] == ('parse', 'Figures'), events\n"
        "assert events[1][:2] == ('imports', False) and 'pandas' in events[1][2], events\n"
        "assert events[2] == ('imported', True), events\n"
        "assert events[3] == ('join', 'Figures'), events\n"
        "raise SystemExit(code if code != 1 else 0)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    # the figures are the release's: Chongqing 2021 Q1 exports 112.32 billion yuan
    if command == "derive":
        assert "112.32" in done.stdout
