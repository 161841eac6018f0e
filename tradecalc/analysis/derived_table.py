"""The derived table: what each published figure implies.

One row per figure. Money columns are in the figure's unit; rates and shares
are fractions; ``*_pp`` columns are percentage points. Parent-relative columns
(share, base share, share change, pull, contribution) use the figure's parent
(the total it is a part of) and are NaN for a figure without one.

For Chongqing Q1 2021, exports (112.32, +75.7%) in total trade (180.24,
+60.4%): base 63.93, change 48.39, share 62.3%, base share 56.9%, share change
+5.4 pp, pull 43.1 pp, contribution 71.3%.
"""

from __future__ import annotations

import numpy as np

from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd

#: Derived columns in order, with their unit kind: "money" (the figure's unit),
#: "fraction" or "pp".
DERIVED_COLUMNS = {
    "base": "money",
    "change": "money",
    "share": "fraction",
    "base_share": "fraction",
    "share_change_pp": "pp",
    "pull_pp": "pp",
    "contribution": "fraction",
    "earlier_base": "money",
    "average_growth": "fraction",
    "prior_growth": "fraction",
    "base_low": "money",
    "base_high": "money",
}


def _take(a: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """a[pos] with NaN where pos is -1 (no parent)."""
    out = a[np.where(pos >= 0, pos, 0)]
    return np.where(pos >= 0, out, np.nan)


def derived_columns(
    value,
    yoy,
    parent_pos,
    *,
    value_decimals=None,
    yoy_decimals=None,
    earlier_growth=None,
    years=None,
    parent_scale=None,
) -> dict[str, np.ndarray]:
    """Compute every derived column for arrays of figures.

    ``parent_pos[i]`` is the row of figure i's parent, or -1. Decimals are the
    published precision (NaN = unknown, taken as exact in the bounds);
    ``earlier_growth`` is growth against ``years`` years earlier.
    ``parent_scale[i]`` (default 1) multiplies figure i's value into its parent's
    unit for the parent-relative columns: 112,320 million yuan under a total of
    180.24 billion is 112.32 billion, a share of 62.3% (not 623 times the total);
    NaN (a part in another currency) leaves those columns blank.
    """
    v = np.asarray(value, dtype=float)
    g = np.asarray(yoy, dtype=float)
    pos = np.asarray(parent_pos, dtype=np.int64)
    n = v.shape[0]

    def given(x):
        return np.full(n, np.nan) if x is None else np.asarray(x, dtype=float)

    # Peak memory (bench/core.py): the bounds' corner temporaries come first;
    # the arithmetic works on cache-sized blocks, so the parent-relative
    # columns add only the parents' values and growths (two arrays) beside the result.
    base_low, base_high = bd.base_bounds(v, g, given(value_decimals), given(yoy_decimals))
    pv, pg = _take(v, pos), _take(g, pos)  # each figure's parent (NaN without one)
    vp = v if parent_scale is None else v * np.asarray(parent_scale, dtype=float)
    out = {
        "base": ar.base(v, g, errors="nan"),
        "change": ar.change(v, g, errors="nan"),
        "share": ar.share(vp, pv, errors="nan"),
        "base_share": ar.base_share(vp, g, pv, pg, errors="nan"),
        "share_change_pp": ar.share_change_pp(vp, g, pv, pg, errors="nan"),
        "pull_pp": ar.pull_pp(vp, g, pv, pg, errors="nan"),
        "contribution": ar.contribution(vp, g, pv, pg, errors="nan"),
    }
    del pv, pg, vp
    G, yrs = given(earlier_growth), given(years)
    out["earlier_base"] = ar.base(v, G, errors="nan")
    out["average_growth"] = ar.average_growth(G, yrs, errors="nan")
    out["prior_growth"] = ar.prior_growth(G, g, errors="nan")
    out["base_low"], out["base_high"] = base_low, base_high
    return out


def parent_scales(units, parent_pos) -> np.ndarray | None:
    """Multiplier of each figure's value into its parent's unit (:func:`checks.context.factor`).

    1 without a parent; NaN for a parent in another currency. None when every
    figure has its parent's unit (the common case: nothing to convert).

    >>> parent_scales(["billion yuan", "million yuan"], np.array([-1, 0])).tolist()
    [1.0, 0.001]
    """
    from tradecalc.analysis.checks.context import factor

    pairs = {(units[i], units[p]) for i, p in enumerate(parent_pos.tolist()) if p >= 0}
    if all(a == b for a, b in pairs):
        return None
    known = {pair: factor(*pair) for pair in pairs}
    return np.array(
        [known[(units[i], units[p])] if p >= 0 else 1.0 for i, p in enumerate(parent_pos.tolist())],
        dtype=float,
    )


def parent_positions(ids, parents) -> np.ndarray:
    """Row of each parent id among ``ids`` (the last row of an id given twice; -1 where blank or unknown).

    Only the ids that are someone's parent are indexed: a release has few parents, and
    a dict of every id (10^5 of them) outgrows the CPU caches, which made this step
    grow ×13.6 for ×10 figures (×8.9 now, 14.2 → 7.4 ms at 10^5; issue 16).

    >>> parent_positions(["total", "exports", "imports"], ["", "total", "total"]).tolist()
    [-1, 0, 0]
    """
    wanted = set(parents)
    index = {}
    for i, k in enumerate(ids):
        if k in wanted:
            index[k] = i
    return np.fromiter(
        (index.get(p, -1) if p else -1 for p in parents), dtype=np.int64, count=len(parents)
    )


def derive(release):
    """The derived table of a release as a DataFrame indexed by figure id.

    Columns: the figure's id, label, period, unit, value, yoy, then
    :data:`DERIVED_COLUMNS`, plus ``earlier_growth`` and ``years`` where a
    multi-year growth is given: :func:`derived_fields` as a frame.
    """
    import pandas as pd

    return pd.DataFrame(derived_fields(release)).set_index("id", drop=False)


def derived_fields(release) -> dict:
    """The columns of :func:`derive`, by name, without pandas: lists and float arrays.

    The one engine of the derived table; the workbook build writes its sheets
    from these columns and so never imports pandas (42 MiB of a build's memory,
    issue 16). Chongqing Q1 2021: ``derived_fields(r)["base"]`` of exports
    (112.32, +75.7%) is 63.93.
    """
    from tradecalc.model.periods import Period

    figs = release.figures
    # each field gathered once (one pass per field: at 10^5 figures every pass over the
    # figures is a walk through memory the caches do not hold)
    ids = [f.id for f in figs]
    parents = [f.parent for f in figs]
    units = [f.unit for f in figs]
    # the numbers as arrays once, for the computation and the table alike (reading 10^5
    # float objects scattered in memory costs about as much as the arithmetic on them)
    values = np.array([f.value for f in figs], dtype=float)
    yoys = np.array([f.yoy for f in figs], dtype=float)
    earlier = np.array([f.earlier_growth for f in figs], dtype=float)
    years = np.array(
        [
            Period.parse(f.period).years_after(Period.parse(f.earlier_period))
            if f.earlier_period
            else np.nan
            for f in figs
        ],
        dtype=float,
    )
    pos = parent_positions(ids, parents)
    cols = derived_columns(
        values,
        yoys,
        pos,
        parent_scale=parent_scales(units, pos),
        value_decimals=[f.value_decimals for f in figs],  # None (unknown) → NaN in the array
        yoy_decimals=[f.yoy_decimals for f in figs],
        earlier_growth=earlier,
        years=years,
    )
    _qualified_base_bounds(cols, figs)
    return {
        "id": ids,
        "label": [f.label for f in figs],
        "period": [f.period for f in figs],
        "parent": parents,
        "unit": units,
        "value": values,
        "yoy": yoys,
        "earlier_growth": earlier,
        "years": years,
        **cols,
    }


def _qualified_base_bounds(cols, figs) -> None:
    """Base bounds of figures printed with a qualifier ("more than 800", "about 700"): the base
    over the qualified intervals of value and growth (:func:`bd.qualified_interval`), not just
    their rounding; "exceeding 800", +32.8% gives [602.18, 677.97]."""
    rows = [i for i, f in enumerate(figs) if f.value_qualifier or f.yoy_qualifier]
    if not rows:
        return
    sel = [figs[i] for i in rows]

    def dec(x):
        return np.array([np.nan if d is None else d for d in x], dtype=float)

    vq = np.array([f.value_qualifier for f in sel], dtype=object)
    gq = np.array([f.yoy_qualifier for f in sel], dtype=object)
    v_lo, v_hi = bd.qualified_interval(
        np.array([f.value for f in sel], dtype=float), dec(f.value_decimals for f in sel), vq
    )
    g_lo, g_hi = bd.qualified_interval(
        np.array([f.yoy for f in sel], dtype=float),
        dec(f.yoy_decimals for f in sel),
        gq,
        percent=True,
    )
    lo, hi = bd.base_interval_bounds(v_lo, v_hi, g_lo, g_hi)
    cols["base_low"][rows], cols["base_high"][rows] = lo, hi


def column_units(unit: str) -> dict[str, str]:
    """Unit of every column of the derived table, for CSV/JSON consumers."""
    kinds = {
        "value": "money",
        "yoy": "fraction",
        "earlier_growth": "fraction",
        "years": "years",
        **DERIVED_COLUMNS,
    }
    return {c: (unit if k == "money" else k) for c, k in kinds.items()}
