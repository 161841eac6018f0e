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
from tradecalc.analysis.checks.kinds import CheckId, judged_row, row
from tradecalc.analysis.checks.kinds import CheckKind as K
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd


def _widest(figs, lows, highs):
    """The figure whose interval is widest (the first of the widest): the one whose rounding matters most.

    ``lows``/``highs`` are arrays in the order of ``figs``; an interval with a NaN end
    (or an undefined width, ∞ − ∞) is left out; None when every one is.
    """
    with np.errstate(invalid="ignore"):
        width = np.asarray(highs, dtype=float) - np.asarray(lows, dtype=float)
    usable = ~(np.isnan(lows) | np.isnan(highs) | np.isnan(width))
    if not usable.any():
        return None
    return figs[int(np.argmax(np.where(usable, width, -np.inf)))]


def _missing_ids(figs, *masks) -> list[str]:
    """Ids of the figures where any of the boolean ``masks`` is set, in order."""
    bad = np.logical_or.reduce(masks) if len(masks) > 1 else masks[0]
    return [figs[i].id for i in np.flatnonzero(bad)]


def _is_balance(ctx, parent, parts) -> bool:
    """A balance, or a part printed negative: the rest may be of either sign."""
    with np.errstate(invalid="ignore"):
        return parent.flow == "balance" or bool(np.any(ctx.printed_values(parts) < 0))


def _other_currency(ctx, cid, b, parent, parts, ids) -> list[list]:
    """A breakdown with a part in another currency than its parent is not checkable, and says so.

    A release file refuses such a part (release.validate); this is the guard for a
    release built otherwise: the part is never added raw, nor silently left out.
    """
    foreign = _missing_ids(parts, np.isnan(ctx.factors(parts, parent.unit)))
    if not foreign:
        return []
    named = set(foreign)
    units = sorted({f.unit for f in parts if f.id in named})
    return [
        row(
            cid,
            ids,
            f"{b.label or b.id}: parts of {parent.id}",
            parent.unit,
            st.NOT_CHECKABLE,
            note=f"{', '.join(foreign)} in another currency ({', '.join(units)}) than "
            f"{parent.id} ({parent.unit}): no exchange rate to convert with",
        )
    ]


def complete(ctx: Context, b, parent, parts) -> list[list]:
    """Check rows of a complete breakdown ``b``: its parts' values, bases and growths add up to ``parent``'s."""
    ids = [parent.id] + [p.id for p in parts]
    name = b.label or b.id
    unit = parent.unit
    foreign = _other_currency(ctx, CheckId(K.PARTS_SUM, b.id), b, parent, parts, ids)
    if foreign:
        return foreign
    P = ctx.value(parent)
    vals = ctx.values(parts, unit)
    out = []
    missing = _missing_ids(parts, vals.missing())
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
        total = float(np.sum(vals.value))
        c_lo, c_hi = float(np.sum(vals.low)), float(np.sum(vals.high))
        out.append(
            judged_row(
                CheckId(K.PARTS_SUM, b.id),
                ids,
                f"{name}: {' + '.join([p.id for p in parts])} = {parent.id}",
                unit,
                P,
                total,
                c_lo,
                c_hi,
                approximate=bool(vals.qualifiers()),
                note=_note_qualified(P, vals),
            )
        )
    out += _bases(ctx, b, parent, parts, ids, vals)
    out += _growths(ctx, b, parent, parts, ids, vals, "yoy")
    if not ctx.earliers(parts).missing().all():
        out += _growths(ctx, b, parent, parts, ids, vals, "earlier")
    return out


def _note_qualified(P, *many) -> str:
    """Say which qualifiers ("more than" ...) the judgement rests on; ``many`` are :class:`Nums`."""
    words = sorted({q for q in [P.qualifier, *(q for n in many for q in n.qualifiers())] if q})
    return (
        f"a figure is printed as {' / '.join(repr(w) for w in words)}: "
        "judged on the interval it stands for"
        if words
        else ""
    )


def _bases(ctx, b, parent, parts, ids, vals):
    name, unit = b.label or b.id, parent.unit
    cid = CheckId(K.PART_BASES, b.id)
    growths = ctx.yoys(parts)
    missing = _missing_ids(parts, vals.missing(), growths.missing())
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
    bases = ar.base(vals.value, growths.value, errors="nan")
    blo, bhi = ctx.base_intervals(parts, unit)
    pb = float(ar.base(P.value, PY.value, errors="nan"))
    pb_lo, pb_hi = ctx.base_interval(parent)
    total, c_lo, c_hi = float(np.sum(bases)), float(np.sum(blo)), float(np.sum(bhi))
    q = P.qualifier or PY.qualifier or vals.qualifiers() or growths.qualifiers()
    status = st.judge(pb, pb_lo, pb_hi, total, c_lo, c_hi, P.decimals, approximate=bool(q))
    note = ""
    if status == st.WITHIN_ROUNDING:
        w = _widest(parts + [parent], np.append(blo, pb_lo), np.append(bhi, pb_hi))
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
    gs = ctx.growths(parts, which)
    missing = _missing_ids(parts, vals.missing(), gs.missing())
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
    g = float(ar.aggregate_growth(vals.value, gs.value, errors="nan"))
    lo, hi = bd.aggregate_growth_interval_bounds(vals.low, vals.high, gs.low, gs.high)
    note = ""
    if np.isnan(lo):
        note = (
            "the parts' bases may add up to zero or change sign inside the rounding: "
            "no growth rate can be bounded"
        )
        if np.isnan(g):
            return [row(cid, ids, desc, "fraction", st.NOT_CHECKABLE, stated=S.value, note=note)]
    return [
        judged_row(
            cid,
            ids,
            desc,
            "fraction",
            S,
            g,
            lo,
            hi,
            percent=True,
            approximate=bool(vals.qualifiers() or gs.qualifiers()),
            note=note or _note_qualified(S, vals, gs),
        )
    ]


def _period(text):
    from tradecalc.model.periods import Period

    return Period.parse(text)


def partial(ctx: Context, b, parent, parts) -> list[list]:
    """Check rows of a partial breakdown ``b``: the residual (``parent`` minus its parts), its base and its growth."""
    ids = [parent.id] + [p.id for p in parts]
    unit = parent.unit
    name = f"other than {', '.join([p.label or p.id for p in parts])}"
    desc = f"{b.label or b.id}: {parent.id} {name}"
    foreign = _other_currency(ctx, CheckId(K.RESIDUAL, b.id), b, parent, parts, ids)
    if foreign:
        return foreign
    P = ctx.value(parent)
    vals = ctx.values(parts, unit)
    balance = _is_balance(ctx, parent, parts)
    missing = _missing_ids(parts, vals.missing())
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
    v, vlo, vhi = vals.value, vals.low, vals.high
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
    gs = ctx.yoys(parts)
    missing_g = _missing_ids(parts, gs.missing()) + ([parent.id] if np.isnan(parent.yoy) else [])
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
    pb = float(ar.base(P.value, PY.value, errors="nan"))
    rb = pb - float(np.sum(ar.base(v, gs.value, errors="nan")))
    blo, bhi = ctx.base_intervals(parts, unit)
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
            w = _widest(parts + [parent], np.append(blo, pb_lo), np.append(bhi, pb_hi))
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
            values=(np.append(P.low, vlo), np.append(P.high, vhi)),
            growths=(np.append(PY.low, gs.low), np.append(PY.high, gs.high)),
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


def overlapping(ctx: Context, b, parent, parts) -> list[list]:
    """Check rows of an overlapping breakdown ``b``: its largest part is no larger than ``parent``."""
    ids = [parent.id] + [p.id for p in parts]
    cid = CheckId(K.PART_WITHIN, b.id)
    foreign = _other_currency(ctx, cid, b, parent, parts, ids)
    if foreign:
        return foreign
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
    if _is_balance(ctx, parent, [p for p, _ in have]):
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
