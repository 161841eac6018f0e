"""TRADE_STATUS gives the status ``tradecalc series`` gives, on every single period of the
national and Chongqing releases of 2021, with cells passed as xlwings passes them (``[[x]]``,
blanks as None)."""

from __future__ import annotations

import math

import pytest
from helpers import RELEASES
from tradecalc_udfs import trade_status

from tradecalc.analysis.series import series

FILES = [
    RELEASES / name
    for name in (
        "national-2021-q1.toml",
        "national-2021-jan-apr.toml",
        "national-2021-jan-may.toml",
        "chongqing-2021-q1.toml",
        "chongqing-2021-jan-apr.toml",
    )
]


def cell(x):
    """A cell as classic xlwings delivers it with ndim=2: [[value]], a blank as [[None]]."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x == "":
        return [[None]]
    return [[x.item() if hasattr(x, "item") else x]]


@pytest.fixture(scope="module")
def periods():
    tables = series(FILES)
    figs = tables.figures
    rows = []
    for rec in tables.periods.to_dict("records"):
        if rec["kind"] != "single period" or not rec["stated_figure"]:
            continue
        stated = figs[
            (figs["release"] == rec["stated_release"])
            & (figs["id"] == rec["stated_figure"])
            & (figs["group"] == rec["group"])
            & (figs["series"] == rec["series"])
        ]
        assert len(stated) == 1, rec
        rows.append((rec, stated.iloc[0]))
    assert len(rows) >= 4
    return rows


def test_every_value_status_is_the_series_commands(periods):
    for rec, stated in periods:
        got = trade_status(
            cell(rec["stated_value"]),
            cell(stated["series_decimals"]),
            cell(rec["value"]),
            cell(rec["value_low"]),
            cell(rec["value_high"]),
        )
        assert got == rec["value_status"], (rec["series"], rec["period"], got)


def test_every_growth_status_is_the_series_commands(periods):
    for rec, stated in periods:
        got = trade_status(
            cell(rec["stated_yoy"]),
            cell(stated["yoy_decimals"]),
            cell(rec["growth"]),
            cell(rec["growth_low"]),
            cell(rec["growth_high"]),
            [["rate"]],
        )
        assert got == rec["growth_status"], (rec["series"], rec["period"], got)


def test_the_released_numbers():
    # April 2021 (national): 11.62 − 8.47 trillion yuan = 3.15 [3.14, 3.16], stated 3.15
    assert trade_status([[3.15]], [[2]], [[3.15]], [[3.14]], [[3.16]]) == "consistent"
    # the April surplus: implied 260.71 [255.71, 265.71] billion yuan, stated 276.5
    assert trade_status(276.5, 1, 260.71, 255.71, 265.71) == "inconsistent"
    # growth of April: implied 26.65% [26.34%, 26.97%] against a printed 26.6%
    assert trade_status(0.266, 1, 0.26652, 0.2634, 0.2697, "rate") == "consistent within rounding"
    # nothing stated: not checkable, never "consistent"
    assert trade_status([[None]], [[2]], [[3.15]], [[3.14]], [[3.16]]) == "not checkable"


def test_a_qualified_number_stands_for_its_interval():
    # "more than 800": (800, 900]; an implied 801 lies inside, 750 [700, 790] cannot
    assert trade_status(800, 0, 801, 790, 810, None, "more than") == "consistent"
    assert trade_status(800, 0, 750, 700, 790, None, "more than") == "inconsistent"


def test_bad_arguments_are_one_line_errors():
    assert trade_status("x", 2, 3.15, 3.14, 3.16).startswith("#VALUE! TRADE_STATUS: stated")
    assert trade_status(3.15, 2, 3.15, 3.14, 3.16, "share").startswith("#VALUE! TRADE_STATUS")
    assert trade_status(3.15, 2, 3.15, 3.14, 3.16, None, "roughly").startswith(
        "#VALUE! TRADE_STATUS: unknown qualifier"
    )
