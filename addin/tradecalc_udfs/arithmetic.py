"""The arithmetic UDFs: one Excel function per :mod:`tradecalc.calc.arithmetic` function.

Each takes single cells or ranges of one shape (single cells go with any
shape) and returns a value or an array of the same shape. Examples use
Chongqing Customs' Q1 2021 release (billion yuan):

>>> round(trade_base(180.24, "60.4%"), 2), round(trade_base(180.24, "60.4"), 2)
(112.37, 112.37)
>>> trade_base([[180.24], [None]], 0.604)[1]
[None]
>>> trade_base(180.24, -1.2)
'#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)'
"""

from __future__ import annotations

from typing import Annotated

import numpy as np

import tradecalc as tc

from ._excel import (
    CellError,
    Cells,
    Level,
    Points,
    Rate,
    Years,
    elementwise,
    excel_result,
    number,
    numbers_of,
    range_of,
    single,
    udf,
    value_error,
)

ARITH = "Levels, growth and shares"
PARTS = "Parts of a whole"
TIME = "Growth over several periods"
SUMS = "Sums, differences and conversions"

VALUE = (
    "The value in the current period, in the release's unit (e.g. 180.24 for 180.24 billion yuan)."
)
GROWTH = 'Its year-on-year growth, a fraction (60.4% or 0.604; text "60.4" is 60.4%).'
PART = "The part's value (e.g. exports), in the release's unit."
PART_GROWTH = "The part's growth, a fraction (75.7% or 0.757)."
WHOLE = "The whole's value (e.g. total trade), in the same unit as the part."
WHOLE_GROWTH = "The whole's growth, a fraction (60.4% or 0.604)."


@udf(ARITH)
def trade_base(value: Annotated[Level, VALUE], growth: Annotated[Rate, GROWTH]):
    """
    Prior-period value implied by a value and its growth: value / (1 + growth), in the value's unit.
    TRADE_BASE(180.24, 60.4%) = 112.37.
    """
    return elementwise(tc.base, value=value, growth=growth)


@udf(ARITH)
def trade_growth(
    value: Annotated[Level, VALUE],
    base: Annotated[Level, "The prior-period value, in the same unit."],
):
    """Growth of a value over its base, a fraction: value / base - 1. TRADE_GROWTH(180.24, 112.37) =
    60.4%.
    """
    return elementwise(tc.growth, value=value, base=base)


@udf(ARITH)
def trade_change(value: Annotated[Level, VALUE], growth: Annotated[Rate, GROWTH]):
    """Absolute change on the prior period, in the value's unit: value - value / (1 + growth).
    TRADE_CHANGE(112.32, 75.7%) = 48.39.
    """
    return elementwise(tc.change, value=value, growth=growth)


@udf(ARITH)
def trade_share(part: Annotated[Level, PART], whole: Annotated[Level, WHOLE]):
    """Share of a part in a whole, a fraction: part / whole. TRADE_SHARE(112.32, 180.24) = 62.3%."""
    return elementwise(tc.share, part=part, whole=whole)


@udf(PARTS)
def trade_base_share(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
):
    """The part's share of the whole in the prior period, a fraction: base(part) / base(whole).
    TRADE_BASE_SHARE(112.32, 75.7%, 180.24, 60.4%) = 56.9%.
    """
    return elementwise(
        tc.base_share, part=part, part_growth=part_growth, whole=whole, whole_growth=whole_growth
    )


@udf(PARTS)
def trade_share_change(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
):
    """
    Change of the part's share of the whole, in percentage points: 100 × (share now - share a year
    earlier). TRADE_SHARE_CHANGE(112.32, 75.7%, 180.24, 60.4%) = 5.4 pp.
    """
    return elementwise(
        tc.share_change_pp,
        part=part,
        part_growth=part_growth,
        whole=whole,
        whole_growth=whole_growth,
    )


@udf(ARITH)
def trade_pp(
    rate: Annotated[Rate, "A rate, a fraction (60.4%)."],
    reference: Annotated[Rate, "The rate it is compared with, a fraction (29.2%)."],
):
    """Percentage-point gap between two rates, in points: 100 × (rate - reference). TRADE_PP(60.4%,
    29.2%) = 31.2 pp.
    """
    return elementwise(tc.pp, rate=rate, reference=reference, domain=False)


@udf(ARITH)
def trade_reference_rate(
    rate: Annotated[Rate, "The rate stated, a fraction (60.4%)."],
    pp_above: Annotated[
        Points,
        'How many percentage points it is above the reference, in points (31.2); "lower" is '
        "negative.",
    ],
):
    """
    The rate that "rate is pp_above points higher than" implies, a fraction: rate - pp_above / 100.
    TRADE_REFERENCE_RATE(60.4%, 31.2) = 29.2%.
    """
    return elementwise(tc.reference_rate, rate=rate, pp_above=pp_above, domain=False)


@udf(PARTS)
def trade_pull(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
):
    """
    How many points of the whole's growth the part accounts for (pull), in percentage points: 100 ×
    change(part) / base(whole). TRADE_PULL(112.32, 75.7%, 180.24, 60.4%) = 43.1 pp.
    """
    return elementwise(
        tc.pull_pp, part=part, part_growth=part_growth, whole=whole, whole_growth=whole_growth
    )


@udf(PARTS)
def trade_contribution(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
):
    """
    Contribution rate of the part to the whole's change, a fraction: change(part) / change(whole).
    TRADE_CONTRIBUTION(112.32, 75.7%, 180.24, 60.4%) = 71.3%.
    """
    return elementwise(
        tc.contribution, part=part, part_growth=part_growth, whole=whole, whole_growth=whole_growth
    )


@udf(TIME)
def trade_avg_growth(
    growth: Annotated[
        Rate, "Total growth over the whole span, a fraction (37% on two years earlier)."
    ],
    years: Annotated[Years, "Length of the span in years (2), see TRADE_YEARS."],
):
    """Average yearly growth over a span of years, a fraction: (1 + growth)^(1 / years) - 1.
    TRADE_AVG_GROWTH(37%, 2) = 17.0%.
    """
    return elementwise(tc.average_growth, growth=growth, years=years)


@udf(TIME)
def trade_compound(
    growths: Annotated[
        Rate,
        "The growth of each consecutive period, fractions (a range; a blank makes the result "
        "blank).",
    ],
):
    """Growth over consecutive periods, a fraction: (1 + g1)(1 + g2)... - 1.
    TRADE_COMPOUND({-0.146,0.604}) = 37%.
    """
    return single(tc.compound_growth, numbers_of("growths", growths, Rate))


@udf(TIME)
def trade_prior_growth(
    multi_year_growth: Annotated[
        Rate, "Growth on the earlier period, e.g. two years before, a fraction (37%)."
    ],
    latest_growth: Annotated[Rate, "Growth on the year before, a fraction (60.4%)."],
):
    """Growth of the year before on the earlier period, a fraction: (1 + multi_year_growth) / (1 +
    latest_growth) - 1. TRADE_PRIOR_GROWTH(37%, 60.4%) = -14.6%.
    """
    return elementwise(
        tc.prior_growth, multi_year_growth=multi_year_growth, latest_growth=latest_growth
    )


A = "The larger figure (e.g. a year-to-date total), in the release's unit."
B = "The figure taken away (e.g. the latest month), same unit."


@udf(SUMS)
def trade_diff_growth(
    a: Annotated[Level, A],
    a_growth: Annotated[Rate, "Its growth, a fraction."],
    b: Annotated[Level, B],
    b_growth: Annotated[Rate, "Its growth, a fraction."],
):
    """
    Growth of the difference a - b, a fraction: (a - b) / (base(a) - base(b)) - 1. Q1 minus March:
    TRADE_DIFF_GROWTH(180.24, 60.4%, 64.06, 45.2%) = 70.2% for January-February.
    """
    return elementwise(tc.difference_growth, a=a, a_growth=a_growth, b=b, b_growth=b_growth)


@udf(SUMS)
def trade_sum_growth(
    values: Annotated[Level, "The figures summed, in one unit (a range)."],
    growths: Annotated[Rate, "Their growths, fractions (a range of the same shape)."],
):
    """Growth of a sum of figures, a fraction: sum(values) / sum(bases) - 1.
    TRADE_SUM_GROWTH({112.32,67.92}, {0.757,0.402}) = 60.4%.
    """
    v = numbers_of("values", values, Level)
    g = numbers_of("growths", growths, Rate)
    if v.shape != g.shape:
        raise value_error(
            f"values has {v.size} cells but growths has {g.size}; give one growth per value"
        )
    return single(tc.aggregate_growth, v, g)


@udf(SUMS)
def trade_fx_rate(
    value: Annotated[Level, "The value in the release's currency (180.24 billion yuan)."],
    converted_value: Annotated[Level, "The same value converted (27.77 billion dollars)."],
):
    """Exchange rate implied by a value and its converted value: value / converted_value (units of
    value's currency per unit of the other). TRADE_FX_RATE(180.24, 27.77) = 6.49.
    """
    return elementwise(tc.implied_rate, value=value, converted_value=converted_value)


@udf(SUMS)
def trade_residual(
    total: Annotated[
        Cells, "The total, in the release's unit (one cell, or a column with one total per row)."
    ],
    parts: Annotated[
        Level,
        "The listed parts, same unit (a range; with a column of totals, one row of parts per "
        "total).",
    ],
):
    """Total minus the listed parts (e.g. "other"), in the total's unit: total - sum(parts); a blank
    part gives a blank. TRADE_RESIDUAL(180.24, {88.24,75.07,16.75}) = 0.18.
    """
    t, p = range_of("total", total), range_of("parts", parts)
    if p.size == 0:
        raise value_error("parts is an empty range")
    if t.shape == (1, 1):
        tv = number("total", t[0, 0], Level)
        return single(tc.residual, tv, numbers_of("parts", parts, Level), domain=False)
    if t.shape[1] != 1 or t.shape[0] != p.shape[0]:
        raise value_error(
            f"total is {t.shape[0]}×{t.shape[1]} and parts {p.shape[0]}×{p.shape[1]}; give "
            "one total, "
            f"or a column of totals with one row of parts each"
        )
    rows = []
    for i in range(t.shape[0]):
        try:
            tv = number("total", t[i, 0], Level)
            rows.append(
                single(tc.residual, tv, numbers_of("parts", [list(p[i])], Level), domain=False)
            )
        except CellError as e:  # a bad row shows its own error; the other rows still compute
            rows.append(e.text)
    return excel_result(np.array(rows, dtype=object).reshape(-1, 1), (len(rows), 1))
