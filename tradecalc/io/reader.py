"""The one bounded file reader: a regular file, under its size limit, named when it is the wrong kind.

Every command reads its input through here (release files, release texts,
the first bytes of a workbook), so a size limit is checked once, before the
file is read, and never more than ``limit + 1`` bytes are read even if the file
grows meanwhile. Text is UTF-8 (a BOM is dropped) or UTF-16 with a BOM
(Notepad's "Unicode"); spreadsheets, PDFs, archives and programs are refused
by name, by their suffix (``.xls``, ``.ods``) or by their first bytes::

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "q1.ods"
    >>> _ = p.write_bytes(b"PK\\x03\\x04 ...")
    >>> try:
    ...     read_text(p, "a release file")
    ... except Exception as e:
    ...     print(e)  # doctest: +ELLIPSIS
    /...q1.ods:file: this is an OpenDocument spreadsheet (.ods), not a release file; ... Fix: open it in Excel or LibreOffice and save it as .xlsx, ...
"""

from __future__ import annotations

from pathlib import Path

from tradecalc.errors import BadInput, UnsafeFile, problem
from tradecalc.io.limits import MAX_RELEASE_FILE_BYTES, mib

#: Suffixes named in refusals: the spreadsheet kinds tradecalc does not read.
FOREIGN_SUFFIXES = {
    ".xls": "a legacy Excel workbook (.xls)",
    ".xlsb": "a binary Excel workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "an Apple Numbers spreadsheet (.numbers)",
    ".pdf": "a PDF",
    ".docx": "a Word document (.docx)",
    ".doc": "a Word document (.doc)",
}
_SPREADSHEET_FIX = (
    "open it in Excel or LibreOffice and save it as .xlsx, or pass a .toml release file"
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a member first, or an empty zip
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def describe_bytes(head: bytes) -> str | None:
    """What a file's first bytes say it is, if it is a kind tradecalc refuses by name.

    >>> describe_bytes(bytes.fromhex("d0cf11e0a1b11ae1"))
    'an OLE compound file: a password-protected workbook or a legacy .xls'
    >>> describe_bytes(b"%PDF-1.7") , describe_bytes(b"Exports rose")
    ('a PDF', None)
    """
    if head.startswith(_OLE_MAGIC):
        return "an OLE compound file: a password-protected workbook or a legacy .xls"
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head.startswith(_ZIP_MAGICS):
        return "a zip file"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        return "a compressed archive"
    if head.startswith((b"\x7fELF", b"MZ")):
        return "a program"
    return None


def is_ole(head: bytes) -> bool:
    """An OLE compound file: an encrypted .xlsx, a legacy .xls or .doc."""
    return head.startswith(_OLE_MAGIC)


def is_zip(head: bytes) -> bool:
    """Whether the file's first bytes ``head`` are a zip's (as an .xlsx or .xlsm is)."""
    return head.startswith(_ZIP_MAGICS)


def regular_file(path, what: str, limit: int) -> int:
    """The size of ``path``, or a refusal: missing, a folder, a device or pipe, over ``limit`` bytes."""
    path = Path(path)
    if not path.exists():
        raise problem(path, "no such file.", "check the path")
    if path.is_dir():
        raise problem(path, f"this is a folder, not {what}.", f"pass {what}")
    if not path.is_file():
        raise problem(
            path, f"this is not a regular file (a device or a pipe), not {what}.", f"pass {what}"
        )
    size = path.stat().st_size
    if size > limit:
        raise problem(
            path,
            f"the file is {mib(size)}; {what} is at most {mib(limit)}.",
            f"check that this is {what}",
            kind=UnsafeFile,
        )
    return size


def head(path, n: int = 8) -> bytes:
    """The first ``n`` bytes of a file."""
    with open(path, "rb") as fh:
        return fh.read(n)


def read_bytes(path, what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (reads at most ``limit + 1``)."""
    regular_file(path, what, limit)
    with open(path, "rb") as fh:
        raw = fh.read(limit + 1)
    if len(raw) > limit:  # it grew since stat
        raise problem(
            path,
            f"the file is over {mib(limit)}; {what} is at most {mib(limit)}.",
            f"check that this is {what}",
            kind=UnsafeFile,
        )
    return raw


def foreign_kind(path) -> str | None:
    """A spreadsheet or document kind named by the file's suffix: ``q1.xls`` → "a legacy Excel workbook (.xls)"."""
    return FOREIGN_SUFFIXES.get(Path(path).suffix.lower())


def decode_text(path, raw: bytes, what: str, fix: str) -> str:
    """UTF-8 (BOM dropped) or UTF-16 with a BOM; binary and other encodings refused by name."""
    if raw.startswith(_UTF16_BOMS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise problem(
                path,
                f"the file starts like UTF-16 text but does not decode ({e.reason}).",
                "save it as UTF-8 text",
            ) from None
    kind = describe_bytes(raw[:8])
    if kind:
        raise problem(path, f"this is {kind}, not {what}.", fix)
    if b"\x00" in raw:
        if _looks_utf16_without_bom(raw):
            raise problem(
                path,
                f"the file is UTF-16 text without a byte-order mark, not {what} in UTF-8.",
                "save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)",
            )
        raise problem(path, f"the file is binary (it holds NUL bytes), not {what}.", fix)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise problem(
            path, f"the file is not UTF-8 text ({e.reason} at byte {e.start}).", "save it as UTF-8"
        ) from None


def _looks_utf16_without_bom(raw: bytes) -> bool:
    """Every other byte NUL in the first 4 kB: ASCII text saved as UTF-16 LE or BE."""
    sample = raw[:4096]
    even, odd = sample[0::2], sample[1::2]
    return bool(sample) and (even.count(0) > 0.9 * len(even) or odd.count(0) > 0.9 * len(odd))


def read_text(
    path,
    what: str = "a release file",
    limit: int = MAX_RELEASE_FILE_BYTES,
    *,
    fix: str = "pass a .toml release file or a template workbook (.xlsx/.xlsm)",
) -> str:
    """The text of a file of at most ``limit`` bytes, or a refusal naming what the file is.

    A spreadsheet under its own suffix (``.xls``, ``.ods`` ...) is named before it is read.
    Raises :class:`~tradecalc.errors.BadInput` or :class:`~tradecalc.errors.UnsafeFile` (oversize).
    """
    path = Path(path)
    kind = foreign_kind(path)
    if kind:
        regular_file(path, what, limit)  # a missing file is "no such file", not "a legacy .xls"
        raise problem(
            path,
            f"this is {kind}, not {what}; tradecalc reads .toml release files and "
            ".xlsx/.xlsm template workbooks.",
            _SPREADSHEET_FIX,
        )
    raw = read_bytes(path, what, limit)
    return decode_text(path, raw, what, fix)


__all__ = [
    "BadInput",
    "UnsafeFile",
    "describe_bytes",
    "read_bytes",
    "read_text",
    "regular_file",
    "head",
    "foreign_kind",
    "decode_text",
    "FOREIGN_SUFFIXES",
]
