"""Benchmark 4: start-up, each in a fresh process.

``tradecalc --help`` (the installed console script) and ``import tradecalc_udfs``
(what Excel's Python does on the first UDF call), against ``python -c pass``
(the interpreter's own start-up, the floor). Candidates are interleaved and
repeated; medians. Targets: --help < 0.3 s, the import < 1 s (absolute wall
time, interpreter start-up included, since that is what the user waits for).
"""

from __future__ import annotations

import sys

from ._timing import VENV_BIN, fmt_time, run_process, table, verdict


def run(repeats: int, out) -> dict:
    py = sys.executable
    candidates = {
        "python -c pass": [py, "-c", "pass"],
        "tradecalc --help": [str(VENV_BIN / "tradecalc"), "--help"],
        "import tradecalc": [py, "-c", "import tradecalc"],
        "import tradecalc_udfs": [py, "-c", "import tradecalc_udfs"],
    }
    # one untimed round warms the page cache (a cold disk is not what we measure)
    for argv in candidates.values():
        run_process(argv)
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for _ in range(repeats):
        for name, argv in candidates.items():
            times[name].append(run_process(argv)[0])
    import statistics

    med = {k: statistics.median(v) for k, v in times.items()}
    floor = med["python -c pass"]
    targets = {"tradecalc --help": 0.3, "import tradecalc_udfs": 1.0}
    rows = []
    for name, t in med.items():
        target = targets.get(name)
        rows.append(
            [
                name,
                fmt_time(t),
                f"{t / floor:.1f}×",
                fmt_time(t - floor),
                f"< {target} s ({verdict(t < target)})" if target else "",
            ]
        )
    out(f"Fresh processes, {repeats} interleaved rounds, medians.")
    out(
        table(
            ["command", "wall time", "ratio to python -c pass", "above python -c pass", "target"],
            rows,
        )
    )
    return med
