"""File guards: hostile or broken input files are refused before a parser sees them.

Workbooks and release texts arrive by email and from the web. Each guard
raises :class:`tradecalc.errors.UnsafeFile` (a bomb, an OLE file, oversize) or
:class:`tradecalc.errors.BadInput` (not a workbook, damaged; both exit code 2 in the command
line) with a one-line reason and a fix, and works in bounded time and memory:

:func:`check_workbook_file` (``derive``/``check``/``pull`` on a workbook, and
``build`` when it looks at the workbook it would replace)
    * the file is at most :data:`MAX_WORKBOOK_BYTES`;
    * its first bytes say what it is: an OLE compound file (``D0 CF 11 E0``)
      is a password-protected workbook (Excel encrypts .xlsx into one) or a
      legacy .xls; a PDF, an OpenDocument file or anything not a zip is
      named as such;
    * the zip's central directory is read first (entry count, declared sizes,
      compression method, encryption), so a zip bomb is refused before a byte
      is inflated: at most :data:`MAX_MEMBERS` members, :data:`MAX_UNPACKED_BYTES`
      inflated in total, no member inflating more than :data:`MAX_RATIO` times;
    * at most :data:`MAX_CELLS` cells, counted while streaming;
    * the declared sizes can lie, so every member is then inflated in 1 MiB
      chunks, counting, and the count stops at the limit; a member that
      inflates past its declared size fails its CRC check and is refused as
      damaged;
    * while streaming, XML parts are scanned for ``<!DOCTYPE``/``<!ENTITY``:
      Excel never writes a DTD, and without one there is no entity expansion
      (billion laughs, quadratic blow-up). Behind that, the workbook reader's
      python-calamine expands no declared entity (tested) and the Table parts
      are parsed with defusedxml, which forbids entities a second time.

:func:`read_release_text` (``extract``)
    at most :data:`MAX_TEXT_BYTES`; PDF, zip/Office, OLE and other binary
    files are named; UTF-8 (with or without BOM) or UTF-16 with a BOM.

:func:`deadline`
    a wall-clock limit (POSIX main thread) for work whose time is not bounded
    by the input's size alone (the text extractor).

The limits themselves are in :mod:`tradecalc.io.limits` (re-exported here),
sized so that every workbook ``build`` writes is admitted; the file reading
is :mod:`tradecalc.io.reader`.

Example: the Chongqing Q1 2021 template workbook (54 kB, 47 members, 0.3 MB
inflated, 1 361 cells) passes in 5 ms; a 2 MB .xlsx whose Figures sheet
inflates to 2 GiB is refused from its directory, before anything is inflated::

    bomb.xlsx:file: the member 'xl/worksheets/sheet3.xml' would inflate 1010 times, from 2125977 bytes to 2048 MiB: a zip bomb. Fix: open it in Excel and save it as .xlsx or .xlsm, or use a workbook written by `tradecalc build`
"""

from __future__ import annotations

import contextlib
import re
import signal
import struct
import threading
import zipfile
from pathlib import Path

from tradecalc.errors import BadInput, TimeLimit, TradecalcError, UnsafeFile, problem
from tradecalc.io.limits import (  # noqa: F401  (re-exported: the limits' old home)
    EXTRACT_SECONDS,
    MAX_CELLS,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TEXT_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_WORKBOOK_BYTES,
    RATIO_FLOOR,
    mib,
)
from tradecalc.io.reader import decode_text, describe_bytes, head, read_bytes, regular_file  # noqa: F401

_RATIO_FLOOR = RATIO_FLOOR
_CHUNK = 2**20
_DTD_MARKERS = tuple(
    m
    for s in ("<!DOCTYPE", "<!ENTITY")
    for m in (s.encode("ascii"), s.encode("utf-16-le"), s.encode("utf-16-be"))
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s/>]"
)  # a cell element, with or without a namespace prefix
_NOT_CELL = re.compile(rb"<c(?![\s/>])")  # <col, <cfRule..., or "<c" ending the text
_WORKBOOK_FIX = (
    "open it in Excel and save it as .xlsx or .xlsm, or use a workbook written by `tradecalc build`"
)


def _refuse(path, message: str, fix: str) -> UnsafeFile:
    return problem(path, message, fix, kind=UnsafeFile)


def _bad(path, message: str, fix: str) -> BadInput:
    return problem(path, message, fix)


_mib = mib


# --------------------------------------------------------------------------- workbooks


def check_workbook_file(path, *, keep=None, chunks: bool = False) -> dict[str, bytes | list[bytes]]:
    """Refuse a file that is not a sound, reasonably sized .xlsx/.xlsm zip.

    Raises :class:`UnsafeFile` or :class:`BadInput` naming what the file is and how to fix it.
    Reads the zip directory, then inflates each member once in bounded
    chunks; nothing is kept in memory beyond one chunk, unless ``keep(member
    name)`` says so: those members' chunks are kept once counted (so at most
    :data:`MAX_UNPACKED_BYTES` in all) and returned, member name → inflated
    bytes, when the whole file has passed; the reader then does not inflate
    them a second time. Without ``keep``: ``{}``. ``chunks=True``: each kept
    member as the list of its chunks, for the caller to join only the members
    it reads (joining copies them: 23 MB for the sheets of 10^4 figures).
    """
    path = Path(path)
    regular_file(path, "a template workbook", MAX_WORKBOOK_BYTES)
    first = head(path)
    kind = describe_bytes(first)
    if kind and kind.startswith("an OLE"):
        raise _refuse(
            path,
            "the workbook is password-protected or a legacy .xls (an OLE compound file, not an .xlsx zip); "
            "tradecalc cannot read encrypted or .xls workbooks.",
            "in Excel remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) "
            "and save as .xlsx or .xlsm",
        )
    if kind != "a zip file":
        what = kind or ("an empty file" if not first else "not a zip file")
        raise _bad(
            path,
            f"not an Excel workbook: the file is {what} (.xlsx/.xlsm files are zip files).",
            _WORKBOOK_FIX,
        )
    infos = _zip_directory(path)
    names = {i.filename for i in infos}
    if not any(n.startswith("xl/") for n in names):
        other = (
            "an OpenDocument file"
            if "mimetype" in names
            else "a Word document"
            if any(n.startswith("word/") for n in names)
            else "a PowerPoint file"
            if any(n.startswith("ppt/") for n in names)
            else "a zip archive"
        )
        raise _bad(
            path,
            f"not an Excel workbook: the file is {other} (it has no workbook part xl/).",
            _WORKBOOK_FIX,
        )
    if "[Content_Types].xml" not in names:
        raise _bad(
            path, "not an Excel workbook: a zip file without [Content_Types].xml.", _WORKBOOK_FIX
        )
    return _stream_members(path, keep, chunks)


def _central_directory_counts(path: Path) -> tuple[int, int] | None:
    """(entries, directory bytes) from the end-of-central-directory record, before zipfile builds its list."""
    end = getattr(zipfile, "_EndRecData", None)
    if end is None:  # a future Python without the helper: zipfile's own reading still applies
        return None
    with open(path, "rb") as fh:
        rec = end(fh)
    if not rec:
        return None
    return int(rec[zipfile._ECD_ENTRIES_TOTAL]), int(rec[zipfile._ECD_SIZE])


def _zip_directory(path: Path) -> list[zipfile.ZipInfo]:
    """The zip's members, refused on their declared counts and sizes."""
    counts = _central_directory_counts(path)
    if counts is None:
        raise _bad(
            path, "not an Excel workbook: a damaged zip file (no central directory).", _WORKBOOK_FIX
        )
    entries, _ = counts
    if entries > MAX_MEMBERS:
        raise _refuse(
            path,
            f"the zip file has {entries} members (limit {MAX_MEMBERS}): not a template workbook.",
            _WORKBOOK_FIX,
        )
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        struct.error,
        EOFError,
    ) as e:
        raise _bad(
            path, f"not an Excel workbook: a damaged zip file ({e}).", _WORKBOOK_FIX
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise _refuse(
            path,
            f"the zip file has {len(infos)} members (limit {MAX_MEMBERS}): not a template workbook.",
            _WORKBOOK_FIX,
        )
    total = 0
    for i in infos:
        if i.flag_bits & 0x1:
            raise _refuse(
                path,
                f"the member {i.filename!r} is encrypted: a password-protected zip is not an Excel workbook.",
                _WORKBOOK_FIX,
            )
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                path,
                f"the member {i.filename!r} uses zip compression method {i.compress_type}, which Excel never writes.",
                _WORKBOOK_FIX,
            )
        total += i.file_size
        if i.file_size > _RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _refuse(
                path,
                f"the member {i.filename!r} would inflate {i.file_size // max(i.compress_size, 1)} times, "
                f"from {i.compress_size} bytes to {_mib(i.file_size)}: a zip bomb.",
                _WORKBOOK_FIX,
            )
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(
            path,
            f"the workbook would inflate to {_mib(total)} (limit {_mib(MAX_UNPACKED_BYTES)}): "
            "a zip bomb or not a template workbook.",
            _WORKBOOK_FIX,
        )
    return infos


def _cell_count(xml: bytes) -> int:
    """``len(_CELL.findall(xml))``, counted in C: without ":c" no cell has a prefix.

    >>> _cell_count(b'<cols><col min="1"/></cols><c r="A1"><v>1</v></c><c r="B1"/>')
    2
    """
    if b":c" in xml:
        return len(_CELL.findall(xml))
    return xml.count(b"<c") - len(_NOT_CELL.findall(xml))


def _counts_cells(name: str) -> bool:
    """A member whose cells count towards :data:`MAX_CELLS`: an XML part of ``xl/worksheets/``."""
    name = name.lower()
    return name.startswith("xl/worksheets/") and name.endswith(_XML_SUFFIXES)


def _cells_bound(infos) -> int:
    """The most cells the members' cell count can reach, from their declared sizes alone.

    A cell tag (:data:`_CELL`) takes at least 3 bytes ("<c>") and two never
    overlap, so a member holds at most a third of its bytes in cells; and
    zipfile inflates a member to at most its declared size (past it, the CRC
    check refuses the member). When this bound is within :data:`MAX_CELLS`
    the count cannot pass the limit and is not taken: a 10^4-figure workbook
    (23 MB of sheets: at most 7.6 million) is admitted without counting its
    519,066 cells one by one.
    """
    return sum(i.file_size // 3 for i in infos if _counts_cells(i.filename))


def _stream_members(path: Path, keep=None, chunks: bool = False) -> dict[str, bytes | list[bytes]]:
    """Inflate every member in chunks, counting: the declared sizes may lie; XML parts may carry a DTD.

    Returns the members ``keep`` names, inflated (see :func:`check_workbook_file`).
    """
    total = cells = 0
    kept: dict[str, bytes | list[bytes]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            count_cells = _cells_bound(infos) > MAX_CELLS
            for info in infos:
                is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
                is_sheet = count_cells and _counts_cells(info.filename)
                held = [] if keep is not None and keep(info.filename) else None
                tail = b""
                with z.open(info) as fh:
                    while True:
                        chunk = fh.read(_CHUNK)
                        if not chunk:
                            break
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise _refuse(
                                path,
                                f"the workbook inflates to more than {_mib(MAX_UNPACKED_BYTES)}: a zip bomb "
                                "or not a template workbook.",
                                _WORKBOOK_FIX,
                            )
                        if is_xml:
                            window = tail + chunk
                            # every marker holds the byte "!" (in UTF-16 too), which sheets rarely
                            # hold: one memchr instead of six searches, most of the time
                            if b"!" in window and any(m in window for m in _DTD_MARKERS):
                                raise _refuse(
                                    path,
                                    f"the part {info.filename!r} declares an XML DTD or entities, which Excel never "
                                    "writes (an XML bomb such as 'billion laughs'); it was not parsed.",
                                    _WORKBOOK_FIX,
                                )
                            if is_sheet:
                                # the matches ending in this chunk: the window's less the tail's
                                # own (a cell tag has no "<" inside, so the tail's matches are
                                # those already counted), none counted twice; in C, not a
                                # generator over each match
                                cells += _cell_count(window) - _cell_count(tail)
                                if cells > MAX_CELLS:
                                    raise _refuse(
                                        path,
                                        f"the workbook has more than {MAX_CELLS:,} cells: not a template workbook "
                                        "(reading it would take gigabytes of memory).",
                                        _WORKBOOK_FIX,
                                    )
                            tail = window[-32:]
                        if held is not None:
                            held.append(chunk)  # counted and checked: within the limits
                if held is not None:
                    kept[info.filename] = held if chunks else b"".join(held)
    except TradecalcError:
        raise
    except Exception as e:  # zipfile, zlib and struct raise many kinds on damaged data
        # a member inflating past its declared size is cut there and fails its CRC
        raise _bad(
            path,
            f"a damaged zip file, or a member that inflates beyond its declared size "
            f"({type(e).__name__}: {e}).",
            _WORKBOOK_FIX,
        ) from None
    return kept


# --------------------------------------------------------------------------- texts


def read_release_text(path, *, limit: int = MAX_TEXT_BYTES) -> str:
    """The text of a release saved as a text file, or a clear refusal.

    UTF-8 (a BOM is dropped) or UTF-16 with a BOM (Notepad's "Unicode").
    PDFs, workbooks, Office documents, images and other binary files are
    refused by name, as are files over ``limit`` bytes.
    """
    path = Path(path)
    raw = read_bytes(path, "a release text", limit)
    kind = describe_bytes(raw[:8])
    fix = (
        "copy the release's text into a .txt file (e.g. pdftotext release.pdf release.txt)"
        if kind == "a PDF"
        else "for a workbook use `tradecalc pull`; for a web page or document, copy its text into a UTF-8 .txt file"
    )
    text = decode_text(
        path,
        raw,
        "a release text",
        fix if kind else "copy the release's text into a UTF-8 .txt file",
    )
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 100):
        raise _bad(
            path,
            f"the file is binary ({controls} control characters), not a release text.",
            "copy the release's text into a UTF-8 .txt file",
        )
    if "\x00" in text:
        raise _bad(
            path,
            "the file holds NUL characters, not a release text.",
            "copy the release's text into a UTF-8 .txt file",
        )
    return text


# --------------------------------------------------------------------------- time


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` on the way swallows it."""


@contextlib.contextmanager
def deadline(
    seconds: float, source, what: str, fix: str = "check that the input is what the command expects"
):
    """Refuse (:class:`TimeLimit`) work that runs longer than ``seconds`` of wall time.

    Uses SIGALRM, so it applies in the main thread on POSIX; elsewhere (Windows,
    a worker thread) the body simply runs unbounded. ``seconds <= 0`` disables it.
    """
    usable = (
        seconds
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _alarm(signum, frame):
        raise _Expired()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise problem(
            source, f"{what} took more than {seconds:g} s and was stopped.", fix, kind=TimeLimit
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- text that a spreadsheet would run

#: A cell whose text starts with one of these is a formula to Excel or LibreOffice when the file is a CSV.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(frame):
    """A DataFrame whose text cells cannot run as formulas when its CSV is opened in a spreadsheet.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading apostrophe (OWASP's advice for CSV injection); numbers stay numbers.
    Workbooks need no such change: :mod:`tradecalc.workbook.writer` writes text
    as text cells, never as formulas.

    >>> import pandas as pd
    >>> csv_safe(pd.DataFrame({"label": ["=cmd|' /C calc'!A0", "Exports"], "pull_pp": [-2.68, 43.07]})).to_dict("list")
    {'label': ["'=cmd|' /C calc'!A0", 'Exports'], 'pull_pp': [-2.68, 43.07]}
    """
    return frame.map(
        lambda x: "'" + x if isinstance(x, str) and x.startswith(FORMULA_PREFIXES) else x
    )
