"""The big sheets' cells, written by us and spliced into XlsxWriter's file.

XlsxWriter keeps every cell as an object in a per-sheet dict and writes it
out with a dozen calls per cell: at 10^5 figures (5 million cells) that is
most of a build. Here a sheet's bulk is given **by column** (a column of cells
in consecutive rows, with one format) and its ``<sheetData>`` is rendered by
list comprehensions, then streamed into the zip. A big sheet can also be
rendered ahead, a block of rows at a time as it is written (:meth:`SheetData.seal`),
into a temporary file that the zip is then fed from: the build never holds the
Figures sheet whole. XlsxWriter still writes
everything else: the sheet's other XML (columns, panes, tables, conditional
formats, page setup), the shared strings, styles, charts, defined names,
the dynamic-array metadata, and any cell written through its own API (headers,
a spill's top-left formula), which is rendered here by XlsxWriter's own
``_write_cell``.

The XML is XlsxWriter's, byte for byte (same shared-string indices, same
``s`` style indices in the same order of first use, same ``spans``, same row
attributes), with one deliberate difference shared by both writers: a number
is written with the fewest digits that read back as the same float
(:func:`number_text`), where XlsxWriter's ``%.16G`` drops the 17th digit
(0.00023486998300155935 came back as 0.0002348699830015593).
``tests/workbook/test_workbook_stream.py`` compares a streamed build with a
build through XlsxWriter alone, cell by cell and XML by XML.

Compression: the spliced sheets are deflated at :data:`FAST_LEVEL` when they
hold at least :data:`FAST_LEVEL_MIN_CELLS` cells (3.5 times faster than
zlib's default, the file about a quarter bigger); a smaller sheet keeps the
default level, so a small workbook is the same file as XlsxWriter's.
"""

from __future__ import annotations

import io
import math
import shutil
import zipfile
from array import array
from collections.abc import Iterator

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import CellArrayFormulaTuple, re_dynamic_function

#: zlib level of a large spliced sheet: level 1 deflates sheet XML ~3.5× faster than the
#: default 6 (10^4 figures: 0.29 s against 1.01 s) for a 26% larger member.
FAST_LEVEL = 1
FAST_LEVEL_MIN_CELLS = 100_000
#: Rows rendered and deflated at a time (bounds the memory of the rendering: about 7 MiB for
#: the 30 columns of the Figures sheet).
CHUNK_ROWS = 1024
#: Bytes copied at a time from XlsxWriter's file to the spliced one.
_COPY_BYTES = 1 << 20
_MARKER = "<!--tradecalc-sheetdata-{}-->"
_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))


def number_text(x: float) -> str:
    """A number as a cell's ``<v>``: XlsxWriter's ``%.16G``, or 17 digits when 16 do not round-trip.

    >>> number_text(180.24), number_text(1e-05), number_text(0.00023486998300155935)
    ('180.24', '1E-05', '0.00023486998300155935')
    """
    text = f"{x:.16G}"
    return text if float(text) == x else repr(x)


def _escape(text: str) -> str:
    """XML data escaping as XlsxWriter's ``_escape_data`` (quotes are not escaped)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def formula_result(value) -> tuple[str, str]:
    """(type attribute, ``<v>`` text) of a formula's cached value, as XlsxWriter writes them."""
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, str):
        if value == "" and type(value) is str:
            return "", ""  # XlsxWriter's "recalculate me" blank
        if value in _ERROR_CODES:
            return ' t="e"', _escape(value)
        return ' t="str"', _escape(value)
    return "", str(value)


def _formula_cell(value, f: str) -> str:
    """What follows ``<c r="V2" s="10"`` in a formula cell: type, the ``<f>`` element ``f``, result."""
    t, result = formula_result(value)
    return f"{t}>{f}<v>{result}</v></c>"


TEXT, EMPTY, BOOLEAN, NUMBER = "text", "blank", "boolean", "number"


def spill_kind(v) -> str:
    """How a spill's cached value is written, streamed or through XlsxWriter: the one rule.

    A str is text; None and every non-finite float (numpy's included: a float
    subclass) a formatted blank, never ``<v>nan</v>``; a bool a boolean; anything
    else a number (``float(v)``).

    >>> [spill_kind(v) for v in ("exports", None, float("nan"), True, 112.32, 3)]
    ['text', 'blank', 'blank', 'boolean', 'number', 'number']
    """
    if isinstance(v, str):
        return TEXT
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return EMPTY
    if isinstance(v, bool):
        return BOOLEAN
    return NUMBER


# codes of a cell in a _Column (one byte each); see _Column
NUM, SST, BLANK, RESULT, OTHER = 0, 1, 2, 3, 4
_FIRST_TEXT = 5  # codes from here: one of the column's distinct other suffixes (texts[code - 5])
_MAX_TEXTS = 256 - _FIRST_TEXT


class _Column:
    """Cells of one column in consecutive rows, with their format (one, or one per cell).

    Kept compact until rendered (a build of 10^5 figures holds 5 million
    cells): a code per cell in a ``bytearray`` and a number per cell in an
    ``array('d')`` instead of one Python string per cell. A cell is a number
    (``NUM``: its ``<v>`` is :func:`number_text`), a shared string (``SST``: the
    index, assigned when the cell is added, so the table's order is that of
    the calls), a formatted blank (``BLANK``), a formula's float result
    (``RESULT``: ``prefix`` then its ``repr``, as XlsxWriter writes it), or any
    other XML, kept once per distinct text (codes from ``_FIRST_TEXT``) or by
    position (``OTHER``) past ``_MAX_TEXTS`` distinct ones. :meth:`suffixes`
    gives what follows ``<c r="A2" s="4"`` in each cell, the same text a
    string per cell held.
    """

    __slots__ = ("col", "first", "fmt", "codes", "values", "texts", "_text_code", "other", "prefix")

    def __init__(self, col: int, first: int, fmt, prefix: str = ""):
        self.col, self.first, self.fmt, self.prefix = col, first, fmt, prefix
        self.codes = bytearray()
        self.values = array("d")
        self.texts: list[str] = []
        self._text_code: dict[str, int] = {}
        self.other: dict[int, str] = {}

    def __len__(self):
        return len(self.codes)

    # ------------------------------------------------------------ adding a cell

    def number(self, x: float) -> None:
        self.codes.append(NUM)
        self.values.append(x)

    def string(self, index: int) -> None:
        self.codes.append(SST)
        self.values.append(index)

    def blank(self) -> None:
        self.codes.append(BLANK)
        self.values.append(0.0)

    def result(self, x: float) -> None:
        self.codes.append(RESULT)
        self.values.append(x)

    def text(self, suffix: str) -> None:
        code = self._text_code.get(suffix)
        if code is None and len(self.texts) < _MAX_TEXTS:
            code = self._text_code[suffix] = _FIRST_TEXT + len(self.texts)
            self.texts.append(suffix)
        if code is None:
            self.other[len(self.codes)] = suffix
            code = OTHER
        self.codes.append(code)
        self.values.append(0.0)

    def value(self, v, index) -> None:
        """A spill's cached value as :func:`spill_kind` types it; text by its shared string ``index``."""
        kind = (
            NUMBER if type(v) is float and math.isfinite(v) else spill_kind(v)
        )  # common case first
        if kind is NUMBER:
            self.number(float(v))
        elif kind is TEXT:
            self.string(index(v))
        elif kind is EMPTY:
            self.blank()
        else:
            self.text(f' t="b"><v>{int(v)}</v></c>')

    def set_text(self, i: int, suffix: str) -> None:
        """Cell ``i`` (0-based in the column) becomes ``suffix``."""
        self.codes[i] = OTHER
        self.other[i] = suffix

    # ------------------------------------------------------------ rendering

    def suffixes(self, a: int, b: int) -> list[str]:
        """What follows ``<c r=.. s=..`` in cells ``a``..``b - 1`` of the column."""
        prefix, texts, other = self.prefix, self.texts, self.other
        out = []
        add = out.append
        for i, k, v in zip(range(a, b), self.codes[a:b], self.values[a:b]):
            if k == RESULT:
                add(f"{prefix}{v!r}</v></c>")
            elif k == NUM:
                add(f"><v>{number_text(v)}</v></c>")
            elif k == SST:
                add(f' t="s"><v>{int(v)}</v></c>')
            elif k == BLANK:
                add("/>")
            elif k == OTHER:
                add(other[i])
            else:
                add(texts[k - _FIRST_TEXT])
        return out

    def render(self, start: int, stop: int) -> list[str]:
        """The cells of rows ``start``..``stop - 1`` (sheet rows, 0-based) as XML."""
        a, b = max(start - self.first, 0), max(min(stop - self.first, len(self)), 0)
        letter = xl_col_to_name(self.col)
        rows = range(self.first + a + 1, self.first + b + 1)  # as the sheet numbers them
        if isinstance(self.fmt, list):
            refs = [
                f'<c r="{letter}{r}" s="{f._get_xf_index()}"' for r, f in zip(rows, self.fmt[a:b])
            ]
            return [ref + s for ref, s in zip(refs, self.suffixes(a, b))]
        head = f' s="{self.fmt._get_xf_index()}"'
        kinds = set(self.codes[a:b])
        if len(kinds) == 1 and kinds <= {NUM, SST, RESULT}:  # one kind of cell: one comprehension
            kind, values = kinds.pop(), self.values[a:b]
            if kind == NUM:
                return [
                    f'<c r="{letter}{r}"{head}><v>{number_text(v)}</v></c>'
                    for r, v in zip(rows, values)
                ]
            if kind == SST:
                return [
                    f'<c r="{letter}{r}"{head} t="s"><v>{int(v)}</v></c>'
                    for r, v in zip(rows, values)
                ]
            prefix = self.prefix
            return [f'<c r="{letter}{r}"{head}{prefix}{v!r}</v></c>' for r, v in zip(rows, values)]
        return [f'<c r="{letter}{r}"{head}{s}' for r, s in zip(rows, self.suffixes(a, b))]


class SheetData:
    """The bulk cells of one worksheet, by column; see the module's docstring."""

    def __init__(self, ws):
        self.ws = ws
        self.columns: list[_Column] = []
        self.cells = 0
        #: rows rendered ahead by :meth:`seal`: their XML in a temporary file, the next row,
        #: what XlsxWriter held for those rows and the column settings when they were rendered
        #: (nothing of it may change afterwards)
        self._sealed = None
        self._sealed_to = 0
        self._sealed_rows: dict = {}
        self._sealed_cols = None

    def __bool__(self) -> bool:
        """Whether the sheet has bulk cells (held, or rendered ahead by :meth:`seal`)."""
        return bool(self.columns) or self._sealed is not None

    # ---------------------------------------------------------------- adding cells

    def _add(self, column: _Column) -> None:
        fmts = column.fmt if isinstance(column.fmt, list) else [column.fmt]
        if any(f is None for f in fmts):
            raise ValueError("a bulk cell needs a format (XlsxWriter's fallbacks are not copied)")
        n = len(column)
        if not n:
            return
        ws = self.ws
        if ws._check_dimensions(column.first, column.col) or ws._check_dimensions(
            column.first + n - 1, column.col
        ):
            raise ValueError(f"{ws.name}: cells beyond the sheet's last row or column")
        last = column.first + n
        for r, cells in ws.table.items():  # a bulk cell replaces one written before
            if column.first <= r < last:
                cells.pop(column.col, None)
        self.columns.append(column)
        self.cells += n

    def text_columns(self, first: int, block: list[tuple[int, list, object]]) -> None:
        """Columns of text from row ``first``, their shared strings indexed in row-major order.

        ``block``: (column, values, format) of each, values a str or None
        (a formatted blank); the shared-string table is filled row by row, as
        XlsxWriter fills it when the same cells are written row by row.
        """
        index = self.ws.str_table._get_shared_string_index
        columns = [_Column(col, first, fmt) for col, _, fmt in block]
        for row in zip(*(values for _, values, _ in block)):
            for column, s in zip(columns, row):
                if s is None:
                    column.blank()
                else:
                    column.string(index(s))
        for column in columns:
            self._add(column)

    def grid(self, row: int, col: int, grid: list[list], formats: list, skip_top=True) -> None:
        """A block of values (a spill's cached results) from (row, col), rows of ``grid``.

        A value is written as ``write_spill`` writes it through XlsxWriter:
        text as a shared string (indexed in row-major order), None or a
        non-finite number as a formatted blank, a bool as a boolean, else a
        number. ``skip_top``: the top-left cell is the formula's own.
        """
        if not grid:
            return
        index = self.ws.str_table._get_shared_string_index
        width = max(len(r) for r in grid)
        if any(len(r) != width for r in grid):
            raise ValueError("a spill's rows must all have the same width")
        cols = [
            _Column(
                col + j,
                row + 1 if (j == 0 and skip_top) else row,
                formats[min(j, len(formats) - 1)],
            )
            for j in range(width)
        ]
        for i, values in enumerate(grid):
            for j, v in enumerate(values):
                if i == 0 and j == 0 and skip_top:
                    continue
                cols[j].value(v, index)
        for cells in cols:
            self._add(cells)

    def value_column(self, col: int, first: int, values: list, fmt) -> None:
        """One column of a spill's cached results (see :meth:`grid`), for a column holding no text,
        or the only column of its spill that does (so the shared strings keep their order)."""
        index = self.ws.str_table._get_shared_string_index
        cells = _Column(col, first, fmt)
        for v in values:
            cells.value(v, index)
        self._add(cells)

    def number_column(self, col: int, first: int, numbers: list, fmt) -> None:
        """Numbers (None: a formatted blank)."""
        cells = _Column(col, first, fmt)
        for v in numbers:
            if v is None:
                cells.blank()
            elif type(v) is float:
                cells.number(v)
            else:  # the text number_text gives it, whatever its type
                cells.text(f"><v>{number_text(v)}</v></c>")
        self._add(cells)

    def formula_column(self, col: int, first: int, formula: str, values: list, fmt) -> None:
        """One formula in every cell of a column (each with its cached value).

        Shared (``<f t="shared">``) when the worksheet registered the formula
        with ``share_formula``, as :class:`~tradecalc.workbook.sheets.PreparedFormulaWorksheet` writes it.
        """
        ws = self.ws
        if re_dynamic_function.search(formula) or formula.startswith("{"):
            raise ValueError(f"{formula[:40]!r}: an array formula, not a column of plain formulas")
        body = ws._prepare_formula(formula)
        shared = ws.__dict__.get("_shared", {}).get(body)
        text = _escape(body)
        if shared is None:
            head, other = None, f"<f>{text}</f>"
        else:
            si, top, ref = shared
            at = xl_cell_to_rowcol(top)
            head = at[0] - first if at[1] == col else None
            other = f'<f t="shared" si="{si}"/>'
        # str(float) is what XlsxWriter writes for a formula's numeric result
        cells = _Column(col, first, fmt, prefix=f">{other}<v>")
        for v in values:
            if type(v) is float:
                cells.result(v)
            else:
                cells.text(_formula_cell(v, other))
        if head is not None and 0 <= head < len(cells):
            top_f = f'<f t="shared" ref="{ref}" si="{si}">{text}</f>'
            cells.set_text(head, _formula_cell(values[head], top_f))
        self._add(cells)

    def dynamic_array(self, row, col, last_row, last_col, formula: str, fmt, value) -> None:
        """A dynamic-array formula's top-left cell, as ``write_dynamic_array_formula`` stores it.

        Without XlsxWriter's padding of the spill range with zeros: the
        range's other cells are bulk cells holding the cached results.
        """
        ws = self.ws
        if ws._check_dimensions(row, col) or ws._check_dimensions(last_row, last_col):
            raise ValueError(f"{ws.name}: a spill beyond the sheet's last row or column")
        first = xl_rowcol_to_cell(row, col)
        ref = (
            first
            if (row, col) == (last_row, last_col)
            else f"{first}:{xl_rowcol_to_cell(last_row, last_col)}"
        )
        ws.table[row][col] = CellArrayFormulaTuple(
            ws._prepare_formula(formula), fmt, value, ref, "dynamic"
        )
        ws.has_dynamic_arrays = True

    # ---------------------------------------------------------------- writing

    def assign_styles(self) -> None:
        """Give every format its style index in XlsxWriter's order of first use (row by row).

        XlsxWriter numbers a format the first time it writes a cell with it,
        so the indices (and styles.xml) depend on that order.
        """
        ws = self.ws
        uses = []
        for c in self.columns:
            if isinstance(c.fmt, list):
                seen = {}
                for i, f in enumerate(c.fmt):
                    seen.setdefault(id(f), (c.first + i, c.col, f))
                uses += seen.values()
            else:
                uses.append((c.first, c.col, c.fmt))
        for r, info in ws.row_info.items():
            if info.row_format is not None:
                uses.append((r, -1, info.row_format))
        for r, cells in ws.table.items():
            for c, cell in cells.items():
                fmt = cell.format
                if fmt is None and r in ws.row_info and ws.row_info[r].row_format:
                    fmt = ws.row_info[r].row_format
                elif fmt is None and c in ws.col_info:
                    fmt = ws.col_info[c].column_format
                if fmt is not None:
                    uses.append((r, c, fmt))
        for _, _, fmt in sorted(uses, key=lambda u: (u[0], u[1])):
            fmt._get_xf_index()

    def _stock_cells(self, start: int, stop: int) -> dict[int, list[tuple[int, str]]]:
        """Cells written through XlsxWriter's API, rendered by XlsxWriter, by row."""
        ws = self.ws
        out: dict[int, list[tuple[int, str]]] = {}
        fh = ws.fh
        try:
            for r in range(start, stop):
                cells = ws.table.get(r)
                if not cells:
                    continue
                row = out[r] = []
                for c in sorted(cells):
                    ws.fh = io.StringIO()
                    ws._write_cell(r, c, cells[c])
                    row.append((c, ws.fh.getvalue()))
        finally:
            ws.fh = fh
        return out

    def _spans(self) -> dict[int, str]:
        """XlsxWriter's ``spans`` of each block of 16 rows: first:last column with a cell or a comment."""
        ws = self.ws
        low: dict[int, int] = {}
        high: dict[int, int] = {}

        def see(block, lo, hi):
            if block in low:
                low[block], high[block] = min(low[block], lo), max(high[block], hi)
            else:
                low[block], high[block] = lo, hi

        for c in self.columns:
            for block in range(c.first // 16, (c.first + len(c) - 1) // 16 + 1):
                see(block, c.col, c.col)
        for r, cells in ws.table.items():
            if cells:
                see(r // 16, min(cells), max(cells))
        for r, cells in ws.comments.items():
            if cells:
                see(r // 16, min(cells), max(cells))
        return {b: f"{low[b] + 1}:{high[b] + 1}" for b in low}

    def _row_tag(self, r: int, span, info, empty=False) -> str:
        """XlsxWriter's ``<row>`` start tag (or empty row) for row ``r``."""
        ws = self.ws
        fh = ws.fh
        ws.fh = io.StringIO()
        try:
            ws._write_row(r, span, info, empty_row=empty)
            return ws.fh.getvalue()
        finally:
            ws.fh = fh

    def release(self) -> None:
        """Drop the cells once written (a sheet of the 10^5-figure build holds up to 30 MiB)."""
        self.columns = []
        if self._sealed is not None:
            self._sealed.close()
            self._sealed = None

    def seal(self, stop: int | None = None) -> None:
        """Render the rows before sheet row ``stop`` (0-based; None: all) now, and drop their cells.

        Their XML goes to a temporary file that :meth:`iter_xml` streams from, so a
        large sheet is never held whole (the Figures sheet of 10^5 figures: 28 MiB
        of compact cells, written a block of :data:`CHUNK_ROWS` rows at a time).
        Every cell of those rows must be written already, and every format used
        numbered (:class:`~tradecalc.workbook.sheets.Formats` numbers its formats
        when it makes them): nothing written later can change these rows. ``stop``
        is a multiple of 16 (XlsxWriter gives each group of 16 rows one ``spans``), or
        the sheet's end, after which nothing more is written in its group (refused when
        the sheet is written).
        """
        import tempfile

        ws = self.ws
        if ws.dim_rowmin is None:
            return
        stop = ws.dim_rowmax + 1 if stop is None else stop
        if stop % 16 and stop != ws.dim_rowmax + 1:
            raise ValueError(f"{ws.name}: rows are sealed a group of 16 rows at a time")
        if stop < self._sealed_to:
            raise ValueError(f"{ws.name}: the rows before {self._sealed_to + 1} are sealed already")
        if any(c.first < self._sealed_to or c.first + len(c) > stop for c in self.columns):
            raise ValueError(f"{ws.name}: cells outside the rows being sealed")
        if self._sealed_cols is not None and dict(ws.col_info) != self._sealed_cols:
            raise ValueError(f"{ws.name}: the columns were set again after rows were sealed")
        # what XlsxWriter holds for the rows being sealed, looked up row by row (not a scan of
        # every row so far: a sheet sealed 10^2 times with a height on each of its 10^5 rows)
        held = self._held(self._sealed_to, stop)
        self._refuse_unnumbered(held)
        if self._sealed is None:
            self._sealed = tempfile.TemporaryFile()
        for chunk in self._render(max(ws.dim_rowmin, self._sealed_to), stop):
            self._sealed.write(chunk.encode("utf-8"))
        self._sealed_rows.update(held)
        self._sealed_cols = dict(ws.col_info)
        self._sealed_to = stop
        self.columns = []

    def _refuse_unnumbered(self, held: dict) -> None:
        """A format not yet numbered would be numbered out of XlsxWriter's order: refused."""
        formats = {}
        for c in self.columns:
            for f in c.fmt if isinstance(c.fmt, list) else [c.fmt]:
                formats[id(f)] = f
        for (kind, _), value in held.items():
            if kind == "cell":
                formats.update((id(x.format), x.format) for _, x in value if x.format)
            elif kind == "row" and value.row_format is not None:
                formats[id(value.row_format)] = value.row_format
        for f in formats.values():
            if f.xf_index is None and f._get_format_key() not in f.xf_format_indices:
                raise ValueError(f"{self.ws.name}: a cell format is not numbered yet")

    def _stock(self):
        """What XlsxWriter holds by row: cells written through it, row formats, comments."""
        ws = self.ws
        return (("cell", ws.table), ("row", ws.row_info), ("comment", ws.comments))

    @staticmethod
    def _copy(kind: str, value):
        # a row's settings are one immutable record; its cells and comments a dict to copy
        return value if kind == "row" else tuple(sorted(value.items(), key=lambda x: x[0]))

    def _held(self, start: int, stop: int) -> dict:
        """(kind, row) → a copy of what XlsxWriter holds for rows ``start``..``stop - 1``."""
        return {
            (kind, r): self._copy(kind, rows[r])
            for r in range(start, stop)
            for kind, rows in self._stock()
            if r in rows and (kind == "row" or rows[r])
        }

    def iter_xml(self) -> Iterator[str | bytes]:
        """The ``<row>`` elements of the sheet, in chunks of :data:`CHUNK_ROWS` rows
        (the rows sealed ahead as bytes, read back a piece at a time)."""
        ws = self.ws
        if self._sealed is not None:
            group_end = -(-self._sealed_to // 16) * 16  # rows sharing the last sealed row's spans
            if (
                self._held(0, group_end) != self._sealed_rows
                or any(c.first < group_end for c in self.columns)
                or dict(ws.col_info) != self._sealed_cols
            ):
                raise ValueError(f"{ws.name}: a row or a column was written after it was sealed")
            self._sealed.seek(0)
            while piece := self._sealed.read(_COPY_BYTES):
                yield piece
        start = max(ws.dim_rowmin, self._sealed_to)
        if start <= ws.dim_rowmax:
            yield from self._render(start, ws.dim_rowmax + 1)

    def _render(self, first: int, last: int) -> Iterator[str]:
        """The ``<row>`` elements of sheet rows ``first``..``last - 1``, a chunk at a time."""
        ws = self.ws
        spans = self._spans()
        # '<row r="1" spans="\x00">': the start tag of a row without attributes of its own
        plain = self._row_tag(0, "\x00", None)
        before, after = plain.split('r="1"', 1)
        after_span = after.split("\x00", 1)[1]
        columns = sorted(self.columns, key=lambda c: c.col)
        info, comments = ws.row_info, ws.comments

        def tag(r):
            span = spans.get(r // 16)
            if r in info:
                return self._row_tag(r, span, info[r])
            return f'{before}r="{r + 1}" spans="{span}{after_span}'

        for start in range(first, last, CHUNK_ROWS):
            stop = min(start + CHUNK_ROWS, last)
            stock = self._stock_cells(start, stop)
            full = all(c.first <= start and c.first + len(c) >= stop for c in columns)
            if full and not stock and columns:
                rows = map("".join, zip(*(c.render(start, stop) for c in columns)))
                yield "".join(
                    f"{tag(r)}{cells}</row>" for r, cells in zip(range(start, stop), rows)
                )
                continue
            by_row: list[list[tuple[int, str]]] = [[] for _ in range(stop - start)]
            for c in columns:
                for i, cell in enumerate(c.render(start, stop), start=max(c.first - start, 0)):
                    by_row[i].append((c.col, cell))
            out = []
            for i, cells in enumerate(by_row):
                r = start + i
                if r in stock:
                    cells = sorted(cells + stock[r], key=lambda x: x[0])
                if cells:
                    out.append(tag(r) + "".join(x for _, x in cells) + "</row>")
                elif r in info or r in comments:
                    out.append(self._row_tag(r, spans.get(r // 16), info.get(r), empty=True))
            yield "".join(out)


def marker(index: int) -> str:
    """The XML comment that stands for the ``<sheetData>`` of sheet ``index`` until :func:`splice`."""
    return _MARKER.format(index)


def splice(data: bytes, sheets: dict[str, SheetData], into=None) -> bytes | None:
    """XlsxWriter's file ``data`` with each marked ``<sheetData>`` replaced by its streamed rows.

    ``sheets``: marker → the sheet's cells, released once written. Every other member is written
    again with XlsxWriter's own settings (fixed date, deflate at the default
    level), so it is the same bytes. ``into``: a binary file the workbook is written
    into (then None is returned), rather than returned as bytes.
    """
    out = io.BytesIO() if into is None else into
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as new,
    ):
        for info in old.infolist():
            zi = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            if not info.filename.startswith("xl/worksheets/"):
                # copied a piece at a time (the shared strings inflate to 10 MiB at 10^5 figures)
                with old.open(info) as src, new.open(zi, "w") as dest:
                    shutil.copyfileobj(src, dest, _COPY_BYTES)
                continue
            body = old.read(info.filename)  # a sheet's XML, with a marker for its cells: small
            found = next((m for m in sheets if m.encode() in body), None)
            if found is None:
                new.writestr(zi, body)
                continue
            cells = sheets[found]
            head, tail = body.split(found.encode(), 1)
            if cells.cells >= FAST_LEVEL_MIN_CELLS:
                zi._compresslevel = FAST_LEVEL  # zipfile's per-member level (3.7+)
            with new.open(zi, "w") as fh:
                fh.write(head)
                for chunk in cells.iter_xml():
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                fh.write(tail)
            cells.release()
    return out.getvalue() if into is None else None
