"""Checks of stated relations: conversions, pp differences, shares, share changes, changes.

A statement whose other side is in the release is judged (Belt and Road
"+23.6%, 5.2 points above" the total's +21.4% is 2.2 points above:
inconsistent); one whose other side is not (a national rate named only in the
text) is reported as the figure it implies.
"""

from __future__ import annotations

import numpy as np

from tradecalc.analysis import status as st
from tradecalc.analysis.checks.context import Context, Num, factor, signed_percent
from tradecalc.analysis.checks.kinds import CheckId, implied_row, judged_row, row
from tradecalc.analysis.checks.kinds import CheckKind as K
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.published import currency_of, scale_of


def _stated(s, *, percent=False):
    lo, hi = bd.interval(
        s.value, np.nan if s.value_decimals is None else float(s.value_decimals), percent=percent
    )
    return s.value, lo, hi, np.nan if s.value_decimals is None else float(s.value_decimals)


def _stated_num(s, *, percent=False) -> Num:
    """The statement's number as an interval (its rounding; a statement has no qualifier)."""
    return Num(*_stated(s, percent=percent))


def statements(ctx: Context) -> list[list]:
    """One check row per stated relation of the release, by its kind's handler in :data:`HANDLERS`."""
    out = []
    for s in ctx.release.statements:
        f = ctx.by_id[s.figure]
        out.append(HANDLERS[s.kind](ctx, s, f))
    return out


def pp_difference(ctx, s, f):
    """The check row of "N points above": against the reference figure's growth, else the growth it implies."""
    ref = ctx.by_id.get(s.reference)
    if ref is not None and ref is not f:
        return _pp_judged(ctx, s, f, ref)
    cid = CheckId(K.PP_IMPLIED, s.id)
    if np.isnan(f.yoy):
        return row(
            cid, [f.id], s.reference, "fraction", st.NOT_CHECKABLE, note=f"{f.id} has no growth"
        )
    r = ar.reference_rate(f.yoy, s.value)
    Y = ctx.yoy(f)
    sv, s_lo, s_hi, _ = _stated(s)
    lo, hi = Y.low - s_hi / 100.0, Y.high - s_lo / 100.0
    return implied_row(
        cid,
        [f.id],
        f"implied {s.reference or 'reference growth'}: {f.id}'s growth minus {s.value:g} pp",
        "fraction",
        r,
        lo,
        hi,
        note="implied figure: the release states nothing to compare it with",
    )


def _pp_judged(ctx, s, f, ref):
    cid = CheckId(K.PP_JUDGED, s.id)
    desc = f"{f.id}'s growth minus {ref.id}'s, stated as {s.value:g} points"
    if np.isnan(f.yoy) or np.isnan(ref.yoy):
        return row(
            cid,
            [f.id, ref.id],
            desc,
            "pp",
            st.NOT_CHECKABLE,
            stated=s.value,
            note=f"no growth for {', '.join(x.id for x in (f, ref) if np.isnan(x.yoy))}",
        )
    A, B = ctx.yoy(f), ctx.yoy(ref)
    c = float(ar.pp(A.value, B.value))
    lo, hi = 100.0 * (A.low - B.high), 100.0 * (A.high - B.low)
    S = _stated_num(s)
    return judged_row(
        cid,
        [f.id, ref.id],
        desc,
        "pp",
        S,
        c,
        lo,
        hi,
        if_inconsistent=f"{f.id} {signed_percent(A.value, A.decimals)} and "
        f"{ref.id} {signed_percent(B.value, B.decimals)} "
        f"are {c:.{_pp_digits(S.decimals)}f} points apart",
    )


def _pp_digits(decimals) -> int:
    """Digits to print a pp difference with: those of the stated one (at least 1)."""
    return 1 if np.isnan(decimals) else max(int(decimals), 1)


def conversion(ctx, s, f):
    """The exchange rate a value and its converted value imply, the units' multipliers applied."""
    cid = CheckId(K.EXCHANGE_RATE, s.id)
    per = f"{currency_of(f.unit)} per {currency_of(s.unit)}"
    V = ctx.value(f)
    k = scale_of(f.unit) / scale_of(s.unit or f.unit)  # 2.99 trillion / 467.87 billion: ×1000
    sv, s_lo, s_hi, _ = _stated(s)
    rate = float(ar.implied_rate(V.value * k, sv, errors="nan"))
    lo, hi = bd.box_bounds(ar.implied_rate, (V.low * k, s_lo), (V.high * k, s_hi), nonzero=(1,))
    about = "about " if s.approximate else ""
    return implied_row(
        cid,
        [f.id],
        f"{f.id} {f.value:g} {f.unit} {about}{s.value:g} {s.unit}: {per}",
        per,
        rate,
        lo,
        hi,
        note="implied figure; compare it with the official rate of the period"
        + ("; the converted value is approximate" if s.approximate else ""),
    )


def _parent(ctx, f):
    return ctx.by_id.get(f.parent) if f.parent else None


def _other_currency(cid, s, f, other_unit, unit, what) -> list | None:
    """The row of a statement whose figures are in two currencies (no rate to convert with), or None.

    A release file refuses these (release.validate); this guards a release built
    otherwise, so no number in one currency is compared with one in another.
    """
    if not np.isnan(factor(f.unit, other_unit)):
        return None
    return row(
        cid,
        [f.id],
        what,
        unit,
        st.NOT_CHECKABLE,
        stated=s.value,
        note=f"{f.id} is in {f.unit!r}, {other_unit!r} is another currency: "
        "no exchange rate to convert with",
    )


def share(ctx, s, f):
    """A stated share of a figure in its parent (the parent's value, or the sum of its parts)."""
    cid = CheckId(K.SHARE, s.id)
    parent = _parent(ctx, f)
    sv, s_lo, s_hi, sd = _stated(s, percent=True)
    if parent is not None and (
        foreign := _other_currency(cid, s, f, parent.unit, "fraction", f"share of {f.id}")
    ):
        return foreign
    P, how, summed = ctx.whole(parent) if parent is not None else (None, "", "")
    if parent is None or np.isnan(f.value) or P is None:
        return row(
            cid,
            [f.id],
            f"share of {f.id}",
            "fraction",
            st.NOT_CHECKABLE,
            stated=sv,
            note="no parent value to compute the share from" + (f" ({how})" if how else ""),
        )
    V = ctx.value(f, parent.unit)
    c = float(ar.share(V.value, P.value, errors="nan"))
    lo, hi = bd.box_bounds(ar.share, (V.low, P.low), (V.high, P.high), nonzero=(1,))
    if summed and f.breakdown == summed and V.low > 0 and P.low - V.high > 0:
        # the whole is the sum of the parts, this part among them: it moves with the whole.
        # v / (v + rest) rises with v and falls with the rest, so the extremes pair them:
        rest_lo, rest_hi = P.low - V.low, P.high - V.high
        lo, hi = V.low / (V.low + rest_hi), V.high / (V.high + rest_lo)
    desc = f"stated share of {f.id} in {parent.id}"
    if np.isnan(c) or np.isnan(lo):
        return row(
            cid,
            [f.id, parent.id],
            desc,
            "fraction",
            st.NOT_CHECKABLE,
            stated=sv,
            computed=c,
            note=f"{parent.id}'s value may be zero as printed: no share can be computed",
        )
    return judged_row(
        cid,
        [f.id, parent.id],
        desc,
        "fraction",
        Num(sv, s_lo, s_hi, sd),
        c,
        lo,
        hi,
        percent=True,
        approximate=_q(V, P),
        note=how,
    )


def _q(*nums) -> bool:
    """Does the implied number rest on a qualified figure ("more than 800")?"""
    return any(n.qualifier for n in nums)


def share_change(ctx, s, f):
    """ "47.2% of the total, 4.1 percentage points more than a year earlier": points."""
    cid = CheckId(K.SHARE_CHANGE, s.id)
    parent = _parent(ctx, f)
    sv, s_lo, s_hi, sd = _stated(s)
    what = f"stated change of {f.id}'s share, points"
    if parent is not None and (foreign := _other_currency(cid, s, f, parent.unit, "pp", what)):
        return foreign
    need = (
        []
        if parent is None
        else [x.id for x in (f, parent) if np.isnan(x.value) or np.isnan(x.yoy)]
    )
    if parent is None or need:
        note = (
            "no parent to compute the share from"
            if parent is None
            else f"no value or growth for {', '.join(need)}"
        )
        return row(
            cid,
            [f.id],
            f"stated change of {f.id}'s share, points",
            "pp",
            st.NOT_CHECKABLE,
            stated=sv,
            note=note,
        )
    V, VY, P, PY = ctx.value(f, parent.unit), ctx.yoy(f), ctx.value(parent), ctx.yoy(parent)
    c = float(ar.share_change_pp(V.value, VY.value, P.value, PY.value, errors="nan"))
    lo, hi = bd.box_bounds(
        ar.share_change_pp,
        (V.low, VY.low, P.low, PY.low),
        (V.high, VY.high, P.high, PY.high),
        nonzero=(2,),
    )
    desc = f"stated change of {f.id}'s share in {parent.id}, points"
    if np.isnan(c) or np.isnan(lo):
        return row(
            cid,
            [f.id, parent.id],
            desc,
            "pp",
            st.NOT_CHECKABLE,
            stated=sv,
            computed=c,
            note=f"{parent.id}'s value may be zero as printed: no share can be computed",
        )
    return judged_row(
        cid,
        [f.id, parent.id],
        desc,
        "pp",
        Num(sv, s_lo, s_hi, sd),
        c,
        lo,
        hi,
        approximate=_q(V, VY, P, PY),
    )


def change(ctx, s, f):
    """ "69.15 billion yuan higher than 2020": value minus its base, in the figure's unit."""
    cid = CheckId(K.CHANGE, s.id)
    if s.unit and (
        foreign := _other_currency(cid, s, f, s.unit, f.unit, f"stated change of {f.id}")
    ):
        return foreign
    k = factor(s.unit or f.unit, f.unit)
    sv, s_lo, s_hi, sd = _stated(s)
    sv, s_lo, s_hi = sv * k, s_lo * k, s_hi * k
    desc = f"stated change of {f.id} on a year earlier ({s.value:g} {s.unit or f.unit})"
    if np.isnan(f.value) or np.isnan(f.yoy):
        return row(
            cid,
            [f.id],
            desc,
            f.unit,
            st.NOT_CHECKABLE,
            stated=sv,
            note=f"{f.id} needs a value and a growth",
        )
    V, Y = ctx.value(f), ctx.yoy(f)
    c = float(ar.change(V.value, Y.value, errors="nan"))
    lo, hi = bd.box_bounds(ar.change, (V.low, Y.low), (V.high, Y.high))
    # the stated change is printed in its own unit: agree at its precision, converted
    status = (
        st.judge_interval(s_lo, s_hi, c, lo, hi)
        if k != 1.0
        else st.judge(sv, s_lo, s_hi, c, lo, hi, sd, approximate=_q(V, Y))
    )
    return row(
        cid,
        [f.id],
        desc,
        f.unit,
        status,
        stated=sv,
        computed=c,
        low=lo,
        high=hi,
        tolerance=(hi - lo) / 2 + (s_hi - s_lo) / 2,
    )


HANDLERS = {
    "pp_difference": pp_difference,
    "conversion": conversion,
    "share": share,
    "share_change_pp": share_change,
    "change": change,
}
