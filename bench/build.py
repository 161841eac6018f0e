"""Benchmark 3: workbook build (``tradecalc build``) of synthetic releases.

For releases of 25, 10^3, 10^4 and 10^5 figures (bench/synthetic.py), each
build runs as the user runs it: ``tradecalc build REL -o OUT.xlsx --format xlsx
--force`` in a fresh process (start-up, loading and validating the release
file included), timed by wall clock with the process's own peak RSS from
``os.wait4``. Cells are counted in the written file (every ``<c>`` element of
every worksheet), so cells/s is cells the user gets per second waited.

Reference, interleaved with each build: a bare XlsxWriter script writing the
same number of cells per sheet (same count of formulas, strings and numbers)
in a fresh process: what writing that much .xlsx costs in Python at all.
Target: cost grows linearly with figures, ≥ 100 000 cells/s at 10^5 figures.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path

from ._timing import VENV_BIN, fmt_bytes, fmt_time, run_process, table, verdict

CACHE = Path(os.environ.get("TRADECALC_BENCH_DIR", Path(tempfile.gettempdir()) / "tradecalc-bench"))

_REFERENCE = r"""
import json, sys, xlsxwriter
counts = json.loads(sys.argv[2])
wb = xlsxwriter.Workbook(sys.argv[1])
for name, c in counts.items():
    ws = wb.add_worksheet(name[:31])
    cols = max(1, c["cols"])
    i = 0
    for kind, k in (("f", c["formulas"]), ("s", c["strings"]), ("n", c["cells"] - c["formulas"] - c["strings"])):
        for _ in range(k):
            r, col = divmod(i, cols)
            if kind == "f":
                ws.write_formula(r, col, f"=1+{i}", None, i + 1)
            elif kind == "s":
                ws.write_string(r, col, f"text {i}")
            else:
                ws.write_number(r, col, i * 0.5)
            i += 1
wb.close()
"""


def synthetic_release(n: int) -> Path:
    """The synthetic release file of n figures, generated once and cached."""
    from . import synthetic

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"synthetic-{n}.toml"
    if not path.exists() or path.stat().st_mtime < Path(synthetic.__file__).stat().st_mtime:
        synthetic.write(n, path)
    return path


def count_cells(xlsx: Path) -> dict[str, dict[str, int]]:
    """Cells, formulas and string cells per worksheet, counted in the file's XML."""
    out = {}
    with zipfile.ZipFile(xlsx) as z:
        names = {}
        wbxml = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels)) | {
            a: b for b, a in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)
        }
        for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', wbxml):
            t = targets.get(rid, "")
            names[name] = "xl/" + t.lstrip("/").removeprefix("xl/")
        for name, member in names.items():
            data = z.read(member)
            cells = len(re.findall(rb"<c[ >]", data))
            formulas = len(re.findall(rb"<f[ >]", data))
            strings = len(re.findall(rb'<c [^>]*t="(?:s|inlineStr|str)"', data))
            dim = re.search(rb'<dimension ref="[A-Z]+\d+:([A-Z]+)\d+"', data)
            cols = _col_number(dim.group(1).decode()) if dim else 1
            out[name] = {
                "cells": cells,
                "formulas": formulas,
                "strings": max(0, strings - formulas),
                "cols": cols,
            }
    return out


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


#: Above the largest release ``tradecalc build`` writes (``limits.MAX_FIGURES``; its workbook
#: passes the readers' limits), the build runs as the command does minus that final check,
#: which refuses the file: load, ``build_workbook``, atomic write, in a fresh process.
_LIBRARY_BUILD = r"""
import sys
from pathlib import Path
import tradecalc
from tradecalc.io.atomic import atomic_write_bytes
from tradecalc.workbook.writer import build_workbook
release = tradecalc.load(sys.argv[1])
atomic_write_bytes(Path(sys.argv[2]), build_workbook(release, "xlsx"))
"""


def build_argv(release: Path, out: Path, figures: int = 0) -> list[str]:
    """``tradecalc build REL -o OUT``, or the same through the library above ``MAX_FIGURES``."""
    from tradecalc.io.limits import MAX_FIGURES

    if figures > MAX_FIGURES:
        return [sys.executable, "-c", _LIBRARY_BUILD, str(release), str(out)]
    return [
        str(VENV_BIN / "tradecalc"),
        "build",
        str(release),
        "-o",
        str(out),
        "--format",
        "xlsx",
        "--force",
    ]


def run(quick: bool, out) -> list[dict]:
    import json

    sizes = [25, 1000] if quick else [25, 1000, 10_000, 100_000]
    # a 10^5 build takes minutes here: one timed run (repeats are for the small, noisy sizes)
    repeats = {25: 2, 1000: 2} if quick else {25: 3, 1000: 3, 10_000: 2, 100_000: 1}
    work = Path(tempfile.mkdtemp(prefix="tradecalc-bench-build-"))
    results = []
    for n in sizes:
        rel = synthetic_release(n)
        book = CACHE / f"synthetic-{n}.xlsx"
        bt, bm, rt, rm = [], [], [], []
        for i in range(repeats[n]):
            w, _, m = run_process(
                build_argv(rel, book, n)
            )  # the first build is timed too (the release file is in the page cache)
            bt.append(w)
            bm.append(m)
            if i == 0:
                counts = count_cells(book)
                ref_argv = [
                    sys.executable,
                    "-c",
                    _REFERENCE,
                    str(work / f"reference-{n}.xlsx"),
                    json.dumps(counts),
                ]
            w, _, m = run_process(ref_argv)
            rt.append(w)
            rm.append(m)
        cells = sum(c["cells"] for c in counts.values())
        r = dict(
            n=n,
            cells=cells,
            formulas=sum(c["formulas"] for c in counts.values()),
            build=statistics.median(bt),
            build_rss=max(bm),
            ref=statistics.median(rt),
            ref_rss=max(rm),
            reps=repeats[n],
            file=book.stat().st_size,
            sheets=counts,
        )
        results.append(r)
        out(
            f"  n={n:>7,}: {cells:,} cells ({r['formulas']:,} formulas), build {fmt_time(r['build'])}, "
            f"XlsxWriter alone {fmt_time(r['ref'])}, peak RSS {fmt_bytes(r['build_rss'])} ({repeats[n]} run(s))"
        )
    rows = []
    prev = None
    for r in results:
        cps = r["cells"] / r["build"]
        growth = (
            ""
            if prev is None
            else f"{r['build'] / prev['build']:.1f}× for {r['n'] / prev['n']:.0f}× figures"
        )
        target = f" ({verdict(cps >= 100_000)})" if r["n"] == 100_000 else ""
        rows.append(
            [
                f"{r['n']:,}",
                f"{r['cells']:,}",
                fmt_time(r["build"]),
                f"{cps:,.0f}{target}",
                fmt_time(r["ref"]),
                f"{r['build'] / r['ref']:.1f}×",
                growth,
                fmt_bytes(r["build_rss"]),
                fmt_bytes(r["ref_rss"]),
                fmt_bytes(r["file"]),
            ]
        )
        prev = r
    out(
        "\nWall time of the whole command (fresh process: start-up + load + build + write), medians of interleaved runs."
    )
    out(
        table(
            [
                "figures",
                "cells",
                "build",
                "cells/s (≥100 000 at 10^5)",
                "XlsxWriter alone, same cells",
                "ratio",
                "growth",
                "peak RSS build",
                "peak RSS XlsxWriter",
                "file",
            ],
            rows,
        )
    )
    if len(results) >= 2:
        a, b = results[-2], results[-1]
        slope = (b["build"] / a["build"]) / (b["n"] / a["n"])
        out(
            f"Growth from {a['n']:,} to {b['n']:,} figures: time × {b['build'] / a['build']:.1f} for figures × {b['n'] / a['n']:.0f}; "
            f"cost per figure × {slope:.2f} (linear: about 1; {verdict(slope <= 1.25)} with 25% slack)"
        )
    from tradecalc.io.limits import MAX_FIGURES

    over = [r["n"] for r in results if r["n"] > MAX_FIGURES]
    if over:
        out(
            f"Above {MAX_FIGURES:,} figures (limits.MAX_FIGURES) `tradecalc build` refuses to write the "
            "workbook (its readers' inflated-size and cell limits); "
            + ", ".join(f"{n:,}" for n in over)
            + " timed through the library in a fresh process: load, build_workbook, atomic write."
        )
    for r in results:
        out(
            f"  n={r['n']:>7,}: peak RSS {fmt_bytes(r['build_rss'])} = {r['build_rss'] / r['file']:.1f}× "
            f"the file ({fmt_bytes(r['file'])}; target ≤ 3×: {verdict(r['build_rss'] <= 3 * r['file'])})"
        )
    big = results[-1]
    out(
        "Cells per sheet at the largest size: "
        + ", ".join(f"{k} {v['cells']:,}" for k, v in big["sheets"].items())
    )
    return results
