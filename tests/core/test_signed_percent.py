"""``signed_percent`` is cached (issue 16: a check at 10^5 figures prints 10^4 growths):
the cache gives what formatting gives, in any order of calls, signed zeros included."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tradecalc.analysis.checks import context
from tradecalc.model.published import format_published

DECIMALS = st.sampled_from([None, 0, 1, 2, 3, 1.0, math.nan, -1])
GROWTHS = st.one_of(
    st.floats(-10, 10, allow_nan=False),
    st.sampled_from([0.0, -0.0, 0.042, -0.1234, 1e-9, -1e-9]),
)


def _printed(g, decimals) -> str:
    """The growth as printed, written out again: sign, then the release's rounding, in percent."""
    d = None if decimals is None or math.isnan(decimals) else max(int(decimals), 0)
    text = format_published(g, d, True)
    return text if text[0] == "-" or math.isnan(g) else "+" + text


@given(calls=st.lists(st.tuples(GROWTHS, DECIMALS), min_size=1, max_size=30))
def test_a_cached_growth_is_printed_as_formatting_prints_it(calls):
    for g, d in calls + calls[::-1]:
        assert context.signed_percent(g, d) == _printed(g, d)


def test_zero_and_minus_zero_are_not_one_cache_entry():
    # 0.0 == -0.0 and they hash alike, but are printed differently
    assert context.signed_percent(0.0, 1) == "+0.0%"
    assert context.signed_percent(-0.0, 1) == _printed(-0.0, 1) == "-0.0%"  # as printed
    assert context.signed_percent(0.0, 1) == "+0.0%"


def test_the_worked_example_of_the_docstring():
    assert context.signed_percent(math.nan, 1) == "NaN%"
    assert context.signed_percent(0.042, 1) == "+4.2%"
    assert context.signed_percent(-0.1234, 2) == "-12.34%"
