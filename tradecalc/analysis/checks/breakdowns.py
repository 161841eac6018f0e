"""Checks of a breakdown against its parent: complete, partial (residual), overlapping.

Parts printed in another multiple of the parent's currency ("700 billion" under
"1.83 trillion") are converted exactly; every interval is the figure's own
(its rounding or its qualifier).

Example, Chongqing March 2021: exports 40.06 (+57.5%) and imports 24 (+28.3%)
grew 45.13% together; as printed they may have grown 44.93% to 45.33%, and the
total's "+45.2%" [45.15%, 45.25%] lies inside: consistent within rounding.
"""

from __future__ import annotations

import numpy as np

from tradecalc.analysis import status as st
from tradecalc.analysis.checks.context import Context, printed
from tradecalc.analysis.checks.kinds import CheckId, row
from tradecalc.analysis.checks.kinds import CheckKind as K
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd


def _arrays(nums):
    return (
        np.array([n.value for n in nums]),
        np.array([n.low for n in nums]),
        np.array([n.high for n in nums]),
    )


def _widest(figs, intervals):
    """The figure whose interval is widest: the one whose rounding matters most."""
    best, width = None, -1.0
    for f, (lo, hi) in zip(figs, intervals):
        if not (np.isnan(lo) or np.isnan(hi)) and hi - lo > width:
            best, width = f, hi - lo
    return best


def _qualified(*nums) -> str:
    """The qualifier of the first qualified number involved ("" when none is)."""
    return next((n.qualifier for n in nums if n.qualifier), "")


def _is_balance(parent, parts) -> bool:
    return parent.flow == "balance" or any(p.value < 0 for p in parts if not np.isnan(p.value))


def complete(ctx: Context, b, parent, parts) -> list[dict]:
    ids = [parent.id] + [p.id for p in parts]
    name = b.label or b.id
    unit = parent.unit
    P = ctx.value(parent)
    vals = [ctx.value(p, unit) for p in parts]
    out = []
    missing = [p.id for p, n in zip(parts, vals) if np.isnan(n.value)]
    if missing or np.isnan(P.value):
        out.append(
            row(
                CheckId(K.PARTS_SUM, b.id),
                ids,
                f"{name}: parts add up to {parent.label or parent.id}",
                unit,
                st.NOT_CHECKABLE,
                note=f"no value for {', '.join(missing or [parent.id])}",
            )
        )
    else:
        v, lo, hi = _arrays(vals)
        total, c_lo, c_hi = float(np.sum(v)), float(np.sum(lo)), float(np.sum(hi))
        out.append(
            row(
                CheckId(K.PARTS_SUM, b.id),
                ids,
                f"{name}: {' + '.join(p.id for p in parts)} = {parent.id}",
                unit,
                st.judge(
                    P.value,
                    P.low,
                    P.high,
                    total,
                    c_lo,
                    c_hi,
                    P.decimals,
                    qualifier=P.qualifier,
                    approximate=any(n.qualifier for n in vals),
                ),
                stated=P.value,
                computed=total,
                low=c_lo,
                high=c_hi,
                tolerance=(c_hi - c_lo) / 2 + (P.high - P.low) / 2,
                note=_note_qualified(P, vals),
            )
        )
    out += _bases(ctx, b, parent, parts, ids, vals)
    out += _growths(ctx, b, parent, parts, ids, vals, "yoy")
    if any(not np.isnan(p.earlier_growth) for p in parts):
        out += _growths(ctx, b, parent, parts, ids, vals, "earlier")
    return out


def _note_qualified(P, vals) -> str:
    words = sorted({n.qualifier for n in [P, *vals] if n.qualifier})
    return (
        f"a figure is printed as {' / '.join(repr(w) for w in words)}: "
        "judged on the interval it stands for"
        if words
        else ""
    )


def _bases(ctx, b, parent, parts, ids, vals):
    name, unit = b.label or b.id, parent.unit
    cid = CheckId(K.PART_BASES, b.id)
    missing = [p.id for p, n in zip(parts, vals) if np.isnan(n.value) or np.isnan(p.yoy)]
    missing += [parent.id] if np.isnan(parent.yoy) or np.isnan(parent.value) else []
    if missing:
        return [
            row(
                cid,
                ids,
                f"{name}: bases add up",
                unit,
                st.NOT_CHECKABLE,
                note=f"no value or growth for {', '.join(missing)}",
            )
        ]
    P, PY = ctx.value(parent), ctx.yoy(parent)
    growths = _arrays([ctx.yoy(p) for p in parts])
    values = _arrays(vals)
    bases = ar.base(values[0], growths[0], errors="nan")
    blo, bhi = (np.array(x) for x in zip(*[ctx.base_interval(p, unit) for p in parts]))
    pb = float(ar.base(P.value, PY.value, errors="nan"))
    pb_lo, pb_hi = ctx.base_interval(parent)
    total, c_lo, c_hi = float(np.sum(bases)), float(np.sum(blo)), float(np.sum(bhi))
    q = _qualified(P, PY, *vals, *[ctx.yoy(p) for p in parts])
    status = st.judge(pb, pb_lo, pb_hi, total, c_lo, c_hi, P.decimals, approximate=bool(q))
    note = ""
    if status == st.WITHIN_ROUNDING:
        w = _widest(parts + [parent], list(zip(blo, bhi)) + [(pb_lo, pb_hi)])
        note = f"explained by rounding, mostly of {printed(w)}"
    return [
        row(
            cid,
            ids,
            f"{name}: prior-period bases add up to {parent.id}'s base",
            unit,
            status,
            stated=pb,
            computed=total,
            low=c_lo,
            high=c_hi,
            tolerance=(c_hi - c_lo) / 2 + (pb_hi - pb_lo) / 2,
            note=note,
        )
    ]


def _growths(ctx, b, parent, parts, ids, vals, which):
    """The growth of the sum of the parts against the parent's stated growth (yoy or earlier)."""
    name = b.label or b.id
    key = "yoy" if which == "yoy" else "earlier_growth"
    kind = K.PARTS_GROWTH if which == "yoy" else K.PARTS_EARLIER_GROWTH
    cid = CheckId(kind, b.id)
    what = (
        "year-on-year growth"
        if which == "yoy"
        else f"growth on {parent.earlier_period or 'the earlier period'}"
    )
    desc = f"{name}: {what} of the sum of parts against {parent.id}'s stated growth"
    missing = [p.id for p, n in zip(parts, vals) if np.isnan(n.value) or np.isnan(getattr(p, key))]
    if np.isnan(getattr(parent, key)):
        missing.append(parent.id)
    if missing:
        return [
            row(
                cid,
                ids,
                desc,
                "fraction",
                st.NOT_CHECKABLE,
                note=f"no value or growth for {', '.join(missing)}",
            )
        ]
    if which == "earlier":
        periods = {p.earlier_period and _period(p.earlier_period) for p in parts + [parent]}
        if len(periods) > 1:
            return [
                row(
                    cid,
                    ids,
                    desc,
                    "fraction",
                    st.NOT_CHECKABLE,
                    note="the parts' growths are on different earlier periods",
                )
            ]
    S = ctx.growth(parent, which)
    gs = [ctx.growth(p, which) for p in parts]
    values, growths = _arrays(vals), _arrays(gs)
    g = float(ar.aggregate_growth(values[0], growths[0], errors="nan"))
    lo, hi = bd.aggregate_growth_interval_bounds(values[1], values[2], growths[1], growths[2])
    note = ""
    if np.isnan(lo):
        note = (
            "the parts' bases may add up to zero or change sign inside the rounding: "
            "no growth rate can be bounded"
        )
        if np.isnan(g):
            return [row(cid, ids, desc, "fraction", st.NOT_CHECKABLE, stated=S.value, note=note)]
    status = st.judge(
        S.value,
        S.low,
        S.high,
        g,
        lo,
        hi,
        S.decimals,
        percent=True,
        qualifier=S.qualifier,
        approximate=any(n.qualifier for n in vals + gs),
    )
    if not note:
        note = _note_qualified(S, vals + gs)
    return [
        row(
            cid,
            ids,
            desc,
            "fraction",
            status,
            stated=S.value,
            computed=g,
            low=lo,
            high=hi,
            tolerance=(hi - lo) / 2 + (S.high - S.low) / 2,
            note=note,
        )
    ]


def _period(text):
    from tradecalc.model.periods import Period

    return Period.parse(text)


def partial(ctx: Context, b, parent, parts) -> list[dict]:
    ids = [parent.id] + [p.id for p in parts]
    unit = parent.unit
    name = f"other than {', '.join(p.label or p.id for p in parts)}"
    desc = f"{b.label or b.id}: {parent.id} {name}"
    P = ctx.value(parent)
    vals = [ctx.value(p, unit) for p in parts]
    balance = _is_balance(parent, parts)
    missing = [p.id for p, n in zip(parts, vals) if np.isnan(n.value)]
    if missing or np.isnan(P.value):
        return [
            row(
                CheckId(K.RESIDUAL, b.id),
                ids,
                desc,
                unit,
                st.NOT_CHECKABLE,
                note=f"no value for {', '.join(missing or [parent.id])}: "
                "the residual cannot be computed",
            )
        ]
    v, vlo, vhi = _arrays(vals)
    r = P.value - float(np.sum(v))
    lo, hi = P.low - float(np.sum(vhi)), P.high - float(np.sum(vlo))
    if balance:
        status, note = (
            st.NOT_CHECKABLE,
            "a balance (or a negative part): the rest may be of either sign; implied figure",
        )
    else:
        status = st.judge_nonnegative(r, lo, hi)
        note = "the listed parts exceed the total" if status == st.INCONSISTENT else ""
    out = [
        row(
            CheckId(K.RESIDUAL, b.id),
            ids,
            desc,
            unit,
            status,
            computed=r,
            low=lo,
            high=hi,
            tolerance=(hi - lo) / 2,
            note=note,
        )
    ]
    missing_g = [p.id for p in parts if np.isnan(p.yoy)] + (
        [parent.id] if np.isnan(parent.yoy) else []
    )
    if missing_g:
        out.append(
            row(
                CheckId(K.RESIDUAL_BASE, b.id),
                ids,
                f"{b.label or b.id}: base of the residual",
                unit,
                st.NOT_CHECKABLE,
                note=f"no growth for {', '.join(missing_g)}",
            )
        )
        return out
    PY = ctx.yoy(parent)
    gs = _arrays([ctx.yoy(p) for p in parts])
    pb = float(ar.base(P.value, PY.value, errors="nan"))
    rb = pb - float(np.sum(ar.base(v, gs[0], errors="nan")))
    blo, bhi = (np.array(x) for x in zip(*[ctx.base_interval(p, unit) for p in parts]))
    pb_lo, pb_hi = ctx.base_interval(parent)
    b_lo, b_hi = pb_lo - float(np.sum(bhi)), pb_hi - float(np.sum(blo))
    if balance:
        bstatus, bnote = (
            st.NOT_CHECKABLE,
            "a balance (or a negative part): the rest's base may be of either sign; implied figure",
        )
    else:
        bstatus = st.judge_nonnegative(rb, b_lo, b_hi)
        bnote = ""
        if bstatus == st.WITHIN_ROUNDING:
            w = _widest(parts + [parent], list(zip(blo, bhi)) + [(pb_lo, pb_hi)])
            bnote = (
                f"the naive base {rb:.3g} is negative, impossible for a trade value; "
                f"explained by rounding, mostly of {printed(w)}: the base may be up to {b_hi:.3g}"
            )
        elif bstatus == st.INCONSISTENT:
            bnote = (
                f"the parts' bases exceed the total's base by at least {-b_hi:.3g}: "
                "no rounding explains it"
            )
    out.append(
        row(
            CheckId(K.RESIDUAL_BASE, b.id),
            ids,
            f"{b.label or b.id}: prior-period base of {parent.id} {name}",
            unit,
            bstatus,
            computed=rb,
            low=b_lo,
            high=b_hi,
            tolerance=(b_hi - b_lo) / 2,
            note=bnote,
        )
    )
    out.append(
        _residual_growth(
            b,
            ids,
            desc_growth=f"{b.label or b.id}: growth of {parent.id} {name}",
            r=r,
            lo=lo,
            rb=rb,
            b_lo=b_lo,
            b_hi=b_hi,
            values=((P.low, *vlo), (P.high, *vhi)),
            growths=((PY.low, *gs[1]), (PY.high, *gs[2])),
        )
    )
    return out


def _residual_growth(b, ids, *, desc_growth, r, lo, rb, b_lo, b_hi, values, growths):
    """Growth of the rest of a partial breakdown: tight bounds over the joint box of all figures."""
    cid = CheckId(K.RESIDUAL_GROWTH, b.id)
    if b_lo > 0 and lo >= 0:
        signs = np.array([1.0] + [-1.0] * (len(values[0]) - 1))
        g_lo, g_hi = bd.aggregate_growth_interval_bounds(
            np.array(values[0]),
            np.array(values[1]),
            np.array(growths[0]),
            np.array(growths[1]),
            signs=signs,
        )
        g = r / rb - 1 if rb > 0 else np.nan
        return row(
            cid,
            ids,
            desc_growth,
            "fraction",
            st.CONSISTENT if rb > 0 else st.WITHIN_ROUNDING,
            computed=g,
            low=g_lo,
            high=g_hi,
        )
    if b_hi > 0 and lo > 0:
        g_min = lo / b_hi - 1
        return row(
            cid,
            ids,
            desc_growth,
            "fraction",
            st.NOT_CHECKABLE,
            low=g_min,
            high=np.inf,
            note="no growth rate can be stated: the base may be near zero; "
            f"as printed, the growth is at least {g_min:+.0%}",
        )
    return row(
        cid,
        ids,
        desc_growth,
        "fraction",
        st.NOT_CHECKABLE,
        note="the residual or its base may be zero or negative: no growth rate",
    )


def overlapping(ctx: Context, b, parent, parts) -> list[dict]:
    ids = [parent.id] + [p.id for p in parts]
    cid = CheckId(K.PART_WITHIN, b.id)
    have = [(p, ctx.value(p, parent.unit)) for p in parts if not np.isnan(p.value)]
    if not have or np.isnan(parent.value):
        return [
            row(
                cid,
                ids,
                f"{b.label or b.id}",
                parent.unit,
                st.NOT_CHECKABLE,
                note="no values to compare",
            )
        ]
    if _is_balance(parent, [p for p, _ in have]):
        return [
            row(
                cid,
                ids,
                f"{b.label or b.id}",
                parent.unit,
                st.NOT_CHECKABLE,
                note="a balance (or a negative part): a part may be larger than the total",
            )
        ]
    big, n = max(have, key=lambda x: x[1].value)
    P = ctx.value(parent)
    status = st.judge_at_most(n.value, n.low, P.value, P.high)
    return [
        row(
            cid,
            ids,
            f"{b.label or b.id}: the largest part ({big.id}) is no larger than {parent.id} "
            "(parts overlap, so they are not summed)",
            parent.unit,
            status,
            stated=P.value,
            computed=n.value,
            difference=n.value - P.value,
            note="" if status != st.INCONSISTENT else f"{big.id} exceeds the total",
        )
    ]
