"""The template's live formulas: structured references and one checks call.

Nothing here names a cell address fixed at build time. Every formula finds
its figure by its own row of the Figures Table (``Figures[[#This Row],[value]]``,
shown by Excel as ``[@value]``) or by id (the parent's row is
``MATCH([@parent],Figures[id],0)``), so sorting, filtering, inserting,
appending, deleting or re-parenting figures in Excel keeps every number with
its figure.

* **Figures Table, calculated columns** (:data:`CALCULATED_COLUMNS`): each
  derived number of a figure, stored as the Table column's calculated-column
  formula, so Excel fills a row typed below the Table by itself. For
  Chongqing's exports (112.32, +75.7%) in total trade (180.24, +60.4%)::

      base   =IF(OR([@value]="",[@yoy]=""),"",TRADE_BASE([@value],[@yoy]))        63.93
      share  =IF([@parent_row]="","",TRADE_SHARE([@value],INDEX(Figures[value],[@parent_row])))  62.3%

* **Derived sheet**: the Table's derived columns by id, as dynamic arrays
  (``=Figures[[base]:[prior_growth]]``), and the base's bounds within
  rounding from one call for every figure,
  ``=TRADE_BASE_BOUNDS(Figures[value],Figures[yoy],Figures[value_decimals],Figures[yoy_decimals])``.
* **Checks sheet**: one dynamic-array formula, :data:`CHECKS_FORMULA`, calling
  ``TRADE_CHECKS`` on the four Tables. The add-in reads them with
  :func:`tradecalc.workbook.reader.release_from_tables` (the path of
  ``tradecalc check book.xlsx``) and returns :func:`checks_grid` of
  :func:`tradecalc.analysis.checks.check`: the checks engine is the core's,
  called once; the workbook holds no copy of a check or of the status rule.

Every formula cell also caches the value ``tradecalc`` computes for it, so a
reader that does not recalculate (LibreOffice, previews, openpyxl with
``data_only=True``) shows every number. A missing result (NaN) is cached as ``""``.
"""

from __future__ import annotations

import math

from tradecalc.analysis.derived_table import DERIVED_COLUMNS
from tradecalc.model.published import is_nan
from tradecalc.model.release import FIGURE_COLUMNS
from tradecalc.workbook.layout import (
    BREAKDOWNS_TABLE,
    FIGURES_TABLE,
    RELEASE_TABLE,
    STATEMENTS_TABLE,
)

#: Derived columns computed by one call for all figures (a [low, high] pair per figure).
BOUND_COLUMNS = ("base_low", "base_high")

#: The helper column holding the row of a figure's parent in the Figures Table (blank: none).
PARENT_ROW = "parent_row"


def this_row(column: str) -> str:
    """A structured reference to ``column`` in the formula's own Figures row.

    Written in the file's canonical form, ``Figures[[#This Row],[value]]``,
    which Excel shows as ``[@value]``.
    """
    return f"{FIGURES_TABLE}[[#This Row],[{column}]]"


def _col(column: str) -> str:
    return f"{FIGURES_TABLE}[{column}]"


def _blank_test(refs) -> str:
    refs = list(refs)
    tests = [f'{r}=""' for r in refs]
    return tests[0] if len(tests) == 1 else "OR(" + ",".join(tests) + ")"


def _guarded(call: str, *refs: str) -> str:
    """``call`` blank when an input is blank (a native test: no UDF needed to show a blank)."""
    return f'=IF({_blank_test(refs)},"",{call})'


def _with_parent(call: str, *refs: str) -> str:
    """``call`` blank for a figure without a parent (found by id) or with a blank input."""
    inner = f'IF({_blank_test(refs)},"",{call})'
    return f'=IF({this_row(PARENT_ROW)}="","",{inner})'


def _parent_row() -> str:
    """The row of the figure's parent in the Figures Table, found by id; blank without one.

    The parent is the ``parent`` cell, or else the parent of the figure's
    breakdown (found by id in the Breakdowns Table), as the release model
    reads it (:func:`tradecalc.model.release.validate`).
    """
    own, bd = this_row("parent"), this_row("breakdown")
    parent = (
        f'IF({own}<>"",{own},IFERROR(INDEX({BREAKDOWNS_TABLE}[parent],'
        f'MATCH({bd},{BREAKDOWNS_TABLE}[id],0)),""))'
    )
    return f'=IF({parent}="","",IFERROR(MATCH({parent},{_col("id")},0),""))'


def calculated_column_formulas() -> dict[str, str]:
    """The Figures Table's calculated columns, in order: column → formula.

    ``parent_row`` first (the parent's row in the Table, found by id), then the
    derived numbers of :data:`tradecalc.analysis.derived_table.DERIVED_COLUMNS`
    (the bounds apart: :data:`BOUND_COLUMNS`), with ``years`` before the columns
    that use it. Each formula is one figure's number, as
    :func:`tradecalc.analysis.derived_table.derive` computes it.
    """
    V, G = this_row("value"), this_row("yoy")
    EG, Y = this_row("earlier_growth"), this_row("years")
    PR = this_row(PARENT_ROW)
    PV, PG = f"INDEX({_col('value')},{PR})", f"INDEX({_col('yoy')},{PR})"
    four = f"{V},{G},{PV},{PG}"
    out = {PARENT_ROW: _parent_row()}
    known = {
        "base": _guarded(f"TRADE_BASE({V},{G})", V, G),
        "change": _guarded(f"TRADE_CHANGE({V},{G})", V, G),
        "share": _with_parent(f"TRADE_SHARE({V},{PV})", V, PV),
        "base_share": _with_parent(f"TRADE_BASE_SHARE({four})", V, G, PV, PG),
        "share_change_pp": _with_parent(f"TRADE_SHARE_CHANGE({four})", V, G, PV, PG),
        "pull_pp": _with_parent(f"TRADE_PULL({four})", V, G, PV, PG),
        "contribution": _with_parent(f"TRADE_CONTRIBUTION({four})", V, G, PV, PG),
        "years": _guarded(
            f"TRADE_YEARS({this_row('period')},{this_row('earlier_period')})",
            this_row("period"),
            this_row("earlier_period"),
        ),
        "earlier_base": _guarded(f"TRADE_BASE({V},{EG})", V, EG),
        "average_growth": _guarded(f"TRADE_AVG_GROWTH({EG},{Y})", EG, Y),
        "prior_growth": _guarded(f"TRADE_PRIOR_GROWTH({EG},{G})", EG, G),
    }
    for name in DERIVED_VIEW_COLUMNS[1:]:
        if name in BOUND_COLUMNS:
            continue
        if name not in known:
            raise ValueError(
                f"derived column {name!r} has no workbook formula; add one in {__name__}"
            )
        out[name] = known[name]
    return out


def _derived_view_columns() -> tuple[str, ...]:
    cols = ["id"]
    for name in DERIVED_COLUMNS:
        if name == "earlier_base":
            cols.append("years")
        cols.append(name)
    return tuple(cols)


#: Columns of the Derived sheet, in order: the figure's id and what it implies.
DERIVED_VIEW_COLUMNS = _derived_view_columns()

#: Number kind (format) of each Derived column.
DERIVED_SHEET_COLUMNS = {
    "id": "text",
    **{c: ("years" if c == "years" else DERIVED_COLUMNS[c]) for c in DERIVED_VIEW_COLUMNS[1:]},
}

#: The Figures Table's calculated columns (after :data:`FIGURE_COLUMNS`).
CALCULATED_COLUMNS = tuple(calculated_column_formulas())

clash = set(CALCULATED_COLUMNS) & set(FIGURE_COLUMNS)
if clash:  # a figure column appended to the core with a derived column's name
    raise ValueError(f"Figures columns {sorted(clash)} are also derived columns")
del clash

#: The Figures Table: the release's columns, then the calculated ones.
FIGURES_TABLE_COLUMNS = tuple(FIGURE_COLUMNS) + CALCULATED_COLUMNS


def derived_view_formulas() -> list[tuple[str, str, int]]:
    """The Derived sheet's dynamic arrays: (first column, formula, width in columns)."""
    calc = [c for c in DERIVED_VIEW_COLUMNS[1:] if c not in BOUND_COLUMNS]
    # Blank where the value or the growth is (an empty element of a returned array shows as 0).
    # "+{0,0}" makes the test a [low, high]-wide array, as wide as the bounds, so IF pairs
    # them cell by cell in every engine (Excel would also stretch a one-column test).
    bounds = (
        f'=IF(({_col("value")}="")+({_col("yoy")}="")+{{0,0}},"",TRADE_BASE_BOUNDS({_col("value")},'
        f"{_col('yoy')},{_col('value_decimals')},{_col('yoy_decimals')}))"
    )
    return [
        ("id", f'=IF({_col("id")}="","",{_col("id")})', 1),
        (calc[0], f"={FIGURES_TABLE}[[{calc[0]}]:[{calc[-1]}]]", len(calc)),
        (BOUND_COLUMNS[0], bounds, len(BOUND_COLUMNS)),
    ]


#: The Checks sheet: one call of the core's checks over the live Tables (header row included).
CHECKS_FORMULA = (
    f"=TRADE_CHECKS({RELEASE_TABLE}[#All],{FIGURES_TABLE}[#All],"
    f"{BREAKDOWNS_TABLE}[#All],{STATEMENTS_TABLE}[#All])"
)


# ------------------------------------------------------------------------------ values


def _no_number(x) -> bool:
    """Missing (None, NaN: :func:`tradecalc.model.published.is_nan`) or infinite: no cell holds it."""
    return is_nan(x) or (isinstance(x, float) and math.isinf(x))


def cached(x):
    """The cached value of a result: the number, or "" for a missing (NaN/inf) one."""
    if isinstance(x, str):
        return x
    return "" if _no_number(x) else float(x)


#: The most characters an Excel cell holds (UTF-16 code units, as Excel counts them).
MAX_CELL_CHARS = 32767


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Excel counts a cell's characters ("😀" is 2).

    >>> utf16_len("abc"), utf16_len("\U0001f600")
    (3, 2)
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fits_a_cell(text: str, limit: int = MAX_CELL_CHARS) -> bool:
    """Whether a cell holds ``text`` (fast for a short text: one UTF-16 unit per character at most 2)."""
    return len(text) <= limit // 2 or utf16_len(text) <= limit


def shortened(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """``text`` if a cell holds it, else cut at a comma and said so: "a,b,… and 4,812 more (…)".

    The ``figures`` and ``description`` of a breakdown of thousands of parts
    exceed a cell; the cut is visible, never silent (``tradecalc check`` lists them all).
    Lengths are in UTF-16 units, as Excel counts them.
    """
    if fits_a_cell(text, limit):
        return text
    keep = limit - 120
    room = keep
    while utf16_len(text[:room]) > keep:  # characters beyond the BMP take two units
        room -= utf16_len(text[:room]) - keep
    cut = text.rfind(",", 0, room)
    cut = room if cut < 0 else cut
    rest = text[cut:].count(",")
    return f"{text[:cut]},… and {rest:,} more (cut to fit a cell; `tradecalc check` lists them all)"


def _grid_value(v):
    if isinstance(v, str):
        return shortened(v)
    if _no_number(v):
        # an empty text: Excel shows an empty element of a returned array as 0, and a cell
        # cannot hold ±inf (an unbounded end of an interval is left blank)
        return ""
    if isinstance(v, bool):
        return v
    return float(v)


def as_list(column) -> list:
    """A table column's cells as Python objects: a list as it is, an array's or a Series'
    numbers as floats (as XlsxWriter gets them), a tuple as a list.

    The workbook takes its tables as columns by name (:func:`tradecalc.analysis.derived_table.derived_fields`,
    :func:`tradecalc.analysis.checks.check_columns`, or the DataFrames built from them).
    """
    if isinstance(column, list):
        return column
    return column.tolist() if hasattr(column, "tolist") else list(column)


def checks_grid(checks) -> list[list]:
    """The checks table as the rows ``TRADE_CHECKS`` returns: header, then one row per check.

    ``checks``: :func:`tradecalc.analysis.checks.check`'s frame or its columns by name.

    Missing numbers are "" (an empty text, shown blank; None would show as 0 in a spill). The build caches exactly these
    values in the Checks sheet's spill range, so Excel recalculating and a
    reader showing cached values see the same table.
    """
    names = list(checks)
    rows = [names]
    for rec in zip(*(as_list(checks[c]) for c in names)):
        rows.append([_grid_value(v) for v in rec])
    return rows
