"""Benchmark 9: bounds within rounding against a hand-written corner evaluation.

``bounds.base_bounds`` and ``bounds.pull_pp_bounds`` (``tradecalc/calc/bounds.py``)
against the same corners written by hand in numpy: every corner of the box
centre ± half a printed digit, evaluated with the bare expression, then
``fmin``/``fmax`` over the corners. Target ≤ 1.5×, 10^6 figures.
"""

from __future__ import annotations

import itertools

import numpy as np

from bench._timing import fmt_time, interleaved, table, verdict

TARGET = 1.5


def _hand(func, centres, halves):
    lo = hi = None
    for signs in itertools.product((-1.0, 1.0), repeat=len(centres)):
        r = func(*[c + s * h for c, s, h in zip(centres, signs, halves)])
        lo, hi = (r, r) if lo is None else (np.fmin(lo, r), np.fmax(hi, r))
    return lo, hi


def run(n: int, repeats: int, out) -> dict[str, float]:
    from tradecalc.calc import bounds

    rng = np.random.default_rng(9)
    p = np.round(rng.uniform(1, 1000, n), 2)
    gp = np.round(rng.uniform(-0.5, 1.5, n), 3)
    w = np.round(p * rng.uniform(1.5, 4.0, n), 2)
    gw = np.round(rng.uniform(0.05, 1.2, n), 3)
    d2, d1 = np.full(n, 2.0), np.full(n, 1.0)
    hv, hg = np.full(n, 0.005), np.full(n, 0.0005)  # half of 0.01; half of 0.1% as a fraction
    cases = {
        "base_bounds": (
            lambda: bounds.base_bounds(p, gp, d2, d1),
            lambda: _hand(lambda v, g: v / (1 + g), [p, gp], [hv, hg]),
        ),
        "pull_pp_bounds": (
            lambda: bounds.pull_pp_bounds(p, gp, w, gw, d2, d1, d2, d1),
            lambda: _hand(
                lambda a, ga, b, gb: 100 * (a - a / (1 + ga)) / (b / (1 + gb)),
                [p, gp, w, gw],
                [hv, hg, hv, hg],
            ),
        ),
    }
    rows, ratios = [], {}
    for name, (ours, hand) in cases.items():
        (lo, hi), (hlo, hhi) = ours(), hand()
        np.testing.assert_allclose(lo, hlo, rtol=1e-12)
        np.testing.assert_allclose(hi, hhi, rtol=1e-12)
        t = interleaved({"tc": ours, "hand": hand}, repeats)
        ratios[name] = t["tc"] / t["hand"]
        rows.append(
            [
                f"`{name}`",
                fmt_time(t["tc"]),
                fmt_time(t["hand"]),
                f"{ratios[name]:.2f}×",
                verdict(ratios[name] <= TARGET),
            ]
        )
    out(f"{n:,} figures, {repeats} interleaved rounds, medians:\n")
    out(table(["bounds", "tradecalc", "corners by hand", f"ratio (≤ {TARGET}×)", "target"], rows))
    return ratios
