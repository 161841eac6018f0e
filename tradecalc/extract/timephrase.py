"""Period phrases → machine-readable periods (:mod:`tradecalc.model.periods` forms).

"in the first quarter of 2021" → ``2021-Q1``; "in March" → ``2021-03`` (year
from the context); "from January to August" → ``2021-01/2021-08``; "in the
first half" → ``2021-H1``; "in the first eight months" → ``2021-01/2021-08``;
"the first three quarters" → ``2021-01/2021-09``; "during the same period" →
the period in force. Growth bases ("over the same period of 2019", "from two
years earlier") are not periods of a figure: see :func:`earlier_basis`.

>>> [(p.period, p.text) for p in find_periods("In the first quarter of 2021, exports rose.", 2020)]
[('2021-Q1', 'In the first quarter of 2021')]
>>> find_periods("from January to August, imports fell", 2021)[0].period
'2021-01/2021-08'
>>> earlier_basis("climbed 37% from two years earlier", "2021-Q1")
'2019-Q1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradecalc.model.periods import MONTH_NAMES, Period

#: Month names as extraction matches them (lower case), from the model's one list.
MONTHS = [m.lower() for m in MONTH_NAMES]
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_NUM_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_OF_YEAR = rf"(?:,?\s+(?:of\s+|in\s+)?(?:{_YEAR}|this\s+year))?"

_IN = r"(?:\b(?:in|during|for|over|by|through)\s+)?"
_PATTERNS = [
    (
        "range",
        re.compile(
            rf"\b(?:from|between)\s+(?P<m1>{_MON})\s+(?:to|through|till|until|and)\s+(?P<m2>{_MON})\b{_OF_YEAR}",
            re.I,
        ),
    ),
    ("range", re.compile(rf"\b(?P<m1>{_MON})\s*(?:-|–|—|to)\s*(?P<m2>{_MON})\b{_OF_YEAR}", re.I)),
    (
        "months",
        re.compile(
            rf"{_IN}\b(?:the\s+)?first\s+(?P<n>\d{{1,2}}|{'|'.join(_NUM_WORDS)})\s+months\b{_OF_YEAR}",
            re.I,
        ),
    ),
    (
        "quarters",
        re.compile(rf"{_IN}\b(?:the\s+)?first\s+(?P<n>two|three|2|3)\s+quarters\b{_OF_YEAR}", re.I),
    ),
    (
        "quarter",
        re.compile(
            rf"{_IN}\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b{_OF_YEAR}",
            re.I,
        ),
    ),
    ("quarter", re.compile(rf"{_IN}\bQ(?P<q>[1-4])\b(?:\s+{_YEAR})?", re.I)),
    (
        "half",
        re.compile(
            rf"{_IN}\b(?:the\s+)?(?P<h>first|second)\s+half\b(?:\s+of\s+the\s+year)?{_OF_YEAR}",
            re.I,
        ),
    ),
    ("half", re.compile(rf"{_IN}\bH(?P<h>[12])\b(?:\s+{_YEAR})?", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?:in|during|for|of|by)\s+(?P<m1>{_MON})\b(?!\s+\d{{1,2}}\b(?!\d))(?:\s+alone)?{_OF_YEAR}",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:in|during|for|throughout)\s+(?:the\s+(?:whole|full)\s+year\s+(?:of\s+)?)?{_YEAR}\b(?!\s*(?:levels?|figures?))",
            re.I,
        ),
    ),
    (
        "same",
        re.compile(
            r"\b(?:during|in|over|for)\s+the\s+same\s+period\b(?!\s+(?:of|in|last|a)\b)", re.I
        ),
    ),
    (
        "same",
        re.compile(
            r"\b(?:during|in|over|for|throughout)\s+(?:the|this|that)\s+(?:period|time)\b(?!\s+(?:of|in|last|a)\b)",
            re.I,
        ),
    ),
]


_COMPARED = re.compile(
    r"\b(?:than|versus|vs\.?|against|compared\s+(?:with|to))\s+(?:that\s+(?:of|in)\s+)?(?:the\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class PeriodPhrase:
    """A period phrase found in a text: the period it names, its words and their place, whether it states a year."""

    period: str  # "" for "during the same period" (the caller fills it in)
    text: str
    start: int
    end: int
    explicit_year: bool
    same: bool = False


def _month(word: str) -> int:
    w = word.lower()[:3]
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(w))


def _n(x: str) -> int:
    return int(x) if x.isdigit() else _NUM_WORDS[x.lower()]


def _build(kind: str, m: re.Match, year: int) -> str:
    g = m.groupdict()
    if kind == "range":
        a, b = _month(g["m1"]), _month(g["m2"])
        if a == b:
            return f"{year}-{a:02d}"
        return str(Period.parse(f"{year}-{a:02d}/{year}-{b:02d}"))
    if kind == "months":
        return str(Period.parse(f"{year}-01/{year}-{_n(g['n']):02d}"))
    if kind == "quarters":
        return str(Period.parse(f"{year}-01/{year}-{3 * _n(g['n']):02d}"))
    if kind == "quarter":
        q = g["q"]
        return f"{year}-Q{_ORD.get(q.lower(), q) if not q.isdigit() else q}"
    if kind == "half":
        h = g["h"]
        return f"{year}-H{1 if h.lower() in ('first', '1') else 2}"
    if kind == "month":
        return f"{year}-{_month(g['m1']):02d}"
    return str(year)


def find_periods(text: str, year: int | None) -> list[PeriodPhrase]:
    """Period phrases in ``text``, left to right; a phrase without a year takes ``year``.

    A phrase whose year cannot be told (no year in it and ``year`` None) is
    returned with an empty period; the caller flags it.
    """
    found: list[PeriodPhrase] = []
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _EARLIER.finditer(text)]
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if _COMPARED.search(text[: m.start()]):
                continue  # "0.9 points higher than H1 2018": a basis of comparison, not the figure's period
            taken.append((m.start(), m.end()))
            if kind == "same":
                found.append(PeriodPhrase("", m.group(0), m.start(), m.end(), False, same=True))
                continue
            y = m.groupdict().get("year")
            explicit = bool(y)
            yr = int(y) if y else year
            period = _build(kind, m, yr) if yr is not None else ""
            found.append(PeriodPhrase(period, m.group(0), m.start(), m.end(), explicit))
    return sorted(found, key=lambda p: p.start)


# --------------------------------------------------------------------------- growth bases

_WORD_YEARS = {"two": 2, "three": 3, "2": 2, "3": 3}
_EARLIER = re.compile(
    r"\b(?:from|than|over|compared\s+(?:with|to)|against|on|versus|vs\.?)\s+(?:"
    r"(?:the\s+)?same\s+period\s+(?:of|in)\s+(?P<y>(?:19|20)\d{2})"
    r"|(?P<n>two|three|2|3)\s+years\s+(?:earlier|ago|before)"
    r"|(?:the\s+)?(?:level|levels)\s+(?:of|in)\s+(?P<y2>(?:19|20)\d{2})"
    r"|(?:the\s+)?(?P<y3>(?:19|20)\d{2})\s+levels?"
    r")",
    re.I,
)
_YOY = re.compile(
    r"\b(?:year[- ]on[- ]year|y-o-y|yoy|from\s+a\s+year\s+(?:earlier|ago|before)|(?:from|over|than|compared\s+(?:with|to))\s+(?:the\s+)?(?:same\s+period|corresponding\s+period)\s+(?:of\s+|in\s+)?last\s+year|from\s+(?:the\s+)?(?:previous|last|prior)\s+year|annually)\b",
    re.I,
)
_OTHER_BASIS = re.compile(
    r"\b(?:month[- ]on[- ]month|from\s+the\s+previous\s+month|quarter[- ]on[- ]quarter|from\s+the\s+previous\s+quarter|sequential(?:ly)?"
    # "grew 10% from February", "up 5% over the fourth quarter": growth on another period of the same stretch
    rf"|(?:from|over|than|compared\s+(?:with|to)|against|versus)\s+(?:the\s+)?(?:{_MON}|last\s+month|(?:first|second|third|fourth)\s+quarter|"
    r"(?:first|second)\s+half)\b"
    rf"(?!\s*(?:to|through|till|until|and|-|–|—)\s*{_MON})(?!,?\s+(?:of\s+)?(?:19|20)\d{{2}})(?!\s+(?:last|of\s+last)\s+year))",
    re.I,
)


_PREVIOUS = re.compile(
    r"\b(?:(?P<m>month[- ]on[- ]month|from\s+the\s+previous\s+month)|(?P<q>quarter[- ]on[- ]quarter|from\s+the\s+previous\s+quarter))\b",
    re.I,
)


def previous_period(text: str, period: str) -> str | None:
    """The period just before, for a growth "month on month" of a month or "quarter on quarter" of a quarter.

    >>> previous_period("up 4.1% month on month", "2022-11"), previous_period("up 2% quarter on quarter", "2021-Q1")
    ('2022-10', '2020-Q4')
    >>> previous_period("up 4.1% month on month", "2022-01/2022-11") is None
    True
    """
    m = _PREVIOUS.search(text)
    if not m or not period:
        return None
    p = Period.parse(period)
    n = p.end - p.start + 1
    if (m.group("m") and n == 1) or (m.group("q") and n == 3 and p.start % 3 == 0):
        return str(Period(p.start - n, p.end - n))
    return None


def earlier_basis(text: str, period: str) -> str | None:
    """The earlier period a growth is measured against, if ``text`` names one.

    "over the same period of 2019" with period 2021-Q1 → "2019-Q1"; "month on month" of 2022-11 →
    "2022-10" (see :func:`previous_period`);
    "from two years earlier" → the same months two years before.
    """
    if _PREVIOUS.search(text):
        return previous_period(text, period)
    m = _EARLIER.search(text)
    if not m or not period:
        return None
    p = Period.parse(period)
    if m.group("n"):
        back = _WORD_YEARS[m.group("n").lower()]
    else:
        y = int(m.group("y") or m.group("y2") or m.group("y3"))
        back = p.start // 12 - y
        if back <= 0:
            return None
    return str(Period(p.start - 12 * back, p.end - 12 * back))


def names_earlier(text: str) -> bool:
    """Does ``text`` name an earlier basis ("from two years earlier", "over the same period of 2019")?"""
    return bool(_EARLIER.search(text))


def is_yoy(text: str) -> bool:
    """Whether ``text`` names a year-on-year basis ("year on year", "from a year earlier", ...)."""
    return bool(_YOY.search(text))


def other_basis(text: str) -> str | None:
    """A basis that is neither year on year nor an earlier year ("month on month")."""
    m = _OTHER_BASIS.search(text)
    return m.group(0) if m else None


_FULL_DATE = [
    re.compile(
        rf"\b(?P<mon>{_MON})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})\b", re.I
    ),
    re.compile(rf"\b\d{{1,2}}\s+(?P<mon>{_MON})\.?,?\s+(?P<year>(?:19|20)\d{{2}})\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.]\d{1,2}\b"),
    re.compile(r"\b(?P<m>\d{1,2})/\d{1,2}/(?P<year>(?:19|20)\d{2})\b"),
]
_PUBLISHED = re.compile(r"^\W*(?:published|updated|released|posted|date|time)\b", re.I)
_DATELINE_START = re.compile(r"^[A-Z][A-Z'’ .]{2,30},")


def full_date(text: str) -> tuple[int, int] | None:
    """(year, month) of the first full date in ``text``: "April 20, 2023", "2023-01-13", "07/18/2020"."""
    for rx in _FULL_DATE:
        m = rx.search(text)
        if m:
            month = _month(m.group("mon")) if "mon" in rx.groupindex else int(m.group("m"))
            if 1 <= month <= 12:
                return int(m.group("year")), month
    return None


def publication_date(paragraphs: list[str]) -> tuple[int, int] | None:
    """When the article was published: a date line ("Xinhua) 17:05, April 20, 2023", "2024-07-19 12:09:15"),
    a "Published ..." line, a dateline with its year ("BEIJING, Jan. 13, 2023 (Xinhua) --"), or a sentence
    that says "this year" next to a full date. Photo captions and long sentences are not publication dates.

    >>> publication_date(["Exports up", "Xinhua) 17:05, April 20, 2023", "In the first quarter ..."])
    (2023, 4)
    """
    for par in paragraphs[:12]:
        short = len(par) <= 60 and len(re.findall(r"[A-Za-z]{4,}", par)) <= 4
        if short or _PUBLISHED.match(par) or _DATELINE_START.match(par[:40]):
            head = par if short or _PUBLISHED.match(par) else par[:40]
            if d := full_date(head):
                return d
    for par in paragraphs:
        if re.search(r"\bthis\s+year\b", par, re.I) and (d := full_date(par)):
            return d
    return None


def year_in(text: str) -> int | None:
    """The first year (1900-2099) written in ``text``, or None."""
    m = re.search(r"\b((?:19|20)\d{2})\b", text)
    return int(m.group(1)) if m else None
