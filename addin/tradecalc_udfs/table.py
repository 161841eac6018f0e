"""TRADE_TABLE: the whole derived table of a Figures range, as one dynamic array.

The range is read as ``tradecalc derive book.xlsx`` reads the workbook's Figures
Table, by the same code (:func:`tradecalc.workbook.reader.grid_records` and
:func:`~tradecalc.workbook.reader.release_from_records`): header row first, the
columns of :data:`tradecalc.model.release.FIGURE_COLUMNS` in any order, an empty
``*_decimals`` next to a number inferred from its shortest printed form (and said
so in the figure's review), then :func:`tradecalc.derive`. The ``breakdown``
column is not needed (a part names its total in ``parent``), so breakdown ids are
not checked here.

>>> rows = trade_table([["id", "value", "yoy", "parent", "unit", "period"],
...                     ["total", 180.24, 0.604, None, "billion yuan", "2021-Q1"],
...                     ["exports", 112.32, 0.757, "total", "billion yuan", "2021-Q1"]])
>>> head = rows[0]
>>> round(rows[2][head.index("share_change_pp")], 1)
5.4
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from decimal import Decimal
from typing import Annotated

from tradecalc.model.published import is_nan
from tradecalc.model.release import FIGURE_COLUMNS, ReleaseError
from tradecalc.workbook.layout import FIGURES_TABLE
from tradecalc.workbook.reader import grid_records, release_from_records

from ._excel import (
    CellError,
    Cells,
    blank,
    cell_value,
    current,
    input_error,
    num_error,
    period,
    range_of,
    udf,
    value_error,
)

SECTION = "Whole tables"
PERIOD_COLUMNS = ("period", "earlier_period")


@udf(SECTION)
def trade_table(
    figures_range: Annotated[
        Cells,
        (
            "The Figures table WITH its header row (e.g. Figures[#All]): columns id, value, yoy, "
            "parent, "
            "unit, period ... in any order; values in the release's unit, growth as fractions."
        ),
    ],
):
    """The derived table of a Figures range, with a header row, as one dynamic array: per figure its
    base, change, share, base share, share change (pp), pull (pp), contribution, earlier base,
    average and prior growth, and the base's bounds within rounding.
    """
    g = range_of("figures_range", figures_range)
    if g.shape[0] < 2:
        raise value_error("give the Figures range with its header row and at least one figure")
    header = [("" if blank(h) else str(h).strip()) for h in g[0]]
    unknown = [h for h in header if h and h not in FIGURE_COLUMNS and h not in _calculated()]
    if unknown:
        raise value_error(
            f"unknown column {unknown[0][:40]!r} in the header row; "
            f"columns are {', '.join(FIGURE_COLUMNS)}"
        )
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise value_error(f"column {dupes[0]!r} appears twice in the header row")
    if "id" not in header:
        raise value_error("the header row has no 'id' column (did you include the header row?)")
    records = grid_records(
        FIGURES_TABLE,
        [header] + [_cells_of_row(row, header, i) for i, row in enumerate(g[1:].tolist(), start=2)],
    )
    for rec in records:
        rec.pop("breakdown", None)  # a part names its total in parent; no Breakdowns table here
        rec["_where"] = rec["_where"].replace(f"{FIGURES_TABLE} row", "range row")
    if not records:
        raise value_error("the range has no figures below its header row")
    units = [str(r["unit"]).strip() for r in records if not blank(r.get("unit"))]
    try:
        # the workbook's own reading (tradecalc derive book.xlsx): periods, text, and an empty
        # *_decimals next to a number inferred from its shortest printed form
        release = release_from_records(
            [{"key": "unit", "value": units[0] if units else ""}], records, source=current()["name"]
        )
    except ReleaseError as e:
        where, msg, fix = e.problems[0]
        more = f" (and {len(e.problems) - 1} more problems)" if len(e.problems) > 1 else ""
        if where == "release":  # no unit anywhere
            msg, fix = "no figure has a unit.", "fill the unit column"
        raise value_error(f"{where}: {msg}{' Fix: ' + fix if fix else ''}{more}") from None
    from tradecalc import derive

    table = derive(release)
    out = [list(table.columns)]
    for row in table.itertuples(index=False):
        out.append([_cell(v) for v in row])
    return out


@functools.cache
def _calculated() -> frozenset[str]:
    """The template's calculated columns (parent_row, base, share ...): read past, not refused."""
    from tradecalc.workbook.formulas import calculated_column_formulas

    return frozenset(calculated_column_formulas())


def _cells_of_row(row: list, header: list, i: int) -> list:
    """A range row with each cell as the record reader takes it (errors passed on, blanks None)."""
    return [None if blank(v) else _record_cell(h, v, i) for h, v in zip(header, row)]


def _record_cell(column: str, v, row: int):
    """A cell as the record reader takes it, the way Excel hands it over.

    An error (text or pywin32's integer) is passed on, never read as a number;
    a ``Decimal`` (currency format) is a number, not text (text in a growth
    column is a printed percentage); a date in a period column is its month.
    """
    try:
        err = input_error(column, v)
        if err is not None:
            code = err.text.split(" ", 1)[0]
            raise CellError(
                f"{code} {current()['name']}: range row {row}, column {column} holds "
                f"{err.text[:60]}"
            )
        if isinstance(v, Decimal):
            return float(v)
        if (
            column in PERIOD_COLUMNS
            and isinstance(v, (dt.date, int, float))
            and not isinstance(v, bool)
        ):
            return period(column, v)
    except CellError as e:
        raise CellError(
            e.text if f"range row {row}" in e.text else f"{e.text} (range row {row})"
        ) from None
    return v


def _cell(v):
    """A derived value as Excel gets it: never ±infinity (past the largest float: #NUM!)."""
    if isinstance(v, str):
        return cell_value(v) or None
    if is_nan(v):
        return None
    v = cell_value(v)
    if isinstance(v, float) and math.isinf(v):
        return num_error("the result is not finite").text
    return v
