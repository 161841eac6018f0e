"""The progress line is rich's own (no hand-written timer thread): drawn after the delay, gone when done."""

from __future__ import annotations

import io
import threading
import time

from tradecalc.io import progress as prog


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_quick_work_draws_nothing(monkeypatch):
    monkeypatch.delenv("TRADECALC_PROGRESS", raising=False)
    term = FakeTerminal()
    threads = threading.active_count()
    with prog.progress_for(stream=term, delay=30) as p:
        p.phase("reading figures", total=10)
        p.advance(10)
        assert not p.shown
    assert "reading figures" not in term.getvalue()
    time.sleep(0.05)
    assert threading.active_count() == threads  # rich's refresh thread ended with the block


def test_long_work_is_drawn_after_the_delay(monkeypatch):
    monkeypatch.delenv("TRADECALC_PROGRESS", raising=False)
    term = FakeTerminal()
    with prog.progress_for(stream=term, delay=0.05) as p:
        p.phase("checking 20000 figures")
        deadline = time.monotonic() + 5
        while not p.shown and time.monotonic() < deadline:
            time.sleep(0.02)  # rich refreshes 10 times a second
        assert p.shown
    assert "checking 20000 figures" in term.getvalue()
    assert [name for name, _, _ in p.finished] == ["working"]


def test_the_module_has_no_timer_thread():
    import inspect

    assert "threading" not in inspect.getsource(prog)


def test_every_phase_is_drawn_and_an_unknown_length_shows_no_count(monkeypatch):
    monkeypatch.delenv("TRADECALC_PROGRESS", raising=False)
    term = FakeTerminal()
    with prog.progress_for(stream=term, delay=0) as p:
        p.phase("reading figures", total=3022)
        p.advance(3022)
        p.phase("validating 3022 figures")  # quicker than rich's refresh: still drawn once
    frames = term.getvalue().split("\r")
    assert any("reading figures" in f for f in frames)
    validating = [f for f in frames if "validating 3022 figures" in f]
    assert validating and not any(
        "/3022" in f for f in validating
    )  # not the previous phase's count
