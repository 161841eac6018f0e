"""UDFs that read release text: printed numbers, their decimals, periods.

>>> trade_number("60.4%"), trade_number("180.24 billion yuan"), trade_number("1.2 trillion", "multiplier")
(0.604, 180.24, 1000000000000.0)
>>> trade_decimals([["24"], ["60.4%"], ["112.32"]])
[[0.0], [1.0], [2.0]]
>>> trade_years("2021-Q1", "2019-Q1")
2.0
"""
from __future__ import annotations

import numpy as np

from tradecalc.model.periods import Period, PeriodError
from tradecalc.model.published import parse, scale_of

from ._excel import CellError, blank, excel_grid, excel_result, num_error, range_of, returns_cell_errors, udf, value_error
from ._excel import text as cell_text

SECTION = "Reading release text"

PARTS = ("value", "multiplier", "unit")


def _each(fname: str, fn, **args):
    """Apply ``fn`` to each cell of same-shaped arguments; a bad cell shows its own error."""
    grids, shape = excel_grid(fname, **args)
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        try:
            out[idx] = fn(*(g[idx] for g in grids.values()))
        except CellError as e:
            out[idx] = e.text
    return excel_result(out, shape)


def _published(fname: str, x):
    """The cell as a Published number, or None for a blank."""
    if blank(x):
        return None
    s = cell_text(fname, "text", x) if isinstance(x, str) else x
    try:
        return parse(s)
    except ValueError:
        raise value_error(fname, f"{s!r} is not a printed number (e.g. 112.32, 60.4%, 180.24 billion yuan)") from None


@udf(
    SECTION,
    text='A number as printed: "60.4%", "112.32", "1,234.5", "180.24 billion yuan", "1.2 trillion".',
    part='Optional. "value" (default): the number in the unit as written, a percentage as a fraction; "multiplier": 1E9 for "billion", 1E12 for "trillion", 1 if none; "unit": the words after the number.',
)
@returns_cell_errors
def trade_number(text, part=None):
    """Reads a number as printed in a release. "60.4%" gives 0.604 and "180.24 billion yuan" gives 180.24 (the unit as written); the multiplier word is applied only if you multiply by TRADE_NUMBER(text, "multiplier")."""
    fname = "TRADE_NUMBER"
    pg = range_of(fname, "part", part)
    if pg.shape != (1, 1):
        raise value_error(fname, 'part must be a single cell: "value", "multiplier" or "unit"')
    what = (cell_text(fname, "part", pg[0, 0]) or "value").lower()
    if what not in PARTS:
        raise value_error(fname, f'part is {part!r}; write "value", "multiplier" or "unit"')

    def one(x):
        p = _published(fname, x)
        if p is None:
            return None
        if what == "value":
            return p.value
        if what == "multiplier":
            return scale_of(p.unit)
        return p.unit or None

    return _each(fname, one, text=text)


@udf(SECTION, text='A number as printed, as text: "24", "60.4%", "112.32".')
@returns_cell_errors
def trade_decimals(text):
    """Published decimals of a printed number: the digits after the point as printed, in percent for a percentage. "24" gives 0, "60.4%" gives 1, "112.32" gives 2. Feed it to the *_DECIMALS arguments of the bounds functions."""
    fname = "TRADE_DECIMALS"

    def one(x):
        if not blank(x) and not isinstance(x, str):
            raise value_error(
                fname, f"{x!r} is stored as a number, so how it was printed is lost; give the text as printed (format the cell as Text) or type the decimals"
            )
        p = _published(fname, x)
        return None if p is None else float(p.decimals)

    return _each(fname, one, text=text)


@udf(
    SECTION,
    period='The period, as written in the release file: "2021", "2021-H1", "2021-Q1", "2021-03" or "2021-01/2021-08".',
    earlier_period='The earlier period it is compared with, same forms ("2019-Q1").',
)
@returns_cell_errors
def trade_years(period, earlier_period):
    """Years from an earlier period to a period, counted from their first months: TRADE_YEARS("2021-Q1", "2019-Q1") = 2. Use it as the years of TRADE_AVG_GROWTH."""
    fname = "TRADE_YEARS"

    def one(p, e):
        ps, es = cell_text(fname, "period", p), cell_text(fname, "earlier_period", e)
        if ps is None or es is None:
            return None
        try:
            a, b = Period.parse(ps), Period.parse(es)
        except PeriodError as err:
            raise value_error(fname, str(err)) from None
        years = a.years_after(b)
        if not years > 0:
            raise num_error(fname, f"earlier_period {es} is not before period {ps}")
        return years

    return _each(fname, one, period=period, earlier_period=earlier_period)
