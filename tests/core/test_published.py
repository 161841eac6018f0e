"""Published numbers: value, precision as printed, and printing back."""
from __future__ import annotations

import math

import pytest

from tradecalc.model.published import Published, currency_of, decimals_of, format_published, half_width, parse, scale_of


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


@pytest.mark.parametrize("text", ["", "abc", "up 100%", "60.4%x", "nan", "inf", "1e5%", "1e5", "1,23", "12.5.3", "60.4%%", "%"])
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
    [(0.604, 1, True, "60.4%"), (24.0, 0, False, "24"), (24.0, 2, False, "24.00"), (1.0, 0, True, "100%"),
     (20.2, 0, True, "2020%"), (112.32, None, False, "112.32"), (0.604, None, True, "60.4%")],
)
def test_format_published(value, decimals, is_percent, text):
    assert format_published(value, decimals, is_percent) == text


@pytest.mark.parametrize("text", ["180.24", "24", "24.00", "60.4%", "100%", "2020%", "-3.5%", "0.05%"])
def test_round_trip_text(text):
    p = parse(text)
    assert format_published(p.value, p.decimals, p.is_percent) == text


def test_scale_and_currency():
    assert scale_of("billion yuan") == 1e9 and scale_of("hundred million yuan") == 1e8 and scale_of("yuan") == 1.0
    assert currency_of("billion yuan") == "yuan" and currency_of("billion USD") == "USD"
