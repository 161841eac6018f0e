"""Sub-period rest across units: January-April 2021 surplus 1.02 trillion yuan less the April
surplus 276.5 billion yuan (national release) is Q1's 0.7435 trillion, worked by hand:
1.02 - 0.2765 = 0.7435; bounds (1.02 - 0.005) - (0.2765 + 0.00005) = 0.73845 and
(1.02 + 0.005) - (0.2765 - 0.00005) = 0.74855."""

from __future__ import annotations

import pytest
from helpers import ROOT

from tradecalc.analysis.checks import check
from tradecalc.model.releasefile import load


def test_rest_of_surplus_converts_billion_into_trillion():
    table = check(load(ROOT / "workbooks/releases/national-2021-jan-apr.toml"))
    row = table[table["check"] == "balance:2021-Q1:value"].iloc[0]
    assert row["unit"] == "trillion yuan"
    assert row["computed"] == pytest.approx(0.7435, abs=1e-12)
    assert row["low"] == pytest.approx(0.73845, abs=1e-12)
    assert row["high"] == pytest.approx(0.74855, abs=1e-12)
