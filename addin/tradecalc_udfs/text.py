"""UDFs that read release text: printed numbers, their decimals, periods.

>>> trade_number("60.4%"), trade_number("180.24 billion yuan")
(0.604, 180.24)
>>> trade_number("1.2 trillion", "multiplier")
1000000000000.0
>>> trade_decimals([["24"], ["60.4%"], ["112.32"]])
[[0.0], [1.0], [2.0]]
>>> trade_years("2021-Q1", "2019-Q1")
2.0
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from tradecalc.model.periods import Period, PeriodError
from tradecalc.model.published import parse, scale_of

from ._excel import (
    MAX_CELL_TEXT,
    CellError,
    Text,
    blank,
    excel_grid,
    excel_result,
    num_error,
    option,
    udf,
    value_error,
)
from ._excel import (
    Period as PeriodArg,
)
from ._excel import period as period_text
from ._excel import text as cell_text

SECTION = "Reading release text"

PARTS = ("value", "multiplier", "unit")


def _each(fn, **args):
    """Apply ``fn`` to each cell of same-shaped arguments; a bad cell shows its own error."""
    grids, shape = excel_grid(**args)
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        try:
            out[idx] = fn(*(g[idx] for g in grids.values()))
        except CellError as e:
            out[idx] = e.text
    return excel_result(out, shape)


def _published(x):
    """The cell as a Published number, or None for a blank."""
    if blank(x):
        return None
    s = cell_text("text", x)
    try:
        return parse(s if isinstance(x, str) else float(x))
    except ValueError:
        shown = repr(s) if len(s) <= 40 else repr(s[:40]) + f"… ({len(s)} characters)"
        raise value_error(
            f"{shown} is not a printed number (e.g. 112.32, 60.4%, 180.24 billion yuan)"
        ) from None


@udf(SECTION)
def trade_number(
    text: Annotated[
        Text,
        'A number as printed: "60.4%", "112.32", "1,234.5", "180.24 billion yuan", "1.2 trillion".',
    ],
    part: Annotated[
        Text,
        (
            'Optional. "value" (default): the number in the unit as written, a percentage as a '
            "fraction; "
            '"multiplier": 1E9 for "billion", 1E12 for "trillion", 1 if none; "unit": the words '
            "after the "
            "number."
        ),
    ] = None,
):
    """Reads a number as printed in a release. "60.4%" gives 0.604 and "180.24 billion yuan" gives
    180.24 (the unit as written); the multiplier word is applied only if you multiply by
    TRADE_NUMBER(text, "multiplier").
    """
    what = option("part", part, choices='"value", "multiplier" or "unit"') or "value"
    if what not in PARTS:
        raise value_error(f'part is {what[:40]!r}; write "value", "multiplier" or "unit"')

    def one(x):
        p = _published(x)
        if p is None:
            return None
        if what == "value":
            return p.value
        if what == "multiplier":
            return scale_of(p.unit)
        if len(p.unit) > MAX_CELL_TEXT:  # classic Excel cannot take it back; refuse, never cut
            raise value_error(
                f"the unit words are {len(p.unit)} characters, more than a result can hold "
                f"({MAX_CELL_TEXT})"
            )
        return p.unit or None

    return _each(one, text=text)


@udf(SECTION)
def trade_decimals(text: Annotated[Text, 'A number as printed, as text: "24", "60.4%", "112.32".']):
    """
    Published decimals of a printed number: the digits after the point as printed, in percent for a
    percentage. "24" gives 0, "60.4%" gives 1, "112.32" gives 2. Feed it to the *_DECIMALS arguments
    of the bounds functions.
    """

    def one(x):
        if not blank(x) and not isinstance(x, str):
            cell_text("text", x)  # an error in the cell is passed on
            raise value_error(
                f"{x!r} is stored as a number, so how it was printed is lost; give the text "
                "as printed "
                f"(format the cell as Text) or type the decimals"
            )
        p = _published(x)
        return None if p is None else float(p.decimals)

    return _each(one, text=text)


@udf(SECTION)
def trade_years(
    period: Annotated[
        PeriodArg,
        (
            'The period, as in the release file: "2021", "2021-H1", "2021-Q1", "2021-03", '
            '"2021-01/2021-08", '
            "or a date (the first of a month)."
        ),
    ],
    earlier_period: Annotated[
        PeriodArg, 'The earlier period it is compared with, same forms ("2019-Q1").'
    ],
):
    """Years from an earlier period to a period, counted from their first months:
    TRADE_YEARS("2021-Q1", "2019-Q1") = 2. Use it as the years of TRADE_AVG_GROWTH.
    """

    def one(p, e):
        ps, es = period_text("period", p), period_text("earlier_period", e)
        if ps is None or es is None:
            return None
        try:
            a, b = Period.parse(ps), Period.parse(es)
        except PeriodError as err:
            raise value_error(str(err)) from None
        years = a.years_after(b)
        if not years > 0:
            raise num_error(f"earlier_period {es[:40]} is not before period {ps[:40]}")
        return years

    return _each(one, period=period, earlier_period=earlier_period)
