"""Every check path and the derived table with figures printed in different units (issue 16, task C).

A part may be printed in another multiple of its parent's currency ("1050 billion yuan"
and "7800 hundred million yuan" under "1.83 trillion yuan"): it is converted by the
scale, never compared raw (raw, 1050 + 7800 against 1.83 would be "inconsistent", and a
share of 1050 in 1.83 would be 574 times the total). A part in another currency (USD
under yuan) cannot be converted without a rate: the check is "not checkable" and says
why. Expected values are worked out here with ``fractions.Fraction`` in the parent's
unit, from the printed numbers.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest

from tradecalc.analysis.checks import check
from tradecalc.analysis.derived_table import derive
from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE
from tradecalc.model.release import Breakdown, Figure, Release, ReleaseError, Statement
from tradecalc.model.releasefile import loads

HEAD = '[release]\nid = "units"\nunit = "trillion yuan"\n'

# total 1.83 trillion (+20.0%); exports 1050 billion (+25.0%); imports 7800 hundred million (+14.0%)
TOTAL, EXPORTS, IMPORTS = F("1.83"), F(1050, 1000), F(7800, 10000)  # in trillion yuan
G_TOTAL, G_EXPORTS, G_IMPORTS = F("0.20"), F("0.25"), F("0.14")


def figure(fid, value, unit="", yoy="", **more) -> str:
    lines = [f'id = "{fid}"', 'period = "2021-Q1"', f'value = "{value}"']
    lines += [f'unit = "{unit}"'] if unit else []
    lines += [f'yoy = "{yoy}"'] if yoy else []
    lines += [f'{k} = "{v}"' for k, v in more.items()]
    return "[[figures]]\n" + "\n".join(lines) + "\n"


def breakdown(bid, parent, kind) -> str:
    return f'[[breakdowns]]\nid = "{bid}"\nparent = "{parent}"\nkind = "{kind}"\n'


def statement(sid, kind, fig, value, unit="") -> str:
    extra = f'unit = "{unit}"\n' if unit else ""
    return f'[[statements]]\nid = "{sid}"\nkind = "{kind}"\nfigure = "{fig}"\nvalue = "{value}"\n{extra}'


def flows(kind="complete", statements="") -> str:
    return (
        HEAD
        + breakdown("flow", "total", kind)
        + figure("total", "1.83", yoy="20.0%")
        + figure("exports", "1050", "billion yuan", "25.0%", breakdown="flow")
        + figure("imports", "7800", "hundred million yuan", "14.0%", breakdown="flow")
        + statements
    )


def rows(text):
    return check(loads(text)).set_index("check")


def approx(x: F):
    return pytest.approx(float(x), rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------- breakdowns


def test_parts_sum_in_billion_and_hundred_million_under_trillion():
    r = rows(flows()).loc["flow:sum"]
    assert r["unit"] == "trillion yuan"
    assert r["computed"] == approx(EXPORTS + IMPORTS)  # 1.83, not 1050 + 7800
    assert r["low"] == approx(F("1049.5") / 1000 + F("7799.5") / 10000)
    assert r["high"] == approx(F("1050.5") / 1000 + F("7800.5") / 10000)
    assert r["status"] == CONSISTENT


def test_part_bases_and_growth_convert_before_adding():
    t = rows(flows())
    bases = EXPORTS / (1 + G_EXPORTS) + IMPORTS / (1 + G_IMPORTS)
    assert t.loc["flow:base", "computed"] == approx(bases)
    assert t.loc["flow:base", "stated"] == approx(TOTAL / (1 + G_TOTAL))
    assert t.loc["flow:growth", "computed"] == approx((EXPORTS + IMPORTS) / bases - 1)
    assert t.loc["flow:growth", "status"] != INCONSISTENT


def test_residual_of_a_partial_breakdown_in_other_multiples():
    text = (
        HEAD
        + breakdown("partners", "total", "partial")
        + figure("total", "1.83", yoy="20.0%")
        + figure("asean", "500", "billion yuan", "10.0%", breakdown="partners")
        + figure("eu", "3000", "hundred million yuan", "30.0%", breakdown="partners")
    )
    t = rows(text)
    a, e = F(500, 1000), F(3000, 10000)
    assert t.loc["partners:residual", "computed"] == approx(TOTAL - a - e)  # 1.03
    assert t.loc["partners:residual", "status"] == CONSISTENT
    base = TOTAL / (1 + G_TOTAL) - a / F("1.10") - e / F("1.30")
    assert t.loc["partners:residual_base", "computed"] == approx(base)
    assert t.loc["partners:residual_growth", "computed"] == approx((TOTAL - a - e) / base - 1)


@pytest.mark.parametrize(
    "printed, status",
    [("900", CONSISTENT), ("2000", INCONSISTENT)],
    ids=["0.9 of 1.83", "2 > 1.83"],
)
def test_overlapping_part_in_billion_against_a_trillion_total(printed, status):
    text = (
        HEAD
        + breakdown("groups", "total", "overlapping")
        + figure("total", "1.83", yoy="20.0%")
        + figure("belt", printed, "billion yuan", "10.0%", breakdown="groups")
        + figure("rcep", "0.5", "", "10.0%", breakdown="groups")
    )
    r = rows(text).loc["groups:within"]
    assert r["computed"] == approx(F(printed) / 1000)  # 900 billion is 0.9 trillion, not 900
    assert r["status"] == status


# --------------------------------------------------------------------------- balances and rests


def test_balance_in_billion_from_flows_in_trillion():
    text = (
        '[release]\nid = "b"\nunit = "trillion yuan"\n'
        + breakdown("flow", "total", "complete")
        + figure("total", "8.47")
        + figure("exports", "4.61", breakdown="flow", flow="exports")
        + figure("imports", "3.86", breakdown="flow", flow="imports")
        + figure("surplus", "750", "billion yuan", flow="balance")
    )
    r = rows(text).loc["surplus:balance"]
    assert r["unit"] == "billion yuan"
    assert r["computed"] == approx((F("4.61") - F("3.86")) * 1000)
    assert r["low"] == approx((F("4.605") - F("3.865")) * 1000)
    assert r["status"] == CONSISTENT


def test_rest_of_a_quarter_less_a_month_printed_in_hundred_million():
    text = (
        HEAD
        + figure("q1", "1.20", series="total")
        + "[[figures]]\n"
        + 'id = "march"\nperiod = "2021-03"\nseries = "total"\nvalue = "4000"\nunit = "hundred million yuan"\n'
    )
    t = rows(text)
    r = t[t.index.str.contains("value")].iloc[0]
    assert r["unit"] == "trillion yuan"
    assert r["computed"] == approx(F("1.20") - F(4000, 10000))  # 0.8, not 1.2 - 4000
    assert r["status"] == CONSISTENT


# --------------------------------------------------------------------------- statements


def test_stated_share_of_a_part_in_billion():
    share = EXPORTS / TOTAL  # 57.377%
    r = rows(flows(statements=statement("s", "share", "exports", "57.4%"))).loc["s"]
    assert r["computed"] == approx(share)
    assert r["status"] == CONSISTENT


def test_stated_share_change_of_a_part_in_billion():
    now = EXPORTS / TOTAL
    then = (EXPORTS / (1 + G_EXPORTS)) / (TOTAL / (1 + G_TOTAL))
    pp = 100 * (now - then)  # 2.30 points
    r = rows(flows(statements=statement("s", "share_change_pp", "exports", "2.3"))).loc["s"]
    assert r["computed"] == approx(pp)
    assert r["status"] == CONSISTENT


def test_stated_change_printed_in_hundred_million_of_a_figure_in_billion():
    change = F(1050) - F(1050) / (1 + G_EXPORTS)  # 210 billion
    text = flows(statements=statement("s", "change", "exports", "2100", "hundred million yuan"))
    r = rows(text).loc["s"]
    assert r["unit"] == "billion yuan"
    assert r["computed"] == approx(change)
    assert r["stated"] == approx(F(2100, 10))
    assert r["status"] == CONSISTENT


def test_conversion_rate_applies_both_multipliers():
    text = flows(statements=statement("s", "conversion", "total", "283.4", "billion USD"))
    r = rows(text).loc["s"]
    assert r["computed"] == approx(F("1.83") * 1000 / F("283.4"))  # yuan per USD, 6.457


# --------------------------------------------------------------------------- derived table


def test_derived_shares_pulls_and_contributions_convert_the_part():
    d = derive(loads(flows()))
    base_t = TOTAL / (1 + G_TOTAL)
    for fid, v, g in (("exports", EXPORTS, G_EXPORTS), ("imports", IMPORTS, G_IMPORTS)):
        b = v / (1 + g)
        assert d.loc[fid, "share"] == approx(v / TOTAL)
        assert d.loc[fid, "base_share"] == approx(b / base_t)
        assert d.loc[fid, "share_change_pp"] == approx(100 * (v / TOTAL - b / base_t))
        assert d.loc[fid, "pull_pp"] == approx(100 * (v - b) / base_t)
        assert d.loc[fid, "contribution"] == approx((v - b) / (TOTAL - base_t))
    # money columns stay in the figure's own unit
    assert d.loc["exports", "base"] == approx(F(1050) / (1 + G_EXPORTS))
    assert d.loc["imports", "change"] == approx(F(7800) - F(7800) / (1 + G_IMPORTS))


# --------------------------------------------------------------------------- another currency


def test_a_release_file_refuses_a_part_in_another_currency():
    text = flows().replace('unit = "billion yuan"', 'unit = "billion USD"')
    with pytest.raises(ReleaseError, match="another currency"):
        loads(text)


def _release(kind, statements=()):
    """Built directly (not from a release file, which refuses it): exports in USD under yuan."""
    figs = [
        Figure("total", period="2021-Q1", unit="billion yuan", value=1830.0, value_decimals=0, yoy=0.2, yoy_decimals=1),
        Figure("exports", period="2021-Q1", unit="billion USD", value=162.0, value_decimals=0, yoy=0.25, yoy_decimals=1, breakdown="flow", parent="total"),
        Figure("imports", period="2021-Q1", unit="billion yuan", value=780.0, value_decimals=0, yoy=0.14, yoy_decimals=1, breakdown="flow", parent="total"),
    ]  # fmt: skip
    return Release(
        meta={"unit": "billion yuan"},
        figures=figs,
        breakdowns=[Breakdown("flow", parent="total", kind=kind)],
        statements=list(statements),
    )


@pytest.mark.parametrize(
    "kind, check_id",
    [("complete", "flow:sum"), ("partial", "flow:residual"), ("overlapping", "flow:within")],
)
def test_breakdown_with_a_part_in_another_currency_is_not_checkable(kind, check_id):
    t = check(_release(kind)).set_index("check")
    r = t.loc[check_id]
    assert r["status"] == NOT_CHECKABLE
    assert "another currency" in r["note"] and "exports" in r["note"]
    assert math.isnan(r["computed"])
    assert not (t["status"] == INCONSISTENT).any()


@pytest.mark.parametrize(
    "statement",
    [
        Statement("s", "share", "exports", value=0.09, value_decimals=0),
        Statement("s", "share_change_pp", "exports", value=1.0, value_decimals=0),
        Statement("s", "change", "imports", value=30.0, value_decimals=0, unit="billion USD"),
    ],
    ids=lambda s: s.kind,
)
def test_statement_across_currencies_is_not_checkable(statement):
    r = check(_release("complete", [statement])).set_index("check").loc["s"]
    assert r["status"] == NOT_CHECKABLE
    assert "another currency" in r["note"]
    assert math.isnan(r["computed"])


def test_derived_share_of_a_part_in_another_currency_is_blank():
    d = derive(_release("complete"))
    for col in ("share", "base_share", "share_change_pp", "pull_pp", "contribution"):
        assert math.isnan(d.loc["exports", col])
        assert d.loc["imports", col] == d.loc["imports", col]  # yuan under yuan: computed
    assert d.loc["imports", "share"] == pytest.approx(780 / 1830, rel=1e-12)


JAN_FEB = "total:2021-01/2021-02:value"  # Q1 less March, against the stated January-February


def _series(march_unit, rest_unit) -> str:
    """Q1 in trillion yuan, March and January-February in units of their own (one series)."""

    def fig(fid, period, value, unit):
        return (
            f'[[figures]]\nid = "{fid}"\nperiod = "{period}"\nseries = "total"\n'
            f'value = "{value}"\nunit = "{unit}"\n'
        )

    return (
        HEAD
        + fig("q1", "2021-Q1", "1.20", "trillion yuan")
        + fig("march", "2021-03", "4000", march_unit)
        + fig("janfeb", "2021-01/2021-02", "800", rest_unit)
    )


def test_rest_against_a_stated_figure_in_another_multiple():
    r = rows(_series("hundred million yuan", "billion yuan")).loc[JAN_FEB]
    assert r["computed"] == approx(F("1.20") - F(4000, 10000))
    assert r["stated"] == approx(F(800, 1000))  # 800 billion, in trillion
    assert r["status"] == CONSISTENT


def test_rest_of_a_sub_period_in_another_currency_is_not_checkable():
    r = rows(_series("hundred million USD", "billion yuan")).loc[JAN_FEB]
    assert r["status"] == NOT_CHECKABLE and "another currency" in r["note"]
    assert math.isnan(r["computed"])


def test_a_stated_rest_in_another_currency_is_said_not_compared():
    r = rows(_series("hundred million yuan", "billion USD")).loc[JAN_FEB]
    assert math.isnan(r["stated"])  # never compared with a number in USD
    assert r["computed"] == approx(F("1.20") - F(4000, 10000))
    assert "janfeb is in another currency (billion USD): not compared" in r["note"]


def test_balance_of_flows_in_another_currency_is_not_checkable():
    text = (
        '[release]\nid = "b"\nunit = "billion USD"\n'
        + breakdown("flow", "total", "complete")
        + figure("total", "1310")
        + figure("exports", "710", breakdown="flow", flow="exports")
        + figure("imports", "600", breakdown="flow", flow="imports")
        + figure("surplus", "720", "billion yuan", flow="balance")
    )
    r = rows(text).loc["surplus:balance"]
    assert r["status"] == NOT_CHECKABLE and "another currency" in r["note"]
    assert math.isnan(r["computed"])
