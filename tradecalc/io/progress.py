"""A progress indicator for long work on a terminal, and nothing when piped.

Long work is a workbook or release with thousands of figures: openpyxl's
full reader, then reading the rows, validating, deriving and checking. The
indicator goes to stderr, appears only when stderr is a terminal and the work
has lasted :data:`DELAY` seconds (quick runs never flicker), and disappears
when done (``transient``), so stdout holds only the requested output and
``tradecalc check book.xlsx --format csv > checks.csv`` still shows progress
while a fully piped run shows nothing extra.

``TRADECALC_PROGRESS=never`` turns it off; ``always`` shows it at once even
when stderr is not a terminal (for debugging).

Usage::

    with progress_for() as progress:
        progress.phase("reading figures", total=5000)
        for row in rows:
            ...
            progress.advance()
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time

#: Seconds of work before the indicator appears.
DELAY = 0.5


class NullProgress:
    """Progress that shows nothing (piped output, short work)."""

    shown = False

    def phase(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


NULL_PROGRESS = NullProgress()


class TerminalProgress:
    """One rich progress line on ``stream``, started after ``delay`` seconds."""

    def __init__(self, stream, delay: float = DELAY):
        self.stream = stream
        self.delay = delay
        self.shown = False
        self._lock = threading.Lock()
        self._closed = False
        self._description, self._total, self._done = "working", None, 0
        self.finished: list[tuple[str, int | None, int]] = []  # (phase, total, done) of earlier phases
        self._progress = None
        self._task = None
        self._timer = None
        self._t0 = time.monotonic()

    # -- lifecycle
    def start(self):
        if self.delay <= 0:
            self._show()
        else:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _show(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Count(ProgressColumn):  # "1200/3000", or nothing for a phase of unknown length
            def render(self, task):
                return Text("" if task.total is None else f"{int(task.completed)}/{int(task.total)}", style="progress.download")

        with self._lock:
            if self._closed or self._progress is not None:
                return
            console = Console(file=self.stream, force_terminal=True if os.environ.get("TRADECALC_PROGRESS") == "always" else None)
            p = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), Count(), TimeElapsedColumn(),
                         console=console, transient=True, redirect_stdout=False, redirect_stderr=False)
            self._task = p.add_task(self._description, total=self._total, completed=self._done)
            p.start()
            self._progress = p
            self.shown = True

    def close(self):
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._closed = True
            if self._progress is not None:
                self._progress.stop()

    # -- reporting
    def phase(self, description: str, total: int | None = None) -> None:
        with self._lock:
            self.finished.append((self._description, self._total, self._done))
            self._description, self._total, self._done = description, total, 0
            if self._progress is not None:
                self._progress.update(self._task, description=description, total=total, completed=0)

    def advance(self, n: int = 1) -> None:
        self._done += n
        # rich takes a lock per update; every 64 rows is smooth enough for thousands
        if self._progress is not None and (self._done % 64 == 0 or self._done == self._total):
            with self._lock:
                if self._progress is not None and not self._closed:
                    self._progress.update(self._task, completed=self._done)


def wanted(stream=None) -> bool:
    """Should progress be shown on ``stream`` (default stderr)?"""
    stream = stream or sys.stderr
    setting = os.environ.get("TRADECALC_PROGRESS", "").lower()
    if setting == "never":
        return False
    if setting == "always":
        return True
    try:
        return bool(stream.isatty()) and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def progress_for(*, stream=None, delay: float | None = None):
    """A progress reporter for a block of work: a terminal line, or nothing."""
    stream = stream or sys.stderr
    if not wanted(stream):
        yield NULL_PROGRESS
        return
    if delay is None:
        delay = 0.0 if os.environ.get("TRADECALC_PROGRESS", "").lower() == "always" else DELAY
    p = TerminalProgress(stream, delay=delay).start()
    try:
        yield p
    finally:
        p.close()
