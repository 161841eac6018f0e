"""Figure drafts → release records: ids, units, parents and breakdowns.

Structure, from what each figure is (not from any one release):

* exports and imports of a period are a *complete* breakdown of that period's
  total when both are stated (``flow``; else *partial*);
* a month inside the release period (March within Q1) is a sub-period: its
  figures share the ``series`` of the period's total, exports and imports;
* enterprise types, trade modes → *partial* breakdowns of the total (or of the
  flow they name); partners → a breakdown of their flow's figure,
  *overlapping* when one listed grouping contains another (Belt and Road
  countries include ASEAN), else *partial*; "exports of X" → *partial*
  breakdown of exports, "imports of X" of imports;
* items that "facilitated" a larger item (fruits within consumer goods) →
  *partial* breakdown of that item.

Units: the release unit is the unit of the release's first total (else of
its first figure). A figure printed in a smaller unit is moved into the
release unit by an exact decimal shift that keeps its published precision
(325.8 billion → 0.3258 trillion, still ±0.05 billion). A figure printed in a
larger unit is shifted only when that is exact (1.215 trillion → 1215
billion); otherwise it keeps its own unit and is not linked to a parent in
another unit (validation would reject the mismatch), with a review flag.
"""

from __future__ import annotations

from decimal import Decimal

from tradecalc.model.periods import Period

from .numbers import SCALES
from .reader import Draft, Note, Reader
from .subjects import overlapping, slugify
from .timephrase import MONTHS

_SCALE_WORD = {v: k for k, v in SCALES.items()}
_MONTH_ABBR = [m[:3] for m in MONTHS]  # jan ... dec
_CURRENCY_CODE = {"yuan": "CNY", "USD": "USD", "EUR": "EUR"}


def period_slug(period: str, main: str) -> str:
    """ "2021-03" → "march"; "2021-01/2021-08" → "jan-aug"; "2021-Q2" → "q2"; the year is added when it differs from the main one."""
    p = Period.parse(period)
    s = str(p)
    y0, m0 = divmod(p.start, 12)
    y1, m1 = divmod(p.end, 12)
    main_year = Period.parse(main).start // 12 if main else y0
    if p.start == p.end:
        out = MONTHS[m0]
    elif "Q" in s or "H" in s:
        out = s[5:].lower()
    elif s == str(y0):
        return s
    else:
        out = f"{_MONTH_ABBR[m0]}-{_MONTH_ABBR[m1]}"
    return out if y0 == main_year and y1 == main_year else f"{out}-{y0}"


def period_label(period: str) -> str:
    """A period for people: "2021-03" gives "March 2021", "2021-Q1" gives "Q1 2021"."""
    p = Period.parse(period)
    return p.label


def shift(digits: str, from_scale: int, to_scale: int) -> str | None:
    """Move a printed number between units by an exact decimal shift; None when precision would be lost.

    >>> shift("325.8", 9, 12), shift("24", 9, 12), shift("1.215", 12, 9), shift("1.21", 12, 9)
    ('0.3258', '0.024', '1215', None)
    """
    d = Decimal(digits).scaleb(from_scale - to_scale)
    if d.as_tuple().exponent > 0:
        return None
    return format(d, "f")


class Builder:
    """A reader's figure drafts as release records: ids, labels, units, parents, breakdowns and statements."""

    def __init__(self, reader: Reader):
        self.r = reader
        self.drafts = []
        for d in sorted(reader.drafts.values(), key=lambda d: d.order):
            if d.earlier is not None and d.value is None and d.yoy is None:
                # growth on an earlier period alone ("up 25 percent month on month"): no figure to write it on
                reader.notes.append(
                    Note(
                        f"not recorded: {d.earlier.printed}: growth on {d.earlier_period or 'an earlier period'} "
                        f"of {d.subject.label.lower()}, which states no value or year-on-year growth",
                        d.earlier_sentence,
                    )
                )
            if d.value is None and d.yoy is None:
                # a subject named with no figure of its own (e.g. only a month-on-month rate): nothing to write
                for st in d.statements:
                    reader.notes.append(
                        Note(
                            f"not recorded: {st['kind']} {st['value']}: its figure states no value or growth",
                            st["sentence"],
                        )
                    )
                continue
            self.drafts.append(d)
        self.main = reader.main_period
        self.ids: dict[int, str] = {}
        self._taken: set[str] = set()
        # indexes built once, so naming n figures stays linear (a long text must not take minutes)
        self._slug_kinds: dict[str, dict[tuple, int]] = {}
        self._periods: dict[tuple, set] = {}
        for o in self.drafts:
            kinds = self._slug_kinds.setdefault(o.subject.slug, {})
            kinds[(o.subject.kind, o.subject.flow)] = (
                kinds.get((o.subject.kind, o.subject.flow), 0) + 1
            )
            self._periods.setdefault((o.subject, o.region), set()).add(o.period)
        self.unit_scale, self.unit = self._release_unit()

    def _release_unit(self) -> tuple[int, str]:
        with_value = [
            d for d in self.drafts if d.value is not None and not d.region and not d.currency
        ]
        tops = [
            d
            for d in with_value
            if d.subject.kind == "aggregate" and d.subject.flow == "total" and d.period == self.main
        ]
        pick = (tops or with_value or [None])[0]
        if pick is None:
            return 9, f"billion {self.r.currency}"
        return pick.value.scale, pick.value.unit

    # ------------------------------------------------------------------ ids
    def _base_id(self, d: Draft) -> str:
        s = d.subject
        base = s.slug
        clash = any(k != (s.kind, s.flow) for k in self._slug_kinds.get(base, {}))
        if clash and s.kind != "aggregate":
            base = f"{s.flow}-{base}" if s.flow != "total" else f"trade-{base}"
        if d.region:
            base = f"{slugify(d.region)}-{base}"
        if d.currency:
            base = f"{base}-{d.currency.lower()}"
        return base

    def figure_id(self, d: Draft) -> str:
        """The draft's figure id, from its subject (and period when not the main one), unique and kept once given."""
        if id(d) not in self.ids:
            fid = self._base_id(d)
            if d.period != self.main:
                fid = f"{fid}-{period_slug(d.period, self.main)}"
            n, cand = 2, fid
            while cand in self._taken:
                cand, n = f"{fid}-{n}", n + 1
            self.ids[id(d)] = cand
            self._taken.add(cand)
        return self.ids[id(d)]

    def label(self, d: Draft) -> str:
        """The draft's figure label: region, subject, currency when not the release's, and period when not the main one."""
        lab = d.subject.label
        if d.region:
            lab = f"{d.region}: {lab}"
        if d.currency:
            lab += f" (in {d.currency})"
        if d.period != self.main:
            lab += f", {period_label(d.period)}"
        return lab

    # ------------------------------------------------------------------ structure
    def _aggregate(self, flow: str, period: str, currency: str = "") -> Draft | None:
        return next(
            (
                d
                for d in self.drafts
                if d.subject.kind == "aggregate"
                and d.subject.flow == flow
                and d.period == period
                and not d.region
                and d.currency == currency
            ),
            None,
        )

    def _parent(self, d: Draft) -> tuple[Draft | None, str]:
        """(parent draft, breakdown family) for a draft."""
        s = d.subject
        if d.part_of is not None:
            return d.part_of, "items"
        if d.region or s.kind == "other":
            return None, ""
        if s.kind == "aggregate":
            if s.flow in ("exports", "imports"):
                return self._aggregate("total", d.period, d.currency), "flow"
            return None, ""
        family = {
            "partner": "partners",
            "enterprise": "enterprise-types",
            "mode": "trade-modes",
            "product": "products",
        }[s.kind]
        return self._aggregate(s.flow, d.period, d.currency), family

    def records(self):
        """The proposed records: (figures, breakdowns, statements), each a list of dicts."""
        figures, breakdowns, statements = [], {}, []
        members: dict[str, list[Draft]] = {}
        for d in self.drafts:
            fid = self.figure_id(d)
            rec = {"id": fid, "label": self.label(d), "period": d.period, "flow": d.subject.flow}
            review = list(d.review)
            unit_scale = self.unit_scale
            if d.value is not None:
                printed = d.value.digits
                if d.value.scale != self.unit_scale or d.value.currency != self.unit.split()[-1]:
                    moved = (
                        shift(d.value.digits, d.value.scale, self.unit_scale)
                        if d.value.currency == self.unit.split()[-1]
                        else None
                    )
                    if moved is None:
                        rec["unit"] = d.value.unit
                        unit_scale = d.value.scale
                    else:
                        printed = moved
                rec["value"] = printed
                if d.value.qualifier:
                    rec["value_qualifier"] = d.value.qualifier
            if d.yoy is not None:
                rec["yoy"] = d.yoy.printed
                if d.yoy.qualifier:
                    rec["yoy_qualifier"] = d.yoy.qualifier
                if d.yoy.reading:
                    rec["yoy_reading"] = d.yoy.reading
            if d.earlier is not None:
                rec["earlier_growth"] = d.earlier.printed
                rec["earlier_period"] = d.earlier_period
            if d.currency and d.value is None:
                rec["unit"] = (
                    f"{self.unit.split()[0]} {d.currency}"  # a growth stated in dollar terms
                )
            parent, family = self._parent(d)
            if parent is not None and d.currency:
                if parent.value is None or d.value is None or parent.value.unit != d.value.unit:
                    parent = None  # a dollar figure is linked only to a dollar parent printed in the same unit
            elif parent is not None and unit_scale != self._scale_of(parent):
                review.append(
                    f"printed in {rec.get('unit', self.unit)}, its parent {self.figure_id(parent)!r} in another unit: not linked"
                )
                parent = None
            if parent is not None:
                bid = self._breakdown_id(d, parent, family)
                rec["parent"] = self.figure_id(parent)
                rec["breakdown"] = bid
                members.setdefault(bid, []).append(d)
                breakdowns.setdefault(
                    bid,
                    {
                        "id": bid,
                        "parent": self.figure_id(parent),
                        "family": family,
                        "label": self._breakdown_label(family, d, parent),
                    },
                )
            series = self._series(d)
            if series:
                rec["series"] = series
            sentence = d.value_sentence or d.yoy_sentence or d.earlier_sentence
            rec["sentence"] = sentence
            rec["words"] = d.words
            growth_sentence = next(
                (x for x in (d.yoy_sentence, d.earlier_sentence) if x and x != sentence), ""
            )
            if growth_sentence:
                rec["growth_sentence"] = growth_sentence
            for st in d.statements:
                statements.append(self._statement(st, d, fid, review))
            if review:
                rec["review"] = "; ".join(dict.fromkeys(review))
            if d.soft:
                rec["review_soft"] = "; ".join(d.soft)
            figures.append(rec)
        for bid, b in breakdowns.items():
            b["kind"] = self._kind(b["family"], members[bid], b["parent"])
            del b["family"]
        return figures, list(breakdowns.values()), statements

    def _scale_of(self, d: Draft) -> int:
        if d.value is None:
            return self.unit_scale
        if d.value.scale == self.unit_scale:
            return self.unit_scale
        return (
            self.unit_scale
            if shift(d.value.digits, d.value.scale, self.unit_scale) is not None
            else d.value.scale
        )

    def _breakdown_id(self, d: Draft, parent: Draft, family: str) -> str:
        if family == "items":
            return f"{self.figure_id(parent)}-items"
        flow = d.subject.flow
        prefix = (
            {"exports": "export-", "imports": "import-"}.get(flow, "") if family != "flow" else ""
        )
        bid = prefix + family
        if d.currency:
            bid += "-" + d.currency.lower()
        if d.period != self.main:
            bid += "-" + period_slug(d.period, self.main)
        return bid

    def _breakdown_label(self, family: str, d: Draft, parent: Draft) -> str:
        lab = {
            "flow": "Exports and imports",
            "partners": "By partner",
            "enterprise-types": "By type of enterprise",
            "trade-modes": "By trade mode",
            "products": "By product",
            "items": f"Within {parent.subject.label.lower()} (selected)",
        }[family]
        if (
            family in ("partners", "enterprise-types", "trade-modes", "products")
            and d.subject.flow != "total"
        ):
            lab = f"{d.subject.flow.capitalize()} {lab[0].lower()}{lab[1:]}"
        if d.period != self.main:
            lab += f", {period_label(d.period)}"
        return lab

    def _kind(self, family: str, parts: list[Draft], parent_id: str) -> str:
        if family == "flow":
            flows = {p.subject.flow for p in parts}
            return "complete" if flows == {"exports", "imports"} else "partial"
        if family == "partners" and overlapping([p.subject.name for p in parts]):
            return "overlapping"
        return "partial"

    def _series(self, d: Draft) -> str:
        s = d.subject
        base = self._base_id(d)
        if s.kind == "aggregate" and not d.region:
            return base
        return base if len(self._periods.get((s, d.region), ())) > 1 else ""

    def _statement(self, st: dict, d: Draft, fid: str, review: list[str]) -> dict:
        kind = st["kind"]
        sid = f"{fid}-{ {'conversion': 'usd', 'pp_difference': 'pp', 'share': 'share', 'share_change_pp': 'share-pp', 'change': 'change'}[kind] }".replace(
            " ", ""
        )
        if kind == "conversion" and not st["unit"].endswith("USD"):
            sid = f"{fid}-{st['unit'].split()[-1].lower()}"
        rec = {
            "id": sid,
            "kind": kind,
            "figure": fid,
            "value": st["value"],
            "sentence": st["sentence"],
        }
        if kind == "conversion":
            rec["unit"] = st["unit"]
            rec["approximate"] = st["approximate"]
        if kind == "change":
            rec["unit"] = st["unit"]
        if kind in ("pp_difference", "share", "change"):
            rec["reference"] = st["reference"]
        if (
            kind == "pp_difference"
            and (ref := self._reference_figure(st["reference"], d)) is not None
        ):
            # "2.2 percentage points faster than overall trade": the compared figure is in the release
            rec["reference"] = rec["reference_id"] = self.figure_id(ref)
        if kind == "pp_difference" and not st["reference"]:
            rec["review"] = "percentage points without a named reference"
        if kind == "share":
            parent, _ = self._parent(d)
            if parent is None:
                rec["review"] = (
                    f"share of {st['reference'] or 'an unnamed whole'}: the figure has no parent to check it against"
                )
            elif not _names_parent(st["reference"], parent):
                rec["review"] = (
                    f"share of {st['reference']!r}: check compares it with {parent.subject.label.lower()}"
                )
        return rec

    def _reference_figure(self, reference: str, d: Draft) -> Draft | None:
        """The release's own aggregate that a comparison names ("overall trade", "exports"), same period; else None."""
        import re

        from .subjects import classify

        text = re.sub(
            r"\b(?:the\s+)?(?:growth(?:\s+rate)?|rate|increase)\s+(?:of|in)\s+",
            "",
            reference,
            flags=re.I,
        )
        s = classify(text)
        if (
            s is None
            or s.kind != "aggregate"
            or s.region
            or re.search(r"nation|countr|average|china", reference, re.I)
        ):
            return None
        return self._aggregate(s.flow, d.period)

    def meta(self, release_id: str) -> dict:
        """The release's meta table: id, title, publisher (when the text names it), period, currency code and unit."""
        import re

        publisher = ""
        m = re.search(
            r"(?:according\s+to|released\s+by|data\s+from|said)\s+(?:the\s+)?((?:[A-Z][\w’'.-]*\s+)*?(?:Customs|General\s+Administration\s+of\s+Customs|Bureau\s+of\s+Statistics|Department\s+of\s+Commerce|Ministry\s+of\s+Commerce))\b",
            self.r.text,
        )
        if m:
            publisher = m.group(1).strip()
        return {
            "id": release_id,
            "title": self.r.title,
            "publisher": publisher,
            "period": self.main,
            "currency": _CURRENCY_CODE.get(self.r.currency, self.r.currency),
            "unit": self.unit,
        }


def _names_parent(reference: str, parent: Draft) -> bool:
    from .subjects import classify

    s = classify(reference)
    if s is None or s.kind == "other":
        # "the total", "the city's total": a whole named without a flow
        return (
            parent.subject.kind == "aggregate"
            and parent.subject.flow == "total"
            and "total" in reference.lower()
        )
    return (s.kind, s.flow) == (parent.subject.kind, parent.subject.flow)
