"""Series cases worked by hand: issue 11 case 2 (a stated month against two cumulative
figures of one release), a restated cumulative figure, figures linked by ``series``."""

from __future__ import annotations

import pytest

from tradecalc.analysis.series import series
from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, WITHIN_ROUNDING
from tradecalc.model.releasefile import loads

ISSUE_11_CASE_2 = """
[release]
id = "r2"
unit = "billion yuan"
[[figures]]
id = "jan-nov"
period = "2021-01/2021-11"
series = "total"
value = "720.49"
[[figures]]
id = "nov"
period = "2021-11"
series = "total"
value = "76.95"
[[figures]]
id = "jan-oct"
period = "2021-01/2021-10"
series = "total"
value = "643.52"
"""


def test_a_stated_month_against_two_cumulative_figures():
    # 720.49 - 643.52 = 76.97 in [76.96, 76.98]; the stated 76.95 is [76.945, 76.955]: no overlap
    t = series([loads(ISSUE_11_CASE_2, source="r2")])
    nov = t.periods.set_index("period").loc["2021-11"]
    assert nov["value"] == pytest.approx(76.97)
    assert (nov["value_low"], nov["value_high"]) == (pytest.approx(76.96), pytest.approx(76.98))
    assert nov["stated_value"] == 76.95 and nov["value_status"] == INCONSISTENT
    assert t.exit_code == 1
    assert any("no publisher" in n for n in t.notes)


def _release(rid, figures, unit="billion yuan", publisher="Chongqing Customs"):
    head = f'[release]\nid = "{rid}"\npublisher = "{publisher}"\nunit = "{unit}"\n'
    body = "".join(
        "\n[[figures]]\n" + "".join(f'{k} = "{v}"\n' for k, v in f.items()) for f in figures
    )
    return loads(head + body, source=rid)


def test_a_restated_cumulative_figure_is_a_revision_and_the_latest_is_used():
    # Q1 printed 180.24 in April; a later release prints Q1 as 180.5 (a made-up restatement,
    # labelled as such) and January-April 245.91: April is 245.91 - 180.5 = 65.41 from the
    # latest print
    q1 = _release("q1", [{"id": "total", "period": "2021-Q1", "value": "180.24", "yoy": "60.4%"}])
    later = _release(
        "jan-apr",
        [
            {"id": "total", "period": "2021-01/2021-04", "value": "245.91", "yoy": "48.3%"},
            {
                "id": "total-q1",
                "series": "total",
                "period": "2021-Q1",
                "value": "180.5",
                "review": "restated (test)",
            },
        ],
    )
    t = series([later, q1])
    april = t.periods.set_index("period").loc["2021-04"]
    assert april["previous"] == 180.5 and april["previous_release"] == "jan-apr"
    assert april["value"] == pytest.approx(65.41)
    rev = t.revisions.set_index("period").loc["2021-Q1"]
    assert (
        rev["earlier"] == 180.24 and rev["later"] == 180.5 and rev["later_how"].startswith("stated")
    )
    assert rev["revision"] == pytest.approx(0.26)
    # 180.24 [180.235, 180.245] against 180.5 [180.45, 180.55]: apart, so a revision
    assert rev["value_status"] == INCONSISTENT


def test_ids_that_differ_are_linked_by_series():
    a = _release(
        "a", [{"id": "trade-q1", "series": "total", "period": "2021-Q1", "value": "180.24"}]
    )
    b = _release(
        "b",
        [
            {
                "id": "foreign-trade",
                "series": "total",
                "period": "2021-01/2021-04",
                "value": "245.91",
            }
        ],
    )
    t = series([a, b])
    assert t.periods.set_index("period").loc["2021-04", "value"] == pytest.approx(65.67)
    # without the link, each id is its own series, found in one release only: nothing is lined up
    c = _release("c", [{"id": "foreign-trade", "period": "2021-01/2021-04", "value": "245.91"}])
    d = _release("d", [{"id": "trade-q1", "period": "2021-Q1", "value": "180.24"}])
    assert series([c, d]).periods.empty


def test_units_convert_between_releases():
    # hundred million yuan (亿元) and billion yuan: 2459.1 hundred million is 245.91 billion
    a = _release("a", [{"id": "total", "period": "2021-Q1", "value": "180.24", "yoy": "60.4%"}])
    b = _release(
        "b",
        [{"id": "total", "period": "2021-01/2021-04", "value": "2459.1", "yoy": "48.3%"}],
        unit="hundred million yuan",
    )
    t = series([a, b])
    april = t.periods.set_index("period").loc["2021-04"]
    assert april["unit"] == "billion yuan"
    assert april["value"] == pytest.approx(65.67)
    # 2459.1 hundred million is exact to 0.1 hundred million = 0.01 billion: bounds ±0.005 each
    assert (april["value_low"], april["value_high"]) == (pytest.approx(65.66), pytest.approx(65.68))


def test_a_growth_stated_alone_is_judged():
    a = _release(
        "a",
        [{"id": "total", "period": "2021-Q1", "value": "8.47", "yoy": "29.2%"}],
        unit="trillion yuan",
    )
    b = _release(
        "b",
        [
            {"id": "total", "period": "2021-01/2021-04", "value": "11.62", "yoy": "28.5%"},
            {"id": "april", "series": "total", "period": "2021-04", "yoy": "26.6%"},
        ],
        unit="trillion yuan",
    )
    april = series([a, b]).periods.set_index("period").loc["2021-04"]
    assert april["growth_status"] == WITHIN_ROUNDING
    assert april["value_status"] != CONSISTENT  # no value stated: nothing to compare the 3.15 with


def test_a_growth_whose_base_may_be_zero_is_not_judged_inconsistent():
    # made-up round numbers: Q1 100 (+100%) has a base in [49.63, 50.38], January-April 101
    # (+101%) one in [49.88, 50.62]: April's base may be anything in [-0.50, 1.00], zero
    # included, so no growth rate of April can be ruled out: the stated +5% is not checkable
    a = _release("a", [{"id": "total", "period": "2021-Q1", "value": "100", "yoy": "100%"}])
    b = _release(
        "b",
        [
            {"id": "total", "period": "2021-01/2021-04", "value": "101", "yoy": "101%"},
            {"id": "april", "series": "total", "period": "2021-04", "value": "1", "yoy": "5%"},
        ],
    )
    april = series([a, b]).periods.set_index("period").loc["2021-04"]
    assert april["growth"] == pytest.approx(1 / (101 / 2.01 - 100 / 2.0) - 1)
    assert april["growth_low"] != april["growth_low"]  # NaN: no finite bound
    assert april["base_low"] < 0 < april["base_high"]
    assert april["growth_status"] == "not checkable" and "no bound on its growth" in april["note"]
    assert april["value_status"] == CONSISTENT
