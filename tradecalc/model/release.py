"""The release model: figures, breakdowns and statements, and their validation.

A release is built from plain records (dicts of column name → cell), whether
they come from a release file (:mod:`tradecalc.model.releasefile`) or from the
Figures table of a template workbook (:mod:`tradecalc.workbook.reader`). Both
sources go through :func:`from_records`, so they validate identically.

Numbers in records may be printed text ("112.32", "60.4%") or numbers with a
separate ``*_decimals`` column; either way a figure keeps its value and the
precision it was published with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tradecalc.errors import BadInput
from tradecalc.io.limits import MAX_DECIMALS
from tradecalc.model.periods import FORMS, Period, PeriodError
from tradecalc.model.published import (
    Published,
    checked_decimals,
    currency_of,
    format_published,
    is_blank,
    parse,
    scale_of,
)

FLOWS = ("total", "exports", "imports", "balance")
BREAKDOWN_KINDS = ("complete", "partial", "overlapping")
STATEMENT_KINDS = ("conversion", "pp_difference", "share", "share_change_pp", "change")
#: Words printed before a number, each standing for an interval (README, "The release file";
#: :func:`tradecalc.calc.bounds.qualified_interval`, whose list this is).
QUALIFIERS = (
    "",
    "about",
    "nearly",
    "more than",
    "over",
    "exceeding",
    "at least",
    "less than",
    "under",
    "up to",
)
#: How a growth printed as a multiple ("increased 4.7 times") is read: "increase" is +470%
#: (Chinese 增长4.7倍), "ratio" is 4.7 times the base, +370% ("4.7 times the amount of 2019").
YOY_READINGS = ("increase", "ratio")
RELEASE_KEYS = ("id", "title", "publisher", "source_url", "published", "period", "currency", "unit")

#: Columns of the workbook's Figures table, in order; the release file uses the
#: same names (numbers there are printed text, so the ``*_decimals`` columns
#: are implied by the text).
FIGURE_COLUMNS = (
    "id",
    "label",
    "period",
    "flow",
    "series",
    "breakdown",
    "parent",
    "value",
    "value_decimals",
    "unit",
    "yoy",
    "yoy_decimals",
    "earlier_growth",
    "earlier_growth_decimals",
    "earlier_period",
    "sentence",
    "growth_sentence",
    "review",
    "value_qualifier",
    "yoy_qualifier",
    "yoy_reading",
)
BREAKDOWN_COLUMNS = ("id", "parent", "kind", "label")
STATEMENT_COLUMNS = (
    "id",
    "kind",
    "figure",
    "value",
    "value_decimals",
    "unit",
    "approximate",
    "reference",
    "sentence",
    "review",
)


class ReleaseError(BadInput):
    """A release that does not load; ``problems`` lists every :class:`~tradecalc.errors.Problem`."""


# slots: a 10^5-figure release holds 68 MiB of Python objects instead of 79 MiB (issue 16),
# and a misspelt attribute assignment raises instead of adding a field nobody reads.
@dataclass(slots=True)
class Figure:
    """One published figure. Growth rates are fractions; ``*_decimals`` are as printed."""

    id: str
    label: str = ""
    period: str = ""
    flow: str = "total"
    series: str = ""
    breakdown: str = ""
    parent: str = ""
    value: float = math.nan
    value_decimals: int | None = None
    unit: str = ""
    yoy: float = math.nan
    yoy_decimals: int | None = None
    earlier_growth: float = math.nan
    earlier_growth_decimals: int | None = None
    earlier_period: str = ""
    sentence: str = ""
    growth_sentence: str = ""
    review: str = ""
    value_qualifier: str = ""  # "more than", "about", ...: see QUALIFIERS
    yoy_qualifier: str = ""
    yoy_reading: str = ""  # "increase" | "ratio" when the growth was printed as a multiple
    where: str = ""  # "line 12" or "Figures row 5": where a message should point
    locs: Mapping = field(default_factory=dict, repr=False, compare=False)  # key → "line 14"
    # (period text, Period) of the last parse; re-parsed when ``period`` is edited
    _period: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def at(self, key: str) -> str:
        """Where ``key`` of this figure was written (falls back to the record)."""
        return self.locs.get(key, self.where)

    @property
    def period_range(self) -> Period:
        """The period as a month range, parsed once ("2021-Q1" and "2021-01/2021-03" are equal)."""
        cached = self._period
        if cached is None or cached[0] != self.period:
            cached = _period_pair(self.period)
            self._period = cached
        return cached[1]

    def yoy_text(self) -> str:
        """The growth as printed: "60.4%", or "4.7 times" for a multiple (see :data:`YOY_READINGS`)."""
        if math.isnan(self.yoy):
            return ""
        if self.yoy_reading:
            times = self.yoy + (1.0 if self.yoy_reading == "ratio" else 0.0)
            d = None if self.yoy_decimals is None else self.yoy_decimals + 2
            return f"{format_published(times, d if d is None or d >= 0 else 0)} times"
        return format_published(self.yoy, self.yoy_decimals, True)


@dataclass
class Breakdown:
    """A set of figures that split a parent: complete, partial or overlapping."""

    id: str
    parent: str = ""
    kind: str = "partial"
    label: str = ""
    where: str = ""


@dataclass
class Statement:
    """A stated relation: a converted value, a pp difference, or a stated share."""

    id: str
    kind: str
    figure: str
    value: float = math.nan
    value_decimals: int | None = None
    unit: str = ""
    approximate: bool = False
    reference: str = ""
    sentence: str = ""
    review: str = ""
    where: str = ""


@dataclass
class Release:
    """A release: its meta table, figures, breakdowns and statements, and where it was read from."""

    meta: dict
    figures: list[Figure]
    breakdowns: list[Breakdown] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    source: str = ""

    @property
    def unit(self) -> str:
        """The release's unit ("billion yuan"); "" when its meta names none."""
        return self.meta.get("unit", "")

    def figure(self, fid: str) -> Figure:
        """The figure with id ``fid`` (the first of that id); raises KeyError when there is none."""
        return self._indexes()["id"][fid]

    def _by_id(self) -> dict[str, Figure]:
        return self._indexes()["id"]

    def _indexes(self) -> dict:
        """Figures by id, by parent and by breakdown, built once (rebuilt if the lists change length).

        Linear in the figures: ``figure()`` and ``members()`` are called once per
        breakdown, so a scan per call made checks quadratic (issue 16).
        """
        key = (id(self.figures), len(self.figures), id(self.breakdowns), len(self.breakdowns))
        idx = self.__dict__.get("_idx")
        if idx is None or idx["key"] != key:
            by_id: dict[str, Figure] = {}
            children: dict[str, list[Figure]] = {}
            members: dict[str, list[Figure]] = {}
            for f in self.figures:
                by_id.setdefault(f.id, f)
                if f.parent:
                    children.setdefault(f.parent, []).append(f)
                if f.breakdown:
                    members.setdefault(f.breakdown, []).append(f)
            bds = {}
            for b in self.breakdowns:
                bds.setdefault(b.id, b)
            idx = {
                "key": key,
                "id": by_id,
                "children": children,
                "members": members,
                "breakdowns": bds,
            }
            self.__dict__["_idx"] = idx
        return idx

    def breakdown(self, bid: str) -> Breakdown | None:
        """The breakdown with id ``bid``, or None."""
        return self._indexes()["breakdowns"].get(bid)

    def members(self, bid: str) -> list[Figure]:
        """The figures of breakdown ``bid``, in the release's order (a new list)."""
        return list(self._indexes()["members"].get(bid, []))

    def figures_frame(self):
        """The figures as a DataFrame with :data:`FIGURE_COLUMNS`, indexed by id."""
        import pandas as pd

        rows = [{c: getattr(f, c) for c in FIGURE_COLUMNS} for f in self.figures]
        return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS)).set_index("id", drop=False)


# --------------------------------------------------------------------------- records → release


def _text(x) -> str:
    """A cell as clean text: "" for a blank (:func:`is_blank`), 3.0 → "3", else stripped.

    Text, nearly every cell of a release file, takes the first branch: ``x.strip()``
    is what the general rule gives for it.
    """
    if type(x) is str:
        return x.strip()
    if is_blank(x):
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


_MULTIPLE = re.compile(r"^\s*(?P<number>[^a-z]*?)\s*(?:times|-?fold)\s*$", re.IGNORECASE)


def _multiple(text) -> re.Match | None:
    """A growth printed as a multiple: "4.7 times", "3-fold"."""
    return _MULTIPLE.match(text) if isinstance(text, str) else None


def _growth_of_multiple(rec, key, problems, where):
    """(growth, decimals in percent) of "4.7 times": ±0.05 times is ±5 points, decimals −1."""
    m = _multiple(rec.get(key))
    loc = rec.get("_locs", {}).get(key, where)
    reading = _text(rec.get("yoy_reading")).lower()
    number = m.group("number")
    try:
        p = parse(number, percent=False)
        if p.unit:
            raise ValueError(f"unexpected text {p.unit!r}")
    except ValueError as e:
        problems.append(
            (
                loc,
                f"{key}: {e} in {rec.get(key)!r}.",
                'write the multiple as printed, e.g. "4.7 times"',
            )
        )
        return math.nan, None
    if reading not in YOY_READINGS:
        problems.append(
            (
                loc,
                f"{key} = {rec.get(key)!r} is a multiple, which English leaves ambiguous: "
                f"grew by {p.value:g} times (+{p.value:.0%}) or {p.value:g} times the base (+{p.value - 1:.0%}).",
                f'add yoy_reading = "increase" (grew by {p.value:g} times, the reading of Chinese 增长{number}倍) '
                f'or yoy_reading = "ratio" ({p.value:g} times the earlier amount)',
            )
        )
        return math.nan, None
    growth = p.value if reading == "increase" else p.value - 1.0
    return float(f"{growth:.12g}"), p.decimals - 2


def _number(rec, key, decimals_key, *, percent, problems, where, fix, min_decimals: int = 0):
    """(value, decimals) from a record: printed text, or a number plus decimals."""
    raw = rec.get(key)
    if raw.__class__ is float and raw - raw == 0.0:  # finite (NaN and ±inf give NaN)
        # a workbook's number cell, nearly every call: what parse(raw) gives, value float(raw)
        # and no decimals (for a growth the number is already a fraction), without a Published
        return raw, _given_decimals(rec, decimals_key, None, min_decimals, where, problems)
    if is_blank(raw):
        return math.nan, None
    if percent is True and key == "yoy" and _multiple(raw):
        return _growth_of_multiple(rec, key, problems, where)
    if percent is True and _multiple(raw):  # only yoy has a reading column (yoy_reading)
        problems.append(
            (
                rec.get("_locs", {}).get(key, where),
                f"{key} = {raw!r} is a multiple; only yoy may be written as one.",
                f'write it as the growth it means, e.g. {key} = "240%" for "3.4 times the amount of 2019" '
                '(or "340%" for "increased 3.4 times")',
            )
        )
        return math.nan, None
    try:
        if isinstance(raw, str):
            p = parse(raw, percent=percent if percent else False)
            if p.unit:
                raise ValueError(f"unexpected text {p.unit!r} after the number in {raw!r}")
            value, dec = p.value, p.decimals
        else:
            p: Published = parse(raw)
            value, dec = p.value, None
            if percent is True and isinstance(raw, (int, float)):
                value = float(raw)  # a number in a growth column is already a fraction
    except ValueError as e:
        problems.append((rec.get("_locs", {}).get(key, where), f"{key}: {e}.", fix))
        return math.nan, None
    return value, _given_decimals(rec, decimals_key, dec, min_decimals, where, problems)


def _given_decimals(rec, decimals_key, dec, min_decimals, where, problems):
    """The ``*_decimals`` cell of a record (:func:`checked_decimals`), else ``dec`` (the text's own).

    A bare number with no decimals cell keeps None: precision unknown (the caller may infer it).
    A bad decimals cell is appended to ``problems`` and leaves ``dec``.

    >>> _given_decimals({"value_decimals": 2.0}, "value_decimals", None, 0, "row 2", [])
    2
    """
    given = rec.get(decimals_key) if decimals_key else None
    if given.__class__ is float and given.is_integer() and min_decimals <= given <= MAX_DECIMALS:
        return int(
            given
        )  # a workbook's decimals cell: checked_decimals' result, without its checks
    if is_blank(given):
        return dec
    try:
        return checked_decimals(given, decimals_key, minimum=min_decimals)
    except BadInput as e:
        at = rec.get("_locs", {}).get(decimals_key, where)
        problems.extend((at, f"{decimals_key}: {p.message}", p.fix) for p in e.problems)
    return dec


#: Words of a figure record (qualifiers, the reading of a multiple): text, lower-cased.
_FIGURE_WORDS = ("value_qualifier", "yoy_qualifier", "yoy_reading")
#: The numbers of a figure record, read by :func:`_number`; the id is read first.
_FIGURE_NUMBERS = ("value", "yoy", "earlier_growth")
#: Every other column of a figure record is text, cleaned by :func:`_text`.
#: Texts shared by many figures (a period, a flow, a breakdown, a sentence), held once per
#: load: at 10^5 figures each such column was 10^5 copies of a few strings (5.3 MiB a column).
_SHARED_TEXTS = frozenset(
    {"period", "flow", "series", "breakdown", "parent", "unit", "earlier_period", "review"}
    | {"sentence", "growth_sentence", "value_qualifier", "yoy_qualifier", "yoy_reading"}
)


class _NoLocs(dict):
    """The ``locs`` of every figure read without any: one empty dict that refuses writes
    (a dict per figure was 6.1 MiB at 10^5 figures). It pickles and copies as a dict does."""

    def _refuse(self, *args, **kwargs):
        raise TypeError(
            "the shared empty locs of a figure is read-only; give the figure its own dict"
        )

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _refuse


_NO_LOCS = _NoLocs()


@lru_cache(maxsize=1024)
def _period_pair(text: str) -> tuple:
    """(text, its Period), one tuple per distinct period text for every figure that has it."""
    return text, Period.parse(text)


_FIGURE_TEXTS = tuple(
    c
    for c in FIGURE_COLUMNS
    if c != "id"
    and c not in _FIGURE_WORDS
    and c not in _FIGURE_NUMBERS
    and not c.endswith("_decimals")
)


def from_records(
    meta: dict,
    figures: list[dict],
    breakdowns: list[dict] = (),
    statements: list[dict] = (),
    *,
    source: str = "release",
) -> Release:
    """Build and validate a :class:`Release`; raise :class:`ReleaseError` listing every problem.

    Each record may carry ``_where`` (e.g. "line 12") for the messages.
    ``figures`` may be any iterable, read once and wholly before ``breakdowns``
    and ``statements`` are: a release file's figure records come a parsed
    block at a time (:func:`tradecalc.model.releasefile._streamed_release`).
    """
    problems: list[tuple[str, str, str]] = []
    meta = {k: _text(meta.get(k)) for k in RELEASE_KEYS} | {
        k: v for k, v in meta.items() if k not in RELEASE_KEYS
    }
    default_unit = meta.get("unit") or ""
    if not default_unit:
        problems.append(
            (
                "release",
                "the release has no unit.",
                'add unit = "billion yuan" (or the unit the release uses) under [release]',
            )
        )

    figs: list[Figure] = []
    shared: dict[str, str] = {}
    for rec in figures:
        where = rec.get("_where", "figure")
        fid = _text(rec.get("id"))
        if not fid:
            problems.append(
                (where, "a figure has no id.", 'give it a stable id such as id = "exports"')
            )
            continue
        get = rec.get
        # a key not written keeps the field's default (""), what _text(None) gives
        texts = {k: _text(v) for k in _FIGURE_TEXTS if (v := get(k)) is not None}
        texts |= {k: _text(v).lower() for k in _FIGURE_WORDS if (v := get(k)) is not None}
        for k in _SHARED_TEXTS.intersection(texts):
            texts[k] = shared.setdefault(texts[k], texts[k])
        f = Figure(id=fid, where=where, locs=get("_locs") or _NO_LOCS, **texts)
        f.flow = f.flow or "total"
        f.unit = f.unit or default_unit
        f.value, f.value_decimals = _number(
            rec,
            "value",
            "value_decimals",
            percent=False,
            problems=problems,
            where=where,
            fix='write the value as printed, e.g. "112.32"',
        )
        # a multiple ("4.7 times") has a growth precision coarser than a point: decimals down to −2
        f.yoy, f.yoy_decimals = _number(
            rec,
            "yoy",
            "yoy_decimals",
            percent=True,
            problems=problems,
            where=where,
            fix='write the growth as printed, e.g. "60.4%"',
            min_decimals=-2 if f.yoy_reading else 0,
        )
        if f.yoy_reading and isinstance(rec.get("yoy"), str) and not _multiple(rec.get("yoy")):
            problems.append(
                (
                    f.at("yoy_reading"),
                    f"figure {fid!r}: yoy_reading applies to a growth printed as a multiple, not to {rec.get('yoy')!r}.",
                    'write the multiple as printed (yoy = "4.7 times") or remove yoy_reading',
                )
            )
        if get("earlier_growth") is not None:  # most figures have none: (NaN, None), the default
            f.earlier_growth, f.earlier_growth_decimals = _number(
                rec,
                "earlier_growth",
                "earlier_growth_decimals",
                percent=True,
                problems=problems,
                where=where,
                fix='write the growth as printed, e.g. "37%"',
            )
        figs.append(f)

    bds = []
    for rec in breakdowns:
        where = rec.get("_where", "breakdown")
        b = Breakdown(
            id=_text(rec.get("id")),
            parent=_text(rec.get("parent")),
            kind=_text(rec.get("kind")) or "partial",
            label=_text(rec.get("label")),
            where=where,
        )
        bds.append(b)

    sts = []
    for rec in statements:
        where = rec.get("_where", "statement")
        s = Statement(
            id=_text(rec.get("id")),
            kind=_text(rec.get("kind")),
            figure=_text(rec.get("figure")),
            unit=_text(rec.get("unit")),
            reference=_text(rec.get("reference")),
            sentence=_text(rec.get("sentence")),
            review=_text(rec.get("review")),
            where=where,
        )
        s.approximate = _truthy(rec.get("approximate"))
        s.value, s.value_decimals = _number(
            rec,
            "value",
            "value_decimals",
            percent=True if s.kind == "share" else False,
            problems=problems,
            where=where,
            fix="write the number as printed",
        )
        sts.append(s)

    release = Release(meta=meta, figures=figs, breakdowns=bds, statements=sts, source=source)
    fill_parents(release)
    problems += validate(release)
    if problems:
        raise ReleaseError(source, problems)
    return release


def _truthy(x) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "yes", "1", "y")
    return bool(x) and not is_blank(x)


def fill_parents(r: Release) -> None:
    """Give each part of a breakdown the breakdown's parent when it names none (the README's form).

    Runs before :func:`validate`, so a part's unit and period are checked
    against the parent it gets here (issue 11, case 4).
    """
    bds = {b.id: b for b in r.breakdowns}
    for f in r.figures:
        b = bds.get(f.breakdown) if f.breakdown else None
        if b is not None and b.parent and not f.parent:
            f.parent = b.parent
    r.__dict__.pop("_idx", None)


def earlier_kind(period: Period, earlier: Period) -> str:
    """How a growth on ``earlier`` relates to ``period``: "years" or "previous", else "".

    "years": the same months a whole number of years before (2021-Q1 on 2019-Q1);
    "previous": the period of the same length just before (April on March,
    Q2 on Q1: month-on-month, quarter-on-quarter). A year on the year before
    is both, and counts as "years".
    """
    shift = period.start - earlier.start
    if shift > 0 and shift % 12 == 0 and period.end - earlier.end == shift:
        return "years"
    if earlier.months == period.months and earlier.end == period.start - 1:
        return "previous"
    return ""


def _check_units(f: Figure, parent: Figure, out: list) -> None:
    """A part may be printed in another multiplier of its parent's currency, never another currency."""
    if parent.unit == f.unit:
        return
    if currency_of(f.unit).lower() != currency_of(parent.unit).lower():
        out.append(
            (
                f.at("unit"),
                f"figure {f.id!r} is in {f.unit!r} but its parent {parent.id!r} is in {parent.unit!r}, another currency.",
                "convert the value into the parent's unit (another multiple of its currency is fine), or fix the unit",
            )
        )
    elif scale_of(f.unit) == 1.0 and scale_of(parent.unit) == 1.0:
        out.append(
            (
                f.at("unit"),
                f"figure {f.id!r} is in {f.unit!r} but its parent {parent.id!r} is in {parent.unit!r}.",
                'use the parent\'s unit or a multiple of it ("billion yuan" under "trillion yuan")',
            )
        )


def _cycles(r: Release, seen: dict[str, Figure], out: list) -> None:
    """Figures that are their own ancestor, in one pass over the parent links (linear)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for f in r.figures:
        if state.get(f.id):
            continue
        path, cur = [], f
        while cur is not None and not state.get(cur.id):
            state[cur.id] = 1
            path.append(cur)
            cur = seen.get(cur.parent) if cur.parent else None
        if cur is not None and state.get(cur.id) == 1:  # closed a loop on this path
            loop = path[[p.id for p in path].index(cur.id) :]
            chain = [p.id for p in loop] + [cur.id]
            shown = chain if len(chain) <= 12 else chain[:5] + ["…"] + chain[-5:]
            out.append(
                (
                    loop[0].at("parent"),
                    f"figure {loop[0].id!r} is its own ancestor: {' → '.join(shown)}.",
                    "break the cycle: a parent is a larger total",
                )
            )
        for p in path:
            state[p.id] = 2


def validate(r: Release) -> list[tuple[str, str, str]]:
    """Every structural problem of a release as (where, message, fix)."""
    fill_parents(r)
    out: list[tuple[str, str, str]] = []
    seen: dict[str, Figure] = {}
    for f in r.figures:
        if f.id in seen:
            out.append(
                (
                    f.at("id"),
                    f"duplicate figure id {f.id!r} (first at {seen[f.id].where}).",
                    "give each figure its own id",
                )
            )
        else:
            seen[f.id] = f
    bseen: dict[str, Breakdown] = {}
    for b in r.breakdowns:
        if not b.id:
            out.append((b.where, "a breakdown has no id.", "give it an id"))
        elif b.id in bseen:
            out.append(
                (b.where, f"duplicate breakdown id {b.id!r}.", "give each breakdown its own id")
            )
        bseen[b.id] = b
        if b.kind not in BREAKDOWN_KINDS:
            out.append(
                (
                    b.where,
                    f"breakdown {b.id!r} has kind {b.kind!r}.",
                    f"use one of {', '.join(BREAKDOWN_KINDS)}",
                )
            )
        if b.parent and b.parent not in seen:
            out.append(
                (
                    b.where,
                    f"breakdown {b.id!r} names unknown parent {b.parent!r}.",
                    "use the id of a figure in this release",
                )
            )

    periods: dict[str, Period | None] = {}
    for f in r.figures:
        p = None
        if not f.period:
            out.append((f.where, f"figure {f.id!r} has no period.", f"write one of {FORMS}"))
        else:
            try:
                p = f.period_range
            except PeriodError as e:
                out.append(
                    (f.at("period"), f"figure {f.id!r}: bad period: {e}.", f"write one of {FORMS}")
                )
        periods[f.id] = p
        if f.earlier_period:
            try:
                e = Period.parse(f.earlier_period)
                if p is not None and e.start >= p.start:
                    out.append(
                        (
                            f.at("earlier_period"),
                            f"figure {f.id!r}: earlier_period {f.earlier_period} is not before {f.period}.",
                            "name the earlier period the growth is measured against",
                        )
                    )
                elif p is not None and not earlier_kind(p, e):
                    out.append(
                        (
                            f.at("earlier_period"),
                            f"figure {f.id!r}: earlier_period {f.earlier_period} is neither the same months of an earlier year "
                            f"nor the {p.months}-month period just before {f.period}.",
                            f"write the same months of an earlier year (e.g. {Period(p.start - 24, p.end - 24)}) for growth on an earlier year, "
                            f"or {Period(p.start - p.months, p.start - 1)} for growth on the previous period (month-on-month, quarter-on-quarter)",
                        )
                    )
            except PeriodError as err:
                out.append(
                    (
                        f.at("earlier_period"),
                        f"figure {f.id!r}: bad earlier_period: {err}.",
                        f"write one of {FORMS}",
                    )
                )
        elif not math.isnan(f.earlier_growth):
            out.append(
                (
                    f.where,
                    f"figure {f.id!r} has earlier_growth but no earlier_period.",
                    'add earlier_period, e.g. "2019-Q1"',
                )
            )
        if f.flow not in FLOWS:
            out.append(
                (
                    f.at("flow"),
                    f"figure {f.id!r} has flow {f.flow!r}.",
                    f"use one of {', '.join(FLOWS)}",
                )
            )
        for key in ("value_qualifier", "yoy_qualifier"):
            q = getattr(f, key)
            if q not in QUALIFIERS:
                out.append(
                    (
                        f.at(key),
                        f"figure {f.id!r}: {key} {q!r} is not a qualifier.",
                        f"use one of {', '.join(repr(x) for x in QUALIFIERS)}",
                    )
                )
        if f.yoy_reading and f.yoy_reading not in YOY_READINGS:
            out.append(
                (
                    f.at("yoy_reading"),
                    f"figure {f.id!r}: yoy_reading {f.yoy_reading!r}.",
                    'use "increase" (grew by 4.7 times: +470%) or "ratio" (4.7 times the base: +370%)',
                )
            )
        if f.value_qualifier and math.isnan(f.value):
            out.append(
                (
                    f.at("value_qualifier"),
                    f"figure {f.id!r} has a value_qualifier but no value.",
                    "add the value as printed, or remove the qualifier",
                )
            )
        if f.yoy_qualifier and math.isnan(f.yoy):
            out.append(
                (
                    f.at("yoy_qualifier"),
                    f"figure {f.id!r} has a yoy_qualifier but no yoy.",
                    "add the growth as printed, or remove the qualifier",
                )
            )
        for key in ("yoy", "earlier_growth"):
            g = getattr(f, key)
            if not math.isnan(g) and g <= -1:
                out.append(
                    (
                        f.at(key),
                        f"figure {f.id!r}: {key} {g:.1%} is -100% or less, which leaves no base.",
                        "check the sign and the number as printed",
                    )
                )
        if math.isnan(f.value) and math.isnan(f.yoy):
            out.append(
                (
                    f.where,
                    f"figure {f.id!r} has neither a value nor a growth.",
                    "add value or yoy, or remove the figure",
                )
            )
        if f.breakdown:
            b = bseen.get(f.breakdown)
            if b is None:
                out.append(
                    (
                        f.at("breakdown"),
                        f"figure {f.id!r} names unknown breakdown {f.breakdown!r}.",
                        "add a [[breakdowns]] entry with that id, or fix the name",
                    )
                )
            elif f.parent and b.parent and b.parent != f.parent:
                out.append(
                    (
                        f.at("parent"),
                        f"figure {f.id!r} has parent {f.parent!r} but its breakdown {b.id!r} splits {b.parent!r}.",
                        "make the figure's parent the breakdown's parent",
                    )
                )
    # parents are filled in from the breakdowns by now: check every part against its parent
    for f in r.figures:
        if not f.parent:
            continue
        parent = seen.get(f.parent)
        if parent is None:
            out.append(
                (
                    f.at("parent"),
                    f"figure {f.id!r} names unknown parent {f.parent!r}.",
                    "use the id of a figure in this release, or leave parent empty",
                )
            )
            continue
        _check_units(f, parent, out)
        p, pp = periods.get(f.id), periods.get(parent.id)
        if p is not None and pp is not None and p != pp:
            out.append(
                (
                    f.at("period"),
                    f"figure {f.id!r} ({f.period}) is a part of {parent.id!r} ({parent.period}) of another period.",
                    f'write period = "{parent.period}" if the figure is for {pp.label}; a part shares its parent\'s period; '
                    "link periods through 'series' instead",
                )
            )
    _cycles(r, seen, out)
    sseen = set()
    for s in r.statements:
        if s.id in sseen:
            out.append(
                (s.where, f"duplicate statement id {s.id!r}.", "give each statement its own id")
            )
        sseen.add(s.id)
        if s.kind not in STATEMENT_KINDS:
            out.append(
                (
                    s.where,
                    f"statement {s.id!r} has kind {s.kind!r}.",
                    f"use one of {', '.join(STATEMENT_KINDS)}",
                )
            )
        if s.figure not in seen:
            out.append(
                (
                    s.where,
                    f"statement {s.id!r} names unknown figure {s.figure!r}.",
                    "use the id of a figure in this release",
                )
            )
        if math.isnan(s.value):
            out.append(
                (
                    s.where,
                    f"statement {s.id!r} has no value.",
                    "write the number the sentence states",
                )
            )
        f = seen.get(s.figure)
        if (
            s.kind == "change"
            and f is not None
            and s.unit
            and currency_of(s.unit).lower() != currency_of(f.unit).lower()
        ):
            out.append(
                (
                    s.where,
                    f"statement {s.id!r} states a change in {s.unit!r}, figure {f.id!r} is in {f.unit!r}.",
                    'a change is in the figure\'s currency: fix the unit (a multiple such as "billion yuan" is fine)',
                )
            )
        if (
            s.kind == "conversion"
            and f is not None
            and s.unit
            and currency_of(s.unit).lower() == currency_of(f.unit).lower()
        ):
            out.append(
                (
                    s.where,
                    f"statement {s.id!r} converts {f.unit!r} into {s.unit!r}, the same currency.",
                    'name the other currency, e.g. unit = "billion USD"',
                )
            )
    return out
