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

from tradecalc.model.published import half_width

CONSISTENT = "consistent"
WITHIN_ROUNDING = "consistent within rounding"
INCONSISTENT = "inconsistent"
NOT_CHECKABLE = "not checkable"
STATUSES = (CONSISTENT, WITHIN_ROUNDING, INCONSISTENT, NOT_CHECKABLE)


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def agree(computed: float, stated: float, decimals, percent: bool = False) -> bool:
    """Does ``computed`` print as ``stated`` at the stated precision (|c − s| ≤ half a printed digit)?"""
    if _missing(decimals):
        return math.isclose(computed, stated, rel_tol=1e-9, abs_tol=1e-12)
    return abs(computed - stated) <= half_width(decimals, percent) * (1 + 1e-9)


def judge(stated, s_lo, s_hi, computed, c_lo, c_hi, decimals, percent: bool = False) -> str:
    """The status of a stated number against an implied one, each with its interval."""
    if _missing(stated) or _missing(computed):
        return NOT_CHECKABLE
    if agree(computed, stated, decimals, percent):
        return CONSISTENT
    if not any(_missing(x) for x in (s_lo, s_hi, c_lo, c_hi)) and s_lo <= c_hi and c_lo <= s_hi:
        return WITHIN_ROUNDING
    return INCONSISTENT
