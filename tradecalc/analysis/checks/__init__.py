"""Consistency checks: the release against itself, rounding taken into account.

One engine: a function per kind of check (:mod:`.breakdowns`, :mod:`.periods`,
:mod:`.statements`, :mod:`.balance`), a :class:`~.kinds.CheckKind` per row,
structured ids (:class:`~.kinds.CheckId`), and one status rule,
:mod:`tradecalc.analysis.status`. Every check compares what was stated with
what the other figures imply, each as an interval over the values the printed
figures allow (their rounding, or the interval of a qualifier such as "more
than"). Status:

* ``consistent`` — the implied number agrees with the stated one at the
  published precision (or, for an implied figure, is possible as printed);
* ``consistent within rounding`` — it does not, but some true values that
  round to the printed ones reconcile them (the intervals overlap);
* ``inconsistent`` — no values inside the published precision explain it;
* ``not checkable`` — a figure is missing, or the release states nothing to
  compare the implied number with (it is reported, not judged).

Example, Chongqing Q1 2021: foreign-funded 88.24, private 75.07 and
state-owned 16.75 leave 0.18 of 180.24 for other types, whose naive base is
negative (-0.08): impossible for a trade value, but "up 100%" means anything
in [99.5%, 100.5%), which allows a base of up to +0.085. Status: consistent
within rounding.
"""

from __future__ import annotations

import contextlib
import gc

from tradecalc.analysis.checks.kinds import AT, CHECK_COLUMNS, CheckId, CheckKind, row
from tradecalc.analysis.status import (
    CONSISTENT,
    INCONSISTENT,
    NOT_CHECKABLE,
    STATUSES,
    WITHIN_ROUNDING,
)
from tradecalc.model.published import is_nan

__all__ = [
    "check",
    "exit_code",
    "CHECK_COLUMNS",
    "CheckKind",
    "CheckId",
    "CONSISTENT",
    "INCONSISTENT",
    "NOT_CHECKABLE",
    "STATUSES",
    "WITHIN_ROUNDING",
]


def _breakdown_rows(ctx):
    from tradecalc.analysis.checks import breakdowns

    engines = {
        "complete": breakdowns.complete,
        "partial": breakdowns.partial,
        "overlapping": breakdowns.overlapping,
    }
    for b in ctx.release.breakdowns:
        parent = ctx.by_id.get(b.parent) if b.parent else None
        parts = ctx.members.get(b.id, [])
        if parent is None or not parts:
            continue
        yield b.id, lambda b=b, parent=parent, parts=parts: engines[b.kind](ctx, b, parent, parts)


def check(release):
    """The checks table of a release: a DataFrame, one row per check, columns :data:`CHECK_COLUMNS`.

    Every cell is a plain ``str`` or ``float`` (blank text, NaN for a missing
    number), so the table can be returned to Excel as it is: :func:`check_columns` as a frame.
    """
    import pandas as pd

    columns = check_columns(release)
    if not columns["check"]:
        return pd.DataFrame([], columns=list(CHECK_COLUMNS))
    return pd.DataFrame(columns, columns=list(CHECK_COLUMNS))


def check_columns(release) -> dict[str, tuple]:
    """The columns of :func:`check`, by name (each a tuple, one cell per check), without pandas.

    The one checks engine; the workbook build writes its Checks sheet from these
    columns and so never imports pandas (issue 16). Chongqing Q1 2021: the row
    ``flow-q1:sum`` says exports 112.32 + imports 67.92 = total 180.24, consistent.
    """
    with _collector_paused():
        rows = _check_rows(release)
    # column by column: a frame from 3·10^4 rows of 18 cells is built 4x faster than row by row
    return dict(zip(CHECK_COLUMNS, zip(*rows))) if rows else {c: () for c in CHECK_COLUMNS}


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while the checks table is built, then as it was.

    A check at 10^5 figures allocates about 10^5 containers (rows, their figure tuples,
    check ids), none of them in a cycle (``tests/core/test_checks_gc.py``: a collection
    after a check finds nothing to free), and every collection those allocations
    trigger walks the release's 1.6·10^5 long-lived objects again: a fifth of the check
    (381 → 309 ms at 10^5 figures, 32.0 → 30.7 ms at 10^4; issue 16). Paused by the
    caller already, it stays paused.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_rows(release) -> list[list]:
    from tradecalc.analysis.checks import balance, periods, statements
    from tradecalc.analysis.checks.context import Context

    ctx = Context(release)
    rows: list[list] = []
    jobs = list(_breakdown_rows(ctx))
    jobs += [
        ("series", lambda: periods.sub_periods(ctx)),
        ("statements", lambda: statements.statements(ctx)),
        ("earlier growth", lambda: periods.earlier_growth(ctx)),
        ("balances", lambda: balance.balances(ctx)),
    ]
    for subject, job in jobs:
        try:
            rows += job()
        except (
            Exception
        ) as e:  # a check that cannot run is flagged, never a crash of the whole table
            rows.append(
                row(
                    CheckId(CheckKind.UNCHECKED, subject),
                    [],
                    f"{subject}: the check could not run",
                    "",
                    NOT_CHECKABLE,
                    note=f"{type(e).__name__}: {str(e)[:200]}",
                )
            )
    _unique_ids(rows)
    _flag_multiples(ctx, rows)
    return rows


#: Kinds that use only values: a growth printed as a multiple does not enter them.
_VALUE_ONLY = {
    CheckKind.PARTS_SUM,
    CheckKind.RESIDUAL,
    CheckKind.PART_WITHIN,
    CheckKind.REST_VALUE,
    CheckKind.REST_STATED,
    CheckKind.BALANCE,
    CheckKind.SHARE,
    CheckKind.EXCHANGE_RATE,
}


def _flag_multiples(ctx, rows) -> None:
    """Say in the note which reading of a multiple ("4.7 times") a growth check rests on."""
    multiples = {f.id: f for f in ctx.figures if f.yoy_reading and not is_nan(f.yoy)}
    if not multiples:
        return
    kind, ids, note = AT["_kind"], AT["_figures"], AT["note"]
    for r in rows:
        if r[kind] in _VALUE_ONLY:
            continue
        used = [multiples[i] for i in r[ids] if i in multiples]
        for f in used:
            reading = "grew by" if f.yoy_reading == "increase" else "times the base:"
            flag = (
                f"{f.id}'s growth is printed as {f.yoy_text()}, "
                f"read as {f.yoy_reading!r} ({reading} {f.yoy:+.0%})"
            )
            r[note] = "; ".join(x for x in (r[note], flag) if x)


def _unique_ids(rows) -> None:
    """Two rows never share a ``check`` id (two sub-periods may leave the same rest): "#2"."""
    seen: dict[str, int] = {}
    at = AT["check"]
    for r in rows:
        n = seen.get(r[at], 0) + 1
        seen[r[at]] = n
        if n > 1:
            r[at] = f"{r[at]}#{n}"


def exit_code(checks) -> int:
    """0 when nothing is inconsistent, 1 otherwise (the CLI's ``check`` contract)."""
    return 1 if (checks["status"] == INCONSISTENT).any() else 0
