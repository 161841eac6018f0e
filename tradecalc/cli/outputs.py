"""Where a command may write: one set of output-path rules for ``derive``, ``check``, ``build``, ``pull``, ``extract``.

:func:`output_path` refuses, before any work is done, and naming only the
paths the user typed:

* ``-o -`` where the command cannot write to stdout (a workbook), and an empty name;
* a folder (``-o .``, ``-o reports/``, ``-o DIR``): the message suggests a file name in it;
* a suffix the command does not write (``pull -o q1.xlsx``: a workbook is built, not pulled);
* the same file as an input, also through a symlink or a hard link (never, even with ``--force``);
* an existing file without ``--force`` (``build`` passes ``inspect`` instead: an
  unedited workbook it wrote may be rebuilt, anything else needs ``--force``);
* a folder that does not exist or that the user may not write in.

:func:`write_output` then writes atomically (:mod:`tradecalc.io.atomic`) or to stdout.

Example: ``tradecalc check q1.toml -o q1.toml`` says::

    error: q1.toml:file: this is the input itself (check reads it); it was not overwritten. Fix: write the output to another file, e.g. -o q1-checks.csv
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from tradecalc.errors import BadInput, TradecalcError, problem, quote
from tradecalc.io.atomic import FileState, atomic_write_bytes, file_state

STDOUT = "-"
#: What each command writes: allowed suffixes (None: any), whether ``-o -`` means stdout, an example name.
RULES = {
    "derive": ((".csv", ".json", ".md", ".markdown", ".txt", ""), True, "{stem}-derived.csv"),
    "check": ((".csv", ".json", ".md", ".markdown", ".txt", ""), True, "{stem}-checks.csv"),
    "build": ((".xlsx", ".xlsm"), False, "{stem}.xlsx"),
    "pull": ((".toml",), True, "{stem}.toml"),
    # extract prints its notes on stderr and could write the release on stdout; its command does not yet
    "extract": ((".toml",), False, "{stem}.toml"),
}
_KIND = {
    "derive": "a table (.csv, .json, .md or .txt)",
    "check": "a table (.csv, .json, .md or .txt)",
    "build": "a workbook (.xlsm or .xlsx)",
    "pull": "a release file (.toml)",
    "extract": "a release file (.toml)",
}


class Output(os.PathLike):
    """A checked output: a file path, or stdout (``path is None``), and the file's state when checked."""

    def __init__(self, path: Path | None, state: FileState | None):
        self.path, self.state = path, state

    @property
    def is_stdout(self) -> bool:
        """Whether the output is standard output (``-o -``) rather than a file."""
        return self.path is None

    def __fspath__(self) -> str:
        return STDOUT if self.path is None else os.fspath(self.path)

    def __repr__(self) -> str:
        return f"Output({self.__fspath__()!r})"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and (os.path.samefile(a, b) or a.resolve() == b.resolve())
    except OSError:
        return False


def _example(command: str, inputs: Iterable) -> str:
    stem = next((Path(i).stem for i in inputs if i), "release")
    return RULES[command][2].format(stem=stem)


def output_path(
    output,
    command: str,
    *,
    inputs: Iterable = (),
    force: bool = False,
    inspect: Callable[[Path], None] | None = None,
) -> Output:
    """Check ``-o OUTPUT`` for ``command`` before any work; raise :class:`BadInput` saying why not.

    ``inputs``: the files the command reads (never overwritten). ``inspect``:
    for a command that may replace an existing file of its own (``build``),
    called on the existing file instead of refusing it; its refusal
    (a :class:`TradecalcError`) is repeated with the hint ``--force``.
    """
    suffixes, stdout_ok, _ = RULES[command]
    inputs = [Path(i) for i in inputs if i]
    example = _example(command, inputs)
    text = os.fspath(output) if output is not None else ""
    if text == STDOUT:
        if not stdout_ok:
            raise problem(
                STDOUT,
                f"{command} writes {_KIND[command]} to a file, not to the terminal.",
                f"give a file name, e.g. -o {example}",
                where="-o",
            )
        return Output(None, None)
    if not text.strip():
        raise problem(
            "-o",
            "the output name is empty.",
            f"give a file name, e.g. -o {example}",
            where="option",
        )
    shown = quote(text) if len(text) > 200 else text
    path = Path(text)
    if path.is_dir() or text.endswith(("/", os.sep)):
        raise problem(
            shown,
            f"this is a folder; {command} writes one file.",
            f"give a file name in it, e.g. -o {path / example}",
        )
    for source in inputs:
        if _same_file(path, source):
            raise problem(
                shown,
                f"this is the input itself ({command} reads it); it was not overwritten.",
                f"write the output to another file, e.g. -o {example}",
            )
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise problem(
            shown,
            f"{command} writes {_KIND[command]}, and {path.suffix or 'a name without a suffix'} "
            "is not one.",
            f"name it like {example}",
        )
    if path.is_symlink() and not path.exists():
        raise problem(
            shown,
            "this is a symbolic link to a file that does not exist; nothing was written.",
            "point the link at an existing file, or remove the link",
        )
    state = file_state(path)
    if state is not None and not path.is_file():
        raise problem(shown, "this is not a regular file (a device or a pipe).", "give a file name")
    if state is not None and not force:
        if inspect is None:
            raise problem(
                shown,
                "the file exists; it was not overwritten.",
                "pass --force to overwrite it, or choose another name",
            )
        try:
            inspect(path)
        except TradecalcError as e:
            first = e.problems[0].message if e.problems else str(e)
            raise problem(
                shown,
                f"the file exists and is not a workbook tradecalc can rebuild ({first}); "
                "it was not overwritten.",
                "pass --force to overwrite it, or choose another name",
            ) from None
    folder = _existing_folder(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise problem(
            shown,
            f"cannot write in the folder {str(folder)!r} (permission denied).",
            "choose a folder you can write in",
        )
    return Output(path, state)


def _existing_folder(path: Path) -> Path:
    """The nearest folder of ``path`` that exists (the writer creates the rest)."""
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def write_output(output: Output, data: bytes | str, *, stream=None) -> None:
    """Write to the checked file atomically (refusing if it changed since it was checked), or to stdout."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if output.is_stdout:
        out = stream or sys.stdout
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
        return
    atomic_write_bytes(output.path, data, unchanged_since=output.state)


__all__ = ["BadInput", "Output", "output_path", "write_output", "RULES", "STDOUT"]
