"""Revisions: a period's figure as each release prints or implies it, compared."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from tradecalc.analysis.series.matching import Observation, worst
from tradecalc.analysis.series.single import _fmt
from tradecalc.analysis.status import (
    INCONSISTENT,
    NOT_CHECKABLE,
    judge,
)
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.model.published import is_nan

REVISION_COLUMNS = tuple(
    "group series currency unit period label earlier_release earlier earlier_low "
    "earlier_high earlier_how later_release later later_low later_high later_how "
    "revision revision_low revision_high earlier_yoy later_yoy later_yoy_low "
    "later_yoy_high yoy_revision value_status growth_status status note".split()
)
_REVISION_MONEY = (
    "earlier earlier_low earlier_high later later_low later_high revision revision_low "
    "revision_high"
)
_REVISION_RATES = "earlier_yoy later_yoy later_yoy_low later_yoy_high"
REVISION_UNITS = (
    dict.fromkeys(_REVISION_MONEY.split(), "unit")
    | dict.fromkeys(_REVISION_RATES.split(), "fraction")
    | {"yoy_revision": "pp"}
)


@dataclass
class Vintage:
    """A period's figure according to one release: stated, or implied by two of its figures."""

    release: str
    order: int
    how: str
    value: float
    low: float
    high: float
    decimals: float  # printed precision of a stated figure; NaN when implied
    yoy: float = math.nan
    yoy_low: float = math.nan
    yoy_high: float = math.nan
    yoy_decimals: float = math.nan
    figures: list = field(default_factory=list)


def _stated_vintage(o: Observation) -> Vintage:
    lo, hi = o.interval
    ylo, yhi = o.yoy_interval
    return Vintage(
        o.release,
        o.order,
        f"stated ({o.figure})",
        o.value,
        lo,
        hi,
        o.decimals,
        o.yoy,
        ylo,
        yhi,
        o.yoy_decimals,
        [o],
    )


def _implied_vintage(whole: Observation, sub: Observation, period: Period) -> Vintage:
    lo, hi = bd.residual_bounds(whole.value, [sub.value], whole.decimals, [sub.decimals])
    g = glo = ghi = math.nan
    if not (is_nan(whole.yoy) or is_nan(sub.yoy)):
        g = ar.difference_growth(whole.value, whole.yoy, sub.value, sub.yoy, errors="nan")
        glo, ghi = bd.difference_growth_bounds(
            whole.value,
            whole.yoy,
            sub.value,
            sub.yoy,
            whole.decimals,
            whole.yoy_decimals,
            sub.decimals,
            sub.yoy_decimals,
        )
    how = f"implied: {whole.figure} ({whole.period.label}) minus {sub.figure} ({sub.period.label})"
    return Vintage(
        whole.release,
        whole.order,
        how,
        whole.value - sub.value,
        float(lo),
        float(hi),
        math.nan,
        float(g),
        float(glo),
        float(ghi),
        math.nan,
        [whole, sub],
    )


def vintages(obs: list[Observation]) -> dict[Period, list[Vintage]]:
    """Per period, its figure according to each release (stated first, else implied by the
    release's own figures: a period minus a sub-period at its start or end)."""
    by_release: dict[str, list[Observation]] = {}
    for o in obs:
        by_release.setdefault(o.release, []).append(o)
    out: dict[Period, list[Vintage]] = {}
    for rid, os_ in by_release.items():
        stated = {o.period: o for o in os_}
        mine: dict[Period, Vintage] = {p: _stated_vintage(o) for p, o in stated.items()}
        for whole in os_:
            for sub in os_:
                if sub is whole or sub.period not in whole.period or sub.period == whole.period:
                    continue
                rest = whole.period - sub.period
                if rest is not None and rest not in mine:
                    mine[rest] = _implied_vintage(whole, sub, rest)
        for p, v in mine.items():
            out.setdefault(p, []).append(v)
    for p in out:
        out[p].sort(key=lambda v: v.order)
    return out


def _precision(a: Vintage, b: Vintage, attr: str):
    """The printed precision a comparison is judged at.

    The earlier stated figure's, else the later's (an implied figure has none).
    """
    for v in (a, b):
        d = getattr(v, attr)
        if not is_nan(d):
            return d
    return math.nan


def _revision_rows(series: tuple, obs: list[Observation]) -> list[dict]:
    group, key, currency = series
    unit = obs[0].unit
    rows = []
    for p, vs in sorted(vintages(obs).items(), key=lambda t: (t[0].end, t[0].start)):
        if len(vs) < 2 or not any(v.how.startswith("stated") for v in vs):
            continue
        for e, later in zip(vs, vs[1:]):
            if (is_nan(e.value) and is_nan(e.yoy)) or (is_nan(later.value) and is_nan(later.yoy)):
                continue
            d = _precision(e, later, "decimals")
            vstat = judge(e.value, e.low, e.high, later.value, later.low, later.high, d)
            yd = _precision(e, later, "yoy_decimals")
            gstat = judge(
                e.yoy,
                e.yoy_low,
                e.yoy_high,
                later.yoy,
                later.yoy_low,
                later.yoy_high,
                yd,
                percent=True,
            )
            rev = later.value - e.value
            r_lo, r_hi = later.low - e.high, later.high - e.low
            if vstat == INCONSISTENT or gstat == INCONSISTENT:
                what = (
                    f"{key}, {p.label}: {_fmt(e.value)} {unit} in {e.release}, "
                    f"{_fmt(later.value)} in "
                    f"{later.release} ({later.how.split(':')[0]})"
                )
                size = (
                    f"revised by {rev:+,.6g} {unit} (between {r_lo:+,.6g} and {r_hi:+,.6g})"
                    if vstat == INCONSISTENT
                    else ""
                )
                gsize = (
                    f"growth revised from {_pct(e.yoy)} to {_pct(later.yoy)}"
                    if gstat == INCONSISTENT
                    else ""
                )
                note = (
                    f"a revision between releases, not an error inside either: {what}; "
                    + "; ".join(x for x in (size, gsize) if x)
                )
            elif NOT_CHECKABLE == vstat == gstat:
                note = "nothing to compare"
            else:
                note = "unchanged within the printed precision"
            rows.append(
                {
                    "group": group,
                    "series": key,
                    "currency": currency,
                    "unit": unit,
                    "period": str(p),
                    "label": p.label,
                    "earlier_release": e.release,
                    "earlier": e.value,
                    "earlier_low": e.low,
                    "earlier_high": e.high,
                    "earlier_how": e.how,
                    "later_release": later.release,
                    "later": later.value,
                    "later_low": later.low,
                    "later_high": later.high,
                    "later_how": later.how,
                    "revision": rev,
                    "revision_low": r_lo,
                    "revision_high": r_hi,
                    "earlier_yoy": e.yoy,
                    "later_yoy": later.yoy,
                    "later_yoy_low": later.yoy_low,
                    "later_yoy_high": later.yoy_high,
                    "yoy_revision": 100.0 * (later.yoy - e.yoy),
                    "value_status": vstat,
                    "growth_status": gstat,
                    "status": worst(vstat, gstat),
                    "note": note,
                }
            )
    return rows


def _pct(x: float) -> str:
    return "" if is_nan(x) else f"{x * 100:+.2f}%"


def _explain(periods: list[dict], revisions: list[dict]) -> None:
    """Say on an inconsistent single period when a figure it is built from was revised."""
    revised = {}
    for r in revisions:
        if r["value_status"] == INCONSISTENT or r["growth_status"] == INCONSISTENT:
            revised.setdefault((r["group"], r["series"], r["currency"], r["period"]), r)
    for row in periods:
        if row["status"] != INCONSISTENT or row["kind"] != "single period":
            continue
        keys = [
            (row["group"], row["series"], row["currency"], row[k])
            for k in ("previous_period", "cumulative_period")
        ]
        r = next((revised[k] for k in keys if k in revised), None)
        if r is None:
            continue
        row["note"] = "; ".join(
            x
            for x in (
                row["note"],
                (
                    f"{r['label']} was revised between {r['earlier_release']} and "
                    f"{r['later_release']} (by {r['revision']:+,.6g} {row['unit']}): "
                    "this is what a revision looks like; "
                    f"the single period mixes the two vintages"
                ),
            )
            if x
        )
