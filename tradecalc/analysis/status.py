"""The status rule: one place that says whether a stated number reconciles with an implied one.

Statuses, strongest first:

* ``consistent``: the implied number prints as the stated one at the published precision;
* ``consistent within rounding``: it does not, but some true values inside the rounding
  boxes of the printed figures reconcile them (the stated and implied intervals overlap);
* ``inconsistent``: no values inside the published precision explain the difference;
* ``not checkable``: a number is missing, or nothing is stated to compare with.

Example, Chongqing Q1 2021: the March bases of exports and imports add up to 44.14 against
the total's 44.12 implied by 64.06 (+45.2%); 44.14 does not print as 44.12, but the parts'
bases may lie anywhere in [43.73, 44.55] at the printed precision, so the status is
``consistent within rounding``.
"""

from __future__ import annotations

import math

from tradecalc.calc.bounds import OPEN_HIGH, OPEN_LOW
from tradecalc.model.published import half_width, is_nan

CONSISTENT = "consistent"
WITHIN_ROUNDING = "consistent within rounding"
INCONSISTENT = "inconsistent"
NOT_CHECKABLE = "not checkable"
STATUSES = (CONSISTENT, WITHIN_ROUNDING, INCONSISTENT, NOT_CHECKABLE)


def agree(computed: float, stated: float, decimals, percent: bool = False) -> bool:
    """Does ``computed`` print as ``stated`` at its precision (|c − s| ≤ half a printed digit)?"""
    if is_nan(decimals):
        return math.isclose(computed, stated, rel_tol=1e-9, abs_tol=1e-12)
    return abs(computed - stated) <= half_width(decimals, percent) * (1 + 1e-9)


def judge(
    stated,
    s_lo,
    s_hi,
    computed,
    c_lo,
    c_hi,
    decimals,
    percent: bool = False,
    qualifier: str = "",
    approximate: bool = False,
) -> str:
    """The status of a stated number against an implied one, each with its interval.

    A stated number printed with a qualifier ("more than 800", "about 700")
    stands for its interval ``[s_lo, s_hi]`` (see
    :func:`tradecalc.calc.bounds.qualified_interval`), not for itself: the
    implied number is consistent when it lies inside (strictly, at an open
    end: 800.0 is not "more than 800"), within rounding when the intervals
    meet.

    ``approximate``: the implied number rests on a qualified figure (a share of
    a total printed as "more than 800"); its point value means little, so it
    is at best ``consistent within rounding`` (the intervals meet).
    """
    if is_nan(stated) or is_nan(computed):
        return NOT_CHECKABLE
    if approximate:
        ends = {"open_low": qualifier in OPEN_LOW, "open_high": qualifier in OPEN_HIGH}
        return WITHIN_ROUNDING if _meet(s_lo, s_hi, c_lo, c_hi, **ends) else INCONSISTENT
    if qualifier:
        return judge_interval(
            s_lo,
            s_hi,
            computed,
            c_lo,
            c_hi,
            open_low=qualifier in OPEN_LOW,
            open_high=qualifier in OPEN_HIGH,
        )
    if agree(computed, stated, decimals, percent):
        return CONSISTENT
    if any(is_nan(x) for x in (s_lo, s_hi, c_lo, c_hi)):
        # No finite bound (a growth whose base may be zero): any value is possible, so a
        # number that does not print as the stated one is unknown, not contradicted.
        return NOT_CHECKABLE
    if _meet(s_lo, s_hi, c_lo, c_hi):
        return WITHIN_ROUNDING
    return INCONSISTENT


def _meet(s_lo, s_hi, c_lo, c_hi, *, open_low: bool = False, open_high: bool = False) -> bool:
    """Do the stated and implied intervals share a value? At an open end of the stated one
    ("more than 800" is (800, 900]) touching is not meeting: an implied [700, 800] cannot be
    more than 800."""
    if any(is_nan(x) for x in (s_lo, s_hi, c_lo, c_hi)):
        return False
    low_ok = c_hi > s_lo if open_low else s_lo <= c_hi
    high_ok = c_lo < s_hi if open_high else c_lo <= s_hi
    return low_ok and high_ok


def judge_interval(
    s_lo, s_hi, computed, c_lo, c_hi, *, open_low: bool = False, open_high: bool = False
) -> str:
    """A stated interval against an implied number and its interval.

    ``consistent`` when the implied number lies in the stated interval,
    ``consistent within rounding`` when only the intervals meet.
    """
    if is_nan(computed) or is_nan(s_lo) or is_nan(s_hi):
        return NOT_CHECKABLE
    tol = (
        1e-9 * max(abs(s_lo), abs(s_hi), 1e-300)
        if math.isfinite(s_lo) and math.isfinite(s_hi)
        else 1e-12
    )
    above = computed > s_lo if open_low else computed >= s_lo - tol
    below = computed < s_hi if open_high else computed <= s_hi + tol
    if above and below:
        return CONSISTENT
    if _meet(s_lo, s_hi, c_lo, c_hi, open_low=open_low, open_high=open_high):
        return WITHIN_ROUNDING
    return INCONSISTENT


def judge_nonnegative(computed, low, high) -> str:
    """A level the release implies but does not state (a residual, the rest of a period).

    ``consistent`` when it is zero or more, ``consistent within rounding`` when
    only its upper bound is (rounding can explain a small negative), else
    ``inconsistent`` (the listed parts exceed the total whatever the rounding).
    """
    if is_nan(computed):
        return NOT_CHECKABLE
    if computed >= 0:
        return CONSISTENT
    if not is_nan(high) and high >= 0:
        return WITHIN_ROUNDING
    return INCONSISTENT


def judge_at_most(part, part_low, whole, whole_high) -> str:
    """A part of an overlapping breakdown against its whole: no larger, within rounding, larger."""
    if is_nan(part) or is_nan(whole):
        return NOT_CHECKABLE
    if part <= whole:
        return CONSISTENT
    if not is_nan(part_low) and not is_nan(whole_high) and part_low <= whole_high:
        return WITHIN_ROUNDING
    return INCONSISTENT
