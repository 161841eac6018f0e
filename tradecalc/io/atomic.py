"""Atomic file writes: the target is the old file or the new one, never half of either.

The bytes go to a hidden temporary file beside the target, are flushed to
disk, and the temporary is renamed over the target. Around that:

* **the target's mode is kept** (a 0600 workbook stays 0600); a new file gets
  the usual ``0666 & ~umask``;
* **a symlink is written through**: the file it points to is replaced, the
  link stays a link (a dangling link is refused, saying so);
* **a save by another program is not overwritten**: the target's identity
  (inode, size, modification time) is taken when the write starts, or passed
  in by a caller that looked at the file earlier (``build`` reads the old
  workbook to see whether it was edited), and compared again just before the
  rename; if Excel saved it meanwhile, nothing is replaced and the new bytes
  are dropped. A workbook open in Excel or LibreOffice (its lock file
  ``~$NAME`` or ``.~lock.NAME#`` beside it) is refused;
* **the temporary name fits** in 255 bytes: for a long target name
  (251 characters is legal) the hidden name is shortened with a hash;
* a write killed before the rename leaves its temporary beside the target and
  the target untouched; the next write removes leftovers whose process is gone.

Errors are :class:`tradecalc.errors.BadInput` naming the target or its folder,
never the temporary file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, NamedTuple

from tradecalc.errors import BadInput, problem

#: Longest file name (bytes) on the file systems in use (ext4, APFS, NTFS).
NAME_MAX = 255
_TMP_MARK = ".tmp-"


class FileState(NamedTuple):
    """What identifies one version of a file: a save by Excel changes at least one field."""

    device: int
    inode: int
    size: int
    mtime_ns: int


def file_state(path) -> FileState | None:
    """The identity of the file at ``path`` now (following links), or None if there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return FileState(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _fit(name: str, budget: int) -> str:
    """``name`` cut to ``budget`` UTF-8 bytes plus a hash of the whole, when it is longer."""
    raw = name.encode("utf-8", "surrogateescape")
    if len(raw) <= budget:
        return name
    digest = hashlib.sha1(raw).hexdigest()[:8]
    cut = raw[: budget - 9].decode("utf-8", "ignore")
    return f"{cut}~{digest}"


def temporary_stem(path) -> str:
    """The hidden name's part before the process id: ``.NAME.tmp-`` (shortened if NAME is long).

    >>> temporary_stem("workbooks/chongqing-2021-q1.xlsx")
    '.chongqing-2021-q1.xlsx.tmp-'
    >>> len(temporary_stem("x" * 251).encode()) + len("4194304") <= 255
    True
    """
    pid_room = 10  # a 32-bit process id has at most 10 digits
    budget = NAME_MAX - 1 - len(_TMP_MARK) - pid_room
    return f".{_fit(Path(path).name, budget)}{_TMP_MARK}"


def temporary_path(path, pid: int | None = None) -> Path:
    """The hidden temporary file beside ``path`` to write before renaming: ``.NAME.tmp-PID``."""
    path = Path(path)
    return path.with_name(f"{temporary_stem(path)}{os.getpid() if pid is None else pid}")


def open_elsewhere(path) -> Path | None:
    """The lock file Excel (``~$NAME``) or LibreOffice (``.~lock.NAME#``) keeps beside an open file."""
    path = Path(path)
    for lock in (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")):
        if lock.name.encode("utf-8", "surrogateescape").__len__() <= NAME_MAX and lock.exists():
            return lock
    return None


def resolve_target(path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the file its symlink(s) name."""
    path = Path(path)
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if not real.exists():
        raise problem(
            path,
            f"this is a symbolic link to {str(real)!r}, which does not exist; nothing was written.",
            "point the link at an existing file, or remove the link",
        )
    if real.is_dir():
        raise problem(
            path, "this is a symbolic link to a folder; nothing was written.", "give a file name"
        )
    return real


def atomic_write_bytes(
    path, data: bytes, *, unchanged_since: FileState | None | bool = True
) -> None:
    """Write ``data`` to ``path`` atomically, keeping its mode, through a symlink.

    ``unchanged_since``: the :func:`file_state` the caller saw (``None``: there
    was no file); the default ``True`` takes it now. If the target differs
    just before the rename, nothing is replaced (:class:`BadInput`).
    """
    atomic_write(path, lambda fh: fh.write(data), unchanged_since=unchanged_since)


def atomic_write(
    path,
    write: Callable[[BinaryIO], object],
    *,
    unchanged_since: FileState | None | bool = True,
    verify: Callable[[Path], None] | None = None,
) -> None:
    """:func:`atomic_write_bytes` of what ``write(fh)`` writes into the temporary file.

    The content is never held whole in memory (``tradecalc build`` streams a
    workbook of 50 MB into it). ``verify(temporary path)`` runs on the written file
    before the rename; what it raises leaves the target as it was.
    """
    shown = Path(path)
    target = resolve_target(shown)
    expected = file_state(target) if unchanged_since is True else unchanged_since
    _refuse_if_open(shown, target)
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise problem(
            shown,
            f"cannot create the folder {str(folder)!r} ({e.strerror or e}).",
            "choose a folder you can write in",
        ) from None
    remove_stale_temporaries(target)
    mode = _mode_for(target)
    tmp = temporary_path(target)
    try:
        _write_temporary(shown, folder, tmp, mode, write)
        if verify is not None:
            # a save made meanwhile is told as such, not as what verify finds in it
            try:
                _refuse_if_changed(shown, target, expected)
            except OSError as e:
                raise _could_not_write(shown, e) from None
            verify(tmp)  # its own errors, even an OSError, are the caller's to tell
        _replace_if_unchanged(shown, folder, tmp, target, expected)
    finally:
        if tmp.exists():
            tmp.unlink()


def _could_not_write(shown: Path, e: OSError):
    reason = e.strerror or type(e).__name__
    if e.filename and not Path(e.filename).name.startswith("."):  # not the hidden temporary
        reason += f": {e.filename}"  # elsewhere (a build's scratch folder): say where
    return problem(
        shown,
        f"could not write the file ({reason}).",
        "check the disk space and the folder's permissions",
    )


def _write_temporary(shown: Path, folder: Path, tmp: Path, mode: int, write) -> None:
    """The new content, in the temporary file ``tmp``, flushed to disk with the target's mode."""
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as e:
        raise problem(
            shown,
            f"cannot write in the folder {str(folder)!r} ({e.strerror or e}).",
            "choose a folder you can write in, or check its permissions",
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
        if not hasattr(os, "fchmod"):
            os.chmod(tmp, mode)
    except OSError as e:
        raise _could_not_write(shown, e) from None


def _refuse_if_open(shown: Path, target: Path) -> None:
    lock = open_elsewhere(target)
    if lock is not None:
        raise problem(
            shown,
            f"the file is open in another program (its lock file {lock.name!r} is beside it); "
            "nothing was written.",
            "close it (in Excel: File > Close), then run the command again",
        )


def _refuse_if_changed(shown: Path, target: Path, expected) -> None:
    now = file_state(target)
    if now != expected:
        what = (
            "was created" if expected is None else "was removed" if now is None else "was changed"
        )
        raise problem(
            shown,
            f"the file {what} by another program while tradecalc was writing it "
            "(saved in Excel?); it was left as that program wrote it.",
            "close it in the other program, then run the command again",
        )


def _replace_if_unchanged(shown: Path, folder: Path, tmp: Path, target: Path, expected) -> None:
    """Rename ``tmp`` over ``target`` unless the target changed since ``expected`` was taken."""
    try:
        _refuse_if_changed(shown, target, expected)
        _refuse_if_open(shown, target)  # again: the file may have been opened while it was made
        os.replace(tmp, target)
        _fsync_folder(folder)
    except OSError as e:
        raise _could_not_write(shown, e) from None


def _mode_for(target: Path) -> int:
    """The existing file's permission bits, or ``0666 & ~umask`` for a new file."""
    try:
        return os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(path) -> list[Path]:
    """Delete the hidden temporaries beside ``path`` left by processes that are gone."""
    path = Path(path)
    stem = temporary_stem(path)
    removed = []
    try:
        candidates = [p for p in path.parent.iterdir() if p.name.startswith(stem)]
    except OSError:
        return removed
    for tmp in candidates:
        pid = pid_of(tmp.name[len(stem) :])
        if pid is None or pid == os.getpid() or process_alive(pid):
            continue
        try:
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass
    return removed


def pid_of(text: str) -> int | None:
    """The process id a leftover's name ends with: ASCII digits, at most 10 (else None, kept).

    A name is anyone's to make in a shared folder: "²" passes ``str.isdigit`` and
    20 digits overflow ``os.kill``; neither may stop a write.
    """
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    return int(text)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (or may run: another user's); a leftover of it is kept."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):  # Windows: an invalid pid; a pid beyond the C type
        return False
    return True


__all__ = [
    "BadInput",
    "FileState",
    "atomic_write_bytes",
    "file_state",
    "process_alive",
    "remove_stale_temporaries",
    "resolve_target",
    "temporary_path",
    "temporary_stem",
    "open_elsewhere",
]
