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
from tradecalc.calc._arrays import as_float_array, common_shape, first_index, wrap
from tradecalc.calc.precision import fewest_decimals, half_widths

__all__ = [
    "interval",
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


def interval(value, decimals, *, percent: bool = False):
    """The interval a printed number stands for: value ± half its last digit.

    >>> interval(24, 0)
    (23.5, 24.5)
    >>> [round(x, 4) for x in interval(0.604, 1, percent=True)]
    [0.6035, 0.6045]
    """
    v = as_float_array(value)
    h = half_widths(decimals, percent=percent)
    idx = first_index(value, decimals)
    return wrap(v - h, idx), wrap(v + h, idx)


def _ends(centres, halves):
    """The low and high end of each interval centre ± half, as every corner used to compute it."""
    lows = []
    for c, h in zip(centres, halves):
        low = -1.0 * h
        in_place = np.ndim(low) and low.shape == np.broadcast_shapes(np.shape(c), low.shape)
        lows.append(np.add(c, low, out=low) if in_place else c + low)
    return lows, [c + h for c, h in zip(centres, halves)]


def _corners(func, centres, halves, index, pole=None):
    """min/max of func over the corners of the box centre ± half, in the caller's type.

    ``pole`` (optional) marks elements whose box holds a zero denominator:
    corner values there are finite but the function is unbounded inside.
    """
    lo, hi = _extremes(func, centres, halves, pole)
    return wrap(lo, index), wrap(hi, index)


def _extremes(func, centres, halves, pole=None):
    """:func:`_corners` as two arrays. A corner that is NaN (outside the domain
    while the centre is inside) means the box reaches a pole too: no finite bound.
    """
    lows, highs = _ends(centres, halves)
    ends = (lows, highs)
    lo = hi = first = None
    bad = pole
    for pick in itertools.product((0, 1), repeat=len(centres)):
        with np.errstate(all="ignore"):
            r = np.asarray(
                func(*[ends[j][i] for i, j in enumerate(pick)], errors="nan"), dtype=float
            )
        bad = _or_nan(bad, r)
        if first is None:
            first = r
        elif lo is None:
            lo, hi = np.fmin(first, r), np.fmax(first, r)
        elif np.ndim(lo):
            np.fmin(lo, r, out=lo)
            np.fmax(hi, r, out=hi)
        else:
            lo, hi = np.fmin(lo, r), np.fmax(hi, r)
    return _blank(lo, bad), _blank(hi, bad)


def _or_nan(bad, r):
    """``bad | isnan(r)``, without a pass over ``r`` when it holds no NaN (one reduction)."""
    if not r.size or not np.isnan(np.minimum.reduce(r, axis=None)):
        return bad
    return np.isnan(r) if bad is None else bad | np.isnan(r)


def _blank(x, bad):
    """NaN where ``bad`` holds (in place when ``x`` is an array of its own shape)."""
    if bad is None:
        return np.asarray(x)
    if np.ndim(x) and np.shape(bad) == np.shape(x):
        np.copyto(x, np.nan, where=bad)
        return x
    return np.where(bad, np.nan, x)


#: Elements per block of :func:`_box`: 2^16 float64 = 512 KiB per temporary.
_BLOCK = 1 << 16


def _box(func, values, decimals, percent_flags, nonzero=(), elementwise=True):
    """Corner bounds; ``nonzero`` lists the arguments that sit in a denominator.

    Where the interval of such an argument holds zero (a whole printed as
    "0" or "0.0%" growth of the whole), the function is unbounded in the box
    even though every corner is finite, so the bounds are NaN.

    ``elementwise``: ``func`` depends on its arguments element by element and
    on nothing else, so arrays of one shape are computed in blocks of
    :data:`_BLOCK` elements. A call on 10^6 figures makes some twenty
    temporaries (halves, ends, a result per corner); made whole, each is
    fresh memory the system must map, which costs more than the arithmetic
    (bench/README.md, section 9); made per block, they stay small and in
    the cache. Every step is element-wise, so the blocks give the same bits.
    """
    index = first_index(*values, *decimals)
    centres = [as_float_array(v) for v in values]
    decs = [as_float_array(d) for d in decimals]
    shape = common_shape(centres + decs) if elementwise else None
    if shape is None:
        lo, hi = _box_extremes(func, centres, decs, percent_flags, nonzero)
        return wrap(lo, index), wrap(hi, index)
    lo, hi = np.empty(shape), np.empty(shape)
    flat_lo, flat_hi = lo.reshape(-1), hi.reshape(-1)
    flats = [a.reshape(-1) if a.ndim else a for a in centres + decs]
    k = len(centres)
    for start in range(0, flat_lo.size, _BLOCK):
        stop = start + _BLOCK
        block = [a[start:stop] if a.ndim else a for a in flats]
        flat_lo[start:stop], flat_hi[start:stop] = _box_extremes(
            func, block[:k], block[k:], percent_flags, nonzero
        )
    return wrap(lo, index), wrap(hi, index)


def _box_extremes(func, centres, decimals, percent_flags, nonzero):
    halves = [half_widths(d, percent=p) for d, p in zip(decimals, percent_flags)]
    pole = None
    for i in nonzero:
        spans = np.abs(centres[i]) <= halves[i]
        pole = spans if pole is None else pole | spans
    return _extremes(func, centres, halves, pole)


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
    return _box(
        ar.share, (part, whole), (part_decimals, whole_decimals), (False, False), nonzero=(1,)
    )


def _four(func, part, part_growth, whole, whole_growth, decimals, nonzero=(2,)):
    return _box(
        func,
        (part, part_growth, whole, whole_growth),
        decimals,
        (False, True, False, True),
        nonzero,
    )


def base_share_bounds(
    part,
    part_growth,
    whole,
    whole_growth,
    part_decimals,
    part_growth_decimals,
    whole_decimals,
    whole_growth_decimals,
):
    """Bounds of ``base_share = base(part) / base(whole)`` (fraction)."""
    return _four(
        ar.base_share,
        part,
        part_growth,
        whole,
        whole_growth,
        (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


def share_change_pp_bounds(
    part,
    part_growth,
    whole,
    whole_growth,
    part_decimals,
    part_growth_decimals,
    whole_decimals,
    whole_growth_decimals,
):
    """Bounds of ``share_change_pp`` (points).

    >>> [round(x, 2) for x in share_change_pp_bounds(112.32, 0.757, 180.24, 0.604, 2, 1, 2, 1)]
    [5.39, 5.46]
    """
    return _four(
        ar.share_change_pp,
        part,
        part_growth,
        whole,
        whole_growth,
        (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


def pull_pp_bounds(
    part,
    part_growth,
    whole,
    whole_growth,
    part_decimals,
    part_growth_decimals,
    whole_decimals,
    whole_growth_decimals,
):
    """Bounds of ``pull_pp = 100 * change(part) / base(whole)`` (points)."""
    return _four(
        ar.pull_pp,
        part,
        part_growth,
        whole,
        whole_growth,
        (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
    )


def contribution_bounds(
    part,
    part_growth,
    whole,
    whole_growth,
    part_decimals,
    part_growth_decimals,
    whole_decimals,
    whole_growth_decimals,
):
    """Bounds of ``contribution = change(part) / change(whole)`` (fraction)."""
    # the whole's change w*gw/(1+gw) is zero where w or gw is: both are poles
    return _four(
        ar.contribution,
        part,
        part_growth,
        whole,
        whole_growth,
        (part_decimals, part_growth_decimals, whole_decimals, whole_growth_decimals),
        nonzero=(2, 3),
    )


def difference_growth_bounds(
    a, a_growth, b, b_growth, a_decimals, a_growth_decimals, b_decimals, b_growth_decimals
):
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


def base_difference_bounds(
    a, a_growth, b, b_growth, a_decimals, a_growth_decimals, b_decimals, b_growth_decimals
):
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
    return _box(
        lambda r, d, errors="nan": ar.reference_rate(r, d),
        (rate, pp_above),
        (rate_decimals, pp_decimals),
        (True, False),
    )


def implied_rate_bounds(value, converted_value, value_decimals, converted_decimals):
    """Bounds of ``implied_rate = value / converted_value``.

    >>> [round(x, 4) for x in implied_rate_bounds(180.24, 27.77, 2, 2)]
    [6.4891, 6.4918]
    """
    return _box(
        ar.implied_rate,
        (value, converted_value),
        (value_decimals, converted_decimals),
        (False, False),
        nonzero=(1,),
    )


def average_growth_bounds(growth, years, growth_decimals):
    """Bounds of ``average_growth`` over a whole number of years (fraction)."""
    return _box(
        lambda g, errors="nan": ar.average_growth(g, years, errors=errors),
        (growth,),
        (growth_decimals,),
        (True,),
        elementwise=False,  # years is not cut in blocks with the growth
    )


def prior_growth_bounds(multi_year_growth, latest_growth, multi_decimals, latest_decimals):
    """Bounds of ``prior_growth = (1+G)/(1+g) - 1`` (fraction)."""
    return _box(
        ar.prior_growth,
        (multi_year_growth, latest_growth),
        (multi_decimals, latest_decimals),
        (True, True),
    )


# --------------------------------------------------------------------------- intervals, qualifiers

#: Words a release puts before a number ("more than 395.8", "about 700"), and the
#: reading each gets; see :func:`qualified_interval`.
QUALIFIERS = (
    "",
    "about",
    "nearly",
    "more than",
    "over",
    "exceeding",
    "at least",
    "less than",
    "under",
    "up to",
)
#: Qualifiers whose interval is open at its low end ("more than 800" excludes 800) ...
OPEN_LOW = frozenset({"more than", "over", "exceeding"})
#: ... and at its high end ("less than 5%" excludes 5%).
OPEN_HIGH = frozenset({"less than", "under"})
#: "about" and "nearly" are never narrower than this fraction of the number.
APPROXIMATE_FLOOR = 0.01


def last_digit_unit(value, decimals, *, percent: bool = False):
    """One unit of the last non-zero printed digit: 700 → 100, 395.8 → 0.1, "20%" → 0.1 (10 points).

    NaN where the printed number is zero (it has no non-zero digit). Unknown
    decimals count as the shortest printed form of the number.

    >>> last_digit_unit(700, 0), last_digit_unit(395.8, 1), round(last_digit_unit(0.2, 0, percent=True), 6)
    (100.0, 0.1, 0.1)
    """
    scale = 100.0 if percent else 1.0
    x = np.abs(as_float_array(value)) * scale
    d = as_float_array(decimals)
    d = np.where(
        np.isnan(d), fewest_decimals(np.nan_to_num(x), rel_tol=1e-9, limit=12, otherwise=12), d
    )
    d = np.broadcast_to(d, np.broadcast_shapes(x.shape, d.shape))
    n = np.round(np.nan_to_num(x) * 10.0**d)
    k = np.zeros(n.shape)
    for _ in range(30):  # trailing zeros of the printed digits
        more = (n != 0) & (np.fmod(n, 10.0 ** (k + 1)) == 0)
        if not np.any(more):
            break
        k = np.where(more, k + 1, k)
    unit = np.where((n == 0) | np.isnan(x), np.nan, 10.0 ** (k - d) / scale)
    return wrap(unit, first_index(value, decimals))


def qualified_interval(value, decimals, qualifier="", *, percent: bool = False):
    """The interval a printed number stands for, with the word printed before it.

    ``h`` is half a unit of the last printed digit (the rounding), ``u`` one unit
    of the last non-zero digit ("700": 100; "395.8": 0.1), ``x`` the number:

    ================================  =====================================
    ""                                [x − h, x + h]  (rounding)
    "about"                           [x − w, x + w], w = max(u/2, 1% of |x|)
    "nearly"                          [x − max(u, 1% of |x|), x + h]
    "more than", "over", "exceeding"  (x, x + u]
    "at least"                        [x, x + u]
    "less than", "under"              [x − u, x)
    "up to"                           [x − u, x]
    ================================  =====================================

    Why: a release that prints "more than 800" chose the digit it printed; had
    the value been 900 or more it would say "more than 900", so the value lies
    below the next step of that digit (the number is truncated, not rounded).
    "about" is an approximation rather than a rounding: at least half a step
    of its last non-zero digit ("about 700": 650 to 750) and never less than
    1% (a converted value "about 27.77 billion dollars" depends on a rate).
    "nearly" is just below the number, or the number after rounding. A number
    printed as zero has no step: "more than 0" is (0, ∞).

    >>> qualified_interval(395.8, 1, "more than")
    (395.8, 395.90000000000003)
    >>> qualified_interval(700, 0, "about")
    (650.0, 750.0)
    """
    v = as_float_array(value)
    h = half_widths(decimals, percent=percent)
    u = as_float_array(last_digit_unit(value, decimals, percent=percent))
    q = np.asarray(qualifier, dtype=object)
    q = np.broadcast_to(q, np.broadcast_shapes(v.shape, np.shape(h), q.shape))
    v, h, u = np.broadcast_arrays(v, h, u)
    lo, hi = v - h, v + h
    bad = ~np.isin(q, QUALIFIERS)
    if np.any(bad):
        raise ValueError(
            f"unknown qualifier {q[bad].flat[0]!r}; use one of {', '.join(repr(x) for x in QUALIFIERS)}"
        )
    up = np.where(np.isnan(u), np.inf, u)  # "more than 0": no step above
    approx = np.fmax(np.nan_to_num(u) / 2.0, APPROXIMATE_FLOOR * np.abs(v))
    near = np.fmax(np.nan_to_num(u), APPROXIMATE_FLOOR * np.abs(v))
    is_ = lambda *words: np.isin(q, words)  # noqa: E731
    lo = np.where(is_("about"), v - approx, lo)
    hi = np.where(is_("about"), v + approx, hi)
    lo = np.where(is_("nearly"), v - near, lo)
    lo = np.where(is_(*OPEN_LOW, "at least"), v, lo)
    hi = np.where(is_(*OPEN_LOW, "at least"), v + up, hi)
    lo = np.where(is_(*OPEN_HIGH, "up to"), v - up, lo)
    hi = np.where(is_(*OPEN_HIGH, "up to"), v, hi)
    idx = first_index(value, decimals)
    return wrap(lo, idx), wrap(hi, idx)


def box_bounds(func, lows, highs, nonzero=()):
    """min/max of ``func(*args, errors="nan")`` over the box ``lows[i] ≤ args[i] ≤ highs[i]``.

    The interval form of every ``*_bounds`` function of this module, for
    numbers known as an interval rather than a printed precision ("more than
    395.8", "about 700", a whole known only as the sum of its parts). ``func``
    must be monotone in each argument over the box (the formulas here are);
    ``nonzero`` lists the arguments in a denominator: where such an interval
    holds zero, there is no finite bound (NaN).

    >>> [round(x, 2) for x in box_bounds(ar.base, (395.8, 0.2), (395.9, 0.3))]
    [304.46, 329.92]
    """
    index = first_index(*lows, *highs)
    lo_ = [as_float_array(x) for x in lows]
    hi_ = [as_float_array(x) for x in highs]
    centres = [(a + b) / 2.0 for a, b in zip(lo_, hi_)]
    halves = [(b - a) / 2.0 for a, b in zip(lo_, hi_)]
    pole = None
    for i in nonzero:
        spans = (lo_[i] <= 0) & (hi_[i] >= 0)
        pole = spans if pole is None else pole | spans
    return _corners(func, centres, halves, index, pole)


def growth_bounds(value, base, value_decimals, base_decimals):
    """Bounds of ``growth = value / base - 1`` (fraction) for a printed value and base.

    Where the base's interval holds zero, or value and base may have opposite
    signs, there is no bound (NaN).

    >>> [round(x, 4) for x in growth_bounds(180.24, 112.37, 2, 2)]   # Chongqing Q1 total
    [0.6039, 0.6041]
    """
    return _box(
        ar.growth, (value, base), (value_decimals, base_decimals), (False, False), nonzero=(1,)
    )


def growth_interval_bounds(value_low, value_high, base_low, base_high):
    """:func:`growth_bounds` for a value and a base each known as an interval."""
    return box_bounds(ar.growth, (value_low, base_low), (value_high, base_high), nonzero=(1,))


def base_interval_bounds(value_low, value_high, growth_low, growth_high):
    """:func:`base_bounds` for a value and a growth each known as an interval.

    >>> [round(x, 2) for x in base_interval_bounds(800, 900, 0.3275, 0.3285)]   # "exceeding 800", +32.8%
    [602.18, 677.97]
    """
    return box_bounds(ar.base, (value_low, growth_low), (value_high, growth_high))


def _max_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """max over choices c_i of sum_i a[c_i, ..., i] / sum_i b[c_i, ..., i], where every choice has sum b > 0.

    ``a`` and ``b`` have shape (corners, ..., parts). Dinkelbach's iteration: at the
    ratio R, pick for each part the corner maximising a - R b; the ratio of that
    choice is larger unless R is already the maximum. Exact in finitely many steps
    (each step strictly raises R among finitely many choices; a few in practice).
    """
    R = np.sum(a[0], axis=-1) / np.sum(b[0], axis=-1)
    grew = np.ones(np.shape(R), dtype=bool)
    for _ in range(200):
        pick = np.argmax(a - R[None, ..., None] * b, axis=0)[None]
        sa = np.take_along_axis(a, pick, axis=0)[0].sum(axis=-1)
        sb = np.take_along_axis(b, pick, axis=0)[0].sum(axis=-1)
        R_new = sa / sb
        grew = R_new > R * (1 + np.sign(R) * 1e-15) + 1e-300
        R = np.where(grew, R_new, R)
        if not np.any(grew):
            break
    # never reached in practice (a few steps suffice); if it were, no bound rather than a narrow one
    return np.where(grew, np.nan, R)


def aggregate_growth_interval_bounds(
    value_low, value_high, growth_low, growth_high, *, signs=None, axis: int = 0
):
    """Tight bounds of the growth of ``sum(s_i v_i)`` over ``sum(s_i v_i / (1 + g_i))`` (fraction).

    Each part's value and growth lie in their intervals (along ``axis``); the
    part's base ``v_i / (1 + g_i)`` moves *with* its value, so the extremes
    are found over the joint box, not by dividing the lowest sum of values
    by the highest sum of bases (which pairs a part's low value with the base
    of its high value, 2 to 12 times too wide). ``signs`` (+1 or -1,
    one per part, default all +1) gives residuals (total minus parts) and balances
    (exports minus imports). Where the base of the sum may be zero inside the
    box there is no bound (NaN); a base negative throughout (a deficit in
    both years) is fine.

    Chongqing, March 2021: exports 40.06 (+57.5%) and imports 24 (+28.3%):

    >>> [round(x, 4) for x in aggregate_growth_interval_bounds([40.055, 23.5], [40.065, 24.5], [0.5745, 0.2825], [0.5755, 0.2835])]
    [0.4493, 0.4533]
    """
    vl, vh, gl, gh = (
        np.moveaxis(np.asarray(as_float_array(x), dtype=float), axis, -1)
        if np.ndim(x)
        else as_float_array(x)
        for x in (value_low, value_high, growth_low, growth_high)
    )
    vl, vh, gl, gh = np.broadcast_arrays(vl, vh, gl, gh)
    # one sign per part; the parts are on the last axis now
    s = np.broadcast_to(
        np.ones(vl.shape[-1:]) if signs is None else np.asarray(signs, dtype=float), vl.shape
    )
    with np.errstate(all="ignore"):
        vs = np.stack([vl, vl, vh, vh])
        gs = np.stack([gl, gh, gl, gh])
        a = s * vs
        b = s * vs / (1.0 + gs)
        bad_g = np.any(
            (gl <= -1) | np.isnan(gl) | np.isnan(gh) | np.isnan(vl) | np.isnan(vh), axis=-1
        )
        d_lo = np.sum(np.min(b, axis=0), axis=-1)
        d_hi = np.sum(np.max(b, axis=0), axis=-1)
        flip = np.where(d_hi < 0, -1.0, 1.0)[None, ..., None]
        pole = ~((d_lo > 0) | (d_hi < 0)) | bad_g | ~np.isfinite(d_lo) | ~np.isfinite(d_hi)
        a, b = (
            np.nan_to_num(a * flip),
            np.where(pole[None, ..., None], 1.0, np.nan_to_num(b * flip, nan=1.0)),
        )
        hi = _max_ratio(a, b) - 1.0
        lo = -_max_ratio(-a, b) - 1.0
    lo, hi = np.where(pole, np.nan, lo), np.where(pole, np.nan, hi)
    return wrap(lo, None), wrap(hi, None)


def aggregate_growth_bounds(
    values, growths, value_decimals, growth_decimals, *, signs=None, axis: int = 0
):
    """Tight bounds of :func:`tradecalc.calc.arithmetic.aggregate_growth` for printed parts (fraction).

    See :func:`aggregate_growth_interval_bounds`. Chongqing, March 2021: exports
    40.06 (+57.5%) and imports 24 (+28.3%) grew 44.93% to 45.33% together, not
    42.66% to 47.63% as the low sum of values over the high sum of bases says:

    >>> [round(x, 4) for x in aggregate_growth_bounds([40.06, 24], [0.575, 0.283], [2, 0], [1, 1])]
    [0.4493, 0.4533]
    """
    vl, vh = interval(values, value_decimals)
    gl, gh = interval(growths, growth_decimals, percent=True)
    return aggregate_growth_interval_bounds(vl, vh, gl, gh, signs=signs, axis=axis)
