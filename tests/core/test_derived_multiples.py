"""Base bounds of a growth printed as a multiple ("4.7 times": ±0.05 times, ±5 points).

The derived table's ``base_low``/``base_high`` and the checks' base interval
(:meth:`Context.base_interval`) must widen alike for a multiple, alone or with a
qualifier ("more than 800", "more than 4.7 times"), and hold the true base. The
property: draw a true base and a true growth, print the value and the multiple as
a release would (rounded, or cut at the printed digit under "more than"), load the
printed text, and the true base lies inside both bounds, which agree.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.analysis.checks.context import Context
from tradecalc.analysis.derived_table import derive
from tradecalc.model.releasefile import loads


def release(value: str, yoy: str, reading: str, value_q: str = "", yoy_q: str = "") -> str:
    return (
        '[release]\nid = "m"\nunit = "billion yuan"\n[[figures]]\nid = "a"\nperiod = "2021-Q1"\n'
        f'value = "{value}"\nvalue_qualifier = "{value_q}"\nyoy = "{yoy}"\n'
        f'yoy_qualifier = "{yoy_q}"\nyoy_reading = "{reading}"\n'
    )


def cut(x: float, decimals: int) -> str:
    """``x`` cut (not rounded) at ``decimals``: what "more than" prints."""
    k = 10**decimals
    return f"{math.floor(x * k) / k:.{decimals}f}"


def bounds(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    r = loads(text)
    row = derive(r).loc["a"]
    return (row["base_low"], row["base_high"]), Context(r).base_interval(r.figures[0])


@settings(max_examples=150, deadline=None)
@given(
    base=st.floats(min_value=1.0, max_value=900.0),
    times=st.floats(min_value=1.2, max_value=9.0),
    reading=st.sampled_from(["increase", "ratio"]),
    form=st.sampled_from(["rounded", "more than value", "more than multiple", "whole multiple"]),
)
def test_true_base_lies_inside_the_bounds_of_a_multiple(base, times, reading, form):
    growth = times if reading == "increase" else times - 1.0  # "grew by 4.7 times" is +470%
    value = base * (1.0 + growth)
    printed_value, value_q = f"{value:.2f}", ""
    printed_times, yoy_q = f"{times:.1f} times", ""
    if form == "more than value":
        printed_value, value_q = cut(value, 2), "more than"
        if float(printed_value) >= value:  # "more than x" needs x below the value
            return
    elif form == "more than multiple":
        printed_times, yoy_q = f"{cut(times, 1)} times", "more than"
        if float(cut(times, 1)) >= times:
            return
    elif form == "whole multiple":
        printed_times = f"{round(times)}-fold"  # ±0.5 times
    derived, checked = bounds(release(printed_value, printed_times, reading, value_q, yoy_q))
    # the same bounds, by bounds.base_bounds (derive) and base_interval_bounds over the
    # intervals (checks): equal up to the last bits of the two orders of operations
    assert derived == pytest.approx(checked, rel=1e-12)
    lo, hi = derived
    tol = 1e-9 * base
    assert lo - tol <= base <= hi + tol, (printed_value, printed_times, derived, base)


def test_a_multiple_widens_by_five_points_each_way():
    # "4.7 times" (increase): growth in [4.65, 4.75]; value 800 in [799.5, 800.5];
    # base in [799.5 / 5.75, 800.5 / 5.65], by hand
    derived, checked = bounds(release("800", "4.7 times", "increase"))
    assert derived == checked
    assert derived[0] == 799.5 / 5.75 and abs(derived[1] - 800.5 / 5.65) < 1e-12
