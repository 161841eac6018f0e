"""What every check needs of a release, computed once: indexes and the figures' intervals.

Each figure's value, growth and earlier growth stand for an interval: the
printed rounding, or the wider interval of a qualifier ("more than 395.8",
see :func:`tradecalc.calc.bounds.qualified_interval`). They are computed for
all figures in one vectorised call each, and looked up by position.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.published import currency_of, format_published, scale_of


@dataclass(frozen=True)
class Num:
    """A published number as an interval: ``value`` in ``[low, high]``."""

    value: float
    low: float
    high: float
    decimals: float  # NaN when unknown
    qualifier: str = ""

    def scaled(self, k: float) -> Num:
        """The number times ``k`` (a unit's multiplier), its interval's ends kept in order."""
        if k == 1.0:
            return self
        lo, hi = sorted((self.low * k, self.high * k))
        return Num(self.value * k, lo, hi, self.decimals, self.qualifier)


@dataclass(frozen=True)
class Nums:
    """Published numbers of several figures as intervals, one array per field (:class:`Num` by element).

    What a check over many figures (the parts of a breakdown) takes in one
    lookup, instead of one :class:`Num` per figure.
    """

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    decimals: np.ndarray  # NaN when unknown
    qualifier: np.ndarray  # object array of str

    def missing(self) -> np.ndarray:
        """Where the number is not printed (NaN)."""
        return np.isnan(self.value)

    def qualifiers(self) -> list[str]:
        """The qualifiers printed, in the figures' order ("" left out)."""
        return [q for q in self.qualifier.tolist() if q]

    def scaled(self, k: np.ndarray) -> Nums:
        """Each number times its own factor ``k`` (as :meth:`Num.scaled`, element by element)."""
        if np.all(k == 1.0):
            return self
        one = k == 1.0
        lo, hi = self.low * k, self.high * k
        swap = hi < lo  # sorted((lo, hi)) of Num.scaled
        lo, hi = np.where(swap, hi, lo), np.where(swap, lo, hi)
        return Nums(
            np.where(one, self.value, self.value * k),
            np.where(one, self.low, lo),
            np.where(one, self.high, hi),
            self.decimals,
            self.qualifier,
        )


def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier from ``from_unit`` into ``to_unit`` of the same currency (NaN otherwise).

    >>> factor("billion yuan", "trillion yuan")
    0.001
    """
    if from_unit == to_unit:
        return 1.0
    if currency_of(from_unit).lower() != currency_of(to_unit).lower():
        return np.nan
    return scale_of(from_unit) / scale_of(to_unit)


class _FiguresById(Mapping):
    """Id → figure, read through the context's id → row index (no second dict of every id)."""

    def __init__(self, figures, pos):
        self._figures, self._pos = figures, pos

    def __getitem__(self, fid):
        return self._figures[self._pos[fid]]

    def get(self, fid, default=None):
        i = self._pos.get(fid)
        return default if i is None else self._figures[i]

    def __iter__(self):
        return iter(self._pos)

    def __len__(self):
        return len(self._pos)


_ID, _UNIT = operator.attrgetter("id"), operator.attrgetter("unit")


def _repeated(figs) -> list[str]:
    seen: set[str] = set()
    return [f.id for f in figs if f.id in seen or seen.add(f.id)]


class Context:
    """Indexes (figures by id, breakdown, series, flow and period) and intervals, built once."""

    def __init__(self, release):
        self.release = release
        figs = release.figures
        self.figures = figs
        self.pos = dict(zip(map(_ID, figs), range(len(figs))))
        if len(self.pos) != len(figs):  # two figures, one id: which one a check means is unknown
            raise ValueError(f"figure ids given twice: {', '.join(_repeated(figs)[:5])}")
        self.by_id = _FiguresById(figs, self.pos)
        self.members: dict[str, list] = {}
        self.by_series: dict[str, list] = {}
        self._positions: dict[int, tuple] = {}  # id(list) → (the list, its rows, its units)
        self.complete_of: dict[str, list] = {}  # parent id → its complete breakdowns
        for b in release.breakdowns:
            if b.kind == "complete" and b.parent:
                self.complete_of.setdefault(b.parent, []).append(b)
        # each breakdown's parts with their rows and units, taken while the figure is at hand:
        # found later by id, 3·10^4 parts cost 5 ms each time at 10^5 figures (issue 16)
        rows_units: dict[str, tuple[list, list]] = {}
        for i, f in enumerate(figs):
            if f.breakdown:
                parts = self.members.get(f.breakdown)
                if parts is None:
                    parts = self.members[f.breakdown] = []
                    rows_units[f.breakdown] = ([], [])
                parts.append(f)
                rows, units = rows_units[f.breakdown]
                rows.append(i)
                units.append(f.unit)
            if f.series:
                self.by_series.setdefault(f.series, []).append(f)
        for b, parts in self.members.items():
            rows, units = rows_units[b]
            self._positions[id(parts)] = (parts, np.array(rows, dtype=np.intp), units)
        self._value = self._intervals(
            figs, "value", "value_decimals", "value_qualifier", percent=False
        )
        self._yoy = self._intervals(figs, "yoy", "yoy_decimals", "yoy_qualifier", percent=True)
        self._earlier = self._intervals(
            figs, "earlier_growth", "earlier_growth_decimals", None, percent=True
        )
        # every figure's year-earlier base interval, in one vectorised call (not one per breakdown)
        if figs:
            v, y = self._value, self._yoy
            lo, hi = bd.base_interval_bounds(v[1], v[2], y[1], y[2])
            self._base = (np.atleast_1d(lo), np.atleast_1d(hi))
        else:
            self._base = (np.array([]), np.array([]))

    @functools.cached_property
    def by_flow_period(self) -> dict[tuple, list]:
        """(flow, period) → figures, for the balances (built when first asked for)."""
        out: dict[tuple, list] = {}
        for f in self.figures:
            if f.period:
                out.setdefault((f.flow, f.period_range), []).append(f)
        return out

    @staticmethod
    def _intervals(figs, key, dkey, qkey, *, percent):
        """(values, lows, highs, decimals, qualifiers) of one number of every figure.

        The rounding interval for all, then :func:`bd.qualified_interval` for the
        few printed with a qualifier (it is element by element; "" gives the rounding).
        """
        v = np.array(list(map(operator.attrgetter(key), figs)), dtype=float)
        d = np.array(list(map(operator.attrgetter(dkey), figs)), dtype=float)  # None → NaN
        if qkey:
            q = np.array(list(map(operator.attrgetter(qkey), figs)), dtype=object)
        else:
            q = np.full(len(figs), "", dtype=object)
        if not len(figs):
            return v, v, v, d, q
        lo, hi = (np.atleast_1d(x) for x in bd.interval(v, d, percent=percent))
        rows = np.flatnonzero(q != "")
        if len(rows):
            lo[rows], hi[rows] = bd.qualified_interval(v[rows], d[rows], q[rows], percent=percent)
        return v, lo, hi, d, q

    def _num(self, table, f) -> Num:
        v, lo, hi, d, q = table
        i = self.pos[f.id]
        return Num(float(v[i]), float(lo[i]), float(hi[i]), float(d[i]), str(q[i]))

    def _rows(self, figs) -> tuple:
        """(rows in the context's arrays, units) of a list of figures, worked out once per list.

        A breakdown's parts are looked up several times (values, growths, bases);
        the cache holds the list itself, so its ``id`` stays its own.
        """
        hit = self._positions.get(id(figs))
        if hit is not None and hit[0] is figs and len(hit[1]) == len(figs):
            return hit[1], hit[2]
        # map: the loops run in C (a breakdown of 3·10^4 parts: 10 → 3 ms)
        rows = np.fromiter(
            map(self.pos.__getitem__, map(_ID, figs)), dtype=np.intp, count=len(figs)
        )
        units = list(map(_UNIT, figs))
        self._positions[id(figs)] = (figs, rows, units)
        return rows, units

    def positions(self, figs) -> np.ndarray:
        """Rows of ``figs`` in the context's arrays."""
        return self._rows(figs)[0]

    def factors(self, figs, unit: str | None) -> np.ndarray:
        """Each figure's multiplier into ``unit`` (1 for ``None``; NaN for another currency)."""
        if unit is None:
            return np.ones(len(figs))
        units = self._rows(figs)[1]
        known = {u: factor(u, unit) for u in set(units)}
        if len(known) == 1:
            return np.full(len(figs), known[units[0]])
        return np.array([known[u] for u in units], dtype=float)

    def _nums(self, table, figs) -> Nums:
        v, lo, hi, d, q = table
        i = self.positions(figs)
        return Nums(v[i], lo[i], hi[i], d[i], q[i])

    def values(self, figs, unit: str | None = None) -> Nums:
        """:meth:`value` of every figure of ``figs``, as arrays."""
        return self._nums(self._value, figs).scaled(self.factors(figs, unit))

    def yoys(self, figs) -> Nums:
        """:meth:`yoy` of every figure of ``figs``, as arrays."""
        return self._nums(self._yoy, figs)

    def earliers(self, figs) -> Nums:
        """:meth:`earlier` of every figure of ``figs``, as arrays."""
        return self._nums(self._earlier, figs)

    def growths(self, figs, which: str) -> Nums:
        """:meth:`yoys` for ``which`` "yoy", else :meth:`earliers`: growths as fractions."""
        return self.yoys(figs) if which == "yoy" else self.earliers(figs)

    def printed_values(self, figs) -> np.ndarray:
        """The figures' values as printed, in their own units (NaN where not printed)."""
        return self._value[0][self.positions(figs)]

    def earlier_values(self) -> np.ndarray:
        """Every figure's growth on an earlier period, in the figures' order (NaN where none)."""
        return self._earlier[0]

    def base_intervals(self, figs, unit: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`base_interval` of every figure of ``figs``: (lows, highs)."""
        i = self.positions(figs)
        k = self.factors(figs, unit)
        return self._base[0][i] * k, self._base[1][i] * k

    def value(self, f, unit: str | None = None) -> Num:
        """The figure's value as an interval, in ``unit`` (default: its own)."""
        n = self._num(self._value, f)
        return n if unit is None else n.scaled(factor(f.unit, unit))

    def base_interval(self, f, unit: str | None = None) -> tuple[float, float]:
        """The interval of the figure's base a year earlier, in ``unit`` (default: its own)."""
        i = self.pos[f.id]
        lo, hi = float(self._base[0][i]), float(self._base[1][i])
        k = 1.0 if unit is None else factor(f.unit, unit)
        return (lo * k, hi * k)

    def whole(self, parent) -> tuple[Num | None, str, str]:
        """The parent's value, or, where it is not printed, the sum of a complete breakdown of it.

        A whole known only as the sum of its parts ("exports 516.8 and imports 283.2",
        the total "exceeding 800" or not printed) stands for the sum of the parts'
        intervals. Returns (number or None, a note saying which was taken, the id of the
        breakdown summed or "").
        """
        if not np.isnan(parent.value):
            return self.value(parent), "", ""
        for b in self.complete_of.get(parent.id, ()):
            parts = self.members.get(b.id, [])
            nums = [self.value(p, parent.unit) for p in parts]
            if parts and not any(np.isnan(n.value) for n in nums):
                total = Num(
                    sum(n.value for n in nums),
                    sum(n.low for n in nums),
                    sum(n.high for n in nums),
                    np.nan,
                    next((n.qualifier for n in nums if n.qualifier), ""),
                )
                note = (
                    f"{parent.id}'s value is not printed: taken as the sum of breakdown "
                    f"{b.id}, {total.value:g} [{total.low:g}, {total.high:g}]"
                )
                return total, note, b.id
        return None, f"no value for {parent.id}", ""

    def yoy(self, f) -> Num:
        """The figure's year-on-year growth as an interval, a fraction (0.757 for +75.7%)."""
        return self._num(self._yoy, f)

    def earlier(self, f) -> Num:
        """The figure's growth on an earlier period as an interval, a fraction (NaN where none)."""
        return self._num(self._earlier, f)

    def growth(self, f, which: str) -> Num:
        """:meth:`yoy` for ``which`` "yoy", else :meth:`earlier`: a growth as a fraction."""
        return self.yoy(f) if which == "yoy" else self.earlier(f)


def difference_growth(A: Num, AY: Num, B: Num, BY: Num) -> tuple[float, float, float]:
    """Growth of A − B from the values and growths of A and B: (growth, low, high).

    The bounds are over the joint box of the four intervals (NaN where the
    difference a year earlier may be zero or change sign). Exports 4.61 (+38.7%)
    minus imports 3.86 (+19.3%) trillion yuan: 0.75 against 0.088 a year earlier, +750%.
    """
    g = float(ar.difference_growth(A.value, AY.value, B.value, BY.value, errors="nan"))
    lo, hi = bd.aggregate_growth_interval_bounds(
        np.array([A.low, B.low]),
        np.array([A.high, B.high]),
        np.array([AY.low, BY.low]),
        np.array([AY.high, BY.high]),
        signs=np.array([1.0, -1.0]),
    )
    return g, lo, hi


def printed(f) -> str:
    """A figure as the release prints it: "Imports, March 24 (+28.3%)"."""
    value = (
        ""
        if np.isnan(f.value)
        else " "
        + " ".join(x for x in (f.value_qualifier, format_published(f.value, f.value_decimals)) if x)
    )
    growth = ""
    if not np.isnan(f.yoy):
        text = f.yoy_text()
        sign = "+" if f.yoy >= 0 and not f.yoy_reading else ""
        growth = f" ({' '.join(x for x in (f.yoy_qualifier, sign + text) if x)})"
    return f"{f.label or f.id}{value}{growth}"


def signed_percent(g: float, decimals) -> str:
    """A growth as printed, with sign and precision: 0.042, 1 decimal → "+4.2%" (never "+4%");
    a NaN is "NaN%".

    Cached: growths printed to one decimal take few values (a check at 10^5 figures prints
    10^4 growths, 6 µs each to format). Not for a zero (0.0 and -0.0 are one key, and
    print differently) or a NaN (never found again).
    """
    if g == 0 or g != g:
        return _signed_percent(g, decimals)
    return _signed_percent_cached(g, decimals)


def _signed_percent(g: float, decimals) -> str:
    d = None if decimals is None or np.isnan(decimals) else max(int(decimals), 0)
    text = format_published(g, d, True)
    # -0.0 is printed "-0.0%" (not "+-0.0%"); a NaN has no sign
    return ("" if text.startswith("-") or g != g else "+") + text


_signed_percent_cached = functools.lru_cache(maxsize=4096)(_signed_percent)
