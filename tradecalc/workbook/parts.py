"""The parts of a workbook file that no value reader gives: its sheets, its Tables, its formula and error cells.

A template workbook is a zip of XML parts. The cell values (numbers, text,
dates, formulas' saved results) are read by python-calamine
(:mod:`tradecalc.workbook.reader`); what it does not say is read here, from
the parts themselves, after :func:`tradecalc.io.safety.check_workbook_file`
has bounded every member and refused DTDs:

* the sheets, in workbook order, and the part holding each
  (``xl/workbook.xml`` and its relationships);
* each Excel Table: its range, header and totals rows and column names, found
  through its sheet's relationships (``xl/tables/table1.xml``), parsed with
  defusedxml;
* the cells of a sheet that hold a formula or an error (:func:`special_cells`):
  a value reader shows a formula's saved result and an error as an empty
  cell, and a release read from a blank where Excel shows ``#N/A`` would be a
  silent wrong number.

:func:`special_cells` finds those cells with one regular-expression pass over
the sheet's XML when every cell element is written ``<c r="A1" ...>`` (Excel,
LibreOffice, XlsxWriter and openpyxl all write it so): 40 ms for the Figures
sheet of 10,000 figures (14.6 MB of XML), where a full XML parse in Python
takes seconds. With the optional C extension ``_cellscan`` (``_cellscan.c``) the
same three scans (plain or not, the cells' extent, the candidates of
:func:`special_cells`) are byte loops that release the GIL: about 20 ms in all;
the extension computes exactly what the regular expressions here compute
(``tests/workbook/test_cellscan.py``). Any other form of the XML (cells without
``r``, a namespace prefix, single quotes) is parsed with expat, cell by cell, to
the same result.

>>> xml = b'<sheetData><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c></row></sheetData>'
>>> special_cells(xml)
{(2, 2): Special(formula=None, formula_type=None, ref=None, kind='e', cached='#N/A')}
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass

from tradecalc.io.limits import MAX_CELLS

try:  # optional C extension (setup.py); without it the regular expressions below do the same
    from tradecalc.workbook import _cellscan
except ImportError:
    _cellscan = None

_TABLE_REL = "/table"
_WORKSHEET_REL = "/worksheet"
_OFFICE_DOCUMENT_REL = "/officeDocument"


@dataclass(frozen=True)
class TablePart:
    """One Excel Table as its part defines it."""

    name: str
    display_name: str
    ref: str
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]

    @property
    def title(self) -> str:
        """The table's display name, or its name when it has none."""
        return self.display_name or self.name


@dataclass(frozen=True)
class Special:
    """A cell holding a formula or an error, as the sheet's XML stores it.

    ``formula``: the formula's text without "=" (None for an error typed or
    pasted as a value); ``formula_type``: ``"array"``, ``"shared"`` or None;
    ``ref``: an array formula's range; ``kind``: the cell's type (``"n"``,
    ``"str"``, ``"e"``, ``"b"``...); ``cached``: the saved result's text
    (None when there is none).
    """

    formula: str | None
    formula_type: str | None
    ref: str | None
    kind: str
    cached: str | None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element, local: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id, strict OOXML's URIs)."""
    for key, value in element.attrib.items():
        if _local(key) == local:
            return value
    return None


def _resolve(source: str, target: str) -> str:
    """A relationship's target as a zip member name, relative to the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class WorkbookParts:
    """A workbook's zip, with its sheets found from ``xl/workbook.xml`` and its relationships.

    ``sheets``: (sheet name, member name) for every worksheet, in workbook
    order (chartsheets and dialog sheets are left out). ``path``: a file name
    or a binary file object. ``inflated``: member name → bytes already
    inflated, or the list of their chunks (by
    :func:`tradecalc.io.safety.check_workbook_file`), used
    instead of inflating those members again. Raises ``KeyError``,
    ``zipfile.BadZipFile`` or a defusedxml/expat ``ParseError`` on a damaged
    file, for the reader to word.
    """

    def __init__(self, path, inflated: dict[str, bytes | list[bytes]] | None = None):
        self.path = path  # a path, or a binary file object (a workbook built in memory)
        self._inflated = dict(inflated or {})
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        self.workbook_part = self._workbook_part()
        rels = self._relationships(self.workbook_part)
        root = self._parse(self.workbook_part)
        self.sheets: list[tuple[str, str]] = []
        for el in root.iter():
            if _local(el.tag) != "sheet":
                continue
            rel = rels.get(_attr(el, "id") or "")
            if rel is not None and rel[0].endswith(_WORKSHEET_REL) and rel[1] in self.names:
                self.sheets.append((el.get("name", ""), rel[1]))

    def close(self) -> None:
        """Close the workbook's zip."""
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _parse(self, member: str):
        import defusedxml.ElementTree as DET

        return DET.fromstring(self.zip.read(member))

    def _workbook_part(self) -> str:
        if "_rels/.rels" in self.names:
            for kind, target in self._relationships("").values():
                if kind.endswith(_OFFICE_DOCUMENT_REL) and target in self.names:
                    return target
        return "xl/workbook.xml"

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, member) of the relationships of ``part`` ("" for the package's own)."""
        member = "_rels/.rels" if not part else _rels_path(part)
        if member not in self.names:
            return {}
        out = {}
        for el in self._parse(member).iter():
            if _local(el.tag) != "Relationship" or el.get("TargetMode") == "External":
                continue
            out[el.get("Id", "")] = (el.get("Type", ""), _resolve(part, el.get("Target", "")))
        return out

    def sheet_part(self, sheet: str) -> str | None:
        """The zip member of the worksheet named ``sheet``, or None when there is no such worksheet."""
        return next((part for name, part in self.sheets if name == sheet), None)

    def sheet_xml(self, sheet: str) -> bytes:
        """The sheet's XML, inflated once (the reader looks at it twice: extent, then special cells)."""
        cache = self.__dict__.setdefault("_xml", {})
        if sheet not in cache:
            part = self.sheet_part(sheet)
            held = self._inflated.pop(part, None)
            if isinstance(held, list):  # the chunks the safety checks inflated
                held = b"".join(held)
            cache[sheet] = held if held is not None else self.zip.read(part)
        return cache[sheet]

    def retain(self, sheets) -> None:
        """Drop the inflated XML held for every sheet but ``sheets`` (the reader reads only those)."""
        keep = {self.sheet_part(sheet) for sheet in sheets}
        self._inflated = {k: v for k, v in self._inflated.items() if k in keep}

    def sheet_plain(self, sheet: str) -> bool:
        """:func:`is_plain` of the sheet's XML, found once."""
        cache = self.__dict__.setdefault("_plain", {})
        if sheet not in cache:
            cache[sheet] = is_plain(self.sheet_xml(sheet))
        return cache[sheet]

    def tables(self) -> dict[str, tuple[str, TablePart]]:
        """Every Table by name (its display name and its name): name → (sheet name, Table), first sheet first."""
        found: dict[str, tuple[str, TablePart]] = {}
        for sheet, part in self.sheets:
            for kind, target in self._relationships(part).values():
                if not kind.endswith(_TABLE_REL) or target not in self.names:
                    continue
                table = _table_part(self._parse(target))
                for key in {table.display_name, table.name} - {""}:
                    found.setdefault(key, (sheet, table))
        return found


def _table_part(root) -> TablePart:
    header = root.get("headerRowCount")
    columns = tuple(el.get("name", "") for el in root.iter() if _local(el.tag) == "tableColumn")
    return TablePart(
        name=root.get("name", "") or "",
        display_name=root.get("displayName", "") or "",
        ref=root.get("ref", ""),
        header_rows=1 if header is None else int(header),
        totals_rows=int(root.get("totalsRowCount") or 0),
        columns=columns,
    )


# --------------------------------------------------------------------------- cells


def column_number(letters: str) -> int:
    """``"A"`` → 1, ``"AE"`` → 31."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch.upper()) - 64)
    return n


def column_letters(n: int) -> str:
    """``1`` → ``"A"``, ``31`` → ``"AE"``."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


def ref_bounds(ref: str) -> tuple[int, int, int, int]:
    """A range's (first column, first row, last column, last row), 1-based; ValueError if it is not one.

    >>> ref_bounds("A1:AG10001"), ref_bounds("B2")
    ((1, 1, 33, 10001), (2, 2, 2, 2))
    """
    m = _REF.match(ref.strip())
    if m is None:
        raise ValueError(f"not a cell range: {ref!r}")
    c0, r0 = column_number(m.group(1)), int(m.group(2))
    c1, r1 = (column_number(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
    return min(c0, c1), min(r0, r1), max(c0, c1), max(r0, r1)


_PREFIXED_CELL = re.compile(rb":c[\s/>]")
#: A ``<c`` that is a cell (or cut at the end) but not written ``<c r="``: one search, nearly always empty.
_NOT_PLAIN_CELL = re.compile(rb'<c(?:[\t\n\r\f\v/>]| (?!r=")|\Z)')
_ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_FORMULA = re.compile(rb"<f(?=[\s/>])([^>]*?)(?:/>|>([^<]*)</f>)")
_VALUE = re.compile(rb"<v(?:\s[^>]*)?(?:/>|>([^<]*)</v>)")


@functools.lru_cache(maxsize=64)
def _candidates(letters: tuple[str, ...] | None, errors: bool) -> re.Pattern:
    """Cells (in the given columns) opening ``<f``, or with ``t="e"``: (column, row)."""
    cols = (
        rb"[A-Z]{1,3}"
        if letters is None
        else b"|".join(re.escape(x.encode()) for x in sorted(letters, key=len, reverse=True))
    )
    formula = rb"[^>]*+>\s*+<f[\s/>]"  # possessive: giving back a character can only fail
    error = rb"|[^>]*?\st\s*=\s*[\"']e[\"']" if errors else b""
    return re.compile(rb'<c r="(' + cols + rb')(\d+)"(?:' + formula + error + b")")


def _text(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = raw.decode("utf-8")
    if "&" not in text:
        return text
    import html  # only for text with an entity: its table costs a few ms to import

    return html.unescape(text)


def _attributes(raw: bytes) -> dict[str, str]:
    return {
        m.group(1).decode(): _text(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTRIBUTE.finditer(raw)
    }


def is_plain(xml: bytes) -> bool:
    """Whether every cell element of the sheet is written ``<c r="..."``, unprefixed (the fast path).

    Text cannot hold a raw ``<``, so every ``<c`` is an element: a cell, or
    one of the few other elements whose name starts with c (``<col``, ``<cfRule``...).
    """
    if _cellscan is not None:
        return _cellscan.is_plain(xml)
    return _is_plain_by_pattern(xml)


def _is_plain_by_pattern(xml: bytes) -> bool:
    """:func:`is_plain` without the C extension: two searches."""
    return _NOT_PLAIN_CELL.search(xml) is None and _PREFIXED_CELL.search(xml) is None


#: The most cells a sheet's values may span (last row × last column) for python-calamine
#: to read it: it allocates that whole rectangle, so two cells at A1 and XFD1048576
#: would take 512 GiB. Twice the cells a workbook may hold (:data:`tradecalc.io.limits.MAX_CELLS`);
#: the Figures sheet of 20,000 figures spans 660,033.
MAX_GRID_CELLS = 2 * MAX_CELLS

_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')


def cell_extent(xml: bytes, plain: bool | None = None) -> tuple[int, int]:
    """(last row, last column) of the cells a sheet's XML stores: the rectangle a value reader allocates.

    >>> cell_extent(b'<row r="1"><c r="A1"/><c r="AB7"/></row>')
    (7, 28)
    """
    if is_plain(xml) if plain is None else plain:
        found = _cellscan.extent(xml) if _cellscan is not None else None
        return found if found is not None else _plain_extent(xml)
    cells = _special_expat(xml, None, every=True)
    return max((r for r, _ in cells), default=0), max((c for _, c in cells), default=0)


def _extent_by_findall(xml: bytes) -> tuple[int, int]:
    """:func:`cell_extent` of a plain sheet, every cell's address read (the general way)."""
    letters = set(_CELL_COLUMN.findall(xml))
    rows = _CELL_ROW.findall(xml)
    last_row = max(map(int, rows), default=0)
    last_col = max((column_number(x.decode("ascii")) for x in letters), default=0)
    return last_row, last_col


def _above_number(n: int) -> bytes:
    """A pattern for digits whose value is more than ``n`` (leading zeros allowed), then '"'.

    >>> bool(re.fullmatch(_above_number(10001), b'10002"')), bool(re.fullmatch(_above_number(10001), b'009999"'))
    (True, False)
    """
    digits = str(n).encode()
    k = len(digits)
    alts = [rb"[1-9]\d{%d,}" % k]  # more digits
    for i in range(k):
        d = digits[i] - 48
        if d < 9:
            low = max(d + 1, 1 if i == 0 else 0)
            alts.append(digits[:i] + b"[%d-9]" % low + (rb"\d{%d}" % (k - i - 1)))
    return b"0*(?:" + b"|".join(alts) + b')"'


def _above_column(letters: bytes) -> bytes:
    """A pattern for the letters :data:`_CELL_COLUMN` captures when their column is after ``letters``.

    It captures up to three letters, so a column of ``k`` < 3 letters is followed by no letter.

    >>> p = re.compile(_above_column(b"AG"))
    >>> [bool(p.match(x)) for x in (b"AH1", b"BA1", b"AAA1", b"AG1", b"AF1", b"Z1")]
    [True, True, True, False, False, False]
    """
    k = len(letters)
    alts = [rb"[A-Z]{%d}" % (k + 1)] if k < 3 else []
    end = rb"(?![A-Z])" if k < 3 else b""
    for i in range(k):
        if letters[i] < ord("Z"):
            alts.append(
                letters[:i] + b"[%c-Z]" % (letters[i] + 1) + rb"[A-Z]{%d}" % (k - i - 1) + end
            )
    return b"(?:" + b"|".join(alts) + b")" if alts else b"(?!)"


def _beyond(col: bytes, last_row: int) -> re.Pattern:
    """A cell whose column (:data:`_CELL_COLUMN`'s letters) is after ``col`` or whose row is after ``last_row``.

    The pattern ``'<c r="(?:' + _above_column(col) + '|[A-Z]{1,3}' + _above_number(last_row) + ')'``,
    written so that the regex engine reads each cell's letters once (the
    Figures sheet of 10^4 figures has 330,033 cells): they are taken whole
    (as many as :data:`_CELL_COLUMN` takes), then tested by looking back at
    them, then the row, which a row of fewer digits than ``last_row`` fails
    at once.

    >>> p = _beyond(b"AG", 10001)
    >>> [bool(p.match(x)) for x in (b'<c r="AH1"', b'<c r="AG10002"', b'<c r="AG010001"', b'<c r="B9"')]
    [True, True, False, False]
    """
    k = len(col)
    looks = [rb"(?<=[A-Z]{%d})" % (k + 1)] if k < 3 else []  # more letters
    for i in range(k):
        if col[i] < ord("Z"):
            looks.append(
                b'(?<="' + col[:i] + b"[%c-Z]" % (col[i] + 1) + rb"[A-Z]{%d})" % (k - i - 1)
            )
    digits = len(str(last_row))
    # _above_number's zeros taken whole (its numbers start with a digit 1-9), then at least as many digits
    rows = rb"0*+(?=[1-9]\d{%d})" % (digits - 1) + _above_number(last_row)[2:]
    return re.compile(rb'<c r="[A-Z]{1,3}+(?:' + b"|".join([*looks, rows]) + b")")


#: Tries of :func:`_plain_extent` before it reads every address: each is one pass over the XML.
_EXTENT_PASSES = 6


def _plain_extent(xml: bytes) -> tuple[int, int]:
    """:func:`_extent_by_findall`'s result, found with a pass or two of the regex engine.

    Start from the last cell written (in a sheet written row by row, the
    extent), then search for a cell beyond it: a row number or a column past
    the largest seen so far. Each cell found raises the bound and the search
    goes on from there, so a sheet written in order takes one pass that finds
    nothing; one whose cells keep growing again falls back to reading every
    address after :data:`_EXTENT_PASSES` passes.

    >>> _plain_extent(b'<c r="B9"/><c r="AB7"/><c r="C3"/>')
    (9, 28)
    """
    at = len(xml)
    for _ in range(_EXTENT_PASSES):
        at = xml.rfind(b'<c r="', 0, at)
        row = _CELL_ROW.match(xml, at) if at >= 0 else None
        if at < 0 or row is not None:
            break
    else:
        row = None
    if row is None:
        return _extent_by_findall(xml)
    last_row = int(row.group(1))
    col = _CELL_COLUMN.match(xml, at).group(1)
    start = 0
    for _ in range(_EXTENT_PASSES):
        m = _beyond(col, last_row).search(xml, start)
        if m is None:
            return last_row, column_number(col.decode("ascii"))
        found_col = _CELL_COLUMN.match(xml, m.start()).group(1)
        if column_number(found_col.decode("ascii")) > column_number(col.decode("ascii")):
            col = found_col
        found_row = _CELL_ROW.match(xml, m.start())
        if found_row is not None and int(found_row.group(1)) > last_row:
            last_row = int(found_row.group(1))
        start = m.end()
    return _extent_by_findall(xml)


def special_cells(
    xml: bytes, columns=None, where=None, plain: bool | None = None
) -> dict[tuple[int, int], Special]:
    """The cells of a sheet's XML holding a formula or an error: (row, column) → :class:`Special`.

    ``columns``: sheet column numbers (1-based) to look at; all by default.
    ``where(row, column)``: a further filter (a Table's outside). Rows and
    columns are 1-based, as on the sheet. ``plain``: :func:`is_plain` of
    ``xml``, if known.
    """
    if is_plain(xml) if plain is None else plain:
        return _special_fast(xml, columns, where)
    return _special_expat(xml, columns, where)


@functools.lru_cache(maxsize=4096)
def _column_of(letters: bytes) -> int:
    return column_number(letters.decode("ascii"))


def _may_hold_error(xml: bytes) -> bool:
    """Whether ``xml`` may hold an error cell: its ``t="e"`` holds ``"e"`` or ``'e'``.

    The same answer as the two searches; a sheet rarely holds a ``'`` at all, so
    one memchr usually settles the second.
    """
    return b'"e"' in xml or (b"'" in xml and b"'e'" in xml)


def _special_fast(xml: bytes, columns, where=None) -> dict[tuple[int, int], Special]:
    letters = None if columns is None else tuple(sorted(column_letters(c) for c in columns))
    if letters == ():
        return {}
    errors = _may_hold_error(xml)
    if not errors and b"<f" not in xml:
        return {}  # no formula and no error anywhere: the common case of a typed-in Table
    out = {}
    for m in _candidate_matches(xml, letters, errors):
        row, col = int(m.group(2)), _column_of(m.group(1))
        if where is not None and not where(row, col):
            continue
        close = xml.find(b">", m.start())  # no ">" in a cell's attribute values
        raw = xml[m.start() + 2 : close]
        attrs = _attributes(raw)
        end = -1 if raw.rstrip().endswith(b"/") else xml.find(b"</c>", close)
        # cells do not nest: the first </c> is the cell's own
        body = b"" if end < 0 else xml[close + 1 : end]
        f = _FORMULA.search(body)
        v = _VALUE.search(body[f.end() :] if f else body)
        fattrs = _attributes(f.group(1)) if f else {}
        out[(row, col)] = Special(
            formula=(_text(f.group(2)) or "") if f else None,
            formula_type=fattrs.get("t") if f else None,
            ref=fattrs.get("ref") if f else None,
            kind=attrs.get("t", "n"),
            cached=(_text(v.group(1)) or None) if v else None,
        )
    return out


def _candidate_matches(xml: bytes, letters, errors: bool):
    """``_candidates(letters, errors).finditer(xml)``; the C scan finds where, the pattern reads each."""
    pattern = _candidates(letters, errors)
    if _cellscan is None:
        return pattern.finditer(xml)
    return [pattern.match(xml, at) for at in _cellscan.candidates(xml, _wanted(letters), errors)]


@functools.lru_cache(maxsize=64)
def _wanted(letters: tuple[str, ...] | None) -> bytes | None:
    """The columns of ``letters`` as bytes for ``_cellscan.candidates``: byte ``n`` is 1 for column ``n``."""
    if letters is None:
        return None
    marks = bytearray(column_number("ZZZ") + 1)
    for x in letters:
        marks[column_number(x)] = 1
    return bytes(marks)


def _special_expat(
    xml: bytes, columns, where=None, every: bool = False
) -> dict[tuple[int, int], Special]:
    """:func:`special_cells` for any form of the XML: expat, every element (seconds for a large sheet).

    ``every``: every cell, not only formulas and errors (for :func:`cell_extent`).
    """
    from xml.parsers import expat

    wanted = None if columns is None else set(columns)
    out: dict[tuple[int, int], Special] = {}
    state = {"row": 0, "col": 0, "cell": None, "text": None}

    def start(name, attrs):
        local = _local(name)
        if local == "row":
            state["row"] = int(attrs.get("r") or state["row"] + 1)
            state["col"] = 0
        elif local == "c":
            ref = attrs.get("r")
            if ref:
                m = re.match(r"([A-Za-z]+)(\d+)$", ref)
                state["col"], state["row"] = column_number(m.group(1)), int(m.group(2))
            else:
                state["col"] += 1
            state["cell"] = {"t": attrs.get("t", "n"), "f": None, "fattrs": {}, "v": None}
        elif state["cell"] is not None and local in ("f", "v"):
            state["cell"][local] = ""
            if local == "f":
                state["cell"]["fattrs"] = attrs
            state["text"] = local

    def end(name):
        local = _local(name)
        if local in ("f", "v"):
            state["text"] = None
        elif local == "c" and state["cell"] is not None:
            cell, state["cell"] = state["cell"], None
            if cell["f"] is None and cell["t"] != "e" and not every:
                return
            if wanted is not None and state["col"] not in wanted:
                return
            if where is not None and not where(state["row"], state["col"]):
                return
            out[(state["row"], state["col"])] = Special(
                formula=cell["f"],
                formula_type=cell["fattrs"].get("t") if cell["f"] is not None else None,
                ref=cell["fattrs"].get("ref") if cell["f"] is not None else None,
                kind=cell["t"],
                cached=cell["v"] or None,
            )

    def chars(data):
        if state["text"] is not None:
            state["cell"][state["text"]] += data

    def refuse_entity(*args):  # the safety scan refused DTDs already; a second lock
        raise ValueError("an XML entity declaration in a sheet")

    p = expat.ParserCreate(namespace_separator="}")
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.EntityDeclHandler = refuse_entity
    p.buffer_text = True
    p.Parse(xml, True)
    return out
