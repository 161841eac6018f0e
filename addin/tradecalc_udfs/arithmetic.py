"""The arithmetic UDFs: one Excel function per :mod:`tradecalc.calc.arithmetic` function.

Each takes single cells or ranges of one shape (single cells go with any
shape) and returns a value or an array of the same shape. Examples use
Chongqing Customs' Q1 2021 release (billion yuan):

>>> round(trade_base(180.24, "60.4%"), 2)
112.37
>>> trade_base([[180.24], [None]], 0.604)[1]
[None]
>>> trade_base(180.24, -1.2)
'#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)'
"""
from __future__ import annotations

import numpy as np

import tradecalc as tc

from ._excel import CellError, elementwise, excel_result, number, numbers_of, range_of, returns_cell_errors, single, udf, value_error

ARITH = "Levels, growth and shares"
PARTS = "Parts of a whole"
TIME = "Growth over several periods"
SUMS = "Sums, differences and conversions"

VALUE = "The value in the current period, in the release's unit (e.g. 180.24 for 180.24 billion yuan)."
GROWTH = "Its year-on-year growth, a fraction (60.4% or 0.604)."
PART = "The part's value (e.g. exports), in the release's unit."
PART_GROWTH = "The part's growth, a fraction (75.7% or 0.757)."
WHOLE = "The whole's value (e.g. total trade), in the same unit as the part."
WHOLE_GROWTH = "The whole's growth, a fraction (60.4% or 0.604)."


@udf(ARITH, value=VALUE, growth=GROWTH)
@returns_cell_errors
def trade_base(value, growth):
    """Prior-period value implied by a value and its growth: value / (1 + growth), in the value's unit. TRADE_BASE(180.24, 60.4%) = 112.37."""
    return elementwise("TRADE_BASE", tc.base, {"value": (value, "level"), "growth": (growth, "rate")})


@udf(ARITH, value=VALUE, base="The prior-period value, in the same unit.")
@returns_cell_errors
def trade_growth(value, base):
    """Growth of a value over its base, a fraction: value / base - 1. TRADE_GROWTH(180.24, 112.37) = 60.4%."""
    return elementwise("TRADE_GROWTH", tc.growth, {"value": (value, "level"), "base": (base, "level")})


@udf(ARITH, value=VALUE, growth=GROWTH)
@returns_cell_errors
def trade_change(value, growth):
    """Absolute change on the prior period, in the value's unit: value - value / (1 + growth). TRADE_CHANGE(112.32, 75.7%) = 48.39."""
    return elementwise("TRADE_CHANGE", tc.change, {"value": (value, "level"), "growth": (growth, "rate")})


@udf(ARITH, part=PART, whole=WHOLE)
@returns_cell_errors
def trade_share(part, whole):
    """Share of a part in a whole, a fraction: part / whole. TRADE_SHARE(112.32, 180.24) = 62.3%."""
    return elementwise("TRADE_SHARE", tc.share, {"part": (part, "level"), "whole": (whole, "level")})


@udf(PARTS, part=PART, part_growth=PART_GROWTH, whole=WHOLE, whole_growth=WHOLE_GROWTH)
@returns_cell_errors
def trade_base_share(part, part_growth, whole, whole_growth):
    """The part's share of the whole in the prior period, a fraction: base(part) / base(whole). TRADE_BASE_SHARE(112.32, 75.7%, 180.24, 60.4%) = 56.9%."""
    return elementwise("TRADE_BASE_SHARE", tc.base_share, _four(part, part_growth, whole, whole_growth))


@udf(PARTS, part=PART, part_growth=PART_GROWTH, whole=WHOLE, whole_growth=WHOLE_GROWTH)
@returns_cell_errors
def trade_share_change(part, part_growth, whole, whole_growth):
    """Change of the part's share of the whole, in percentage points: 100 × (share now - share a year earlier). TRADE_SHARE_CHANGE(112.32, 75.7%, 180.24, 60.4%) = 5.4 pp."""
    return elementwise("TRADE_SHARE_CHANGE", tc.share_change_pp, _four(part, part_growth, whole, whole_growth))


@udf(ARITH, rate="A rate, a fraction (60.4%).", reference="The rate it is compared with, a fraction (29.2%).")
@returns_cell_errors
def trade_pp(rate, reference):
    """Percentage-point gap between two rates, in points: 100 × (rate - reference). TRADE_PP(60.4%, 29.2%) = 31.2 pp."""
    return elementwise("TRADE_PP", tc.pp, {"rate": (rate, "rate"), "reference": (reference, "rate")}, domain=False)


@udf(ARITH, rate="The rate stated, a fraction (60.4%).", pp_above='How many percentage points it is above the reference, in points (31.2); "lower" is negative.')
@returns_cell_errors
def trade_reference_rate(rate, pp_above):
    """The rate that "rate is pp_above points higher than" implies, a fraction: rate - pp_above / 100. TRADE_REFERENCE_RATE(60.4%, 31.2) = 29.2%."""
    return elementwise("TRADE_REFERENCE_RATE", tc.reference_rate, {"rate": (rate, "rate"), "pp_above": (pp_above, "points")}, domain=False)


@udf(PARTS, part=PART, part_growth=PART_GROWTH, whole=WHOLE, whole_growth=WHOLE_GROWTH)
@returns_cell_errors
def trade_pull(part, part_growth, whole, whole_growth):
    """How many points of the whole's growth the part accounts for (pull), in percentage points: 100 × change(part) / base(whole). TRADE_PULL(112.32, 75.7%, 180.24, 60.4%) = 43.1 pp."""
    return elementwise("TRADE_PULL", tc.pull_pp, _four(part, part_growth, whole, whole_growth))


@udf(PARTS, part=PART, part_growth=PART_GROWTH, whole=WHOLE, whole_growth=WHOLE_GROWTH)
@returns_cell_errors
def trade_contribution(part, part_growth, whole, whole_growth):
    """Contribution rate of the part to the whole's change, a fraction: change(part) / change(whole). TRADE_CONTRIBUTION(112.32, 75.7%, 180.24, 60.4%) = 71.3%."""
    return elementwise("TRADE_CONTRIBUTION", tc.contribution, _four(part, part_growth, whole, whole_growth))


@udf(TIME, growth="Total growth over the whole span, a fraction (37% on two years earlier).", years="Length of the span in years (2), see TRADE_YEARS.")
@returns_cell_errors
def trade_avg_growth(growth, years):
    """Average yearly growth over a span of years, a fraction: (1 + growth)^(1 / years) - 1. TRADE_AVG_GROWTH(37%, 2) = 17.0%."""
    return elementwise("TRADE_AVG_GROWTH", tc.average_growth, {"growth": (growth, "rate"), "years": (years, "years")})


@udf(TIME, growths="The growth of each consecutive period, fractions (a range; a blank makes the result blank).")
@returns_cell_errors
def trade_compound(growths):
    """Growth over consecutive periods, a fraction: (1 + g1)(1 + g2)... - 1. TRADE_COMPOUND({-14.6%, 60.4%}) = 37%."""
    return single("TRADE_COMPOUND", tc.compound_growth, numbers_of("TRADE_COMPOUND", "growths", growths, "rate"))


@udf(TIME, multi_year_growth="Growth on the earlier period, e.g. two years before, a fraction (37%).", latest_growth="Growth on the year before, a fraction (60.4%).")
@returns_cell_errors
def trade_prior_growth(multi_year_growth, latest_growth):
    """Growth of the year before on the earlier period, a fraction: (1 + multi_year_growth) / (1 + latest_growth) - 1. TRADE_PRIOR_GROWTH(37%, 60.4%) = -14.6%."""
    return elementwise(
        "TRADE_PRIOR_GROWTH", tc.prior_growth, {"multi_year_growth": (multi_year_growth, "rate"), "latest_growth": (latest_growth, "rate")}
    )


@udf(
    SUMS,
    a="The larger figure (e.g. a year-to-date total), in the release's unit.",
    a_growth="Its growth, a fraction.",
    b="The figure taken away (e.g. the latest month), same unit.",
    b_growth="Its growth, a fraction.",
)
@returns_cell_errors
def trade_diff_growth(a, a_growth, b, b_growth):
    """Growth of the difference a - b, a fraction: (a - b) / (base(a) - base(b)) - 1. Q1 minus March: TRADE_DIFF_GROWTH(180.24, 60.4%, 64.06, 45.2%) = 70.2% for January-February."""
    return elementwise(
        "TRADE_DIFF_GROWTH",
        tc.difference_growth,
        {"a": (a, "level"), "a_growth": (a_growth, "rate"), "b": (b, "level"), "b_growth": (b_growth, "rate")},
    )


@udf(SUMS, values="The figures summed, in one unit (a range).", growths="Their growths, fractions (a range of the same shape).")
@returns_cell_errors
def trade_sum_growth(values, growths):
    """Growth of a sum of figures, a fraction: sum(values) / sum(bases) - 1. TRADE_SUM_GROWTH({112.32, 67.92}, {75.7%, 40.2%}) = 60.4%."""
    fname = "TRADE_SUM_GROWTH"
    v = numbers_of(fname, "values", values, "level")
    g = numbers_of(fname, "growths", growths, "rate")
    if v.shape != g.shape:
        raise value_error(fname, f"values has {v.size} cells but growths has {g.size}; give one growth per value")
    return single(fname, tc.aggregate_growth, v, g)


@udf(SUMS, value="The value in the release's currency (180.24 billion yuan).", converted_value="The same value converted (27.77 billion dollars).")
@returns_cell_errors
def trade_fx_rate(value, converted_value):
    """Exchange rate implied by a value and its converted value: value / converted_value (units of value's currency per unit of the other). TRADE_FX_RATE(180.24, 27.77) = 6.49."""
    return elementwise("TRADE_FX_RATE", tc.implied_rate, {"value": (value, "level"), "converted_value": (converted_value, "level")})


@udf(
    SUMS,
    total="The total, in the release's unit (one cell, or a column with one total per row).",
    parts="The listed parts, same unit (a range; with a column of totals, one row of parts per total).",
)
@returns_cell_errors
def trade_residual(total, parts):
    """Total minus the listed parts (e.g. "other"), in the total's unit: total - sum(parts); a blank part gives a blank. TRADE_RESIDUAL(180.24, {88.24, 75.07, 16.75}) = 0.18."""
    fname = "TRADE_RESIDUAL"
    t, p = range_of(fname, "total", total), range_of(fname, "parts", parts)
    if p.size == 0:
        raise value_error(fname, "parts is an empty range")
    if t.shape == (1, 1):
        tv = number(fname, "total", t[0, 0], "level")
        return single(fname, tc.residual, tv, numbers_of(fname, "parts", parts, "level"), domain=False)
    if t.shape[1] != 1 or t.shape[0] != p.shape[0]:
        raise value_error(fname, f"total is {t.shape[0]}×{t.shape[1]} and parts {p.shape[0]}×{p.shape[1]}; give one total, or a column of totals with one row of parts each")
    rows = []
    for i in range(t.shape[0]):
        try:
            tv = number(fname, "total", t[i, 0], "level")
            rows.append(single(fname, tc.residual, tv, numbers_of(fname, "parts", [list(p[i])], "level"), domain=False))
        except CellError as e:  # a bad row shows its own error; the other rows still compute
            rows.append(e.text)
    return excel_result(np.array(rows, dtype=object).reshape(-1, 1), (len(rows), 1))


def _four(part, part_growth, whole, whole_growth):
    return {"part": (part, "level"), "part_growth": (part_growth, "rate"), "whole": (whole, "level"), "whole_growth": (whole_growth, "rate")}
