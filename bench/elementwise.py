"""Benchmark 6: every element-wise function against its bare numpy expression.

Each ``tradecalc`` function (default ``errors="raise"``, so its domain checks
run) is timed against the expression an analyst would type in numpy for the
same formula, on the same float64 arrays, interleaved, medians. Target: every
ratio ≤ 1.3× at 10^6 elements.

Inputs (``make_inputs``): values 1–1000 with 2 decimals, wholes 1.5–4× their
part, growths -50%…+150%, years 1–5, 0.5% of every array missing (NaN), as in
a release with gaps; no growth of a whole is exactly 0, so every input is
inside the domain of every formula (else errors="raise" would raise). The bare expression gives NaN where an input is missing,
and no domain check at all.
"""

from __future__ import annotations

import numpy as np

import tradecalc as tc
from bench._timing import fmt_time, interleaved, table, verdict

TARGET = 1.3


def make_inputs(n: int, seed: int = 16) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def gaps(a):
        a[rng.random(n) < 0.005] = np.nan
        return a

    def nonzero(g):  # a whole whose growth is 0 has no contribution: keep inside the domain
        g[g == 0] = 0.001
        return g

    p = np.round(rng.uniform(1, 1000, n), 2)
    return {
        "p": gaps(p.copy()),
        "gp": gaps(np.round(rng.uniform(-0.5, 1.5, n), 3)),
        "w": gaps(np.round(p * rng.uniform(1.5, 4.0, n), 2)),
        "gw": gaps(nonzero(np.round(rng.uniform(-0.4, 1.2, n), 3))),
        "q": gaps(
            np.round(p * rng.uniform(0.1, 0.3, n), 2)
        ),  # a smaller figure, e.g. a month of the total
        "gq": gaps(np.round(rng.uniform(-0.2, 0.8, n), 3)),
        "years": gaps(rng.integers(1, 6, n).astype(float)),
    }


def cases(x: dict[str, np.ndarray]) -> dict[str, tuple]:
    """name → (tradecalc call, bare numpy expression), both without arguments."""
    p, gp, w, gw, n, q, gq = (x[k] for k in ("p", "gp", "w", "gw", "years", "q", "gq"))
    b = w / (1 + gw)  # a base for growth(): the whole's base
    return {
        "base": (lambda: tc.base(p, gp), lambda: p / (1 + gp)),
        "growth": (lambda: tc.growth(w, b), lambda: w / b - 1),
        "change": (lambda: tc.change(p, gp), lambda: p - p / (1 + gp)),
        "share": (lambda: tc.share(p, w), lambda: p / w),
        "base_share": (
            lambda: tc.base_share(p, gp, w, gw),
            lambda: (p / (1 + gp)) / (w / (1 + gw)),
        ),
        "share_change_pp": (
            lambda: tc.share_change_pp(p, gp, w, gw),
            lambda: 100 * (p / w - (p / (1 + gp)) / (w / (1 + gw))),
        ),
        "pp": (lambda: tc.pp(gp, gw), lambda: 100 * (gp - gw)),
        "reference_rate": (lambda: tc.reference_rate(gp, p), lambda: gp - p / 100),
        "pull_pp": (
            lambda: tc.pull_pp(p, gp, w, gw),
            lambda: 100 * (p - p / (1 + gp)) / (w / (1 + gw)),
        ),
        "contribution": (
            lambda: tc.contribution(p, gp, w, gw),
            lambda: (p - p / (1 + gp)) / (w - w / (1 + gw)),
        ),
        "average_growth": (lambda: tc.average_growth(gp, n), lambda: (1 + gp) ** (1 / n) - 1),
        "prior_growth": (lambda: tc.prior_growth(gp, gw), lambda: (1 + gp) / (1 + gw) - 1),
        "difference_growth": (
            lambda: tc.difference_growth(p, gp, q, gq),
            lambda: (p - q) / (p / (1 + gp) - q / (1 + gq)) - 1,
        ),
        "implied_rate": (lambda: tc.implied_rate(w, p), lambda: w / p),
    }


def check_same(ours, bare, name: str) -> None:
    """Both give the same numbers (the bare expression has no domain rule; none applies here)."""
    np.testing.assert_allclose(ours, bare, rtol=1e-12, equal_nan=True, err_msg=name)


def run(n: int, repeats: int, out) -> dict[str, float]:
    """Print the table; return name → ratio (tradecalc / bare numpy)."""
    x = make_inputs(n)
    rows, ratios = [], {}
    for name, (ours, bare) in cases(x).items():
        check_same(ours(), bare(), name)
        t = interleaved({"tc": ours, "np": bare}, repeats)
        ratios[name] = t["tc"] / t["np"]
        rows.append(
            [
                f"`{name}`",
                fmt_time(t["tc"]),
                fmt_time(t["np"]),
                f"{ratios[name]:.2f}×",
                verdict(ratios[name] <= TARGET),
            ]
        )
    out(f"{n:,} elements, 0.5% missing in each input, {repeats} interleaved rounds, medians:\n")
    out(table(["function", "tradecalc", "bare numpy", f"ratio (≤ {TARGET}×)", "target"], rows))
    return ratios
