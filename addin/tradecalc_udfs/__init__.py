"""tradecalc_udfs: the Excel functions (xlwings UDFs) of tradecalc.

Classic xlwings (Windows) imports this module by the name set in the
workbook's ``xlwings.conf`` sheet (``UDF Modules`` = ``tradecalc_udfs``);
xlwings Lite and xlwings Server register the same functions from it. Every
function is a plain Python function as well (xlwings' decorators do nothing
where there is no UDF runtime), so tests and other formula engines call them
directly. See docs/functions.md for the reference and the README for the
error policy.
"""
from __future__ import annotations

from ._excel import CATEGORY, REGISTRY
from .arithmetic import (
    trade_avg_growth,
    trade_base,
    trade_base_share,
    trade_change,
    trade_compound,
    trade_contribution,
    trade_diff_growth,
    trade_fx_rate,
    trade_growth,
    trade_pp,
    trade_prior_growth,
    trade_pull,
    trade_reference_rate,
    trade_residual,
    trade_share,
    trade_share_change,
    trade_sum_growth,
)
from .bounds import (
    trade_base_bounds,
    trade_base_share_bounds,
    trade_change_bounds,
    trade_diff_growth_bounds,
    trade_fx_rate_bounds,
    trade_pull_bounds,
    trade_reference_rate_bounds,
    trade_residual_bounds,
    trade_share_bounds,
    trade_share_change_bounds,
)
from .text import trade_decimals, trade_number, trade_years
from .table import trade_table  # imported last: REGISTRY order is the reference order
from .checks import trade_checks  # noqa: E402  (after trade_table in the reference)

__all__ = ["CATEGORY", "REGISTRY"] + [f.__name__ for f in REGISTRY]
