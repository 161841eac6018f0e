"""Money amounts, percentages, multiples, points and counts as printed in a sentence.

The digits and the multiplier words are the release-file grammar of
:mod:`tradecalc.model.published` (``NUMBER_PATTERN``, ``SCALES``,
``CURRENCY_PREFIX_PATTERN``): one grammar for a printed number. This module only
finds such numbers inside sentences. Each number keeps its printed digits (the
published precision), its place in the text, its currency ("RMB9.89 trillion"
is yuan, "US$340 billion" and "$4.6 trillion" are dollars) and the qualifier
printed before it ("about", "more than", "nearly" ...). A list such as "88.24,
75.07 and 16.75 billion yuan" or "up 39.1, 100 and 45.9 percent" gives the
unit of its last item to every item.

>>> [(a.digits, a.unit) for a in find_amounts("reached 180.24 billion yuan (about 27.77 billion U.S. dollars)")]
[('180.24', 'billion yuan'), ('27.77', 'billion USD')]
>>> [(a.digits, a.unit, a.qualifier) for a in find_amounts("reached RMB9.89 trillion (about $1.4 trillion)")]
[('9.89', 'trillion yuan', ''), ('1.4', 'trillion USD', 'about')]
>>> [a.digits for a in find_amounts("stood at 88.24, 75.07 and 16.75 billion yuan respectively")]
['88.24', '75.07', '16.75']
>>> [r.digits for r in find_rates("up 39.1%, 100 and 45.9 per cent respectively")]
['39.1', '100', '45.9']
>>> [(r.digits, r.unit) for r in find_rates("increased by 4.7 times, 45.3 percent and 42.6 percent")]
[('4.7', 'times'), ('45.3', '%'), ('42.6', '%')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tradecalc.model.published import (
    CURRENCY_PREFIX_PATTERN,
    NUMBER_PATTERN,
    SCALES,
    prefixed_currency,
)

_NUM = NUMBER_PATTERN
_SCALE = "|".join(w.replace(" ", r"\s+") for w in sorted(SCALES, key=len, reverse=True))
_CURRENCY = (
    r"yuan|RMB|renminbi|U\.\s?S\.\s?dollars|US\s?dollars|U\.S\.\s?dollar|US\$|USD|dollars|euros?"
)
_LIST_SEP = r"\s*(?:,\s+(?:and\s+)?|\s+and\s+|\s*、\s*)"
_AMOUNT = re.compile(
    rf"(?<![\w.])(?P<list>(?:(?:{_NUM}){_LIST_SEP})*)(?:(?P<pre>{CURRENCY_PREFIX_PATTERN})\s?)?(?P<num>{_NUM})\s*"
    rf"(?P<scale>{_SCALE})\s*(?P<cur>{_CURRENCY})?(?![\w])",
    re.I,
)
# a currency word after a bare-scale amount is optional only where nothing else follows that could be a noun
_BARE_OK = re.compile(
    r"^\s*(?:$|[,.;:)]|and\b|up\b|down\b|respectively\b|in\b|from\b|year\b|with\b|while\b|or\b|an?\b|representing\b|accounting\b|for\b|during\b|between\b|over\b|to\b)",
    re.I,
)
_PCT_WORD = r"%|percent\b|per\s?cent\b"
_PERCENT = re.compile(
    rf"(?<![\w.])(?P<list>(?:(?:{_NUM})\s*(?:{_PCT_WORD})?{_LIST_SEP})*)(?P<num>{_NUM})\s*-?\s*(?P<pct>{_PCT_WORD})(?!\s*points?)(?!age\s+points?)",
    re.I,
)
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_WORD_PERCENT = re.compile(
    rf"\b(?P<word>{'|'.join(_WORD_NUMBERS)})\s+(?:percent|per\s?cent)\b(?!\s*points?)(?!age\s+points?)",
    re.I,
)
_TIMES = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s*(?:-\s*)?(?:times\b|fold\b)", re.I)
_PP = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM})\s*(?:percentage|per\s?cent(?:age)?)\s+points?\b", re.I
)
_ITEM = re.compile(rf"{_NUM}")
_COUNT_NOUN = (
    r"enterprises|companies|firms|businesses|varieties|kinds|types|categories|customers|shoppers|visitors|"
    r"tourists|passengers|products|items|pieces|tons|tonnes|trains|trips|containers|TEUs?|vehicles|cars|units|"
    r"people|persons|countries|regions|records|declarations|parcels|orders|batches|flights|agreements|partners|"
    r"entities|ports|stores|shops"
)
_COUNT = re.compile(
    rf"(?<![\w.$¥])(?P<num>{_NUM})(?:\s*(?:{_SCALE}))?\s+(?:[\w-]+\s+){{0,3}}?(?:{_COUNT_NOUN})\b",
    re.I,
)

#: Qualifier words printed just before a number, and the release-file qualifier they state.
_QUALIFIERS = [
    (r"about|around|approximately|approx\.|roughly|some|an\s+estimated", "about"),
    (r"nearly|almost|close\s+to|just\s+(?:below|under)", "nearly"),
    (r"more\s+than", "more than"),
    (r"over|above|upwards\s+of", "over"),
    (
        r"exceed(?:ed|ing|s)?|surpass(?:ed|ing|es)?|top(?:ped|ping|s)?|br(?:oke|eaking)\s+(?:through\s+)?|"
        r"cross(?:ed|ing)|pass(?:ed|ing)",
        "exceeding",
    ),
    (r"at\s+least|no\s+less\s+than", "at least"),
    (r"less\s+than|fewer\s+than", "less than"),
    (r"under|below", "under"),
    (r"up\s+to", "up to"),
]
_QUALIFIER = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<q{i}>{rx})" for i, (rx, _) in enumerate(_QUALIFIERS))
    + r")\s+(?:the\s+)?(?:mark\s+of\s+)?(?:[-+−]\s*)?$",
    re.I,
)
QUALIFIER_WORDS = tuple(dict.fromkeys(q for _, q in _QUALIFIERS))


@dataclass(frozen=True)
class Number:
    """A number as printed: its digits ("112.32", commas removed), place in the text, unit, qualifier."""

    digits: str
    start: int
    end: int
    unit: str = ""  # "billion yuan", "billion USD", "%", "times", "pp"
    scale: int = 0  # power of ten of the unit's multiplier: billion → 9
    qualifier: str = ""  # "about", "more than", "exceeding" ... ; "" when printed bare
    bare: bool = False  # an amount printed with no currency ("958.34 billion"): yuan unless the text says otherwise

    @property
    def value(self) -> float:
        """The digits as a float, in the number's unit: 112.32 for "112.32 billion yuan"."""
        return float(self.digits)

    @property
    def currency(self) -> str:
        """The unit's currency word ("yuan" for "billion yuan"); "" when it has no unit."""
        return self.unit.split()[-1] if self.unit else ""

    @property
    def printed(self) -> str:
        """The number as printed with its unit: "112.32 billion yuan", "60.4%", "4.7 times", "5.2 pp"."""
        return self.digits + (
            {"%": "%", "times": " times", "pp": " pp"}.get(self.unit, " " + self.unit)
            if self.unit
            else ""
        )


def _currency(word: str | None, prefix: str | None = None) -> str:
    if prefix:
        return prefixed_currency(prefix)
    if not word:
        return "yuan"
    w = word.lower().replace(" ", "")
    if "dollar" in w or w in ("us$", "usd"):
        return "USD"
    if w.startswith("euro"):
        return "EUR"
    return "yuan"


def _scale_word(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower())


def qualifier_before(text: str, start: int) -> str:
    """The qualifier printed just before ``start``: "more than 395.8" → "more than"; "" when none.

    >>> qualifier_before("exports of over 1.2 trillion", 16), qualifier_before("up 5%", 3)
    ('over', '')
    """
    m = _QUALIFIER.search(text[max(0, start - 40) : start])
    if not m:
        return ""
    i = next(int(k[1:]) for k, v in m.groupdict().items() if v)
    return _QUALIFIERS[i][1]


def _items(
    m: re.Match, unit: str, scale: int, text: str, first_start: int | None = None
) -> list[Number]:
    out = []
    lst = m.group("list")
    for im in _ITEM.finditer(lst):
        out.append(
            Number(
                im.group(0).replace(",", ""),
                m.start("list") + im.start(),
                m.start("list") + im.end(),
                unit,
                scale,
            )
        )
    start = m.start("num") if first_start is None else first_start
    out.append(Number(m.group("num").replace(",", ""), start, m.end(), unit, scale))
    q = qualifier_before(text, out[0].start)
    if q:
        out[0] = replace(out[0], qualifier=q)
    return out


def find_amounts(text: str) -> list[Number]:
    """Money amounts: "180.24 billion yuan", "5.48 trillion", "27.77 billion U.S. dollars", "RMB9.89 trillion", "$4.6 trillion"."""
    out = []
    for m in _AMOUNT.finditer(text):
        if m.group("pre") and m.group("list"):
            continue  # "2019, $4.6 trillion": the list before a prefixed number is not its list
        if not m.group("cur") and not m.group("pre") and not _BARE_OK.match(text[m.end() :]):
            continue
        word = _scale_word(m.group("scale"))
        cur = _currency(m.group("cur"), m.group("pre"))
        items = _items(
            m, f"{word} {cur}", SCALES[word], text, m.start("pre") if m.group("pre") else None
        )
        if not m.group("cur") and not m.group("pre"):
            items = [replace(n, bare=True) for n in items]
        out += items
    return out


def find_rates(text: str) -> list[Number]:
    """Percentages ("60.4%", "33.4 percent", "5 per cent") and multiples ("4.7 times"), not percentage points."""
    out = []
    for m in _PERCENT.finditer(text):
        out += _items(m, "%", 0, text)
    for m in _WORD_PERCENT.finditer(text):
        # "went down by nine percent": a whole number of percent, printed in words
        n = Number(str(_WORD_NUMBERS[m.group("word").lower()]), m.start(), m.end(), "%")
        out.append(replace(n, qualifier=qualifier_before(text, n.start)))
    for m in _TIMES.finditer(text):
        n = Number(m.group("num").replace(",", ""), m.start("num"), m.end(), "times")
        out.append(replace(n, qualifier=qualifier_before(text, n.start)))
    return sorted(out, key=lambda n: n.start)


def find_points(text: str) -> list[Number]:
    """Percentage points: "31.2 percentage points"."""
    return [
        Number(
            m.group("num").replace(",", ""),
            m.start(),
            m.end(),
            "pp",
            0,
            qualifier_before(text, m.start()),
        )
        for m in _PP.finditer(text)
    ]


def find_counts(text: str) -> list[Number]:
    """Counts of things that are not money: "457,000 foreign trade enterprises", "38 million tons"."""
    money = [(a.start, a.end) for a in find_amounts(text)]
    out = []
    for m in _COUNT.finditer(text):
        if any(a <= m.start("num") < b for a, b in money):
            continue
        out.append(Number(m.group("num").replace(",", ""), m.start("num"), m.end(), "count"))
    return out


def figure_numbers(text: str) -> list[Number]:
    """Every amount, percentage, multiple and point figure, left to right (years, dates and counts are not figures)."""
    return sorted(find_amounts(text) + find_rates(text) + find_points(text), key=lambda n: n.start)
