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

import numpy as np

import tradecalc as tc
from tradecalc.calc import bounds as bd

from ._excel import CellError, decimals, excel_grid, num_error, number, numbers_of, range_of, returns_cell_errors, udf, value_error
from .arithmetic import PART, PART_GROWTH, WHOLE, WHOLE_GROWTH

SECTION = "Bounds within rounding"
NO_FINITE = "no finite bounds: within rounding of the printed figures the base can be zero or change sign"

DEC = "digits after the point as printed ({example}); blank = exact."
VALUE_DEC = "The value's published decimals: " + DEC.format(example="2 for 180.24")
GROWTH_DEC = "The growth's published decimals, in percent: " + DEC.format(example="1 for 60.4%")


def _decs(who: str, kind: str) -> str:
    example = "1 for 60.4%" if kind == "rate" else "2 for 112.32"
    return f"Published decimals of {who}{', in percent' if kind == 'rate' else ''}: " + DEC.format(example=example)


def _bounds(fname: str, point, bounds_fn, values: dict, decs: dict, *, domain: bool = True):
    """[low, high] per cell. ``values``: name → (raw, kind); ``decs``: name → raw.

    ``point`` is the formula itself, called first so an input outside its
    domain gives tradecalc's reason rather than empty bounds.
    """
    grids, shape = excel_grid(fname, **{k: v for k, (v, _) in values.items()}, **decs)
    if shape[1] != 1:
        raise value_error(fname, f"inputs are {shape[0]}×{shape[1]}; give single cells or one column (the result has a low and a high column)")
    n = shape[0]
    kinds = {k: kind for k, (_, kind) in values.items()}
    rows: list[list] = []
    for i in range(n):
        try:
            vals = [number(fname, k, grids[k][i, 0], kinds[k]) for k in values]
            ds = [decimals(fname, k, grids[k][i, 0]) for k in decs]
        except CellError as e:
            rows.append([e.text, e.text])
            continue
        if any(math.isnan(v) for v in vals):
            rows.append([None, None])
            continue
        try:
            if domain:
                point(*vals, errors="raise")
        except tc.TradeDomainError as e:
            rows.append([num_error(fname, str(e)).text] * 2)
            continue
        with np.errstate(all="ignore"):
            lo, hi = bounds_fn(*vals, *ds)
        if not (math.isfinite(lo) and math.isfinite(hi)):  # NaN: no bounds; ±inf: a base within rounding of zero
            rows.append([num_error(fname, NO_FINITE).text] * 2)
        else:
            rows.append([float(lo), float(hi)])
    return rows


def _four(part, part_growth, whole, whole_growth):
    return {"part": (part, "level"), "part_growth": (part_growth, "rate"), "whole": (whole, "level"), "whole_growth": (whole_growth, "rate")}


def _four_decs(part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    return {
        "part_decimals": part_decimals,
        "part_growth_decimals": part_growth_decimals,
        "whole_decimals": whole_decimals,
        "whole_growth_decimals": whole_growth_decimals,
    }


FOUR_DOCS = dict(
    part=PART,
    part_growth=PART_GROWTH,
    whole=WHOLE,
    whole_growth=WHOLE_GROWTH,
    part_decimals=_decs("the part", "level"),
    part_growth_decimals=_decs("the part's growth", "rate"),
    whole_decimals=_decs("the whole", "level"),
    whole_growth_decimals=_decs("the whole's growth", "rate"),
)


@udf(
    SECTION,
    value="The value as published, in the release's unit.",
    growth="Its growth, a fraction (60.4%).",
    value_decimals=VALUE_DEC,
    growth_decimals=GROWTH_DEC,
)
@returns_cell_errors(pair=True)
def trade_base_bounds(value, growth, value_decimals, growth_decimals):
    """Lowest and highest prior-period value (TRADE_BASE) the rounded figures allow, as [low, high] in the value's unit. TRADE_BASE_BOUNDS(75.07, 100%, 2, 0) = [37.44, 37.63]."""
    return _bounds(
        "TRADE_BASE_BOUNDS", tc.base, bd.base_bounds,
        {"value": (value, "level"), "growth": (growth, "rate")},
        {"value_decimals": value_decimals, "growth_decimals": growth_decimals},
    )


@udf(
    SECTION,
    value="The value as published, in the release's unit.",
    growth="Its growth, a fraction (28.3%).",
    value_decimals=VALUE_DEC,
    growth_decimals=GROWTH_DEC,
)
@returns_cell_errors(pair=True)
def trade_change_bounds(value, growth, value_decimals, growth_decimals):
    """Lowest and highest absolute change (TRADE_CHANGE) the rounded figures allow, as [low, high] in the value's unit. TRADE_CHANGE_BOUNDS(24, 28.3%, 0, 1) = [5.18, 5.41]."""
    return _bounds(
        "TRADE_CHANGE_BOUNDS", tc.change, bd.change_bounds,
        {"value": (value, "level"), "growth": (growth, "rate")},
        {"value_decimals": value_decimals, "growth_decimals": growth_decimals},
    )


@udf(SECTION, part=PART, whole=WHOLE, part_decimals=_decs("the part", "level"), whole_decimals=_decs("the whole", "level"))
@returns_cell_errors(pair=True)
def trade_share_bounds(part, whole, part_decimals, whole_decimals):
    """Lowest and highest share (TRADE_SHARE) the rounded figures allow, as [low, high] fractions. TRADE_SHARE_BOUNDS(112.32, 180.24, 2, 2) = [62.312%, 62.321%]."""
    return _bounds(
        "TRADE_SHARE_BOUNDS", tc.share, bd.share_bounds,
        {"part": (part, "level"), "whole": (whole, "level")},
        {"part_decimals": part_decimals, "whole_decimals": whole_decimals},
    )


@udf(SECTION, **FOUR_DOCS)
@returns_cell_errors(pair=True)
def trade_base_share_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Lowest and highest prior-period share (TRADE_BASE_SHARE) the rounded figures allow, as [low, high] fractions."""
    return _bounds(
        "TRADE_BASE_SHARE_BOUNDS", tc.base_share, bd.base_share_bounds, _four(part, part_growth, whole, whole_growth),
        _four_decs(part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


@udf(SECTION, **FOUR_DOCS)
@returns_cell_errors(pair=True)
def trade_share_change_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Lowest and highest share change (TRADE_SHARE_CHANGE) the rounded figures allow, as [low, high] in percentage points. Exports, Chongqing Q1 2021: [5.39, 5.46] pp."""
    return _bounds(
        "TRADE_SHARE_CHANGE_BOUNDS", tc.share_change_pp, bd.share_change_pp_bounds, _four(part, part_growth, whole, whole_growth),
        _four_decs(part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


@udf(SECTION, **FOUR_DOCS)
@returns_cell_errors(pair=True)
def trade_pull_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Lowest and highest pull (TRADE_PULL) the rounded figures allow, as [low, high] in percentage points."""
    return _bounds(
        "TRADE_PULL_BOUNDS", tc.pull_pp, bd.pull_pp_bounds, _four(part, part_growth, whole, whole_growth),
        _four_decs(part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


@udf(
    SECTION,
    a="The larger figure (e.g. a year-to-date total), in the release's unit.",
    a_growth="Its growth, a fraction.",
    b="The figure taken away (e.g. the latest month), same unit.",
    b_growth="Its growth, a fraction.",
    a_decimals=_decs("a", "level"),
    a_growth_decimals=_decs("a's growth", "rate"),
    b_decimals=_decs("b", "level"),
    b_growth_decimals=_decs("b's growth", "rate"),
)
@returns_cell_errors(pair=True)
def trade_diff_growth_bounds(a, a_growth, b, b_growth, a_decimals, a_growth_decimals, b_decimals, b_growth_decimals):
    """Lowest and highest growth of a - b (TRADE_DIFF_GROWTH) the rounded figures allow, as [low, high] fractions. January-February 2021 from Q1 and March: [70.10%, 70.35%]."""
    return _bounds(
        "TRADE_DIFF_GROWTH_BOUNDS", tc.difference_growth, bd.difference_growth_bounds,
        {"a": (a, "level"), "a_growth": (a_growth, "rate"), "b": (b, "level"), "b_growth": (b_growth, "rate")},
        {"a_decimals": a_decimals, "a_growth_decimals": a_growth_decimals, "b_decimals": b_decimals, "b_growth_decimals": b_growth_decimals},
    )


@udf(
    SECTION,
    total="The total, in the release's unit (one cell).",
    parts="The listed parts, same unit (a range).",
    total_decimals=_decs("the total", "level"),
    parts_decimals="Published decimals of the parts: one cell for all, or a range shaped like parts; blank = exact.",
)
@returns_cell_errors(pair=True)
def trade_residual_bounds(total, parts, total_decimals, parts_decimals):
    """Lowest and highest residual total - sum(parts) (TRADE_RESIDUAL) the rounded figures allow, as [low, high] in the total's unit. TRADE_RESIDUAL_BOUNDS(180.24, {88.24, 75.07, 16.75}, 2, 2) = [0.16, 0.20]."""
    fname = "TRADE_RESIDUAL_BOUNDS"
    grids, shape = excel_grid(fname, total=total, total_decimals=total_decimals)
    if shape != (1, 1):
        raise value_error(fname, "give one total (a single cell) and its decimals")
    t = number(fname, "total", grids["total"][0, 0], "level")
    td = decimals(fname, "total_decimals", grids["total_decimals"][0, 0])
    p = numbers_of(fname, "parts", parts, "level")
    dg = range_of(fname, "parts_decimals", parts_decimals)
    if dg.size not in (1, p.size):
        raise value_error(fname, f"parts has {p.size} cells but parts_decimals {dg.size}; give one decimals cell or one per part")
    pdec = np.array([decimals(fname, "parts_decimals", d) for d in dg.reshape(-1)], dtype=float)
    if math.isnan(t) or np.isnan(p).any():
        return [[None, None]]
    lo, hi = bd.residual_bounds(t, p, td, np.broadcast_to(pdec, p.shape))
    if not (math.isfinite(lo) and math.isfinite(hi)):  # sums of numbers near 1e308 overflow
        raise num_error(fname, "the result is not finite")
    return [[float(lo), float(hi)]]


@udf(
    SECTION,
    rate="The rate stated, a fraction (60.4%).",
    pp_above="Points above the reference, in points (31.2).",
    rate_decimals=_decs("the rate", "rate"),
    pp_decimals="Published decimals of the points: digits after the point as printed (1 for 31.2); blank = exact.",
)
@returns_cell_errors(pair=True)
def trade_reference_rate_bounds(rate, pp_above, rate_decimals, pp_decimals):
    """Lowest and highest reference rate (TRADE_REFERENCE_RATE) the rounded figures allow, as [low, high] fractions. TRADE_REFERENCE_RATE_BOUNDS(60.4%, 31.2, 1, 1) = [29.1%, 29.3%]."""
    return _bounds(
        "TRADE_REFERENCE_RATE_BOUNDS", None, bd.reference_rate_bounds,
        {"rate": (rate, "rate"), "pp_above": (pp_above, "points")},
        {"rate_decimals": rate_decimals, "pp_decimals": pp_decimals},
        domain=False,
    )


@udf(
    SECTION,
    value="The value in the release's currency (180.24).",
    converted_value="The same value converted (27.77).",
    value_decimals=_decs("the value", "level"),
    converted_decimals=_decs("the converted value", "level"),
)
@returns_cell_errors(pair=True)
def trade_fx_rate_bounds(value, converted_value, value_decimals, converted_decimals):
    """Lowest and highest exchange rate (TRADE_FX_RATE) the rounded figures allow, as [low, high]. TRADE_FX_RATE_BOUNDS(180.24, 27.77, 2, 2) = [6.4891, 6.4918]."""
    return _bounds(
        "TRADE_FX_RATE_BOUNDS", tc.implied_rate, bd.implied_rate_bounds,
        {"value": (value, "level"), "converted_value": (converted_value, "level")},
        {"value_decimals": value_decimals, "converted_decimals": converted_decimals},
    )
