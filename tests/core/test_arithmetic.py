"""Unit tests of tradecalc.calc.arithmetic, function by function.

Expected values come from the Chongqing Q1 2021 release's own statements
(180.24 = 112.32 + 67.92; "31.2 percentage points higher"; March 64.06 =
40.06 + 24) or from an independent computation written here with
``fractions.Fraction`` / plain Python, never from the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest

import tradecalc as tc
from tradecalc import TradeDomainError

# Chongqing Q1 2021, billion yuan, growth as printed
TOTAL, G_TOTAL = F("180.24"), F("0.604")
EXPORTS, G_EXPORTS = F("112.32"), F("0.757")
IMPORTS, G_IMPORTS = F("67.92"), F("0.402")
MARCH, G_MARCH = F("64.06"), F("0.452")


def fbase(v, g):
    return v / (1 + g)


def approx(x, rel=1e-12):
    return pytest.approx(float(x), rel=rel, abs=1e-12)


# ---------------------------------------------------------------- type contract (all 2-argument functions)

BINARY = [
    (tc.base, (180.24, 0.604)),
    (tc.growth, (180.24, 112.37)),
    (tc.change, (112.32, 0.757)),
    (tc.share, (112.32, 180.24)),
    (tc.pp, (0.604, 0.292)),
    (tc.reference_rate, (0.604, 31.2)),
    (tc.average_growth, (0.37, 2.0)),
    (tc.prior_growth, (0.37, 0.604)),
    (tc.implied_rate, (180.24, 27.77)),
]
QUATERNARY = [
    (tc.base_share, (112.32, 0.757, 180.24, 0.604)),
    (tc.share_change_pp, (112.32, 0.757, 180.24, 0.604)),
    (tc.pull_pp, (112.32, 0.757, 180.24, 0.604)),
    (tc.contribution, (112.32, 0.757, 180.24, 0.604)),
    (tc.difference_growth, (180.24, 0.604, 64.06, 0.452)),
]
ALL = BINARY + QUATERNARY
IDS = [f.__name__ for f, _ in ALL]


@pytest.mark.parametrize("func,args", ALL, ids=IDS)
def test_scalar_in_float_out(func, args):
    out = func(*args)
    assert type(out) is float and math.isfinite(out)


@pytest.mark.parametrize("func,args", ALL, ids=IDS)
def test_arrays_in_same_shape_out(func, args):
    arrays = [np.full((2, 3), a) for a in args]
    out = func(*arrays)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3)
    np.testing.assert_allclose(out, func(*args))
    # broadcasting a column against a scalar, like a numpy ufunc
    mixed = [np.array([[args[0]], [args[0]]])] + list(args[1:])
    assert np.shape(func(*mixed)) == (2, 1)


@pytest.mark.parametrize("func,args", ALL, ids=IDS)
def test_series_in_series_out_index_kept(func, args):
    idx = pd.Index(["chongqing", "other"], name="region")
    first = pd.Series([args[0], args[0]], index=idx)
    out = func(first, *args[1:])
    assert isinstance(out, pd.Series)
    assert out.index.equals(idx)
    assert out.iloc[0] == pytest.approx(func(*args))


@pytest.mark.parametrize("func,args", ALL, ids=IDS)
def test_nan_and_none_propagate(func, args):
    for k in range(len(args)):
        for missing in (math.nan, None):
            a = list(args)
            a[k] = missing
            assert math.isnan(func(*a)), (func.__name__, k, missing)
    arr = [np.array([a, math.nan]) if k == 0 else a for k, a in enumerate(args)]
    out = func(*arr)
    assert math.isfinite(out[0]) and math.isnan(out[1])


# ---------------------------------------------------------------- values (release + independent arithmetic)


def test_base_chongqing_total():
    assert tc.base(180.24, 0.604) == approx(fbase(TOTAL, G_TOTAL))
    assert round(tc.base(180.24, 0.604), 2) == 112.37  # issue 2: total base 112.37


def test_base_times_growth_gives_value_back():
    assert tc.base(67.92, 0.402) * 1.402 == pytest.approx(67.92)


def test_growth_inverts_base():
    b = float(fbase(TOTAL, G_TOTAL))
    assert tc.growth(180.24, b) == pytest.approx(0.604)


def test_growth_both_negative_allowed():
    # a deficit of 15 after a deficit of 10 widened by 50%
    assert tc.growth(-15.0, -10.0) == pytest.approx(float(F(-15) / F(-10) - 1))


@pytest.mark.parametrize("value,base_", [(5.0, -3.0), (-5.0, 3.0)])
def test_growth_sign_changing_base_raises(value, base_):
    with pytest.raises(TradeDomainError, match="opposite signs"):
        tc.growth(value, base_)
    assert math.isnan(tc.growth(value, base_, errors="nan"))


def test_growth_zero_base_raises():
    with pytest.raises(TradeDomainError, match="zero base"):
        tc.growth(5.0, 0.0)
    assert math.isnan(tc.growth(5.0, 0.0, errors="nan"))


def test_change_exports():
    assert tc.change(112.32, 0.757) == approx(EXPORTS - fbase(EXPORTS, G_EXPORTS))
    assert round(tc.change(112.32, 0.757), 2) == 48.39


def test_share_exports():
    assert tc.share(112.32, 180.24) == approx(EXPORTS / TOTAL)
    assert round(tc.share(112.32, 180.24), 3) == 0.623  # issue 2: export share 62.3%


def test_share_zero_whole():
    with pytest.raises(TradeDomainError, match="whole is zero"):
        tc.share(1.0, 0.0)
    assert math.isnan(tc.share(1.0, 0.0, errors="nan"))


def test_base_share_and_share_change_exports():
    bs = fbase(EXPORTS, G_EXPORTS) / fbase(TOTAL, G_TOTAL)
    assert tc.base_share(112.32, 0.757, 180.24, 0.604) == approx(bs)
    expected_pp = 100 * (EXPORTS / TOTAL - bs)
    assert tc.share_change_pp(112.32, 0.757, 180.24, 0.604) == approx(expected_pp)
    assert round(tc.share_change_pp(112.32, 0.757, 180.24, 0.604), 1) == 5.4  # +5.4 pp


def test_pp_is_the_stated_31_2_points():
    # "The growth rate is 31.2 percentage points higher than the overall growth rate of the country"
    assert tc.pp(0.604, 0.292) == pytest.approx(31.2)
    assert tc.reference_rate(0.604, 31.2) == pytest.approx(0.292)
    assert tc.reference_rate(0.292, -31.2) == pytest.approx(0.604)  # "lower" is a negative pp


def test_pulls_of_exports_and_imports():
    tb = fbase(TOTAL, G_TOTAL)
    pe = 100 * (EXPORTS - fbase(EXPORTS, G_EXPORTS)) / tb
    pi = 100 * (IMPORTS - fbase(IMPORTS, G_IMPORTS)) / tb
    assert tc.pull_pp(112.32, 0.757, 180.24, 0.604) == approx(pe)
    assert tc.pull_pp(67.92, 0.402, 180.24, 0.604) == approx(pi)
    # the two pulls make up the 60.4% total growth (to the print's precision)
    assert float(pe + pi) == pytest.approx(60.4, abs=0.05)


def test_contribution_of_exports_and_imports():
    dt = TOTAL - fbase(TOTAL, G_TOTAL)
    ce = (EXPORTS - fbase(EXPORTS, G_EXPORTS)) / dt
    assert tc.contribution(112.32, 0.757, 180.24, 0.604) == approx(ce)
    ci = tc.contribution(67.92, 0.402, 180.24, 0.604)
    assert float(ce) + ci == pytest.approx(1.0, abs=1e-3)


def test_contribution_whole_unchanged():
    with pytest.raises(TradeDomainError, match="did not change"):
        tc.contribution(1.0, 0.1, 10.0, 0.0)
    assert math.isnan(tc.contribution(1.0, 0.1, 10.0, 0.0, errors="nan"))


def test_average_growth_two_years():
    # "climbed 37% from two years earlier": (1.37)^(1/2) - 1
    assert tc.average_growth(0.37, 2) == pytest.approx(math.sqrt(1.37) - 1, rel=1e-14)
    assert tc.average_growth(0.37, 1) == pytest.approx(0.37)


def test_average_growth_bad_years():
    with pytest.raises(TradeDomainError, match="years must be positive"):
        tc.average_growth(0.37, 0)
    assert math.isnan(tc.average_growth(0.37, -1, errors="nan"))


def test_prior_and_compound_growth_chongqing():
    prior = F("1.37") / F("1.604") - 1
    assert tc.prior_growth(0.37, 0.604) == approx(prior)
    assert tc.compound_growth([float(prior), 0.604]) == pytest.approx(0.37)


def test_compound_growth_axis_and_series():
    g = np.array([[0.1, 0.2], [0.5, -0.5]])
    np.testing.assert_allclose(tc.compound_growth(g), [1.1 * 1.5 - 1, 1.2 * 0.5 - 1])
    np.testing.assert_allclose(tc.compound_growth(g, axis=1), [1.1 * 1.2 - 1, 1.5 * 0.5 - 1])
    idx = ["a", "b"]
    out = tc.compound_growth([pd.Series([0.1, 0.2], index=idx), pd.Series([0.5, -0.5], index=idx)])
    assert list(out.index) == idx and out["b"] == pytest.approx(-0.4)


def test_difference_growth_jan_feb():
    # Q1 minus March: January-February 116.18 billion at about +70.2%
    d = TOTAL - MARCH
    db = fbase(TOTAL, G_TOTAL) - fbase(MARCH, G_MARCH)
    assert float(d) == pytest.approx(116.18)
    assert tc.difference_growth(180.24, 0.604, 64.06, 0.452) == approx(d / db - 1)
    assert round(tc.difference_growth(180.24, 0.604, 64.06, 0.452), 3) == 0.702


def test_difference_growth_trade_balance_flip():
    # a deficit that became a surplus: exports 10 (+100%), imports 8 (-50%): base 5 - 16 = -11, now +2
    with pytest.raises(TradeDomainError, match="opposite signs"):
        tc.difference_growth(10.0, 1.0, 8.0, -0.5)
    assert math.isnan(tc.difference_growth(10.0, 1.0, 8.0, -0.5, errors="nan"))


def test_difference_growth_both_negative():
    # a deficit of 3 (6 - 9) against 4 a year earlier (6/1.2 - 9/1.0 = -4): narrowed by 25%
    assert tc.difference_growth(6.0, 0.2, 9.0, 0.0) == pytest.approx(float(F(-3) / F(-4) - 1))


def test_difference_growth_zero_base():
    # bases 5 and 5: no growth for the difference
    with pytest.raises(TradeDomainError, match="zero base"):
        tc.difference_growth(10.0, 1.0, 7.5, 0.5)


def test_aggregate_growth_exports_plus_imports():
    agg = (EXPORTS + IMPORTS) / (fbase(EXPORTS, G_EXPORTS) + fbase(IMPORTS, G_IMPORTS)) - 1
    assert tc.aggregate_growth([112.32, 67.92], [0.757, 0.402]) == approx(agg)
    assert round(tc.aggregate_growth([112.32, 67.92], [0.757, 0.402]), 3) == 0.604


def test_aggregate_growth_missing_part_is_nan():
    assert math.isnan(tc.aggregate_growth([112.32, None], [0.757, 0.402]))


def test_implied_rate_yuan_per_dollar():
    assert tc.implied_rate(180.24, 27.77) == approx(TOTAL / F("27.77"))
    assert round(tc.implied_rate(180.24, 27.77), 2) == 6.49
    with pytest.raises(TradeDomainError, match="converted value"):
        tc.implied_rate(180.24, 0.0)


def test_residual_ownership():
    assert tc.residual(180.24, [88.24, 75.07, 16.75]) == approx(
        TOTAL - F("88.24") - F("75.07") - F("16.75")
    )
    assert math.isnan(tc.residual(180.24, [88.24, None, 16.75]))
    # March: 64.06 = 40.06 + 24
    assert tc.residual(64.06, [40.06, 24]) == pytest.approx(0.0, abs=1e-12)


def test_residual_series_parts_keep_index():
    idx = ["q1", "march"]
    out = tc.residual(
        pd.Series([180.24, 64.06], index=idx),
        [pd.Series([112.32, 40.06], index=idx), pd.Series([67.92, 24.0], index=idx)],
    )
    assert list(out.index) == idx
    np.testing.assert_allclose(out.to_numpy(), [0.0, 0.0], atol=1e-12)


# ---------------------------------------------------------------- growth <= -100%


GROWTH_TAKERS = [
    ("base", lambda g, **kw: tc.base(10.0, g, **kw)),
    ("change", lambda g, **kw: tc.change(10.0, g, **kw)),
    ("base_share", lambda g, **kw: tc.base_share(1.0, g, 10.0, 0.1, **kw)),
    ("share_change_pp", lambda g, **kw: tc.share_change_pp(1.0, 0.1, 10.0, g, **kw)),
    ("pull_pp", lambda g, **kw: tc.pull_pp(1.0, g, 10.0, 0.1, **kw)),
    ("contribution", lambda g, **kw: tc.contribution(1.0, 0.1, 10.0, g, **kw)),
    ("average_growth", lambda g, **kw: tc.average_growth(g, 2, **kw)),
    ("prior_growth", lambda g, **kw: tc.prior_growth(0.37, g, **kw)),
    ("compound_growth", lambda g, **kw: tc.compound_growth([0.1, g], **kw)),
    ("difference_growth", lambda g, **kw: tc.difference_growth(10.0, g, 1.0, 0.1, **kw)),
    ("aggregate_growth", lambda g, **kw: tc.aggregate_growth([10.0, 1.0], [g, 0.1], **kw)),
]


@pytest.mark.parametrize("name,func", GROWTH_TAKERS, ids=[n for n, _ in GROWTH_TAKERS])
@pytest.mark.parametrize("g", [-1.0, -1.2])
def test_growth_at_or_below_minus_100_percent(name, func, g):
    with pytest.raises(TradeDomainError) as e:
        func(g)
    msg = str(e.value)
    assert "-100%" in msg and "\n" not in msg
    assert f"{g:.6g}" in msg  # the message quotes the offending number
    assert math.isnan(func(g, errors="nan"))


def test_errors_nan_only_masks_the_bad_element():
    out = tc.base(np.array([180.24, 10.0]), np.array([0.604, -1.5]), errors="nan")
    assert out[0] == pytest.approx(float(fbase(TOTAL, G_TOTAL))) and math.isnan(out[1])


def test_errors_argument_validated():
    with pytest.raises(ValueError, match="errors must be"):
        tc.base(1.0, 0.1, errors="ignore")


def test_domain_error_is_a_value_error():
    assert issubclass(TradeDomainError, ValueError)


def test_the_package_exports_every_arithmetic_function_lazily():
    """``tradecalc`` names exactly the arithmetic's public functions, without importing numpy first."""
    import tradecalc
    from tradecalc.calc import arithmetic

    assert set(arithmetic.__all__) <= set(tradecalc.__all__)
    assert all(getattr(tradecalc, n) is getattr(arithmetic, n) for n in arithmetic.__all__)
