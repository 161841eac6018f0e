"""The CLI imports the analysis modules in a thread while it reads the input (issue 16)."""

import importlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
cli = importlib.import_module("tradecalc.cli.main")  # tradecalc.cli.main is also the function


def _join_import_threads():
    for t in threading.enumerate():
        if t.name == "tradecalc-imports":
            t.join(timeout=60)


def test_a_failed_import_in_the_thread_is_raised_by_the_main_threads_own_import():
    cli._import_while_reading("tradecalc_no_such_module")
    _join_import_threads()
    with pytest.raises(ModuleNotFoundError, match="tradecalc_no_such_module"):
        __import__("tradecalc_no_such_module")


def test_derive_imports_the_analysis_while_it_reads():
    # In a fresh process: the thread is started before the release is read, and the
    # derived table printed is the one of the release (Chongqing 2021 Q1: exports 112.32).
    code = (
        "import importlib, threading\n"
        "m = importlib.import_module('tradecalc.cli.main')\n"
        "seen = []\n"
        "load = m._load\n"
        "def spy(source, progress):\n"
        "    seen.extend(t.name for t in threading.enumerate())\n"
        "    return load(source, progress)\n"
        "m._load = spy\n"
        "code = m.main(['derive', 'workbooks/releases/chongqing-2021-q1.toml', '--format', 'csv'])\n"
        "assert 'tradecalc-imports' in seen, seen\n"
        "raise SystemExit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "112.32" in done.stdout
