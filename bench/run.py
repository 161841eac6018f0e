"""Run every tradecalc benchmark: ``.venv/bin/python bench/run.py [--quick] [--only 1,4]``.

Each benchmark prints a markdown table of medians and of ratios measured side
by side in the same run. See bench/README.md for what is measured and why.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent)
)  # `bench` as a package, run from anywhere


def machine() -> str:
    import numpy

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        "?",
    )
    mem = (
        next(
            (int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")),
            0,
        )
        / 2**20
    )
    env = {
        k: os.environ[k]
        for k in ("OPENBLAS_CORETYPE", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")
        if k in os.environ
    }
    return (
        f"{datetime.date.today()} · {cpu} · {os.cpu_count()} CPUs · {mem:.1f} GiB RAM · "
        f"Python {platform.python_version()} · numpy {numpy.__version__} · {platform.platform()} · "
        f"env {env or 'no OPENBLAS_*/OMP_* variables'}"
    )


def check_checkout() -> str | None:
    """The problem, if the installed ``tradecalc`` (what the console script and fresh
    processes import) is not this checkout's code, e.g. after ``pip install -e`` from a copy."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    code = "import tradecalc, tradecalc_udfs; print(tradecalc.__file__); print(tradecalc_udfs.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd="/"
    ).stdout.split()
    wrong = [f for f in found if not Path(f).resolve().is_relative_to(root)]
    if len(found) != 2 or wrong:
        return (
            f"the venv imports {found or 'nothing'} instead of this checkout ({root}); "
            f"run `.venv/bin/pip install -e . --no-deps` here first"
        )
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and few repeats (a smoke run, a minute or two)",
    )
    ap.add_argument(
        "--only", default="1,2,3,4,5,6,7,8,9", help="comma-separated benchmark numbers, e.g. 1,4"
    )
    args = ap.parse_args(argv)
    only = {int(x) for x in args.only.split(",") if x.strip()}
    quick = args.quick

    def out(text=""):
        print(text, flush=True)

    problem = check_checkout()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    out(f"# tradecalc benchmarks{' (--quick)' if quick else ''}\n")
    out(machine())
    t_all = time.perf_counter()
    failures = []

    def section(number, title, fn):
        if number not in only:
            return
        out(f"\n## {number}. {title}\n")
        t0 = time.perf_counter()
        try:
            fn()
        except Exception as e:  # one benchmark whose module is missing must not hide the others
            failures.append(number)
            out(f"NOT RUN: {type(e).__name__}: {e}")
        out(f"\n({time.perf_counter() - t0:.0f} s)")

    def b1():
        from bench import core

        sizes = [10**3, 10**5] if quick else [10**3, 10**5, 10**6, 10**7]
        repeats = (
            (lambda n: 5 if n <= 10**5 else 3)
            if quick
            else (lambda n: 31 if n <= 10**3 else 15 if n <= 10**5 else 7 if n <= 10**6 else 3)
        )
        core.run(sizes, repeats, 1_000 if quick else 5_000, out)

    def b2():
        from bench import udf

        udf.run(quick, out)

    def b3():
        from bench import build

        build.run(quick, out)

    def b4():
        from bench import startup

        startup.run(5 if quick else 15, out)

    def b5():
        from bench import read

        read.run(quick, out)

    def b6():
        from bench import elementwise

        ratios = elementwise.run(10**5 if quick else 10**6, 5 if quick else 21, out)
        missed = [k for k, r in ratios.items() if r > elementwise.TARGET]
        out(
            f"\nEvery element-wise function ≤ {elementwise.TARGET}× numpy: "
            + ("met" if not missed else f"MISSED by {', '.join(missed)}")
        )

    def b7():
        from bench import scaling

        scaling.loading(10**4 if quick else 10**5, 2 if quick else 3, out)

    def b8():
        from bench import scaling

        scaling.analysis([10**3, 10**4] if quick else [10**4, 10**5], 2 if quick else 5, out)

    def b9():
        from bench import bounds

        bounds.run(10**5 if quick else 10**6, 3 if quick else 9, out)

    section(1, "Core throughput: the derived table", b1)
    section(2, "UDF overhead", b2)
    section(3, "Workbook build", b3)
    section(4, "Start-up", b4)
    section(5, "Headless read: derive on a built workbook", b5)
    section(6, "Element-wise functions against bare numpy", b6)
    section(7, "Loading a release file", b7)
    section(8, "derive and check as figures grow", b8)
    section(9, "Bounds against corners by hand", b9)
    out(
        f"\nTotal {time.perf_counter() - t_all:.0f} s."
        + (f" Not run: {failures}." if failures else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
