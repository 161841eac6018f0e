"""The workbook reader as it was before python-calamine (openpyxl, read-only mode): a test oracle.

A frozen copy of ``tradecalc/workbook/reader.py`` as of the commit before the
reader moved to python-calamine, kept only so tests can read the same
workbook both ways and compare the releases and the messages
(``tests/workbook/test_reader_equivalence.py``; ``-p helpers.compare_readers``
compares every workbook a test run reads). Not used by tradecalc itself.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from pathlib import Path

from tradecalc.model.release import (
    BREAKDOWN_COLUMNS,
    FIGURE_COLUMNS,
    STATEMENT_COLUMNS,
    Release,
    ReleaseError,
    from_records,
)
from tradecalc.workbook.layout import (
    BREAKDOWNS_TABLE,
    FIGURES_TABLE,
    RELEASE_TABLE,
    STATEMENTS_TABLE,
)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

#: Columns without which the Figures table is not a template's: the figure's
#: identity, its period, its numbers and its place in the release's structure.
REQUIRED_FIGURE_COLUMNS = ("id", "period", "value", "yoy", "parent", "breakdown")
REQUIRED_BREAKDOWN_COLUMNS = ("id", "parent", "kind")
REQUIRED_STATEMENT_COLUMNS = ("id", "kind", "figure", "value")
RELEASE_TABLE_COLUMNS = ("key", "value")

#: A number whose shortest form has more decimals than this is not a typed
#: figure (a formula result, 40.06/3): its precision is stated as unknown.
MAX_INFERRED_DECIMALS = {"value": 6, "percent": 4}

#: Workbooks larger than this are refused before openpyxl unpacks them.
MAX_BYTES = 200 * 1024 * 1024

_NUMBER_COLUMNS = {
    # column: (decimals column, is a rate)
    "value": ("value_decimals", False),
    "yoy": ("yoy_decimals", True),
    "earlier_growth": ("earlier_growth_decimals", True),
}
_PERIOD_COLUMNS = ("period", "earlier_period")

_TEMPLATE_FIX = (
    "use a workbook written by `tradecalc build`, or format the range as an Excel Table "
    "(Insert > Table) and name it in Table Design > Table Name"
)


def is_workbook(path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


# --------------------------------------------------------------------------- cells


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _period_text(v):
    """A period cell Excel turned into a date ("2021-03" typed → 1 Mar 2021) back to "2021-03"."""
    if isinstance(v, (_dt.datetime, _dt.date)):
        if v.day == 1:
            return f"{v.year:04d}-{v.month:02d}"
        return v.strftime("%Y-%m-%d")
    return v


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(text: str) -> str:
    """A cell's text with the file format's ``_xHHHH_`` escapes undone (openpyxl leaves them).

    Excel (and XlsxWriter) store a control character such as a form feed as
    ``_x000C_``, and a literal ``_x000C_`` typed by someone as ``_x005F_x000C_``.
    """
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _plain(v):
    """A cell value as a record holds it: dates as ISO text, escapes undone, text stripped."""
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return unescape_text(v).strip()
    return v


def shortest_decimals(x: float, *, percent: bool = False) -> int | None:
    """Decimals of the shortest printed form of a stored number, or None if it has none.

    Growth cells hold fractions, so their decimals are counted in percent as
    printed: 0.757 is "75.7%" → 1.

    >>> shortest_decimals(112.32), shortest_decimals(24.0), shortest_decimals(0.757, percent=True)
    (2, 0, 1)
    >>> shortest_decimals(40.06 / 3) is None
    True
    """
    v = float(x) * (100.0 if percent else 1.0)
    if not math.isfinite(v):
        return None
    limit = MAX_INFERRED_DECIMALS["percent" if percent else "value"]
    for d in range(limit + 1):
        if math.isclose(round(v, d), v, rel_tol=1e-12, abs_tol=1e-12):
            return d
    return None


# --------------------------------------------------------------------------- tables


class _Sheet:
    """One Excel Table: its header, its data rows (sheet row numbers) and cell access."""

    def __init__(self, ws, table, source: str, values_ws=None):
        from openpyxl.utils.cell import get_column_letter, range_boundaries

        self.ws = ws
        self.values_ws = values_ws  # the same sheet loaded with Excel's cached formula results
        self.name = table.displayName or table.name
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        header_rows = 1 if table.headerRowCount is None else int(table.headerRowCount)
        totals_rows = int(table.totalsRowCount or 0)
        self.ref = table.ref
        if header_rows < 1:
            raise ReleaseError(
                source,
                [
                    (
                        f"{ws.title}!{table.ref}",
                        f"the Table {self.name!r} has no header row.",
                        "turn on Table Design > Header Row",
                    )
                ],
            )
        header_row = min_row + header_rows - 1
        self.columns: dict[str, int] = {}
        self.headers: list[str] = []
        for i, col in enumerate(range(min_col, max_col + 1)):
            h = ws.cell(row=header_row, column=col).value
            if _blank(h) and i < len(table.tableColumns):
                h = table.tableColumns[i].name
            name = str(h).strip() if not _blank(h) else ""
            self.headers.append(name)
            if name and name not in self.columns:
                self.columns[name] = col
        last = max_row - totals_rows
        last = min(
            last, getattr(ws, "last_row", last)
        )  # rows past the sheet's stored ones are empty
        self.rows = range(header_row + 1, last + 1)
        self.letter = get_column_letter

    def missing(self, required) -> list[str]:
        return [c for c in required if c not in self.columns]

    def cell(self, row: int, name: str):
        return self.ws.cell(row=row, column=self.columns[name])

    def address(self, row: int, name: str) -> str:
        return f"{self.ws.title}!{self.letter(self.columns[name])}{row}"

    def records(self, wanted, problems, on_row=None):
        """One dict per non-blank row: column → value, with ``_where`` and ``_locs``."""
        wanted = [c for c in wanted if c in self.columns]
        out = []
        for r in self.rows:
            rec: dict = {}
            for name in wanted:
                c = self.cell(r, name)
                v = c.value
                if c.data_type == "f":
                    v = self._cached(r, name, problems)
                elif c.data_type == "e":
                    problems.append(
                        (
                            self.address(r, name),
                            f"{name}: the cell holds the Excel error {v}.",
                            "type the number as printed, or fix the formula",
                        )
                    )
                    v = None
                elif v is not None and not isinstance(
                    v, (str, int, float, _dt.date, _dt.datetime, _dt.time)
                ):
                    v = str(v)  # rich text and other cell objects: their text
                rec[name] = v
            if on_row is not None:
                on_row()
            if all(_blank(v) for v in rec.values()):
                continue
            rec["_where"] = f"{self.ws.title} row {r}"
            rec["_locs"] = {name: self.address(r, name) for name in wanted}
            out.append(rec)
        return out

    def _cached(self, row, name, problems):
        """A formula cell's value as Excel last computed it."""
        if self.values_ws is None:
            return None
        v = self.values_ws.cell(row=row, column=self.columns[name]).value
        if v is None:
            problems.append(
                (
                    self.address(row, name),
                    f"{name}: the cell holds a formula with no saved result.",
                    "open the workbook in Excel and save it, or type the number as printed",
                )
            )
        elif isinstance(v, str) and v.startswith("#"):
            problems.append(
                (
                    self.address(row, name),
                    f"{name}: the formula's result is the Excel error {v}.",
                    "type the number as printed, or fix the formula",
                )
            )
            return None
        return v


class _Book:
    """A workbook opened in openpyxl's read-only mode, with its Tables found from their own parts.

    openpyxl's normal mode parses every cell of every sheet (Derived, Checks and
    Charts too: half of a template's cells, 83% of the reading time) just to
    learn where the Tables are. A Table is a small part of its own
    (``xl/tables/table1.xml``), linked from its sheet's relationships; those
    parts are parsed here with defusedxml, after
    :func:`tradecalc.io.safety.check_workbook_file` has bounded every member's
    size and refused DTDs, and only the cells inside the Tables that the
    release needs are read, sheet by sheet, in read-only mode.
    """

    def __init__(self, path: Path, data_only: bool = False):
        from openpyxl.reader.excel import ExcelReader

        self.reader = ExcelReader(
            path, read_only=True, keep_vba=False, data_only=data_only, keep_links=False
        )
        self.reader.read()
        self.wb = self.reader.wb
        self.worksheets = self.wb.worksheets

    def tables(self) -> dict[str, tuple]:
        """Every Table of the workbook by name: name → (worksheet, table), first sheet first."""
        import defusedxml.ElementTree as DET
        from openpyxl.packaging.relationship import get_dependents, get_rels_path
        from openpyxl.worksheet.table import Table

        reader, found = self.reader, {}
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in rel.Type:
                continue
            rels_path = get_rels_path(rel.target)
            if rels_path not in reader.valid_files:
                continue
            ws = self.wb[sheet.name]
            for r in get_dependents(reader.archive, rels_path).find(Table._rel_type):
                if r.target not in reader.valid_files:
                    continue
                table = Table.from_tree(DET.fromstring(reader.archive.read(r.target)))
                for key in {table.displayName, table.name} - {None}:
                    found.setdefault(key, (ws, table))
        return found

    def close(self):
        self.wb.close()


class _Range:
    """The cells of one Table's range, read once (read-only sheets have no fast random access).

    ``cell(row=, column=)`` and ``title`` as on an openpyxl worksheet; a cell
    outside what the file stores is empty.
    """

    def __init__(self, ws, ref: str):
        from openpyxl.cell.read_only import EMPTY_CELL
        from openpyxl.utils.cell import range_boundaries

        self.title = ws.title
        self.empty = EMPTY_CELL
        self.min_col, min_row, max_col, max_row = range_boundaries(ref)
        # rows are yielded in order from min_row (missing ones as empty rows); rows past the
        # sheet's last stored row are not yielded at all
        rows = ws.iter_rows(min_row=min_row, max_row=max_row, min_col=self.min_col, max_col=max_col)
        self.rows = {r: row for r, row in enumerate(rows, start=min_row)}
        #: the last row the sheet stores: a Table claiming A1:XFD1048576 is read to there, not a million rows
        self.last_row = max(self.rows) if self.rows else min_row

    def cell(self, row: int, column: int):
        cells = self.rows.get(row, ())
        i = column - self.min_col
        return cells[i] if 0 <= i < len(cells) else self.empty

    def has_formulas(self, columns=None) -> bool:
        """Whether a cell (in the given sheet columns, 1-based; all by default) holds a formula."""
        if columns is None:
            return any(c.data_type == "f" for row in self.rows.values() for c in row)
        idx = [c - self.min_col for c in columns]
        return any(
            i < len(row) and row[i].data_type == "f" for row in self.rows.values() for i in idx
        )


def _find_tables(book: _Book) -> dict[str, tuple]:
    """Every Table of the workbook by name: name → (worksheet, table)."""
    return book.tables()


def _lookup(tables, name):
    if name in tables:
        return tables[name]
    folded = {k.casefold(): v for k, v in tables.items()}
    return folded.get(name.casefold())  # Excel's Table names are case-insensitive


# --------------------------------------------------------------------------- precision


def _infer_precision(rec: dict, columns, problems) -> list[str]:
    """Fill empty ``*_decimals`` next to numbers; return notes for the figure's review."""
    inferred, unknown = [], []
    for key, (dkey, is_rate) in columns.items():
        v = rec.get(key)
        if _blank(v) or isinstance(v, (str, bool)) or not isinstance(v, (int, float)):
            continue  # blank, or text: the text carries its own decimals
        if dkey in rec and not _blank(rec.get(dkey)):
            continue
        d = shortest_decimals(v, percent=is_rate)
        if d is None:
            unknown.append(key)
        else:
            rec[dkey] = d
            inferred.append(f"{key} ({d})")
    notes = []
    if inferred:
        notes.append("precision inferred for " + ", ".join(inferred))
    if unknown:
        notes.append("precision unknown for " + ", ".join(unknown) + " (taken as exact)")
    return notes


def _with_review(rec: dict, notes: list[str]) -> None:
    if not notes:
        return
    old = rec.get("review")
    old = "" if _blank(old) else str(old).strip()
    kept = [n for n in notes if n not in old]  # a rebuilt workbook may already say so
    rec["review"] = "; ".join(x for x in [old, *kept] if x)


# --------------------------------------------------------------------------- reading


def _open(path: Path) -> _Book:
    import zipfile

    if not path.exists():
        raise ReleaseError(str(path), [("file", "no such file.", "check the path")])
    if path.is_dir():
        raise ReleaseError(
            str(path),
            [("file", "this is a folder, not a workbook.", "pass an .xlsx or .xlsm file")],
        )
    if not is_workbook(path):
        raise ReleaseError(
            str(path),
            [
                (
                    "file",
                    f"{path.suffix or 'no suffix'}: not a workbook.",
                    "pass an .xlsx or .xlsm template workbook",
                )
            ],
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReleaseError(
            str(path),
            [
                (
                    "file",
                    f"the workbook is {size / 1e6:.0f} MB; at most {MAX_BYTES // 2**20} MiB is read.",
                    "check that this is a template workbook",
                )
            ],
        )
    from tradecalc.io.safety import check_workbook_file

    check_workbook_file(
        path
    )  # OLE/encrypted, not a zip, zip bombs, XML DTDs: refused before openpyxl unpacks anything
    if not zipfile.is_zipfile(path):
        raise ReleaseError(
            str(path),
            [
                (
                    "file",
                    "not an Excel workbook (.xlsx/.xlsm are zip files); it may be an old .xls or a damaged file.",
                    "save it from Excel as .xlsx or .xlsm",
                )
            ],
        )
    try:
        return _Book(path)
    except Exception as e:  # openpyxl raises many kinds on damaged files
        raise ReleaseError(
            str(path),
            [
                (
                    "file",
                    f"openpyxl cannot read the workbook: {type(e).__name__}: {e}.",
                    "open it in Excel and save it again as .xlsx or .xlsm",
                )
            ],
        ) from None


def read_workbook(path, *, progress=None) -> Release:
    """Read a template workbook into a validated :class:`Release`.

    ``progress`` is an optional :class:`tradecalc.io.progress.TerminalProgress` that is
    told about each Figures row. Raises :class:`ReleaseError` naming what is
    missing when the workbook is not a template (no ``Figures`` Table, missing
    columns), or pointing at the cell of every bad value.

    For the Chongqing Q1 2021 template, the figure ``exports`` reads back as
    value 112.32 (2 decimals) and yoy 0.757 (1 decimal, i.e. "75.7%").
    """
    from tradecalc.io.progress import NULL_PROGRESS

    progress = progress or NULL_PROGRESS
    path = Path(path)
    source = str(path)
    progress.phase(f"reading {path.name}")
    book = _open(path)
    try:
        return _read(book, path, source, progress)
    finally:
        book.close()


def _read(book: _Book, path: Path, source: str, progress) -> Release:
    try:
        tables = _find_tables(book)
    except Exception as e:  # a damaged Table part: as openpyxl's own refusal of the file
        raise ReleaseError(
            source,
            [
                (
                    "file",
                    f"openpyxl cannot read the workbook: {type(e).__name__}: {e}.",
                    "open it in Excel and save it again as .xlsx or .xlsm",
                )
            ],
        ) from None
    problems: list[tuple[str, str, str]] = []
    wanted = {
        FIGURES_TABLE: REQUIRED_FIGURE_COLUMNS,
        RELEASE_TABLE: RELEASE_TABLE_COLUMNS,
        BREAKDOWNS_TABLE: REQUIRED_BREAKDOWN_COLUMNS,
        STATEMENTS_TABLE: REQUIRED_STATEMENT_COLUMNS,
    }
    missing_tables = [
        name for name in (FIGURES_TABLE, RELEASE_TABLE) if _lookup(tables, name) is None
    ]
    if missing_tables:
        have = ", ".join(sorted(tables)) or "none"
        sheets = ", ".join(ws.title for ws in book.worksheets)
        raise ReleaseError(
            source,
            [
                (
                    "workbook",
                    f"not a tradecalc template: no Excel Table named {' or '.join(repr(n) for n in missing_tables)} "
                    f"(Tables found: {have}; sheets: {sheets}).",
                    _TEMPLATE_FIX,
                )
            ],
        )

    # formulas: read Excel's saved results, loading the workbook a second time only if needed
    needs_values = False
    sheets: dict[str, _Sheet] = {}
    for name in wanted:
        hit = _lookup(tables, name)
        if hit is None:
            continue  # Breakdowns / Statements: a release may have none
        ws, table = hit
        cells = _Range(ws, table.ref)
        sheets[name] = s = _Sheet(cells, table, source)
        read = [s.columns[c] for c in TABLE_COLUMNS[name] if c in s.columns]
        # the Figures Table's calculated columns are formulas the release does not read
        needs_values = needs_values or cells.has_formulas(read)
    for name, required in wanted.items():
        if name in sheets:
            s = sheets[name]
            miss = s.missing(required)
            if miss:
                extra = [
                    h
                    for h in s.headers
                    if h
                    and h
                    not in (
                        FIGURE_COLUMNS
                        if name == FIGURES_TABLE
                        else BREAKDOWN_COLUMNS
                        if name == BREAKDOWNS_TABLE
                        else STATEMENT_COLUMNS
                        if name == STATEMENTS_TABLE
                        else RELEASE_TABLE_COLUMNS
                    )
                ]
                problems.append(
                    (
                        f"{s.ws.title}!{s.ref}",
                        f"the Table {name!r} has no column {', '.join(repr(m) for m in miss)}"
                        + (
                            f" (unknown columns: {', '.join(repr(x) for x in extra)})"
                            if extra
                            else ""
                        )
                        + ".",
                        f"name the header cells exactly {', '.join(required)} (see tradecalc/template.py), or rebuild the workbook with `tradecalc build`",
                    )
                )
    if problems:
        raise ReleaseError(source, problems)
    if needs_values:
        values = _Book(path, data_only=True)
        try:
            for s in sheets.values():
                s.values_ws = _Range(values.wb[s.ws.title], s.ref)
        finally:
            values.close()

    fig_sheet = sheets[FIGURES_TABLE]
    progress.phase("reading figures", total=len(fig_sheet.rows))
    figures = _prepared_figures(
        fig_sheet.records(FIGURE_COLUMNS, problems, on_row=progress.advance)
    )
    meta_records = sheets[RELEASE_TABLE].records(RELEASE_TABLE_COLUMNS, problems)
    breakdowns = (
        sheets[BREAKDOWNS_TABLE].records(BREAKDOWN_COLUMNS, problems)
        if BREAKDOWNS_TABLE in sheets
        else []
    )
    statements = (
        sheets[STATEMENTS_TABLE].records(STATEMENT_COLUMNS, problems)
        if STATEMENTS_TABLE in sheets
        else []
    )
    if problems:
        raise ReleaseError(source, problems)
    progress.phase(f"validating {len(figures)} figures")
    release = release_from_records(
        meta_records, figures, breakdowns, statements, source=source, prepared=True
    )
    release.meta.setdefault("source_workbook", path.name)
    return release


def _prepared_figures(figures) -> list[dict]:
    """Figure records as the release reads them: periods, plain text, inferred precision."""
    figures = [dict(rec) for rec in figures]
    for rec in figures:
        for key in _PERIOD_COLUMNS:
            if key in rec:
                rec[key] = _period_text(rec[key])
        for key, v in list(rec.items()):
            if not key.startswith("_"):
                rec[key] = _plain(v)
        _with_review(rec, _infer_precision(rec, _NUMBER_COLUMNS, []))
    return figures


def release_from_records(
    meta_records, figures, breakdowns=(), statements=(), *, source: str, prepared: bool = False
) -> Release:
    """A :class:`Release` from the records of the four Tables, as a template workbook holds them.

    One path for the workbook's cells, whoever reads them: ``tradecalc
    derive/check/pull book.xlsx`` (openpyxl, :func:`read_workbook`) and the
    add-in's ``TRADE_CHECKS`` over the live Tables (:func:`release_from_tables`).
    Period cells Excel turned into dates come back as periods, text is
    stripped, an empty ``*_decimals`` next to a number is inferred from its
    shortest printed form (and the figure's review says so); then
    :func:`tradecalc.model.release.from_records` validates.
    """
    if not prepared:
        figures = _prepared_figures(figures)
    meta: dict = {}
    for rec in meta_records:
        key = _plain(rec.get("key"))
        if _blank(key):
            continue
        value = rec.get("value")
        meta[str(key)] = _period_text(value) if key == "period" else _plain(value)
    breakdowns = [
        {k: _plain(v) if not k.startswith("_") else v for k, v in rec.items()} for rec in breakdowns
    ]
    sts = []
    for rec in statements:
        rec = {k: _plain(v) if not k.startswith("_") else v for k, v in rec.items()}
        is_share = str(rec.get("kind", "")).strip() == "share"
        _with_review(rec, _infer_precision(rec, {"value": ("value_decimals", is_share)}, []))
        sts.append(rec)
    return from_records(meta, figures, breakdowns, sts, source=source)


#: The columns read from each Table, by Table name.
TABLE_COLUMNS = {
    RELEASE_TABLE: RELEASE_TABLE_COLUMNS,
    FIGURES_TABLE: FIGURE_COLUMNS,
    BREAKDOWNS_TABLE: BREAKDOWN_COLUMNS,
    STATEMENTS_TABLE: STATEMENT_COLUMNS,
}


def grid_records(name: str, grid) -> list[dict]:
    """The records of one Table given as rows of cell values, header row first.

    Columns not in :data:`TABLE_COLUMNS` (calculated columns, a user's own) are
    left out; fully blank rows are skipped; each record says where it is
    (``"Figures row 5"``, the Table's row counted as on the sheet when the Table
    starts in row 1).
    """
    rows = [list(r) for r in grid]
    if not rows:
        return []
    header = ["" if _blank(h) else str(h).strip() for h in rows[0]]
    wanted = TABLE_COLUMNS[name]
    index = {}
    for j, h in enumerate(header):
        if h in wanted and h not in index:
            index[h] = j
    out = []
    for i, row in enumerate(rows[1:], start=2):
        rec = {h: (row[j] if j < len(row) else None) for h, j in index.items()}
        if all(_blank(v) for v in rec.values()):
            continue
        rec["_where"] = f"{name} row {i}"
        out.append(rec)
    return out


def release_from_tables(tables: dict, *, source: str = "workbook") -> Release:
    """A :class:`Release` from the four Tables as grids (header row first), e.g. ``Figures[#All]``.

    The reading of :func:`read_workbook` without the file: what the add-in's
    ``TRADE_CHECKS`` gets from Excel. A Table may be missing (no breakdowns).
    """
    recs = {name: grid_records(name, tables.get(name) or []) for name in TABLE_COLUMNS}
    return release_from_records(
        recs[RELEASE_TABLE],
        recs[FIGURES_TABLE],
        recs[BREAKDOWNS_TABLE],
        recs[STATEMENTS_TABLE],
        source=source,
    )
