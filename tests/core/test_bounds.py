"""Rounding-aware bounds: they contain the point value, and every value the print allows.

The containment property is tested by sampling: draw printed figures with
their decimals, draw true values anywhere inside the rounding box, and check
that the function evaluated at the true values lies in ``[low, high]``. Where
the box holds a pole (a whole that may be zero) the bounds must be NaN: no
finite interval is a bound there.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
from helpers import strategies as s
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tradecalc as tc
from tradecalc.calc import bounds as bd

settings.register_profile("tradecalc-bounds", max_examples=200, deadline=None)
settings.load_profile("tradecalc-bounds")

REL = 1e-9  # float slack on the edges


def half(decimals, percent=False):
    h = 0.5 * 10.0 ** (-decimals)
    return h / 100 if percent else h


def inside(x, lo, hi):
    slack = REL * max(1.0, abs(lo), abs(hi))
    return lo - slack <= x <= hi + slack


def true_value(printed, pos, percent=False):
    value, decimals = printed
    return value + pos * half(decimals, percent)


# ---------------------------------------------------------------- the release's own intervals


def test_interval_of_printed_numbers():
    # issue 2: "180.24" means [180.235, 180.245]; "60.4%" [60.35%, 60.45%]; "up 100%" [99.5%, 100.5%]; "24" [23.5, 24.5]
    assert bd.interval(180.24, 2) == pytest.approx((180.235, 180.245))
    assert bd.interval(0.604, 1, percent=True) == pytest.approx((0.6035, 0.6045))
    assert bd.interval(1.00, 0, percent=True) == pytest.approx((0.995, 1.005))
    assert bd.interval(24, 0) == (23.5, 24.5)
    assert bd.interval(24, np.nan) == (24.0, 24.0)  # unknown precision: exact


def test_interval_keeps_series_index():
    lo, hi = bd.interval(pd.Series([24.0, 40.06], index=["imports", "exports"]), [0, 2])
    assert list(lo.index) == ["imports", "exports"]
    assert hi["exports"] == pytest.approx(40.065)


def test_base_bounds_private_enterprises_up_100_percent():
    lo, hi = bd.base_bounds(75.07, 1.00, 2, 0)
    assert lo == pytest.approx(float(F("75.065") / F("2.005")))
    assert hi == pytest.approx(float(F("75.075") / F("1.995")))


def test_residual_bounds_ownership():
    lo, hi = bd.residual_bounds(180.24, [88.24, 75.07, 16.75], 2, [2, 2, 2])
    assert lo == pytest.approx(float(F("180.235") - F("88.245") - F("75.075") - F("16.755")))
    assert hi == pytest.approx(float(F("180.245") - F("88.235") - F("75.065") - F("16.745")))


def test_sum_bounds_march_64_06_from_40_06_plus_24():
    lo, hi = bd.sum_bounds([40.06, 24], [2, 0])
    assert (lo, hi) == pytest.approx((40.055 + 23.5, 40.065 + 24.5))
    assert lo <= 64.06 <= hi


def test_reference_rate_bounds_national_growth():
    lo, hi = bd.reference_rate_bounds(0.604, 31.2, 1, 1)
    assert (lo, hi) == pytest.approx((0.6035 - 0.3125, 0.6045 - 0.3115))


def test_implied_rate_bounds_yuan_per_dollar():
    lo, hi = bd.implied_rate_bounds(180.24, 27.77, 2, 2)
    assert (lo, hi) == pytest.approx((180.235 / 27.775, 180.245 / 27.765))


def test_difference_growth_bounds_jan_feb():
    lo, hi = bd.difference_growth_bounds(180.24, 0.604, 64.06, 0.452, 2, 1, 2, 1)
    # extremes written out: the largest a and smallest b with the growths that shrink/grow the base
    lowest = (180.235 - 64.065) / (180.235 / 1.6035 - 64.065 / 1.4525) - 1
    highest = (180.245 - 64.055) / (180.245 / 1.6045 - 64.055 / 1.4515) - 1
    assert lo == pytest.approx(min(lowest, highest), rel=1e-3)
    assert lo <= 0.702 <= hi


def test_unknown_decimals_give_the_point_value():
    lo, hi = bd.base_bounds(180.24, 0.604, None, np.nan)
    assert lo == hi == pytest.approx(180.24 / 1.604)


@pytest.mark.parametrize(
    "call",
    [
        lambda: bd.share_bounds(1.0, 0.0, 0, 0),  # a whole printed as "0"
        lambda: bd.share_bounds(1.0, 0.3, 0, 0),  # "0" whole again: [-0.2, 0.8] holds zero
        lambda: bd.pull_pp_bounds(1.0, 0.5, 0.2, 0.1, 0, 1, 0, 1),
        lambda: bd.base_share_bounds(1.0, 0.5, 0.2, 0.1, 0, 1, 0, 1),
        lambda: bd.share_change_pp_bounds(1.0, 0.5, 0.2, 0.1, 0, 1, 0, 1),
        lambda: bd.contribution_bounds(10.0, 0.5, 100.0, 0.0, 0, 1, 0, 1),  # whole grew "0.0%"
        lambda: bd.difference_growth_bounds(10.0, 1.0, 7.5, 0.5, 1, 1, 1, 1),  # base of a-b is 0
        lambda: bd.base_bounds(10.0, -1.0, 0, 0),  # "-100%": no base at all
    ],
)
def test_poles_give_no_bound(call):
    lo, hi = call()
    assert math.isnan(lo) and math.isnan(hi)


def test_bounds_broadcast_arrays():
    lo, hi = bd.base_bounds(
        np.array([180.24, 75.07]), np.array([0.604, 1.0]), np.array([2, 2]), np.array([1, 0])
    )
    assert lo.shape == (2,) and np.all(lo < hi)


# ---------------------------------------------------------------- containment, sampled


def check_contains(func, bounds_func, printed, percent_flags, positions):
    point = func(*[p[0] for p in printed], errors="nan")
    lo, hi = bounds_func(*[p[0] for p in printed], *[p[1] for p in printed])
    if math.isnan(lo) or math.isnan(hi):
        return  # no bound claimed (a pole or the domain edge inside the box)
    assert lo <= hi
    if not math.isnan(point):
        assert inside(point, lo, hi)
    for pos in positions:
        truth = [true_value(p, x, pc) for p, x, pc in zip(printed, pos, percent_flags)]
        with np.errstate(all="ignore"):
            r = func(*truth, errors="nan")
        if not math.isnan(r):
            assert inside(r, lo, hi), (truth, r, lo, hi)


def positions(k):
    return st.lists(st.tuples(*[s.box_positions] * k), min_size=1, max_size=8)


@given(s.printed_levels(), s.printed_rates(), positions(2))
def test_base_and_change_bounds_contain_every_true_value(v, g, pos):
    check_contains(tc.base, bd.base_bounds, [v, g], [False, True], pos)
    check_contains(tc.change, bd.change_bounds, [v, g], [False, True], pos)


@given(s.printed_levels(), s.printed_signed_levels(), positions(2))
def test_share_bounds_contain_every_true_value(p, w, pos):
    check_contains(tc.share, bd.share_bounds, [p, w], [False, False], pos)


FOUR = [
    (tc.base_share, bd.base_share_bounds),
    (tc.share_change_pp, bd.share_change_pp_bounds),
    (tc.pull_pp, bd.pull_pp_bounds),
    (tc.contribution, bd.contribution_bounds),
]


@pytest.mark.parametrize("func,bounds_func", FOUR, ids=[f.__name__ for f, _ in FOUR])
@given(
    p=s.printed_levels(),
    gp=s.printed_rates(),
    w=s.printed_signed_levels(),
    gw=s.printed_rates(min_percent=-5, max_percent=5),
    pos=positions(4),
)
def test_part_whole_bounds_contain_every_true_value(func, bounds_func, p, gp, w, gw, pos):
    check_contains(func, bounds_func, [p, gp, w, gw], [False, True, False, True], pos)


@given(s.printed_levels(), s.printed_rates(), s.printed_levels(), s.printed_rates(), positions(4))
def test_difference_growth_bounds_contain_every_true_value(a, ga, b, gb, pos):
    check_contains(
        tc.difference_growth,
        bd.difference_growth_bounds,
        [a, ga, b, gb],
        [False, True, False, True],
        pos,
    )


@given(s.printed_levels(), s.printed_levels(), positions(2))
def test_implied_rate_bounds_contain_every_true_value(v, c, pos):
    check_contains(tc.implied_rate, bd.implied_rate_bounds, [v, c], [False, False], pos)


@given(s.printed_rates(), s.printed_rates(), positions(2))
def test_prior_growth_bounds_contain_every_true_value(G, g, pos):
    check_contains(tc.prior_growth, bd.prior_growth_bounds, [G, g], [True, True], pos)


@given(s.printed_rates(), s.year_counts, positions(1))
def test_average_growth_bounds_contain_every_true_value(G, n, pos):
    check_contains(
        lambda g, errors="nan": tc.average_growth(g, n, errors=errors),
        lambda g, d: bd.average_growth_bounds(g, n, d),
        [G],
        [True],
        pos,
    )


@given(s.printed_rates(), st.tuples(st.integers(-3000, 3000), st.integers(0, 2)), positions(2))
def test_reference_rate_bounds_contain_every_true_value(r, pp_printed, pos):
    units, d = pp_printed
    points = (units / 10**d, d)
    check_contains(
        lambda a, b, errors="nan": tc.reference_rate(a, b),
        bd.reference_rate_bounds,
        [r, points],
        [True, False],
        pos,
    )


@given(
    s.printed_levels(), st.lists(s.printed_levels(max_value=100), min_size=1, max_size=5), st.data()
)
def test_residual_bounds_contain_every_true_value(t, parts, data):
    lo, hi = bd.residual_bounds(t[0], [p[0] for p in parts], t[1], [p[1] for p in parts])
    assert inside(tc.residual(t[0], [p[0] for p in parts]), lo, hi)
    for _ in range(5):
        tt = true_value(t, data.draw(s.box_positions))
        pp = [true_value(p, data.draw(s.box_positions)) for p in parts]
        assert inside(tt - math.fsum(pp), lo, hi)


@given(st.lists(s.printed_levels(), min_size=1, max_size=5), st.data())
def test_sum_bounds_contain_every_true_sum(parts, data):
    lo, hi = bd.sum_bounds([p[0] for p in parts], [p[1] for p in parts])
    for _ in range(5):
        assert inside(math.fsum(true_value(p, data.draw(s.box_positions)) for p in parts), lo, hi)


@given(s.printed_levels(), s.printed_rates())
def test_base_bounds_are_tight_at_the_corners(v, g):
    """The bound is attained: the corners (true values at the box edges) give low and high."""
    lo, hi = bd.base_bounds(v[0], g[0], v[1], g[1])
    assume(not math.isnan(lo))
    hv, hg = half(v[1]), half(g[1], True)
    assert lo == pytest.approx((v[0] - hv) / (1 + g[0] + hg), rel=1e-12)
    assert hi == pytest.approx((v[0] + hv) / (1 + g[0] - hg), rel=1e-12)


# ---------------------------------------------------------------- tight growth of a sum, intervals, qualifiers


def test_chongqing_march_growth_of_parts_is_tight():
    # issue 11: [44.93%, 45.33%], not the [42.66%, 47.63%] of the low sum of values over the high sum of bases
    lo, hi = bd.aggregate_growth_bounds([40.06, 24], [0.575, 0.283], [2, 0], [1, 1])
    assert (round(lo * 100, 2), round(hi * 100, 2)) == (44.93, 45.33)
    loose_lo = (F("40.055") + F("23.5")) / (F("40.065") / F("1.5745") + F("24.5") / F("1.2825")) - 1
    assert float(loose_lo) < 0.4267 < lo


def _corner_extremes(parts, signs):
    """Brute force: the growth of the signed sum at every corner of every part's (value, growth) box."""
    import itertools

    vals = []
    for choice in itertools.product((0, 1), repeat=2 * len(parts)):
        num = den = F(0)
        for i, ((vl, vh), (gl, gh)) in enumerate(parts):
            v = F(vh if choice[2 * i] else vl)
            g = F(gh if choice[2 * i + 1] else gl)
            num += signs[i] * v
            den += signs[i] * v / (1 + g)
        vals.append(num / den - 1)
    return min(vals), max(vals)


@st.composite
def signed_breakdowns(draw, max_parts=4):
    n = draw(st.integers(1, max_parts))
    parts = [
        (draw(s.printed_signed_levels()), draw(s.printed_rates(min_percent=-50, max_percent=300)))
        for _ in range(n)
    ]
    signs = draw(st.lists(st.sampled_from((1.0, -1.0)), min_size=n, max_size=n))
    return parts, signs


@given(signed_breakdowns(), st.data())
def test_aggregate_growth_bounds_contain_every_true_value_and_are_attained(parts_signs, data):
    parts, signs = parts_signs
    v = [p[0][0] for p in parts]
    g = [p[1][0] for p in parts]
    lo, hi = bd.aggregate_growth_bounds(
        v, g, [p[0][1] for p in parts], [p[1][1] for p in parts], signs=signs
    )
    boxes = [
        ((x - half(d), x + half(d)), (y - half(e, True), y + half(e, True)))
        for (x, d), (y, e) in parts
    ]
    den_lo = sum(
        min(sg * a / (1 + b) for a in vv for b in gg) for sg, (vv, gg) in zip(signs, boxes)
    )
    den_hi = sum(
        max(sg * a / (1 + b) for a in vv for b in gg) for sg, (vv, gg) in zip(signs, boxes)
    )
    if den_lo <= 0 <= den_hi:  # the base of the sum may be zero: no bound
        assert math.isnan(lo) and math.isnan(hi)
        return
    assert lo <= hi
    for _ in range(5):
        pos = [(data.draw(s.box_positions), data.draw(s.box_positions)) for _ in parts]
        tv = [true_value(p[0], a) for p, (a, _) in zip(parts, pos)]
        tg = [true_value(p[1], b, True) for p, (_, b) in zip(parts, pos)]
        num = math.fsum(sg * x for sg, x in zip(signs, tv))
        den = math.fsum(sg * x / (1 + y) for sg, x, y in zip(signs, tv, tg))
        assert inside(num / den - 1, lo, hi)
    b_lo, b_hi = _corner_extremes(
        [((F(vv[0]), F(vv[1])), (F(gg[0]), F(gg[1]))) for vv, gg in boxes], signs
    )
    assert lo == pytest.approx(float(b_lo), rel=1e-9, abs=1e-12)  # tight: attained at a corner
    assert hi == pytest.approx(float(b_hi), rel=1e-9, abs=1e-12)


def test_aggregate_growth_bounds_broadcast_over_breakdowns():
    # two breakdowns at once (parts along axis 0): Chongqing Q1 and March
    lo, hi = bd.aggregate_growth_bounds(
        np.array([[112.32, 40.06], [67.92, 24]]),
        np.array([[0.757, 0.575], [0.402, 0.283]]),
        np.array([[2, 2], [2, 0]]),
        np.array([[1, 1], [1, 1]]),
    )
    one_lo, one_hi = bd.aggregate_growth_bounds([40.06, 24], [0.575, 0.283], [2, 0], [1, 1])
    assert (
        np.shape(lo) == (2,) and lo[1] == pytest.approx(one_lo) and hi[1] == pytest.approx(one_hi)
    )
    assert lo[0] < 0.604 < hi[0]


@given(s.printed_levels(), s.printed_signed_levels(), positions(2))
def test_growth_bounds_contain_every_true_value(v, b, pos):
    check_contains(tc.growth, bd.growth_bounds, [v, b], [False, False], pos)


@given(
    st.lists(
        st.tuples(s.trade_values, s.trade_values, s.growth_rates, s.growth_rates),
        min_size=1,
        max_size=3,
    ),
    st.data(),
)
def test_interval_forms_contain_every_value_of_the_intervals(boxes, data):
    for a, b, g1, g2 in boxes:
        vl, vh, gl, gh = min(a, b), max(a, b), min(g1, g2), max(g1, g2)
        lo, hi = bd.base_interval_bounds(vl, vh, gl, gh)
        glo, ghi = bd.growth_interval_bounds(vl, vh, vl / 2, vh / 2 + 1)
        for _ in range(3):
            x = vl + (vh - vl) * data.draw(st.floats(0, 1))
            y = gl + (gh - gl) * data.draw(st.floats(0, 1))
            z = vl / 2 + (vh / 2 + 1 - vl / 2) * data.draw(st.floats(0, 1))
            assert inside(x / (1 + y), lo, hi)
            assert inside(x / z - 1, glo, ghi)


@pytest.mark.parametrize(
    "printed,decimals,qualifier,percent,expected",
    [
        (395.8, 1, "more than", False, (395.8, 395.9)),
        (800, 0, "exceeding", False, (800, 900)),
        (150, 0, "over", False, (150, 160)),
        (700, 0, "about", False, (650, 750)),
        (27.77, 2, "about", False, (27.77 * 0.99, 27.77 * 1.01)),  # never narrower than 1%
        (226.2, 1, "nearly", False, (226.2 - 2.262, 226.25)),
        (5, 0, "at least", False, (5, 6)),
        (0.05, 0, "less than", True, (0.04, 0.05)),
        (0.2, 0, "up to", True, (0.1, 0.2)),
        (112.32, 2, "", False, (112.315, 112.325)),
    ],
)
def test_qualified_intervals(printed, decimals, qualifier, percent, expected):
    assert bd.qualified_interval(printed, decimals, qualifier, percent=percent) == pytest.approx(
        expected
    )


@given(st.integers(1, 10**6), st.integers(0, 3), st.floats(0, 0.999999))
def test_more_than_holds_every_value_truncated_to_its_print(units, decimals, frac):
    # a true value t, printed "more than x" with x = t cut at its last printed digit (the releases' habit)
    x = units / 10**decimals
    t = x + frac * bd.last_digit_unit(x, decimals)
    lo, hi = bd.qualified_interval(x, decimals, "more than")
    assert lo <= t <= hi
    r_lo, r_hi = bd.interval(x, decimals)
    a_lo, a_hi = bd.qualified_interval(x, decimals, "about")
    assert a_lo <= r_lo and r_hi <= a_hi  # "about" is never narrower than rounding


def test_unknown_qualifier_is_refused():
    with pytest.raises(ValueError, match="unknown qualifier"):
        bd.qualified_interval(1.0, 0, "roughly")


def _base_corners_by_hand(v, g, hv, hg):
    """base_bounds of one figure, written out: the four corners, NaN if any is outside the domain."""
    corners = []
    for sv in (-1.0, 1.0):
        for sg in (-1.0, 1.0):
            f = 1.0 + (g + sg * hg)
            corners.append((v + sv * hv) / f if f > 0 else math.nan)
    if any(math.isnan(c) for c in corners):
        return math.nan, math.nan
    return min(corners), max(corners)


def test_bounds_in_blocks_are_the_corners_figure_by_figure():
    """Arrays longer than a block (edge figures spread over it) give each figure's own corners."""
    rng = np.random.default_rng(99)
    n = 2 * bd._BLOCK + 11
    v = np.round(rng.uniform(-50, 1000, n), 2)
    g = np.round(rng.uniform(-0.9, 1.5, n), 3)
    vd = rng.choice([0.0, 1.0, 2.0, np.nan], n)
    gd = rng.choice([0.0, 1.0, np.nan], n)
    edges = rng.integers(0, n, 400)
    v[edges[:100]] = np.nan
    g[edges[100:200]] = -1.0  # -100%: no base
    g[edges[200:300]] = -0.9995  # the box reaches -100%
    v[edges[300:]] = 0.0
    lo, hi = bd.base_bounds(v, g, vd, gd)
    for i in np.concatenate(
        [edges, rng.integers(0, n, 2000), [0, n - 1, bd._BLOCK - 1, bd._BLOCK]]
    ):
        hv = 0.0 if math.isnan(vd[i]) else 0.5 * 10.0 ** -vd[i]
        hg = 0.0 if math.isnan(gd[i]) else 0.5 * 10.0 ** -gd[i] / 100.0
        want = _base_corners_by_hand(v[i], g[i], hv, hg)
        np.testing.assert_array_equal([lo[i], hi[i]], want, err_msg=str((v[i], g[i], vd[i], gd[i])))


def test_blocks_and_one_piece_give_the_same_bits():
    rng = np.random.default_rng(7)
    n = 3 * bd._BLOCK + 5
    p, w = rng.uniform(-10, 1000, n), rng.uniform(-5, 3000, n)
    gp, gw = rng.uniform(-1.2, 1.5, n), rng.uniform(-1.1, 1.2, n)
    p[::977], w[::1013], gw[::751] = np.nan, 0.0, 0.0
    dec = [rng.choice([0.0, 1.0, 2.0, np.nan], n) for _ in range(4)]
    for name in ("base_share", "share_change_pp", "pull_pp", "contribution", "difference_growth"):
        func = getattr(tc, name)
        flags = (False, True, False, True)
        whole = bd._box(func, (p, gp, w, gw), dec, flags, nonzero=(2,), elementwise=False)
        blocks = bd._box(func, (p, gp, w, gw), dec, flags, nonzero=(2,))
        for a, b in zip(whole, blocks):
            assert a.tobytes() == b.tobytes(), name
