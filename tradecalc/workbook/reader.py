"""Reading a template workbook a user edited in Excel back into a :class:`Release`.

The workbook is the input of headless runs (``tradecalc derive book.xlsm``) and
of ``tradecalc pull``. What counts is what Excel stores, in the Excel Tables
named in :mod:`tradecalc.workbook.layout`:

* the Table's own range (``ref``): a row added inside the Table, or a Table
  resized by typing under it, counts; a deleted row is gone; cells outside the
  Table are ignored;
* fully blank rows are skipped;
* numbers typed as text count as printed: ``"112.32"`` is 112.32 with 2
  decimals, ``"60.4%"`` in a growth column is 0.604 with 1 decimal (a bare
  ``"60.4"`` typed as text in a growth column is read as a percentage too,
  as in a release file);
* numbers are in the release's unit; growth cells hold fractions (0.604,
  shown as ``0.0%``);
* a stored negative zero keeps its sign ("-0.0%" as printed);
* a formula counts as the result Excel saved with it; a formula without a
  saved result, and a cell holding an Excel error (``#N/A``, ``#SPILL!``...),
  are refused at their address;
* an empty ``*_decimals`` cell next to a number is inferred from the number's
  shortest printed form (24 → 0, 112.32 → 2, 0.757 → 75.7% → 1) and the
  figure's ``review`` says ``precision inferred for value (2)``; a number with
  no short form (a formula result such as 13.353333…) gets
  ``precision unknown for value (taken as exact)``.

How: :func:`tradecalc.io.safety.check_workbook_file` bounds the file first
(size, zip bombs, XML DTDs); the Tables are found from their own parts
(:class:`tradecalc.workbook.parts.WorkbookParts`); the cell values of each
sheet holding an input Table come from python-calamine (Rust: the Figures
sheet of 10,000 figures in about 0.3 s, where openpyxl took 4 s), which shows a
formula as its saved result and an error as an empty cell; the cells holding
formulas or errors come from one scan of the sheet's XML
(:func:`tradecalc.workbook.parts.special_cells`), so those are still told apart.

Every record carries ``_where`` = ``"Figures row 5"`` (the Excel row) and a
cell address per column, so a problem reads::

    book.xlsx:Figures!H5: value: not a number: 'n/a'. Fix: write the value as printed, e.g. "112.32"
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from collections.abc import Mapping
from pathlib import Path

from tradecalc.errors import TradecalcError
from tradecalc.model.published import is_blank, shortest_decimals
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
from tradecalc.workbook.parts import (
    Special,
    TablePart,
    WorkbookParts,
    column_letters,
    ref_bounds,
)

#: Columns without which the Figures table is not a template's: the figure's
#: identity, its period, its numbers and its place in the release's structure.
REQUIRED_FIGURE_COLUMNS = ("id", "period", "value", "yoy", "parent", "breakdown")
REQUIRED_BREAKDOWN_COLUMNS = ("id", "parent", "kind")
REQUIRED_STATEMENT_COLUMNS = ("id", "kind", "figure", "value")
RELEASE_TABLE_COLUMNS = ("key", "value")

#: A number whose shortest form has more decimals than this is not a typed
#: figure (a formula result, 40.06/3): its precision is stated as unknown.
MAX_INFERRED_DECIMALS = {"value": 6, "percent": 4}
#: Relative distance within which a stored number is its shortest printed form
#: (binary noise: 0.757 * 100 is 75.69999999999999).
_PRINTED_TOLERANCE = 1e-12

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
_RESAVE_FIX = "open it in Excel and save it again as .xlsx or .xlsm"


def is_workbook(path) -> bool:
    """A name ending in .xlsx or .xlsm (:func:`tradecalc.io.formats.is_workbook_name`)."""
    from tradecalc.io.formats import is_workbook_name

    return is_workbook_name(path)


# --------------------------------------------------------------------------- cells


def _period_text(v):
    """A period cell Excel turned into a date ("2021-03" typed → 1 Mar 2021) back to "2021-03"."""
    if isinstance(v, (_dt.datetime, _dt.date)):
        if v.day == 1:
            return f"{v.year:04d}-{v.month:02d}"
        return v.strftime("%Y-%m-%d")
    return v


def _plain(v):
    """A cell value as a record holds it: dates as ISO text, text stripped.

    The file format's ``_xHHHH_`` escapes are undone by python-calamine as it
    reads (a form feed stored as ``_x000C_``, a typed ``_x000C_`` stored as
    ``_x005F_x000C_``), so text is taken as it comes.
    """
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return v.strip()
    return v


def _inferred_decimals(x: float, *, percent: bool) -> int | None:
    """Decimals of a stored number's shortest printed form, or None past :data:`MAX_INFERRED_DECIMALS`.

    >>> _inferred_decimals(112.32, percent=False), _inferred_decimals(0.757, percent=True)
    (2, 1)
    >>> _inferred_decimals(40.06 / 3, percent=False) is None
    True
    """
    limit = MAX_INFERRED_DECIMALS["percent" if percent else "value"]
    return shortest_decimals(x, percent=percent, limit=limit, rel_tol=_PRINTED_TOLERANCE)


# --------------------------------------------------------------------------- tables


def _number_text(v) -> str:
    """A header cell as text: a number Excel stored as 2021.0 reads "2021"."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


class _Sheet:
    """One Excel Table: its header, its data rows (sheet row numbers) and cell access.

    ``grid``: the sheet's values from A1 (python-calamine, "" for an empty
    cell); ``special``: its formula and error cells (:func:`special_cells`).
    """

    def __init__(self, title: str, grid, table: TablePart, special: dict, source: str):
        self.title = title
        self.grid = grid
        self.special = special
        self.name = table.title
        self.ref = table.ref
        min_col, min_row, max_col, max_row = ref_bounds(table.ref)
        if table.header_rows < 1:
            raise ReleaseError(
                source,
                [
                    (
                        f"{title}!{table.ref}",
                        f"the Table {self.name!r} has no header row.",
                        "turn on Table Design > Header Row",
                    )
                ],
            )
        header_row = min_row + table.header_rows - 1
        self.columns: dict[str, int] = {}
        self.headers: list[str] = []
        for i, col in enumerate(range(min_col, max_col + 1)):
            h = self.value(header_row, col)
            if is_blank(h) and i < len(table.columns):
                h = table.columns[i]
            name = _number_text(h) if not is_blank(h) else ""
            self.headers.append(name)
            if name and name not in self.columns:
                self.columns[name] = col
        # rows past the sheet's stored ones are empty: a Table claiming A1:XFD1048576 is read to there
        last = min(max_row - table.totals_rows, len(grid))
        self.rows = range(header_row + 1, last + 1)

    def value(self, row: int, col: int):
        """The value python-calamine read at (row, col), 1-based; None for an empty cell."""
        if row > len(self.grid):
            return None
        cells = self.grid[row - 1]
        v = cells[col - 1] if col <= len(cells) else None
        return None if v == "" else v

    def missing(self, required) -> list[str]:
        return [c for c in required if c not in self.columns]

    def address(self, row: int, name: str) -> str:
        return f"{self.title}!{column_letters(self.columns[name])}{row}"

    def records(self, wanted, problems, on_row=None, prepare=None):
        """One dict per non-blank row: column → value, with ``_where`` and ``_locs``.

        ``prepare(record, names)``: applied to each non-blank record in the
        same pass (:func:`_prepare_figure`), once it is complete.
        """
        names = [c for c in wanted if c in self.columns]
        idx = [self.columns[name] - 1 for name in names]
        pick = operator.itemgetter(*idx) if len(idx) > 1 else (lambda cells: (cells[idx[0]],))
        width = max(idx) + 1 if idx else 0
        by_row: dict[int, list] = {}
        for (r, c), cell in self.special.items():
            if c - 1 in idx:
                by_row.setdefault(r, []).append((c - 1, cell))
        grid, title, out = self.grid, self.title, []
        stored = len(grid)
        for r in self.rows:
            cells = grid[r - 1] if r <= stored else ()
            if len(cells) < width:  # python-calamine's rows are as wide as the sheet; a guard
                cells = list(cells) + [""] * (width - len(cells))
            rec = {k: (None if v == "" else v) for k, v in zip(names, pick(cells))}
            if by_row:
                for i, cell in by_row.get(r, ()):
                    name = names[idx.index(i)]
                    rec[name] = self._special(r, name, rec[name], cell, problems)
            if on_row is not None:
                on_row()
            for v in rec.values():  # a blank row is skipped
                if not is_blank(v):
                    break
            else:
                continue
            rec["_where"] = f"{title} row {r}"
            rec["_locs"] = _RowCells(self, r)
            if prepare is not None:
                prepare(rec, names)
            out.append(rec)
        return out

    def _special(self, row: int, name: str, value, cell: Special, problems):
        """The value of a formula cell (its saved result) or of an error cell (none: refused)."""
        where = self.address(row, name)
        fix = "type the number as printed, or fix the formula"
        if cell.formula is None:  # an error typed or pasted as a value
            problems.append((where, f"{name}: the cell holds the Excel error {cell.cached}.", fix))
            return None
        if cell.cached is None:
            problems.append(
                (
                    where,
                    f"{name}: the cell holds a formula with no saved result.",
                    "open the workbook in Excel and save it, or type the number as printed",
                )
            )
            return None
        result = cell.cached if cell.kind == "e" else value
        if isinstance(result, str) and result.startswith("#"):
            problems.append(
                (where, f"{name}: the formula's result is the Excel error {result}.", fix)
            )
            return None
        return value


class _RowCells(Mapping):
    """Column → cell address (``"Figures!H5"``) of one Table row, made when a message asks for one."""

    __slots__ = ("sheet", "row")

    def __init__(self, sheet: _Sheet, row: int):
        self.sheet, self.row = sheet, row

    def __getitem__(self, name: str) -> str:
        if name not in self.sheet.columns:
            raise KeyError(name)
        return self.sheet.address(self.row, name)

    def __iter__(self):
        return iter(self.sheet.columns)

    def __len__(self) -> int:
        return len(self.sheet.columns)


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
        if v is None or v.__class__ is str:
            continue  # blank, or text: the text carries its own decimals
        if v.__class__ is not float or v != v:  # a float (not NaN) is a number: no more tests
            if is_blank(v) or isinstance(v, (str, bool)) or not isinstance(v, (int, float)):
                continue
        given = rec.get(dkey)
        if given is not None and (
            given.__class__ is float and given == given or not is_blank(given)
        ):
            continue  # decimals given (a number, or text for from_records to check)
        d = _inferred_decimals(v, percent=is_rate)
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
    old = "" if is_blank(old) else str(old).strip()
    kept = [n for n in notes if n not in old]  # a rebuilt workbook may already say so
    rec["review"] = "; ".join(x for x in [old, *kept] if x)


# --------------------------------------------------------------------------- reading


def _unreadable(source: str, e: Exception) -> ReleaseError:
    return ReleaseError(
        source,
        [("file", f"the workbook cannot be read: {type(e).__name__}: {e}.", _RESAVE_FIX)],
    )


def _is_worksheet_xml(member: str) -> bool:
    """A member where a workbook's sheets live (the reader inflates them once, in the safety checks)."""
    name = member.lower()
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _checked(path: Path) -> dict[str, list[bytes]]:
    """Refuse what is not a workbook file, before any part of it is parsed; its sheets' XML, inflated (chunks)."""
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
    from tradecalc.io.safety import check_workbook_file

    # size, OLE/encrypted, not a zip, zip bombs, XML DTDs: refused before a parser sees anything
    return check_workbook_file(path, keep=_is_worksheet_xml, chunks=True)


def open_workbook(path):
    """The workbook's parts and its python-calamine reader, after the safety checks.

    Returns ``(WorkbookParts, CalamineWorkbook)``; raises :class:`ReleaseError`
    (or the safety checks' :class:`tradecalc.errors.UnsafeFile`) naming why a
    file is not read. The caller closes the parts.
    """
    import python_calamine

    path = Path(path)
    inflated = _checked(path)
    try:
        parts = WorkbookParts(path, inflated)
    except Exception as e:  # a damaged package: zipfile, defusedxml and KeyError raise many kinds
        raise _unreadable(str(path), e) from None
    try:
        values = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as e:
        parts.close()
        raise _unreadable(str(path), e) from None
    return parts, values


def sheet_grid(values, sheet: str, parts: WorkbookParts) -> list[list]:
    """A sheet's values from A1 as rows (python-calamine: "" for an empty cell).

    A sheet whose cells span more than :data:`tradecalc.workbook.parts.MAX_GRID_CELLS`
    is refused first (python-calamine allocates the whole rectangle).
    python-calamine refuses a whole sheet holding an error newer than its list
    (``#SPILL!``, ``#CALC!``...); such a sheet is read from a copy in memory
    whose error cells say ``#N/A`` (their own error text is read from the
    sheet's XML, :func:`tradecalc.workbook.parts.special_cells`).
    """
    _refuse_wide(parts, sheet)
    return _parsed_grid(values, sheet, parts)


def _parse(values, sheet: str) -> list[list]:
    return values.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _parsed_grid(values, sheet: str, parts: WorkbookParts) -> list[list]:
    """:func:`sheet_grid` once the sheet's extent passed."""
    try:
        return _parse(values, sheet)
    except Exception as e:
        return _recovered_grid(e, sheet, parts)


def _recovered_grid(failed: Exception, sheet: str, parts: WorkbookParts) -> list[list]:
    """The sheet read from a copy whose error cells say ``#N/A`` when python-calamine refused
    an error value it does not know; any other failure is raised as it is."""
    import python_calamine

    if not (isinstance(failed, python_calamine.CalamineError) and "error value" in str(failed)):
        raise failed
    copy = python_calamine.CalamineWorkbook.from_filelike(_with_known_errors(parts, sheet))
    return _parse(copy, sheet)


class _ParseAside:
    """python-calamine's parse of one sheet in a worker thread (it releases the GIL while it parses).

    :meth:`grid`, once it is joined, gives what :func:`sheet_grid` would: the grid,
    or the same exception, or the copy with known error values read instead.
    """

    def __init__(self, values, sheet: str):
        import threading

        self.values, self.sheet = values, sheet
        self._grid, self._failed = None, None
        self._thread = threading.Thread(target=self._run, name="tradecalc-parse", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._grid = _parse(self.values, self.sheet)
        except Exception as e:  # re-raised on the reader's thread by grid()
            self._failed = e

    def join(self) -> None:
        self._thread.join()

    def grid(self, parts: WorkbookParts) -> list[list]:
        if self._failed is None:
            return self._grid
        return _recovered_grid(self._failed, self.sheet, parts)


def _refuse_wide(parts: WorkbookParts, sheet: str) -> None:
    from tradecalc.errors import UnsafeFile, problem
    from tradecalc.workbook.parts import MAX_GRID_CELLS, cell_extent

    rows, cols = cell_extent(parts.sheet_xml(sheet), parts.sheet_plain(sheet))
    if rows * cols > MAX_GRID_CELLS:
        raise problem(
            parts.path,
            f"the cells of the sheet {sheet!r} reach {column_letters(cols)}{rows}: "
            f"{rows * cols:,} cells to lay out (limit {MAX_GRID_CELLS:,}), not a template workbook.",
            "delete what lies far from the Tables, or copy the Tables into a workbook "
            "written by `tradecalc build`",
            kind=UnsafeFile,
        )


_ERROR_VALUE = re.compile(
    rb"(<c\s[^>]*?\bt\s*=\s*[\"']e[\"'][^>]*>\s*(?:<f\b[^>]*?(?:/>|>[^<]*</f>)\s*)?<v>)[^<]*(</v>)"
)


def _with_known_errors(parts: WorkbookParts, sheet: str):
    """The workbook as a file in memory, with every error cell of ``sheet`` holding ``#N/A``."""
    import io
    import zipfile

    member = parts.sheet_part(sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in parts.zip.infolist():
            data = parts.zip.read(info.filename)
            if info.filename == member:
                data = _ERROR_VALUE.sub(rb"\1#N/A\2", data)
            z.writestr(info.filename, data)
    out.seek(0)
    return out


def read_workbook(path, *, progress=None, alongside=None) -> Release:
    """Read a template workbook into a validated :class:`Release`.

    ``progress`` is an optional :class:`tradecalc.io.progress.TerminalProgress` that is
    told about each Figures row. ``alongside`` is an optional callable, run once
    on the calling thread while python-calamine parses the largest input sheet
    in a worker thread (it releases the GIL there, so on two cores the two run
    at once): ``tradecalc derive/check`` import pandas and the analysis layer in
    it. What it raises propagates once the parse is joined.

    Raises :class:`ReleaseError` naming what is missing when the workbook is not
    a template (no ``Figures`` Table, missing columns), or pointing at the cell
    of every bad value.

    For the Chongqing Q1 2021 template, the figure ``exports`` reads back as
    value 112.32 (2 decimals) and yoy 0.757 (1 decimal, i.e. "75.7%").
    """
    from tradecalc.io.progress import NULL_PROGRESS

    progress = progress or NULL_PROGRESS
    path = Path(path)
    progress.phase(f"reading {path.name}")
    parts, values = open_workbook(path)
    try:
        return _read(parts, values, path, str(path), progress, alongside)
    finally:
        parts.close()


def _sheet_grids(parts, values, sheets: list[str], source: str, alongside) -> dict[str, list]:
    """Each sheet's values (:func:`sheet_grid`), the largest parsed in a worker while ``alongside()`` runs here.

    Every sheet's extent is checked first (python-calamine lays out the whole
    rectangle), then the worker starts; the other sheets (small) are parsed here
    once it is done: python-calamine's workbook object parses one sheet at a time.
    """
    for sheet in sheets:
        _refuse_wide(parts, sheet)
    largest = max(sheets, key=lambda sheet: len(parts.sheet_xml(sheet)))
    aside = _ParseAside(values, largest)
    try:
        if alongside is not None:
            alongside()  # its own errors are its own: not "unreadable"
    finally:
        aside.join()  # python-calamine's workbook parses one sheet at a time ("Already borrowed")
    grids = {}
    for sheet in sheets:  # in order: the first unreadable sheet is the one named
        try:
            grids[sheet] = (
                aside.grid(parts) if sheet == largest else _parsed_grid(values, sheet, parts)
            )
        except TradecalcError:
            raise
        except Exception as e:
            raise _unreadable(source, e) from None
    return grids


def _table_sheets(parts, values, tables, source: str, alongside=None) -> dict[str, _Sheet]:
    """The input Tables found in the workbook, each with its sheet's values and special cells."""
    found = {name: _lookup(tables, name) for name in TABLE_COLUMNS}
    found = {name: hit for name, hit in found.items() if hit is not None}
    by_sheet: dict[str, list] = {}
    for name, (sheet, table) in found.items():
        by_sheet.setdefault(sheet, []).append((name, table))
    parts.retain(by_sheet)  # the other sheets' XML, kept by the safety checks, is not read
    grids = _sheet_grids(parts, values, list(by_sheet), source, alongside) if by_sheet else {}
    sheets: dict[str, _Sheet] = {}
    for sheet, hits in by_sheet.items():
        grid = grids[sheet]
        tabled = {name: _Sheet(sheet, grid, table, {}, source) for name, table in hits}
        # only the columns the release reads: the Figures Table's calculated columns are formulas
        read = {
            s.columns[c]
            for name, s in tabled.items()
            for c in TABLE_COLUMNS[name]
            if c in s.columns
        }
        special = _special_of(parts, sheet, read, source)
        for name, s in tabled.items():
            s.special = special
            sheets[name] = s
    return sheets


def _special_of(parts, sheet: str, columns, source: str) -> dict:
    from tradecalc.workbook.parts import special_cells

    try:
        return special_cells(parts.sheet_xml(sheet), columns, plain=parts.sheet_plain(sheet))
    except Exception as e:  # expat on a damaged part
        raise _unreadable(source, e) from None


def _read(parts, values, path: Path, source: str, progress, alongside=None) -> Release:
    try:
        tables = parts.tables()
    except Exception as e:  # a damaged Table part
        raise _unreadable(source, e) from None
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
        names = ", ".join(name for name, _ in parts.sheets)
        raise ReleaseError(
            source,
            [
                (
                    "workbook",
                    f"not a tradecalc template: no Excel Table named {' or '.join(repr(n) for n in missing_tables)} "
                    f"(Tables found: {have}; sheets: {names}).",
                    _TEMPLATE_FIX,
                )
            ],
        )
    sheets = _table_sheets(parts, values, tables, source, alongside)
    for name, required in wanted.items():
        if name in sheets:
            s = sheets[name]
            miss = s.missing(required)
            if miss:
                known = {
                    FIGURES_TABLE: FIGURE_COLUMNS,
                    BREAKDOWNS_TABLE: BREAKDOWN_COLUMNS,
                    STATEMENTS_TABLE: STATEMENT_COLUMNS,
                }.get(name, RELEASE_TABLE_COLUMNS)
                extra = [h for h in s.headers if h and h not in known]
                problems.append(
                    (
                        f"{s.title}!{s.ref}",
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

    fig_sheet = sheets[FIGURES_TABLE]
    progress.phase("reading figures", total=len(fig_sheet.rows))
    figures = fig_sheet.records(
        FIGURE_COLUMNS, problems, on_row=progress.advance, prepare=_prepare_figure
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
    out = []
    for rec in figures:
        rec = dict(rec)
        _prepare_figure(rec, [key for key in rec if not key.startswith("_")])
        out.append(rec)
    return out


def _prepare_figure(rec: dict, keys) -> None:
    """One figure record made as the release reads it, in place: the values of ``keys`` (not ``_where``...)."""
    for key in keys:  # values replaced in place: the keys stay
        v = rec[key]
        cls = v.__class__
        if cls is str:
            rec[key] = v.strip()
        elif v is not None and cls is not float and cls is not int and cls is not bool:
            rec[key] = _plain(_period_text(v) if key in _PERIOD_COLUMNS else v)
    _with_review(rec, _infer_precision(rec, _NUMBER_COLUMNS, []))


def release_from_records(
    meta_records, figures, breakdowns=(), statements=(), *, source: str, prepared: bool = False
) -> Release:
    """A :class:`Release` from the records of the four Tables, as a template workbook holds them.

    One path for the workbook's cells, whoever reads them: ``tradecalc
    derive/check/pull book.xlsx`` (:func:`read_workbook`) and the
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
        if is_blank(key):
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
    header = ["" if is_blank(h) else str(h).strip() for h in rows[0]]
    wanted = TABLE_COLUMNS[name]
    index = {}
    for j, h in enumerate(header):
        if h in wanted and h not in index:
            index[h] = j
    out = []
    for i, row in enumerate(rows[1:], start=2):
        rec = {h: (row[j] if j < len(row) else None) for h, j in index.items()}
        if all(is_blank(v) for v in rec.values()):
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
