"""Derived table base bounds of a qualified figure: Chongqing, September 2020, total trade
"exceeding 63 billion yuan", up 18.9% (China Daily via newsilkroaddiscovery.com). By hand:
"exceeding 63" is (63, 64], 18.9% is [0.1885, 0.1895]; the base lies in
[63 / 1.1895, 64 / 1.1885] = [52.963, 53.849] (rounding alone would give [52.543, 53.429])."""

from __future__ import annotations

import pytest

from tradecalc.analysis.derived_table import derive
from tradecalc.model.releasefile import loads

TEXT = """
[release]
id = "chongqing-2020-09"
title = "Chongqing sees robust foreign trade growth"
publisher = "China Daily"
period = "2020-09"
currency = "CNY"
unit = "billion yuan"

[[figures]]
id = "total"
label = "Total foreign trade"
period = "2020-09"
flow = "total"
series = "total"
value = "63"
value_qualifier = "exceeding"
yoy = "18.9%"
"""


def test_qualified_value_widens_base_bounds():
    row = derive(loads(TEXT)).loc["total"]
    assert row["base_low"] == pytest.approx(63 / 1.1895, abs=1e-9)
    assert row["base_high"] == pytest.approx(64 / 1.1885, abs=1e-9)
