"""Series across releases: single periods out of cumulative releases, and revisions.

Customs releases are cumulative (January-February, Q1, January-April, ...). Given the
releases of one publisher, this module lines their figures up by series and period and
derives, for every series, one row per period:

* the cumulative figure as published (the latest release that prints it);
* the single period since the previous cumulative figure of the same year: value
  ``cumulative - previous`` with :func:`tradecalc.calc.bounds.residual_bounds`, growth
  :func:`tradecalc.calc.arithmetic.difference_growth` with
  :func:`~tradecalc.calc.bounds.difference_growth_bounds`, and its prior-year base with
  :func:`~tradecalc.calc.bounds.base_difference_bounds`;
* what any release states about that single period, judged with
  :func:`tradecalc.analysis.status.judge` (the one status rule).

And, per series and period, the *vintages*: the period's figure as each release states it,
or implies it on its own (January-April minus April gives Q1). Two vintages that differ
beyond rounding are a **revision**, reported with its size, not an error hidden in a sum.

Matching. A figure's series key is its ``series`` (``series = "total"``), else its ``id``:
the ``series`` of a figure is the explicit link between releases whose ids or labels differ.
Releases are grouped by publisher (the text before any parenthesis: "Chongqing Customs
(reported by Xinhua)" is "Chongqing Customs") and by ``region`` when ``[release]`` gives
one; groups are kept apart, with a note. Currencies stay apart (a series is keyed by its
currency too); units of one currency convert exactly (``scale_of``): a series is kept in
its coarsest published unit, so every printed precision stays a whole number of decimals
(759.29 billion yuan is 0.75929 trillion yuan, exact to 5 decimals).

Worked example (General Administration of Customs, 2021, trillion yuan): Q1 total 8.47
(+29.2%) and January-April 11.62 (+28.5%) give April alone 3.15 in [3.14, 3.16], growth
26.65% in [26.34%, 26.97%]; the January-April release states "3.15 trillion yuan in April
alone, up 26.6 per cent": consistent, and consistent within rounding. The surplus: Q1
759.29 billion, January-April 1.02 trillion give April 0.26071 trillion (260.71 billion)
in [255.71, 265.71] billion against the stated 276.5: inconsistent, because January-April
minus April implies a Q1 surplus of 743.5 billion, 15.79 billion below the 759.29 the Q1
release printed: the Q1 surplus was revised.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING, judge
from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.model.published import currency_of, scale_of

#: Series shown even when only one release has them (breakdown parts need two releases).
FLOW_SERIES = ("total", "exports", "imports", "balance")

PERIOD_COLUMNS = (
    "group", "series", "currency", "unit", "period", "label", "kind",
    "cumulative_period", "cumulative", "cumulative_yoy", "cumulative_release",
    "previous_period", "previous", "previous_yoy", "previous_release",
    "value", "value_low", "value_high", "growth", "growth_low", "growth_high",
    "base", "base_low", "base_high",
    "stated_value", "stated_yoy", "stated_release", "stated_figure",
    "value_status", "growth_status", "status", "note",
)
REVISION_COLUMNS = (
    "group", "series", "currency", "unit", "period", "label",
    "earlier_release", "earlier", "earlier_low", "earlier_high", "earlier_how",
    "later_release", "later", "later_low", "later_high", "later_how",
    "revision", "revision_low", "revision_high",
    "earlier_yoy", "later_yoy", "later_yoy_low", "later_yoy_high", "yoy_revision",
    "value_status", "growth_status", "status", "note",
)
FIGURE_COLUMNS = (
    "release", "order", "published", "group", "series", "currency", "id", "label", "period",
    "start", "end", "ytd", "flow", "value", "value_decimals", "unit", "multiplier",
    "yoy", "yoy_decimals", "series_unit", "series_value", "series_decimals", "in_series", "sentence",
)
#: Units of the columns of the tables (money columns are in each row's ``unit``).
PERIOD_UNITS = {
    **{c: "unit" for c in ("cumulative", "previous", "value", "value_low", "value_high", "base",
                           "base_low", "base_high", "stated_value")},
    **{c: "fraction" for c in ("cumulative_yoy", "previous_yoy", "growth", "growth_low",
                               "growth_high", "stated_yoy")},
}
REVISION_UNITS = {
    **{c: "unit" for c in ("earlier", "earlier_low", "earlier_high", "later", "later_low",
                           "later_high", "revision", "revision_low", "revision_high")},
    **{c: "fraction" for c in ("earlier_yoy", "later_yoy", "later_yoy_low", "later_yoy_high")},
    "yoy_revision": "pp",
}

_RANK = {s: i for i, s in enumerate((INCONSISTENT, WITHIN_ROUNDING, CONSISTENT, NOT_CHECKABLE))}


class SeriesError(ValueError):
    """Releases that cannot be lined up (the same figure twice, one series with two flows)."""


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _dec(d) -> float:
    return math.nan if d is None else float(d)


def worst(*statuses: str) -> str:
    """The weakest of several statuses: inconsistent < within rounding < consistent < not checkable."""
    have = [s for s in statuses if s in _RANK]
    return min(have, key=_RANK.__getitem__) if have else NOT_CHECKABLE


# --------------------------------------------------------------------------- matching


def release_group(release) -> str:
    """The publisher (before any parenthesis) and region: releases of one group are compared.

    >>> from types import SimpleNamespace as R
    >>> release_group(R(meta={"publisher": "Chongqing Customs (reported by iChongqing)"}))
    'Chongqing Customs'
    """
    meta = release.meta
    publisher = re.sub(r"\s+", " ", str(meta.get("publisher") or "").split("(")[0]).strip()
    region = re.sub(r"\s+", " ", str(meta.get("region") or "")).strip()
    name = publisher or "(publisher not given)"
    return f"{name} / {region}" if region else name


def series_key(figure) -> str:
    """A figure's series: its ``series`` (the explicit link between releases), else its id."""
    return figure.series or figure.id


def to_unit(value: float, decimals, from_unit: str, to_unit_: str) -> tuple[float, float]:
    """A printed value and its decimals in another multiple of the same currency, exactly.

    The multipliers are powers of ten, so the decimals shift by a whole number and the
    value is scaled in decimal arithmetic (no binary noise: 759.29 billion is 0.75929
    trillion exactly as a float prints it).

    >>> to_unit(759.29, 2, "billion yuan", "trillion yuan")
    (0.75929, 5.0)
    """
    ratio = Decimal(repr(scale_of(from_unit))) / Decimal(repr(scale_of(to_unit_)))
    shift = ratio.log10()
    if shift != shift.to_integral_value():
        raise SeriesError(f"{from_unit!r} and {to_unit_!r} differ by {ratio}, not a power of ten")
    if _nan(value):
        return math.nan, _dec(decimals)
    v = float(Decimal(repr(float(value))) * ratio)
    return v, (math.nan if decimals is None or _nan(decimals) else float(decimals) - float(shift))


@dataclass(frozen=True)
class Observation:
    """One figure of one release, in its series' unit. Growth is a fraction."""

    release: str
    order: int
    figure: str
    group: str
    key: str
    currency: str
    flow: str
    period: Period
    value: float
    decimals: float
    yoy: float
    yoy_decimals: float
    unit: str  # the series' unit
    published_unit: str = ""

    @property
    def ytd(self) -> bool:
        """Cumulative from January (year to date): Q1, January-April, the first half, a year."""
        return self.period.start % 12 == 0

    @property
    def interval(self) -> tuple[float, float]:
        lo, hi = bd.interval(self.value, self.decimals)
        return float(lo), float(hi)

    @property
    def yoy_interval(self) -> tuple[float, float]:
        lo, hi = bd.interval(self.yoy, self.yoy_decimals, percent=True)
        return float(lo), float(hi)


def order_releases(releases) -> list:
    """Releases from the earliest vintage to the latest: by the last month they cover, then
    by publication date, then in the order given (a January-April release follows Q1's)."""
    def last_month(r):
        ends = []
        for f in r.figures:
            try:
                ends.append(Period.parse(f.period).end)
            except ValueError:
                pass
        return max(ends, default=-1)

    indexed = list(enumerate(releases))
    indexed.sort(key=lambda t: (last_month(t[1]), str(t[1].meta.get("published") or ""), t[0]))
    return [r for _, r in indexed]


def _release_id(release, i: int) -> str:
    return str(release.meta.get("id") or Path(release.source or f"release-{i + 1}").stem)


def observations(releases) -> tuple[list[Observation], dict]:
    """Every figure of every release in its series' unit, and the series' units.

    Raises :class:`SeriesError` when a release prints one series and period twice, when
    two releases share an id, or when one series holds figures of different flows.
    """
    ordered = order_releases(releases)
    ids = [_release_id(r, i) for i, r in enumerate(ordered)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SeriesError(f"release {dupes[0]!r} is given twice; pass each release once")
    coarsest: dict[tuple, str] = {}
    flows: dict[tuple, tuple[str, str]] = {}
    seen: dict[tuple, str] = {}
    rows = []
    for order, (rid, r) in enumerate(zip(ids, ordered)):
        group = release_group(r)
        for f in r.figures:
            key = (group, series_key(f), currency_of(f.unit))
            first = flows.setdefault(key, (f.flow, f"{rid}:{f.id}"))
            if first[0] != f.flow:
                raise SeriesError(
                    f"series {key[1]!r} is {first[0]} in {first[1]} but {f.flow} in {rid}:{f.id}; "
                    f"give the figures distinct series (series = \"...\") to keep them apart")
            where = (rid, key, f.period_range)
            if where in seen:
                raise SeriesError(
                    f"{rid} prints series {key[1]!r} for {f.period_range.label} twice ({seen[where]} "
                    f"and {f.id}); give one of them its own series")
            seen[where] = f.id
            if key not in coarsest or scale_of(f.unit) > scale_of(coarsest[key]):
                coarsest[key] = f.unit
            rows.append((order, rid, group, key, f))
    out = []
    for order, rid, group, key, f in rows:
        unit = coarsest[key]
        v, d = to_unit(f.value, f.value_decimals, f.unit, unit)
        out.append(Observation(
            release=rid, order=order, figure=f.id, group=group, key=key[1], currency=key[2],
            flow=f.flow, period=f.period_range, value=v, decimals=d, yoy=f.yoy,
            yoy_decimals=_dec(f.yoy_decimals), unit=unit, published_unit=f.unit))
    return out, coarsest


def included_series(obs: list[Observation]) -> list[tuple[str, str, str]]:
    """Series shown: the flows (total, exports, imports, balance) and any series in two releases."""
    releases: dict[tuple, set] = {}
    for o in obs:
        releases.setdefault((o.group, o.key, o.currency), set()).add(o.release)
    return [k for k, rs in releases.items() if k[1] in FLOW_SERIES or len(rs) > 1]


# --------------------------------------------------------------------------- single periods


def _fmt(x: float) -> str:
    return "" if _nan(x) else f"{x:,.6g}"


def _single(cum: Observation, prev: Observation | None) -> dict:
    """Value, growth and base of ``cum - prev`` with their bounds (prev None: cum itself)."""
    pv, py, pd_, pyd = (0.0, 0.0, math.nan, math.nan) if prev is None else (
        prev.value, prev.yoy, prev.decimals, prev.yoy_decimals)
    value = cum.value - pv
    lo, hi = bd.residual_bounds(cum.value, [pv], cum.decimals, [pd_])
    dec = (cum.decimals, cum.yoy_decimals, pd_, pyd)
    if _nan(cum.yoy) or _nan(py):
        g = g_lo = g_hi = b = b_lo = b_hi = math.nan
    else:
        g = ar.difference_growth(cum.value, cum.yoy, pv, py, errors="nan")
        g_lo, g_hi = bd.difference_growth_bounds(cum.value, cum.yoy, pv, py, *dec)
        b = ar.base(cum.value, cum.yoy, errors="nan") - ar.base(pv, py, errors="nan")
        b_lo, b_hi = bd.base_difference_bounds(cum.value, cum.yoy, pv, py, *dec)
    return {"value": value, "value_low": float(lo), "value_high": float(hi), "growth": float(g),
            "growth_low": float(g_lo), "growth_high": float(g_hi), "base": float(b),
            "base_low": float(b_lo), "base_high": float(b_hi)}


def _judge_value(stated: Observation | None, computed: float, lo: float, hi: float) -> str:
    if stated is None:
        return NOT_CHECKABLE
    s_lo, s_hi = stated.interval
    return judge(stated.value, s_lo, s_hi, computed, lo, hi, stated.decimals)


def _judge_growth(stated: Observation | None, computed: float, lo: float, hi: float) -> str:
    if stated is None or _nan(stated.yoy):
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
            missing = [o for o in (cum, prev) if _nan(o.value) or _nan(o.yoy)]
            if missing:
                what = "; ".join(f"{o.figure} ({o.period.label}) in {o.release} has no "
                                 f"{'value' if _nan(o.value) else 'growth'}" for o in missing)
                note = "; ".join(x for x in (note, what) if x)
            if prev.release != cum.release:
                note = "; ".join(x for x in (note, f"{cum.release} minus {prev.release}") if x)
        rows.append({
            "group": group, "series": key, "currency": currency, "unit": unit,
            "period": str(block), "label": block.label, "kind": kind,
            "cumulative_period": str(p), "cumulative": cum.value, "cumulative_yoy": cum.yoy,
            "cumulative_release": cum.release,
            "previous_period": str(prev_p) if prev_p else "", "previous": prev.value if prev else math.nan,
            "previous_yoy": prev.yoy if prev else math.nan, "previous_release": prev.release if prev else "",
            **d,
            "stated_value": stated.value if stated else math.nan,
            "stated_yoy": stated.yoy if stated else math.nan,
            "stated_release": stated.release if stated else "",
            "stated_figure": stated.figure if stated else "",
            "value_status": vs, "growth_status": gs, "status": worst(vs, gs), "note": note,
        })
    for p, os_ in sorted(by_period.items(), key=lambda t: (t[0].end, t[0].start)):
        rest = [o for o in os_ if id(o) not in used and p.start % 12 != 0]
        if not rest:
            continue
        s = _latest(rest)
        rows.append({
            **dict.fromkeys(PERIOD_COLUMNS, math.nan),
            "group": group, "series": key, "currency": currency, "unit": unit, "period": str(p),
            "label": p.label, "kind": "stated only", "cumulative_period": "", "cumulative_release": "",
            "previous_period": "", "previous_release": "",
            "stated_value": s.value, "stated_yoy": s.yoy, "stated_release": s.release,
            "stated_figure": s.figure, "value_status": NOT_CHECKABLE, "growth_status": NOT_CHECKABLE,
            "status": NOT_CHECKABLE,
            "note": f"no two cumulative figures of {key} end just before and at the end of {p.label}",
        })
    return rows


# --------------------------------------------------------------------------- revisions


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
    return Vintage(o.release, o.order, f"stated ({o.figure})", o.value, lo, hi, o.decimals,
                   o.yoy, ylo, yhi, o.yoy_decimals, [o])


def _implied_vintage(whole: Observation, sub: Observation, period: Period) -> Vintage:
    lo, hi = bd.residual_bounds(whole.value, [sub.value], whole.decimals, [sub.decimals])
    g = glo = ghi = math.nan
    if not (_nan(whole.yoy) or _nan(sub.yoy)):
        g = ar.difference_growth(whole.value, whole.yoy, sub.value, sub.yoy, errors="nan")
        glo, ghi = bd.difference_growth_bounds(whole.value, whole.yoy, sub.value, sub.yoy, whole.decimals,
                                               whole.yoy_decimals, sub.decimals, sub.yoy_decimals)
    how = f"implied: {whole.figure} ({whole.period.label}) minus {sub.figure} ({sub.period.label})"
    return Vintage(whole.release, whole.order, how, whole.value - sub.value, float(lo), float(hi),
                   math.nan, float(g), float(glo), float(ghi), math.nan, [whole, sub])


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
    """The printed precision a comparison is judged at: the earlier stated figure's, else the later's."""
    for v in (a, b):
        d = getattr(v, attr)
        if not _nan(d):
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
            if (_nan(e.value) and _nan(e.yoy)) or (_nan(later.value) and _nan(later.yoy)):
                continue
            d = _precision(e, later, "decimals")
            vstat = judge(e.value, e.low, e.high, later.value, later.low, later.high, d)
            yd = _precision(e, later, "yoy_decimals")
            gstat = judge(e.yoy, e.yoy_low, e.yoy_high, later.yoy, later.yoy_low, later.yoy_high, yd, percent=True)
            rev = later.value - e.value
            r_lo, r_hi = later.low - e.high, later.high - e.low
            if vstat == INCONSISTENT or gstat == INCONSISTENT:
                what = (f"{key}, {p.label}: {_fmt(e.value)} {unit} in {e.release}, {_fmt(later.value)} in "
                        f"{later.release} ({later.how.split(':')[0]})")
                size = (f"revised by {rev:+,.6g} {unit} (between {r_lo:+,.6g} and {r_hi:+,.6g})"
                        if vstat == INCONSISTENT else "")
                gsize = (f"growth revised from {_pct(e.yoy)} to {_pct(later.yoy)}" if gstat == INCONSISTENT else "")
                note = (f"a revision between releases, not an error inside either: {what}; "
                        + "; ".join(x for x in (size, gsize) if x))
            elif NOT_CHECKABLE == vstat == gstat:
                note = "nothing to compare"
            else:
                note = "unchanged within the printed precision"
            rows.append({
                "group": group, "series": key, "currency": currency, "unit": unit, "period": str(p),
                "label": p.label, "earlier_release": e.release, "earlier": e.value, "earlier_low": e.low,
                "earlier_high": e.high, "earlier_how": e.how, "later_release": later.release,
                "later": later.value, "later_low": later.low, "later_high": later.high, "later_how": later.how,
                "revision": rev, "revision_low": r_lo, "revision_high": r_hi,
                "earlier_yoy": e.yoy, "later_yoy": later.yoy, "later_yoy_low": later.yoy_low,
                "later_yoy_high": later.yoy_high, "yoy_revision": 100.0 * (later.yoy - e.yoy),
                "value_status": vstat, "growth_status": gstat, "status": worst(vstat, gstat), "note": note,
            })
    return rows


def _pct(x: float) -> str:
    return "" if _nan(x) else f"{x * 100:+.2f}%"


def _explain(periods: list[dict], revisions: list[dict]) -> None:
    """Say on an inconsistent single period when a figure it is built from was revised."""
    revised = {}
    for r in revisions:
        if r["value_status"] == INCONSISTENT or r["growth_status"] == INCONSISTENT:
            revised.setdefault((r["group"], r["series"], r["currency"], r["period"]), r)
    for row in periods:
        if row["status"] != INCONSISTENT or row["kind"] != "single period":
            continue
        keys = [(row["group"], row["series"], row["currency"], row[k]) for k in ("previous_period", "cumulative_period")]
        r = next((revised[k] for k in keys if k in revised), None)
        if r is None:
            continue
        row["note"] = "; ".join(x for x in (row["note"], (
            f"{r['label']} was revised between {r['earlier_release']} and {r['later_release']} "
            f"(by {r['revision']:+,.6g} {row['unit']}): this is what a revision looks like; "
            f"the single period mixes the two vintages")) if x)


# --------------------------------------------------------------------------- the tables


@dataclass
class SeriesTables:
    """The result of :func:`series`: DataFrames of figures, single periods and revisions."""

    figures: object
    periods: object
    revisions: object
    notes: list[str]
    releases: list[dict]

    @property
    def exit_code(self) -> int:
        """1 when a single period or a revision is inconsistent, else 0 (the CLI's contract)."""
        bad = (self.periods["status"] == INCONSISTENT).any() or (self.revisions["status"] == INCONSISTENT).any()
        return 1 if bad else 0


def _figures_frame(releases_ordered, ids, obs, units, shown):
    import pandas as pd

    by_fig = {(o.release, o.figure): o for o in obs}
    rows = []
    for order, (rid, r) in enumerate(zip(ids, releases_ordered)):
        group = release_group(r)
        for f in r.figures:
            o = by_fig[(rid, f.id)]
            rows.append({
                "release": rid, "order": order, "published": str(r.meta.get("published") or ""),
                "group": group, "series": o.key, "currency": o.currency, "id": f.id, "label": f.label,
                "period": f.period, "start": _yyyymm(o.period.start), "end": _yyyymm(o.period.end),
                "ytd": o.ytd, "flow": f.flow, "value": f.value,
                "value_decimals": math.nan if f.value_decimals is None else f.value_decimals,
                "unit": f.unit, "multiplier": scale_of(f.unit), "yoy": f.yoy,
                "yoy_decimals": math.nan if f.yoy_decimals is None else f.yoy_decimals,
                "series_unit": o.unit, "series_value": o.value, "series_decimals": o.decimals,
                "in_series": (group, o.key, o.currency) in shown, "sentence": f.sentence,
            })
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def _yyyymm(month_index: int) -> int:
    """A month counted as ``year * 12 + month - 1`` written as 202104 (April 2021)."""
    y, m = divmod(month_index, 12)
    return y * 100 + m + 1


def _load_all(sources) -> list:
    from tradecalc.model.release import Release

    out = []
    for s in sources:
        if isinstance(s, Release):
            out.append(s)
            continue
        p = Path(s)
        if p.is_dir():
            files = sorted(p.glob("*.toml"))
            if not files:
                raise SeriesError(f"{p}: the folder holds no release files (*.toml)")
            out += [_load_one(f) for f in files]
        else:
            out.append(_load_one(p))
    return out


def _load_one(path: Path):
    import tradecalc

    return tradecalc.load(path)


def series(sources) -> SeriesTables:
    """Line releases up by series and period: figures, single periods and revisions.

    ``sources``: release files, folders of release files, template workbooks or loaded
    :class:`~tradecalc.model.release.Release` objects, in any order (they are ordered by
    the last month they cover). Raises ``ReleaseError`` for a release that does not load
    and :class:`SeriesError` for releases that cannot be lined up.
    """
    import pandas as pd

    releases = _load_all(list(sources) if not isinstance(sources, (str, Path)) else [sources])
    if not releases:
        raise SeriesError("no releases given")
    obs, units = observations(releases)
    ordered = order_releases(releases)
    ids = [_release_id(r, i) for i, r in enumerate(ordered)]
    shown = included_series(obs)
    shown_set = set(shown)
    period_rows, revision_rows = [], []
    for key in shown:
        mine = [o for o in obs if (o.group, o.key, o.currency) == key]
        period_rows += _period_rows(key, mine)
        revision_rows += _revision_rows(key, mine)
    _explain(period_rows, revision_rows)
    notes = _group_notes(ordered, ids)
    notes += _skipped_notes(obs, shown_set)
    meta = [{"id": rid, "order": i, "group": release_group(r), "title": str(r.meta.get("title") or ""),
             "published": str(r.meta.get("published") or ""), "source_url": str(r.meta.get("source_url") or "")}
            for i, (rid, r) in enumerate(zip(ids, ordered))]
    return SeriesTables(
        figures=_figures_frame(ordered, ids, obs, units, shown_set),
        periods=pd.DataFrame(period_rows, columns=list(PERIOD_COLUMNS)),
        revisions=pd.DataFrame(revision_rows, columns=list(REVISION_COLUMNS)),
        notes=notes, releases=meta,
    )


def _group_notes(ordered, ids) -> list[str]:
    groups: dict[str, list[str]] = {}
    for rid, r in zip(ids, ordered):
        groups.setdefault(release_group(r), []).append(rid)
    notes = []
    if len(groups) > 1:
        parts = "; ".join(f"{g}: {', '.join(rs)}" for g, rs in groups.items())
        notes.append(f"releases of different publishers or regions are kept apart ({parts})")
    if "(publisher not given)" in groups:
        notes.append("some releases name no publisher under [release]; they are taken as one publisher: "
                     "add publisher = \"...\" to keep others apart")
    return notes


def _skipped_notes(obs, shown) -> list[str]:
    skipped = sorted({o.key for o in obs if (o.group, o.key, o.currency) not in shown})
    if not skipped:
        return []
    more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
    return [f"{len(skipped)} series found in one release only are not lined up ({', '.join(skipped[:8])}{more}); "
            "link figures across releases with the same series = \"...\""]


__all__ = [
    "FLOW_SERIES", "PERIOD_COLUMNS", "REVISION_COLUMNS", "FIGURE_COLUMNS", "SeriesError", "SeriesTables",
    "Observation", "Vintage", "series", "observations", "vintages", "release_group", "series_key", "to_unit",
    "order_releases", "included_series", "worst",
]
