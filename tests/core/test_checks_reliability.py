"""Checks never crash on valid releases, handle balances, and stay linear (issue 14 items 1, 11, 15; issue 16).

Each release is small and written here; expected values are computed by hand
(``fractions.Fraction``) or stated in the issue.
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from tradecalc.analysis.checks import CheckKind, check
from tradecalc.analysis.status import CONSISTENT, NOT_CHECKABLE, STATUSES, WITHIN_ROUNDING
from tradecalc.model.releasefile import loads


def table(toml):
    t = check(loads(toml))
    assert set(t["status"]) <= set(STATUSES)
    assert CheckKind.UNCHECKED.code not in set(t["code"]), t[t["code"] == CheckKind.UNCHECKED.code][
        "note"
    ].tolist()
    return t.set_index("check", drop=False)


def breakdown(total, parts, kind="complete", flow="total"):
    """A release with a total (value, yoy) split into parts [(value, yoy), ...]."""
    out = [
        '[release]\nid = "t"\nunit = "billion yuan"',
        f'[[breakdowns]]\nid = "b"\nparent = "total"\nkind = "{kind}"',
        f'[[figures]]\nid = "total"\nperiod = "2021"\nflow = "{flow}"\nvalue = "{total[0]}"\nyoy = "{total[1]}"',
    ]
    for i, (v, g) in enumerate(parts):
        out.append(
            f'[[figures]]\nid = "p{i}"\nperiod = "2021"\nbreakdown = "b"\nvalue = "{v}"\nyoy = "{g}"'
        )
    return "\n".join(out) + "\n"


def test_balance_breakdown_gives_a_proper_interval_and_is_within_rounding():
    # issue 14 item 1: -6.00 (+0.1%) = 4.00 (+0.0%) + (-10.00) (+0.0%); about +0.067% is reachable
    t = table(breakdown(("-6.00", "0.1%"), [("4.00", "0.0%"), ("-10.00", "0.0%")], flow="balance"))
    g = t.loc["b:growth"]
    assert g["low"] <= g["high"] and g["tolerance"] > 0
    assert g["status"] == WITHIN_ROUNDING
    # a witness inside the rounding boxes: 4.00 at -0.05% and -10.00 at +0.02% grew +0.067% together, printed +0.1%
    witness = (F("4.00") + F("-10.00")) / (F("4.00") / F("0.9995") + F("-10.00") / F("1.0002")) - 1
    assert round(float(witness) * 100, 3) == 0.067 and F("0.0005") <= witness <= F("0.0015")
    assert g["low"] <= float(witness) <= g["high"]
    assert t.loc["b:sum", "status"] == CONSISTENT


def test_balance_with_a_listed_part_larger_than_the_total_is_not_inconsistent():
    t = table(breakdown(("-6.00", "0.1%"), [("4.00", "0.0%")], kind="partial", flow="balance"))
    assert t.loc["b:residual", "computed"] == pytest.approx(-10.0)
    assert t.loc["b:residual", "status"] == NOT_CHECKABLE
    t = table(breakdown(("-6.00", "0.1%"), [("4.00", "0.0%")], kind="overlapping", flow="balance"))
    assert t.loc["b:within", "status"] == NOT_CHECKABLE


def test_all_parts_zero():
    t = table(breakdown(("0", "0%"), [("0", "0%"), ("0", "0%")]))
    assert t.loc["b:sum", "status"] == CONSISTENT
    assert t.loc["b:growth", "status"] == NOT_CHECKABLE and "zero" in t.loc["b:growth", "note"]


def test_part_bases_that_change_sign():
    # 1.00 and -1.00, both +0.0%: the parts' bases add up to about zero, of either sign as printed
    t = table(breakdown(("0.00", "0.0%"), [("1.00", "0.0%"), ("-1.00", "0.0%")], flow="balance"))
    assert t.loc["b:growth", "status"] == NOT_CHECKABLE and "zero" in t.loc["b:growth", "note"]
    # with growths of opposite sign the bases (0.909 and -1.111) cannot cancel: a balance of 0.00 "+0.0%" (a base
    # of 0) is not what the parts say (a base of -0.20, so -100%): inconsistent, and no crash
    t = table(breakdown(("0.00", "0.0%"), [("1.00", "10.0%"), ("-1.00", "-10.0%")], flow="balance"))
    assert t.loc["b:growth", "high"] < -0.9
    t = table(
        breakdown(
            ("0.00", "0.0%"), [("1.00", "0.0%"), ("-1.00", "0.0%")], kind="partial", flow="balance"
        )
    )
    assert t.loc["b:residual_growth", "status"] == NOT_CHECKABLE


def test_share_statement_on_a_zero_parent():
    toml = breakdown(("0", "0%"), [("0", "0%")], kind="overlapping") + (
        '[[statements]]\nid = "s"\nkind = "share"\nfigure = "p0"\nvalue = "50%"\n'
        '[[statements]]\nid = "c"\nkind = "share_change_pp"\nfigure = "p0"\nvalue = "1.0"\n'
    )
    t = table(toml)
    assert t.loc["s", "status"] == NOT_CHECKABLE and "zero" in t.loc["s", "note"]
    assert t.loc["c", "status"] == NOT_CHECKABLE


def months(n, series=True, start=2000):
    out = ['[release]\nid = "long"\nunit = "billion yuan"']
    for i in range(n):
        y, m = divmod(i, 12)
        out.append(
            f'[[figures]]\nid = "m{i}"\nperiod = "{start + y}-{m + 1:02d}"\n'
            + ('series = "total"\n' if series else "")
            + f'value = "{100 + i % 7}.5"\nyoy = "{i % 9}.1%"'
        )
    return "\n".join(out) + "\n"


def test_a_series_of_2000_months_checks_without_comparing_every_pair():
    # issue 14 item 15: no month holds another, so there is nothing to check, found through indexes
    t = check(loads(months(2000)))
    assert len(t) == 0
    # a cumulative year beside its months: each January-to-month total minus the previous one is one month
    text = (
        months(12, start=2021)
        + "\n".join(
            f'[[figures]]\nid = "c{k}"\nperiod = "2021-01/2021-{k:02d}"\nseries = "total"\nvalue = "{sum(100 + i % 7 + 0.5 for i in range(k)):.1f}"'
            for k in range(2, 13)
        )
        + "\n"
    )
    t = table(text)
    stated = t[t["code"] == CheckKind.REST_STATED.code]
    assert len(stated) >= 11 and set(stated["status"]) == {CONSISTENT}


def test_a_parent_chain_of_2000_figures_validates_and_a_long_cycle_is_named():
    out = ['[release]\nid = "chain"\nunit = "billion yuan"']
    for i in range(2000):
        parent = f'parent = "f{i - 1}"\n' if i else ""
        out.append(f'[[figures]]\nid = "f{i}"\nperiod = "2021"\n{parent}value = "{3000 - i}"')
    r = loads("\n".join(out) + "\n")
    assert r.figure("f1999").parent == "f1998"
    cyclic = (
        "\n".join(out).replace(
            'id = "f0"\nperiod = "2021"\n', 'id = "f0"\nperiod = "2021"\nparent = "f1999"\n'
        )
        + "\n"
    )
    with pytest.raises(ValueError, match="is its own ancestor") as e:
        loads(cyclic)
    assert str(e.value).count("own ancestor") == 1 and len(str(e.value)) < 400
