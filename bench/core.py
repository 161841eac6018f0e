"""Benchmark 1: core throughput of the derived table.

``tradecalc.analysis.derived_table.derived_columns`` against
(a) ``reference_numpy`` below: the same formulas written by hand in numpy with
    in-place operations, the practical limit on this machine;
(b) a per-row Python loop calling the scalar Excel UDFs (what a naive add-in
    does), run on a subsample and extrapolated per row.

Input (what "the input's size" means): the arrays a release gives the derived
table, all float64 except ``parent_pos`` (int64): value, yoy, parent_pos,
value_decimals, yoy_decimals, earlier_growth, years = 7 × 8 bytes = 56 bytes
per figure. Memory counted: the peak of everything the call allocates
(result columns included, 12 × 8 = 96 bytes per figure), traced by
``tracemalloc`` (numpy reports its buffers to it), in a run separate from the
timing runs.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from tradecalc.analysis.derived_table import derived_columns

OUTPUT_COLUMNS = (
    12  # what derived_columns returns (the 7 of the issue + earlier base, 2 growths, 2 bounds)
)


def make_inputs(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    """n synthetic figures: 1% totals (no parent), the rest parts of a random total.

    Values 1-1000 with 2 decimals, growth -50%..+150% with 1 decimal in percent,
    0.5% of values and growths missing (NaN), 10% with a two-year growth.
    """
    rng = np.random.default_rng(seed)
    roots = max(1, n // 100)
    value = np.round(rng.uniform(1, 1000, n), 2)
    yoy = np.round(rng.uniform(-0.5, 1.5, n), 3)
    value[rng.random(n) < 0.005] = np.nan
    yoy[rng.random(n) < 0.005] = np.nan
    parent_pos = rng.integers(0, roots, n, dtype=np.int64)
    parent_pos[:roots] = -1
    earlier = np.where(rng.random(n) < 0.1, np.round(rng.uniform(-0.3, 1.0, n), 3), np.nan)
    return {
        "value": value,
        "yoy": yoy,
        "parent_pos": parent_pos,
        "value_decimals": np.full(n, 2.0),
        "yoy_decimals": np.full(n, 1.0),
        "earlier_growth": earlier,
        "years": np.where(np.isnan(earlier), np.nan, 2.0),
    }


def input_bytes(inp: dict[str, np.ndarray]) -> int:
    return sum(a.nbytes for a in inp.values())


def call_tradecalc(inp):
    return derived_columns(
        inp["value"],
        inp["yoy"],
        inp["parent_pos"],
        value_decimals=inp["value_decimals"],
        yoy_decimals=inp["yoy_decimals"],
        earlier_growth=inp["earlier_growth"],
        years=inp["years"],
    )


def reference_numpy(inp) -> dict[str, np.ndarray]:
    """The derived columns written by hand: one pass per formula, in place where possible.

    Same definitions as tradecalc (base = v/(1+g); a growth ≤ -100% or a zero
    denominator gives NaN; bounds are the min/max over the corners of
    value ± half its last digit and growth ± half its last digit (in percent)).
    """
    v, g, pos = inp["value"], inp["yoy"], inp["parent_pos"]
    n = v.shape[0]
    out = {}
    with np.errstate(all="ignore"):
        f = g + 1.0
        f[f <= 0] = np.nan
        b = v / f
        out["base"] = b
        ch = v - b
        out["change"] = ch
        has = pos >= 0
        idx = np.where(has, pos, 0)
        pv = v[idx]
        pv[~has] = np.nan
        pb = b[idx]
        pb[~has] = np.nan
        pv[pv == 0] = np.nan
        pb[pb == 0] = np.nan
        share = v / pv
        out["share"] = share
        bshare = b / pb
        out["base_share"] = bshare
        scp = share - bshare
        scp *= 100.0
        out["share_change_pp"] = scp
        pull = ch / pb
        pull *= 100.0
        out["pull_pp"] = pull
        pv -= pb  # the parent's change
        pv[pv == 0] = np.nan
        out["contribution"] = np.divide(ch, pv, out=pv)
        del pb
        G = inp["earlier_growth"] + 1.0
        G[G <= 0] = np.nan
        out["earlier_base"] = v / G
        yrs = inp["years"].copy()
        yrs[yrs <= 0] = np.nan
        np.divide(1.0, yrs, out=yrs)
        out["average_growth"] = np.power(G, yrs, out=yrs) - 1.0
        G /= f
        G -= 1.0
        out["prior_growth"] = G
        # bounds of the base: corners of (value ± hv) / (1 + growth ± hg)
        vd, gd = inp["value_decimals"], inp["yoy_decimals"]
        hv = np.where(np.isnan(vd), 0.0, 0.5 * 10.0 ** -np.nan_to_num(vd))
        hg = np.where(np.isnan(gd), 0.0, 0.005 * 10.0 ** -np.nan_to_num(gd))
        lo = np.full(n, np.inf)
        hi = np.full(n, -np.inf)
        bad = np.zeros(n, dtype=bool)
        tmp = np.empty(n)
        fc = np.empty(n)
        for sv in (-1.0, 1.0):
            for sg in (-1.0, 1.0):
                np.multiply(hg, sg, out=fc)
                fc += f
                fc[fc <= 0] = np.nan
                np.multiply(hv, sv, out=tmp)
                tmp += v
                tmp /= fc
                np.fmin(lo, tmp, out=lo)
                np.fmax(hi, tmp, out=hi)
                bad |= np.isnan(tmp)
        lo[bad] = np.nan
        hi[bad] = np.nan
        out["base_low"], out["base_high"] = lo, hi
    return out


# --------------------------------------------------------------------------- scalar loop (b)

#: The seven scalar UDFs of the derived table, by the name the add-in gives them.
SCALAR_UDFS = (
    "trade_base",
    "trade_change",
    "trade_share",
    "trade_base_share",
    "trade_share_change",
    "trade_pull",
    "trade_contribution",
)


def scalar_functions():
    """(label, the 7 scalar callables) for the loop: the add-in's UDFs if importable."""
    try:
        from .udf import udfs

        u = udfs()
        # a cell arrives as [[x]] (xlwings, ndim=2): the loop pays that wrapping too
        fns = [
            (lambda f: lambda *xs: f(*[[[x]] for x in xs]))(getattr(u, name))
            for name in SCALAR_UDFS
        ]
        return "scalar UDFs (tradecalc_udfs), each cell passed as [[x]] like xlwings", fns
    except (
        ImportError,
        AttributeError,
    ) as e:  # the add-in not written yet: the core's scalar calls
        import tradecalc.calc.arithmetic as ar

        fns = [
            lambda v, g: ar.base(v, g, errors="nan"),
            lambda v, g: ar.change(v, g, errors="nan"),
            lambda p, w: ar.share(p, w, errors="nan"),
            lambda p, pg, w, wg: ar.base_share(p, pg, w, wg, errors="nan"),
            lambda p, pg, w, wg: ar.share_change_pp(p, pg, w, wg, errors="nan"),
            lambda p, pg, w, wg: ar.pull_pp(p, pg, w, wg, errors="nan"),
            lambda p, pg, w, wg: ar.contribution(p, pg, w, wg, errors="nan"),
        ]
        return f"scalar core calls (tradecalc_udfs unavailable: {type(e).__name__})", fns


def loop_rows_of(inp, rows: int) -> list[tuple]:
    """``rows`` figures spread evenly over the table, as the Python floats Excel would pass.

    Evenly spaced so the sample has the table's mix of totals (2 calls) and
    parts (7 calls); prepared outside the timing.
    """
    n = inp["value"].shape[0]
    idx = np.linspace(0, n - 1, rows).astype(np.int64)
    v, g, pos = inp["value"], inp["yoy"], inp["parent_pos"]
    out = []
    for i in idx.tolist():
        p = int(pos[i])
        out.append(
            (
                float(v[i]),
                float(g[i]),
                float(v[p]) if p >= 0 else None,
                float(g[p]) if p >= 0 else None,
            )
        )
    return out


def scalar_loop(rows: list[tuple], fns) -> None:
    """What a column of scalar UDFs does: 7 calls per figure, 2 for a figure without parent."""
    base, change, share, base_share, scp, pull, contribution = fns
    for vi, gi, pv, pg in rows:
        base(vi, gi)
        change(vi, gi)
        if pv is not None:
            share(vi, pv)
            base_share(vi, gi, pv, pg)
            scp(vi, gi, pv, pg)
            pull(vi, gi, pv, pg)
            contribution(vi, gi, pv, pg)


def check_same(a: dict, b: dict) -> None:
    """The reference must compute what tradecalc computes, or the ratio means nothing."""
    for k, x in b.items():
        np.testing.assert_allclose(a[k], x, rtol=1e-12, atol=0, equal_nan=True, err_msg=k)


def peak_bytes(fn, inp) -> int:
    """Peak bytes allocated (traced) while ``fn(inp)`` runs, its result included."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = fn(inp)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    return peak


def run(sizes, repeats_for, loop_rows: int, out) -> list[dict]:
    from ._timing import fmt_bytes, fmt_time, interleaved, table, verdict

    label, fns = scalar_functions()
    results = []
    for n in sizes:
        inp = make_inputs(n)
        check_same(call_tradecalc(inp), reference_numpy(inp))
        reps = repeats_for(n)
        rows = min(n, loop_rows)
        sample = loop_rows_of(inp, rows)
        # the loop runs in the first rounds only (it is slow), interleaved with the two vectorised candidates
        loop_reps = min(reps, 3)
        samples: dict = {}
        t = interleaved(
            {
                "tradecalc": lambda inp=inp: call_tradecalc(inp),
                "numpy": lambda inp=inp: reference_numpy(inp),
                "loop": lambda sample=sample: scalar_loop(sample, fns),
            },
            loop_reps,
            samples=samples,
        )
        lt = t["loop"] / rows
        if reps > loop_reps:
            t = interleaved(
                {
                    "tradecalc": lambda inp=inp: call_tradecalc(inp),
                    "numpy": lambda inp=inp: reference_numpy(inp),
                },
                reps - loop_reps,
                samples=samples,
            )
        mem_tc = peak_bytes(call_tradecalc, inp)
        mem_np = peak_bytes(reference_numpy, inp)
        ib = input_bytes(inp)
        results.append(
            dict(
                n=n,
                tc=t["tradecalc"],
                np=t["numpy"],
                loop_per_row=lt,
                loop_rows=rows,
                reps=reps,
                mem_tc=mem_tc,
                mem_np=mem_np,
                input=ib,
            )
        )
        del inp
        out(
            f"  n={n:>9,}: tradecalc {fmt_time(t['tradecalc'])}, numpy {fmt_time(t['numpy'])}, loop {fmt_time(lt)}/row ({rows:,} rows)"
        )
    rows = []
    for r in results:
        n = r["n"]
        ratio_np = r["tc"] / r["np"]
        speedup = r["loop_per_row"] * n / r["tc"]
        mem_ratio = r["mem_tc"] / r["input"]
        rows.append(
            [
                f"{n:,}",
                fmt_time(r["tc"]),
                f"{r['tc'] / n * 1e9:.0f} ns",
                fmt_time(r["np"]),
                f"{ratio_np:.2f}× ({verdict(ratio_np <= 2)})",
                f"{fmt_time(r['loop_per_row'])}/figure",
                f"{speedup:,.0f}× ({verdict(speedup >= 100)})",
                fmt_bytes(r["input"]),
                f"{fmt_bytes(r['mem_tc'])} = {mem_ratio:.2f}× ({verdict(mem_ratio <= 3)})",
                f"{r['mem_np'] / r['input']:.2f}×",
            ]
        )
    out(
        f"\nScalar loop: {label}; 7 calls per figure (2 for a figure without parent), run on "
        f"min(n, {loop_rows:,}) figures spread evenly over the table and extrapolated per figure."
    )
    out(
        table(
            [
                "figures",
                "tradecalc",
                "per figure",
                "numpy by hand",
                "ratio to numpy (≤2×)",
                "scalar loop",
                "speed-up on loop (≥100×)",
                "input",
                "peak alloc, ratio to input (≤3×)",
                "numpy peak / input",
            ],
            rows,
        )
    )
    return results
