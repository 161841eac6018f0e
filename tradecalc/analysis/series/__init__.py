"""Series across releases: single periods out of cumulative releases, and revisions.

Customs releases are cumulative (January-February, Q1, January-April, ...). Given the
releases of one publisher, this module lines their figures up by series and period and
derives, for every series, one row per period:

* the cumulative figure as published (the latest release that prints it);
* the single period since the previous cumulative figure of the same year: value
  ``cumulative - previous`` with :func:`tradecalc.calc.bounds.residual_bounds`, growth
  :func:`tradecalc.calc.arithmetic.difference_growth` with
  :func:`~tradecalc.calc.bounds.difference_growth_bounds`, and its prior-year base with
  :func:`~tradecalc.calc.bounds.base_difference_bounds`;
* what any release states about that single period, judged with
  :func:`tradecalc.analysis.status.judge` (the one status rule).

And, per series and period, the *vintages*: the period's figure as each release states it,
or implies it on its own (January-April minus April gives Q1). Two vintages that differ
beyond rounding are a **revision**, reported with its size, not an error hidden in a sum.

Matching. A figure's series key is its ``series`` (``series = "total"``), else its ``id``:
the ``series`` of a figure is the explicit link between releases whose ids or labels differ.
Releases are grouped by publisher (the text before any parenthesis: "Chongqing Customs
(reported by Xinhua)" is "Chongqing Customs") and by ``region`` when ``[release]`` gives
one; groups are kept apart, with a note. Currencies stay apart (a series is keyed by its
currency too); units of one currency convert exactly (``scale_of``): a series is kept in
its coarsest published unit, so every printed precision stays a whole number of decimals
(759.29 billion yuan is 0.75929 trillion yuan, exact to 5 decimals).

Worked example (General Administration of Customs, 2021, trillion yuan): Q1 total 8.47
(+29.2%) and January-April 11.62 (+28.5%) give April alone 3.15 in [3.14, 3.16], growth
26.65% in [26.34%, 26.97%]; the January-April release states "3.15 trillion yuan in April
alone, up 26.6 per cent": consistent, and consistent within rounding. The surplus: Q1
759.29 billion, January-April 1.02 trillion give April 0.26071 trillion (260.71 billion)
in [255.71, 265.71] billion against the stated 276.5: inconsistent, because January-April
minus April implies a Q1 surplus of 743.5 billion, 15.79 billion below the 759.29 the Q1
release printed: the Q1 surplus was revised.
"""

from __future__ import annotations

from tradecalc.analysis.series.matching import (
    FLOW_SERIES,
    Observation,
    SeriesError,
    included_series,
    observations,
    order_releases,
    release_group,
    series_key,
    to_unit,
    worst,
)
from tradecalc.analysis.series.revisions import REVISION_COLUMNS, REVISION_UNITS, Vintage, vintages
from tradecalc.analysis.series.single import PERIOD_COLUMNS, PERIOD_UNITS
from tradecalc.analysis.series.tables import FIGURE_COLUMNS, SeriesTables, series

__all__ = [
    "FLOW_SERIES", "PERIOD_COLUMNS", "PERIOD_UNITS", "REVISION_COLUMNS", "REVISION_UNITS",
    "FIGURE_COLUMNS", "SeriesError", "SeriesTables", "Observation", "Vintage", "series",
    "observations", "vintages", "release_group", "series_key", "to_unit", "order_releases",
    "included_series", "worst",
]  # fmt: skip
