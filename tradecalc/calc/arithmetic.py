"""Trade-release arithmetic: pure, broadcasting functions.

Conventions (as Excel stores them):

* growth rates and shares are fractions: 60.4% is ``0.604``;
* percentage-point results are points: ``31.2`` means 31.2 pp;
* money is in whatever unit the inputs are in (the release's unit).

Every function accepts scalars, numpy arrays or pandas Series and broadcasts
like a numpy ufunc. NaN (a missing figure) propagates. Inputs outside a
formula's domain raise :class:`TradeDomainError` with a one-line reason, or
give NaN where ``errors="nan"`` is passed.

Worked examples come from Chongqing Customs' release for Q1 2021 (values in
billion yuan): total trade 180.24 (+60.4%), exports 112.32 (+75.7%),
imports 67.92 (+40.2%), total +37% on Q1 2019, March total 64.06 (+45.2%).
"""
from __future__ import annotations

import numpy as np

from tradecalc.calc._arrays import TradeDomainError, as_float_array, check_domain, first_index, wrap

__all__ = [
    "TradeDomainError",
    "base",
    "growth",
    "change",
    "share",
    "base_share",
    "share_change_pp",
    "pp",
    "reference_rate",
    "pull_pp",
    "contribution",
    "average_growth",
    "compound_growth",
    "prior_growth",
    "difference_growth",
    "aggregate_growth",
    "implied_rate",
    "residual",
]


def _parts_index(parts, axis: int):
    """The index of the first Series in a list of parts reduced along axis 0."""
    if axis == 0 and isinstance(parts, (list, tuple)):
        return first_index(*parts)
    return None


def _growth_factor(g: np.ndarray, errors: str, name: str = "growth") -> np.ndarray:
    """1 + g, with g ≤ -100% rejected: nothing shrinks by all it had, or more."""
    bad = g <= -1
    check_domain(bad, errors, f"{name} ≤ -100% has no base", g)
    return np.where(bad, np.nan, 1.0 + g)


def _ratio_growth(v: np.ndarray, b: np.ndarray, errors: str, what: str) -> np.ndarray:
    """v / b - 1 where the base is non-zero and of the same sign as the value."""
    zero = b == 0
    check_domain(zero, errors, f"{what}: a zero base has no growth", b)
    flips = (np.sign(v) * np.sign(b)) < 0
    check_domain(
        flips, errors, f"{what}: the base and the value have opposite signs (e.g. a deficit turned surplus), so there is no growth rate", b
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero | flips, np.nan, v / np.where(zero, np.nan, b) - 1.0)


def base(value, growth, *, errors: str = "raise"):
    """Prior-period level implied by a value and its growth.

    ``base = value / (1 + growth)``, in the value's unit; growth is a fraction.
    A growth of -100% or less has no base.

    >>> round(base(180.24, 0.604), 2)   # Chongqing Q1 2021 total, +60.4%
    112.37
    """
    v, g = as_float_array(value), as_float_array(growth)
    return wrap(v / _growth_factor(g, errors), first_index(value, growth))


def growth(value, base, *, errors: str = "raise"):
    """Growth of a value over a base, as a fraction.

    ``growth = value / base - 1``. A zero base, or a base whose sign differs
    from the value's (a deficit that became a surplus), has no growth rate.
    Two negatives are allowed: a deficit of 15 after 10 "widened 50%".

    >>> round(growth(180.24, 112.37), 3)   # Chongqing Q1 2021 total over Q1 2020
    0.604
    """
    v, b = as_float_array(value), as_float_array(base)
    return wrap(_ratio_growth(v, b, errors, "growth"), first_index(value, base))


def change(value, growth, *, errors: str = "raise"):
    """Absolute increase over the prior period, in the value's unit.

    ``change = value - value / (1 + growth)``.

    >>> round(change(112.32, 0.757), 2)   # Chongqing Q1 2021 exports
    48.39
    """
    v, g = as_float_array(value), as_float_array(growth)
    return wrap(v - v / _growth_factor(g, errors), first_index(value, growth))


def share(part, whole, *, errors: str = "raise"):
    """Share of a part in a whole, as a fraction: ``share = part / whole``.

    >>> round(share(112.32, 180.24), 3)   # exports in Chongqing's Q1 2021 trade
    0.623
    """
    p, w = as_float_array(part), as_float_array(whole)
    zero = w == 0
    check_domain(zero, errors, "share: the whole is zero", w)
    with np.errstate(divide="ignore", invalid="ignore"):
        return wrap(np.where(zero, np.nan, p / np.where(zero, np.nan, w)), first_index(part, whole))


def _base_pair(part, part_growth, whole, whole_growth, errors):
    p, gp = as_float_array(part), as_float_array(part_growth)
    w, gw = as_float_array(whole), as_float_array(whole_growth)
    bp = p / _growth_factor(gp, errors, "part growth")
    bw = w / _growth_factor(gw, errors, "whole growth")
    return p, w, bp, bw


def base_share(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """The part's share of the whole in the base period, as a fraction.

    ``base_share = base(part, part_growth) / base(whole, whole_growth)``.

    >>> round(base_share(112.32, 0.757, 180.24, 0.604), 3)   # exports, Q1 2020
    0.569
    """
    _, _, bp, bw = _base_pair(part, part_growth, whole, whole_growth, errors)
    zero = bw == 0
    check_domain(zero, errors, "base_share: the whole's base is zero", bw)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, np.nan, bp / np.where(zero, np.nan, bw))
    return wrap(out, first_index(part, part_growth, whole, whole_growth))


def share_change_pp(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Change of the part's share of the whole, in percentage points.

    ``share_change_pp = 100 * (part/whole - base(part)/base(whole))``.

    >>> round(share_change_pp(112.32, 0.757, 180.24, 0.604), 1)   # exports' share
    5.4
    """
    p, w, bp, bw = _base_pair(part, part_growth, whole, whole_growth, errors)
    zero = (w == 0) | (bw == 0)
    check_domain(zero, errors, "share_change_pp: the whole or its base is zero", w)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, np.nan, 100.0 * (p / w - bp / bw))
    return wrap(out, first_index(part, part_growth, whole, whole_growth))


def pp(rate, reference):
    """Percentage-point difference of two rates: ``pp = 100 * (rate - reference)``.

    Rates are fractions; the result is in points.

    >>> round(pp(0.604, 0.292), 1)   # Chongqing's growth against the country's
    31.2
    """
    r, ref = as_float_array(rate), as_float_array(reference)
    return wrap(100.0 * (r - ref), first_index(rate, reference))


def reference_rate(rate, pp_above):
    """The rate that "``rate`` is ``pp_above`` points higher than" implies.

    ``reference_rate = rate - pp_above / 100`` (rates as fractions, pp in points;
    "N points lower" is a negative ``pp_above``).

    >>> round(reference_rate(0.604, 31.2), 3)   # China's Q1 2021 trade growth
    0.292
    """
    r, d = as_float_array(rate), as_float_array(pp_above)
    return wrap(r - d / 100.0, first_index(rate, pp_above))


def pull_pp(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Pull (拉动) of a part on the whole's growth, in percentage points.

    ``pull_pp = 100 * change(part, part_growth) / base(whole, whole_growth)``.
    Over a complete breakdown the pulls add up to the whole's growth in points.

    >>> round(pull_pp(112.32, 0.757, 180.24, 0.604), 1)   # exports pulled total trade
    43.1
    """
    p, _, bp, bw = _base_pair(part, part_growth, whole, whole_growth, errors)
    zero = bw == 0
    check_domain(zero, errors, "pull_pp: the whole's base is zero", bw)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, np.nan, 100.0 * (p - bp) / np.where(zero, np.nan, bw))
    return wrap(out, first_index(part, part_growth, whole, whole_growth))


def contribution(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Contribution rate (贡献率) of a part to the whole's growth, a fraction.

    ``contribution = change(part) / change(whole)``. Over a complete breakdown
    the contribution rates add up to 1. A whole that did not change has none.

    >>> round(contribution(112.32, 0.757, 180.24, 0.604), 3)   # exports' contribution
    0.713
    """
    p, w, bp, bw = _base_pair(part, part_growth, whole, whole_growth, errors)
    dw = w - bw
    zero = dw == 0
    check_domain(zero, errors, "contribution: the whole did not change", dw)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, np.nan, (p - bp) / np.where(zero, np.nan, dw))
    return wrap(out, first_index(part, part_growth, whole, whole_growth))


def average_growth(growth, years, *, errors: str = "raise"):
    """Average annual growth over ``years`` years (e.g. "two-year average growth").

    ``average_growth = (1 + growth) ** (1 / years) - 1``; growth is the total
    growth over the whole span, a fraction.

    >>> round(average_growth(0.37, 2), 4)   # Chongqing Q1 2021 on Q1 2019, per year
    0.1705
    """
    G, n = as_float_array(growth), as_float_array(years)
    f = _growth_factor(G, errors, "multi-year growth")
    bad = n <= 0
    check_domain(bad, errors, "average_growth: years must be positive", n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(bad, np.nan, f ** (1.0 / np.where(bad, np.nan, n)) - 1.0)
    return wrap(out, first_index(growth, years))


def compound_growth(growths, *, axis: int = 0, errors: str = "raise"):
    """Growth over several consecutive periods: ``prod(1 + g_i) - 1``.

    ``growths`` holds the period growths along ``axis`` (fractions).

    >>> round(compound_growth([-0.1459, 0.604]), 3)   # 2020 then 2021: two-year growth
    0.37
    """
    f = _growth_factor(as_float_array(growths), errors)
    return wrap(np.prod(f, axis=axis) - 1.0, _parts_index(growths, axis))


def prior_growth(multi_year_growth, latest_growth, *, errors: str = "raise"):
    """Growth of the earlier period implied by a multi-year and the latest growth.

    ``prior_growth = (1 + multi_year_growth) / (1 + latest_growth) - 1``:
    +37% on 2019 and +60.4% on 2020 imply 2020 was 14.6% below 2019.

    >>> round(prior_growth(0.37, 0.604), 4)   # Chongqing Q1 2020 on Q1 2019
    -0.1459
    """
    G, g = as_float_array(multi_year_growth), as_float_array(latest_growth)
    out = _growth_factor(G, errors, "multi-year growth") / _growth_factor(g, errors, "latest growth") - 1.0
    return wrap(out, first_index(multi_year_growth, latest_growth))


def difference_growth(a, a_growth, b, b_growth, *, errors: str = "raise"):
    """Growth of the difference ``a - b``, as a fraction.

    ``difference_growth = (a - b) / (base(a) - base(b)) - 1``: a single month
    from a year-to-date total, a trade balance (exports - imports), an
    "other" residual. A zero or sign-changing base has no growth rate.

    >>> round(difference_growth(180.24, 0.604, 64.06, 0.452), 3)   # Jan-Feb 2021
    0.702
    """
    av, ag = as_float_array(a), as_float_array(a_growth)
    bv, bg = as_float_array(b), as_float_array(b_growth)
    d = av - bv
    db = av / _growth_factor(ag, errors, "a's growth") - bv / _growth_factor(bg, errors, "b's growth")
    return wrap(_ratio_growth(d, db, errors, "difference_growth"), first_index(a, a_growth, b, b_growth))


def aggregate_growth(values, growths, *, axis: int = 0, errors: str = "raise"):
    """Growth of a sum of figures: ``sum(v) / sum(base(v, g)) - 1``.

    ``values`` and ``growths`` hold the figures along ``axis``. A missing
    figure makes the sum missing (NaN), never a silently smaller total.

    >>> round(aggregate_growth([112.32, 67.92], [0.757, 0.402]), 3)   # exports + imports
    0.604
    """
    v, g = np.broadcast_arrays(as_float_array(values), as_float_array(growths))
    b = v / _growth_factor(g, errors)
    idx = _parts_index(values, axis)
    if idx is None:
        idx = _parts_index(growths, axis)
    return wrap(_ratio_growth(np.sum(v, axis=axis), np.sum(b, axis=axis), errors, "aggregate_growth"), idx)


def implied_rate(value, converted_value, *, errors: str = "raise"):
    """Exchange rate implied by a value and its converted value.

    ``implied_rate = value / converted_value``: units of the value's currency
    per unit of the converted currency.

    >>> round(implied_rate(180.24, 27.77), 2)   # yuan per U.S. dollar
    6.49
    """
    v, c = as_float_array(value), as_float_array(converted_value)
    bad = (c == 0) | ((np.sign(v) * np.sign(c)) < 0)
    check_domain(bad, errors, "implied_rate: the converted value is zero or of the other sign", c)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(bad, np.nan, v / np.where(bad, np.nan, c))
    return wrap(out, first_index(value, converted_value))


def residual(total, parts, *, axis: int = 0):
    """Total minus the listed parts: ``residual = total - sum(parts)``.

    ``parts`` holds the parts along ``axis``; a missing part makes the
    residual missing (NaN), never a residual that silently includes it.

    >>> round(residual(180.24, [88.24, 75.07, 16.75]), 2)   # other ownership types
    0.18
    """
    t = as_float_array(total)
    p = as_float_array(parts)
    idx = first_index(total)
    if idx is None:
        idx = _parts_index(parts, axis)
    return wrap(t - np.sum(p, axis=axis), idx)
