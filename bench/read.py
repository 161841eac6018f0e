"""Benchmark 5: headless read, ``tradecalc derive`` on a built workbook of 10^4 figures.

Target (issue 16): ``derive BOOK.xlsx`` at most :data:`TARGET` times ``derive RELEASE.toml``.

Fresh processes, interleaved, medians:

* ``tradecalc derive BOOK.xlsx --format csv -o OUT`` (the safety checks, the
  Figures sheet's values with python-calamine and its formula and error cells
  from the XML, validate, derive, write CSV);
* the same command on the release file the workbook was built from (.toml),
  the same figures without the workbook;
* the floors of reading the Figures sheet alone: python-calamine's values
  (what the reader uses), openpyxl ``read_only`` iterating its rows (what the
  reader used before).

Then, in-process, the split of the workbook case: ``read_workbook`` by phase
(safety checks, values, formula and error scan, records and validation) vs
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
_CALAMINE = (
    "import sys, python_calamine\n"
    "wb = python_calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
    "rows = wb.get_sheet_by_name('Figures').to_python(skip_empty_area=False)\n"
)
#: derive BOOK.xlsx ÷ derive RELEASE.toml, at most (issue 16).
TARGET = 1.3


def run(quick: bool, out) -> dict:
    from .build import CACHE, build_argv, synthetic_release

    n = 1000 if quick else 10_000
    repeats = 3  # a 10^4-figure read takes seconds; three interleaved rounds
    rel = synthetic_release(n)
    book = CACHE / f"synthetic-{n}.xlsx"
    if not book.exists() or book.stat().st_mtime < rel.stat().st_mtime:
        run_process(build_argv(rel, book))
    work = Path(tempfile.mkdtemp(prefix="tradecalc-bench-read-"))
    derive = [str(VENV_BIN / "tradecalc"), "derive"]
    to_csv = ["--format", "csv", "--force", "-o"]
    candidates = {
        "derive BOOK.xlsx": [*derive, str(book), *to_csv, str(work / "a.csv")],
        "derive REL.toml": [*derive, str(rel), *to_csv, str(work / "b.csv")],
        "python-calamine, Figures values": [sys.executable, "-c", _CALAMINE, str(book)],
        "openpyxl read-only, Figures rows": [sys.executable, "-c", _FLOOR, str(book)],
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
    from tradecalc.io.safety import check_workbook_file
    from tradecalc.workbook.parts import WorkbookParts, special_cells
    from tradecalc.workbook.reader import open_workbook, read_workbook, sheet_grid

    release = read_workbook(book)

    def values():
        parts, wb = open_workbook(book)
        try:
            sheet_grid(wb, "Figures", parts)
        finally:
            parts.close()

    def scan():
        with WorkbookParts(book) as parts:
            special_cells(parts.sheet_xml("Figures"), range(1, 22))

    split = interleaved(
        {
            "read_workbook": lambda: read_workbook(book),
            "safety checks": lambda: check_workbook_file(book),
            "Figures values (with the safety checks)": values,
            "inflating Figures, its formula and error scan": scan,
            "derive": lambda: derive(release),
        },
        2,
    )

    ref = med["derive BOOK.xlsx"]
    rows = [[k, fmt_time(t), f"{ref / t:.2f}×", fmt_bytes(rss[k])] for k, t in med.items()]
    out(
        f"{n:,} figures ({book.stat().st_size / 1e6:.1f} MB workbook); fresh processes, {repeats} interleaved rounds, medians."
    )
    out(table(["command", "wall time", "derive BOOK.xlsx ÷ this", "peak RSS"], rows))
    ratio = ref / med["derive REL.toml"]
    out(
        f"Target: derive BOOK.xlsx ≤ {TARGET}× derive REL.toml: **{ratio:.2f}×** — "
        + ("met" if ratio <= TARGET else "MISSED")
        + "."
    )
    out(
        "In-process split of the workbook case: "
        + ", ".join(f"{k} {fmt_time(v)}" for k, v in split.items())
        + "."
    )
    return {"n": n, "ratio": ratio, **med, **{f"split_{k}": v for k, v in split.items()}}
