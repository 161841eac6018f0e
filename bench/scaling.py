"""Benchmarks 7 and 8: loading a release file, and derive/check in process as figures grow.

7. ``releasefile.loads`` of the synthetic 10^5-figure release, by phase: the
   TOML parser (rtoml, what the project uses, against the standard library's
   tomllib, same text, interleaved) and the rest (``from_records``: records,
   number parsing, validation); locating lines for messages, which ``loads``
   does only for a file with a problem, is timed beside.
8. ``derive`` and ``checks.check`` on releases already loaded, at 10^4 and
   10^5 figures (synthetic.py: breakdowns grow with the figures), both sizes in
   the same interleaved rounds. Targets: ×10 figures → ≤ ×11 time (linear);
   ``check`` ≤ 3× ``derive`` at 10^5.
"""

from __future__ import annotations

import tomllib

from bench._timing import fmt_time, interleaved, table, verdict


def _make(n: int) -> str:
    import os
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from tradecalc.model import releasefile

    cache = Path(
        os.environ.get("TRADECALC_BENCH_DIR", Path(tempfile.gettempdir()) / "tradecalc-bench")
    )
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"scaling-{n}.toml"
    if not path.exists():
        here = Path(__file__).resolve().parent
        subprocess.run(
            [sys.executable, str(here / "synthetic.py"), str(n), "-o", str(path)], check=True
        )
    return releasefile.read_text(path)


def loading(n: int, repeats: int, out) -> dict:
    import rtoml

    from tradecalc.model import releasefile

    text = _make(n)
    assert rtoml.loads(text) == tomllib.loads(text)
    t = interleaved(
        {
            "rtoml": lambda: rtoml.loads(text),
            "tomllib": lambda: tomllib.loads(text),
            "locate": lambda: releasefile._locate(text),
            "loads": lambda: releasefile.loads(text),
        },
        repeats,
    )
    locate, whole = t["locate"], t["loads"]
    rest = whole - t["rtoml"]
    out(
        f"{n:,} figures, {len(text) / 1e6:.1f} MB of TOML; {repeats} interleaved rounds, medians "
        "(`from_records` is `loads` less the rtoml parse).\n"
    )
    out(
        table(
            ["phase", "time", "share of loads"],
            [
                ["TOML parse, rtoml", fmt_time(t["rtoml"]), f"{t['rtoml'] / whole:.0%}"],
                [
                    "TOML parse, tomllib (before)",
                    fmt_time(t["tomllib"]),
                    f"rtoml is {t['tomllib'] / t['rtoml']:.1f}× faster",
                ],
                [
                    "records, numbers, validation (`from_records`)",
                    fmt_time(rest),
                    f"{rest / whole:.0%}",
                ],
                ["`releasefile.loads` in all", fmt_time(whole), "100%"],
                [
                    "locating lines (`_locate`), only for a file with a problem",
                    fmt_time(locate),
                    f"(+{locate / whole:.0%} then)",
                ],
            ],
        )
    )
    return {"parse_speedup": t["tomllib"] / t["rtoml"], "loads": whole}


def analysis(sizes, repeats: int, out) -> dict:
    from tradecalc.analysis import checks
    from tradecalc.analysis.derived_table import derive
    from tradecalc.model import releasefile

    releases = {n: releasefile.loads(_make(n)) for n in sizes}
    derive(releases[sizes[0]])  # warm-up: imports
    # Every size in the same rounds (d1 c1 d2 c2 d1 c1 ...): a ratio between sizes then
    # compares runs made under the same machine load, as the ratios between candidates do.
    candidates = {}
    for n, r in releases.items():
        candidates[("derive", n)] = lambda r=r: derive(r)
        candidates[("check", n)] = lambda r=r: checks.check(r)
    t = interleaved(candidates, repeats)
    times = {n: {k: t[(k, n)] for k in ("derive", "check")} for n in sizes}
    rows = [
        [
            f"{n:,}",
            fmt_time(times[n]["derive"]),
            fmt_time(times[n]["check"]),
            f"{times[n]['check'] / times[n]['derive']:.1f}×",
        ]
        for n in sizes
    ]
    out(
        f"In process, releases already loaded, both sizes in the same {repeats} interleaved "
        "rounds, medians:\n"
    )
    out(table(["figures", "derive", "check", "check / derive"], rows))
    result = {}
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        f = b / a
        for k in ("derive", "check"):
            g = times[b][k] / times[a][k]
            result[f"{k}_growth"] = g
            out(
                f"\n`{k}` ×{f:.0f} figures → ×{g:.1f} time (target ≤ ×{1.1 * f:.0f}): {verdict(g <= 1.1 * f)}"
            )
        ratio = times[b]["check"] / times[b]["derive"]
        result["check_over_derive"] = ratio
        out(
            f"`check` at {b:,} figures = {ratio:.1f}× `derive` (target ≤ 3×): {verdict(ratio <= 3)}"
        )
    return result
