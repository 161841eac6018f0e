"""Lining releases up: groups, series keys, units, vintages order, observations."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from tradecalc.analysis.status import (
    CONSISTENT,
    INCONSISTENT,
    NOT_CHECKABLE,
    WITHIN_ROUNDING,
)
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.model.published import currency_of, is_nan, scale_of

#: Series shown even when only one release has them (breakdown parts need two releases).
FLOW_SERIES = ("total", "exports", "imports", "balance")

_RANK = {s: i for i, s in enumerate((INCONSISTENT, WITHIN_ROUNDING, CONSISTENT, NOT_CHECKABLE))}


class SeriesError(ValueError):
    """Releases that cannot be lined up (the same figure twice, one series with two flows)."""


def _dec(d) -> float:
    return math.nan if d is None else float(d)


def worst(*statuses: str) -> str:
    """The weakest of several statuses.

    Inconsistent < consistent within rounding < consistent < not checkable.
    """
    have = [s for s in statuses if s in _RANK]
    return min(have, key=_RANK.__getitem__) if have else NOT_CHECKABLE


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
    if is_nan(value):
        return math.nan, _dec(decimals)
    v = float(Decimal(repr(float(value))) * ratio)
    return v, (math.nan if is_nan(decimals) else float(decimals) - float(shift))


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
        """The interval the printed value stands for, (low, high) in the series' unit."""
        lo, hi = bd.interval(self.value, self.decimals)
        return float(lo), float(hi)

    @property
    def yoy_interval(self) -> tuple[float, float]:
        """The interval the printed growth stands for, (low, high) as fractions (0.6035, 0.6045 for 60.4%)."""
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
                    f'give the figures distinct series (series = "...") to keep them apart'
                )
            where = (rid, key, f.period_range)
            if where in seen:
                raise SeriesError(
                    f"{rid} prints series {key[1]!r} for {f.period_range.label} twice "
                    f"({seen[where]} "
                    f"and {f.id}); give one of them its own series"
                )
            seen[where] = f.id
            if key not in coarsest or scale_of(f.unit) > scale_of(coarsest[key]):
                coarsest[key] = f.unit
            rows.append((order, rid, group, key, f))
    out = []
    for order, rid, group, key, f in rows:
        unit = coarsest[key]
        v, d = to_unit(f.value, f.value_decimals, f.unit, unit)
        out.append(
            Observation(
                release=rid,
                order=order,
                figure=f.id,
                group=group,
                key=key[1],
                currency=key[2],
                flow=f.flow,
                period=f.period_range,
                value=v,
                decimals=d,
                yoy=f.yoy,
                yoy_decimals=_dec(f.yoy_decimals),
                unit=unit,
                published_unit=f.unit,
            )
        )
    return out, coarsest


def included_series(obs: list[Observation]) -> list[tuple[str, str, str]]:
    """Series shown: the flows (total, exports, imports, balance) and any series in two releases."""
    releases: dict[tuple, set] = {}
    for o in obs:
        releases.setdefault((o.group, o.key, o.currency), set()).add(o.release)
    return [k for k, rs in releases.items() if k[1] in FLOW_SERIES or len(rs) > 1]
