"""TRADE_TABLE: the whole derived table of a Figures range, as one dynamic array.

The range is read like the workbook's Figures table (header row first, the
columns of :data:`tradecalc.model.release.FIGURE_COLUMNS` in any order), validated
with :func:`tradecalc.model.release.from_records` and derived with
:func:`tradecalc.derive` (the derived table). Blank ``*_decimals`` mean exact, as in the bounds
functions. The ``breakdown`` column is not needed (a part names its total in
``parent``), so breakdown ids are not checked here.

>>> rows = trade_table([["id", "value", "yoy", "parent", "unit", "period"],
...                     ["total", 180.24, 0.604, None, "billion yuan", "2021-Q1"],
...                     ["exports", 112.32, 0.757, "total", "billion yuan", "2021-Q1"]])
>>> head = rows[0]
>>> round(rows[2][head.index("share_change_pp")], 1)
5.4
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Annotated

from tradecalc.model.release import FIGURE_COLUMNS, ReleaseError, from_records

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
    unknown = [h for h in header if h and h not in FIGURE_COLUMNS]
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
    records, units = [], []
    for i, row in enumerate(g[1:], start=2):
        if all(blank(v) for v in row):
            continue  # an Excel Table's empty rows
        rec = {h: _record_cell(h, v, i) for h, v in zip(header, row) if h and h != "breakdown"}
        rec["_where"] = f"range row {i}"
        records.append(rec)
        if not blank(rec.get("unit")):
            units.append(str(rec["unit"]).strip())
    if not records:
        raise value_error("the range has no figures below its header row")
    meta = {"unit": units[0] if units else ""}
    try:
        release = from_records(meta, records, source=current()["name"])
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
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    v = cell_value(v)
    if isinstance(v, float) and math.isinf(v):
        return num_error("the result is not finite").text
    return v
