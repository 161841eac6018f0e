"""The template workbook's sheets: front page, data Tables, Derived, Checks, xlwings.conf.

Written with XlsxWriter; the layout contract is :mod:`tradecalc.workbook.layout`.
Every text that comes from a release (ids, labels, sentences, URLs) goes
through :func:`put_text`, which writes a string cell: a label such as
``=1+1`` or ``@SUM(A1)`` stays text and never becomes a formula.
"""

from __future__ import annotations

import math
import re

from xlsxwriter.worksheet import Worksheet, convert_range_args

from tradecalc.model.published import is_nan
from tradecalc.model.release import (
    BREAKDOWN_COLUMNS,
    FIGURE_COLUMNS,
    RELEASE_KEYS,
    STATEMENT_COLUMNS,
    Release,
)
from tradecalc.workbook.formulas import (
    CALCULATED_COLUMNS,
    CHECKS_FORMULA,
    DERIVED_SHEET_COLUMNS,
    DERIVED_VIEW_COLUMNS,
    FIGURES_TABLE_COLUMNS,
    MAX_CELL_CHARS,
    PARENT_ROW,
    as_list,
    cached,
    calculated_column_formulas,
    derived_view_formulas,
    fits_a_cell,
    utf16_len,
)
from tradecalc.workbook.layout import (
    ABOUT_SHEET,
    BREAKDOWNS_SHEET,
    BREAKDOWNS_TABLE,
    CHECKS_SHEET,
    DERIVED_SHEET,
    FIGURES_SHEET,
    FIGURES_TABLE,
    RELEASE_SHEET,
    RELEASE_TABLE,
    STATEMENTS_SHEET,
    STATEMENTS_TABLE,
    UDF_MODULE,
    XLWINGS_CONF_SHEET,
)
from tradecalc.workbook.sheetdata import (
    BOOLEAN,
    CHUNK_ROWS,
    EMPTY,
    TEXT,
    SheetData,
    marker,
    number_text,
    spill_kind,
)

#: Excel number format of each kind of number (conventions: README, "Units").
NUMBER_FORMATS = {
    "money": "#,##0.00",
    "fraction": "0.0%",
    "pp": '0.0 "pp"',
    "years": "0",
    "rate": "0.0000",
    "decimals": "0",
}

FIGURE_WIDTHS = {
    "id": 18,
    "label": 30,
    "period": 9,
    "flow": 8,
    "series": 8,
    "breakdown": 18,
    "parent": 14,
    "value": 10,
    "value_decimals": 8,
    "unit": 12,
    "yoy": 8,
    "yoy_decimals": 8,
    "earlier_growth": 9,
    "earlier_growth_decimals": 9,
    "earlier_period": 9,
    "sentence": 60,
    "growth_sentence": 40,
    "review": 16,
}
DERIVED_WIDTH = {
    "id": 18,
    "share_change_pp": 13,
    "earlier_base": 12,
    "average_growth": 13,
    "prior_growth": 12,
    "contribution": 12,
}
CHECK_WIDTHS = {
    "check": 26,
    "kind": 20,
    "figures": 24,
    "description": 48,
    "stated": 11,
    "computed": 11,
    "difference": 11,
    "tolerance": 10,
    "low": 11,
    "high": 11,
    "unit": 12,
    "status": 22,
    "note": 48,
}

TABLE_STYLE = "Table Style Medium 2"
#: From this many figures the calculated columns are stored as shared formulas (one text per
#: column): 10,000 figures inflate to 22 MiB instead of 51 MiB, within the readers' limits.
SHARED_FORMULA_MIN = 2000
WRAPPED_FIGURE_COLUMNS = ("label", "sentence", "growth_sentence", "review")


#: A function name and its "(" as XlsxWriter's formula rewrites see them: a
#: maximal run of word characters and dots ending in "(".
_FUNCTION_CALL = re.compile(r"[\w.]+\(")


class PreparedFormulaWorksheet(Worksheet):
    """An XlsxWriter worksheet that skips the formula rewrites that would change nothing.

    ``Worksheet.write_formula`` runs ~30 ``re.sub`` on every formula (``XLOOKUP(``
    → ``_xlfn.XLOOKUP(`` and so on, for functions newer than Excel 2007): 40% of
    a large build, though this workbook's formulas use none of those
    functions. Every rewrite is of a name followed by "(", so whether a formula
    changes depends only on the names it calls: each distinct name (``TRADE_BASE(``,
    ``IF(``) is run once through XlsxWriter's own ``_prepare_formula`` (with a
    "(" before it, as in a formula) and remembered; a formula whose names all
    come back unchanged is stored as XlsxWriter would store it (without its "="),
    any other goes through XlsxWriter unchanged. The file is the same byte for byte.
    Subclassing the worksheet class is XlsxWriter's documented way to extend it
    (``Workbook.add_worksheet(worksheet_class=...)``).
    """

    #: (name, with future functions) → XlsxWriter leaves it unchanged
    _unchanged: dict[tuple[str, bool], bool] = {}

    def share_formula(self, formula: str, first_row: int, first_col: int, last_row: int) -> None:
        """Store the cells of a column range holding ``formula`` as one shared formula.

        Excel's own compact form (``<f t="shared" ref=… si=…>``): the text is
        written once, in the first cell; every other cell refers to it. For a
        Table's calculated column, whose formula names its own row by
        structured reference (no A1 reference to shift), every row reads the
        same text. A 12-column Figures sheet of 10,000 figures shrinks from
        42 MiB of XML to about a fifth.
        """
        from xlsxwriter.utility import xl_rowcol_to_cell

        shared = self.__dict__.setdefault("_shared", {})
        body = formula[1:] if formula.startswith("=") else formula
        first = xl_rowcol_to_cell(first_row, first_col)
        ref = f"{first}:{xl_rowcol_to_cell(last_row, first_col)}"
        shared[body] = (len(shared), first, ref)

    def _xml_formula_element(self, formula, result, attributes=[]) -> None:
        shared = self.__dict__.get("_shared", {}).get(formula)
        if shared is None:
            return super()._xml_formula_element(formula, result, attributes)
        si, first, ref = shared
        attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
        result = self._escape_data(result)
        if dict(attributes).get("r") == first:
            f = f'<f t="shared" ref="{ref}" si="{si}">{self._escape_data(formula)}</f>'
        else:
            f = f'<f t="shared" si="{si}"/>'
        self.fh.write(f"<c{attr}>{f}<v>{result}</v></c>")

    def _xml_number_element(self, number, attributes=[]) -> None:
        # XlsxWriter writes "%.16G", which can drop a float's 17th digit: the fewest digits
        # that read back as the same float instead (the same text whenever 16 suffice).
        attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
        self.fh.write(f"<c{attr}><v>{number_text(number)}</v></c>")

    def _prepare_formula(self, formula, expand_future_functions=False):
        future = bool(self.use_future_functions or expand_future_functions)
        if formula.startswith("{") or formula.endswith("}") or "_xlfn." in formula:
            return super()._prepare_formula(formula, expand_future_functions)
        body = formula[1:] if formula.startswith("=") else formula
        unchanged = self._unchanged
        for name in set(_FUNCTION_CALL.findall(body)):
            ok = unchanged.get((name, future))
            if ok is None:
                probe = f"({name})"
                ok = unchanged[(name, future)] = (
                    super()._prepare_formula(probe, expand_future_functions) == probe
                )
            if not ok:
                return super()._prepare_formula(formula, expand_future_functions)
        return body


class StreamedWorksheet(PreparedFormulaWorksheet):
    """A worksheet whose bulk cells (:attr:`bulk`) are rendered by :mod:`tradecalc.workbook.sheetdata`.

    XlsxWriter writes the sheet as usual, but for ``<sheetData>`` a marker,
    which :func:`tradecalc.workbook.sheetdata.splice` replaces by the rows in
    the finished file. A sheet without bulk cells is XlsxWriter's throughout.
    """

    def __init__(self):
        super().__init__()
        self.bulk = SheetData(self)
        self.table_cells = _TableRanges()

    @convert_range_args  # as XlsxWriter's: add_table("A1:D10", ...) too
    def add_table(self, first_row, first_col, last_row, last_col, options=None):
        """XlsxWriter's ``add_table``, its Tables' cells kept as rectangles (see :class:`_TableRanges`)."""
        box = (
            min(first_row, last_row),
            min(first_col, last_col),
            max(first_row, last_row),
            max(first_col, last_col),
        )
        self.table_cells.opening(box)
        try:
            return super().add_table(first_row, first_col, last_row, last_col, options)
        finally:
            self.table_cells.close()

    @property
    def marker(self) -> str:
        """The XML comment written for this sheet's ``<sheetData>``, replaced by its rows when spliced."""
        return marker(self.index)

    def _write_sheet_data(self) -> None:
        if not self.bulk:
            return super()._write_sheet_data()
        self.bulk.assign_styles()  # now, as XlsxWriter numbers formats while writing the sheet
        self.fh.write(f"<sheetData>{self.marker}</sheetData>")


class _TableRanges(dict):
    """XlsxWriter's ``table_cells`` (each cell of a Table → the Table's range), held as rectangles.

    XlsxWriter stores an entry per cell of every Table, to refuse a Table or a
    merged range overlapping one: 3.3 million entries (about 0.3 GiB at its
    peak) for the Figures Table of 10^5 figures. It only looks cells up
    (``get``) and stores them (``table[cell] = range``) inside ``add_table``;
    here a store marks the Table being added (:meth:`opening`), kept as its
    rectangle when ``add_table`` ends, and a look-up finds the Table holding
    the cell. The Table being added is not looked up by its own cells, as with
    XlsxWriter, where each cell is looked up before it is stored.
    """

    def __init__(self):
        super().__init__()
        self._ranges: list[tuple[int, int, int, int, str]] = []
        self._box = None
        self._text = None

    def get(self, key, default=None):
        row, col = key
        for r0, c0, r1, c1, text in self._ranges:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return text
        return default

    def __setitem__(self, key, text):
        self._text = text

    def opening(self, box) -> None:
        """``add_table`` of rectangle ``box`` (first row, first column, last row, last column) starts."""
        self._box, self._text = box, None

    def close(self) -> None:
        """``add_table`` ended: its rectangle is a Table's if it stored its cells."""
        if self._box is not None and self._text is not None:
            self._ranges.append((*self._box, self._text))
        self._box = self._text = None


def add_sheets(wb, names) -> None:
    """Add the worksheets ``names`` in this order, to be filled in any order (:func:`sheet`).

    The build writes the Checks sheet before the Figures sheet it follows, so the
    checks table is freed before the figures' cells are made (issue 16).
    """
    reserved = wb.__dict__.setdefault("_tradecalc_reserved", set())
    for name in names:
        wb.add_worksheet(name)
        reserved.add(name)


def sheet(wb, name: str):
    """The worksheet ``name`` added by :func:`add_sheets` and not yet taken, or a new one
    added now (a name taken twice is refused, as XlsxWriter refuses it)."""
    reserved = wb.__dict__.get("_tradecalc_reserved", set())
    if name in reserved:
        reserved.discard(name)
        return wb.get_worksheet_by_name(name)
    return wb.add_worksheet(name)


def bulk_of(ws) -> SheetData | None:
    """The worksheet's bulk cells when it streams them, else None (every cell through XlsxWriter)."""
    return getattr(ws, "bulk", None)


class Formats:
    """The workbook's cell formats, created once per workbook."""

    def __init__(self, wb):
        self.header = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "bottom": 1}
        )
        self.title = wb.add_format({"bold": True, "font_size": 16})
        self.subtitle = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E79"})
        self.key = wb.add_format({"bold": True, "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top", "indent": 1})
        self.text = wb.add_format({"valign": "top"})
        self.mono = wb.add_format({"font_name": "Consolas", "valign": "top"})
        self.link = wb.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
        self.number = {
            k: wb.add_format({"num_format": f, "valign": "top"}) for k, f in NUMBER_FORMATS.items()
        }
        self.number["text"] = self.text
        #: numbers of the Checks table, whose rows mix units (fractions, money): General
        self.rate = self.text
        self.status = {
            "red": wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006", "bold": True}),
            "amber": wb.add_format({"bg_color": "#FFE699", "font_color": "#7F6000"}),
            "green": wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
            "grey": wb.add_format({"bg_color": "#E7E6E6", "font_color": "#595959"}),
            "row": wb.add_format({"bg_color": "#FCE4D6"}),
        }
        # The cell formats numbered now, in this order, rather than by first use while the file is
        # written: a big sheet's rows can then be rendered as soon as they are written
        # (SheetData.seal), and both writers number them alike. The status formats are only
        # conditional formats (their own numbering): not numbered here.
        cells = [self.header, self.title, self.subtitle, self.key, self.wrap, self.text]
        cells += [self.mono, self.link, *self.number.values()]
        for f in cells:
            f._get_xf_index()


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (estimate)."""
    per_line = max(int(width * 1.1), 8)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def fit_rows(ws, heights: dict[int, int], line_points: float = 13.5):
    """Give each row the height of its tallest wrapped text (readers do not all autofit)."""
    for row, lines in sorted(heights.items()):
        if lines > 1:
            ws.set_row(row, line_points * lines + 2)


#: A literal "_x000C_" in a text: stored as "_x005F_x000C_", which openpyxl reads back as "_x000C_",
#: indistinguishable from an escaped control character (a form feed), so it is refused.
_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def checked_text(ws, row, col, value) -> str | None:
    """Release text as a cell holds it (None for a blank); ValueError naming the cell if it cannot.

    A text longer than a cell holds (32,767 UTF-16 units; XlsxWriter would cut
    it without a word) is refused, never cut: ``pull`` would otherwise bring
    back another text. So is a literal ``_x000C_``.
    """
    if is_nan(value) or value == "":
        return None
    text = str(value)
    if not fits_a_cell(text):
        from xlsxwriter.utility import xl_rowcol_to_cell

        raise ValueError(
            f"{ws.name}!{xl_rowcol_to_cell(row, col)}: a text of {utf16_len(text):,} characters "
            f"(starting {text[:40]!r}) is longer than an Excel cell holds ({MAX_CELL_CHARS:,}); "
            "shorten it in the release file"
        )
    if "_x" in text and _LITERAL_ESCAPE.search(text):
        from xlsxwriter.utility import xl_rowcol_to_cell

        raise ValueError(
            f"{ws.name}!{xl_rowcol_to_cell(row, col)}: the text {text[:60]!r} holds "
            f"{_LITERAL_ESCAPE.search(text).group(0)!r}, which the file format reads as an escaped "
            "control character (openpyxl cannot tell them apart); write it otherwise"
        )
    return text


def put_text(ws, row, col, value, fmt=None):
    """Write release text as a string cell (never a formula); blanks stay empty.

    The text is :func:`checked_text`: refused (ValueError naming the cell) rather than cut.
    """
    text = checked_text(ws, row, col, value)
    if text is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    ws.write_string(row, col, text, fmt)


def put_number(ws, row, col, value, fmt):
    """Write ``value`` as a number at (``row``, ``col``), or a formatted blank cell for None or NaN."""
    if is_nan(value):
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def page_setup(
    ws,
    title: str | None,
    *,
    repeat_header: bool = True,
    landscape: bool = True,
    fit_width: bool = True,
    side_margin: float = 0.4,
):
    """Readable pages: A4, landscape, fit to one page wide, header row repeated, page numbers.

    ``title=None`` leaves the page header empty (sheets that carry their own title).
    """
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.set_margins(left=side_margin, right=side_margin, top=0.6, bottom=0.6)
    if fit_width:
        ws.fit_to_pages(1, 0)
    if repeat_header:
        ws.repeat_rows(0)
    if title is not None:
        ws.set_header(f'&L&"-,Bold"{_header_text(title)}&R&A')
    ws.set_footer("&CPage &P of &N")


def _header_text(text: str) -> str:
    # "&" starts a control code in a page header: double it.
    return text.replace("&", "&&")[:200]


def _table(ws, name, columns, nrows, widths=None):
    ws.add_table(
        0,
        0,
        max(nrows, 1),
        len(columns) - 1,
        {
            "name": name,
            "columns": [{"header": c} for c in columns],
            "style": TABLE_STYLE,
        },
    )
    ws.freeze_panes(1, 1)
    for i, c in enumerate(columns):
        ws.set_column(i, i, (widths or {}).get(c, 14))


# ------------------------------------------------------------------------------ data tables


def write_figures(wb, F: Formats, release: Release, derived=None):
    """The Figures Table: the release's columns, then the calculated columns (live formulas).

    ``derived`` is :func:`tradecalc.analysis.derived_table.derived_fields` of the
    release (or its frame, :func:`~tradecalc.analysis.derived_table.derive`): its
    numbers are the cached values of the calculated columns.
    """
    ws = sheet(wb, FIGURES_SHEET)
    cols = list(FIGURE_COLUMNS)
    formulas = calculated_column_formulas()
    n = len(release.figures)
    kinds = {c: DERIVED_SHEET_COLUMNS.get(c, "decimals") for c in CALCULATED_COLUMNS}
    bulk = bulk_of(ws)
    spec = [{"header": c} for c in cols] + [
        {"header": c, "format": F.number.get(kinds[c], F.text)}
        | ({} if bulk is not None else {"formula": formulas[c]})
        for c in CALCULATED_COLUMNS
    ]
    ws.add_table(
        0,
        0,
        max(n, 1),
        len(spec) - 1,
        {"name": FIGURES_TABLE, "columns": spec, "style": TABLE_STYLE},
    )
    if bulk is not None:
        # The calculated columns' formulas, as add_table stores them, without add_table writing
        # each into every row (the bulk cells below hold them, with their cached values).
        table = ws.tables[-1]
        for k, c in enumerate(CALCULATED_COLUMNS):
            text = ws._prepare_table_formula(formulas[c].lstrip("="))
            table["columns"][len(cols) + k]["formula"] = ws._prepare_formula(text, True)
    ws.freeze_panes(1, 1)
    for i, c in enumerate(FIGURES_TABLE_COLUMNS):
        ws.set_column(i, i, FIGURE_WIDTHS.get(c, DERIVED_WIDTH.get(c, 11)))
    ws.set_row(0, 30, F.header)
    if bulk is not None:
        _bulk_figures(ws, bulk, F, release, derived, formulas, kinds)
    else:
        heights: dict[int, int] = {}
        for i, f in enumerate(release.figures, start=1):
            for j, c in enumerate(cols):
                v = getattr(f, c, "")
                if c in WRAPPED_FIGURE_COLUMNS and v:
                    heights[i] = max(heights.get(i, 1), text_lines(v, FIGURE_WIDTHS[c]))
                    put_text(ws, i, j, v, F.wrap)
                    continue
                if c in ("value",):
                    put_number(ws, i, j, v, F.number["money"])
                elif c in ("yoy", "earlier_growth"):
                    put_number(ws, i, j, v, F.number["fraction"])
                elif c.endswith("_decimals"):
                    put_number(ws, i, j, math.nan if v is None else v, F.number["decimals"])
                else:
                    put_text(ws, i, j, v, F.text)
        _write_calculated(ws, F, release, derived, formulas, kinds)
        fit_rows(ws, heights)
    page_setup(ws, f"{release.meta.get('title', '')}: figures")
    return ws


def _number_format(F: Formats, column: str):
    """The format of a number column of the Figures Table (None: a text column)."""
    if column == "value":
        return F.number["money"]
    if column in ("yoy", "earlier_growth"):
        return F.number["fraction"]
    if column.endswith("_decimals"):
        return F.number["decimals"]
    return None


def _bulk_figures(ws, bulk: SheetData, F: Formats, release: Release, derived, formulas, kinds):
    """The Figures Table's rows as bulk cells, a block of :data:`CHUNK_ROWS` sheet rows at a
    time, each block rendered (:meth:`SheetData.seal`) before the next is made.

    The same cells as the loop of :func:`write_figures` and :func:`_write_calculated`
    write through XlsxWriter (shared strings numbered row by row, as there); at 10^5
    figures a block holds 0.3 MiB of cells where the whole sheet held 28 MiB (issue 16).
    """
    figures = release.figures
    calc = _Calculated(release, derived)
    for k, c in enumerate(CALCULATED_COLUMNS):
        # shared only for large releases: LibreOffice recalculates shared formulas on load
        # (showing #NAME? without the add-in), and keeps the cached value of a plain one
        if len(calc.rows) > SHARED_FORMULA_MIN:
            ws.share_formula(formulas[c], 1, calc.first + k, len(calc.rows))
    # sheet rows [stop - CHUNK_ROWS, stop): figures a..b-1 are rows a+1..b (row 0: the header)
    for stop in range(CHUNK_ROWS, len(calc.rows) + CHUNK_ROWS + 1, CHUNK_ROWS):
        a, b = max(stop - CHUNK_ROWS - 1, 0), min(stop - 1, len(calc.rows))
        heights: dict[int, int] = {}
        _bulk_figure_cells(ws, bulk, F, figures[a:b], a + 1, heights)
        for k, c in enumerate(CALCULATED_COLUMNS):
            fmt = F.number.get(kinds[c], F.text)
            bulk.formula_column(calc.first + k, a + 1, formulas[c], calc.values(c, a, b), fmt)
        fit_rows(ws, heights)
        bulk.seal(min(stop, len(calc.rows) + 1))


def _bulk_figure_cells(ws, bulk: SheetData, F: Formats, figures, first: int, heights):
    """The release's columns of figures in sheet rows from ``first``, as bulk cells: the cells
    the loop of :func:`write_figures` writes through XlsxWriter, column by column."""
    texts = []
    for j, c in enumerate(FIGURE_COLUMNS):
        values = [getattr(f, c, "") for f in figures]
        fmt = _number_format(F, c)
        if fmt is not None:
            bulk.number_column(j, first, [None if _missing(v) else float(v) for v in values], fmt)
            continue
        checked = [checked_text(ws, i, j, v) for i, v in enumerate(values, start=first)]
        if c in WRAPPED_FIGURE_COLUMNS:
            width = FIGURE_WIDTHS[c]
            for i, v in enumerate(values, start=first):
                if v:
                    heights[i] = max(heights.get(i, 1), text_lines(v, width))
            texts.append((j, checked, [F.wrap if v else F.text for v in values]))
        else:
            texts.append((j, checked, F.text))
    if figures:
        bulk.text_columns(first, texts)


def _missing(v) -> bool:
    """A number cell left blank: None or NaN (what ``put_number`` writes as a blank)."""
    return is_nan(v)


def _in_figure_order(derived, position: dict) -> bool:
    """Whether ``derived``'s rows are the figures, each once, in the release's order."""
    ids = as_list(derived["id"])
    return len(ids) == len(position) and all(
        position.get(i) == n for n, i in enumerate(ids, start=1)
    )


def _rows_of(column, a: int, b: int) -> list:
    """Cells ``a``..``b - 1`` of a table column (a list, an array or a Series) as Python objects."""
    return as_list(column.iloc[a:b] if hasattr(column, "iloc") else column[a:b])


class _Calculated:
    """The cached values of the Figures Table's calculated columns: derived's numbers by
    figure (read by position when derived's rows are the figures in order, as
    :func:`~tradecalc.analysis.derived_table.derived_fields` gives them), the parent's
    row, or a blank."""

    def __init__(self, release: Release, derived):
        self.first = len(FIGURE_COLUMNS)
        self.rows = release.figures or [None]  # an empty Table keeps one row of formulas
        self.position = {f.id: i for i, f in enumerate(release.figures, start=1)}
        self.derived = derived
        self.names = []
        if derived is not None and len(release.figures):
            self.names = [c for c in CALCULATED_COLUMNS if c in derived]
        # by position: no dict by id per column (12 of 10^5 entries at 10^5 figures)
        self.by_position = bool(self.names) and _in_figure_order(derived, self.position)
        self.by_id = {}
        if self.names and not self.by_position:
            ids = as_list(derived["id"])
            self.by_id = {c: dict(zip(ids, as_list(derived[c]))) for c in self.names}

    def value(self, f, c, found=math.nan):
        """The cached value of column ``c`` in the row of ``f`` (``found``: derived's number)."""
        if f is None:
            v = ""
        elif c == PARENT_ROW:
            v = float(self.position[f.parent]) if f.parent in self.position else ""
        else:
            v = cached(found)
        return cached_value(v)

    def values(self, c, a: int, b: int) -> list:
        """The cached values of column ``c`` in the rows of figures ``a``..``b - 1``."""
        rows = self.rows[a:b]
        if c not in self.names:
            return [self.value(f, c) for f in rows]
        if self.by_position:
            found = _rows_of(self.derived[c], a, b)
        else:
            got = self.by_id[c]
            found = [got.get(f.id, math.nan) for f in rows]
        return [
            v if type(v) is float and math.isfinite(v) else self.value(f, c, v)
            for f, v in zip(rows, found)
        ]


def _write_calculated(ws, F: Formats, release: Release, derived, formulas, kinds):
    """Each calculated cell as a formula with its cached value, through XlsxWriter.

    Plain (not array) formulas: each returns one number, and LibreOffice,
    which recalculates every array formula when it opens a file, keeps the
    cached value of a plain one.
    """
    calc = _Calculated(release, derived)
    for k, c in enumerate(CALCULATED_COLUMNS):
        if hasattr(ws, "share_formula") and len(calc.rows) > SHARED_FORMULA_MIN:
            ws.share_formula(formulas[c], 1, calc.first + k, len(calc.rows))
    values = [calc.values(c, 0, len(calc.rows)) for c in CALCULATED_COLUMNS]
    for i in range(len(calc.rows)):
        for k, c in enumerate(CALCULATED_COLUMNS):
            fmt = F.number.get(kinds[c], F.text)
            ws.write_formula(i + 1, calc.first + k, formulas[c], fmt, values[k][i])


def write_breakdowns(wb, F: Formats, release: Release):
    """Add the Breakdowns sheet: one table row per breakdown of the release; returns the sheet."""
    ws = sheet(wb, BREAKDOWNS_SHEET)
    cols = list(BREAKDOWN_COLUMNS)
    _table(
        ws,
        BREAKDOWNS_TABLE,
        cols,
        len(release.breakdowns),
        {"id": 24, "parent": 16, "kind": 12, "label": 60},
    )
    for i, b in enumerate(release.breakdowns, start=1):
        for j, c in enumerate(cols):
            put_text(ws, i, j, getattr(b, c), F.text)
    page_setup(ws, f"{release.meta.get('title', '')}: breakdowns")
    return ws


def write_statements(wb, F: Formats, release: Release):
    """Add the Statements sheet: one table row per stated relation of the release; returns the sheet."""
    ws = sheet(wb, STATEMENTS_SHEET)
    cols = list(STATEMENT_COLUMNS)
    _table(
        ws,
        STATEMENTS_TABLE,
        cols,
        len(release.statements),
        {
            "id": 18,
            "kind": 14,
            "figure": 12,
            "value": 10,
            "value_decimals": 8,
            "unit": 12,
            "approximate": 11,
            "reference": 36,
            "sentence": 70,
            "review": 16,
        },
    )
    ws.set_row(0, 30, F.header)
    for i, s in enumerate(release.statements, start=1):
        for j, c in enumerate(cols):
            v = getattr(s, c)
            if c == "value":
                put_number(
                    ws,
                    i,
                    j,
                    v,
                    F.number[
                        "fraction"
                        if s.kind == "share"
                        else "pp"
                        if s.kind == "pp_difference"
                        else "money"
                    ],
                )
            elif c == "value_decimals":
                put_number(ws, i, j, math.nan if v is None else v, F.number["decimals"])
            elif c == "approximate":
                ws.write_boolean(i, j, bool(v), F.text)
            else:
                put_text(ws, i, j, v, F.text)
    page_setup(ws, f"{release.meta.get('title', '')}: statements")
    return ws


def write_release(wb, F: Formats, release: Release):
    """Add the Release sheet: a key/value table of the release's meta; returns the sheet."""
    ws = sheet(wb, RELEASE_SHEET)
    keys = list(RELEASE_KEYS) + [k for k in release.meta if k not in RELEASE_KEYS]
    rows = [(k, release.meta.get(k, "")) for k in keys]
    _table(ws, RELEASE_TABLE, ["key", "value"], len(rows), {"key": 14, "value": 90})
    for i, (k, v) in enumerate(rows, start=1):
        put_text(ws, i, 0, k, F.key)
        put_text(ws, i, 1, "" if v is None else v, F.text)
    page_setup(ws, f"{release.meta.get('title', '')}: release", fit_width=True)
    return ws


# ------------------------------------------------------------------------------ formula sheets


class _CachedBlank(str):
    """An empty cached result that XlsxWriter stores as an empty string value.

    XlsxWriter writes ``value=""`` as a valueless formula on purpose (to make
    other applications recalculate). Our blank is a real result, cached like
    any other: this str compares unequal to "" so it gets ``t="str"``.
    """

    def __eq__(self, other):
        return False

    __hash__ = str.__hash__


def cached_value(v):
    """A formula's cached result as XlsxWriter should store it (an empty string kept as a real blank result)."""
    return _CachedBlank("") if v == "" else v


def _formula_sheet_header(ws, F: Formats, cols, widths: dict, default: float) -> list:
    """Header row and column widths of the Derived and Checks sheets; returns the widths."""
    for j, c in enumerate(cols):
        ws.write_string(0, j, c, F.header)
        ws.set_column(j, j, widths.get(c, default))
    ws.set_row(0, 30)
    return [widths.get(c, default) for c in cols]


def write_spill(ws, row: int, col: int, formula: str, grid: list[list], formats: list):
    """A dynamic-array formula at (row, col) with the cached value of every cell of its spill range.

    ``grid`` is the result (rows of values, None for a blank); ``formats`` the
    format of each of its columns. A text longer than a cell holds is
    refused (``checks_grid`` shortens its texts visibly first).
    """
    nrows, ncols = max(len(grid), 1), max(len(grid[0]) if grid else 1, 1)
    top = grid[0][0] if grid and grid[0] else None
    for values in grid:
        _refuse_overlong(ws, values)
    args = (row, col, row + nrows - 1, col + ncols - 1, formula, formats[0])
    value = cached_value("" if top is None else cached(top))
    bulk = bulk_of(ws)
    if bulk is not None:
        bulk.dynamic_array(*args, value)
        bulk.grid(row, col, grid, formats)
        return
    ws.write_dynamic_array_formula(*args, value)
    for i, values in enumerate(grid):
        for j, v in enumerate(values):
            if i == 0 and j == 0:
                continue
            fmt = formats[min(j, len(formats) - 1)]
            kind = spill_kind(v)
            if kind is TEXT:
                ws.write_string(row + i, col + j, v, fmt)
            elif kind is EMPTY:
                ws.write_blank(row + i, col + j, None, fmt)
            elif kind is BOOLEAN:
                ws.write_boolean(row + i, col + j, v, fmt)
            else:
                ws.write_number(row + i, col + j, float(v), fmt)


def write_spill_columns(ws, row: int, col: int, formula: str, columns: list, formats: list):
    """:func:`write_spill` of a result given by columns (all of one length).

    A column is a list or a pandas Series, made a list only when it is written,
    so one column's Python numbers exist at a time (a block of 11 derived columns at
    10^5 figures: 3 MiB instead of 35 MiB). Streamed column by column when at most one
    column holds text (the shared strings are then numbered in the same order as row
    by row); else as rows.
    """
    bulk = bulk_of(ws)
    texts = [_holds_text(c) for c in columns]
    if bulk is None or sum(texts) > 1:
        rows = [list(r) for r in zip(*map(as_list, columns))]
        write_spill(ws, row, col, formula, rows, formats)
        return
    for c, has_text in zip(columns, texts):
        if has_text:
            _refuse_overlong(ws, c)
    nrows = max(len(columns[0]), 1)
    head = columns[0].iloc[:1] if hasattr(columns[0], "iloc") else columns[0][:1]
    top = as_list(head)
    value = cached_value("" if not top or top[0] is None else cached(top[0]))
    bulk.dynamic_array(
        row, col, row + nrows - 1, col + len(columns) - 1, formula, formats[0], value
    )
    for j, column in enumerate(columns):
        fmt = formats[min(j, len(formats) - 1)]
        values = as_list(column)
        bulk.value_column(col + j, row + (j == 0), values[1:] if j == 0 else values, fmt)


def _holds_text(column) -> bool:
    if getattr(column, "dtype", None) is not None and column.dtype.kind in "biuf":
        return False  # a numeric array holds no text: not looked at value by value
    return any(isinstance(v, str) for v in column)


def _refuse_overlong(ws, values) -> None:
    for v in values:
        if isinstance(v, str) and not fits_a_cell(v):
            raise ValueError(
                f"{ws.name}: a result of {utf16_len(v):,} characters is longer than a cell "
                f"holds ({MAX_CELL_CHARS:,}): {v[:40]!r}"
            )


def write_derived(wb, F: Formats, release: Release, derived):
    """The Derived sheet: the figures' derived numbers by id, as dynamic arrays over the Figures Table."""
    ws = sheet(wb, DERIVED_SHEET)
    cols = list(DERIVED_VIEW_COLUMNS)
    _formula_sheet_header(ws, F, cols, DERIVED_WIDTH, 11)
    figures = release.figures
    for first, formula, width in derived_view_formulas():
        j = cols.index(first)
        names = cols[j : j + width]
        if figures:
            columns = [[f.id for f in figures]] if first == "id" else [derived[c] for c in names]
        else:
            columns = [[None] for _ in range(width)]
        formats = [F.number.get(DERIVED_SHEET_COLUMNS[c], F.text) for c in names]
        write_spill_columns(ws, 1, j, formula, columns, formats)
    ws.freeze_panes(1, 1)
    ws.write_comment(
        0,
        1,
        "Prior-period level: value / (1 + yoy). Each column is one dynamic array over the "
        "Figures Table (its calculated columns), so it follows every edit there.",
        {"x_scale": 2},
    )
    page_setup(ws, f"{release.meta.get('title', '')}: derived (formulas)")
    _seal(ws)
    return ws


def write_checks(wb, F: Formats, release: Release, grid: list[list], money_units=()):
    """The Checks sheet: one ``TRADE_CHECKS`` call spilling the checks table, status coloured natively."""
    from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING

    ws = sheet(wb, CHECKS_SHEET)
    cols = list(grid[0])
    for j, c in enumerate(cols):
        ws.set_column(j, j, CHECK_WIDTHS.get(c, 12))
    numeric = {"stated", "computed", "difference", "tolerance", "low", "high"}
    formats = [F.rate if c in numeric else F.text for c in cols]
    write_spill(ws, 0, 0, CHECKS_FORMULA, grid, formats)
    ws.set_row(0, 30, F.header)  # the header row is a part of the spill: formatted as a header
    ws.freeze_panes(1, 1)
    s = cols.index("status")
    last = 1048575  # the whole column: the spill grows and shrinks with the release
    for text, colour in (
        (INCONSISTENT, "red"),
        (WITHIN_ROUNDING, "amber"),
        (CONSISTENT, "green"),
        (NOT_CHECKABLE, "grey"),
    ):
        ws.conditional_format(
            1,
            s,
            last,
            s,
            {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": F.status[colour]},
        )
    from xlsxwriter.utility import xl_col_to_name

    letter = xl_col_to_name(s)
    ws.conditional_format(
        1,
        0,
        last,
        s - 1,
        {"type": "formula", "criteria": f'=${letter}2="{INCONSISTENT}"', "format": F.status["row"]},
    )
    page_setup(
        ws, f"{release.meta.get('title', '')}: consistency checks (one TRADE_CHECKS formula)"
    )
    _seal(ws)
    return ws


def _seal(ws) -> None:
    """The sheet's bulk cells rendered now, once the sheet is written (see :meth:`SheetData.seal`)."""
    bulk = bulk_of(ws)
    if bulk is not None:
        bulk.seal()


# ------------------------------------------------------------------------------ front page and settings


ABOUT_TEXT = {
    "what": (
        "This workbook holds the figures of one official trade release (sheet Figures) and what they imply: "
        "prior-period bases, changes, shares, pulls and contributions (sheet Derived) and consistency checks "
        "that take the published rounding into account (sheet Checks). Derived and Checks are formulas "
        "calling the tradecalc functions (UDFs) on the Figures cells: edit a figure and they recompute."
    ),
    "cached": (
        "Every formula also stores the value tradecalc computed when the workbook was built, so the numbers "
        "show in any reader before recalculation. Without the functions enabled, a cell that Excel recalculates "
        "shows a #NAME error instead; enable them as below."
    ),
    "regenerate": (
        "This file is generated: tradecalc build workbooks/releases/<release>.toml. "
        "To keep edits made here, write them back first: tradecalc pull <workbook> -o <release>.toml."
    ),
}

ENABLE_STEPS = {
    "Classic xlwings (Excel on Windows, the .xlsm)": [
        "pip install tradecalc-releases (this project; the PyPI package named tradecalc is someone else's), "
        "or pip install -e . in a checkout, in the Python that Excel should use.",
        "Excel: File > Options > Trust Center > Macro Settings: tick 'Trust access to the VBA project object model'.",
        f"Open the .xlsm and enable macros. The sheet {XLWINGS_CONF_SHEET} sets UDF Modules = {UDF_MODULE}; add Interpreter_Win, "
        "Conda Path / Conda Env or PYTHONPATH rows there if your Python is not the default one.",
        "Import the functions: xlwings ribbon > Import Functions, or Alt+F8 > ImportPythonUDFs (the .xlsm carries "
        "xlwings' standalone VBA module, so the add-in is optional). Then recalculate (Ctrl+Alt+F9).",
        "After an upgrade: xlwings ribbon > Restart UDF Server, then Import Functions again.",
    ],
    "xlwings Lite (Excel on the web, Mac or Windows, the .xlsx)": [
        "Open the .xlsx, start xlwings Lite (Home > Add-ins > xlwings Lite).",
        "Add tradecalc-releases (or the URL of its wheel) to xlwings Lite's requirements.txt and the line "
        "from tradecalc_udfs import * to main.py; restart xlwings Lite, then recalculate.",
        'On xlwings Lite a bad input shows a real Excel error; =TRADE_WHY("TRADE_BASE", B2, C2) gives its reason. '
        "In classic Excel the reason is text in the cell.",
        "A blank result is an empty string, not an empty cell: ISBLANK is FALSE and =B2*100 is a value error; "
        'test with =B2="".',
    ],
}


def write_about(wb, F: Formats, release: Release, summary: dict, functions=None):
    """Add the About sheet: the release, the figure and check counts, the sheets and the functions; returns it."""
    ws = sheet(wb, ABOUT_SHEET)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 2, 80)
    meta = release.meta
    r = 0
    ws.write_string(r, 0, "tradecalc template workbook", F.title)
    r += 1
    put_text(ws, r, 0, meta.get("title", ""), F.subtitle)
    r += 2
    for key, label in (
        ("title", "Release"),
        ("publisher", "Publisher"),
        ("source_url", "Source"),
        ("published", "Published"),
        ("period", "Period"),
        ("unit", "Unit"),
        ("id", "Release id"),
    ):
        ws.write_string(r, 0, label, F.key)
        v = str(meta.get(key, "") or "")
        if key == "source_url" and v.lower().startswith(("http://", "https://")) and len(v) < 2000:
            ws.write_url(r, 1, v, F.link, string=v)
        else:
            put_text(ws, r, 1, v, F.text)
        r += 1
    ws.write_string(r, 0, "Figures / checks", F.key)
    ws.write_string(
        r,
        1,
        f"{summary['figures']} figures, {summary['checks']} checks: {summary['statuses']}",
        F.text,
    )
    r += 2
    for key, label in (
        ("what", "What this is"),
        ("cached", "Cached values"),
        ("regenerate", "Regenerating"),
    ):
        ws.write_string(r, 0, label, F.key)
        ws.merge_range(r, 1, r, 2, ABOUT_TEXT[key], F.wrap)
        fit_rows(ws, {r: text_lines(ABOUT_TEXT[key], 124)})
        r += 1
    r += 1
    ws.write_string(r, 0, "Enabling the functions", F.subtitle)
    r += 1
    for how, steps in ENABLE_STEPS.items():
        ws.merge_range(r, 0, r, 2, how, F.key)
        r += 1
        for k, step in enumerate(steps, start=1):
            ws.merge_range(r, 1, r, 2, f"{k}. {step}", F.wrap)
            fit_rows(ws, {r: text_lines(step, 120)})
            r += 1
    r += 1
    ws.write_string(r, 0, "Sheets", F.subtitle)
    r += 1
    for name, what in (
        ("Charts", "composition and growth of each breakdown (native charts on the Figures cells)"),
        (FIGURES_SHEET, "the release's figures (Excel Table; edit values here)"),
        (DERIVED_SHEET, "what each figure implies (formulas)"),
        (
            CHECKS_SHEET,
            "consistency checks (formulas; status colour: red inconsistent, amber within rounding, green consistent, grey not checkable)",
        ),
        (BREAKDOWNS_SHEET, "which figures split which total"),
        (STATEMENTS_SHEET, "stated relations: converted values, pp differences, shares"),
        (RELEASE_SHEET, "the release's metadata"),
        (XLWINGS_CONF_SHEET, "settings read by classic xlwings"),
    ):
        ws.write_string(r, 0, name, F.key)
        ws.merge_range(r, 1, r, 2, what, F.wrap)
        fit_rows(ws, {r: text_lines(what, 124)})
        r += 1
    r += 1
    if functions is None:
        from tradecalc.workbook.functions import function_reference

        functions = function_reference()
    funcs = list(functions)
    ws.write_string(r, 0, "Functions", F.subtitle)
    r += 1
    if not funcs:
        ws.merge_range(
            r,
            0,
            r,
            2,
            "The function list (tradecalc/workbook/functions.json) is missing from this installation.",
            F.wrap,
        )
        r += 1
    else:
        for j, h in enumerate(("name", "signature", "description")):
            ws.write_string(r, j, h, F.header)
        r += 1
        for fn in funcs:
            ws.write_string(r, 0, str(fn.get("name", "")), F.mono)
            ws.write_string(r, 1, str(fn.get("signature", "")), F.wrap)
            ws.write_string(r, 2, str(fn.get("description", "")), F.wrap)
            fit_rows(
                ws,
                {
                    r: max(
                        text_lines(fn.get("signature", ""), 44),
                        text_lines(fn.get("description", ""), 80),
                    )
                },
            )
            r += 1
    page_setup(ws, None, repeat_header=False, landscape=False, side_margin=0.5)
    return ws


#: Settings of the xlwings.conf sheet, read by classic xlwings from A1 down to
#: the first blank cell (keys in column A, values in B). Only what this
#: workbook needs: a row here overrides the user's own xlwings settings, even
#: when empty, so the interpreter is left to the user's configuration.
XLWINGS_SETTINGS = (("UDF Modules", UDF_MODULE),)


def write_xlwings_conf(wb, F: Formats):
    """Add the xlwings.conf sheet: classic xlwings' settings (the UDF module) with notes; returns the sheet."""
    ws = sheet(wb, XLWINGS_CONF_SHEET)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 20)
    ws.set_column(3, 3, 100)
    for i, (k, v) in enumerate(XLWINGS_SETTINGS):
        ws.write_string(i, 0, k)
        ws.write_string(i, 1, v)
    notes = [
        "Settings for classic xlwings (Windows): keys in column A from A1 down, values in column B, no blank row in between.",
        f"UDF Modules = {UDF_MODULE}: the Python module whose functions Import Functions / ImportPythonUDFs brings in.",
        "Optional rows you may add under it: Interpreter_Win (path to python.exe), Conda Path and Conda Env, PYTHONPATH, "
        "Show Console, Use UDF Server. A row overrides your xlwings add-in/user settings even when left empty, so add only what you need.",
        "Rows here override .xlwings/xlwings.conf in your home folder and an xlwings.conf file beside the workbook.",
    ]
    for i, n in enumerate(notes):
        ws.write_string(i, 3, n, F.wrap)
    page_setup(ws, "xlwings.conf", repeat_header=False)
    return ws
