"""tradecalc_udfs: the Excel functions (xlwings UDFs) of tradecalc.

Classic xlwings (Windows) imports this module by the name set in the
workbook's ``xlwings.conf`` sheet (``UDF Modules`` = ``tradecalc_udfs``);
xlwings Lite and xlwings Server register the same functions from it. Every
function is a plain Python function as well (xlwings' decorators do nothing
where there is no UDF runtime), so tests and other formula engines call them
directly. See docs/functions.md for the reference and the README for the
error policy.
"""

# isort: skip_file  (the import order is the order of the function reference)
# ruff: noqa: F401, E402  (the functions are re-exported; reloading comes before the imports)
from __future__ import annotations

import importlib as _importlib
import sys as _sys

#: The submodules in import order (REGISTRY order is the reference order).
_SUBMODULES = ("_excel", "arithmetic", "bounds", "text", "table", "checks", "status", "why")

_RELOADING = "REGISTRY" in globals()
if _RELOADING:
    # xlwings reloads this module (only this one) when its file changes, e.g. after an
    # upgrade: reload the submodules too, so old and new code never run side by side.
    # (The tradecalc core is not reloaded: after an upgrade, Restart UDF Server; README.)
    for _name in _SUBMODULES:
        _module = _sys.modules.get(f"{__name__}.{_name}")
        if _module is not None:
            _importlib.reload(_module)

from ._excel import BY_EXCEL_NAME, CATEGORY, REGISTRY
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
from .table import trade_table
from .checks import trade_checks  # after TRADE_TABLE
from .status import trade_status
from .why import trade_why  # imported last

__all__ = ["CATEGORY", "REGISTRY"] + [f.__name__ for f in REGISTRY]

if _RELOADING and f"{__name__}.reference" in _sys.modules:
    _importlib.reload(_sys.modules[f"{__name__}.reference"])  # it holds REGISTRY


def __getattr__(name: str):
    """``TRADE_BASE`` for ``trade_base``: classic xlwings calls the functions by Excel names."""
    f = BY_EXCEL_NAME.get(name)
    if f is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return f
