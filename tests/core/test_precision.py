"""Half a printed digit and the shortest printed decimals: one definition, in ``tradecalc.calc.precision``.

The array form of the half-width looks whole decimals up in a table instead of
raising 10 to a power; the table must give the formula's bits, for every
decimals it holds, in arrays of any length, next to NaN, fractional and
out-of-range decimals (which take the formula).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tradecalc.calc import precision
from tradecalc.errors import BadInput
from tradecalc.model import published


def by_formula(d, percent):
    """0.5 × 10^-d (÷ 100 for percent), 0 where unknown, written out in numpy."""
    h = np.where(np.isnan(d), 0.0, 0.5 * np.power(10.0, -np.nan_to_num(d)))
    return h / 100.0 if percent else h


@pytest.mark.parametrize("percent", [False, True])
def test_looked_up_half_widths_are_the_formula_bit_for_bit(percent):
    rng = np.random.default_rng(18)
    whole = np.arange(precision._TABLE_LOW, precision._TABLE_HIGH + 1, dtype=float)
    others = np.array([np.nan, 1.5, -0.5, 25.0, -5.0, 400.0, -400.0, np.inf, -np.inf, 1e300, 2**63])
    with np.errstate(over="ignore"):  # 10 ** 400
        for n in (precision._TABLE_MIN_SIZE, 1000, 70_001):
            d = rng.choice(np.concatenate([whole, whole, others]), n)
            got = precision.half_widths(d, percent=percent)
            assert got.tobytes() == by_formula(d, percent).tobytes()
        d = np.tile(whole, 20)[::2]  # not contiguous: the formula itself
        got = precision.half_widths(d, percent=percent)
        assert got.tobytes() == by_formula(d, percent).tobytes()


def test_half_widths_of_printed_figures():
    # "180.24" ± 0.005; "24" ± 0.5; "60.4%" ± 0.05 points; "4.7 times" (−1 in percent) ± 5 points
    assert precision.half_widths([2, 0, np.nan]).tolist() == [0.005, 0.5, 0.0]
    assert precision.half_widths(np.full(300, 1.0), percent=True)[0] == pytest.approx(0.0005, 1e-15)
    assert precision.half_widths(-1.0, percent=True) == pytest.approx(0.05, 1e-15)


def test_the_model_uses_the_same_definitions():
    assert published.shortest_decimals is precision.shortest_decimals
    for d in range(-2, 16):
        for pct in (False, True):
            assert published.half_width(d, pct) == precision.half_width(d, pct)
            assert published.half_width(d, pct) == float(
                precision.half_widths(float(d), percent=pct)
            )
    # the model still validates what it is given; a blank is unknown precision
    with pytest.raises(BadInput):
        published.half_width(16)
    with pytest.raises(BadInput):
        published.half_width(1.5)
    assert published.half_width("") == 0.0 and published.half_width(None) == 0.0


def test_fewest_decimals_within_a_tolerance():
    x = [112.32, 24.0, 0.1 + 0.2, 40.06 / 3, -395.8, 1e-12, 700.0000000001]
    got = precision.fewest_decimals(x, rel_tol=1e-9, limit=6)
    assert got[:3].tolist() == [2.0, 0.0, 1.0] and math.isnan(got[3])
    assert got[4:].tolist() == [1.0, 0.0, 0.0]
    assert precision.fewest_decimals(40.06 / 3, rel_tol=1e-9, limit=6, otherwise=6) == 6.0
    assert precision.shortest_decimals(0.1 + 0.2, limit=6, rel_tol=1e-12) == 1
    assert precision.shortest_decimals(40.06 / 3, limit=6, rel_tol=1e-12) is None
