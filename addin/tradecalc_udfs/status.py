"""TRADE_STATUS: tradecalc's status rule (``tradecalc.analysis.status.judge``) in a cell.

The live workbooks compute a number the release implies with one UDF and its
bounds within rounding with another; this function says what ``tradecalc
check`` and ``tradecalc series`` say of it against the number the release
states: ``consistent`` (the implied number prints as the stated one),
``consistent within rounding`` (the rounding boxes meet), ``inconsistent`` or
``not checkable`` (something is blank, or no bound exists and the numbers
differ). The stated number's box is half a printed digit either side, or the
interval its qualifier ("more than", "nearly") gives.

National releases, 2021: January-April 11.62 trillion yuan minus Q1 8.47 gives
April 3.15 [3.14, 3.16]; a release stating April as 3.15 is ``consistent``:
``TRADE_STATUS(3.15, 2, 3.15, 3.14, 3.16)``.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

from tradecalc.analysis.status import judge
from tradecalc.calc.bounds import qualified_interval
from tradecalc.io.limits import MAX_DECIMALS

from ._excel import (
    CellError,
    Decimals,
    Level,
    Rate,
    Text,
    decimals,
    excel_grid,
    excel_result,
    number,
    option,
    udf,
    value_error,
)

SECTION = "Statuses"

WHAT = ("level", "rate")


@udf(SECTION)
def trade_status(
    stated: Annotated[
        Level,
        "The number the release states: a level in its unit, or a rate as a fraction (26.6%) "
        'when what is "rate"; blank = nothing stated.',
    ],
    stated_decimals: Annotated[
        Decimals, "Decimals it was printed with (2 for 3.15; 1 for 26.6%); blank = exact."
    ],
    implied: Annotated[Level, "The number the other figures imply, in the same unit."],
    implied_low: Annotated[
        Level, "The lowest value the rounded figures allow for it; blank = no bound."
    ],
    implied_high: Annotated[
        Level, "The highest value the rounded figures allow for it; blank = no bound."
    ],
    what: Annotated[
        Text,
        'Optional. "level" (default) or "rate" (the numbers are fractions and the decimals count '
        "digits of the percentage).",
    ] = None,
    qualifier: Annotated[
        Text,
        'Optional. The stated number\'s qualifier as printed: "more than", "nearly", "about" ... '
        "(its interval replaces half a digit).",
    ] = None,
):
    """Status of a stated number against the number implied and its bounds, by tradecalc's own
    rule: consistent, consistent within rounding, inconsistent or not checkable.
    TRADE_STATUS(3.15, 2, 3.15, 3.14, 3.16) = "consistent".
    """
    rate = _what(what) == "rate"
    kind = Rate if rate else Level
    q = _qualifier(qualifier)
    grids, shape = excel_grid(
        stated=stated, stated_decimals=stated_decimals, implied=implied, low=implied_low,
        high=implied_high,
    )  # fmt: skip
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        try:
            s = number("stated", grids["stated"][idx], kind)
            d = decimals("stated_decimals", grids["stated_decimals"][idx])
            c, lo, hi = (number(n, grids[n][idx], kind) for n in ("implied", "low", "high"))
        except CellError as e:
            out[idx] = e.text
            continue
        if d > MAX_DECIMALS:  # the core's limit on a printed precision
            out[idx] = value_error(
                f"stated_decimals is {d:g}; a number is printed with at most {MAX_DECIMALS}"
            ).text
            continue
        s_lo, s_hi = (float(x) for x in qualified_interval(s, d, q, percent=rate))
        out[idx] = judge(s, s_lo, s_hi, c, lo, hi, d, percent=rate, qualifier=q)
    return excel_result(out, shape)


def _what(raw) -> str:
    what = option("what", raw) or "level"
    if what not in WHAT:
        raise value_error(f'what is {what[:40]!r}; write "level" or "rate"')
    return what


def _qualifier(raw) -> str:
    q = option("qualifier", raw)
    try:
        qualified_interval(1.0, 0, q)  # the core's list of qualifiers, and its message
    except ValueError as e:
        raise value_error(str(e)) from None
    return q
