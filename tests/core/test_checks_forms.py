"""The forms real releases state that the release file could not say before (issue 11).

Qualified values ("exceeding 800", "about 700 billion"), multiples ("4.7 times"),
stated share changes and absolute changes, balances with their growth, growth
on an earlier year over a complete breakdown, parts in another multiple of the
parent's unit. Numbers are Chongqing's Q1 2021 figures (the release file in
``workbooks/releases``) or issue 11's cases; expected values are computed here
with ``fractions.Fraction``.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from helpers import CHONGQING, ROOT

from tradecalc.analysis.checks import CheckKind, check
from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING
from tradecalc.calc import bounds as bd
from tradecalc.model.release import FIGURE_COLUMNS, QUALIFIERS
from tradecalc.model.releasefile import dumps, loads

CASES = ROOT / "tests" / "data" / "checks"


def text(name):
    return (CASES / f"{name}.toml").read_text()


def table(toml):
    return check(loads(toml)).set_index("check", drop=False)


def test_new_figure_columns_come_last():
    assert FIGURE_COLUMNS[-3:] == ("value_qualifier", "yoy_qualifier", "yoy_reading")
    assert FIGURE_COLUMNS[:18][-1] == "review"  # today's columns keep their places
    assert QUALIFIERS == bd.QUALIFIERS


# ---------------------------------------------------------------- qualified values


def test_exceeding_800_against_parts_that_add_up_to_800_0():
    # case 8 with the total's printed value: "exceeding 800" is (800, 900]; 516.8 + 283.2 = 800.0 is not above 800,
    # but the parts may add up to 800.1: consistent within rounding, and the growth is still inconsistent
    toml = text("case8-total-growth-only").replace(
        'yoy = "32.8%"', 'yoy = "32.8%"\nvalue = "800"\nvalue_qualifier = "exceeding"', 1
    )
    t = table(toml)
    s = t.loc["flow:sum"]
    assert s["computed"] == pytest.approx(800.0) and (s["low"], s["high"]) == pytest.approx(
        (799.9, 800.1)
    )
    assert s["status"] == WITHIN_ROUNDING and "exceeding" in s["note"]
    assert t.loc["flow:growth", "status"] == INCONSISTENT


def test_about_700_billion_under_1_83_trillion():
    # "about 700 billion" is [650, 750] billion (half a step of its hundreds digit): 1.12 + 0.65..0.75 meets 1.83
    toml = (
        text("case4-part-unit-period")
        .replace('period = "2021-03"', 'period = "2021-Q1"')
        .replace('value = "700"', 'value = "700"\nvalue_qualifier = "about"')
    )
    s = table(toml).loc["flow:sum"]
    assert s["computed"] == pytest.approx(1.82)
    assert (s["low"], s["high"]) == pytest.approx((1.115 + 0.65, 1.125 + 0.75))
    assert s["status"] == WITHIN_ROUNDING  # never "consistent" on an approximate part


def test_a_growth_stated_as_more_than_is_judged_on_its_interval():
    # Chongqing Q1: exports and imports grew 60.40% together; "more than 60%" is (60%, 70%]: consistent;
    # "more than 61%" is (61%, 62%]: the parts cannot reach it
    cq = CHONGQING.read_text()
    ok = cq.replace('yoy = "60.4%"', 'yoy = "60%"\nyoy_qualifier = "more than"', 1)
    assert table(ok).loc["flow-q1:growth", "status"] == CONSISTENT
    bad = cq.replace('yoy = "60.4%"', 'yoy = "61%"\nyoy_qualifier = "more than"', 1)
    assert table(bad).loc["flow-q1:growth", "status"] == INCONSISTENT


def test_an_unknown_qualifier_is_refused():
    with pytest.raises(ValueError, match="value_qualifier 'roughly' is not a qualifier"):
        loads(
            text("case3-conversion").replace(
                'value = "2.99"', 'value = "2.99"\nvalue_qualifier = "roughly"', 1
            )
        )


def test_qualifiers_survive_a_round_trip():
    toml = text("case8-total-growth-only").replace(
        'yoy = "32.8%"', 'yoy = "32.8%"\nvalue = "800"\nvalue_qualifier = "exceeding"', 1
    )
    again = loads(dumps(loads(toml)))
    assert again.figure("total").value_qualifier == "exceeding"


# ---------------------------------------------------------------- multiples

MULTIPLE = """
[release]
id = "m"
unit = "billion yuan"
[[breakdowns]]
id = "flow"
parent = "total"
kind = "complete"
[[figures]]
id = "total"
period = "2021"
value = "57"
yoy = "{total}"
{reading}
[[figures]]
id = "exports"
period = "2021"
breakdown = "flow"
value = "47"
yoy = "4.875 times"
yoy_reading = "increase"
[[figures]]
id = "imports"
period = "2021"
breakdown = "flow"
value = "10"
yoy = "100%"
"""


def test_a_multiple_without_its_reading_is_refused_with_the_fix():
    with pytest.raises(ValueError) as e:
        loads(MULTIPLE.format(total="4.7 times", reading=""))
    assert "line 13" in str(e.value) and "ambiguous" in str(e.value)
    assert 'yoy_reading = "increase"' in str(e.value) and 'yoy_reading = "ratio"' in str(e.value)


def test_increase_and_ratio_readings_and_the_precision_of_a_multiple():
    r = loads(MULTIPLE.format(total="4.7 times", reading='yoy_reading = "increase"'))
    total = r.figure("total")
    assert total.yoy == pytest.approx(4.7) and total.yoy_decimals == -1  # ±0.05 times = ±5 points
    assert bd.interval(total.yoy, total.yoy_decimals, percent=True) == pytest.approx((4.65, 4.75))
    assert loads(MULTIPLE.format(total="4.7 times", reading='yoy_reading = "ratio"')).figure(
        "total"
    ).yoy == pytest.approx(3.7)


def test_parts_growth_against_a_total_printed_as_a_multiple_says_which_reading():
    # exports 47 grew by 4.875 times (base 8), imports 10 doubled (base 5): the total 57 on 13 grew by 3.385 times
    row = table(MULTIPLE.format(total="3.4 times", reading='yoy_reading = "increase"')).loc[
        "flow:growth"
    ]
    assert row["computed"] == pytest.approx(float(F(57) / (F(47) / F("5.875") + F(10) / 2) - 1))
    assert row["status"] == CONSISTENT  # 3.385 prints as 3.4 times
    assert "read as 'increase'" in row["note"] and "+340%" in row["note"]
    row = table(MULTIPLE.format(total="3.4 times", reading='yoy_reading = "ratio"')).loc[
        "flow:growth"
    ]
    assert row["status"] == INCONSISTENT  # 3.4 times the base is +240%, not +338.5%


# ---------------------------------------------------------------- statements

CHONGQING_TEXT = CHONGQING.read_text()


def with_statement(kind, value, unit="", figure="exports", reference=""):
    extra = f'\n[[statements]]\nid = "s"\nkind = "{kind}"\nfigure = "{figure}"\nvalue = "{value}"\n'
    extra += f'unit = "{unit}"\n' if unit else ""
    extra += f'reference = "{reference}"\n' if reference else ""
    return table(CHONGQING_TEXT + extra).loc["s"]


def test_share_change_pp_of_exports_5_4_points():
    # exports' share 112.32/180.24 against 63.93/112.37 a year earlier: up 5.43 points
    share_now = F("112.32") / F("180.24")
    share_then = (F("112.32") / F("1.757")) / (F("180.24") / F("1.604"))
    r = with_statement("share_change_pp", "5.4")
    assert r["computed"] == pytest.approx(float(100 * (share_now - share_then)))
    assert r["status"] == CONSISTENT and r["code"] == CheckKind.SHARE_CHANGE.code
    assert with_statement("share_change_pp", "4.1")["status"] == INCONSISTENT


def test_change_of_exports_on_a_year_earlier():
    change = F("112.32") - F("112.32") / F("1.757")  # 48.39 billion yuan
    r = with_statement("change", "48.39", "billion yuan")
    assert r["computed"] == pytest.approx(float(change)) and r["status"] == CONSISTENT
    assert (
        with_statement("change", "0.05", "trillion yuan")["status"] == CONSISTENT
    )  # 50 ± 5 billion
    assert with_statement("change", "69.15", "billion yuan")["status"] == INCONSISTENT


def test_pp_difference_against_a_figure_and_against_free_text():
    # exports +75.7% against imports +40.2%: 35.5 points
    assert with_statement("pp_difference", "35.5", reference="imports")["status"] == CONSISTENT
    bad = with_statement("pp_difference", "31.2", reference="imports")
    assert (
        bad["status"] == INCONSISTENT
        and bad["note"] == "exports +75.7% and imports +40.2% are 35.5 points apart"
    )
    assert (
        with_statement("pp_difference", "31.2", reference="the national growth")["status"]
        == NOT_CHECKABLE
    )


# ---------------------------------------------------------------- balance, earlier year, periods


def test_balance_and_its_growth():
    # a surplus printed from Chongqing's Q1 flows: 112.32 - 67.92 = 44.40; its base 63.93 - 48.45 = 15.48
    base = F("112.32") / F("1.757") - F("67.92") / F("1.402")
    growth = F("44.40") / base - 1
    extra = '\n[[figures]]\nid = "surplus"\nperiod = "2021-Q1"\nflow = "balance"\nvalue = "44.40"\nyoy = "186.8%"\n'
    t = table(CHONGQING_TEXT + extra)
    assert (
        t.loc["surplus:balance", "computed"] == pytest.approx(44.40)
        and t.loc["surplus:balance", "status"] == CONSISTENT
    )
    g = t.loc["surplus:balance_growth"]
    assert g["computed"] == pytest.approx(float(growth)) and round(g["computed"], 3) == 1.868
    assert g["low"] < g["computed"] < g["high"] and g["status"] == CONSISTENT
    bad = table(CHONGQING_TEXT + extra.replace("186.8%", "150%")).loc["surplus:balance_growth"]
    assert bad["status"] == INCONSISTENT


EARLIER = """
[release]
id = "e"
unit = "trillion yuan"
[[breakdowns]]
id = "flow"
parent = "total"
kind = "complete"
[[figures]]
id = "total"
period = "2021"
value = "10"
earlier_growth = "{g}"
earlier_period = "2019"
[[figures]]
id = "exports"
period = "2021"
breakdown = "flow"
value = "6"
earlier_growth = "20%"
earlier_period = "2019"
[[figures]]
id = "imports"
period = "2021"
breakdown = "flow"
value = "4"
earlier_growth = "25%"
earlier_period = "2019"
"""


def test_growth_on_an_earlier_year_over_a_complete_breakdown():
    # 6 on 5 and 4 on 3.2: 10 on 8.2 is +21.95%
    g = F(10) / (F(6) / F("1.2") + F(4) / F("1.25")) - 1
    row = table(EARLIER.format(g="22%")).loc["flow:earlier_growth"]
    assert row["computed"] == pytest.approx(float(g)) and row["status"] == CONSISTENT
    assert table(EARLIER.format(g="24%")).loc["flow:earlier_growth", "status"] == INCONSISTENT


def test_a_period_written_two_ways_is_the_same_period():
    toml = CHONGQING_TEXT.replace(
        'period = "2021-Q1"\nflow = "exports"', 'period = "2021-01/2021-03"\nflow = "exports"', 1
    )
    r = loads(toml)
    assert r.figure("exports").period_range == r.figure("total").period_range
    assert table(toml).loc["flow-q1:sum", "status"] == CONSISTENT


def test_earlier_period_that_is_neither_an_earlier_year_nor_the_previous_period_is_refused():
    toml = text("case7-month-on-month").replace(
        'earlier_period = "2021-03"', 'earlier_period = "2020-03"'
    )
    with pytest.raises(ValueError) as e:
        loads(toml)
    assert (
        "neither the same months of an earlier year nor the 1-month period just before 2021-04"
        in str(e.value)
    )
    assert "2021-03 for growth on the previous period" in str(e.value)


def test_quarter_on_quarter_against_the_stated_previous_quarter():
    toml = """
[release]
id = "q"
unit = "billion yuan"
[[figures]]
id = "q2"
period = "2021-Q2"
series = "total"
value = "110"
earlier_growth = "10%"
earlier_period = "2021-Q1"
[[figures]]
id = "q1"
period = "2021-Q1"
series = "total"
value = "{q1}"
"""
    row = table(toml.format(q1="100")).loc["q2:previous_level"]
    assert (
        row["computed"] == pytest.approx(100.0)
        and row["status"] == CONSISTENT
        and "quarter-on-quarter" in row["description"]
    )
    assert table(toml.format(q1="90")).loc["q2:previous_level", "status"] == INCONSISTENT


def test_multiples_survive_a_round_trip():
    r = loads(MULTIPLE.format(total="4 times", reading='yoy_reading = "ratio"'))
    again = loads(dumps(r))
    for fid in ("total", "exports"):
        a, b = r.figure(fid), again.figure(fid)
        assert (b.yoy, b.yoy_decimals, b.yoy_reading) == (a.yoy, a.yoy_decimals, a.yoy_reading)
    assert (
        again.figure("total").yoy_text() == "4 times"
        and again.figure("exports").yoy_text() == "4.875 times"
    )


def test_a_share_of_a_whole_known_only_as_the_sum_of_its_parts():
    # case 8: the total's value is not printed; exports 516.8 of 516.8 + 283.2 = 800.0 [799.9, 800.1] is 64.6%
    base = text("case8-total-growth-only")
    for printed, status in (("64.6%", CONSISTENT), ("66%", INCONSISTENT)):
        toml = (
            base
            + f'[[statements]]\nid = "s"\nkind = "share"\nfigure = "exports"\nvalue = "{printed}"\n'
        )
        r = table(toml).loc["s"]
        assert r["computed"] == pytest.approx(float(F("516.8") / F("800.0")))
        # tight: exports at their lowest with imports at their highest (the whole moves with its part)
        assert r["low"] == pytest.approx(float(F("516.75") / (F("516.75") + F("283.25"))))
        assert r["high"] == pytest.approx(float(F("516.85") / (F("516.85") + F("283.15"))))
        assert r["status"] == status and "sum of breakdown flow" in r["note"]


def test_a_multiple_in_earlier_growth_is_refused_with_both_readings():
    toml = text("case7-month-on-month").replace(
        'earlier_growth = "4.2%"', 'earlier_growth = "3.4 times"'
    )
    with pytest.raises(ValueError) as e:
        loads(toml)
    assert "earlier_growth = '3.4 times' is a multiple" in str(e.value) and '"240%"' in str(e.value)


def test_a_deficit_written_without_its_minus_sign_is_named():
    toml = (
        text("case6-balance")
        .replace('value = "0.95929"', 'value = "0.75"')
        .replace('value = "4.61"', 'value = "3.11"')
    )
    row = table(toml).loc["surplus:balance"]  # 3.11 - 3.86 = -0.75: a deficit, printed here as 0.75
    assert row["computed"] == pytest.approx(-0.75) and row["status"] == INCONSISTENT
    assert "minus sign" in row["note"]


def test_a_share_of_a_summed_whole_for_a_figure_outside_the_sum_stays_a_box():
    # a partner's share of the total known as exports + imports: the partner is not one of the parts summed
    toml = text("case8-total-growth-only") + (
        '[[breakdowns]]\nid = "partners"\nparent = "total"\nkind = "overlapping"\n'
        '[[figures]]\nid = "asean"\nperiod = "2021"\nbreakdown = "partners"\nvalue = "120.5"\n'
        '[[statements]]\nid = "s"\nkind = "share"\nfigure = "asean"\nvalue = "15.1%"\n'
    )
    r = table(toml).loc["s"]
    assert r["low"] == pytest.approx(float(F("120.45") / F("800.1")))
    assert r["high"] == pytest.approx(float(F("120.55") / F("799.9")))
