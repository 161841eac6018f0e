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
import time

#: Seconds of work before the indicator appears.
DELAY = 0.5


class NullProgress:
    """Progress that shows nothing (piped output, short work)."""

    shown = False

    def phase(self, description: str, total: int | None = None) -> None:
        """Start a phase of work (nothing shown)."""
        pass

    def advance(self, n: int = 1) -> None:
        """Count ``n`` steps done (nothing shown)."""
        pass


NULL_PROGRESS = NullProgress()


def _delayed_progress(stream, delay: float):
    """A :class:`rich.progress.Progress` (rich's own refresh thread) that renders nothing for ``delay`` seconds."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class Count(ProgressColumn):  # "1200/3000", or nothing for a phase of unknown length
        def render(self, task):
            return Text(
                "" if task.total is None else f"{int(task.completed)}/{int(task.total)}",
                style="progress.download",
            )

    class Delayed(Progress):
        visible_at = time.monotonic() + delay
        shown = False

        def get_renderables(self):
            if time.monotonic() < self.visible_at:
                return  # quick work never flickers: nothing is drawn before the delay
            self.shown = True
            yield from super().get_renderables()

    console = Console(
        file=stream,
        force_terminal=True if os.environ.get("TRADECALC_PROGRESS") == "always" else None,
    )
    return Delayed(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        Count(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )


class TerminalProgress:
    """One rich progress line on ``stream``, drawn once the work has lasted ``delay`` seconds."""

    def __init__(self, stream, delay: float = DELAY):
        self.stream = stream
        self.delay = delay
        self._description, self._total, self._done = "working", None, 0
        self.finished: list[
            tuple[str, int | None, int]
        ] = []  # (phase, total, done) of earlier phases
        self._progress = None
        self._task = None

    @property
    def shown(self) -> bool:
        """Whether the line has been drawn (with ``delay=0``: as soon as it starts)."""
        return bool(self._progress is not None and (self._progress.shown or self.delay <= 0))

    # -- lifecycle
    def start(self):
        """Start the progress line (drawn after ``delay`` seconds); returns self."""
        self._progress = _delayed_progress(self.stream, self.delay)
        self._task = self._progress.add_task(
            self._description, total=self._total, completed=self._done
        )
        self._progress.start()
        if self.delay <= 0:
            self._progress.refresh()
        return self

    def close(self):
        """Stop and remove the progress line, if started."""
        if self._progress is not None:
            self._progress.stop()

    # -- reporting
    def phase(self, description: str, total: int | None = None) -> None:
        """Start phase ``description`` of ``total`` steps (None: unknown); the one before goes to :attr:`finished`."""
        self.finished.append((self._description, self._total, self._done))
        self._description, self._total, self._done = description, total, 0
        if self._progress is not None:
            # a task per phase: rich's update() cannot set a total back to None (unknown length)
            self._progress.remove_task(self._task)
            self._task = self._progress.add_task(description, total=total)
            if self._progress.shown:
                self._progress.refresh()  # every phase is drawn once, however quick (a few per run)

    def advance(self, n: int = 1) -> None:
        """Count ``n`` steps done in the phase (the line redrawn every 64 steps and at the end)."""
        self._done += n
        # rich takes a lock per update; every 64 rows is smooth enough for thousands
        if self._progress is not None and (self._done % 64 == 0 or self._done == self._total):
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
