"""Money amounts, percentages and percentage points as printed in a sentence.

Each number keeps its printed digits (the published precision) and its place
in the text, so every number written to a release file can be traced back.
A list such as "88.24, 75.07 and 16.75 billion yuan" or "up 39.1, 100 and
45.9 percent" gives the unit of its last item to every item.

>>> [(a.digits, a.unit) for a in find_amounts("reached 180.24 billion yuan (about 27.77 billion U.S. dollars)")]
[('180.24', 'billion yuan'), ('27.77', 'billion USD')]
>>> [a.digits for a in find_amounts("stood at 88.24, 75.07 and 16.75 billion yuan respectively")]
['88.24', '75.07', '16.75']
>>> [r.digits for r in find_rates("up 39.1%, 100 and 45.9 per cent respectively")]
['39.1', '100', '45.9']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "hundred million": 8}
_SCALE = r"hundred\s+million|thousand|million|billion|trillion"
_CURRENCY = r"yuan|RMB|renminbi|U\.\s?S\.\s?dollars|US\s?dollars|U\.S\.\s?dollar|US\$|USD|dollars|euros?"
_LIST_SEP = r"\s*(?:,\s+(?:and\s+)?|\s+and\s+|\s*、\s*)"
_AMOUNT = re.compile(
    rf"(?<![\w.])(?P<list>(?:(?:{_NUM}){_LIST_SEP})*)(?P<num>{_NUM})\s*(?P<scale>{_SCALE})\s*(?P<cur>{_CURRENCY})?(?![\w])",
    re.I,
)
# a currency word after a bare-scale amount is optional only where nothing else follows that could be a noun
_BARE_OK = re.compile(r"^\s*(?:$|[,.;:)]|and\b|up\b|down\b|respectively\b|in\b|from\b|year\b|with\b|while\b|or\b|an?\b|representing\b|accounting\b)", re.I)
_PERCENT = re.compile(
    rf"(?<![\w.])(?P<list>(?:(?:{_NUM})\s*(?:%|percent|per\s?cent)?{_LIST_SEP})*)(?P<num>{_NUM})\s*(?P<pct>%|percent\b|per\s?cent\b)(?!\s*points?)(?!age\s+points?)",
    re.I,
)
_PP = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s*(?:percentage|per\s?cent(?:age)?)\s+points?\b", re.I)
_ITEM = re.compile(rf"{_NUM}")


@dataclass(frozen=True)
class Number:
    """A number as printed: its digits ("112.32", commas removed), place in the text, unit."""

    digits: str
    start: int
    end: int
    unit: str = ""  # "billion yuan", "billion USD", "%", "pp"
    scale: int = 0  # power of ten of the unit's multiplier: billion → 9

    @property
    def value(self) -> float:
        return float(self.digits)

    @property
    def currency(self) -> str:
        return self.unit.split()[-1] if self.unit else ""


def _currency(word: str | None) -> str:
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


def _items(m: re.Match, unit: str, scale: int, base: int) -> list[Number]:
    out = []
    lst = m.group("list")
    for im in _ITEM.finditer(lst):
        out.append(Number(im.group(0).replace(",", ""), base + m.start("list") + im.start(), base + m.start("list") + im.end(), unit, scale))
    out.append(Number(m.group("num").replace(",", ""), base + m.start("num"), base + m.end(), unit, scale))
    return out


def find_amounts(text: str) -> list[Number]:
    """Money amounts: "180.24 billion yuan", "5.48 trillion", "27.77 billion U.S. dollars"."""
    out = []
    for m in _AMOUNT.finditer(text):
        if not m.group("cur") and not _BARE_OK.match(text[m.end():]):
            continue
        word = _scale_word(m.group("scale"))
        cur = _currency(m.group("cur"))
        out += _items(m, f"{word} {cur}", SCALES[word], 0)
    return out


def find_rates(text: str) -> list[Number]:
    """Percentages ("60.4%", "33.4 percent", "5 per cent"), not percentage points."""
    out = []
    for m in _PERCENT.finditer(text):
        # a list item like "2020%" carries its own sign; _ITEM picks only the digits
        out += _items(m, "%", 0, 0)
    return out


def find_points(text: str) -> list[Number]:
    """Percentage points: "31.2 percentage points"."""
    return [Number(m.group("num").replace(",", ""), m.start(), m.end(), "pp") for m in _PP.finditer(text)]


def figure_numbers(text: str) -> list[Number]:
    """Every amount, percentage and point figure, left to right (years and dates are not figures)."""
    return sorted(find_amounts(text) + find_rates(text) + find_points(text), key=lambda n: n.start)
