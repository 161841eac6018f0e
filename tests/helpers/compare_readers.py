"""A pytest plugin: every workbook a test run reads is read again by the openpyxl oracle and compared.

``PYTHONPATH=tests python -m pytest -p helpers.compare_readers ...`` wraps
:func:`tradecalc.workbook.reader.read_workbook`: each call also runs
:func:`helpers.openpyxl_reader.read_workbook` on the same file and compares the
releases (:func:`tradecalc.model.releasefile.to_dict`) or the problems raised.
The summary says how many reads agreed; a disagreement fails the run and its
workbook is kept in ``$TMPDIR/tradecalc-reader-mismatches``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

_SEEN = {"reads": 0, "agreed": 0, "known": 0, "mismatches": []}
#: Where the two readers are known to differ, by design (the new one is right).
KNOWN = (
    "cannot be read",  # the wording of a damaged file: "openpyxl cannot read the workbook"
    "cells to lay out",  # a sheet spanning more than MAX_GRID_CELLS: refused before a value reader allocates it
)


def outcome(read, path):
    """("release", to_dict(...)) or ("error", type name, problems) of one read."""
    from tradecalc.errors import TradecalcError
    from tradecalc.model.releasefile import to_dict

    try:
        release = read(path)
    except TradecalcError as e:
        return ("error", type(e).__name__, [tuple(p) for p in e.problems])
    return ("release", to_dict(release), dict(release.meta))


def _given(release, failure):
    if failure is not None:
        raise failure
    return release


_NEGATIVE_ZERO = re.compile(r"^-(0+(?:\.0*)?%?)$")


def _without_negative_zeros(x):
    if isinstance(x, dict):
        return {k: _without_negative_zeros(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_without_negative_zeros(v) for v in x]
    if isinstance(x, str):
        m = _NEGATIVE_ZERO.match(x)
        return m.group(1) if m else x
    return x


def _known(new, old) -> bool:
    """A difference by design: a damaged file's wording, a sheet too wide, a stored -0 kept as -0."""
    if new[0] == old[0] == "error" and any(k in str(new[2]) for k in KNOWN):
        return True
    # python-calamine reads a stored -0 as -0.0 ("-0.0%", as the release printed it); openpyxl as 0
    return _without_negative_zeros(list(new)) == _without_negative_zeros(list(old))


def pytest_configure(config):
    import tradecalc.workbook.reader as reader
    from helpers import openpyxl_reader

    original = reader.read_workbook

    def read_both(path, *, progress=None):
        from tradecalc.errors import TradecalcError

        _SEEN["reads"] += 1
        try:
            release, failure = original(path, progress=progress), None
        except TradecalcError as e:
            release, failure = None, e
        new = outcome(lambda p: _given(release, failure), path)
        old = outcome(openpyxl_reader.read_workbook, path)
        if new == old:
            _SEEN["agreed"] += 1
        elif _known(new, old):
            _SEEN["known"] += 1
        else:
            folder = Path(tempfile.gettempdir()) / "tradecalc-reader-mismatches"
            folder.mkdir(exist_ok=True)
            kept = folder / f"{len(_SEEN['mismatches'])}-{Path(path).name}"
            if Path(path).is_file():
                shutil.copy(path, kept)
            _SEEN["mismatches"].append((str(kept), _first_difference(new, old)))
        if failure is not None:
            raise failure
        return release

    reader.read_workbook = read_both
    import tradecalc.workbook as package

    package.reader = reader


def _first_difference(new, old) -> str:
    if new[0] != old[0]:
        return f"new {new[0]} {str(new[1:])[:300]} / old {old[0]} {str(old[1:])[:300]}"
    if new[0] == "error":
        return f"new {new[2]!r:.400} / old {old[2]!r:.400}"
    a, b = new[1], old[1]
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            if key == "figures":
                for fa, fb in zip(a[key], b[key]):
                    if fa != fb:
                        k = sorted(x for x in set(fa) | set(fb) if fa.get(x) != fb.get(x))
                        return f"figure {fa.get('id')}: {[(x, fa.get(x), fb.get(x)) for x in k]}"
            return f"{key}: new {str(a.get(key))[:200]} / old {str(b.get(key))[:200]}"
    return f"meta: new {new[2]} / old {old[2]}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    s = _SEEN
    terminalreporter.section("readers compared")
    terminalreporter.write_line(
        f"{s['reads']} workbook reads: {s['agreed']} agreed, {s['known']} known differences, "
        f"{len(s['mismatches'])} mismatches"
    )
    for kept, what in s["mismatches"]:
        terminalreporter.write_line(f"  {kept}: {what}")


def pytest_sessionfinish(session, exitstatus):
    if _SEEN["mismatches"] and not os.environ.get("TRADECALC_READERS_REPORT_ONLY"):
        session.exitstatus = 1
