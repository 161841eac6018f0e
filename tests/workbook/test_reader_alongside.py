"""``read_workbook(alongside=...)``: the Figures sheet is parsed in a worker while the caller's work runs.

The command line imports pandas there (issue 16); the release read is the same,
what the callable raises is its own, and the worker is joined whatever happens.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tradecalc.model.release import ReleaseError
from tradecalc.model.releasefile import to_dict
from tradecalc.workbook import reader

CHONGQING = Path(__file__).resolve().parents[2] / "workbooks" / "chongqing-2021-q1.xlsx"


def _parse_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tradecalc-parse"]


def test_alongside_runs_once_and_the_release_is_the_same():
    calls = []
    read = reader.read_workbook(CHONGQING, alongside=lambda: calls.append(1))
    assert calls == [1]
    assert to_dict(read) == to_dict(reader.read_workbook(CHONGQING))
    exports = next(f for f in read.figures if f.id == "exports")
    assert (exports.value, exports.yoy) == (112.32, 0.757)  # the release: up 75.7% to 112.32
    assert _parse_threads() == []


def test_alongside_runs_while_the_figures_sheet_is_parsed(monkeypatch):
    events = []

    class Aside(reader._ParseAside):
        def __init__(self, values, sheet):
            events.append(("parse", sheet))
            super().__init__(values, sheet)

        def grid(self, parts):
            events.append(("grid", self.sheet))
            return super().grid(parts)

    monkeypatch.setattr(reader, "_ParseAside", Aside)
    reader.read_workbook(CHONGQING, alongside=lambda: events.append(("alongside",)))
    assert events == [("parse", "Figures"), ("alongside",), ("grid", "Figures")]


def test_what_alongside_raises_is_raised_as_it_is_and_the_worker_is_joined():
    def fails():
        raise ModuleNotFoundError("No module named 'tradecalc_no_such_module'")

    with pytest.raises(ModuleNotFoundError, match="tradecalc_no_such_module"):
        reader.read_workbook(CHONGQING, alongside=fails)
    assert _parse_threads() == []


def test_a_failed_parse_in_the_worker_is_named_as_unreadable(monkeypatch):
    def broken(values, sheet):
        if sheet == "Figures":
            raise ValueError("a damaged sheet")
        return values.get_sheet_by_name(sheet).to_python(skip_empty_area=False)

    monkeypatch.setattr(reader, "_parse", broken)
    with pytest.raises(ReleaseError, match="cannot be read: ValueError: a damaged sheet"):
        reader.read_workbook(CHONGQING, alongside=lambda: None)
    assert _parse_threads() == []


def test_for_a_release_file_alongside_runs_once_before_it_is_read(monkeypatch):
    import tradecalc
    from tradecalc.model import releasefile

    events = []
    real = releasefile.load
    monkeypatch.setattr(releasefile, "load", lambda path: events.append("read") or real(path))
    toml = CHONGQING.parent / "releases" / "chongqing-2021-q1.toml"
    release = tradecalc.load(toml, alongside=lambda: events.append("alongside"))
    assert events == ["alongside", "read"]
    assert tradecalc.load(toml).figure("exports").value == 112.32  # up 75.7% to 112.32
    assert release.figure("exports").value == 112.32
