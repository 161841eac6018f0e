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
from dataclasses import dataclass, field, fields

from tradecalc.model.periods import FORMS, Period, PeriodError
from tradecalc.model.published import Published, decimals_of, parse

FLOWS = ("total", "exports", "imports", "balance")
BREAKDOWN_KINDS = ("complete", "partial", "overlapping")
STATEMENT_KINDS = ("conversion", "pp_difference", "share")
RELEASE_KEYS = ("id", "title", "publisher", "source_url", "published", "period", "currency", "unit")

#: Columns of the workbook's Figures table, in order; the release file uses the
#: same names (numbers there are printed text, so the ``*_decimals`` columns
#: are implied by the text).
FIGURE_COLUMNS = (
    "id", "label", "period", "flow", "series", "breakdown", "parent",
    "value", "value_decimals", "unit", "yoy", "yoy_decimals",
    "earlier_growth", "earlier_growth_decimals", "earlier_period",
    "sentence", "growth_sentence", "review",
)
BREAKDOWN_COLUMNS = ("id", "parent", "kind", "label")
STATEMENT_COLUMNS = ("id", "kind", "figure", "value", "value_decimals", "unit", "approximate", "reference", "sentence", "review")


class ReleaseError(ValueError):
    """A release that does not load; ``problems`` lists (where, message, fix)."""

    def __init__(self, source: str, problems: list[tuple[str, str, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}:{where}: {msg}" + (f" Fix: {fix}" if fix else "") for where, msg, fix in problems]
        super().__init__("\n".join(lines))


@dataclass
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
    where: str = ""  # "line 12" or "Figures row 5": where a message should point
    locs: dict = field(default_factory=dict, repr=False, compare=False)  # key → "line 14"

    def at(self, key: str) -> str:
        """Where ``key`` of this figure was written (falls back to the record)."""
        return self.locs.get(key, self.where)

    @property
    def period_range(self) -> Period:
        return Period.parse(self.period)


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
    meta: dict
    figures: list[Figure]
    breakdowns: list[Breakdown] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    source: str = ""

    @property
    def unit(self) -> str:
        return self.meta.get("unit", "")

    def figure(self, fid: str) -> Figure:
        return self._by_id()[fid]

    def _by_id(self) -> dict[str, Figure]:
        return {f.id: f for f in self.figures}

    def children(self, fid: str) -> list[Figure]:
        return [f for f in self.figures if f.parent == fid]

    def breakdown(self, bid: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.id == bid), None)

    def members(self, bid: str) -> list[Figure]:
        return [f for f in self.figures if f.breakdown == bid]

    def figures_frame(self):
        """The figures as a DataFrame with :data:`FIGURE_COLUMNS`, indexed by id."""
        import pandas as pd

        rows = [{c: getattr(f, c) for c in FIGURE_COLUMNS} for f in self.figures]
        return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS)).set_index("id", drop=False)


# --------------------------------------------------------------------------- records → release


def _blank(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (isinstance(x, str) and not x.strip())


def _text(x) -> str:
    if _blank(x):
        return ""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x).strip()


def _number(rec, key, decimals_key, *, percent, problems, where, fix):
    """(value, decimals) from a record: printed text, or a number plus decimals."""
    raw = rec.get(key)
    if _blank(raw):
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
    given = rec.get(decimals_key) if decimals_key else None
    if not _blank(given):
        try:
            gd = int(float(given))
            if gd < 0 or gd != float(given):
                raise ValueError
            dec = gd
        except (TypeError, ValueError):
            problems.append((where, f"{decimals_key}: {given!r} is not a whole number of decimals.", "write 0, 1, 2 ... or leave it empty"))
    elif dec is None and not isinstance(raw, str):
        dec = None  # a bare number: precision unknown (the caller may infer it)
    return value, dec


def from_records(meta: dict, figures: list[dict], breakdowns: list[dict] = (), statements: list[dict] = (), *, source: str = "release", infer_decimals: bool = False) -> Release:
    """Build and validate a :class:`Release`; raise :class:`ReleaseError` listing every problem.

    Each record may carry ``_where`` (e.g. "line 12") for the messages.
    ``infer_decimals``: where a number came without text or a decimals column
    (a workbook cell), take the decimals of its shortest printed form and flag
    the figure's ``review`` as "precision inferred".
    """
    problems: list[tuple[str, str, str]] = []
    meta = {k: _text(meta.get(k)) for k in RELEASE_KEYS} | {k: v for k, v in meta.items() if k not in RELEASE_KEYS}
    default_unit = meta.get("unit") or ""
    if not default_unit:
        problems.append(("release", "the release has no unit.", 'add unit = "billion yuan" (or the unit the release uses) under [release]'))

    figs: list[Figure] = []
    for rec in figures:
        where = rec.get("_where", "figure")
        fid = _text(rec.get("id"))
        if not fid:
            problems.append((where, "a figure has no id.", 'give it a stable id such as id = "exports"'))
            continue
        f = Figure(id=fid, where=where, locs=rec.get("_locs", {}))
        for key in ("label", "period", "flow", "series", "breakdown", "parent", "unit", "earlier_period", "sentence", "growth_sentence", "review"):
            setattr(f, key, _text(rec.get(key)))
        f.flow = f.flow or "total"
        f.unit = f.unit or default_unit
        f.value, f.value_decimals = _number(rec, "value", "value_decimals", percent=False, problems=problems, where=where, fix='write the value as printed, e.g. "112.32"')
        f.yoy, f.yoy_decimals = _number(rec, "yoy", "yoy_decimals", percent=True, problems=problems, where=where, fix='write the growth as printed, e.g. "60.4%"')
        f.earlier_growth, f.earlier_growth_decimals = _number(rec, "earlier_growth", "earlier_growth_decimals", percent=True, problems=problems, where=where, fix='write the growth as printed, e.g. "37%"')
        if infer_decimals:
            notes = []
            for key in ("value", "yoy", "earlier_growth"):
                v, d = getattr(f, key), getattr(f, key + "_decimals")
                if d is None and not math.isnan(v):
                    setattr(f, key + "_decimals", _shortest_decimals(v * (100 if key != "value" else 1)))
                    notes.append(key)
            if notes:
                f.review = "; ".join(x for x in (f.review, "precision inferred for " + ", ".join(notes)) if x)
        figs.append(f)

    bds = []
    for rec in breakdowns:
        where = rec.get("_where", "breakdown")
        b = Breakdown(id=_text(rec.get("id")), parent=_text(rec.get("parent")), kind=_text(rec.get("kind")) or "partial", label=_text(rec.get("label")), where=where)
        bds.append(b)

    sts = []
    for rec in statements:
        where = rec.get("_where", "statement")
        s = Statement(id=_text(rec.get("id")), kind=_text(rec.get("kind")), figure=_text(rec.get("figure")), unit=_text(rec.get("unit")),
                      reference=_text(rec.get("reference")), sentence=_text(rec.get("sentence")), review=_text(rec.get("review")), where=where)
        s.approximate = _truthy(rec.get("approximate"))
        s.value, s.value_decimals = _number(rec, "value", "value_decimals", percent=True if s.kind == "share" else False, problems=problems, where=where, fix="write the number as printed")
        sts.append(s)

    release = Release(meta=meta, figures=figs, breakdowns=bds, statements=sts, source=source)
    problems += validate(release)
    if problems:
        raise ReleaseError(source, problems)
    return release


def _truthy(x) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "yes", "1", "y")
    return bool(x) and not _blank(x)


def _shortest_decimals(x: float) -> int:
    """Decimals of the shortest printed form of a number: 112.32 → 2, 24.0 → 0."""
    s = repr(round(float(x), 10))
    return 0 if s.endswith(".0") else decimals_of(s)


def validate(r: Release) -> list[tuple[str, str, str]]:
    """Every structural problem of a release as (where, message, fix)."""
    out: list[tuple[str, str, str]] = []
    seen: dict[str, Figure] = {}
    for f in r.figures:
        if f.id in seen:
            out.append((f.at("id"), f"duplicate figure id {f.id!r} (first at {seen[f.id].where}).", "give each figure its own id"))
        else:
            seen[f.id] = f
    bseen: dict[str, Breakdown] = {}
    for b in r.breakdowns:
        if not b.id:
            out.append((b.where, "a breakdown has no id.", "give it an id"))
        elif b.id in bseen:
            out.append((b.where, f"duplicate breakdown id {b.id!r}.", "give each breakdown its own id"))
        bseen[b.id] = b
        if b.kind not in BREAKDOWN_KINDS:
            out.append((b.where, f"breakdown {b.id!r} has kind {b.kind!r}.", f"use one of {', '.join(BREAKDOWN_KINDS)}"))
        if b.parent and b.parent not in seen:
            out.append((b.where, f"breakdown {b.id!r} names unknown parent {b.parent!r}.", "use the id of a figure in this release"))

    for f in r.figures:
        if not f.period:
            out.append((f.where, f"figure {f.id!r} has no period.", f"write one of {FORMS}"))
        else:
            try:
                p = Period.parse(f.period)
            except PeriodError as e:
                out.append((f.at("period"), f"figure {f.id!r}: bad period: {e}.", f"write one of {FORMS}"))
                p = None
            if f.earlier_period:
                try:
                    e = Period.parse(f.earlier_period)
                    if p is not None and e.start >= p.start:
                        out.append((f.at("earlier_period"), f"figure {f.id!r}: earlier_period {f.earlier_period} is not before {f.period}.", "name the earlier period the growth is measured against"))
                except PeriodError as err:
                    out.append((f.at("earlier_period"), f"figure {f.id!r}: bad earlier_period: {err}.", f"write one of {FORMS}"))
            elif not math.isnan(f.earlier_growth):
                out.append((f.where, f"figure {f.id!r} has earlier_growth but no earlier_period.", 'add earlier_period, e.g. "2019-Q1"'))
        if f.flow not in FLOWS:
            out.append((f.at("flow"), f"figure {f.id!r} has flow {f.flow!r}.", f"use one of {', '.join(FLOWS)}"))
        for key in ("yoy", "earlier_growth"):
            g = getattr(f, key)
            if not math.isnan(g) and g <= -1:
                out.append((f.at(key), f"figure {f.id!r}: {key} {g:.1%} is -100% or less, which leaves no base.", "check the sign and the number as printed"))
        if math.isnan(f.value) and math.isnan(f.yoy):
            out.append((f.where, f"figure {f.id!r} has neither a value nor a growth.", "add value or yoy, or remove the figure"))
        if f.parent:
            parent = seen.get(f.parent)
            if parent is None:
                out.append((f.at("parent"), f"figure {f.id!r} names unknown parent {f.parent!r}.", "use the id of a figure in this release, or leave parent empty"))
            else:
                if parent.unit != f.unit:
                    out.append((f.at("unit"), f"figure {f.id!r} is in {f.unit!r} but its parent {parent.id!r} is in {parent.unit!r}.", "use the parent's unit (convert the value) or fix the unit"))
                if parent.period and f.period and parent.period != f.period:
                    out.append((f.at("parent"), f"figure {f.id!r} ({f.period}) is a part of {parent.id!r} ({parent.period}) of another period.", "a part shares its parent's period; link periods through 'series' instead"))
        if f.breakdown:
            b = bseen.get(f.breakdown)
            if b is None:
                out.append((f.at("breakdown"), f"figure {f.id!r} names unknown breakdown {f.breakdown!r}.", "add a [[breakdowns]] entry with that id, or fix the name"))
            elif f.parent and b.parent and b.parent != f.parent:
                out.append((f.at("parent"), f"figure {f.id!r} has parent {f.parent!r} but its breakdown {b.id!r} splits {b.parent!r}.", "make the figure's parent the breakdown's parent"))
            elif not f.parent and b.parent:
                f.parent = b.parent
    # cycles in the parent chain
    for f in r.figures:
        chain, cur = [f.id], f
        while cur.parent and cur.parent in seen:
            if cur.parent in chain:
                out.append((f.at("parent"), f"figure {f.id!r} is its own ancestor: {' → '.join(chain + [cur.parent])}.", "break the cycle: a parent is a larger total"))
                break
            chain.append(cur.parent)
            cur = seen[cur.parent]
    sseen = set()
    for s in r.statements:
        if s.id in sseen:
            out.append((s.where, f"duplicate statement id {s.id!r}.", "give each statement its own id"))
        sseen.add(s.id)
        if s.kind not in STATEMENT_KINDS:
            out.append((s.where, f"statement {s.id!r} has kind {s.kind!r}.", f"use one of {', '.join(STATEMENT_KINDS)}"))
        if s.figure not in seen:
            out.append((s.where, f"statement {s.id!r} names unknown figure {s.figure!r}.", "use the id of a figure in this release"))
        if math.isnan(s.value):
            out.append((s.where, f"statement {s.id!r} has no value.", "write the number the sentence states"))
    return out


def figure_field_names() -> list[str]:
    return [f.name for f in fields(Figure)]
