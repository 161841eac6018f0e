"""The status rule for intervals (qualified figures), residuals and parts: tradecalc.analysis.status."""

from __future__ import annotations

import math

from tradecalc.analysis import status as st


def test_a_qualified_stated_figure_is_judged_on_its_interval():
    # "exceeding 800" is (800, 900]: 850 lies inside; 800.0 exactly is not above 800 but the parts may reach 800.1
    assert st.judge(800, 800, 900, 850, 849, 851, 0, qualifier="exceeding") == st.CONSISTENT
    assert (
        st.judge(800, 800, 900, 800.0, 799.9, 800.1, 0, qualifier="exceeding") == st.WITHIN_ROUNDING
    )
    assert st.judge(800, 800, 900, 799.0, 798.9, 799.1, 0, qualifier="exceeding") == st.INCONSISTENT
    # unqualified, the same numbers print as the stated 800: consistent
    assert st.judge(800, 799.5, 800.5, 800.0, 799.9, 800.1, 0) == st.CONSISTENT


def test_touching_an_open_end_is_not_meeting_it():
    # "more than 800" is (800, 900]: parts that add up to exactly 800 (printed exact) cannot be
    # more than 800, so the intervals do not meet; a hair above 800 they do
    assert st.judge(800, 800, 900, 800.0, 800.0, 800.0, 0, qualifier="more than") == st.INCONSISTENT
    assert st.judge(800, 800, 900, 790.0, 700.0, 800.0, 0, qualifier="over") == st.INCONSISTENT
    assert st.judge(800, 800, 900, 790.0, 700.0, 800.5, 0, qualifier="over") == st.WITHIN_ROUNDING
    # "less than 800" is [700, 800): an implied [800, 810] cannot be less than 800
    assert st.judge(800, 700, 800, 805.0, 800.0, 810.0, 0, qualifier="less than") == st.INCONSISTENT
    # closed ends still meet when they touch: "at least 800" is [800, 900]
    assert (
        st.judge(800, 800, 900, 790.0, 700.0, 800.0, 0, qualifier="at least") == st.WITHIN_ROUNDING
    )
    # and an implied number resting on a qualified figure, against "more than 800"
    assert (
        st.judge(800, 800, 900, 790.0, 700.0, 800.0, 0, qualifier="more than", approximate=True)
        == st.INCONSISTENT
    )


def test_an_implied_number_resting_on_a_qualified_figure_is_at_best_within_rounding():
    assert (
        st.judge(0.623, 0.6225, 0.6235, 0.623, 0.60, 0.65, 1, percent=True, approximate=True)
        == st.WITHIN_ROUNDING
    )
    assert (
        st.judge(0.623, 0.6225, 0.6235, 0.70, 0.69, 0.71, 1, percent=True, approximate=True)
        == st.INCONSISTENT
    )


def test_residual_and_part_rules():
    assert st.judge_nonnegative(0.18, 0.16, 0.20) == st.CONSISTENT
    assert (
        st.judge_nonnegative(-0.08, -0.25, 0.085) == st.WITHIN_ROUNDING
    )  # Chongqing's other ownership types
    assert st.judge_nonnegative(-2.0, -2.2, -1.8) == st.INCONSISTENT
    assert st.judge_nonnegative(math.nan, 0, 1) == st.NOT_CHECKABLE
    assert st.judge_at_most(50.17, 50.165, 180.24, 180.245) == st.CONSISTENT
    assert st.judge_at_most(180.25, 180.245, 180.24, 180.245) == st.WITHIN_ROUNDING
    assert st.judge_at_most(190.17, 190.165, 180.24, 180.245) == st.INCONSISTENT


def test_check_kinds_have_unique_codes_and_ids_are_built_not_parsed():
    from tradecalc.analysis.checks import CheckId, CheckKind

    codes = [k.code for k in CheckKind]
    assert len(codes) == len(set(codes))
    assert str(CheckId(CheckKind.PARTS_GROWTH, "flow-march")) == "flow-march:growth"
    assert (
        str(CheckId(CheckKind.REST_VALUE, "total", "2021-01/2021-02"))
        == "total:2021-01/2021-02:value"
    )
    assert str(CheckId(CheckKind.SHARE, "export-share")) == "export-share"


def test_a_missing_bound_is_not_checkable_not_inconsistent():
    """A growth whose base may be zero has no finite bound: 26.6% against 30% is unknown."""
    from tradecalc.analysis.status import INCONSISTENT, NOT_CHECKABLE, judge

    assert (
        judge(0.266, 0.2655, 0.2665, 0.30, float("nan"), float("nan"), 1, percent=True)
        == NOT_CHECKABLE
    )
    # with finite bounds that miss the stated interval it stays inconsistent
    assert judge(0.266, 0.2655, 0.2665, 0.30, 0.29, 0.31, 1, percent=True) == INCONSISTENT
