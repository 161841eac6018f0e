"""Synthetic release files for the build and read benchmarks.

``python bench/synthetic.py N -o out.toml`` writes a valid release file of N
figures (N ≥ 8) shaped like a customs release: a quarter's total with its
exports and imports (a complete breakdown whose printed values add up
exactly), the same for the last month, and N - 6 parts spread over three
partial breakdowns (partners of the total, products of exports, goods of
imports) whose values add up to less than their parent. Values are printed
with 2 decimals, growth rates with 1 decimal in percent; one figure in ten
also has a growth on two years earlier. Deterministic for a given N and seed.

The file is written through tradecalc's own writer and loaded back before
being saved, so it is a release file the project accepts.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path


def release_dict(n: int, seed: int = 2021) -> dict:
    """The release as the dict a release file holds (numbers as printed text)."""
    if n < 8:
        raise ValueError("a synthetic release needs at least 8 figures")
    rng = random.Random(seed)

    def pct(lo=-50.0, hi=150.0):
        return f"{rng.uniform(lo, hi):.1f}%"

    def money(x):
        return f"{x:.2f}"

    figures, breakdowns = [], []
    scale = 10.0 * n  # parts stay well above 0.01 whatever n is
    for suffix, period, label in (("", "2021-Q1", "Q1"), ("-march", "2021-03", "March")):
        exp_c, imp_c = (
            round(rng.uniform(0.5, 0.7) * scale * 100),
            round(rng.uniform(0.3, 0.5) * scale * 100),
        )
        bid = f"flow{suffix or '-q1'}"
        breakdowns.append(
            {
                "id": bid,
                "parent": f"total{suffix}",
                "kind": "complete",
                "label": f"Exports and imports, {label}",
            }
        )
        figures.append(
            {
                "id": f"total{suffix}",
                "label": f"Total foreign trade, {label}",
                "period": period,
                "flow": "total",
                "series": "total",
                "value": money((exp_c + imp_c) / 100),
                "yoy": pct(0, 80),
                **(
                    {"earlier_growth": pct(10, 60), "earlier_period": "2019-Q1"}
                    if not suffix
                    else {}
                ),
            }
        )
        for flow, cents in (("exports", exp_c), ("imports", imp_c)):
            figures.append(
                {
                    "id": f"{flow}{suffix}",
                    "label": f"{flow.capitalize()}, {label}",
                    "period": period,
                    "flow": flow,
                    "series": flow,
                    "breakdown": bid,
                    "parent": f"total{suffix}",
                    "value": money(cents / 100),
                    "yoy": pct(0, 80),
                }
            )
    parents = {f["id"]: float(f["value"]) for f in figures[:3]}
    groups = (
        ("partners", "total", "total", "By partner (selected)"),
        ("export-products", "exports", "exports", "Exports by product (selected)"),
        ("import-goods", "imports", "imports", "Imports by kind of goods (selected)"),
    )
    for bid, parent, flow, label in groups:
        breakdowns.append({"id": bid, "parent": parent, "kind": "partial", "label": label})
    labels = {
        "partners": "Partner",
        "export-products": "Export product",
        "import-goods": "Imported good",
    }
    rest = n - len(figures)
    for i in range(rest):
        bid, parent, flow, _ = groups[i % 3]
        count = rest // 3 + (1 if i % 3 < rest % 3 else 0)
        share = rng.uniform(0.2, 1.6) * 0.5 / count  # on average the parts cover half the parent
        # no "parent" key: a breakdown member's parent is the breakdown's (keeps 10^5 figures under the 20 MiB file limit)
        fig = {
            "id": f"{bid}-{i // 3 + 1}",
            "label": f"{labels[bid]} {i // 3 + 1}",
            "period": "2021-Q1",
            "flow": flow,
            "breakdown": bid,
            "value": money(max(0.01, parents[parent] * share)),
            "yoy": pct(),
        }
        if i % 10 == 0:
            fig["earlier_growth"], fig["earlier_period"] = pct(-30, 100), "2019-Q1"
        figures.append(fig)
    statements = [
        {
            "id": "total-usd",
            "kind": "conversion",
            "figure": "total",
            "value": money(parents["total"] / 6.49),
            "unit": "billion USD",
            "approximate": True,
            "sentence": "Synthetic: the total in U.S. dollars.",
        },
        {
            "id": "total-vs-national",
            "kind": "pp_difference",
            "figure": "total",
            "value": "31.2",
            "reference": "a national growth rate",
            "sentence": "Synthetic: 31.2 percentage points higher than the country.",
        },
    ]
    meta = {
        "id": f"synthetic-{n}",
        "title": f"Synthetic release of {n} figures (bench/synthetic.py)",
        "publisher": "tradecalc benchmarks",
        "published": "2021-04-24",
        "period": "2021-Q1",
        "currency": "CNY",
        "unit": "billion yuan",
    }
    return {"release": meta, "breakdowns": breakdowns, "figures": figures, "statements": statements}


def release_text(n: int, seed: int = 2021) -> str:
    import tomli_w

    header = f"# Synthetic release of {n} figures, written by bench/synthetic.py (seed {seed}) for the benchmarks.\n\n"
    return header + tomli_w.dumps(release_dict(n, seed))


def write(n: int, path, seed: int = 2021) -> Path:
    """Write the synthetic release to ``path`` after checking that tradecalc loads it."""
    from tradecalc.model.releasefile import atomic_write_bytes, loads

    text = release_text(n, seed)
    release = loads(text, source=str(path))  # raises ReleaseError if the file would not be valid
    assert len(release.figures) == n
    path = Path(path)
    atomic_write_bytes(path, text.encode("utf-8"))
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic release file of N figures.")
    ap.add_argument("n", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=2021)
    args = ap.parse_args(argv)
    print(write(args.n, args.output, args.seed))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
