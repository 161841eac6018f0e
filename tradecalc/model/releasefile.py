"""Release files: TOML text, one ``[[figures]]`` table per figure.

TOML because it is plain, diffable text with a standard-library reader
(``tomllib``), typed dates and booleans, and no implicit conversions (YAML
would read ``24.00`` as the float 24 and lose the printed precision; here
numbers are written as printed text, ``value = "24.00"``).

Errors name the file, the line and the fix::

    chongqing.toml:line 57: figure 'exports' names unknown parent 'totl'. Fix: use the id of a figure in this release, or leave parent empty
"""

from __future__ import annotations

import re
from pathlib import Path

from tradecalc.io.limits import MAX_RELEASE_FILE_BYTES
from tradecalc.model.published import format_published, is_nan
from tradecalc.model.release import (
    BREAKDOWN_COLUMNS,
    FIGURE_COLUMNS,
    RELEASE_KEYS,
    STATEMENT_COLUMNS,
    Release,
    ReleaseError,
    from_records,
)

#: A release file larger than this is refused before parsing (bounded memory): the one limit, in io.limits.
MAX_BYTES = MAX_RELEASE_FILE_BYTES

_HEADER = re.compile(r"^\s*\[\[\s*(figures|breakdowns|statements)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_KINDS = ("figures", "breakdowns", "statements")
_KNOWN = {
    "figures": frozenset(FIGURE_COLUMNS),
    "breakdowns": frozenset(BREAKDOWN_COLUMNS),
    "statements": frozenset(STATEMENT_COLUMNS),
}
_PRINTED_KEYS = ("value", "yoy", "earlier_growth")


def _locate(text: str) -> dict[str, list[dict[str, int]]]:
    """Line numbers of each array-of-tables entry and of each key inside it.

    Run only when there is a problem to report (:func:`loads`): at 10^5 figures
    it took 13% of loading a valid file, whose lines nothing quotes.
    """
    where: dict[str, list[dict[str, int]]] = {k: [] for k in _KINDS}
    current = None
    for n, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m:
            current = {"": n}
            where[m.group(1)].append(current)
            continue
        if line.lstrip().startswith("["):
            current = None
            continue
        k = _KEY.match(line)
        if k and current is not None:
            current.setdefault(k.group(1), n)
    return where


def read_text(path) -> str:
    """The file's text through the one bounded reader (:func:`tradecalc.io.reader.read_text`).

    Its refusals (no such file, over :data:`MAX_BYTES`, a spreadsheet, binary,
    not UTF-8) keep their messages and become a :class:`ReleaseError`.
    """
    from tradecalc.errors import TradecalcError
    from tradecalc.io import reader

    try:
        return reader.read_text(Path(path), "a release file", MAX_BYTES)
    except TradecalcError as e:
        raise ReleaseError(e.source, e.problems) from None


def load(path) -> Release:
    """Load and validate a release file."""
    path = Path(path)
    text = read_text(path)
    return loads(text, source=str(path))


def parse_toml(text: str, source: str = "<text>") -> dict:
    """The TOML document as a dict, as ``tomllib.loads`` gives it, parsed by rtoml (compiled, 7× faster).

    A syntax error becomes a ReleaseError naming the line. rtoml (Rust) was chosen
    over tomllib for speed on customs-sized files (bench/README.md, section 7);
    tests/core/test_loading_toml.py checks it gives tomllib's result on every
    release file in the repository and on edge and hostile TOML.

    A long release is parsed :data:`PARSE_BLOCK` entries at a time (:func:`_blockwise`):
    rtoml holds its own copy of the whole document while it builds the Python one, about
    250 MiB at 10^5 figures on top of the 100 MiB the dict takes.
    """
    import rtoml

    try:
        data = _blockwise(text, rtoml.loads)
        return rtoml.loads(text) if data is None else data
    except rtoml.TomlParsingError as e:
        msg = " ".join(str(e).split())
        m = re.search(r"line (\d+)", msg)
        where = f"line {m.group(1)}" if m else "file"
        fix = "see the README's release-file format; quote numbers as printed"
        raise ReleaseError(source, [(where, f"not valid TOML: {msg}.", fix)]) from None


#: Entries (``[[figures]]``, ``[[breakdowns]]``, ``[[statements]]`` tables) parsed at a time by
#: :func:`_blockwise`; a file with fewer is parsed whole.
PARSE_BLOCK = 2048
#: A text shorter than this many characters per entry of a block is parsed whole.
_MIN_CHARS = 64
_LINE_OF_BRACKET = re.compile(r"^[ \t]*\[", re.M)
_ENTRY_LINE = re.compile(
    r"[ \t]*\[\[[ \t]*(figures|breakdowns|statements)[ \t]*\]\][ \t]*(?:#[^\r\n]*)?\r?"
)
_RELEASE_LINE = re.compile(r"[ \t]*\[[ \t]*release[ \t]*\][ \t]*(?:#[^\r\n]*)?\r?")


def _blockwise(text: str, parse) -> dict | None:
    """The document of a file made of plain entries, parsed a block of entries at a time; else None.

    Only for a file where every line that starts with ``[`` is a ``[release]``
    header before the first entry or an entry's ``[[figures]]``-style header,
    and no multi-line string (no triple quote): there each entry's text runs
    from its header to the next header, so the blocks, cut at headers, are
    the document's own entries, and concatenating their lists is the
    document. Anything else (a table or sub-table header, an array spread
    over lines starting with ``[``, a top-level ``figures`` key, a block that
    does not parse) gives None: the file is then parsed whole, which gives
    the document or the error the whole file gives.
    """
    cuts = _entry_cuts(text)
    if cuts is None:
        return None
    try:
        blocks = _parsed_blocks(text, cuts, parse)
        data = next(blocks)
        for block in blocks:
            for k, v in block.items():
                data.setdefault(k, []).extend(v)
    except _NotPlainEntries:
        return None
    return data


class _NotPlainEntries(Exception):
    """A block of a file cut at its entries is not entries: the file is to be parsed whole."""


def _entry_cuts(text: str) -> list[int] | None:
    """Where :func:`_blockwise` cuts the text: the head's end, then every PARSE_BLOCK-th entry; or None."""
    if len(text) < _MIN_CHARS * PARSE_BLOCK or "'''" in text or '"""' in text:
        return None
    if text.count("\r") != text.count("\r\n"):  # a lone CR: lines as TOML does not see them
        return None
    starts = []
    for m in _LINE_OF_BRACKET.finditer(text):
        end = text.find("\n", m.start())
        line = text[m.start() : end if end >= 0 else len(text)]
        if _ENTRY_LINE.fullmatch(line):
            starts.append(m.start())
        elif starts or not _RELEASE_LINE.fullmatch(line):
            return None
    if len(starts) <= PARSE_BLOCK:
        return None
    return [0, *starts[::PARSE_BLOCK], len(text)]


def _parsed_blocks(text: str, cuts: list[int], parse):
    """The head's document, then each block's, parsed one at a time (raises _NotPlainEntries)."""
    import rtoml

    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        try:
            block = parse(text[a:b])
        except rtoml.TomlParsingError:
            raise _NotPlainEntries from None
        if i == 0:
            if any(k in block for k in _KINDS):
                raise _NotPlainEntries
        elif not all(k in _KINDS and isinstance(v, list) for k, v in block.items()):
            raise _NotPlainEntries
        yield block


def loads(text: str, source: str = "<text>") -> Release:
    """Parse and validate release-file text.

    Lines are located only when there is a problem to report: a valid file is
    read once without them; a file with a problem is read again with each
    entry's and key's line, so every message names its line (the second pass
    gives the same problems, located). A release loaded without a problem has
    no line numbers (``Figure.where`` is the default, "figure").

    A long file of plain entries (:func:`_blockwise`) goes to the figures a
    block at a time (:func:`_streamed_release`): the parsed document is never
    whole in memory.
    """
    try:
        streamed = _streamed_release(text, source)
    except _NotPlainEntries:
        streamed = None  # parsed whole below
    except ReleaseError:
        data = parse_toml(text, source)  # the whole document, and its error if it has one
        return _release(data, source, _locate(text))  # raises, now with the lines
    if streamed is not None:
        return streamed
    data = parse_toml(text, source)
    try:
        return _release(data, source, None)
    except ReleaseError:
        return _release(data, source, _locate(text))  # raises, now with the lines


def _streamed_release(text: str, source: str) -> Release | None:
    """The release of a long file of plain entries, its figure records made a block at a time.

    The same release as :func:`_release` of the whole document: the blocks are
    the document's entries in order (:func:`_blockwise`), ``from_records`` reads
    the figures before it reads the breakdowns and statements, and those come
    from every block. Each block's parsed tables are released once its figures
    are made: at 10^5 figures a loaded release holds 114 MiB instead of 198, and the
    build peaks at 354 MiB instead of 413 (issue 16).
    None when the file is not one to cut; raises ``_NotPlainEntries`` when a
    block turns out not to be entries, or a ReleaseError (unlocated).
    """
    import rtoml

    cuts = _entry_cuts(text)
    if cuts is None:
        return None
    blocks = _parsed_blocks(text, cuts, rtoml.loads)
    head = next(blocks)
    later: dict[str, list] = {"breakdowns": [], "statements": []}

    def figures():
        for block in blocks:
            for kind, items in block.items():
                if kind == "figures":
                    yield from _records(block, kind, source, None)
                else:
                    later[kind].extend(items)

    def entries(kind):  # read by from_records once the figures, and so every block, are read
        yield from _records(later, kind, source, None)

    meta = _meta_table(head, source)
    return from_records(
        meta, figures(), entries("breakdowns"), entries("statements"), source=source
    )


def _release(data: dict, source: str, lines) -> Release:
    meta = _meta_table(data, source)
    return from_records(
        meta,
        _records(data, "figures", source, lines),
        _records(data, "breakdowns", source, lines),
        _records(data, "statements", source, lines),
        source=source,
    )


def _meta_table(data: dict, source: str) -> dict:
    """The document's ``[release]`` table; refused (before any entry is read) when there is none."""
    meta = data.get("release")
    if not isinstance(meta, dict):
        raise ReleaseError(
            source,
            [
                (
                    "file",
                    "there is no [release] table.",
                    "start the file with [release] and its id, title, unit ...",
                )
            ],
        )
    return meta


def _records(data: dict, kind: str, source: str, lines) -> list[dict]:
    """The ``[[kind]]`` tables as records; with ``lines``, each carries ``_where`` and ``_locs``.

    A bare TOML number or an unknown key is refused here; without ``lines``
    the refusal is raised unlocated, and :func:`loads` reads again with them.
    """
    items = data.get(kind, [])
    if not isinstance(items, list):
        raise ReleaseError(
            source,
            [
                (
                    "file",
                    f"{kind} must be written as [[{kind}]] tables.",
                    f"write each entry under its own [[{kind}]] header",
                )
            ],
        )
    known = _KNOWN[kind]
    located = lines[kind] if lines is not None else ()
    out = []
    for i, item in enumerate(items):
        loc = located[i] if i < len(located) else {"": 0}
        for k in _PRINTED_KEYS:
            v = item.get(k)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                # a TOML number has lost how it was printed ("24.00" reads as 24.0)
                # and, for a growth, whether 0.604 meant 60.4% or 0.604%
                example = '"60.4%"' if k != "value" else '"112.32"'
                raise ReleaseError(
                    source,
                    [
                        (
                            f"line {loc.get(k, loc[''])}",
                            f"{k} = {v!r} is a bare number, which loses how it was printed.",
                            f"quote it exactly as printed, e.g. {k} = {example}",
                        )
                    ],
                )
        unknown = item.keys() - known
        if unknown:
            k = next(k for k in item if k in unknown)  # the first in the file's order
            raise ReleaseError(
                source,
                [
                    (
                        f"line {loc.get(k, loc[''])}",
                        f"unknown key {k!r} in [[{kind}]].",
                        f"use one of: {', '.join(sorted(known))}",
                    )
                ],
            )
        if lines is None:
            out.append(item)  # read, never changed: no copy of each table of the document
            continue
        rec = dict(item)
        rec["_where"] = f"line {loc['']}"
        rec["_locs"] = {k: f"line {n}" for k, n in loc.items() if k}
        out.append(rec)
    return out


# --------------------------------------------------------------------------- writing


def _num(value, decimals, percent=False):
    if is_nan(value):
        return None
    return format_published(value, decimals, percent)


def to_dict(r: Release) -> dict:
    """The release as the dict a release file holds (numbers as printed text)."""
    return {key: value if key == "release" else list(value) for key, value in sections(r)}


def sections(r: Release):
    """The release file's tables in order, as (key, value): ``release``'s dict, then
    ``breakdowns``, ``figures``, ``statements`` (the first and last only when there are
    some), each an iterator of records made one at a time (so a fingerprint of 10^5
    figures does not hold them all).
    """
    yield "release", {k: r.meta[k] for k in RELEASE_KEYS if r.meta.get(k)}
    if r.breakdowns:
        yield (
            "breakdowns",
            ({k: getattr(b, k) for k in BREAKDOWN_COLUMNS if getattr(b, k)} for b in r.breakdowns),
        )
    yield "figures", (_figure_record(f, r.unit) for f in r.figures)
    if r.statements:
        yield "statements", (_statement_record(s) for s in r.statements)


def _figure_record(f, unit: str) -> dict:
    d = {
        "id": f.id,
        "label": f.label,
        "period": f.period,
        "flow": f.flow,
        "series": f.series,
        "breakdown": f.breakdown,
        "parent": f.parent,
        "value": _num(f.value, f.value_decimals),
        "unit": f.unit if f.unit != unit else "",
        "yoy": f.yoy_text() if f.yoy_reading else _num(f.yoy, f.yoy_decimals, True),
        "earlier_growth": _num(f.earlier_growth, f.earlier_growth_decimals, True),
        "earlier_period": f.earlier_period,
        "sentence": f.sentence,
        "growth_sentence": f.growth_sentence,
        "review": f.review,
        "value_qualifier": f.value_qualifier,
        "yoy_qualifier": f.yoy_qualifier,
        "yoy_reading": f.yoy_reading,
    }
    return {k: v for k, v in d.items() if v not in (None, "")}


def _statement_record(s) -> dict:
    d = {
        "id": s.id,
        "kind": s.kind,
        "figure": s.figure,
        "value": _num(s.value, s.value_decimals, s.kind == "share"),
        "unit": s.unit,
        "approximate": s.approximate or None,
        "reference": s.reference,
        "sentence": s.sentence,
        "review": s.review,
    }
    return {k: v for k, v in d.items() if v not in (None, "")}


def dumps(r: Release, header: str = "") -> str:
    """The release as release-file TOML text, ``header`` written first as comment lines."""
    import tomli_w

    body = tomli_w.dumps(to_dict(r), multiline_strings=False)
    lead = "".join(f"# {line}\n" for line in header.splitlines()) + ("\n" if header else "")
    return lead + body


def save(r: Release, path, *, force: bool = False, header: str = "") -> Path:
    """Write a release file atomically; refuse to overwrite unless ``force``."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to overwrite it")
    text = dumps(r, header)
    loads(text, source=str(path))  # what we write must load back
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


from tradecalc.io.atomic import atomic_write_bytes, remove_stale_temporaries  # noqa: E402,F401  (moved; kept importable here)
