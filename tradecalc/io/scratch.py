"""Scratch folders: private folders in the system's temporary folder, removed when done.

``tradecalc build`` lets XlsxWriter write the workbook's parts to files there rather
than hold them in memory (the shared strings' XML of a 10^5-figure workbook: 26 MiB,
issue 16). A build killed by SIGKILL cannot remove its folder; its name carries the
process id (``tradecalc-scratch-<pid>-<random>``), so the next scratch folder made
removes those of processes that are gone, as :func:`tradecalc.io.atomic.remove_stale_temporaries`
does for the temporaries beside a target. Only folders of that name, owned by this
user and not symbolic links, are ever removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tradecalc.io.atomic import pid_of, process_alive

PREFIX = "tradecalc-scratch-"


@contextlib.contextmanager
def scratch_folder(base: str | Path | None = None) -> Iterator[Path]:
    """A new private folder (mode 0700) in ``base`` (default: the system's temporary folder),
    removed with its content when the block ends, however it ends."""
    base = Path(base if base is not None else tempfile.gettempdir())
    remove_stale_scratch(base)
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_scratch(base: str | Path) -> list[Path]:
    """Remove the scratch folders in ``base`` of processes that are gone; the removed ones."""
    removed = []
    try:
        entries = [p for p in Path(base).iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    for path in entries:
        pid = pid_of(path.name[len(PREFIX) :].split("-", 1)[0])
        if pid is None or pid == os.getpid() or process_alive(pid):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != _uid():
            continue  # a link, a file or another user's: not ours to remove
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else 0


__all__ = ["PREFIX", "remove_stale_scratch", "scratch_folder"]
