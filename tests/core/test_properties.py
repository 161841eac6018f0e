"""Property tests (hypothesis) of the identities the arithmetic must satisfy.

Each identity is checked against an independent formulation (plain Python
sums and products), not against another tradecalc function where avoidable.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import strategies as s  # tests/ is on sys.path (pytest rootdir-relative import)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tradecalc as tc

settings.register_profile("tradecalc", max_examples=150, deadline=None)
settings.load_profile("tradecalc")


@given(s.trade_values, s.growth_rates)
def test_base_times_growth_factor_is_value(v, g):
    assert tc.base(v, g) * (1 + g) == pytest.approx(v, rel=1e-12)
    assert tc.change(v, g) == pytest.approx(v - v / (1 + g), rel=1e-9, abs=1e-9)


@given(s.signed_values, s.growth_rates)
def test_growth_of_value_over_its_base_is_the_growth(v, g):
    assert tc.growth(v, v / (1 + g)) == pytest.approx(g, rel=1e-9, abs=1e-9)


@given(s.array_shapes.flatmap(lambda sh: st.tuples(s.value_arrays(sh), s.growth_arrays(sh))))
def test_base_broadcasts_elementwise(arrays):
    v, g = arrays
    out = tc.base(v, g)
    assert np.shape(out) == v.shape
    np.testing.assert_allclose(np.asarray(out) * (1 + g), v, rtol=1e-12)


@given(s.complete_breakdowns())
def test_pulls_sum_to_whole_growth_in_pp(parts):
    values, growths = parts
    whole = sum(values)
    base_whole = sum(v / (1 + g) for v, g in zip(values, growths))
    whole_growth = whole / base_whole - 1  # the aggregate growth, written independently
    pulls = [tc.pull_pp(v, g, whole, whole_growth) for v, g in zip(values, growths)]
    assert math.fsum(pulls) == pytest.approx(100 * whole_growth, rel=1e-9, abs=1e-9)
    assert tc.aggregate_growth(values, growths) == pytest.approx(whole_growth, rel=1e-12, abs=1e-12)


@given(s.complete_breakdowns())
def test_contributions_sum_to_one(parts):
    values, growths = parts
    whole = sum(values)
    base_whole = sum(v / (1 + g) for v, g in zip(values, growths))
    assume(abs(whole - base_whole) > 1e-6 * whole)  # the whole must have changed
    whole_growth = whole / base_whole - 1
    contributions = [tc.contribution(v, g, whole, whole_growth) for v, g in zip(values, growths)]
    assert math.fsum(contributions) == pytest.approx(1.0, rel=1e-6)


@given(s.complete_breakdowns())
def test_shares_and_base_shares_sum_to_one(parts):
    values, growths = parts
    whole = sum(values)
    whole_growth = whole / sum(v / (1 + g) for v, g in zip(values, growths)) - 1
    assert math.fsum(tc.share(v, whole) for v in values) == pytest.approx(1.0)
    assert math.fsum(
        tc.base_share(v, g, whole, whole_growth) for v, g in zip(values, growths)
    ) == pytest.approx(1.0)
    # share changes over a complete breakdown add up to zero points
    assert math.fsum(
        tc.share_change_pp(v, g, whole, whole_growth) for v, g in zip(values, growths)
    ) == pytest.approx(0.0, abs=1e-9)


@given(s.trade_values, s.growth_rates, s.trade_values, s.growth_rates)
def test_share_change_pp_consistent_with_shares(p, gp, extra, gw_other):
    w = p + extra  # a whole that contains the part
    bw = p / (1 + gp) + extra / (1 + gw_other)
    gw = w / bw - 1
    now, then = p / w, (p / (1 + gp)) / bw
    assert tc.share_change_pp(p, gp, w, gw) == pytest.approx(100 * (now - then), rel=1e-9, abs=1e-9)
    assert tc.share(p, w) - tc.base_share(p, gp, w, gw) == pytest.approx(
        now - then, rel=1e-9, abs=1e-11
    )


@given(s.trade_values, s.growth_rates, s.trade_values, s.growth_rates)
def test_difference_growth_is_growth_of_the_difference(a, ga, b, gb):
    base_a, base_b = a / (1 + ga), b / (1 + gb)
    d, bd = a - b, base_a - base_b
    assume(abs(bd) > 1e-6 * max(base_a, base_b) and abs(d) > 1e-9)
    if (d > 0) != (bd > 0):  # the difference changed sign: there is no growth rate
        with pytest.raises(tc.TradeDomainError):
            tc.difference_growth(a, ga, b, gb)
        return
    assert tc.difference_growth(a, ga, b, gb) == pytest.approx(d / bd - 1, rel=1e-9, abs=1e-9)
    assert tc.difference_growth(a, ga, b, gb) == pytest.approx(
        tc.growth(d, bd), rel=1e-12, abs=1e-12
    )


@given(s.growth_sequences)
def test_compound_growth_is_product_of_factors(gs):
    expected = math.prod(1 + g for g in gs) - 1
    assert tc.compound_growth(gs) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(s.growth_rates, s.growth_rates)
def test_prior_growth_round_trips_through_compound_growth(prior, latest):
    total = tc.compound_growth([prior, latest])
    assert tc.prior_growth(total, latest) == pytest.approx(prior, rel=1e-9, abs=1e-12)


@given(s.growth_rates, s.year_counts)
def test_average_growth_compounds_back(g, n):
    avg = tc.average_growth(g, n)
    assert tc.compound_growth([avg] * n) == pytest.approx(g, rel=1e-9, abs=1e-12)
    assert (1 + avg) ** n == pytest.approx(1 + g, rel=1e-9)


@given(s.growth_rates, st.floats(min_value=-200, max_value=200, allow_nan=False))
def test_pp_and_reference_rate_round_trip(r, points):
    ref = tc.reference_rate(r, points)
    assert tc.pp(r, ref) == pytest.approx(points, rel=1e-9, abs=1e-9)


@given(st.lists(s.trade_values, min_size=1, max_size=6), s.trade_values)
def test_residual_plus_parts_is_total(parts, total):
    assert tc.residual(total, parts) + math.fsum(parts) == pytest.approx(total, rel=1e-9, abs=1e-9)


@given(s.signed_values, s.growth_rates, s.signed_values, s.growth_rates)
def test_tight_bounds_of_a_point_box_are_the_growth_of_the_difference(a, ga, b, gb):
    # a box of zero width: the signed-sum bounds collapse onto (a - b) / (base a - base b) - 1, written out here
    base = a / (1 + ga) - b / (1 + gb)
    assume(abs(base) > 1e-6 * (abs(a) + abs(b)))
    from tradecalc.calc import bounds as bd

    lo, hi = bd.aggregate_growth_interval_bounds([a, b], [a, b], [ga, gb], [ga, gb], signs=[1, -1])
    want = (a - b) / base - 1
    assert lo == pytest.approx(want, rel=1e-9, abs=1e-9) and hi == pytest.approx(
        want, rel=1e-9, abs=1e-9
    )
