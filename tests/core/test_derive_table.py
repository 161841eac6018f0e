"""The derived table calls the arithmetic: its numbers against the Chongqing release's own statements.

Chongqing Customs, Q1 2021 (billion yuan): total trade 180.24 (+60.4%),
exports 112.32 (+75.7%), imports 67.92 (+40.2%). The release's statements
and the arithmetic printed in it: the total's base (Q1 2020) is 112.37;
exports are 62.3% of trade, 5.4 points more than a year earlier; exports
pulled the total's growth by 43.07 points and imports by 17.33, together the
total's 60.4 points.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import CHONGQING

from tradecalc.analysis.derived_table import derive, derived_columns


@pytest.fixture(scope="module")
def table():

    from tradecalc.model.releasefile import load

    return derive(load(CHONGQING))


def test_chongqing_statements(table):
    assert round(table.at["total", "base"], 2) == 112.37
    assert round(table.at["exports", "share"], 3) == 0.623
    assert round(table.at["exports", "share_change_pp"], 1) == 5.4
    assert round(table.at["exports", "pull_pp"], 2) == 43.07
    assert round(table.at["imports", "pull_pp"], 2) == 17.33
    # a complete breakdown: pulls add up to the total's growth in points, contributions to 1
    assert round(table.at["exports", "pull_pp"] + table.at["imports", "pull_pp"], 1) == 60.4
    # contributions add up to 1 within the printed precision (the printed figures do not add up exactly)
    assert table.at["exports", "contribution"] + table.at[
        "imports", "contribution"
    ] == pytest.approx(1.0, abs=1e-3)


def test_columns_are_the_arithmetic_written_out_by_hand():
    """Independent values: plain Python on the printed numbers, figure by figure."""
    v = [180.24, 112.32, 67.92, 0.0, 5.0]
    g = [0.604, 0.757, 0.402, 0.1, -1.0]  # a zero part, and a growth of -100% (no base)
    pos = [-1, 0, 0, 0, 0]
    cols = derived_columns(v, g, pos)
    bt = 180.24 / (1 + 0.604)
    be = 112.32 / (1 + 0.757)
    assert cols["base"][1] == be and cols["change"][1] == 112.32 - be
    assert cols["share"][1] == 112.32 / 180.24
    assert cols["base_share"][1] == be / bt
    assert cols["share_change_pp"][1] == 100.0 * (112.32 / 180.24 - be / bt)
    assert cols["pull_pp"][1] == 100.0 * (112.32 - be) / bt
    assert cols["contribution"][1] == (112.32 - be) / (180.24 - bt)
    assert cols["share"][3] == 0.0 and cols["pull_pp"][3] == 0.0
    for c in ("base", "change", "base_share", "share_change_pp", "pull_pp", "contribution"):
        assert np.isnan(cols[c][4]), c  # no base: blank, never 0
    for c in ("share", "base_share", "share_change_pp", "pull_pp", "contribution"):
        assert np.isnan(cols[c][0]), c  # the total has no parent
