"""Issue 11's eight release files, each with the verdict worked by hand in the issue.

Files: ``tests/data/checks/case*.toml`` (the issue's TOML, unchanged). Expected
numbers are computed here with ``fractions.Fraction`` from the printed figures,
written differently from the engine (brute force over the corners of the
rounding boxes where the engine solves for the extreme).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
from helpers import ROOT

import tradecalc
from tradecalc.analysis.checks import CheckKind, check, exit_code
from tradecalc.analysis.status import INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING
from tradecalc.cli.main import main
from tradecalc.model.release import ReleaseError
from tradecalc.model.releasefile import load, loads

CASES = ROOT / "tests" / "data" / "checks"


def case(name):
    return CASES / f"{name}.toml"


def rows(name):
    return check(load(case(name))).set_index("check", drop=False)


def corner_growths(parts):
    """Growth of the sum over every corner of each part's (value, growth) box: [(v, dv), (g, dg)] per part."""
    out = []
    for signs in itertools.product((-1, 1), repeat=2 * len(parts)):
        num = den = F(0)
        for i, ((v, dv), (g, dg)) in enumerate(parts):
            tv, tg = v + signs[2 * i] * dv, g + signs[2 * i + 1] * dg
            num += tv
            den += tv / (1 + tg)
        out.append(num / den - 1)
    return out


def test_case1_parts_growth_at_most_22_77_percent_inconsistent_with_23_1(capsys):
    r = rows("case1-parts-growth").loc["flow:growth"]
    corners = corner_growths(
        [
            ((F("2.16"), F("0.005")), (F("0.195"), F("0.0005"))),
            ((F("0.83301"), F("0.000005")), (F("0.319"), F("0.0005"))),
        ]
    )
    assert r["high"] == pytest.approx(float(max(corners)), rel=1e-12)
    assert r["low"] == pytest.approx(float(min(corners)), rel=1e-12)
    assert round(r["high"] * 100, 2) == 22.77  # "the parts' growth can be at most 22.77%"
    assert (
        r["stated"] == 0.231
        and r["status"] == INCONSISTENT
        and r["code"] == CheckKind.PARTS_GROWTH.code
    )
    assert main(["check", str(case("case1-parts-growth"))]) == 1


def test_case2_november_76_95_against_76_97_is_inconsistent(capsys):
    t = rows("case2-single-month")
    nov = t.loc["total:2021-11:value"]
    assert nov["stated"] == 76.95
    assert nov["computed"] == pytest.approx(float(F("720.49") - F("643.52")))  # 76.97
    assert (nov["low"], nov["high"]) == pytest.approx((76.96, 76.98))
    assert nov["status"] == INCONSISTENT and nov["kind"] == CheckKind.REST_STATED.label
    jan_oct = t.loc["total:2021-01/2021-10:value"]  # the same relation, seen from January-October
    assert jan_oct["stated"] == 643.52 and jan_oct["computed"] == pytest.approx(
        float(F("720.49") - F("76.95"))
    )
    assert jan_oct["status"] == INCONSISTENT
    assert exit_code(t) == 1
    assert main(["check", str(case("case2-single-month"))]) == 1


def test_case3_6_39_yuan_per_dollar(capsys):
    r = rows("case3-conversion").loc["usd"]
    assert r["computed"] == pytest.approx(float(F("2.99") * 10**12 / (F("467.87") * 10**9)))
    assert round(r["computed"], 2) == 6.39 and r["unit"] == "yuan per USD"
    assert r["low"] == pytest.approx(float(F("2.985") * 1000 / F("467.875")))
    assert r["status"] == NOT_CHECKABLE
    assert main(["check", str(case("case3-conversion"))]) == 0


def test_case4_march_part_of_a_q1_breakdown_is_refused_naming_line_and_fix(capsys):
    with pytest.raises(ReleaseError) as e:
        load(case("case4-part-unit-period"))
    text = case("case4-part-unit-period").read_text()
    line = text.splitlines().index('period = "2021-03"') + 1
    assert (
        f"line {line}: figure 'imports' (2021-03) is a part of 'total' (2021-Q1) of another period"
        in str(e.value)
    )
    assert 'Fix: write period = "2021-Q1"' in str(e.value)
    assert main(["check", str(case("case4-part-unit-period"))]) == 2
    assert f"line {line}" in capsys.readouterr().err


def test_case4_with_the_period_fixed_700_billion_is_0_7_trillion():
    text = (
        case("case4-part-unit-period")
        .read_text()
        .replace('period = "2021-03"', 'period = "2021-Q1"')
    )
    r = check(loads(text)).set_index("check").loc["flow:sum"]
    assert r["computed"] == pytest.approx(float(F("1.12") + F("700") / 1000))  # 1.82, never 701.12
    assert (r["low"], r["high"]) == pytest.approx((1.115 + 0.6995, 1.125 + 0.7005))
    assert r["status"] == WITHIN_ROUNDING  # 1.82 [1.8145, 1.8255] meets 1.83 [1.825, 1.835]


def test_case5_belt_and_road_is_2_2_points_above_not_5_2(capsys):
    r = rows("case5-pp-reference").loc["bri-vs-total"]
    assert r["computed"] == pytest.approx(float(100 * (F("0.236") - F("0.214"))))
    assert (r["low"], r["high"]) == pytest.approx((2.1, 2.3))
    assert r["stated"] == 5.2 and r["status"] == INCONSISTENT
    assert main(["check", str(case("case5-pp-reference"))]) == 1


def test_case6_surplus_0_95929_against_0_75(capsys):
    r = rows("case6-balance").loc["surplus:balance"]
    assert r["computed"] == pytest.approx(float(F("4.61") - F("3.86")))
    assert (r["low"], r["high"]) == pytest.approx((0.74, 0.76))
    assert r["stated"] == 0.95929 and r["status"] == INCONSISTENT
    assert main(["check", str(case("case6-balance"))]) == 1


def test_case7_month_on_month_implies_march_3_02_trillion(capsys):
    t = rows("case7-month-on-month")
    assert list(t["code"]) == [
        CheckKind.PREVIOUS_LEVEL.code
    ]  # no "average annual growth", no "April 2020 on March 2021"
    r = t.iloc[0]
    assert r["computed"] == pytest.approx(float(F("3.15") / F("1.042")))
    assert round(r["computed"], 2) == 3.02 and r["unit"] == "trillion yuan"
    assert "+4.2%" in r["description"] and "month-on-month" in r["description"]
    assert (r["low"], r["high"]) == pytest.approx(
        (float(F("3.145") / F("1.0425")), float(F("3.155") / F("1.0415")))
    )
    assert main(["check", str(case("case7-month-on-month"))]) == 0


def test_case8_growth_checked_without_the_total_value(capsys):
    r = rows("case8-total-growth-only").loc["flow:growth"]
    g = (F("516.8") + F("283.2")) / (F("516.8") / F("1.234") + F("283.2") / F("1.217")) - 1
    assert r["computed"] == pytest.approx(float(g)) and round(float(g) * 100, 1) == 22.8
    assert r["stated"] == 0.328 and r["status"] == INCONSISTENT
    assert main(["check", str(case("case8-total-growth-only"))]) == 1


@pytest.mark.parametrize(
    "name",
    [
        "case1-parts-growth",
        "case2-single-month",
        "case3-conversion",
        "case5-pp-reference",
        "case6-balance",
        "case7-month-on-month",
        "case8-total-growth-only",
    ],
)
def test_every_cell_is_a_plain_str_or_float(name):
    t = tradecalc.check(str(case(name)))
    for rec in t.to_dict("records"):
        assert all(type(v) in (str, float) for v in rec.values()), rec
