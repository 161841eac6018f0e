"""Sentences → clauses → figure drafts: the small grammar of trade releases.

A sentence is cut into clauses where a new statement begins: at ", ", "; ",
" and ", " while " when the text before and the text after both hold a
figure number and the text after does not start with one (so "88.24, 75.07
and 16.75 billion yuan" and "up 39.1%, 100% and 45.9%" stay whole). Each
clause reads as::

    [period phrase,] SUBJECT VERB [filler] NUMBERS [in ITEM] [period phrase]

The subject is the text before the first verb or number ("Chongqing's exports
surged ..."), or the item after the numbers ("a rise of 24.5% to 7.33 billion
yuan in integrated circuit"). A clause without a subject ("up 45.2% from a
year earlier", "with respective increases of 30.8%, 59.4% and 110%") adds its
numbers, in order, to the figures of the clause before it.

A percentage is a growth rate unless a share word is nearest before it
("accounting for"); a falling word ("down", "decreased", "narrowed") nearest
before it makes it negative; a basis after it ("from two years earlier",
"over the same period of 2019") makes it growth against an earlier period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .numbers import Number, find_amounts, find_counts, find_points, find_rates
from .subjects import Subject, classify, flow_hint, item, split_list, strip_dateline
from .timephrase import PeriodPhrase, find_periods, is_yoy, names_earlier, other_basis

_VERB = re.compile(
    r"(?<!-)\b(?:arriv(?:ed|ing)\s+at|achiev(?:ed|ing)|maintain(?:ed|ing)|contribut(?:ed|ing)|widen(?:ed|ing)?|exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|topped|reach(?:ed|ing)?|total(?:ed|led|ing|ling)|hit(?:ting)?|amount(?:ed|ing)\s+to|st(?:ood|anding)\s+at|came\s+(?:in\s+at|to)|"
    r"regist(?:ered|ering)|record(?:ed|ing)|saw|sees|witness(?:ed|ing)|post(?:ed|ing)|report(?:ed|ing)|was|were|is|are|valued\s+at|"
    r"jump(?:ed|ing|s)?|surg(?:ed|ing|es?)|soar(?:ed|ing)|climb(?:ed|ing)|rose|ris(?:ing|es?)|increas(?:ed|ing|es?)|grew|grow(?:ing|s)?|growth(?!\s+(?:rate|of))|"
    r"expand(?:ed|ing)|went\s+up|edged\s+(?:up|down)|fell|fall(?:ing|s)?|declin(?:ed|ing|es?)|decreas(?:ed|ing|es?)|dropp(?:ed|ing)|drops?|"
    r"narrow(?:ed|ing)|shr[ai]nk(?:ing)?|contract(?:ed|ing)|slid|slump(?:ed|ing)|dipp(?:ed|ing)|hikes?|gain(?:ed|s)?|up|down|"
    r"facilitat(?:ed|ing)|dr(?:o|i)ve|boost(?:ed|ing)|propell(?:ed|ing)|lift(?:ed|ing)|account(?:ed|ing)\s+for|ma(?:de|king)\s+up)\b",
    re.I,
)
_LINK = re.compile(
    r"\b(?:facilitat(?:ed|ing)|dr(?:o|i)ve|boost(?:ed|ing)|propell(?:ed|ing)|lift(?:ed|ing)|contribut(?:ed|ing)\s+to)\b",
    re.I,
)
_NEG = re.compile(
    r"\b(?:negative(?:\s+growth)?|down|decreas\w*|declin\w*|fell|fall\w*|dropp?\w*|narrow\w*|shr[aiu]nk\w*|contract\w*|slid|slump\w*|dipp?\w*|reduc\w*|plung\w*|tumbl\w*|lower)\b",
    re.I,
)
_POS = re.compile(
    r"\b(?:up|widen\w*|increas\w*|ris(?:e|es|ing)|rose|gr[eo]w\w*|growth|surg\w*|jump\w*|climb\w*|hike\w*|soar\w*|expand\w*|gain\w*|boost\w*|higher|advanc\w*|edged)\b",
    re.I,
)
_SHARE = re.compile(
    r"\b(?:account(?:ed|ing|s)?\s+for|t(?:ook|aking|akes?)\s+up|occup(?:ied|ying|ies|y)|ma(?:de|king|kes?)\s+up|represent(?:ed|ing|s)?|share\s+of|proportion\s+of|constitut\w*)\b",
    re.I,
)
_SHARE_OF = re.compile(r"^\s*of\s+(?P<target>[^,.;()]+)", re.I)
_PP_DIR = re.compile(
    r"^\s*(?P<dir>higher|lower|faster|slower|above|below|more|less)\b(?:\s+than)?\s*(?P<ref>[^,.;()]*)",
    re.I,
)
_CONVERSION_GAP = re.compile(
    r"^[\s(,]*(?P<about>about|approximately|approx\.|around|roughly|nearly|some|or\s+about|or\s+around|"
    r"(?:or\s+)?(?:just\s+)?(?:below|under|over|above|more\s+than|less\s+than|nearly|almost)|or|equivalent\s+to|i\.e\.)?[\s(]*$",
    re.I,
)
_APPROX = re.compile(r"about|approx|around|roughly|nearly|some", re.I)
_TAIL_ITEM = re.compile(
    r"^\s*(?:\)\s*)?(?:respectively\s*)?,?\s*(?:(?:year[- ]on[- ]year\s+)?(?:increase|rise|growth|decline|decrease|drop|jump|surge|gain)\s+)?"
    r"(?P<prep>in|with|to|from)\s+(?P<item>[A-Za-z][^,.;()]*)",
    re.I,
)
_THRESHOLD_AFTER = re.compile(
    r"\b(?:for\s+the\s+first\s+time|mark|landmark|milestone|record|threshold|historic(?:al)?\s+high|consecutive|in\s+a\s+row)\b",
    re.I,
)
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+time|record|milestone)\b", re.I
)
_TARGET = re.compile(
    r"\b(?:strive|striv(?:es|ing)|target(?:s|ed)?|goal|aim(?:s|ed|ing)?\s+(?:to|at)|plan(?:s|ned)?\s+to|expect(?:s|ed)?\s+to|"
    r"project(?:ed|s)?\s+to|forecast|will|would|seek(?:s|ing)?\s+to)\b",
    re.I,
)
_RATIO_AFTER = re.compile(
    r"^\s*(?:that\s+of|the\s+(?:amount|level|figure|value|volume|size|total)|as\s+(?:much|large|high|big))\b",
    re.I,
)
_FORECAST = re.compile(
    r"\b(?:expect(?:ed|ation|ations)|forecast(?:s|ed)?|estimat(?:e|es|ed)|consensus|predict(?:ed|ion)s?|projected)\b[^%]*$",
    re.I,
)
_PREVIOUS_BASIS = re.compile(
    r"month[- ]on[- ]month|previous\s+month|quarter[- ]on[- ]quarter|previous\s+quarter", re.I
)
_CUE_AFTER = re.compile(
    r"^\s*(?:year[- ]on[- ]year\s+|annual\s+|yearly\s+)?(?:(?P<pos>increase|rise|growth|gain|jump|surge|expansion|higher|up)|"
    r"(?P<neg>decrease|decline|drop|fall|contraction|reduction|lower|down))\b",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"^\s*(?P<dir>higher|more|larger|greater|lower|less|smaller)\s+than\s+(?P<ref>[^,.;()]+)", re.I
)
_SHARE_AFTER = re.compile(r"^\s*(?:share|of\s+the\s+(?:total|whole))\b", re.I)
_NOT_ITEM = re.compile(
    r"^(?:total|value|volume|terms|yuan|dollar|the\s+same|breakdown|particular|addition|contrast|comparison|general|all)\b",
    re.I,
)
_SPLIT = re.compile(r",\s+|;\s+|\s+and\s+|\s+while\s+|\s+whereas\s+|\s+but\s+")
_STARTS_WITH_NUMBER = re.compile(r"^\s*(?:and\s+|or\s+)?[-−+]?\d")


@dataclass
class Rate:
    """A percentage read as growth (``role`` "yoy" or "earlier"), a share, or something not placed."""

    num: Number
    sign: int = 1
    role: str = "yoy"
    earlier_period: str = ""
    target: str = ""
    note: str = ""
    basis: str = ""  # the text that names its basis ("from two years earlier")
    reading: str = ""  # for a multiple: "increase" (grew by 4.7 times: +470%) or "ratio" (4.7 times the amount)

    @property
    def printed(self) -> str:
        """The rate as printed, with its sign: "-3.5%", or "4.7 times" for a multiple."""
        unit = " times" if self.num.unit == "times" else "%"
        return ("-" if self.sign < 0 else "") + self.num.digits + unit

    @property
    def qualifier(self) -> str:
        """Its number's qualifier ("more than", "about"); "" when printed bare."""
        return self.num.qualifier


@dataclass
class Clause:
    """One clause of a sentence as read: its period, subjects, and the amounts, rates and statements it prints."""

    text: str
    start: int  # offset in the sentence
    period: str = ""
    subjects: list[Subject | None] = field(default_factory=list)
    values: list[Number] = field(default_factory=list)
    yoys: list[Rate] = field(default_factory=list)
    earliers: list[Rate] = field(default_factory=list)
    shares: list[Rate] = field(default_factory=list)
    points: list[tuple[Number, int, str]] = field(default_factory=list)  # (number, sign, reference)
    conversions: list[tuple[Number, Number, bool]] = field(
        default_factory=list
    )  # (figure amount, converted, approximate)
    unplaced: list[tuple[Number, str]] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    links_previous: bool = (
        False  # "they facilitated ..." : the previous clause's figures are parts of this one
    )
    hint: str = ""
    words: str = ""  # the subject as written: the evidence of what the figure is about
    ends_with_share: bool = False
    changes: list[tuple[Number, int, str]] = field(
        default_factory=list
    )  # (amount, sign, what it is compared with)
    currency: str = ""  # the currency of the clause's figures ("USD" for "283.5 billion dollars")
    previous_basis: bool = False  # a growth on the period just before ("month on month") was read

    @property
    def last_sign(self) -> int:
        """The sign of the clause's last year-on-year growth (0 when it has none)."""
        return self.yoys[-1].sign if self.yoys else 0

    share_changes: list[tuple[Number, int]] = field(
        default_factory=list
    )  # (points, sign) of a stated share


def _mask_parens(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        out.append("_" if depth and ch != "(" else ch)
        depth -= ch == ")" and depth > 0
    return "".join(out)


def _has_figure(text: str) -> bool:
    return bool(find_amounts(text) or find_rates(text) or find_points(text))


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence (see the module docstring).

    Between two figure numbers the first separator that is not followed by a
    number starts a new clause ("..., exports of fruits and vegetables
    decreased 5%" splits at the comma, not inside "fruits and vegetables").

    >>> s = "In the first quarter, exports surged 75.7% to 112.32 billion yuan and imports increased by 40.2% to reach 67.92 billion yuan."
    >>> [s[a:b] for a, b in split_clauses(s)]
    ['In the first quarter, exports surged 75.7% to 112.32 billion yuan', 'imports increased by 40.2% to reach 67.92 billion yuan.']
    """
    masked = _mask_parens(text)
    for p in find_periods(text, 2000):
        # "between January and June, while imports ...": no cut inside a period phrase
        masked = masked[: p.start] + "_" * (p.end - p.start) + masked[p.end :]
    cuts = [(m.start(), m.end()) for m in _SPLIT.finditer(masked)]
    nums = [
        n
        for n in sorted(
            find_amounts(text) + find_rates(text) + find_points(text), key=lambda n: n.start
        )
    ]
    spans, start = [], 0
    for left, right in zip(nums, nums[1:]):
        if left.scale and right.scale and left.currency != right.currency:
            continue  # "1.2 trillion yuan, or just below 180 billion U.S. dollars": a conversion stays with its figure
        between = [(a, b) for a, b in cuts if left.end <= a and b <= right.start]
        # a number right after the separator continues a list ("88.24, 75.07 and 16.75"); an amount then a
        # rate does not ("15% to 6 trillion with ASEAN, 5.6% to 5.6 trillion with the EU")
        same_kind = bool(left.scale) == bool(right.scale)
        if not between or (_STARTS_WITH_NUMBER.match(text[between[0][1] :]) and same_kind):
            continue
        a, b = between[0]
        spans.append((start, a))
        start = b
    spans.append((start, len(text)))
    return spans


def _strip_periods(text: str, phrases: list[PeriodPhrase]) -> str:
    for p in sorted(phrases, key=lambda p: -p.start):
        text = text[: p.start] + " " + text[p.end :]
    return text


def read_clause(
    text: str,
    start: int,
    *,
    currency: str,
    year: int | None,
    sentence_hint: str,
    after_share: bool = False,
    terms: str = "",
    list_sign: int = 0,
) -> tuple[Clause, list[PeriodPhrase]]:
    """Read one clause: its numbers, their roles, its subject(s).

    ``after_share``: the clause before ended with a share ("accounting for 50.9% of the total, | a rise of
    1.1 percent"): a change printed first here is the share's change, not the figure's growth.
    """
    c = Clause(text, start)
    # "grew from 1,207 in 2019 to 1,870 in 2020": a year that dates a bare count is not the figure's period
    phrases = [p for p in find_periods(text, year) if not re.search(r"\d\s*$", text[: p.start])]
    # "If calculated in USD, ... exports amounted to 958.34 billion": an amount printed bare takes the terms in force
    amounts = [
        replace(a, unit=f"{a.unit.rsplit(' ', 1)[0]} {terms}") if a.bare and terms else a
        for a in find_amounts(text)
    ]
    rates = find_rates(text)
    points = find_points(text)
    counts = find_counts(text)
    numbers = sorted(amounts + rates + points, key=lambda n: n.start)
    _read_amounts(c, text, amounts, currency, year)
    c.currency = (
        c.values[0].currency
        if c.values and all(v.currency == c.values[0].currency for v in c.values)
        else (terms or currency)
    )
    _read_rates(c, text, rates, numbers, counts, after_share, list_sign)
    _read_points(c, text, points, after_share and (not numbers or numbers[0].unit == "pp"))
    _read_subject(c, text, numbers, phrases, year, sentence_hint)
    last = numbers[-1] if numbers else None
    c.ends_with_share = bool(last is not None and c.shares and c.shares[-1].num is last)
    return c, phrases


def _is_threshold(text: str, a: Number) -> bool:
    """ "exceeding 20 trillion yuan for the first time", "strive to achieve sales of over 60 billion", "the second
    time trade has exceeded 90 billion yuan in a single month": a mark, not a figure."""
    if _TARGET.search(text[: a.start]):
        return True
    return bool(a.qualifier) and bool(
        _THRESHOLD_AFTER.search(text[a.end :]) or _THRESHOLD_BEFORE.search(text[: a.start])
    )


def _read_amounts(c: Clause, text: str, amounts: list[Number], currency: str, year) -> None:
    """Money: the release's currency is a figure; another currency right after one is its conversion."""
    thresholds: list[Number] = []
    for a in amounts:
        prev = c.values[-1] if c.values else (thresholds[-1] if thresholds else None)
        if a.currency == currency and (prev is None or prev.currency == currency):
            if m := _CHANGE_AFTER.match(text[a.end :]):
                # "69.15 billion yuan higher than 2020": an absolute difference, not a level
                c.changes.append(
                    (
                        a,
                        -1 if m.group("dir").lower() in ("lower", "less", "smaller") else 1,
                        m.group("ref").strip(),
                    )
                )
                continue
            if _is_threshold(text, a):
                thresholds.append(a)
                c.unplaced.append((a, "a threshold or target, not a trade figure"))
            else:
                c.values.append(a)
            continue
        gap_text = text[prev.end : a.start] if prev else ""
        for p in find_periods(gap_text, year or 2000):
            gap_text = gap_text.replace(p.text, " ")
        gap = _CONVERSION_GAP.match(gap_text) if prev else None
        if gap and prev in thresholds:
            c.unplaced.append((a, "the conversion of a threshold"))
        elif gap and prev.currency != a.currency:
            approx = (
                bool(gap.group("about") and _APPROX.search(gap.group("about")))
                or a.qualifier == "about"
            )
            c.conversions.append((prev, a, approx))
        elif prev is None or prev.currency == a.currency:
            # "Exports amounted to 283.5 billion dollars": a figure in dollars, kept in dollars
            if _is_threshold(text, a):
                thresholds.append(a)
                c.unplaced.append((a, "a threshold or target, not a trade figure"))
            else:
                c.values.append(a)
        else:
            c.unplaced.append(
                (
                    a,
                    f"an amount in {a.unit} after an amount in {prev.unit}: neither its conversion nor a figure",
                )
            )


def _read_rates(
    c: Clause,
    text: str,
    rates: list[Number],
    numbers: list[Number],
    counts: list[Number],
    after_share: bool,
    list_sign: int = 0,
) -> None:
    """``list_sign``: the sign of the growth that ended the clause before, for a clause that opens with a rate
    continuing its list ("grew respectively 15% to 6 trillion with ASEAN, | 5.6% to 5.6 trillion with the EU")."""
    """Percentages and multiples: growth (sign, basis) or share, by the nearest cue word before them."""
    prev_rate = None
    for r in rates:
        before_nums = [n for n in numbers if n.end <= r.start]
        window = text[before_nums[-1].end if before_nums else 0 : r.start]
        after_nums = [n for n in numbers if n.start >= r.end]
        after = text[r.end : after_nums[0].start if after_nums else len(text)]
        if _FORECAST.search(window[-40:]):
            c.unplaced.append((r, "a forecast or expectation, not a figure"))
            continue
        last_count = next((k for k in reversed(counts) if k.end <= r.start), None)
        if last_count is not None and (not before_nums or before_nums[-1].end <= last_count.start):
            c.unplaced.append(
                (
                    r,
                    f"the growth of a count ({text[last_count.start : last_count.end]!r}), not of a trade value",
                )
            )
            continue
        if after_share and not before_nums:
            c.unplaced.append(
                (r, "a change of the share stated just before, not a growth of the figure")
            )
            continue
        cont = (
            prev_rate is not None
            and before_nums
            and before_nums[-1] is prev_rate.num
            and re.fullmatch(
                r"\s*(?:%|times)?\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*、\s*)[-−+]?", window
            )
        )
        rate = Rate(r)
        cues = (
            [(m.end(), "share") for m in _SHARE.finditer(window)]
            + [(m.end(), "neg") for m in _NEG.finditer(window)]
            + [(m.end(), "pos") for m in _POS.finditer(window)]
        )
        if re.search(r"\+\s*$", text[: r.start]):
            cues.append((len(window), "pos"))  # printed with a plus sign: "(+0.8%)"
        if r.unit == "%" and _SHARE_AFTER.match(after):
            cues.append((len(window) + 1, "share"))  # "(64.2% share)"
        if cont or (not cues and prev_rate is not None and prev_rate.role != "share"):
            # a list item, or a second rate of the same growth ("up 46.9% year on year and 29.3% from two years earlier")
            rate.sign, rate.role, rate.target = prev_rate.sign, prev_rate.role, prev_rate.target
        else:
            if (
                not cues
                and list_sign
                and not before_nums
                and re.fullmatch(r"\s*(?:and\s+)?[-−+]?\s*", window)
            ):
                cues.append((0, "neg" if list_sign < 0 else "pos"))
            if not cues and (m := _CUE_AFTER.match(text[r.end :])):
                cues.append(
                    (0, "neg" if m.group("neg") else "pos")
                )  # "marking a 77.5-percent increase"
            # the nearest cue wins; at a tie ("negative growth of") the falling one
            cue = max(cues, key=lambda t: (t[0], t[1] == "neg"))[1] if cues else ""
            if (
                cue in ("pos", "neg")
                and r.unit == "%"
                and re.search(
                    r"\b(?:to|from)\s+(?:about\s+|around\s+|nearly\s+)?[-−+]?\s*$", window
                )
            ):
                # "growth slowed to 3.1%", "its share rose from 30% to 32%": a rate reached, not a growth by it
                c.unplaced.append((r, "a rate reached ('to / from N%'), not a growth by N%"))
                prev_rate = rate
                continue
            if cue == "share":
                rate.role = "share"
                m = _SHARE_OF.match(after)
                rate.target = m.group("target").strip() if m else ""
            else:
                if (
                    prev_rate is not None
                    and prev_rate.role == "share"
                    and before_nums
                    and before_nums[-1] is prev_rate.num
                ):
                    # "accounting for 47.2%, a rise of 1.1 percent": the change of a share, in points or in percent?
                    c.unplaced.append(
                        (
                            r,
                            f"a change of the share {prev_rate.printed}, not a growth of the figure",
                        )
                    )
                    prev_rate = rate
                    continue
                rate.sign = -1 if cue == "neg" else 1
                if not cue and not (r.unit == "times" and _RATIO_AFTER.match(text[r.end :])):
                    # ("3.4 times the amount of 2019" needs no growth word: the ratio is the statement)
                    rate.note = (
                        f"no growth or share word before {r.digits}%: read as year-on-year growth"
                    )
        if re.search(r"[-−]\s*$", text[: r.start]):
            rate.sign = -1  # printed with a minus sign: "-4.2%"
        prev_rate = rate
        if rate.role == "share":
            if r.unit == "times":
                c.unplaced.append((r, "a multiple read as a share"))
                continue
            c.shares.append(rate)
            continue
        if r.unit == "times":
            if _RATIO_AFTER.match(text[r.end :]):
                rate.reading = "ratio"  # "3.4 times the amount in 2019": 340% of it
            else:
                rate.reading = (
                    "increase"  # "grew 4.7 times": the reading of Chinese 增长4.7倍, +470%
                )
                rate.note = (
                    f"'{r.digits} times' read as an increase of {r.digits} times (+{float(r.digits) * 100:g}%, the "
                    f"reading of Chinese 增长{r.digits}倍); English may mean {r.digits} times the amount: check the source"
                )
        # the basis is stated after the list's last item (or before the first)
        tail_group = (
            after if not _STARTS_WITH_NUMBER.match(after.lstrip(" ,%").removeprefix("and ")) else ""
        )
        basis_text = tail_group + " " + window
        if ob := other_basis(basis_text):
            if _PREVIOUS_BASIS.search(ob):
                # "up 4.1% month on month": growth on the period just before, an earlier_growth
                rate.basis, rate.role = ob, "earlier"
                c.earliers.append(rate)
                c.previous_basis = True
                continue
            c.unplaced.append((r, f"growth {ob!r} is not year on year"))
            continue
        rate.basis = basis_text
        rate.role = "earlier" if _has_earlier(basis_text) else "yoy"
        (c.earliers if rate.role == "earlier" else c.yoys).append(rate)


_DIR_BEFORE = re.compile(
    r"\b(?P<dir>up|down|rose|fell|increased|decreased|higher|lower|an?\s+increase\s+of|an?\s+decrease\s+of)\s+(?:by\s+)?$",
    re.I,
)


def _read_points(c: Clause, text: str, points: list[Number], after_share: bool = False) -> None:
    for i, p in enumerate(points):
        m = _PP_DIR.match(text[p.end :])
        if (c.shares and c.shares[-1].num.end <= p.start) or (after_share and i == 0):
            d = (m.group("dir") if m else "") or (
                _DIR_BEFORE.search(text[: p.start]) or {"dir": ""}
            )["dir"]
            if not d:
                c.unplaced.append((p, "percentage points after a share, without up/down"))
                continue
            sign = (
                -1
                if re.match(
                    r"(?:down|fell|decreas|lower|less|slower|below|an?\s+decrease)", d, re.I
                )
                else 1
            )
            c.share_changes.append((p, sign))
            continue
        if not m:
            c.unplaced.append((p, "percentage points without 'higher/lower than'"))
            continue
        sign = -1 if m.group("dir").lower() in ("lower", "slower", "below", "less") else 1
        c.points.append((p, sign, m.group("ref").strip()))


_PARTNER_WITH = re.compile(
    r"^\s*(?P<name>(?:the\s+)?[A-Z][\w.\- ]*?)\s+(?:remained|was|became|is|stayed|continued\s+to\s+be)\s+"
    r"(?:as\s+)?(?:[A-Z]\w*['’]s|its|the)\s+(?:\w+\s+){0,3}trad(?:ing|e)\s+partners?\s*,?\s*with\s+"
    r"(?:the\s+|its\s+)?(?:(?:bilateral|two-way|total)\s+)?trade(?:\s+(?:volume|value))?\s*$"
)
_SAW = re.compile(
    r"^(?:saw|sees|see|witness(?:ed|es)?|posted|posts|registered|recorded|reported|logged|achieved)$",
    re.I,
)
_PLACE = re.compile(
    r"\b(?:province|region|city|municipality|autonomous|china|country|nation)\b", re.I
)
_GROWTH_OF = re.compile(
    r"^[\s%]*(?:percent|per\s?cent)?\s*(?:year[- ]on[- ]year\s+|annual\s+)?(?:increase|rise|growth|decline|decrease|drop|jump|surge)\s+(?:of|in)\s+(?P<subj>[^,;]+?)(?=,|;|$|\s+(?:reaching|to|at|totaling|totalling|hitting)\b)",
    re.I,
)


def _read_subject(
    c: Clause, text: str, numbers: list[Number], phrases, year, sentence_hint: str
) -> None:
    """The subject: before the first verb or number; or the item after the numbers."""
    first = numbers[0].start if numbers else len(text)
    head = _strip_periods(text[:first], [p for p in phrases if p.end <= first])
    vm = _VERB.search(head)
    pre, mid = (head[: vm.start()], head[vm.end() :]) if vm else (head, "")
    place = ""
    if (
        vm
        and _SAW.match(vm.group(0))
        and (
            pre.strip() == ""
            or _PLACE.search(pre)
            or classify(pre) is None
            or classify(pre).kind == "other"
        )
    ):
        # "Southwest China's Yunnan Province saw its foreign trade volume reach ...": the place, then the subject
        vm2 = _VERB.search(mid)
        inner = mid[: vm2.start()] if vm2 else mid
        post = (
            _GROWTH_OF.match(text[numbers[0].end :]) if numbers and not inner.strip(" ,a") else None
        )
        if post:
            inner = post.group("subj")
        if classify(inner) is not None and classify(inner).kind != "other":
            place, pre, mid = pre, inner, (mid[vm2.end() :] if vm2 else "")
    c.links_previous = bool(_LINK.search(head))
    c.hint = flow_hint(mid) or ""
    last_end = max((n.end for n in numbers), default=len(text))
    tail_item, tail_prep = None, ""
    if numbers:
        m = _TAIL_ITEM.match(text[last_end:])
        partner_like = m and (
            m.group("prep").lower() == "in"
            or re.match(
                r"(?:the\s+)?[A-Z]|(?:other\s+)?(?:countries|members|economies)\b", m.group("item")
            )
        )
        if (
            m
            and partner_like
            and not _NOT_ITEM.match(m.group("item"))
            and not find_periods(m.group(0), year or 2000)
            and not names_earlier(m.group(0))
            and not is_yoy(m.group(0))
        ):
            tail_item, tail_prep = m.group("item").strip(), m.group("prep").lower()
    lead = re.sub(
        r"^(?:(?:during|in|over|throughout)\s+the\s+(?:\S+\s+)?period|and|while|but|meanwhile|whereas)\b[\s,]*",
        "",
        strip_dateline(pre).strip(),
        flags=re.I,
    )
    if m := _PARTNER_WITH.match(lead):
        # "ASEAN remained China's largest trading partner, with bilateral trade reaching ...": trade with ASEAN
        pre = f"trade with {m.group('name')}"
    pre_subject = classify(pre, c.hint)
    if place and pre_subject is not None and not pre_subject.region:
        pre_subject = Subject(
            pre_subject.kind, pre_subject.flow, pre_subject.name, place_name(place)
        )
    if (
        pre_subject is not None
        and pre_subject.kind == "other"
        and sentence_hint in ("exports", "imports")
        and len(pre_subject.name.split()) <= 3
        and not pre_subject.region
    ):
        # "Crude oil imports went up 8.8 percent, and natural gas rose 11.6 percent": a product of the same flow
        pre_subject = Subject("product", sentence_hint, pre_subject.name)
    hint = (
        c.hint
        or (
            pre_subject.flow if pre_subject and pre_subject.kind in ("aggregate", "product") else ""
        )
        or sentence_hint
    )
    c.hint = hint
    n = max(len(c.values), len(c.yoys), len(c.earliers))
    if pre_subject is None and c.links_previous and not tail_item:
        # "which drove imports of consumer goods up 61.3% ...": the object of the linking verb is the subject
        obj = re.sub(
            r"\b(?:an?|the)\b|\b(?:up|down|rise|increase|growth|jump|surge)(?:\s+of)?\s*$",
            " ",
            mid,
            flags=re.I,
        ).strip(" ,")
        pre_subject = classify(obj, c.hint) if obj else None
        pre = obj
    c.words = (tail_item or pre).strip(" ,;:")
    if tail_item and tail_prep != "in":
        generic = re.search(r"\b(?:top|major|main|largest|leading)\b.*\bpartners\b", pre, re.I)
        if (pre_subject is not None and not generic) or n > 1:
            c.review.append(
                f"a partner {tail_prep} {tail_item!r} after a subject {pre.strip(' ,')!r}"
            )
        flow = {"with": hint or "total", "to": "exports", "from": "imports"}[tail_prep]
        c.subjects = [
            Subject(
                "partner", flow if flow in ("total", "exports", "imports") else "total", tail_item
            )
        ]
    elif tail_item:
        c.subjects = [item(tail_item, hint)]
    elif n >= 2 and pre_subject is not None:
        subs = split_list(pre, n, c.hint)
        if subs is None:
            c.subjects = [
                Subject("other", hint or "total", f"{pre.strip(' ,')} (item {i + 1})")
                for i in range(n)
            ]
            c.review.append(f"could not pair {n} numbers with the subjects in {pre.strip(' ,')!r}")
        else:
            c.subjects = subs
    elif pre_subject is not None:
        c.subjects = [pre_subject]
    if pre_subject is not None and pre_subject.kind == "other" and not tail_item:
        c.review.append(f"subject {pre_subject.name!r} not recognised: placed without a parent")
    if re.search(r"\bdeficits?\b", pre, re.I) and c.subjects:
        # a balance is exports minus imports: a deficit printed as "65 billion" is -65; not written as a surplus
        c.review.append(
            "a trade deficit: the balance is the printed number with a minus sign (exports minus imports)"
        )
    if (
        re.search(r"\b(?:including|such\s+as|among\s+which|all|each|both)\b", pre, re.I)
        and c.subjects
    ):
        c.review.append(f"the subject {pre.strip(' ,')!r} names a group of figures, not one")


def place_name(text: str) -> str:
    """The region a place phrase names: "Southwest China's Yunnan Province" → "Yunnan Province"; "the country" → "China"."""
    from .subjects import strip_dateline

    t = strip_dateline(text)
    names = re.findall(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", t)
    skip = re.compile(
        r"^(?:China|Chinese|East|West|North|South|Northeast|Northwest|Southeast|Southwest|Central|The|In|Its)$"
    )
    for nm in names:
        words = [w for w in nm.split() if not skip.match(w)]
        if words:
            return " ".join(words)
    return "China"


def _has_earlier(text: str) -> bool:
    return names_earlier(text)
