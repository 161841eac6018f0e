"""A trade balance against exports minus imports of the same period, and its growth.

Example (issue 11, case 6): Q1 2021 exports 4.61 and imports 3.86 trillion
yuan leave 0.75 [0.74, 0.76]; a surplus printed as 0.95929 cannot be that.
"""

from __future__ import annotations

import numpy as np

from tradecalc.analysis import status as st
from tradecalc.analysis.checks.context import Context, difference_growth, factor
from tradecalc.analysis.checks.kinds import CheckId, judged_row, row
from tradecalc.analysis.checks.kinds import CheckKind as K


def _in_scope(ctx, balance, f) -> bool:
    """Exports or imports of the balance's own whole: the same parent, or the top-level flows."""
    if f.parent == balance.parent:
        return True
    if balance.parent:
        return False
    parent = ctx.by_id.get(f.parent)
    return parent is not None and not parent.parent and parent.flow == "total"


def _flow(ctx, balance, flow):
    return [
        f
        for f in ctx.by_flow_period.get((flow, balance.period_range), [])
        if f is not balance and _in_scope(ctx, balance, f)
    ]


def balances(ctx: Context) -> list[list]:
    """Check rows of every dated balance: against exports minus imports of its period, and its growth."""
    out = []
    for b in ctx.figures:
        if b.flow == "balance" and b.period:
            out += _balance(ctx, b)
    return out


def _balance_note(b, e, i, B, lo, hi) -> str:
    """What an inconsistent balance cannot be, and whether it fits with the other sign."""
    note = f"{e.id} minus {i.id} cannot be {b.id} as printed"
    if -B.high <= hi and lo <= -B.low:  # it could be, with the other sign
        note += (
            f"; {b.id} matches with a minus sign: a deficit is negative "
            "(a balance is exports minus imports)"
        )
    return note


def _balance(ctx, b):
    cid = CheckId(K.BALANCE, b.id)
    ex, im = _flow(ctx, b, "exports"), _flow(ctx, b, "imports")
    if len(ex) != 1 or len(im) != 1:
        why = (
            "no exports and imports of the same period"
            if not ex and not im
            else f"{'several' if len(ex) > 1 or len(im) > 1 else 'no'} exports or imports of the "
            f"same period ({', '.join(f.id for f in ex + im) or 'none'}): give the balance the "
            "parent of the ones it is the balance of"
        )
        return [
            row(
                cid,
                [b.id] + [f.id for f in ex + im],
                f"{b.id}: exports minus imports",
                b.unit,
                st.NOT_CHECKABLE,
                note=why,
            )
        ]
    e, i = ex[0], im[0]
    ids = [b.id, e.id, i.id]
    if np.isnan(factor(e.unit, b.unit)) or np.isnan(factor(i.unit, b.unit)):
        return [
            row(
                cid,
                ids,
                f"{b.id}: exports minus imports",
                b.unit,
                st.NOT_CHECKABLE,
                note="exports or imports in another currency",
            )
        ]
    desc = f"{b.id} = {e.id} - {i.id} ({b.period_range.label})"
    B, E, M = ctx.value(b), ctx.value(e, b.unit), ctx.value(i, b.unit)  # balance, exports, imports
    out = []
    if np.isnan(E.value) or np.isnan(M.value) or np.isnan(B.value):
        out.append(
            row(
                cid,
                ids,
                desc,
                b.unit,
                st.NOT_CHECKABLE,
                note=f"no value for {', '.join(x.id for x in (b, e, i) if np.isnan(x.value))}",
            )
        )
    else:
        c, lo, hi = E.value - M.value, E.low - M.high, E.high - M.low
        out.append(
            judged_row(
                cid,
                ids,
                desc,
                b.unit,
                B,
                c,
                lo,
                hi,
                approximate=bool(E.qualifier or M.qualifier),
                if_inconsistent=_balance_note(b, e, i, B, lo, hi),
            )
        )
    if np.isnan(b.yoy):
        return out
    gcid = CheckId(K.BALANCE_GROWTH, b.id)
    gdesc = f"{b.id}: growth of {e.id} - {i.id} against {b.id}'s stated growth"
    need = [x.id for x in (e, i) if np.isnan(x.value) or np.isnan(x.yoy)]
    if need:
        out.append(
            row(
                gcid,
                ids,
                gdesc,
                "fraction",
                st.NOT_CHECKABLE,
                stated=b.yoy,
                note=f"no value or growth for {', '.join(need)}",
            )
        )
        return out
    BY, EY, MY = ctx.yoy(b), ctx.yoy(e), ctx.yoy(i)
    g, lo, hi = difference_growth(E, EY, M, MY)
    if np.isnan(lo):
        out.append(
            row(
                gcid,
                ids,
                gdesc,
                "fraction",
                st.NOT_CHECKABLE,
                stated=BY.value,
                computed=g,
                note="the balance a year earlier may be zero or of the other sign as printed: "
                "no growth rate",
            )
        )
        return out
    out.append(
        judged_row(
            gcid,
            ids,
            gdesc,
            "fraction",
            BY,
            g,
            lo,
            hi,
            percent=True,
            approximate=any(x.qualifier for x in (E, M, EY, MY)),
        )
    )
    return out
