"""Rounding-aware bounds: what a formula can give for any values the print allows.

Each function takes the published figures and their published precision
(``*_decimals``: digits after the point as printed; for growth rates in
percent, so "60.4%" has 1) and returns ``(low, high)``: the smallest and
largest result over every combination of true values that round to what was
printed. Unknown precision (NaN/None) counts as exact.

The formulas are monotone in each argument over any box where they are
defined, so the extremes lie at the corners of the box; the functions below
evaluate the corners (at most 2**4 of them) and take min and max. Where the
box crosses a pole (a base interval that contains zero), there are no finite
bounds and the result is ``(nan, nan)``.

Example, Chongqing Q1 2021: "private enterprises ... 75.07 billion yuan, up
100%" has a base anywhere in [37.44, 37.63]:

>>> lo, hi = base_bounds(75.07, 1.00, 2, 0)
>>> round(lo, 2), round(hi, 2)
(37.44, 37.63)
"""
from __future__ import annotations

import itertools

import numpy as np

from tradecalc.calc import arithmetic as ar
from tradecalc.calc._arrays import as_float_array, first_index, wrap

__all__ = [
    "interval",
    "overlaps",
    "base_bounds",
    "change_bounds",
    "share_bounds",
    "base_share_bounds",
    "share_change_pp_bounds",
    "pull_pp_bounds",
    "contribution_bounds",
    "difference_growth_bounds",
    "residual_bounds",
    "sum_bounds",
    "reference_rate_bounds",
    "implied_rate_bounds",
    "average_growth_bounds",
    "prior_growth_bounds",
]


def _half(decimals, percent: bool) -> np.ndarray:
    d = as_float_array(decimals)
    h = np.where(np.isnan(d), 0.0, 0.5 * 10.0 ** (-np.nan_to_num(d)))
    return h / 100.0 if percent else h


def interval(value, decimals, *, percent: bool = False):
    """The interval a printed number stands for: value ± half its last digit.

    >>> interval(24, 0)
    (23.5, 24.5)
    >>> [round(x, 4) for x in interval(0.604, 1, percent=True)]
    [0.6035, 0.6045]
    """
    v = as_float_array(value)
    h = _half(decimals, percent)
    idx = first_index(value, decimals)
    return wrap(v - h, idx), wrap(v + h, idx)


def overlaps(a_low, a_high, b_low, b_high):
    """True where the intervals [a_low, a_high] and [b_low, b_high] intersect."""
    return np.logical_and(np.asarray(a_low) <= np.asarray(b_high), np.asarray(b_low) <= np.asarray(a_high))


def _corners(func, centres, halves, index, pole=None):
    """min/max of func over the corners of the box centre ± half.

    ``pole`` (optional) marks elements whose box holds a zero denominator:
    corner values there are finite but the function is unbounded inside.
    """
    lo = hi = None
    for signs in itertools.product((-1.0, 1.0), repeat=len(centres)):
        args = [c + s * h for c, s, h in zip(centres, signs, halves)]
        with np.errstate(all="ignore"):
            r = np.asarray(func(*args, errors="nan"), dtype=float)
        if lo is None:
            lo, hi, bad = r.copy(), r.copy(), np.isnan(r)
        else:
            lo, hi = np.fmin(lo, r), np.fmax(hi, r)
            bad = bad | np.isnan(r)
    # a corner outside the domain while the centre is inside means the box
    # reaches a pole: no finite bound exists.
    if pole is not None:
        bad = bad | pole
    lo = np.where(bad, np.nan, lo)
    hi = np.where(bad, np.nan, hi)
    return wrap(lo, index), wrap(hi, index)


def _box(func, values, decimals, percent_flags, nonzero=()):
    """Corner bounds; ``nonzero`` lists the arguments that sit in a denominator.

    Where the interval of such an argument holds zero (a whole printed as
    "0" or "0.0%" growth of the whole), the function is unbounded in the box
    even though every corner is finite, so the bounds are NaN.
    """
    index = first_index(*values, *decimals)
    centres = [as_float_array(v) for v in values]
    halves = [_half(d, p) for d, p in zip(decimals, percent_flags)]
    pole = None
    for i in nonzero:
        spans = np.abs(centres[i]) <= halves[i]
        pole = spans if pole is None else pole | spans
    return _corners(func, centres, halves, index, pole)


def base_bounds(value, growth, value_decimals, growth_decimals):
    """Bounds of ``base = value / (1 + growth)`` (value's unit).

    >>> [round(x, 3) for x in base_bounds(180.24, 0.604, 2, 1)]   # Chongqing Q1 total
    [112.331, 112.407]
    """
    return _box(ar.base, (value, growth), (value_decimals, growth_decimals), (False, True))


def change_bounds(value, growth, value_decimals, growth_decimals):
    """Bounds of ``change = value - base`` (value's unit).

    >>> [round(x, 2) for x in change_bounds(24, 0.283, 0, 1)]   # March imports
    [5.18, 5.41]
    """
    return _box(ar.change, (value, growth), (value_decimals, growth_decimals), (False, True))


def share_bounds(part, whole, part_decimals, whole_decimals):
    """Bounds of ``share = part / whole`` (fraction).

    >>> [round(x, 5) for x in share_bounds(112.32, 180.24, 2, 2)]
    [0.62312, 0.62321]
    """
    return _box(ar.share, (part, whole), (part_decimals, whole_decimals), (False, False), nonzero=(1,))


def _four(func, part, part_growth, whole, whole_growth, decimals, nonzero=(2,)):
    return _box(func, (part, part_growth, whole, whole_growth), decimals, (False, True, False, True), nonzero)


def base_share_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Bounds of ``base_share = base(part) / base(whole)`` (fraction)."""
    return _four(ar.base_share, part, part_growth, whole, whole_growth, (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals))


def share_change_pp_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Bounds of ``share_change_pp`` (points).

    >>> [round(x, 2) for x in share_change_pp_bounds(112.32, 0.757, 180.24, 0.604, 2, 1, 2, 1)]
    [5.39, 5.46]
    """
    return _four(ar.share_change_pp, part, part_growth, whole, whole_growth, (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals))


def pull_pp_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Bounds of ``pull_pp = 100 * change(part) / base(whole)`` (points)."""
    return _four(ar.pull_pp, part, part_growth, whole, whole_growth, (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals))


def contribution_bounds(part, part_growth, whole, whole_growth, part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals):
    """Bounds of ``contribution = change(part) / change(whole)`` (fraction)."""
    # the whole's change w*gw/(1+gw) is zero where w or gw is: both are poles
    return _four(ar.contribution, part, part_growth, whole, whole_growth, (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals), nonzero=(2, 3))


def difference_growth_bounds(a, a_growth, b, b_growth, a_decimals, a_growth_decimals, b_decimals, b_growth_decimals):
    """Bounds of the growth of ``a - b`` (fraction).

    Where the base of the difference can be zero or change sign inside the
    box, no bound exists and both ends are NaN.

    >>> [round(x, 4) for x in difference_growth_bounds(180.24, 0.604, 64.06, 0.452, 2, 1, 2, 1)]
    [0.701, 0.7035]
    """
    dec = (a_decimals, a_growth_decimals, b_decimals, b_growth_decimals)
    lo, hi = _box(ar.difference_growth, (a, a_growth, b, b_growth), dec, (False, True, False, True))
    blo, bhi = base_difference_bounds(a, a_growth, b, b_growth, *dec)
    pole = np.asarray(np.logical_and(np.asarray(blo) <= 0, np.asarray(bhi) >= 0))
    if np.any(pole):
        lo = np.where(pole, np.nan, lo)
        hi = np.where(pole, np.nan, hi)
        idx = first_index(a, a_growth, b, b_growth)
        lo, hi = wrap(lo, idx), wrap(hi, idx)
    return lo, hi


def base_difference_bounds(a, a_growth, b, b_growth, a_decimals, a_growth_decimals, b_decimals, b_growth_decimals):
    """Bounds of ``base(a) - base(b)`` (a's unit): the base of a difference."""
    alo, ahi = base_bounds(a, a_growth, a_decimals, a_growth_decimals)
    blo, bhi = base_bounds(b, b_growth, b_decimals, b_growth_decimals)
    return ar.residual(alo, [bhi]), ar.residual(ahi, [blo])


def sum_bounds(values, decimals, *, axis: int = 0):
    """Bounds of a sum of printed values: ``(sum(low), sum(high))``.

    >>> [round(x, 3) for x in sum_bounds([112.32, 67.92], [2, 2])]
    [180.23, 180.25]
    """
    lo, hi = interval(np.asarray(values, dtype=float), np.asarray(decimals, dtype=float))
    return wrap(np.sum(lo, axis=axis), None), wrap(np.sum(hi, axis=axis), None)


def residual_bounds(total, parts, total_decimals, parts_decimals, *, axis: int = 0):
    """Bounds of ``total - sum(parts)``: ``[t_low - sum(p_high), t_high - sum(p_low)]``.

    >>> [round(x, 2) for x in residual_bounds(180.24, [88.24, 75.07, 16.75], 2, [2, 2, 2])]
    [0.16, 0.2]
    """
    tlo, thi = interval(total, total_decimals)
    plo, phi = sum_bounds(parts, parts_decimals, axis=axis)
    return ar.residual(tlo, [phi]), ar.residual(thi, [plo])


def reference_rate_bounds(rate, pp_above, rate_decimals, pp_decimals):
    """Bounds of ``reference_rate = rate - pp_above / 100`` (fraction).

    >>> [round(x, 4) for x in reference_rate_bounds(0.604, 31.2, 1, 1)]
    [0.291, 0.293]
    """
    return _box(lambda r, d, errors="nan": ar.reference_rate(r, d), (rate, pp_above), (rate_decimals, pp_decimals), (True, False))


def implied_rate_bounds(value, converted_value, value_decimals, converted_decimals):
    """Bounds of ``implied_rate = value / converted_value``.

    >>> [round(x, 4) for x in implied_rate_bounds(180.24, 27.77, 2, 2)]
    [6.4891, 6.4918]
    """
    return _box(ar.implied_rate, (value, converted_value), (value_decimals, converted_decimals), (False, False), nonzero=(1,))


def average_growth_bounds(growth, years, growth_decimals):
    """Bounds of ``average_growth`` over a whole number of years (fraction)."""
    return _box(lambda g, errors="nan": ar.average_growth(g, years, errors=errors), (growth,), (growth_decimals,), (True,))


def prior_growth_bounds(multi_year_growth, latest_growth, multi_decimals, latest_decimals):
    """Bounds of ``prior_growth = (1+G)/(1+g) - 1`` (fraction)."""
    return _box(ar.prior_growth, (multi_year_growth, latest_growth), (multi_decimals, latest_decimals), (True, True))
