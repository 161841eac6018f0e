"""Published numbers: value, precision as printed, and printing back."""

from __future__ import annotations

import math

import pytest

from tradecalc.model.published import (
    Published,
    currency_of,
    decimals_of,
    format_published,
    half_width,
    parse,
    scale_of,
)


@pytest.mark.parametrize(
    "text,value,decimals,is_percent,unit",
    [
        ("180.24 billion yuan", 180.24, 2, False, "billion yuan"),  # "reached 180.24 billion yuan"
        ("112.32", 112.32, 2, False, ""),
        ("24", 24.0, 0, False, ""),  # "imports amounted to 24 billion yuan"
        ("24.00", 24.0, 2, False, ""),  # printed differently: a different precision
        ("60.4%", 0.604, 1, True, ""),
        ("100%", 1.0, 0, True, ""),  # private enterprises "up 100%"
        ("2020%", 20.2, 0, True, ""),  # passenger vehicles "jumped ... 2020%"
        ("60.4 percent", 0.604, 1, True, ""),
        ("60.4 per cent", 0.604, 1, True, ""),
        ("-3.5%", -0.035, 1, True, ""),
        ("−3.5%", -0.035, 1, True, ""),  # a typographic minus
        ("+45.2%", 0.452, 1, True, ""),
        ("1,234.5", 1234.5, 1, False, ""),
        ("27.77 billion U.S. dollars", 27.77, 2, False, "billion U.S. dollars"),
        ("1.2 trillion", 1.2, 1, False, "trillion"),
        (".5", 0.5, 1, False, ""),
    ],
)
def test_parse(text, value, decimals, is_percent, unit):
    p = parse(text)
    assert p.value == value  # exact: 60.4% must be the very float 0.604 Excel stores
    assert (p.decimals, p.is_percent, p.unit, p.text) == (decimals, is_percent, unit, text.strip())


@pytest.mark.parametrize(
    "text",
    ["", "abc", "up 100%", "60.4%x", "nan", "inf", "1e5%", "1e5", "1,23", "12.5.3", "60.4%%", "%"],
)
def test_parse_rejects_non_numbers(text):
    with pytest.raises(ValueError, match="not a number"):
        parse(text)


def test_parse_rejects_booleans_and_non_finite_numbers():
    with pytest.raises(ValueError):
        parse(True)
    with pytest.raises(ValueError, match="finite"):
        parse(float("nan"))


def test_parse_percent_flag():
    assert parse("60.4", percent=True) == Published(0.604, 1, True, "", "60.4")
    with pytest.raises(ValueError, match="level was expected"):
        parse("60.4%", percent=False)


def test_parse_numbers_have_unknown_precision():
    p = parse(112.32)
    assert p.value == 112.32 and p.decimals is None and p.half_width == 0.0


def test_interval_of_published():
    assert parse("180.24").interval == pytest.approx((180.235, 180.245))
    assert parse("100%").interval == pytest.approx((0.995, 1.005))
    assert parse("24").interval == (23.5, 24.5)


def test_half_width():
    assert half_width(2) == 0.005
    assert half_width(1, is_percent=True) == pytest.approx(0.0005)
    assert half_width(None) == 0.0 and half_width(math.nan) == 0.0


def test_decimals_of():
    assert [decimals_of(t) for t in ("24", "24.00", "0.5", "1,234.567")] == [0, 2, 1, 3]


@pytest.mark.parametrize(
    "value,decimals,is_percent,text",
    [
        (0.604, 1, True, "60.4%"),
        (24.0, 0, False, "24"),
        (24.0, 2, False, "24.00"),
        (1.0, 0, True, "100%"),
        (20.2, 0, True, "2020%"),
        (112.32, None, False, "112.32"),
        (0.604, None, True, "60.4%"),
    ],
)
def test_format_published(value, decimals, is_percent, text):
    assert format_published(value, decimals, is_percent) == text


@pytest.mark.parametrize(
    "text", ["180.24", "24", "24.00", "60.4%", "100%", "2020%", "-3.5%", "0.05%"]
)
def test_round_trip_text(text):
    p = parse(text)
    assert format_published(p.value, p.decimals, p.is_percent) == text


def test_scale_and_currency():
    assert (
        scale_of("billion yuan") == 1e9
        and scale_of("hundred million yuan") == 1e8
        and scale_of("yuan") == 1.0
    )
    assert currency_of("billion yuan") == "yuan" and currency_of("billion USD") == "USD"


# --------------------------------------------------------------------------- exact reading (issue 14, item 2)

from decimal import Decimal  # noqa: E402

from tradecalc.errors import BadInput  # noqa: E402
from tradecalc.model.published import (  # noqa: E402
    MAX_DECIMALS,
    MAX_NUMBER_CHARS,
    NUMBER_PATTERN,
    SCALES,
    checked_decimals,
    is_blank,
    percent_of,
    shortest_decimals,
)


@pytest.mark.parametrize(
    "text",
    [
        "123456789012345",
        "123,456,789,012,345",
        "123456789.123456",
        "9007199254740993",
        "0.000001234",
        "98765432109876.54",
    ],
)
def test_levels_are_read_exactly_as_printed(text):
    # the float nearest the printed decimal, computed here by the decimal module, not by the parser's path
    assert parse(text).value == float(Decimal(text.replace(",", "")))


@pytest.mark.parametrize(
    "text", ["60.4%", "75.7%", "0.05%", "2020%", "-3.5%", "123456.789012%", "33.333333333333%"]
)
def test_a_percentage_is_the_float_nearest_its_fraction(text):
    digits = text.rstrip("%")
    expected = float(Decimal(digits) / Decimal(100))  # exact decimal division, then one rounding
    assert parse(text).value == expected
    assert (
        percent_of(float(digits)) == expected
    )  # a number in percent (a workbook cell) the same way


def test_twelve_significant_digits_are_not_the_limit():
    assert parse("123456789012345").value == 123456789012345.0  # was 123456789012000
    assert (
        format_published(parse("123456789.123456").value, 6) == "123456789.123456"
    )  # pull wrote 123456789.123000
    assert (
        format_published(123456789.123456, None) == "123456789.123456"
    )  # precision unknown: the shortest exact text


@pytest.mark.parametrize(
    "text", ["180.24", "123456789012345", "123456789.123456", "60.4%", "0.0001%", "-0.5%"]
)
def test_round_trip_keeps_every_digit(text):
    p = parse(text)
    assert format_published(p.value, p.decimals, p.is_percent) == text


# --------------------------------------------------------------------------- bounded cost (items 13, 14)


def test_a_text_longer_than_a_number_is_refused_with_a_short_message():
    crafted = (
        "1 x" + " " * 60_000 + "x"
    )  # the old grammar backtracked over the spaces: quadratic (10 s here)
    with pytest.raises(ValueError, match="longer than a printed number") as e:
        parse(crafted)
    assert len(str(e.value)) < 200 and "60004 characters" in str(e.value)


def test_the_longest_number_admitted_is_read():
    text = "1" * (MAX_NUMBER_CHARS - 3) + ".25"  # 200 characters: an integer part of 197 digits
    assert parse(text).value == float(Decimal(text)) and parse(text).decimals == 2
    with pytest.raises(ValueError, match="longer"):
        parse(text + "5")


@pytest.mark.parametrize(
    "given", [2147483647, 10**300, 1e300, float("inf"), float("nan"), -1, 2.5, True, "two", "inf"]
)
def test_absurd_precisions_are_refused_fast(given):
    if isinstance(given, float) and math.isnan(given):
        assert checked_decimals(given) is None  # NaN is a blank cell
        return
    with pytest.raises(BadInput) as e:
        checked_decimals(given, "value_decimals")
    assert "value_decimals" in str(e.value) and len(str(e.value)) < 300


@pytest.mark.parametrize("d", [2147483647, 10**300, MAX_DECIMALS + 1])
def test_half_width_and_printing_refuse_a_precision_no_number_has(d):
    with pytest.raises(BadInput, match="at most 15"):
        half_width(d)
    with pytest.raises(BadInput, match="at most 15"):
        format_published(112.32, d)
    assert half_width(MAX_DECIMALS) == 0.5 * 10.0**-15
    assert (
        checked_decimals("3") == 3 and checked_decimals(2.0) == 2 and checked_decimals("") is None
    )


# --------------------------------------------------------------------------- the one grammar


def test_the_public_grammar():
    import re

    assert [m.group() for m in re.finditer(NUMBER_PATTERN, "1,234.5 and 180.24 and 1,23")] == [
        "1,234.5",
        "180.24",
        "1",
        "23",
    ]
    assert SCALES["billion"] == 9 and scale_of("hundred million yuan") == 1e8
    assert [shortest_decimals(x) for x in (112.32, 24.0, 1e16, 123456789.123456)] == [2, 0, 0, 6]
    assert (
        shortest_decimals(0.757, percent=True) == 1
    )  # "75.7%": the decimal shift, not 0.757 * 100
    assert (
        shortest_decimals(0.1 + 0.2, limit=6) is None
        and shortest_decimals(0.1 + 0.2, limit=6, rel_tol=1e-12) == 1
    )
    assert [is_blank(x) for x in (None, math.nan, " ", "0", 0.0)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_a_multiple_has_a_precision_coarser_than_a_point():
    # "increased 4.7 times": 4.7 is printed to 0.1 times, ±0.05 times = ±5 points (−1 decimals in percent)
    assert half_width(-1, is_percent=True) == pytest.approx(0.05)
    assert half_width(-2, is_percent=True) == pytest.approx(0.5)  # "3-fold": ±0.5 times
    with pytest.raises(BadInput):
        half_width(-3)
    assert checked_decimals(-1, minimum=-2) == -1
    with pytest.raises(BadInput):
        checked_decimals(-1)  # a number as printed has 0 decimals or more
