"""The template workbook's layout: the contract between ``build`` and the readers.

Sheets and Excel Tables (names are case-sensitive in formulas):

* sheet ``About``: front page (what, release metadata, how to enable the UDFs, function list);
* sheet ``Figures``, Table ``Figures``: one row per figure, columns :data:`FIGURE_COLUMNS`, then
  the calculated columns of :data:`tradecalc.workbook.formulas.CALCULATED_COLUMNS` (read by nobody:
  they are recomputed);
* sheet ``Breakdowns``, Table ``Breakdowns``: columns :data:`BREAKDOWN_COLUMNS`;
* sheet ``Statements``, Table ``Statements``: columns :data:`STATEMENT_COLUMNS`;
* sheet ``Release``, Table ``Release``: two columns ``key``, ``value`` (release metadata);
* sheets ``Derived`` and ``Checks``: dynamic arrays over the Tables (``TRADE_CHECKS`` for the checks);
* sheet ``xlwings.conf``: the settings classic xlwings reads.

In the workbook, values are numbers in the release's unit, growth rates are
fractions shown as ``0.0%``, and ``*_decimals`` hold the published precision
(digits after the point as printed, in percent for rates).
"""

from tradecalc.model.release import (
    BREAKDOWN_COLUMNS,
    FIGURE_COLUMNS,
    RELEASE_KEYS,
    STATEMENT_COLUMNS,
)

FIGURES_SHEET = FIGURES_TABLE = "Figures"
BREAKDOWNS_SHEET = BREAKDOWNS_TABLE = "Breakdowns"
STATEMENTS_SHEET = STATEMENTS_TABLE = "Statements"
RELEASE_SHEET = RELEASE_TABLE = "Release"
DERIVED_SHEET = "Derived"
CHECKS_SHEET = "Checks"
ABOUT_SHEET = "About"
XLWINGS_CONF_SHEET = "xlwings.conf"
UDF_MODULE = "tradecalc_udfs"

__all__ = [
    "FIGURE_COLUMNS",
    "BREAKDOWN_COLUMNS",
    "STATEMENT_COLUMNS",
    "RELEASE_KEYS",
    "FIGURES_SHEET",
    "FIGURES_TABLE",
    "BREAKDOWNS_SHEET",
    "BREAKDOWNS_TABLE",
    "STATEMENTS_SHEET",
    "STATEMENTS_TABLE",
    "RELEASE_SHEET",
    "RELEASE_TABLE",
    "DERIVED_SHEET",
    "CHECKS_SHEET",
    "ABOUT_SHEET",
    "XLWINGS_CONF_SHEET",
    "UDF_MODULE",
]
