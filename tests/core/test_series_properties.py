"""Property: for any true cumulative values inside their rounding boxes, the true single
period (value and growth) lies inside the bounds ``tradecalc.series`` reports.

True values are drawn first; the releases print them rounded (as a customs release does);
the single period is then recomputed from the true values directly, in plain arithmetic.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.analysis.series import series
from tradecalc.model.releasefile import loads

SLACK = 1e-9  # relative: float noise at the edges of a box


def _printed(x: float, decimals: int, percent: bool = False) -> str:
    return f"{x * 100:.{decimals}f}%" if percent else f"{x:.{decimals}f}"


def _release(rid: str, period: str, value: str, yoy: str) -> object:
    text = (
        f'[release]\nid = "{rid}"\npublisher = "P"\nunit = "billion yuan"\n\n[[figures]]\n'
        f'id = "total"\nperiod = "{period}"\nvalue = "{value}"\nyoy = "{yoy}"\n'
    )
    return loads(text, source=rid)


@st.composite
def two_cumulatives(draw):
    q1 = draw(st.floats(1.0, 1000.0))
    april = draw(st.floats(0.5, 500.0))
    g_q1 = draw(st.floats(-0.5, 2.0))
    g_apr = draw(st.floats(-0.5, 2.0))
    base_q1, base_apr = q1 / (1 + g_q1), april / (1 + g_apr)
    ytd, base_ytd = q1 + april, base_q1 + base_apr
    vd, gd = draw(st.integers(0, 2)), draw(st.integers(0, 1))
    return q1, ytd, base_q1, base_ytd, vd, gd


@settings(max_examples=60, deadline=None)
@given(two_cumulatives())
def test_true_single_period_lies_inside_the_bounds(case):
    q1, ytd, base_q1, base_ytd, vd, gd = case
    g_q1, g_ytd = q1 / base_q1 - 1, ytd / base_ytd - 1
    a = _release("q1", "2021-Q1", _printed(q1, vd), _printed(g_q1, gd, True))
    b = _release("jan-apr", "2021-01/2021-04", _printed(ytd, vd), _printed(g_ytd, gd, True))
    r = series([a, b]).periods.set_index("period").loc["2021-04"]
    true_value = ytd - q1
    true_growth = true_value / (base_ytd - base_q1) - 1
    tol = SLACK * max(1.0, abs(ytd))
    assert r["value_low"] - tol <= true_value <= r["value_high"] + tol
    if r["growth_low"] == r["growth_low"]:  # NaN where the base of April may be zero
        gtol = SLACK * max(1.0, abs(true_growth))
        assert r["growth_low"] - gtol <= true_growth <= r["growth_high"] + gtol
        assert r["base_low"] - tol <= base_ytd - base_q1 <= r["base_high"] + tol


@settings(max_examples=40, deadline=None)
@given(two_cumulatives())
def test_the_period_a_later_release_implies_lies_inside_its_bounds(case):
    # the later release prints January-April and April; Q1 as it implies it is their difference
    q1, ytd, base_q1, base_ytd, vd, gd = case
    april, base_april = ytd - q1, base_ytd - base_q1
    g_ytd, g_april = ytd / base_ytd - 1, april / base_april - 1
    early = _release("q1", "2021-Q1", _printed(q1, vd), _printed(q1 / base_q1 - 1, gd, True))
    text = (
        '[release]\nid = "jan-apr"\npublisher = "P"\nunit = "billion yuan"\n\n[[figures]]\n'
        f'id = "total"\nperiod = "2021-01/2021-04"\nvalue = "{_printed(ytd, vd)}"\n'
        f'yoy = "{_printed(g_ytd, gd, True)}"\n\n[[figures]]\nid = "april"\nseries = "total"\n'
        f'period = "2021-04"\nvalue = "{_printed(april, vd)}"\n'
        f'yoy = "{_printed(g_april, gd, True)}"\n'
    )
    later = loads(text, source="jan-apr")
    r = series([early, later]).revisions.set_index("period").loc["2021-Q1"]
    tol = SLACK * max(1.0, abs(ytd))
    assert r["later_low"] - tol <= q1 <= r["later_high"] + tol
    # the revision of a figure that was not revised is zero, inside its bounds
    assert r["revision_low"] - tol <= 0.0 <= r["revision_high"] + tol
    assert r["value_status"] != "inconsistent"
