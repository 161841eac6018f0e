"""Published numbers: the value as printed, and the precision it was printed with.

A release prints "180.24", "24", "60.4%", "up 100%". Each stands for an
interval: "180.24" for [180.235, 180.245], "24" for [23.5, 24.5], "60.4%" for
[60.35%, 60.45%], "100%" for [99.5%, 100.5%]. ``decimals`` counts the digits
after the point *as printed*: for a percentage, in percent (60.4% → 1), so the
half-width in the fraction Excel stores is ``0.5 * 10**-decimals / 100``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_MULTIPLIERS = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "hundred million": 1e8,
}

_NUMBER = re.compile(
    r"""^\s*(?P<sign>[-+−]?)\s*(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*
        (?P<percent>%|percent\b|per\s*cent\b)?\s*(?P<rest>.*?)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Published:
    """A number as published: ``value`` (a fraction for percentages) and its precision.

    >>> p = parse("60.4%")
    >>> p.value, p.decimals, p.is_percent
    (0.604, 1, True)
    >>> [round(x, 4) for x in p.interval]
    [0.6035, 0.6045]
    """

    value: float
    decimals: int | None
    is_percent: bool = False
    unit: str = ""
    text: str = ""

    @property
    def half_width(self) -> float:
        return half_width(self.decimals, self.is_percent)

    @property
    def interval(self) -> tuple[float, float]:
        h = self.half_width
        return (self.value - h, self.value + h)


def half_width(decimals, is_percent: bool = False) -> float:
    """Half the last printed unit: 0.005 for 2 decimals; 0.0005 for "60.4%".

    Unknown precision (``None`` or NaN) gives 0: the figure is taken as exact,
    and the caller says that precision is unknown.

    >>> half_width(2), half_width(0), half_width(1, is_percent=True)
    (0.005, 0.5, 0.0005)
    """
    if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)):
        return 0.0
    h = 0.5 * 10.0 ** (-int(decimals))
    return h / 100.0 if is_percent else h


def decimals_of(text: str) -> int:
    """Digits after the decimal point in a printed number: "24" → 0, "24.00" → 2."""
    m = re.search(r"\.(\d+)", text)
    return len(m.group(1)) if m else 0


def parse(text, *, percent: bool | None = None) -> Published:
    """Parse a number as printed in a release.

    Accepts "112.32", "24", "1,234.5", "60.4%", "60.4 percent", "-3.5%",
    "180.24 billion yuan", "1.2 trillion". A percentage becomes a fraction.
    ``percent=True`` reads a bare number as a percentage ("60.4" → 0.604);
    ``percent=False`` rejects a percentage where a level is expected.
    Raises ``ValueError`` with the text when it is not a number.

    >>> parse("180.24 billion yuan")
    Published(value=180.24, decimals=2, is_percent=False, unit='billion yuan', text='180.24 billion yuan')
    >>> parse("24").decimals, parse("24.00").decimals
    (0, 2)
    """
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise ValueError(f"not a finite number: {text!r}")
        return Published(float(text) / 100.0 if percent else float(text), None, bool(percent), "", repr(text))
    s = str(text).strip()
    m = _NUMBER.match(s)
    if not m:
        raise ValueError(f"not a number: {s!r}")
    digits = m.group("digits").replace(",", "")
    sign = -1.0 if m.group("sign") in ("-", "−") else 1.0
    is_pct = bool(m.group("percent"))
    rest = m.group("rest")
    if (is_pct and rest) or re.search(r"[\d%]", rest):
        # a unit is words ("billion yuan"); "1e5" or "1,23" must not read as 1
        raise ValueError(f"not a number: {s!r}")
    if percent is False and is_pct:
        raise ValueError(f"a level was expected, not a percentage: {s!r}")
    if percent and not is_pct:
        is_pct = True
    value = sign * float(digits)
    if not math.isfinite(value):  # 400 digits overflow to inf: refuse rather than compute with it
        raise ValueError(f"not a finite number: {s[:40]!r}{'…' if len(s) > 40 else ''}")
    if is_pct:
        value = value / 100.0
    return Published(_clean(value), decimals_of(digits), is_pct, rest, s)


def scale_of(unit: str) -> float:
    """Multiplier named at the start of a unit: "billion yuan" → 1e9, "yuan" → 1."""
    u = unit.strip().lower()
    for word in sorted(_MULTIPLIERS, key=len, reverse=True):
        if u.startswith(word):
            return _MULTIPLIERS[word]
    return 1.0


def currency_of(unit: str) -> str:
    """The unit without its multiplier: "billion yuan" → "yuan"."""
    u = unit.strip()
    for word in sorted(_MULTIPLIERS, key=len, reverse=True):
        if u.lower().startswith(word):
            return u[len(word):].strip()
    return u


def format_published(value: float, decimals: int | None, is_percent: bool = False) -> str:
    """Print a number back as published: (0.604, 1, True) → "60.4%"; (24.0, 0) → "24"."""
    if is_percent:
        v = value * 100.0
        d = 6 if decimals is None else int(decimals)
        return f"{_trim(v, d, decimals is None)}%"
    d = 6 if decimals is None else int(decimals)
    return _trim(value, d, decimals is None)


def _trim(v: float, d: int, trim: bool) -> str:
    s = f"{v:.{d}f}"
    if trim and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _clean(x: float) -> float:
    """Round away binary noise from a /100 so 60.4% is exactly the float 0.604."""
    return float(f"{x:.12g}")


# --------------------------------------------------------------------------- the printed-number grammar, public
# One grammar for a number printed in a release, shared by the release-file
# reader above and by ``tradecalc extract`` (which finds numbers inside sentences).

#: Printed digits: "1,234.5", "112.32", "24" (no sign, no unit).
NUMBER_PATTERN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

#: Multiplier words and their power of ten: "billion" → 9 (``_MULTIPLIERS`` as exponents).
SCALES = {word: round(math.log10(m)) for word, m in _MULTIPLIERS.items()}

#: A currency printed before a number, and the currency it names:
#: "RMB9.89 trillion", "US$340 billion", "$4.6 trillion", "¥1.2 trillion".
CURRENCY_PREFIXES = {"rmb": "yuan", "cny": "yuan", "¥": "yuan", "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR"}
CURRENCY_PREFIX_PATTERN = r"RMB|CNY|US\$|USD|\$|¥|€"


def prefixed_currency(prefix: str) -> str:
    """The currency a prefix names: "RMB" → "yuan", "US$" → "USD", "$" → "USD".

    >>> prefixed_currency("RMB"), prefixed_currency("US$"), prefixed_currency("$")
    ('yuan', 'USD', 'USD')
    """
    return CURRENCY_PREFIXES[prefix.strip().lower()]
