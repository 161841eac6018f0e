"""Output of the derived and checks tables: terminal table, CSV, JSON, Markdown.

Machine formats carry units: CSV headers read ``base [billion yuan]``,
``share [fraction]``, ``pull_pp [pp]``; JSON holds ``{"release", "units",
"rows"}``. Checks carry their ``unit`` and ``status`` in every row.

Given the release, the derived table also says how each figure's precision
is known: ``value_decimals`` and ``yoy_decimals`` (digits after the point as
printed, in percent for rates) and ``precision``: ``published`` (from the
text or the decimals columns), or the reader's note, e.g. ``precision
inferred for value (2)`` when a workbook's decimals cell was empty, or
``precision unknown for value (taken as exact)``.
"""

from __future__ import annotations

import json
import math
import re

from tradecalc.io.formats import REPORT_FORMATS as FORMATS  # noqa: F401  (the old name)
from tradecalc.model.published import is_nan

_DERIVED_SHOWN = [
    "id",
    "period",
    "value",
    "yoy",
    "base",
    "change",
    "share",
    "base_share",
    "share_change_pp",
    "pull_pp",
    "contribution",
    "average_growth",
    "prior_growth",
    "base_low",
    "base_high",
]
_CHECKS_SHOWN = ["check", "stated", "computed", "low", "high", "unit", "status", "note"]
STATUS_STYLE = {
    "consistent": "green",
    "consistent within rounding": "yellow",
    "inconsistent": "bold red",
    "not checkable": "dim",
}


def _fmt(x, unit: str) -> str:
    if isinstance(x, str):
        return x
    if is_nan(x):
        return ""
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if unit == "fraction":
        return f"{x * 100:.2f}%"
    if unit == "pp":
        return f"{x:.2f} pp"
    if unit == "years":
        return f"{x:g}"
    return f"{x:,.3f}" if abs(x) < 100 else f"{x:,.2f}"


def derived_units(derived, unit_hint: str = "") -> dict[str, str]:
    """Unit of every derived-table column, for the release's unit (``unit_hint``, else the table's own)."""
    from tradecalc.analysis.derived_table import column_units

    unit = unit_hint or (derived["unit"].iloc[0] if len(derived) else "")
    return column_units(unit)


def _json_value(v):
    """NaN → null and ±inf → "inf"/"-inf": JSON has neither."""
    if is_nan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _records(frame):
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: _json_value(v) for k, v in rec.items()})
    return out


_DECIMALS_UNIT = "digits as printed"


def precision_of(figure) -> str:
    """How a figure's precision is known: "published", or the reader's note about it."""
    notes = [
        n.strip() for n in (figure.review or "").split(";") if n.strip().startswith("precision ")
    ]
    if notes:
        return "; ".join(notes)
    unknown = [
        k
        for k in ("value", "yoy", "earlier_growth")
        if not is_nan(getattr(figure, k)) and getattr(figure, k + "_decimals") is None
    ]
    return (
        f"precision unknown for {', '.join(unknown)} (taken as exact)" if unknown else "published"
    )


def with_precision(derived, release):
    """The derived table plus value_decimals, yoy_decimals and precision (when the release is known)."""
    if release is None:
        return derived
    figs = {f.id: f for f in release.figures}
    out = derived.copy()

    def col(fn):
        return [fn(figs[i]) if i in figs else None for i in out["id"]]

    out["value_decimals"] = col(lambda f: f.value_decimals)
    out["yoy_decimals"] = col(lambda f: f.yoy_decimals)
    out["precision"] = col(precision_of)
    return out


def render_derived(derived, fmt: str, release=None) -> str:
    """The derived table as text in ``fmt``: csv (units in the headers), json, markdown or a table."""
    units = derived_units(derived, release.unit if release is not None else "")
    units |= {"value_decimals": _DECIMALS_UNIT, "yoy_decimals": _DECIMALS_UNIT}
    derived = with_precision(derived, release)
    if fmt == "csv":
        f = derived.rename(columns={c: f"{c} [{units[c]}]" for c in derived.columns if c in units})
        from tradecalc.io.safety import csv_safe

        return csv_safe(f).to_csv(
            index=False
        )  # "=cmd|..." in a label must not run when the CSV is opened in Excel
    if fmt == "json":
        return json.dumps(
            {
                "release": dict(release.meta) if release is not None else {},
                "units": {c: units[c] for c in derived.columns if c in units},
                "rows": _records(derived),
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    cols = [c for c in _DERIVED_SHOWN if c in derived.columns and not derived[c].isna().all()]
    if "precision" in derived.columns and (derived["precision"] != "published").any():
        cols.append("precision")
    return _text_table(derived, cols, units, fmt, title=_title(release, "derived"))


_CHECK_UNITS_NOTE = (
    "stated, computed, difference, tolerance, low and high are in each row's unit: the release's "
    "money unit, 'fraction' (0.604 = 60.4%), 'pp' (percentage points) or a rate such as 'yuan per USD'"
)


def render_checks(checks, fmt: str, release=None) -> str:
    """The checks table as text in ``fmt``: csv, json (with a count per status), markdown or a table."""
    if fmt == "csv":
        from tradecalc.io.safety import csv_safe

        return csv_safe(checks).to_csv(index=False)
    if fmt == "json":
        counts = checks["status"].value_counts().to_dict()
        return json.dumps(
            {
                "release": dict(release.meta) if release is not None else {},
                "summary": counts,
                "units": _CHECK_UNITS_NOTE,
                "rows": _records(checks),
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        )
    return _text_table(checks, _CHECKS_SHOWN, None, fmt, title=_title(release, "checks"))


def _title(release, what):
    if release is None:
        return what
    m = release.meta
    return f"{m.get('title') or m.get('id')}: {what} ({m.get('unit')})"


def _cell(row, col, units):
    if col == "precision":  # on screen the column name says it: "inferred for value (2)"
        return str(row[col]).replace("precision ", "")
    unit = (
        units.get(col, "")
        if units
        else (row.get("unit", "") if col in ("stated", "computed", "low", "high") else "")
    )
    return _fmt(row[col], unit)


#: Characters that would act on the terminal instead of being shown: C0/C1 controls (ANSI escapes
#: start with ESC) and the bidirectional overrides that reorder what follows them.
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown_text(value: str):
    """Text from a release as a terminal shows it: never rich markup, never a terminal control.

    ``[/]``, ``[link=...]`` or ``[conceal]`` in a label are shown as typed (a
    :class:`rich.text.Text` is not parsed for markup); a tab or newline
    becomes a space, other controls the replacement character.

    >>> shown_text("Exports [conceal]x[/]\x1b[2J").plain
    'Exports [conceal]x[/]\ufffd[2J'
    """
    from rich.text import Text

    return Text(printable(value))


def printable(value) -> str:
    """``value`` as text with terminal controls replaced (a tab or newline by a space)."""
    return _TERMINAL_CONTROLS.sub(lambda m: " " if m.group() in "\t\n\r" else "\ufffd", str(value))


def _text_table(frame, cols, units, fmt, title):
    rows = frame.to_dict(orient="records")
    if fmt == "markdown":
        lines = [
            f"**{printable(title)}**",
            "",
            "| " + " | ".join(cols) + " |",
            "|" + "---|" * len(cols),
        ]
        for r in rows:
            lines.append(
                "| "
                + " | ".join(printable(_cell(r, c, units)).replace("|", "\\|") for c in cols)
                + " |"
            )
        return "\n".join(lines) + "\n"
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    t = Table(title=shown_text(title), show_lines=False, header_style="bold")
    for c in cols:
        t.add_column(
            c,
            justify="left"
            if c in ("id", "check", "period", "unit", "status", "note", "precision")
            else "right",
            overflow="fold",
        )
    for r in rows:
        cells = [shown_text(_cell(r, c, units)) for c in cols]
        style = STATUS_STYLE.get(r.get("status", ""), None) if "status" in r else None
        t.add_row(*cells, style=style)
    import shutil
    import sys

    buf = StringIO()
    width = shutil.get_terminal_size((180, 40)).columns if sys.stdout.isatty() else 200
    Console(
        file=buf,
        width=max(width, 120),
        force_terminal=sys.stdout.isatty(),
        color_system="auto" if sys.stdout.isatty() else None,
    ).print(t)
    return buf.getvalue()
