"""Timing helpers shared by the benchmarks: interleaved repeats, medians, tables.

These machines are noisy (2 shared cores), so absolute times mean little.
Every benchmark runs its candidates *interleaved* (A B C A B C ...), repeats,
and reports medians and the ratio of medians measured in the same run.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def interleaved(
    candidates: dict, repeats: int, *, setup=None, samples: dict | None = None
) -> dict[str, float]:
    """Median seconds per call of each candidate, run A B C A B C ... ``repeats`` times.

    ``candidates`` maps a name to a no-argument callable. ``setup`` (optional)
    runs before every call, untimed. The garbage collector is run before and
    disabled during each call so one candidate does not pay for another's garbage.
    ``samples`` (optional): a dict of earlier samples per name, extended in place
    and included in the medians.
    """
    times: dict[str, list[float]] = samples if samples is not None else {}
    for k in candidates:
        times.setdefault(k, [])
    for _ in range(repeats):
        for name, fn in candidates.items():
            if setup:
                setup()
            gc.collect()
            gc.disable()
            try:
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
            finally:
                gc.enable()
    return {k: statistics.median(times[k]) for k in candidates}


def interleaved_loops(candidates: dict, number: int, repeats: int) -> dict[str, float]:
    """Median seconds per call for tiny calls: each sample times ``number`` calls in a loop."""
    times: dict[str, list[float]] = {k: [] for k in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            gc.collect()
            gc.disable()
            try:
                t0 = time.perf_counter()
                for _ in range(number):
                    fn()
                times[name].append((time.perf_counter() - t0) / number)
            finally:
                gc.enable()
    return {k: statistics.median(v) for k, v in times.items()}


GNU_TIME = "/usr/bin/time"


def run_process(argv: list[str], *, env=None, cwd=None) -> tuple[float, int, int]:
    """Run ``argv``; return (wall seconds, exit code, peak RSS of the command in bytes).

    The peak RSS comes from GNU time (``/usr/bin/time -f %M``), which forks the
    command from its own small process: Linux carries the forking process's
    high-water mark into a child's ``ru_maxrss``, so ``os.wait4`` from this
    (large) benchmark process would report our size, not the command's. Without
    GNU time the RSS is -1 (not measured). Wall time includes GNU time's fork,
    about a millisecond, the same for every candidate.
    """
    import tempfile

    use_time = os.path.exists(GNU_TIME)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        full = (
            [GNU_TIME, "-f", "%M", "-o", rss_file.name, *map(str, argv)]
            if use_time
            else list(map(str, argv))
        )
        t0 = time.perf_counter()
        p = subprocess.run(
            full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
        )
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            err = p.stderr.decode(errors="replace").strip()[-800:]
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {p.returncode}: {err}")
        rss = -1
        if use_time:
            lines = [x for x in rss_file.read().split() if x.isdigit()]
            rss = int(lines[-1]) * 1024 if lines else -1  # %M is in KiB
    return wall, p.returncode, rss


def fmt_time(s: float) -> str:
    if s != s:  # NaN
        return "n/a"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_bytes(b: float) -> str:
    if b < 0:
        return "n/a"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(b) < 1024 or unit == "GiB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024
    return f"{b:.1f} GiB"


def table(headers: list[str], rows: list[list]) -> str:
    """A markdown table (pipes), so the output pastes into bench/README.md."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells]
    return "\n".join(out)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"
