"""Single periods: the difference of consecutive cumulative figures, bounded and judged."""

from __future__ import annotations

import math

from tradecalc.analysis.series.matching import Observation, worst
from tradecalc.analysis.status import (
    NOT_CHECKABLE,
    judge,
)
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.model.published import is_nan

PERIOD_COLUMNS = tuple(
    "group series currency unit period label kind cumulative_period cumulative "
    "cumulative_yoy cumulative_release previous_period previous previous_yoy "
    "previous_release value value_low value_high growth growth_low growth_high base "
    "base_low base_high stated_value stated_yoy stated_release stated_figure "
    "value_status growth_status status note".split()
)
#: Units of the columns of the tables (money columns are in each row's ``unit``).
_PERIOD_MONEY = (
    "cumulative previous value value_low value_high base base_low base_high stated_value"
)
_PERIOD_RATES = "cumulative_yoy previous_yoy growth growth_low growth_high stated_yoy"
PERIOD_UNITS = dict.fromkeys(_PERIOD_MONEY.split(), "unit") | dict.fromkeys(
    _PERIOD_RATES.split(), "fraction"
)


def _fmt(x: float) -> str:
    return "" if is_nan(x) else f"{x:,.6g}"


def _single(cum: Observation, prev: Observation | None) -> dict:
    """Value, growth and base of ``cum - prev`` with their bounds (prev None: cum itself)."""
    pv, py, pd_, pyd = (
        (0.0, 0.0, math.nan, math.nan)
        if prev is None
        else (prev.value, prev.yoy, prev.decimals, prev.yoy_decimals)
    )
    value = cum.value - pv
    lo, hi = bd.residual_bounds(cum.value, [pv], cum.decimals, [pd_])
    dec = (cum.decimals, cum.yoy_decimals, pd_, pyd)
    if is_nan(cum.yoy) or is_nan(py):
        g = g_lo = g_hi = b = b_lo = b_hi = math.nan
    else:
        g = ar.difference_growth(cum.value, cum.yoy, pv, py, errors="nan")
        g_lo, g_hi = bd.difference_growth_bounds(cum.value, cum.yoy, pv, py, *dec)
        b = ar.base(cum.value, cum.yoy, errors="nan") - ar.base(pv, py, errors="nan")
        b_lo, b_hi = bd.base_difference_bounds(cum.value, cum.yoy, pv, py, *dec)
    return {
        "value": value,
        "value_low": float(lo),
        "value_high": float(hi),
        "growth": float(g),
        "growth_low": float(g_lo),
        "growth_high": float(g_hi),
        "base": float(b),
        "base_low": float(b_lo),
        "base_high": float(b_hi),
    }


def _judge_value(stated: Observation | None, computed: float, lo: float, hi: float) -> str:
    if stated is None:
        return NOT_CHECKABLE
    s_lo, s_hi = stated.interval
    return judge(stated.value, s_lo, s_hi, computed, lo, hi, stated.decimals)


def _judge_growth(stated: Observation | None, computed: float, lo: float, hi: float) -> str:
    if stated is None or is_nan(stated.yoy):
        return NOT_CHECKABLE
    s_lo, s_hi = stated.yoy_interval
    return judge(stated.yoy, s_lo, s_hi, computed, lo, hi, stated.yoy_decimals, percent=True)


def _latest(obs: list[Observation]) -> Observation:
    return max(obs, key=lambda o: o.order)


def _period_rows(series: tuple, obs: list[Observation]) -> list[dict]:
    group, key, currency = series
    unit = obs[0].unit
    by_period: dict[Period, list[Observation]] = {}
    for o in obs:
        by_period.setdefault(o.period, []).append(o)
    cumulative = sorted((p for p in by_period if p.start % 12 == 0), key=lambda p: (p.start, p.end))
    rows, used = [], set()
    prev_of: dict[Period, Period | None] = {}
    for p in cumulative:
        before = [q for q in cumulative if q.start == p.start and q.end < p.end]
        prev_of[p] = max(before, key=lambda q: q.end) if before else None
    for p in cumulative:
        cum = _latest(by_period[p])
        prev_p = prev_of[p]
        prev = _latest(by_period[prev_p]) if prev_p else None
        block = Period(prev_p.end + 1, p.end) if prev_p else p
        d = _single(cum, prev)
        stated_obs = [o for o in by_period.get(block, []) if prev_p is not None]
        stated = _latest(stated_obs) if stated_obs else None
        used.update(id(o) for o in stated_obs)
        vs = _judge_value(stated, d["value"], d["value_low"], d["value_high"])
        gs = _judge_growth(stated, d["growth"], d["growth_low"], d["growth_high"])
        if prev_p is None:
            kind = "first period"
            note = f"the first cumulative figure of {p.start // 12}: the period is {p.label} itself"
        else:
            kind = "single period"
            note = "" if stated else f"no release states {block.label} alone"
            missing = [o for o in (cum, prev) if is_nan(o.value) or is_nan(o.yoy)]
            if missing:
                what = "; ".join(
                    f"{o.figure} ({o.period.label}) in {o.release} has no "
                    f"{'value' if is_nan(o.value) else 'growth'}"
                    for o in missing
                )
                note = "; ".join(x for x in (note, what) if x)
            if not is_nan(d["growth"]) and is_nan(d["growth_low"]):
                unbounded = (
                    f"the base of {block.label} may be zero at the printed precision: "
                    "no bound on its growth"
                )
                note = "; ".join(x for x in (note, unbounded) if x)
            if prev.release != cum.release:
                note = "; ".join(x for x in (note, f"{cum.release} minus {prev.release}") if x)
        rows.append(
            {
                "group": group,
                "series": key,
                "currency": currency,
                "unit": unit,
                "period": str(block),
                "label": block.label,
                "kind": kind,
                "cumulative_period": str(p),
                "cumulative": cum.value,
                "cumulative_yoy": cum.yoy,
                "cumulative_release": cum.release,
                "previous_period": str(prev_p) if prev_p else "",
                "previous": prev.value if prev else math.nan,
                "previous_yoy": prev.yoy if prev else math.nan,
                "previous_release": prev.release if prev else "",
                **d,
                "stated_value": stated.value if stated else math.nan,
                "stated_yoy": stated.yoy if stated else math.nan,
                "stated_release": stated.release if stated else "",
                "stated_figure": stated.figure if stated else "",
                "value_status": vs,
                "growth_status": gs,
                "status": worst(vs, gs),
                "note": note,
            }
        )
    for p, os_ in sorted(by_period.items(), key=lambda t: (t[0].end, t[0].start)):
        rest = [o for o in os_ if id(o) not in used and p.start % 12 != 0]
        if not rest:
            continue
        s = _latest(rest)
        rows.append(
            {
                **dict.fromkeys(PERIOD_COLUMNS, math.nan),
                "group": group,
                "series": key,
                "currency": currency,
                "unit": unit,
                "period": str(p),
                "label": p.label,
                "kind": "stated only",
                "cumulative_period": "",
                "cumulative_release": "",
                "previous_period": "",
                "previous_release": "",
                "stated_value": s.value,
                "stated_yoy": s.yoy,
                "stated_release": s.release,
                "stated_figure": s.figure,
                "value_status": NOT_CHECKABLE,
                "growth_status": NOT_CHECKABLE,
                "status": NOT_CHECKABLE,
                "note": (
                    f"no two cumulative figures of {key} end just before and at the end of "
                    f"{p.label}"
                ),
            }
        )
    return rows
