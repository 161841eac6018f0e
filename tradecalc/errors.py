"""The errors tradecalc raises on purpose; anything else is a bug.

``TradecalcError``
    the base: the command line reports it with its file, line and fix and
    exits with code 2 (:data:`tradecalc.cli.main.EXIT_BAD_INPUT`).
``BadInput`` (also a ``ValueError``)
    input that does not make sense: a list of :class:`Problem`, each
    ``(where, message, fix)``. The release model's ``ReleaseError`` is one.
``UnsafeFile``
    a file refused before a parser sees it: a zip or XML bomb, an OLE
    (encrypted or legacy) file, a file over its size limit.
``TimeLimit``
    work stopped at its wall-clock deadline.

A ``Problem`` unpacks like the 3-tuples used before it::

    >>> where, message, fix = Problem("line 12", "value: not a number: 'x'.", 'write it as printed, e.g. "112.32"')
    >>> str(BadInput("chongqing.toml", [(where, message, fix)]))
    'chongqing.toml:line 12: value: not a number: \\'x\\'. Fix: write it as printed, e.g. "112.32"'
"""

from __future__ import annotations

from typing import NamedTuple

#: Longest piece of user input quoted in a message (an id of 200,000 characters gives a short line).
QUOTE_CHARS = 80


class Problem(NamedTuple):
    """One thing wrong with an input: where (``"line 12"``, ``"Figures!C5"``, ``"file"``), what, how to fix it."""

    where: str
    message: str
    fix: str = ""

    def line(self, source: str) -> str:
        """``source:where: message Fix: fix`` on one line."""
        return f"{source}:{self.where}: {self.message}" + (f" Fix: {self.fix}" if self.fix else "")


def quote(value, limit: int = QUOTE_CHARS) -> str:
    """``repr`` of user input, cut to ``limit`` characters with the length said.

    >>> quote("x" * 200_000)[-30:]
    "xxxxxxxx'… (200000 characters)"
    >>> quote("exports")
    "'exports'"
    """
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text)} characters)"


class TradecalcError(Exception):
    """Base of the errors tradecalc raises on purpose: ``source`` and its ``problems``."""

    def __init__(self, source, problems):
        self.source = str(source)
        self.problems = [p if isinstance(p, Problem) else Problem(*p) for p in problems]
        super().__init__("\n".join(p.line(self.source) for p in self.problems))


class BadInput(TradecalcError, ValueError):
    """Input that does not make sense, with every problem found (where, message, fix)."""


class UnsafeFile(TradecalcError):
    """A file refused before it is parsed: zip/XML bomb, OLE or encrypted file, oversize."""


class TimeLimit(TradecalcError):
    """Work stopped at its deadline (wall clock)."""


def problem(
    source, message: str, fix: str = "", *, where: str = "file", kind=BadInput
) -> TradecalcError:
    """One-problem error: ``raise problem(path, "no such file.", "check the path")``."""
    return kind(source, [Problem(where, message, fix)])
