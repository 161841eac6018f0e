"""Checks across periods: the rest of a period outside a sub-period; growth on an earlier period.

Sub-periods: within a series, a period minus a sub-period that shares its
start or its end is the rest ("Q1 minus March" is January-February). When the
release states a figure for the rest (January-November minus January-October
is November, and November is printed), the rest is judged against it.

Growth on an earlier period: either the same months of an earlier year
("+37% on Q1 2019": multi-year growth) or the period just before, of the same
length ("+4.2% on March": month-on-month, quarter-on-quarter). The two are
kept apart; only the first has an average annual growth.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from tradecalc.analysis import status as st
from tradecalc.analysis.checks.context import Context, difference_growth, factor, signed_percent
from tradecalc.analysis.checks.kinds import CheckId, implied_cells, implied_row, judged_row, row
from tradecalc.analysis.checks.kinds import CheckKind as K
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.model.release import earlier_kind


def sub_periods(ctx: Context) -> list[list]:
    """Rest checks for every series, linear in the figures of a series.

    For each period, the largest sub-period sharing its start and the largest
    sharing its end (found through indexes, not by comparing every pair);
    other sub-periods only where the release states a figure for their rest.
    """
    out: list[list] = []
    for series, figs in ctx.by_series.items():
        by_period: dict[Period, object] = {}
        by_start: dict[int, list] = {}
        by_end: dict[int, list] = {}
        for f in figs:
            p = f.period_range
            by_period.setdefault(p, f)
            by_start.setdefault(p.start, []).append((p.end, f))
            by_end.setdefault(p.end, []).append((-p.start, f))
        for lst in (*by_start.values(), *by_end.values()):
            lst.sort(key=lambda t: t[0])
        for a in figs:
            pa = a.period_range
            subs = []
            for lst, bigger in (
                (by_start.get(pa.start, ()), lambda s: s.period_range.end < pa.end),
                (by_end.get(pa.end, ()), lambda s: s.period_range.start > pa.start),
            ):
                inside = [s for _, s in lst if s is not a and bigger(s)]
                if not inside:
                    continue
                subs.append(inside[-1])  # the largest proper sub-period on this side
                subs += [s for s in inside[:-1] if (pa - s.period_range) in by_period]
            for sub in subs:
                out += _rest(ctx, series, a, sub, by_period.get(pa - sub.period_range))
    return out


def _rest(ctx, series, a, sub, stated) -> list[list]:
    pa, pb = a.period_range, sub.period_range
    rest = pa - pb
    rest_name = rest.label
    aspect = str(rest)
    ids = [a.id, sub.id] + ([stated.id] if stated is not None else [])
    unit = a.unit
    k = factor(sub.unit, unit)
    desc = f"{series}, {rest_name}: {a.id} ({pa.label}) minus {sub.id} ({pb.label})"
    kind = K.REST_STATED if stated is not None else K.REST_VALUE
    cid = CheckId(kind, series, aspect)
    if np.isnan(a.value) or np.isnan(sub.value) or np.isnan(k):
        note = (
            "a value is missing"
            if not np.isnan(k)
            else f"{sub.id} is in another currency ({sub.unit})"
        )
        return [row(cid, ids, f"{series}, {rest_name}", unit, st.NOT_CHECKABLE, note=note)]
    A, S = ctx.value(a), ctx.value(sub, unit)
    v = A.value - S.value
    lo, hi = A.low - S.high, A.high - S.low
    balance = a.flow == "balance"
    if (
        stated is not None
        and not np.isnan(stated.value)
        and not np.isnan(factor(stated.unit, unit))
    ):
        out = [
            judged_row(
                cid,
                ids,
                f"{desc}, against {stated.id} as stated",
                unit,
                ctx.value(stated, unit),
                v,
                lo,
                hi,
                approximate=bool(A.qualifier or S.qualifier),
                if_inconsistent=f"{a.id} minus {sub.id} cannot be {stated.id} as printed",
            )
        ]
    else:
        cid = CheckId(K.REST_VALUE, series, aspect)
        status = st.NOT_CHECKABLE if balance else st.judge_nonnegative(v, lo, hi)
        note = (
            "a balance: the rest may be of either sign; implied figure"
            if balance
            else ("" if status != st.INCONSISTENT else "the sub-period exceeds the period")
        )
        if stated is not None and not np.isnan(stated.value):  # stated, but not comparable
            why = f"{stated.id} is in another currency ({stated.unit}): not compared"
            note = "; ".join(x for x in (note, why) if x)
        out = [
            row(
                cid,
                ids,
                desc,
                unit,
                status,
                computed=v,
                low=lo,
                high=hi,
                tolerance=(hi - lo) / 2,
                note=note,
            )
        ]
    if np.isnan(a.yoy) or np.isnan(sub.yoy):
        return out
    AY, SY = ctx.yoy(a), ctx.yoy(sub)
    g, g_lo, g_hi = difference_growth(A, AY, S, SY)
    # the highest base the rest can have: the period's highest base minus the sub-period's lowest
    b_hi = float(bd.base_interval_bounds(A.low, A.high, AY.low, AY.high)[1]) - float(
        bd.base_interval_bounds(S.low, S.high, SY.low, SY.high)[0]
    )
    gdesc = f"{series}, {rest_name}: year-on-year growth implied"
    if stated is not None and not np.isnan(stated.yoy):
        out.append(
            judged_row(  # an unbounded growth (NaN bounds) has a NaN tolerance
                CheckId(K.REST_GROWTH_STATED, series, aspect),
                ids,
                f"{gdesc}, against {stated.id}'s stated growth",
                "fraction",
                ctx.yoy(stated),
                g,
                g_lo,
                g_hi,
                percent=True,
                approximate=any(x.qualifier for x in (A, S, AY, SY)),
                note=""
                if not np.isnan(g_lo)
                else "the rest's base may be zero: the growth cannot be bounded",
            )
        )
        return out
    gcid = CheckId(K.REST_GROWTH, series, aspect)
    if np.isnan(g) or np.isnan(g_lo):
        if b_hi < 0 and not balance:
            gs, note = st.INCONSISTENT, "the sub-period's base exceeds the period's base"
        else:
            gs, note = st.NOT_CHECKABLE, "the rest's base may be zero: no growth rate"
    else:
        gs, note = st.CONSISTENT, ""
    out.append(
        row(
            gcid,
            ids,
            gdesc,
            "fraction",
            gs,
            computed=g,
            low=g_lo,
            high=g_hi,
            tolerance=(g_hi - g_lo) / 2 if not np.isnan(g_lo) else np.nan,
            note=note,
        )
    )
    return out


def earlier_growth(ctx: Context) -> list[list]:
    """Rows implied by growth on an earlier period, for all such figures at once (vectorised)."""
    given = np.flatnonzero(~np.isnan(ctx.earlier_values()))  # the few with such a growth
    figs = [f for f in (ctx.figures[i] for i in given) if f.earlier_period and f.period]
    if not figs:
        return []
    pn = [f.period_range for f in figs]
    pe = [Period.parse(f.earlier_period) for f in figs]
    kinds = [earlier_kind(a, b) for a, b in zip(pn, pe)]
    V, E, Y = ctx.values(figs), ctx.earliers(figs), ctx.yoys(figs)
    v, v_lo, v_hi = V.value, V.low, V.high
    g, g_lo, g_hi = E.value, E.low, E.high
    y, y_lo, y_hi = Y.value, Y.low, Y.high
    e_decimals = E.decimals.tolist()
    stated_at = _stated_by_series_period(ctx) if "previous" in kinds else {}
    years = np.array([a.years_after(b) for a, b in zip(pn, pe)])
    level = np.atleast_1d(ar.base(v, g, errors="nan"))
    l_lo, l_hi = (np.atleast_1d(x) for x in bd.base_interval_bounds(v_lo, v_hi, g_lo, g_hi))
    avg = np.atleast_1d(ar.average_growth(g, years, errors="nan"))
    a_lo = np.atleast_1d(ar.average_growth(g_lo, years, errors="nan"))
    a_hi = np.atleast_1d(ar.average_growth(g_hi, years, errors="nan"))
    prior = np.atleast_1d(ar.prior_growth(g, y, errors="nan"))
    p_lo, p_hi = (
        np.atleast_1d(x) for x in bd.box_bounds(ar.prior_growth, (g_lo, y_lo), (g_hi, y_hi))
    )
    # as lists of floats: the loop below reads 10^4 of each at 10^5 figures, and a numpy
    # element read is an object made each time (the same numbers)
    level, l_lo, l_hi, avg, a_lo, a_hi, prior, p_lo, p_hi, years = (
        x.tolist() for x in (level, l_lo, l_hi, avg, a_lo, a_hi, prior, p_lo, p_hi, years)
    )
    out = []
    for i, f in enumerate(figs):
        printed_g = signed_percent(f.earlier_growth, e_decimals[i])
        if kinds[i] == "previous":
            stated = stated_at.get((f.series, pe[i])) if f.series else None
            out.append(
                _previous_level(ctx, f, pe[i], printed_g, level[i], l_lo[i], l_hi[i], stated)
            )
            continue
        label, fid = pe[i].label, f.id
        ids = [fid]
        # implied_row's rows, made from the check's parts (10^4 figures at 10^5: see implied_cells)
        out.append(
            implied_cells(
                K.EARLIER_LEVEL.check_text(fid),
                K.EARLIER_LEVEL,
                fid,
                "",
                ids,
                f"{fid}: level in {label} implied by {printed_g} on it",
                f.unit,
                level[i],
                l_lo[i],
                l_hi[i],
                "implied figure",
            )
        )
        out.append(
            implied_cells(
                K.AVERAGE_GROWTH.check_text(fid),
                K.AVERAGE_GROWTH,
                fid,
                "",
                ids,
                f"{fid}: average annual growth over {years[i]:g} years",
                "fraction",
                avg[i],
                a_lo[i],
                a_hi[i],
                "implied figure",
            )
        )
        if not math.isnan(f.yoy):
            mid = _year_before(pn[i])
            out.append(
                implied_cells(
                    K.PRIOR_GROWTH.check_text(fid),
                    K.PRIOR_GROWTH,
                    fid,
                    "",
                    ids,
                    f"{fid}: growth of {mid.label} on {label} implied by the two rates",
                    "fraction",
                    prior[i],
                    p_lo[i],
                    p_hi[i],
                    "implied figure",
                )
            )
    return out


@functools.lru_cache(maxsize=256)
def _year_before(period: Period) -> Period:
    """The period a year before ``period``, one object per period (its label is worked out once)."""
    return Period(period.start - 12, period.end - 12)


def _stated_by_series_period(ctx) -> dict:
    """(series, period) → the first figure of the series printed with a value for that period.

    One index for every month-on-month growth, not a scan of the series per figure
    (quadratic in a long monthly series).
    """
    out: dict = {}
    for series, figs in ctx.by_series.items():
        for x in figs:
            if not np.isnan(x.value):
                out.setdefault((series, x.period_range), x)
    return out


def _previous_level(ctx, f, pe, printed_g, level, lo, hi, stated):
    """The previous period's level implied by month-on-month growth; judged against ``stated``
    (the series' figure for the previous period, or None)."""
    how = {1: "month-on-month", 3: "quarter-on-quarter", 6: "half-on-half"}.get(
        f.period_range.months, "on the previous period"
    )
    cid = CheckId(K.PREVIOUS_LEVEL, f.id)
    desc = f"{f.id}: level in {pe.label} implied by {printed_g} on it ({how} growth)"
    if stated is not None and not np.isnan(factor(stated.unit, f.unit)):
        return judged_row(
            cid,
            [f.id, stated.id],
            f"{desc}, against {stated.id} as stated",
            f.unit,
            ctx.value(stated, f.unit),
            level,
            lo,
            hi,
            approximate=bool(ctx.value(f).qualifier),
            note=f"growth on the previous period ({how}), not on a year earlier",
        )
    return implied_row(
        cid,
        [f.id],
        desc,
        f.unit,
        level,
        lo,
        hi,
        note=f"implied figure; growth on the previous period ({how}), not on a year earlier",
    )
