"""``tradecalc series``: single periods and revisions across cumulative releases.

``tradecalc series A.toml B.toml ...`` (or a folder of release files) prints, per series,
one row per period (the cumulative figure, the single period since the previous one with
its rounding bounds, what a release states about it, and the statuses) and the revisions
(a period's figure as two releases print or imply it). ``--format table|csv|json|markdown``
as the other commands. Exit 0: nothing inconsistent; 1: something is (a revision counts);
2: bad input (a release that does not load, releases that cannot be lined up).

``tradecalc build --series A.toml B.toml ... -o series.xlsx`` writes the series workbook
(:mod:`tradecalc.workbook.series`).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from tradecalc.io.formats import REPORT_FORMATS, report_format
from tradecalc.model.published import is_nan


def add_series_parser(sub) -> None:
    """Register ``tradecalc series`` on the main parser's subcommands (no heavy imports)."""
    s = sub.add_parser(
        "series",
        help="single periods and revisions across cumulative releases; exit 1 if inconsistent",
        description="Line up releases of one publisher by series and period: the single period "
        "between consecutive cumulative figures, with rounding bounds, judged against "
        "what any release states about it, and revisions between releases.",
    )
    s.add_argument(
        "sources",
        nargs="+",
        help="release files (.toml), folders of release files, or template workbooks",
    )
    s.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default=None,
        help="table (default on screen), csv, json or markdown (default with -o: from the suffix)",
    )
    s.add_argument("-o", "--output", help="write to this file instead of printing")


def _format(args) -> str:
    return report_format(args.format, args.output)


def series_command(args) -> int:
    """Print (or write) the series tables; the exit code says whether something is inconsistent."""
    from tradecalc import load
    from tradecalc.analysis.series import series

    sources = [Path(s) for s in args.sources]
    for s in sources:
        if not s.exists():
            raise FileNotFoundError(f"{s}: no such file or folder")
    if args.output and any(Path(args.output).resolve() == s.resolve() for s in sources):
        raise ValueError(
            f"{args.output}: this is an input; write the series output to another file"
        )
    tables = series(sources, load=load)
    for note in tables.notes:
        print(f"note: {note}", file=sys.stderr)
    text = render(tables, _format(args))
    if args.output:
        from tradecalc.model.releasefile import atomic_write_bytes

        atomic_write_bytes(Path(args.output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return tables.exit_code


def build_series_command(sources, output, *, force: bool = False, fmt: str | None = None) -> int:
    """``tradecalc build --series ...``: write the series workbook (.xlsx).

    An existing workbook is not overwritten without ``force``: figures typed into it
    (a new release appended as rows) would be lost.
    """
    from tradecalc import load
    from tradecalc.analysis.series import series
    from tradecalc.model.releasefile import atomic_write_bytes
    from tradecalc.workbook.series import build_series_workbook

    if not output:
        raise ValueError(
            "give the workbook path: tradecalc build --series A.toml B.toml -o series.xlsx"
        )
    out = Path(output)
    if fmt not in (None, "xlsx"):
        raise ValueError(f"--format {fmt}: the series workbook is an .xlsx (it holds no macros)")
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"{out}: the series workbook is an .xlsx (it holds no macros)")
    paths = [Path(s) for s in sources]
    for s in paths:
        if not s.exists():
            raise FileNotFoundError(f"{s}: no such file or folder")
        if s.resolve() == out.resolve():
            raise ValueError(f"{out} is an input; write the workbook elsewhere")
    if out.exists() and out.is_dir():
        raise IsADirectoryError(f"{out} is a folder; give a workbook file name")
    if out.exists() and not force:
        raise FileExistsError(
            f"{out} exists; figures typed into it would be lost: pass --force to overwrite it, "
            "or write the workbook elsewhere"
        )
    tables = series(paths, load=load)
    for note in tables.notes:
        print(f"note: {note}", file=sys.stderr)
    atomic_write_bytes(out, build_series_workbook(tables))
    print(
        f"wrote {out} ({len(tables.figures)} figures of {len(tables.releases)} releases, "
        f"{len(tables.periods)} periods, {len(tables.revisions)} revision checks)",
        file=sys.stderr,
    )
    return 0


# --------------------------------------------------------------------------- rendering


def num(x) -> str:
    """A level with the digits that matter: 3.15, 0.26071, 260.71, 1,020 (blank for missing)."""
    if is_nan(x):
        return ""
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) < 1e-9:
        return "0"
    digits = max(0, 5 - int(math.floor(math.log10(abs(x)))))
    s = f"{x:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def pct(x) -> str:
    """A fraction as a percentage with two decimals: 0.757 gives "75.70%" (blank for missing or infinite)."""
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return ""
    return f"{x * 100:.2f}%"


def _span(v, lo, hi, f) -> str:
    if not f(v):
        return ""
    inside = f"{f(lo)}, {f(hi)}" if f(lo) or f(hi) else "no bound"
    return f"{f(v)} [{inside}]"


def _stated(row) -> str:
    parts = [
        num(row["stated_value"]),
        (("+" if row["stated_yoy"] >= 0 else "") + pct(row["stated_yoy"]))
        if pct(row["stated_yoy"])
        else "",
    ]
    text = " ".join(p for p in parts if p)
    return f"{text} ({row['stated_release']})" if text else ""


def _period_cells(row, many_groups: bool) -> dict:
    cells = {
        "series": row["series"],
        "period": row["label"],
        "kind": row["kind"],
        "cumulative": f"{num(row['cumulative'])} ({row['cumulative_period']})"
        if num(row["cumulative"])
        else "",
        "minus": f"{num(row['previous'])} ({row['previous_period']})"
        if num(row["previous"])
        else "",
        "single period": _span(row["value"], row["value_low"], row["value_high"], num),
        "growth": _span(row["growth"], row["growth_low"], row["growth_high"], pct),
        "stated": _stated(row),
        "unit": row["unit"],
        "value status": row["value_status"],
        "growth status": row["growth_status"],
        "note": row["note"],
    }
    return ({"group": row["group"]} if many_groups else {}) | cells


def _revision_cells(row, many_groups: bool) -> dict:
    cells = {
        "series": row["series"],
        "period": row["label"],
        "earlier": (f"{num(row['earlier'])} {pct(row['earlier_yoy'])} ({row['earlier_release']})"),
        "later": (
            f"{_span(row['later'], row['later_low'], row['later_high'], num)} "
            f"{pct(row['later_yoy'])} ({row['later_release']}, {row['later_how']})"
        ),
        "revision": _span(row["revision"], row["revision_low"], row["revision_high"], num),
        "unit": row["unit"],
        "value status": row["value_status"],
        "growth status": row["growth_status"],
        "note": row["note"],
    }
    return ({"group": row["group"]} if many_groups else {}) | cells


def render(tables, fmt: str) -> str:
    """The series tables as a terminal table, CSV, JSON or Markdown."""
    if fmt == "json":
        return _json(tables)
    if fmt == "csv":
        return _csv(tables)
    many = tables.periods["group"].nunique() > 1 if len(tables.periods) else False
    prows = [_period_cells(r, many) for r in tables.periods.to_dict("records")]
    rrows = [_revision_cells(r, many) for r in tables.revisions.to_dict("records")]
    title_p = "series: single periods from cumulative releases"
    title_r = "series: revisions (a period as two releases print or imply it)"
    out = _table(prows, title_p, fmt)
    if rrows:
        out += ("\n" if fmt == "markdown" else "") + _table(rrows, title_r, fmt)
    counts = _counts(tables)
    out += (
        ("\n" if fmt == "markdown" else "")
        + "summary: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + "\n"
    )
    return out


def _counts(tables) -> dict:
    import pandas as pd

    statuses = pd.concat([tables.periods["status"], tables.revisions["status"]])
    return {k: int(v) for k, v in statuses.value_counts().items()}


def _table(rows: list[dict], title: str, fmt: str) -> str:
    if not rows:
        return f"{title}: no rows\n"
    cols = list(rows[0])
    if fmt == "markdown":
        lines = [f"**{title}**", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += [
            "| " + " | ".join(str(r[c]).replace("|", "\\|") for c in cols) + " |" for r in rows
        ]
        return "\n".join(lines) + "\n"
    import shutil
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    from tradecalc.cli.report import STATUS_STYLE

    t = Table(title=title, header_style="bold")
    for c in cols:
        t.add_column(c, overflow="fold")
    for r in rows:
        style = STATUS_STYLE.get(_row_status(r))
        t.add_row(*[str(r[c]) for c in cols], style=style)
    buf = StringIO()
    tty = sys.stdout.isatty()
    width = shutil.get_terminal_size((200, 40)).columns if tty else 220
    Console(
        file=buf, width=max(width, 120), force_terminal=tty, color_system="auto" if tty else None
    ).print(t)
    return buf.getvalue()


def _row_status(r: dict) -> str:
    from tradecalc.analysis.series import worst

    return worst(r.get("value status", ""), r.get("growth status", ""))


def _csv(tables) -> str:
    import pandas as pd

    from tradecalc.analysis.series import PERIOD_UNITS, REVISION_UNITS
    from tradecalc.io.safety import csv_safe

    p = tables.periods.copy()
    p.insert(0, "table", "period")
    r = tables.revisions.copy()
    r.insert(0, "table", "revision")
    both = pd.concat([p, r], ignore_index=True, sort=False)
    units = PERIOD_UNITS | REVISION_UNITS
    names = {
        c: f"{c} [{'row unit' if units[c] == 'unit' else units[c]}]"
        for c in both.columns
        if c in units
    }
    return csv_safe(both.rename(columns=names)).to_csv(index=False)


def _records(frame) -> list[dict]:
    out = []
    for rec in frame.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, float) and math.isnan(v):
                v = None
            elif isinstance(v, float) and math.isinf(v):
                v = "inf" if v > 0 else "-inf"
            elif hasattr(v, "item"):
                v = v.item()
            clean[k] = v
        out.append(clean)
    return out


def _json(tables) -> str:
    from tradecalc.analysis.series import PERIOD_UNITS, REVISION_UNITS

    units = {
        k: ("each row's unit" if v == "unit" else v)
        for k, v in (PERIOD_UNITS | REVISION_UNITS).items()
    }
    doc = {
        "releases": tables.releases,
        "notes": tables.notes,
        "summary": _counts(tables),
        "units": units,
        "periods": _records(tables.periods),
        "revisions": _records(tables.revisions),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n"
