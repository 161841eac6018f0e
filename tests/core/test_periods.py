"""Reporting periods: parsing, containment, the rest of a period, labels."""

from __future__ import annotations

import pytest

from tradecalc.model.periods import Period, PeriodError


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2021-03", (2021, 3), (2021, 3)),
        ("2021-Q1", (2021, 1), (2021, 3)),
        ("2021-q4", (2021, 10), (2021, 12)),
        ("2021-H2", (2021, 7), (2021, 12)),
        ("2021", (2021, 1), (2021, 12)),
        ("2021-01/2021-08", (2021, 1), (2021, 8)),
        ("2020-11..2021-02", (2020, 11), (2021, 2)),
    ],
)
def test_parse(text, start, end):
    p = Period.parse(text)
    assert (p.start, p.end) == (start[0] * 12 + start[1] - 1, end[0] * 12 + end[1] - 1)


@pytest.mark.parametrize(
    "text",
    [
        "2021-13",
        "2021-00",
        "2021-Q5",
        "2021-H3",
        "Q1 2021",
        "21-03",
        "2021-03/2021-01",
        "",
        "2021-3",
    ],
)
def test_bad_periods_say_how_to_write_one(text):
    with pytest.raises(PeriodError, match="2021-Q1"):
        Period.parse(text)


def test_march_lies_inside_q1_and_not_q2():
    march, q1, q2 = Period.parse("2021-03"), Period.parse("2021-Q1"), Period.parse("2021-Q2")
    assert march in q1 and march not in q2
    assert q1 in Period.parse("2021") and q1 in Period.parse("2021-H1")
    assert Period.parse("2020-03") not in q1


def test_q1_minus_march_is_january_february():
    rest = Period.parse("2021-Q1") - Period.parse("2021-03")
    assert (
        str(rest) == "2021-01/2021-02"
        and rest.label == "January-February 2021"
        and rest.months == 2
    )
    assert str(Period.parse("2021-Q1") - Period.parse("2021-01")) == "2021-02/2021-03"


def test_subtraction_without_a_single_range():
    q1 = Period.parse("2021-Q1")
    assert q1 - Period.parse("2021-02") is None  # January and March: two pieces
    assert q1 - q1 is None
    assert q1 - Period.parse("2021-04") is None


@pytest.mark.parametrize(
    "text,canonical,label",
    [
        ("2021-Q1", "2021-Q1", "Q1 2021"),
        ("2021-03", "2021-03", "March 2021"),
        ("2021-01/2021-12", "2021", "2021"),
        ("2021-01/2021-06", "2021-H1", "H1 2021"),
        ("2020-11/2021-02", "2020-11/2021-02", "November 2020-February 2021"),
    ],
)
def test_str_and_label(text, canonical, label):
    p = Period.parse(text)
    assert str(p) == canonical and p.label == label
    assert Period.parse(str(p)) == p


def test_years_after():
    assert Period.parse("2021-Q1").years_after(Period.parse("2019-Q1")) == 2.0
    assert Period.parse("2021-03").years_after(Period.parse("2020-03")) == 1.0


def test_the_same_period_written_two_ways_is_one_period():
    assert Period.parse("2021-01/2021-03") == Period.parse("2021-Q1")
    assert Period.parse("2021-01/2021-12") == Period.parse("2021")
    assert len({Period.parse("2021-H1"), Period.parse("2021-01/2021-06")}) == 1


@pytest.mark.parametrize(
    "period,earlier,kind",
    [
        ("2021-Q1", "2019-Q1", "years"),  # Chongqing: +37% on Q1 2019
        ("2021-01/2021-08", "2019-01/2019-08", "years"),
        ("2021", "2020", "years"),  # a year on the year before: both, counted as years
        ("2021-04", "2021-03", "previous"),  # month-on-month
        ("2021-Q2", "2021-Q1", "previous"),  # quarter-on-quarter
        ("2021-01", "2020-12", "previous"),
        ("2021-04", "2020-03", ""),  # neither: refused by validation
        ("2021-Q2", "2021-03", ""),
    ],
)
def test_earlier_kind(period, earlier, kind):
    from tradecalc.model.release import earlier_kind

    assert earlier_kind(Period.parse(period), Period.parse(earlier)) == kind
