"""Benchmark 2: UDF overhead.

(a) One scalar UDF call against the bare arithmetic it wraps. The UDF gets its
    arguments as classic xlwings passes them with ``ndim=2`` (a cell is
    ``[[x]]``) and does everything it does in Excel: coercion, the numpy call,
    NaN/domain handling, the result as a Python float or an error text.
    "Bare arithmetic" is the same tradecalc function called on Python floats
    (``tradecalc.base(180.24, 0.604)``); a plain Python expression is shown
    for scale. Excel's own cost of calling Python (COM, xlwings marshalling,
    milliseconds) is outside this measure: there is no Excel on this machine.
    Target: under 5 µs per call above the arithmetic. Single cells take the
    add-in's single-cell path (``_excel.single_cells``); shown alongside: the
    errors="nan" call that path makes, and the range path (1×1 numpy arrays),
    which is what a single cell cost before that path existed.
(b) One TRADE_TABLE call over the Figures range of 10^4 figures against 10^4
    scalar calls (one TRADE_BASE per figure), and against the 7 scalar UDFs per
    figure that fill the same derived columns by hand.
"""

from __future__ import annotations

import numpy as np

from ._timing import fmt_time, interleaved, interleaved_loops, table, verdict


def udfs():
    """The add-in module holding the UDFs (its package, or the arithmetic submodule)."""
    import tradecalc_udfs

    if hasattr(tradecalc_udfs, "trade_base"):
        return tradecalc_udfs
    from tradecalc_udfs import arithmetic

    return arithmetic


def trade_table_function():
    import importlib

    for mod in (
        "tradecalc_udfs",
        "tradecalc_udfs.table",
        "tradecalc_udfs.tables",
        "tradecalc_udfs.release",
    ):
        try:
            m = importlib.import_module(mod)
        except ImportError:
            continue
        if hasattr(m, "trade_table"):
            return m.trade_table
    raise ImportError("no trade_table in tradecalc_udfs yet")


def figures_range(n: int) -> list[list]:
    """The Figures table of a synthetic release of n figures as Excel hands it over: header + rows."""
    from tradecalc.model.release import FIGURE_COLUMNS
    from tradecalc.model.releasefile import load

    from .build import synthetic_release

    rel = load(synthetic_release(n))
    rows = [list(FIGURE_COLUMNS)]
    for f in rel.figures:
        row = []
        for c in FIGURE_COLUMNS:
            v = getattr(f, c)
            if isinstance(v, float) and v != v:
                v = None
            row.append("" if v is None and c in ("id",) else v)
        rows.append(row)
    return rows


def run(quick: bool, out) -> dict:
    import tradecalc as tc

    u = udfs()
    number = 300 if quick else 2_000  # calls per timed sample
    repeats = 5 if quick else 15
    cell = lambda x: [[x]]  # noqa: E731  a single cell as xlwings passes it with ndim=2
    v, g, w, wg = cell(112.32), cell(0.757), cell(180.24), cell(0.604)
    assert abs(u.trade_base(cell(180.24), cell(0.604)) - 112.369) < 1e-3
    assert str(u.trade_base(cell(180.24), cell(-1.2))).startswith("#NUM!")
    base_ref, base_nan = "tradecalc.base(180.24, 0.604)", 'tradecalc.base(.., errors="nan")'
    contrib_ref, contrib_nan = (
        "tradecalc.contribution(4 floats)",
        'tradecalc.contribution(.., errors="nan")',
    )
    v1, g1 = np.array([[180.24]], dtype=object), np.array([[0.604]], dtype=object)
    cands = {
        "python: v / (1 + g)": lambda: 180.24 / (1 + 0.604),
        base_ref: lambda: tc.base(180.24, 0.604),
        # what the UDF calls: errors="nan" skips the any() of the domain check, so it is cheaper
        base_nan: lambda: tc.base(180.24, 0.604, errors="nan"),
        "TRADE_BASE([[180.24]], [[0.604]])": lambda: u.trade_base(cell(180.24), cell(0.604)),
        'TRADE_BASE(.., [["60.4%"]]) (text)': lambda: u.trade_base(cell(180.24), cell("60.4%")),
        "TRADE_BASE(.., [[-1.2]]) → #NUM!": lambda: u.trade_base(cell(180.24), cell(-1.2)),
        "TRADE_BASE([[None]], ..) → blank": lambda: u.trade_base(cell(None), cell(0.604)),
        # a 1×1 numpy array still takes the range path: what every single cell cost before the
        # single-cell path was added to the add-in (README, benchmark 2)
        "TRADE_BASE(1×1 arrays), range path": lambda: u.trade_base(v1, g1),
        contrib_ref: lambda: tc.contribution(112.32, 0.757, 180.24, 0.604),
        contrib_nan: lambda: tc.contribution(112.32, 0.757, 180.24, 0.604, errors="nan"),
        "TRADE_CONTRIBUTION(4 cells)": lambda: u.trade_contribution(v, g, w, wg),
    }
    t = interleaved_loops(cands, number=number, repeats=repeats)
    rows = []
    for name, s in t.items():
        ref, nan_ref = (
            (contrib_ref, contrib_nan) if "ontribution" in name.lower() else (base_ref, base_nan)
        )
        if name.startswith("TRADE_"):
            over, over_nan = s - t[ref], s - t[nan_ref]
            rows.append(
                [
                    name,
                    fmt_time(s),
                    f"{s / t[ref]:.2f}×",
                    f"{fmt_time(over)} ({verdict(over < 5e-6)})",
                    fmt_time(over_nan),
                ]
            )
        elif name == ref:
            rows.append([name, fmt_time(s), "reference", "", ""])
        else:
            rows.append([name, fmt_time(s), f"{s / t[ref]:.2f}×", "", ""])
    out(f"Per call, medians of {repeats} interleaved rounds of {number:,} calls.")
    out(
        table(
            [
                "call",
                "time per call",
                "ratio to bare arithmetic",
                "above arithmetic (target < 5 µs)",
                'above the errors="nan" call',
            ],
            rows,
        )
    )
    result = {"scalar": t}

    # (b) TRADE_TABLE over 10^4 figures
    n = 1_000 if quick else 10_000
    try:
        trade_table = trade_table_function()
    except ImportError as e:
        out(
            f"\nTRADE_TABLE over {n:,} figures: NOT RUN ({e}); this part runs once the add-in defines trade_table."
        )
        return result
    rng = figures_range(n)
    cols = {c: i for i, c in enumerate(rng[0])}
    body = rng[1:]
    ids = {r[cols["id"]]: r for r in body}
    cells = [(cell(r[cols["value"]]), cell(r[cols["yoy"]]), r[cols["parent"]]) for r in body]

    def scalar_base():
        for val, gr, _ in cells:
            u.trade_base(val, gr)

    def scalar_seven():
        for val, gr, parent in cells:
            u.trade_base(val, gr)
            u.trade_change(val, gr)
            p = ids.get(parent)
            if p is not None:
                pv, pg = cell(p[cols["value"]]), cell(p[cols["yoy"]])
                u.trade_share(val, pv)
                u.trade_base_share(val, gr, pv, pg)
                u.trade_share_change(val, gr, pv, pg)
                u.trade_pull(val, gr, pv, pg)
                u.trade_contribution(val, gr, pv, pg)

    res = trade_table(rng)
    shape = (
        f"{len(res)}×{len(res[0])}"
        if isinstance(res, list) and res and isinstance(res[0], list)
        else type(res).__name__
    )
    reps = 3 if quick else 5
    tt = interleaved(
        {"table": lambda: trade_table(rng), "base": scalar_base, "seven": scalar_seven}, reps
    )
    out(
        f"\nTRADE_TABLE over {n:,} figures (the Figures range with its header, {len(rng[0])} columns; result {shape}), "
        f"medians of {reps} interleaved rounds."
    )
    out(
        table(
            ["call", "time", "per figure", "ratio to TRADE_TABLE"],
            [
                ["TRADE_TABLE(Figures)", fmt_time(tt["table"]), fmt_time(tt["table"] / n), "1"],
                [
                    f"{n:,} × TRADE_BASE",
                    fmt_time(tt["base"]),
                    fmt_time(tt["base"] / n),
                    f"{tt['base'] / tt['table']:.1f}×",
                ],
                [
                    f"{n:,} × 7 scalar UDFs (same columns)",
                    fmt_time(tt["seven"]),
                    fmt_time(tt["seven"] / n),
                    f"{tt['seven'] / tt['table']:.1f}×",
                ],
            ],
        )
    )
    result["table"] = tt
    return result
