"""Published numbers: the value as printed, and the precision it was printed with.

A release prints "180.24", "24", "60.4%", "up 100%". Each stands for an
interval: "180.24" for [180.235, 180.245], "24" for [23.5, 24.5], "60.4%" for
[60.35%, 60.45%], "100%" for [99.5%, 100.5%]. ``decimals`` counts the digits
after the point *as printed*: for a percentage, in percent (60.4% → 1), so the
half-width in the fraction Excel stores is ``0.5 * 10**-decimals / 100``.

The one grammar of a printed number lives here: :data:`NUMBER_PATTERN`
(digits, with thousands separators), :data:`PERCENT_PATTERN`, :data:`SCALES`
(the multiplier words as powers of ten), :func:`half_width`,
:func:`shortest_decimals`, :func:`is_blank`. Values are read exactly as
printed: "123456789012345" is that integer, "60.4%" is the float nearest
0.604 (the /100 is a shift of the decimal point, not a binary division).
Reading is linear in the text's length, and a text longer than
:data:`MAX_NUMBER_CHARS` or a precision above :data:`MAX_DECIMALS` digits is
refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal

from tradecalc.calc import precision
from tradecalc.calc.precision import shortest_decimals
from tradecalc.errors import BadInput, Problem, quote
from tradecalc.io.limits import MAX_DECIMALS, MAX_NUMBER_CHARS, MIN_DECIMALS

#: Multiplier words and their powers of ten: "180.24 billion yuan" is 180.24e9 yuan.
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "hundred million": 8}
#: The multiplier words as a regular expression (longest first, any spacing).
SCALE_PATTERN = "|".join(w.replace(" ", r"\s+") for w in sorted(SCALES, key=len, reverse=True))
#: Digits as printed: "1,234.5" (thousands separators in threes) or "1234.5".
NUMBER_PATTERN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: A percent sign or word: "60.4%", "60.4 percent", "60.4 per cent".
PERCENT_PATTERN = r"%|percent\b|per\s?cent\b"
#: Signs a printed number may carry (the typographic minus U+2212 too).
MINUS_SIGNS = ("-", "\u2212")

_MULTIPLIERS = {word: 10.0**power for word, power in SCALES.items()}
# anchored at the start of a stripped text, no nested or open-ended repetition: linear time
_NUMBER = re.compile(
    rf"(?P<sign>[-+\u2212]?)[ \t]*(?P<digits>{NUMBER_PATTERN}|\.\d+)[ \t]*(?P<percent>{PERCENT_PATTERN})?",
    re.IGNORECASE,
)
_UNIT_FORBIDDEN = re.compile(r"[\d%]")
# The commonest printed forms, "112.32", "-3.5", "60.4%", with nothing around them: read
# without the general pattern's groups. A fast path of the same grammar, not a second one:
# any text it matches, _NUMBER matches with the same sign, digits and percent, and nothing after.
_PLAIN = re.compile(r"-?\d+(?:\.(\d+))?(%?)")
_EXACT = Context(prec=MAX_NUMBER_CHARS + 20)


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
        """Half the last printed unit: 0.005 for 2 decimals, 0.0005 for "60.4%" (0 when unknown)."""
        return half_width(self.decimals, self.is_percent)

    @property
    def interval(self) -> tuple[float, float]:
        """The interval the printed number stands for: (value - half_width, value + half_width)."""
        h = self.half_width
        return (self.value - h, self.value + h)


def half_width(decimals, is_percent: bool = False) -> float:
    """Half the last printed unit: 0.005 for 2 decimals; 0.0005 for "60.4%".

    Unknown precision (``None`` or NaN) gives 0: the figure is taken as exact,
    and the caller says that precision is unknown. More than
    :data:`MAX_DECIMALS` decimals is refused (:class:`BadInput`). The formula
    is :func:`tradecalc.calc.precision.half_width`'s; this checks the decimals.

    >>> half_width(2), half_width(0), half_width(1, is_percent=True)
    (0.005, 0.5, 0.0005)
    """
    if is_nan(decimals):
        return 0.0
    return precision.half_width(checked_decimals(decimals, minimum=MIN_DECIMALS), is_percent)


def checked_decimals(given, key: str = "decimals", *, minimum: int = 0) -> int | None:
    """Digits after the point as a whole number ``minimum``..:data:`MAX_DECIMALS`, None if blank.

    Accepts 2, 2.0 and "2" (a workbook cell may hold any of them); refuses
    (:class:`BadInput`) booleans, fractional, non-finite, absurd values
    (2147483647 decimals would make every printed number 2 GB long) and values
    below ``minimum``: 0 for a number as printed; :data:`MIN_DECIMALS` (−2)
    for a growth printed as a multiple ("4.7 times" is ±5 points: −1 in percent).

    >>> checked_decimals("2"), checked_decimals(1.0), checked_decimals(None), checked_decimals(-1, minimum=-2)
    (2, 1, None, -1)
    """
    if is_blank(given):
        return None
    fix = f"write 0, 1, 2 ... (at most {MAX_DECIMALS}) or leave it empty"
    value = None
    if not isinstance(given, bool):
        try:
            number = float(given) if not isinstance(given, int) else given
            if isinstance(number, float) and number.is_integer():
                value = int(number)
            elif isinstance(number, int):
                value = number
        except (TypeError, ValueError, OverflowError):
            value = None
    if value is None or value < minimum:
        raise BadInput(
            "release", [Problem(key, f"{quote(given)} is not a whole number of decimals.", fix)]
        )
    if value > MAX_DECIMALS:
        raise BadInput(
            "release",
            [
                Problem(
                    key,
                    f"{quote(given)} decimals is more than a number is printed with "
                    f"(at most {MAX_DECIMALS}).",
                    fix,
                )
            ],
        )
    return value


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
        value = percent_of(text) if percent else float(text)
        return Published(value, None, bool(percent), "", repr(text))
    s = str(text).strip()
    if len(s) > MAX_NUMBER_CHARS:
        raise ValueError(
            f"not a number: {quote(s, 40)} is longer than a printed number "
            f"(at most {MAX_NUMBER_CHARS} characters)"
        )
    plain = _PLAIN.fullmatch(s)
    if plain is not None and not (percent is False and plain.group(2)):
        return _plain_number(s, plain, percent)
    m = _NUMBER.match(s)
    if not m:
        raise ValueError(f"not a number: {quote(s, 40)}")
    digits = m.group("digits").replace(",", "")
    negative = m.group("sign") in MINUS_SIGNS
    is_pct = bool(m.group("percent"))
    rest = s[m.end() :].strip()
    if (is_pct and rest) or _UNIT_FORBIDDEN.search(rest):
        # a unit is words ("billion yuan"); "1e5", "1,23" or "12.5.3" must not read as a number
        raise ValueError(f"not a number: {quote(s, 40)}")
    if percent is False and is_pct:
        raise ValueError(f"a level was expected, not a percentage: {quote(s, 40)}")
    if percent and not is_pct:
        is_pct = True
    value = float(
        ("-" if negative else "") + digits + ("e-2" if is_pct else "")
    )  # exact: "60.4e-2" is the float nearest 0.604
    if not math.isfinite(value):  # 400 digits overflow to inf: refuse rather than compute with it
        raise ValueError(f"not a finite number: {quote(s, 40)}")
    return Published(value, decimals_of(digits), is_pct, rest, s)


def _plain_number(s: str, m: re.Match, percent: bool | None) -> Published:
    """:func:`parse` of a text ``_PLAIN`` matched: what the general path gives, without its groups.

    The general path reads ``sign + digits + ("e-2" if percent)``; here the text
    itself is that, less its percent sign ("-12.5%" → float("-12.5e-2")).
    """
    is_pct = bool(m.group(2)) or bool(percent)
    digits = s[:-1] if m.group(2) else s
    value = float(digits + "e-2" if is_pct else digits)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {quote(s, 40)}")
    fraction = m.group(1)
    return Published(value, len(fraction) if fraction else 0, is_pct, "", s)


def percent_of(x) -> float:
    """The fraction a number in percent stands for, with the point shifted in decimal: 60.4 → 0.604 (not 60.4/100).

    >>> percent_of(60.4), 60.4 / 100 == percent_of(60.4), percent_of(0.07)
    (0.604, True, 0.0007)
    """
    return float(Decimal(repr(float(x))).scaleb(-2, _EXACT))


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
            return u[len(word) :].strip()
    return u


def format_published(value: float, decimals: int | None, is_percent: bool = False) -> str:
    """Print a number back as published: (0.604, 1, True) → "60.4%"; (24.0, 0) → "24".

    Unknown precision (``None``) prints the shortest text that reads back as the
    same float: (123456789.123456, None) → "123456789.123456".
    """
    v = Decimal(repr(float(value)))
    if is_percent:
        v = v.scaleb(2, _EXACT)
    if decimals is None:
        text = _plain(v)
    else:
        d = checked_decimals(decimals, minimum=MIN_DECIMALS)
        text = f"{v.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_EVEN, context=_EXACT):f}"
    return f"{text}%" if is_percent else text


def _plain(v: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 1E+16 → "10000000000000000", 75.70 → "75.7"."""
    text = f"{v:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def is_blank(x) -> bool:
    """A missing value: None, NaN (Python or numpy float) or text that is only spaces.

    >>> [is_blank(x) for x in (None, float("nan"), "  ", "", 0, 0.0, "0")]
    [True, True, True, True, False, False, False]
    """
    if x is None:
        return True
    if isinstance(x, str):
        return not x.strip()
    return is_nan(x)


def is_nan(x) -> bool:
    """A missing number: None or NaN (text is not a number, so not NaN either). Infinity is not missing."""
    if x is None:
        return True
    if isinstance(x, float) or type(x).__name__ in (
        "float32",
        "float16",
    ):  # numpy's float64 is a float
        return math.isnan(x)
    return False


# --------------------------------------------------------------------------- currencies printed before a number

#: A currency printed before a number, and the currency it names:
#: "RMB9.89 trillion", "US$340 billion", "$4.6 trillion", "¥1.2 trillion".
CURRENCY_PREFIXES = {
    "rmb": "yuan",
    "cny": "yuan",
    "¥": "yuan",
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "€": "EUR",
}
CURRENCY_PREFIX_PATTERN = r"RMB|CNY|US\$|USD|\$|¥|€"


def prefixed_currency(prefix: str) -> str:
    """The currency a prefix names: "RMB" → "yuan", "US$" → "USD", "$" → "USD".

    >>> prefixed_currency("RMB"), prefixed_currency("US$"), prefixed_currency("$")
    ('yuan', 'USD', 'USD')
    """
    return CURRENCY_PREFIXES[prefix.strip().lower()]


__all__ = [
    "CURRENCY_PREFIXES",
    "CURRENCY_PREFIX_PATTERN",
    "MAX_DECIMALS",
    "MIN_DECIMALS",
    "MAX_NUMBER_CHARS",
    "MINUS_SIGNS",
    "NUMBER_PATTERN",
    "PERCENT_PATTERN",
    "SCALES",
    "SCALE_PATTERN",
    "Published",
    "checked_decimals",
    "currency_of",
    "decimals_of",
    "format_published",
    "half_width",
    "is_blank",
    "is_nan",
    "parse",
    "percent_of",
    "prefixed_currency",
    "scale_of",
    "shortest_decimals",
]
