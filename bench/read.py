"""Benchmark 5: headless read, ``tradecalc derive`` on a built workbook of 10^4 figures.

Fresh processes, interleaved, medians:

* ``tradecalc derive BOOK.xlsx --format csv -o OUT`` (read the workbook with
  openpyxl, validate, derive, write CSV);
* the same command on the release file the workbook was built from (.toml),
  the same figures without the workbook;
* the floor of reading: openpyxl ``read_only`` iterating every row of the
  Figures sheet and nothing else;
* what the reader did before it read only the input Tables: openpyxl's
  normal mode loading the whole workbook (all nine sheets).

Then, in-process, the split of the workbook case: ``read_workbook`` vs
``derive`` of the release it returns.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from ._timing import VENV_BIN, fmt_bytes, fmt_time, interleaved, run_process, table

_FLOOR = (
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
    "rows = sum(1 for _ in wb['Figures'].iter_rows(values_only=True))\n"
)
_NORMAL = (
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1], data_only=False, keep_links=False)\n"
)


def run(quick: bool, out) -> dict:
    from .build import CACHE, build_argv, synthetic_release

    n = 1000 if quick else 10_000
    repeats = 3  # a 10^4-figure read takes seconds; three interleaved rounds
    rel = synthetic_release(n)
    book = CACHE / f"synthetic-{n}.xlsx"
    if not book.exists() or book.stat().st_mtime < rel.stat().st_mtime:
        run_process(build_argv(rel, book))
    work = Path(tempfile.mkdtemp(prefix="tradecalc-bench-read-"))
    tc = str(VENV_BIN / "tradecalc")
    candidates = {
        "derive BOOK.xlsx": [tc, "derive", str(book), "--format", "csv", "-o", str(work / "a.csv"), "--force"],
        "derive REL.toml": [tc, "derive", str(rel), "--format", "csv", "-o", str(work / "b.csv"), "--force"],
        "openpyxl read-only, Figures rows": [sys.executable, "-c", _FLOOR, str(book)],
        "openpyxl normal mode, whole workbook": [sys.executable, "-c", _NORMAL, str(book)],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    for argv in candidates.values():
        run_process(argv)  # warm-up, and fail early if a module is missing
    times: dict[str, list] = {k: [] for k in candidates}
    rss: dict[str, int] = {k: 0 for k in candidates}
    for _ in range(repeats):
        for name, argv in candidates.items():
            w, _, m = run_process(argv)
            times[name].append(w)
            rss[name] = max(rss[name], m)
    med = {k: statistics.median(v) for k, v in times.items()}

    # the split, in this process (imports already paid)
    from tradecalc.analysis.derived_table import derive
    from tradecalc.workbook.reader import read_workbook

    release = read_workbook(book)
    split = interleaved(
        {"read_workbook": lambda: read_workbook(book), "derive": lambda: derive(release)}, 2
    )

    ref = med["derive BOOK.xlsx"]
    rows = [[k, fmt_time(t), f"{ref / t:.2f}×", fmt_bytes(rss[k])] for k, t in med.items()]
    out(
        f"{n:,} figures ({book.stat().st_size / 1e6:.1f} MB workbook); fresh processes, {repeats} interleaved rounds, medians."
    )
    out(table(["command", "wall time", "derive BOOK.xlsx ÷ this", "peak RSS"], rows))
    out(
        f"In-process split of the workbook case: read_workbook {fmt_time(split['read_workbook'])}, "
        f"derive {fmt_time(split['derive'])} ({split['read_workbook'] / split['derive']:.1f}× the derive itself)."
    )
    return {"n": n, **med, **{f"split_{k}": v for k, v in split.items()}}
