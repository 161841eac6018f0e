"""A progress indicator for long work on a terminal, and nothing when piped."""
from __future__ import annotations

import contextlib
import sys

#: Below this many figures the work is instant; no indicator is shown.
THRESHOLD = 2000


@contextlib.contextmanager
def progress_note(description: str, total: int, stream=None):
    """Show a spinner on stderr while the block runs, if stderr is a terminal and the work is long."""
    stream = stream or sys.stderr
    if total < THRESHOLD or not stream.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.console import Console

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=Console(file=stream), transient=True) as p:
        yield p.add_task(description, total=None)
