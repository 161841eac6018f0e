"""Reading a release text sentence by sentence into figure drafts.

The reader keeps the context a person keeps while reading: the period in
force ("In March, ..." then "In breakdown, ..." still means March), the year
("In the first quarter of 2021" then "In March" is March 2021), the flow of
the sentence ("exports witnessed ... 43.39 billion yuan in laptops, a rise of
24.5% to 7.33 billion yuan in integrated circuit" — both are exports), and
the figures of the last clause (for "up 45.2% from a year earlier" or "The
growth rate is 31.2 percentage points higher ...").

A subject met again in the same period is the same figure: "the city's total
foreign trade value jumped 60.4%" adds the growth to the total stated in the
sentence before, and keeps that second sentence as ``growth_sentence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tradecalc.model.periods import Period

from .clauses import Rate, read_clause, split_clauses
from .numbers import Number, figure_numbers
from .subjects import Subject
from .text import Sentence, paragraphs_of, sentences_of, title_of
from .timephrase import MONTHS, earlier_basis, find_periods, is_yoy, publication_date, year_in
from .verify import previous_period_supported


@dataclass
class Draft:
    """A figure being assembled from one or more clauses."""

    subject: Subject
    period: str
    region: str  # "" for the release's own region
    order: int
    value: Number | None = None
    value_sentence: str = ""
    yoy: Rate | None = None
    yoy_sentence: str = ""
    earlier: Rate | None = None
    earlier_period: str = ""
    earlier_sentence: str = ""
    statements: list[dict] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    part_of: Draft | None = None
    words: str = ""  # the subject as written (evidence)
    soft: list[str] = field(
        default_factory=list
    )  # doubts a consistent check may lift (a period assumed)
    origin: int = -1  # the sentence that first gave the draft a number

    currency: str = ""  # "" for the release's currency; "USD" for a figure stated in dollars

    @property
    def key(self):
        """What drafts of one figure share: (subject kind, flow, slug, region, period, currency)."""
        s = self.subject
        return (s.kind, s.flow, s.slug, self.region, self.period, self.currency)

    def flag(self, text: str, soft: bool = False) -> None:
        """A doubt about the draft; ``soft`` when a check that reconciles the figure may lift it."""
        target = self.soft if soft else self.review
        if text not in target:
            target.append(text)


@dataclass
class Note:
    """A line for the terminal: something read but not placed, or placed with a doubt."""

    text: str
    sentence: str


class Reader:
    """Reads a release text sentence by sentence into figure drafts, merged per subject and period."""

    def __init__(
        self,
        text: str,
        *,
        year: int | None = None,
        period: str | None = None,
        policy: str = "carry",
    ):
        """``policy``: the period of a paragraph that states none, "carry" (the one in force) or "main" (the text's)."""
        self.text = text
        self.policy = policy
        self.given_year, self.given_period = year, period
        self.title = title_of(text)
        self.sentences = sentences_of(text)
        self._paragraphs = paragraphs_of(text)
        self.currency = self._currency()
        self.main_period = self.period = str(Period.parse(period)) if period else ""
        if period and not self.given_year:
            self.given_year = Period.parse(period).end // 12
        self.year = self._first_year()
        self.paragraph = -1
        self.stated_in_paragraph = False
        self.main_region: str | None = None
        self.drafts: dict[tuple, Draft] = {}
        self.last: list[Draft] = []
        self.recent: list[Draft] = []
        self.notes: list[Note] = []
        self.period_note = (
            ""  # set while the period in force comes from a sentence or heading with no figure
        )
        self.terms, self.terms_paragraph = (
            "",
            -1,
        )  # the currency a sentence says its figures are in ("in USD terms")
        self.last_at = (-1, -1)  # (sentence, paragraph) of the clause that set ``last``

    # ------------------------------------------------------------------ context
    def _currency(self) -> str:
        from .numbers import find_amounts

        # a Chinese customs text in yuan may quote dollar figures first ("exports in US dollars rose ..."):
        # the release is in yuan whenever it states yuan figures
        found = [a.currency for s in self.sentences for a in find_amounts(s.text)]
        return "yuan" if "yuan" in found or not found else found[0]

    def _first_year(self) -> int | None:
        """The year of period phrases printed without one.

        In order: ``--year``; the first year a body sentence with a figure states
        ("in the first quarter of 2021"); the headline's year; the date the
        article was published (a dateline, a "Published ..." line, a date line
        under the headline, or a sentence with "this year" and a full date), a
        year earlier when the period would end after that date ("the first half"
        published in January).
        """
        if self.given_year:
            return self.given_year
        for s in self.sentences:
            if not figure_numbers(s.text) or not self._body(s):
                continue
            for p in find_periods(s.text, None):
                if p.explicit_year:
                    return int(p.period[:4])
        if y := year_in(self.title):
            return y
        pub = publication_date(self._paragraphs)
        if pub is None:
            return None
        year, month = pub
        for s in self.sentences:
            if figure_numbers(s.text) and self._body(s):
                ps = [p for p in find_periods(s.text, year) if p.period]
                if ps:
                    end = Period.parse(ps[0].period).end
                    return year - 1 if end > year * 12 + month - 1 else year
        return year

    def title_period(self) -> str:
        """The first period the title names ("2021-Q1"), or "" when it names none."""
        ps = [p for p in find_periods(self.title, year_in(self.title)) if p.period]
        return ps[0].period if ps else ""

    # ------------------------------------------------------------------ reading
    def read(self) -> Reader:
        """Read every sentence: drafts from those with figures, the period in force from the rest; returns self."""
        for s in self.sentences:
            if figure_numbers(s.text) and self._body(s):
                self._sentence(s)
            else:
                self._period_only(s)
        return self

    def _period_only(self, s: Sentence) -> None:
        """A sentence or heading with no figure that names a period ("From January to September, trade grew
        steadily.", a heading "2. May single-month data"): it sets the period in force. Figures read under a
        period set this way are flagged (such a sentence may speak of another year), except for the text's
        first period, which a lead sentence often states alone."""
        body = self._body(s)
        if not body and (not self.main_period or len(s.text.split()) > 8):
            return  # headlines and menus before the text; long lines that are not headings
        phrases = [p for p in find_periods(s.text, self.year) if p.period and not p.same]
        period, what = (phrases[0].period, phrases[0].text) if phrases else ("", "")
        if not period and not body:
            m = _HEADING_MONTH.match(s.text)
            if m and self.year:
                period = f"{self.year}-{MONTHS.index(m.group(1).lower()) + 1:02d}"
        if not period:
            return
        if s.paragraph != self.paragraph:
            self.paragraph = s.paragraph
        self.stated_in_paragraph = True
        if phrases and phrases[0].explicit_year:
            self.year = int(period[:4])
        self.period = period
        if not self.main_period:
            self.main_period = period
            return
        where = "sentence" if body else "heading"
        self.period_note = (
            f"period {period} taken from the {where} {_clip(s.text)!r}, which states no figure"
        )

    def _body(self, s: Sentence) -> bool:
        """Body text ends its paragraph like a sentence; headlines, menus and bylines do not (they repeat or clutter)."""
        par = self._paragraphs[s.paragraph]
        end = par.rstrip()
        if end.endswith((":", "：")):
            return (
                len(end.split()) > 12
            )  # "... Specifically, it has four features:" ends a paragraph of sentences
        return end.endswith((".", "!", "?", '"', "”", ")", "’", "'", ";", "；"))

    def _draft(self, subject: Subject, period: str, currency: str = "") -> Draft:
        region = subject.region
        if region and self.main_region is None:
            self.main_region = region
        norm = "" if not region or _same_region(region, self.main_region) else region
        probe = Draft(subject, period, norm, len(self.drafts))
        probe.currency = "" if currency in ("", self.currency) else currency
        return self.drafts.setdefault(probe.key, probe)

    def _set(self, d: Draft, name: str, obj, sentence: str, used: set) -> None:
        cur = getattr(d, name)
        printed = obj.digits if isinstance(obj, Number) else obj.printed
        if cur is None:
            setattr(d, name, obj)
            setattr(d, f"{name}_sentence", sentence)
            used.add(id(obj.num) if isinstance(obj, Rate) else id(obj))
            return
        cur_printed = cur.digits if isinstance(cur, Number) else cur.printed
        if cur_printed == printed:
            used.add(id(obj.num) if isinstance(obj, Rate) else id(obj))
            return
        d.flag(f"{name} also read as {printed} in another clause; kept {cur_printed}")

    def _assign(self, drafts: list[Draft], c, sentence: str, used: set) -> None:
        for name, items in (("value", c.values), ("yoy", c.yoys), ("earlier", c.earliers)):
            if not items:
                continue
            if len(items) == len(drafts):
                pairs = list(zip(drafts, items))
            elif len(drafts) == 1 or len(items) == 1:
                pairs = [(drafts[-1], items[0])]
                if len(items) != len(drafts):
                    drafts[-1].flag(
                        f"{len(items)} {name} number(s) for {len(drafts)} figure(s) in one clause: took {_printed(items[0])}"
                    )
            else:
                pairs = []
                for d in drafts:
                    d.flag(f"{len(items)} {name} numbers for {len(drafts)} figures: not paired")
            for d, obj in pairs:
                if (
                    name == "earlier"
                    and _PREVIOUS_WORDS.search(obj.basis)
                    and not previous_period_supported()
                ):
                    # the release model or checks do not read growth on the period just before yet: not written
                    self.notes.append(
                        Note(
                            f"not recorded: {obj.printed}: growth {obj.basis!r} is not year on year",
                            sentence,
                        )
                    )
                    used.add(id(obj.num))
                    continue
                if name == "earlier":
                    period = earlier_basis(obj.basis, d.period)
                    if not period:
                        d.flag(
                            f"growth {obj.printed} against an earlier period that could not be told"
                        )
                        continue
                    if d.earlier_period and d.earlier_period != period:
                        d.flag(f"a second earlier-period growth {obj.printed} against {period}")
                        continue
                    d.earlier_period = period
                self._set(d, name, obj, sentence, used)
                self.assigned.add(id(d))
                if isinstance(obj, Rate) and obj.note:
                    d.flag(obj.note)

    def _sentence(self, s: Sentence) -> None:
        if s.paragraph != self.paragraph:
            self.paragraph, self.stated_in_paragraph = s.paragraph, False
        sentence_hint, after_share, other_basis_seen, list_sign = "", False, False, 0
        if s.paragraph != self.terms_paragraph:
            self.terms = ""
        if m := _TERMS.search(s.text):
            # "In terms of USD, ...", "measured in USD", "in yuan terms": the currency of what follows
            self.terms = "USD" if m.group("usd") else ""
            self.terms_paragraph = s.paragraph
        for a, b in split_clauses(s.text):
            c, phrases = read_clause(
                s.text[a:b],
                a,
                currency=self.currency,
                year=self.year,
                sentence_hint=sentence_hint,
                after_share=after_share,
                terms=self.terms,
                list_sign=list_sign,
            )
            list_sign = c.last_sign
            after_share = c.ends_with_share
            if other_basis_seen and c.yoys and not is_yoy(c.text):
                # "soared 25 percent month-on-month, of which imports and exports rose by 35.2 percent and 16.8
                # percent": the later rates may share that basis; not year on year for sure
                c.unplaced += [
                    (
                        r.num,
                        "a growth after a month-on-month (or other) rate in the same sentence, "
                        "its basis not stated",
                    )
                    for r in c.yoys
                ]
                c.yoys = []
            other_basis_seen = (
                other_basis_seen
                or c.previous_basis
                or any("is not year on year" in why for _, why in c.unplaced)
            )
            sentence_hint = c.hint or sentence_hint
            period_note = self._period(
                phrases, max((n.end for n in figure_numbers(c.text)), default=len(c.text))
            )
            if not self.period:
                for n in figure_numbers(c.text):
                    self.notes.append(
                        Note(
                            f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: its period cannot be told",
                            s.text,
                        )
                    )
                continue
            used: set = set()
            if c.subjects:
                drafts = [self._draft(sub, self.period, c.currency) for sub in c.subjects]
                for d in drafts:
                    d.words = d.words or c.words
                if c.links_previous and self.last and len(drafts) == 1:
                    for p in self.last:
                        if p is not drafts[0]:
                            p.part_of = drafts[0]
            else:
                drafts = list(self.last)
                fragment = (
                    _FRAGMENT.match(c.words)
                    and self.last_at == (s.index - 1, s.paragraph)
                    and len(drafts) == 1
                    and drafts[0].yoy is None
                    and drafts[0].value is not None
                    and not c.values
                )
                # "... was 5.44 trillion yuan. An increase of 32.2% over the same period last year.": the sentence
                # continues the one before it (a machine-translation habit), for that figure's missing growth only
                if (
                    drafts
                    and self.last_at[0] != s.index
                    and (c.values or c.yoys or c.earliers)
                    and not _ANAPHORA.match(c.words)
                    and not fragment
                ):
                    why = "no subject in its sentence"
                    if self._split_number(s):
                        why = "a number may be split by a line break in the text (the paragraph before ends with a digit and a point)"
                    for n in figure_numbers(c.text):
                        self.notes.append(
                            Note(
                                f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: {why}",
                                s.text,
                            )
                        )
                    continue
            prev = next((p for p in self.last if p.subject.kind == "partner"), None)
            if (
                c.subjects
                and prev is not None
                and _BARE_FLOW.fullmatch(c.words)
                and self.last_at[1] == s.paragraph
            ):
                # "trade with the US totaled ... Exports decreased 8.1 percent": the country's exports or the partner's?
                why = f"the subject {c.words!r} may be carried over from {prev.subject.label!r} just before"
                for n in figure_numbers(c.text):
                    self.notes.append(
                        Note(
                            f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: {why}",
                            s.text,
                        )
                    )
                continue
            if self._split_number(s):
                for d in drafts:
                    d.flag("a number may be split by a line break in the text")
            if not drafts:
                for n in figure_numbers(c.text):
                    self.notes.append(
                        Note(
                            f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: no figure to attach it to",
                            s.text,
                        )
                    )
                continue
            if period_note and period_note.startswith("period not stated in this paragraph"):
                # a clause whose period is only assumed adds nothing to a figure already read elsewhere
                # (its doubt would taint that figure): its numbers are reported instead
                known = [
                    d
                    for d in drafts
                    if (d.value is not None or d.yoy is not None or d.earlier is not None)
                    and d.origin != s.index
                ]
                if known:
                    for n in figure_numbers(c.text):
                        self.notes.append(
                            Note(
                                f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: "
                                f"{period_note}, and {known[0].subject.label!r} of that period is read elsewhere",
                                s.text,
                            )
                        )
                    continue
            self.assigned: set[int] = set()
            self._assign(drafts, c, s.text, used)
            for d in drafts:
                if id(d) in self.assigned and d.origin < 0:
                    d.origin = s.index
            for d in drafts:
                for r in c.review:
                    d.flag(r)
                if period_note and id(d) in self.assigned:
                    d.flag(
                        period_note,
                        soft=period_note.startswith("period not stated in this paragraph"),
                    )
            for fig_amount, conv, approx in c.conversions:
                owner = next((d for d in drafts if d.value is fig_amount), None) or next(
                    (
                        d
                        for d in drafts
                        if d.value is not None and d.value.digits == fig_amount.digits
                    ),
                    None,
                )
                if owner is None:
                    continue
                owner.statements.append(
                    {
                        "kind": "conversion",
                        "value": conv.digits,
                        "unit": conv.unit,
                        "approximate": approx,
                        "sentence": s.text,
                    }
                )
                used.add(id(conv))
            for p, sign, ref in c.points:
                owner = next((d for d in reversed(drafts) if d.yoy is not None), None) or next(
                    (d for d in reversed(self.recent) if d.yoy is not None), None
                )
                if owner is None:
                    continue
                owner.statements.append(
                    {
                        "kind": "pp_difference",
                        "value": ("-" if sign < 0 else "") + p.digits,
                        "reference": ref,
                        "sentence": s.text,
                    }
                )
                used.add(id(p))
            for a, sign, ref in c.changes:
                drafts[-1].statements.append(
                    {
                        "kind": "change",
                        "value": ("-" if sign < 0 else "") + a.digits,
                        "unit": a.unit,
                        "reference": ref,
                        "sentence": s.text,
                    }
                )
                used.add(id(a))
            for p, sign in c.share_changes:
                owner = drafts[-1]
                owner.statements.append(
                    {
                        "kind": "share_change_pp",
                        "value": ("-" if sign < 0 else "") + p.digits,
                        "reference": "",
                        "sentence": s.text,
                    }
                )
                used.add(id(p))
            for r in c.shares:
                owner = drafts[-1]
                owner.statements.append(
                    {"kind": "share", "value": r.printed, "reference": r.target, "sentence": s.text}
                )
                used.add(id(r.num))
            for n, why in c.unplaced:
                used.add(id(n))
                self.notes.append(
                    Note(
                        f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: {why}",
                        s.text,
                    )
                )
            for n in _clause_numbers(c):
                if id(n) not in used:
                    self.notes.append(
                        Note(
                            f"not recorded: {n.digits}{'%' if n.unit == '%' else ' ' + n.unit}: no place for it in the clause",
                            s.text,
                        )
                    )
            self.last = drafts
            self.last_at = (s.index, s.paragraph)
            self.recent = (self.recent + [d for d in drafts if d not in self.recent])[-8:]

    def _period(self, phrases, last_end: int = 10**9) -> str:
        """Update the period in force from a clause's period phrases; a review note when it is assumed.

        ``last_end``: where the clause's last number ends; a phrase well after it ("..., maintaining the
        same decrease as in the January-April period") does not date the clause's figures."""
        note = ""
        explicit = [p for p in phrases if not p.same]
        dating = [p for p in explicit if p.start <= last_end + 3]
        if len({p.period for p in dating}) > 1:
            # "fell 2.2% in January, remained flat in February, and increased by 6% in March": which is whose?
            note = (
                "the clause names more than one period ("
                + ", ".join(dict.fromkeys(p.text for p in dating))
                + ")"
            )
        if explicit:
            self.period_note = ""
            p = explicit[0]
            if not p.period:
                note = note or f"the year of {p.text!r} is not stated"
            else:
                self.period = p.period
                if p.explicit_year:
                    self.year = int(p.period[:4])
            self.stated_in_paragraph = True
        elif phrases and (
            self.stated_in_paragraph
            or self.period == self.main_period
            or not _within(self.period, self.main_period)
        ):
            self.stated_in_paragraph = True
        # "Throughout the period" opening a new paragraph after "In October alone": which period? (not stated)
        if not self.main_period and self.period:
            self.main_period = self.period
        if not self.period:
            tp = self.title_period()
            if tp:
                self.period = self.main_period = tp
                note = note or f"period not stated in the text: {tp} taken from the title"
            else:
                note = "period not stated"
        elif self.period_note and self.period != self.main_period:
            note = self.period_note
        elif not self.stated_in_paragraph and self.period != self.main_period:
            if self.policy == "main":
                self.period = self.main_period
                note = (
                    f"period not stated in this paragraph: the text's period {self.period} assumed"
                )
            else:
                note = f"period not stated in this paragraph: {self.period} assumed from the paragraph before"
        return note

    def _split_number(self, s: Sentence) -> bool:
        """ "up 0." at a paragraph's end, "9 percent" starting the next: copy-and-paste damage, not 9%."""
        pars = self._paragraphs
        if s.paragraph == 0 or not re.match(r"\s*\d", pars[s.paragraph]):
            return False
        return (
            bool(re.search(r"\d\.$", pars[s.paragraph - 1]))
            and s.text == sentences_in(pars[s.paragraph])[0]
        )


_ANAPHORA = re.compile(
    r"^(?:it|its|they|this|these|that|which|both|the\s+figure|this\s+figure|the\s+(?:growth\s+)?rate|the\s+growth|the\s+increase)\b",
    re.I,
)
_TERMS = re.compile(
    r"\b(?:in\s+(?:terms\s+of\s+)?|(?:measured|calculated|denominated|expressed)\s+in\s+)(?:(?P<usd>USD|U\.?\s?S\.?\s+dollars?|US\s+dollars?|dollars?)|"
    r"(?P<cny>yuan|RMB|renminbi))(?:[- ]denominated)?(?:\s+terms)?\b",
    re.I,
)
_PREVIOUS_WORDS = re.compile(
    r"month[- ]on[- ]month|previous\s+month|quarter[- ]on[- ]quarter|previous\s+quarter", re.I
)
_FRAGMENT = re.compile(
    r"^(?:an?\b\s*)?(?:year[- ]on[- ]year\s+)?(?:increase|decrease|rise|drop|decline|growth|fall|jump)?(?:\s+of)?$",
    re.I,
)
_BARE_FLOW = re.compile(
    r"(?:(?:and|while|whereas|but|the|total)\s+)*(?:exports?|imports?)(?:\s+(?:value|volume))?",
    re.I,
)
_HEADING_MONTH = re.compile(r"^\W*(?:\d+\s*[.)、]\s*)?(" + "|".join(MONTHS) + r")\b", re.I)


def _within(inner: str, outer: str) -> bool:
    """Is ``inner`` a sub-period of ``outer`` (October within January-October)?"""
    if not inner or not outer or inner == outer:
        return False
    a, b = Period.parse(inner), Period.parse(outer)
    return b.start <= a.start and a.end <= b.end


def _clip(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def sentences_in(par: str) -> list[str]:
    """The sentences of a paragraph as text (the paragraph itself when it splits into none)."""
    return [x.text for x in sentences_of(par)] or [par]


def _printed(x) -> str:
    return x.digits if isinstance(x, Number) else x.printed


def _clause_numbers(c) -> list[Number]:
    """Every number object a clause holds (identity matters: it marks what was placed)."""
    out = (
        list(c.values)
        + [r.num for r in c.yoys + c.earliers + c.shares]
        + [p for p, _, _ in c.points]
        + [conv for _, conv, _ in c.conversions]
    )
    out += [p for p, _ in c.share_changes] + [a for a, _, _ in c.changes]
    return out


def _same_region(a: str, b: str | None) -> bool:
    """ "Guangxi" and "Guangxi Zhuang Autonomous Region" name the same region: compare first words."""
    if b is None:
        return False
    return a.split()[0].lower() == b.split()[0].lower()
