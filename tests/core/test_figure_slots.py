"""Figure is a slotted dataclass (issue 16: less memory per figure): what that must not change."""

import pytest

from tradecalc.model.release import Figure


def test_a_misspelt_field_raises_instead_of_being_kept_unread():
    f = Figure("exports", value=112.32)
    with pytest.raises(AttributeError):
        f.vaule = 1.0  # a typo must not become a silent extra attribute
    assert f.value == 112.32


def test_period_range_follows_an_edited_period():
    # Chongqing 2021 Q1 is three months; edited to the half year it is six.
    f = Figure("exports", period="2021-Q1")
    assert f.period_range.months == 3
    f.period = "2021-01/2021-06"
    assert f.period_range.months == 6


def test_the_parse_cache_is_not_part_of_equality_or_repr():
    a, b = Figure("x", period="2021-Q1"), Figure("x", period="2021-Q1")
    a.period_range  # noqa: B018 - fills a's cache only
    assert a == b
    assert ", _period=" not in repr(a)  # (earlier_period= is a field of its own)
