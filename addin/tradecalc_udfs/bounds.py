"""Rounding-aware bounds UDFs: [low, high] of a formula over every value the print allows.

One function per formula, returning a 1×2 array ``[[low, high]]`` (a column of
cells gives one row per cell), so ``=INDEX(TRADE_BASE_BOUNDS(...), 1)`` is the
low end and ``..., 2)`` the high end. ``*_decimals`` are the digits after the
point as printed, in percent for growth rates ("60.4%" → 1); a blank means the
figure is exact. The numbers come from :mod:`tradecalc.calc.bounds`.

>>> [[round(x, 2) for x in row] for row in trade_base_bounds(75.07, "100%", 2, 0)]
[[37.44, 37.63]]
>>> trade_base_bounds(None, 0.604, 2, 1)
[[None, None]]
"""

from __future__ import annotations

import math
from typing import Annotated

import numpy as np

import tradecalc as tc
from tradecalc.calc import bounds as bd

from ._excel import (
    CellError,
    Cells,
    Decimals,
    Level,
    Points,
    Rate,
    _domain_message,
    current,
    decimals,
    excel_grid,
    num_error,
    number,
    numbers_of,
    range_of,
    udf,
    value_error,
)
from .arithmetic import PART, PART_GROWTH, WHOLE, WHOLE_GROWTH

SECTION = "Bounds within rounding"
NO_FINITE = (
    "no finite bounds: within rounding of the printed figures the base can be zero or change sign"
)

DEC = "digits after the point as printed ({example}); blank = exact."
VALUE_DEC = "The value's published decimals: " + DEC.format(example="2 for 180.24")
GROWTH_DEC = "The growth's published decimals, in percent: " + DEC.format(example="1 for 60.4%")


def _decs(who: str, kind: str) -> str:
    example = "1 for 60.4%" if kind == "rate" else "2 for 112.32"
    return f"Published decimals of {who}{', in percent' if kind == 'rate' else ''}: " + DEC.format(
        example=example
    )


def _bounds(point, bounds_fn, values: dict, decs: dict, *, domain: bool = True):
    """[low, high] per cell, the bounds computed once over the whole column.

    ``values``: name → raw (their kinds are the UDF's annotations); ``decs``:
    name → raw decimals. ``point`` is the formula itself: a cell outside its
    domain gets tradecalc's reason rather than empty bounds.
    """
    kinds = current()["kinds"]
    grids, shape = excel_grid(**values, **decs)
    if shape[1] != 1:
        raise value_error(
            f"inputs are {shape[0]}×{shape[1]}; give single cells or one column (the result "
            "has a low "
            f"and a high column)"
        )
    n = shape[0]
    vals = np.full((len(values), n), np.nan)
    ds = np.full((len(decs), n), np.nan)
    rows: list = [None] * n
    for i in range(n):
        try:
            for j, k in enumerate(values):
                vals[j, i] = number(k, grids[k][i, 0], kinds[k])
            for j, k in enumerate(decs):
                ds[j, i] = decimals(k, grids[k][i, 0])
        except CellError as e:
            rows[i] = [e.text, e.text]
    with np.errstate(all="ignore"):
        at = np.asarray(point(*vals, errors="nan"), dtype=float) if domain else np.zeros(n)
        lo, hi = (np.asarray(b, dtype=float).reshape(-1) for b in bounds_fn(*vals, *ds))
    for i in range(n):
        if rows[i] is not None:
            continue
        if np.isnan(vals[:, i]).any():
            rows[i] = [None, None]
        elif math.isnan(at[i]):
            rows[i] = [_domain_message(point, list(vals[:, i]), True)] * 2
        elif not (
            math.isfinite(lo[i]) and math.isfinite(hi[i])
        ):  # NaN: no bounds; ±inf: a base near zero
            rows[i] = [num_error(NO_FINITE).text] * 2
        else:
            rows[i] = [float(lo[i]), float(hi[i])]
    return rows


V = "The value as published, in the release's unit."
PART_DEC = Annotated[Decimals, _decs("the part", "level")]
PART_GROWTH_DEC = Annotated[Decimals, _decs("the part's growth", "rate")]
WHOLE_DEC = Annotated[Decimals, _decs("the whole", "level")]
WHOLE_GROWTH_DEC = Annotated[Decimals, _decs("the whole's growth", "rate")]


@udf(SECTION, pair=True)
def trade_base_bounds(
    value: Annotated[Level, V],
    growth: Annotated[Rate, "Its growth, a fraction (60.4%)."],
    value_decimals: Annotated[Decimals, VALUE_DEC],
    growth_decimals: Annotated[Decimals, GROWTH_DEC],
):
    """
    Lowest and highest prior-period value (TRADE_BASE) the rounded figures allow, as [low, high] in
    the value's unit. TRADE_BASE_BOUNDS(75.07, 100%, 2, 0) = [37.44, 37.63].
    """
    return _bounds(
        tc.base,
        bd.base_bounds,
        dict(value=value, growth=growth),
        dict(value_decimals=value_decimals, growth_decimals=growth_decimals),
    )


@udf(SECTION, pair=True)
def trade_change_bounds(
    value: Annotated[Level, V],
    growth: Annotated[Rate, "Its growth, a fraction (28.3%)."],
    value_decimals: Annotated[Decimals, VALUE_DEC],
    growth_decimals: Annotated[Decimals, GROWTH_DEC],
):
    """
    Lowest and highest absolute change (TRADE_CHANGE) the rounded figures allow, as [low, high] in
    the value's unit. TRADE_CHANGE_BOUNDS(24, 28.3%, 0, 1) = [5.18, 5.41].
    """
    return _bounds(
        tc.change,
        bd.change_bounds,
        dict(value=value, growth=growth),
        dict(value_decimals=value_decimals, growth_decimals=growth_decimals),
    )


@udf(SECTION, pair=True)
def trade_share_bounds(
    part: Annotated[Level, PART],
    whole: Annotated[Level, WHOLE],
    part_decimals: PART_DEC,
    whole_decimals: WHOLE_DEC,
):
    """Lowest and highest share (TRADE_SHARE) the rounded figures allow, as [low, high] fractions.
    TRADE_SHARE_BOUNDS(112.32, 180.24, 2, 2) = [62.312%, 62.321%].
    """
    return _bounds(
        tc.share,
        bd.share_bounds,
        dict(part=part, whole=whole),
        dict(part_decimals=part_decimals, whole_decimals=whole_decimals),
    )


def _four(
    point,
    bounds_fn,
    part,
    part_growth,
    whole,
    whole_growth,
    part_decimals,
    part_growth_decimals,
    whole_decimals,
    whole_growth_decimals,
):
    return _bounds(
        point,
        bounds_fn,
        dict(part=part, part_growth=part_growth, whole=whole, whole_growth=whole_growth),
        dict(
            part_decimals=part_decimals,
            part_growth_decimals=part_growth_decimals,
            whole_decimals=whole_decimals,
            whole_growth_decimals=whole_growth_decimals,
        ),
    )


@udf(SECTION, pair=True)
def trade_base_share_bounds(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
    part_decimals: PART_DEC,
    part_growth_decimals: PART_GROWTH_DEC,
    whole_decimals: WHOLE_DEC,
    whole_growth_decimals: WHOLE_GROWTH_DEC,
):
    """Lowest and highest prior-period share (TRADE_BASE_SHARE) the rounded figures allow, as [low,
    high] fractions.
    """
    return _four(
        tc.base_share,
        bd.base_share_bounds,
        part,
        part_growth,
        whole,
        whole_growth,
        part_decimals,
        part_growth_decimals,
        whole_decimals,
        whole_growth_decimals,
    )


@udf(SECTION, pair=True)
def trade_share_change_bounds(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
    part_decimals: PART_DEC,
    part_growth_decimals: PART_GROWTH_DEC,
    whole_decimals: WHOLE_DEC,
    whole_growth_decimals: WHOLE_GROWTH_DEC,
):
    """
    Lowest and highest share change (TRADE_SHARE_CHANGE) the rounded figures allow, as [low, high]
    in percentage points. Exports, Chongqing Q1 2021: [5.39, 5.46] pp.
    """
    return _four(
        tc.share_change_pp,
        bd.share_change_pp_bounds,
        part,
        part_growth,
        whole,
        whole_growth,
        part_decimals,
        part_growth_decimals,
        whole_decimals,
        whole_growth_decimals,
    )


@udf(SECTION, pair=True)
def trade_pull_bounds(
    part: Annotated[Level, PART],
    part_growth: Annotated[Rate, PART_GROWTH],
    whole: Annotated[Level, WHOLE],
    whole_growth: Annotated[Rate, WHOLE_GROWTH],
    part_decimals: PART_DEC,
    part_growth_decimals: PART_GROWTH_DEC,
    whole_decimals: WHOLE_DEC,
    whole_growth_decimals: WHOLE_GROWTH_DEC,
):
    """Lowest and highest pull (TRADE_PULL) the rounded figures allow, as [low, high] in percentage
    points.
    """
    return _four(
        tc.pull_pp,
        bd.pull_pp_bounds,
        part,
        part_growth,
        whole,
        whole_growth,
        part_decimals,
        part_growth_decimals,
        whole_decimals,
        whole_growth_decimals,
    )


@udf(SECTION, pair=True)
def trade_diff_growth_bounds(
    a: Annotated[Level, "The larger figure (e.g. a year-to-date total), in the release's unit."],
    a_growth: Annotated[Rate, "Its growth, a fraction."],
    b: Annotated[Level, "The figure taken away (e.g. the latest month), same unit."],
    b_growth: Annotated[Rate, "Its growth, a fraction."],
    a_decimals: Annotated[Decimals, _decs("a", "level")],
    a_growth_decimals: Annotated[Decimals, _decs("a's growth", "rate")],
    b_decimals: Annotated[Decimals, _decs("b", "level")],
    b_growth_decimals: Annotated[Decimals, _decs("b's growth", "rate")],
):
    """
    Lowest and highest growth of a - b (TRADE_DIFF_GROWTH) the rounded figures allow, as [low, high]
    fractions. January-February 2021 from Q1 and March: [70.10%, 70.35%].
    """
    return _bounds(
        tc.difference_growth,
        bd.difference_growth_bounds,
        dict(a=a, a_growth=a_growth, b=b, b_growth=b_growth),
        dict(
            a_decimals=a_decimals,
            a_growth_decimals=a_growth_decimals,
            b_decimals=b_decimals,
            b_growth_decimals=b_growth_decimals,
        ),
    )


@udf(SECTION, pair=True)
def trade_residual_bounds(
    total: Annotated[Level, "The total, in the release's unit (one cell)."],
    parts: Annotated[Level, "The listed parts, same unit (a range)."],
    total_decimals: Annotated[Decimals, _decs("the total", "level")],
    parts_decimals: Annotated[
        Cells,
        "Published decimals of the parts: one cell for all, or a range shaped like parts; blank = "
        "exact.",
    ],
):
    """Lowest and highest residual total - sum(parts) (TRADE_RESIDUAL) the rounded figures allow, as
    [low, high] in the total's unit. TRADE_RESIDUAL_BOUNDS(180.24, {88.24,75.07,16.75}, 2, 2) =
    [0.16, 0.20].
    """
    grids, shape = excel_grid(total=total, total_decimals=total_decimals)
    if shape != (1, 1):
        raise value_error("give one total (a single cell) and its decimals")
    t = number("total", grids["total"][0, 0], Level)
    td = decimals("total_decimals", grids["total_decimals"][0, 0])
    p = numbers_of("parts", parts, Level)
    dg = range_of("parts_decimals", parts_decimals)
    if dg.size not in (1, p.size):
        raise value_error(
            f"parts has {p.size} cells but parts_decimals {dg.size}; give one decimals cell "
            "or one "
            f"per part"
        )
    pdec = np.array([decimals("parts_decimals", d) for d in dg.reshape(-1)], dtype=float)
    if math.isnan(t) or np.isnan(p).any():
        return [[None, None]]
    lo, hi = bd.residual_bounds(t, p, td, np.broadcast_to(pdec, p.shape))
    if not (math.isfinite(lo) and math.isfinite(hi)):  # sums of numbers near 1e308 overflow
        raise num_error("the result is not finite")
    return [[float(lo), float(hi)]]


@udf(SECTION, pair=True)
def trade_reference_rate_bounds(
    rate: Annotated[Rate, "The rate stated, a fraction (60.4%)."],
    pp_above: Annotated[Points, "Points above the reference, in points (31.2)."],
    rate_decimals: Annotated[Decimals, _decs("the rate", "rate")],
    pp_decimals: Annotated[
        Decimals,
        (
            "Published decimals of the points: digits after the point as printed (1 for 31.2); "
            "blank = "
            "exact."
        ),
    ],
):
    """Lowest and highest reference rate (TRADE_REFERENCE_RATE) the rounded figures allow, as [low,
    high] fractions. TRADE_REFERENCE_RATE_BOUNDS(60.4%, 31.2, 1, 1) = [29.1%, 29.3%].
    """
    return _bounds(
        None,
        bd.reference_rate_bounds,
        dict(rate=rate, pp_above=pp_above),
        dict(rate_decimals=rate_decimals, pp_decimals=pp_decimals),
        domain=False,
    )


@udf(SECTION, pair=True)
def trade_fx_rate_bounds(
    value: Annotated[Level, "The value in the release's currency (180.24)."],
    converted_value: Annotated[Level, "The same value converted (27.77)."],
    value_decimals: Annotated[Decimals, _decs("the value", "level")],
    converted_decimals: Annotated[Decimals, _decs("the converted value", "level")],
):
    """Lowest and highest exchange rate (TRADE_FX_RATE) the rounded figures allow, as [low, high].
    TRADE_FX_RATE_BOUNDS(180.24, 27.77, 2, 2) = [6.4891, 6.4918].
    """
    return _bounds(
        tc.implied_rate,
        bd.implied_rate_bounds,
        dict(value=value, converted_value=converted_value),
        dict(value_decimals=value_decimals, converted_decimals=converted_decimals),
    )
