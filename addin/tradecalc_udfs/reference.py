"""The function reference, generated from the UDFs themselves so it cannot drift.

:func:`function_reference` reads what :func:`tradecalc_udfs._excel.udf`
recorded for each function: the same docstring and argument descriptions
that xlwings hands to Excel's function wizard and to the Office.js metadata.
:func:`markdown` renders it; docs/functions.md is its output, checked by a test.

It also writes the core's copy of the list (name, signature, description), the
data the workbook's About sheet shows without importing the add-in
(:data:`tradecalc.workbook.functions.DATA`). Regenerate both::

    python -m tradecalc_udfs.reference            # write
    python -m tradecalc_udfs.reference --check    # exit 1 if either is out of date

>>> ref = {f["name"]: f for f in function_reference()}
>>> ref["TRADE_BASE"]["signature"]
'TRADE_BASE(value, growth)'
>>> ref["TRADE_NUMBER"]["signature"]
'TRADE_NUMBER(text, [part])'
>>> ref["TRADE_WHY"]["signature"]
'TRADE_WHY(function, arguments, ...)'
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import REGISTRY
from ._excel import CATEGORY

DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "functions.md"


def function_reference() -> list[dict]:
    """Every Excel function, in catalog order.

    Each entry: ``name`` (Excel name), ``signature`` (optional arguments in
    brackets), ``description``, ``category``, ``section`` (heading in the
    reference) and ``args``: a list of (argument, description).
    """
    out = []
    for f in REGISTRY:
        meta = f.__trade_udf__
        shown = [
            f"[{a}]" if a in meta["optional"] else f"{a}, ..." if a in meta["vararg"] else a
            for a, _ in meta["args"]
        ]
        out.append(
            {
                "name": meta["name"],
                "signature": f"{meta['name']}({', '.join(shown)})",
                "description": f.__doc__,
                "category": meta["category"],
                "section": meta["section"],
                "args": list(meta["args"]),
            }
        )
    return out


INTRO = f"""\
# Excel functions (tradecalc_udfs)

Generated from the functions' own descriptions by `python -m tradecalc_udfs.reference`;
do not edit by hand. In Excel's function wizard they are in the category "{CATEGORY}".

Conventions: growth rates and shares are fractions (60.4% is 0.604; format cells `0.0%`);
results in percentage points are points (5.4 = 5.4 pp); money stays in the release's unit.
Arguments take single cells or ranges of one shape (a single cell goes with any range),
and a range gives an array of the same shape. A blank input gives a blank result, never 0.
Numbers stored as text are read as printed: in a growth argument text is a percentage ("75.7"
and "75.7%" are both 75.7%, as `tradecalc derive` reads a growth cell), elsewhere a number
("112.32"). Array constants cannot hold `%`: type `{{-0.146,0.604}}`. A blank result is an empty
string, not an empty cell (`ISBLANK` is FALSE; `=B2*100` gives `#VALUE!`; test with `=B2=""`).
Bad input gives an error: on xlwings Lite and Server a real Excel error (`#NUM!`, `#VALUE!`,
`#N/A`), whose reason `TRADE_WHY` returns; in classic xlwings one line of text starting with the
error code, e.g. `#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)`. An error in an input
is passed on. The README ("Errors in cells") lists what each host shows.

The `*_BOUNDS` functions return `[low, high]` (one row; a column of inputs gives one row per
cell): `=INDEX(TRADE_BASE_BOUNDS(...), 1)` is the low end, `..., 2)` the high end.
Their `*_decimals` arguments are the digits after the point as printed, in percent for
growth rates ("60.4%" → 1); blank means exact.
"""


def markdown() -> str:
    """The function reference as Markdown (the content of docs/functions.md)."""
    ref = function_reference()
    sections: dict[str, list[dict]] = {}
    for f in ref:
        sections.setdefault(f["section"], []).append(f)
    lines = [INTRO, "## Contents", ""]
    for sec, funcs in sections.items():
        lines.append(
            f"- {sec}: " + ", ".join(f"[{f['name']}](#{f['name'].lower()})" for f in funcs)
        )
    lines.append("")
    for sec, funcs in sections.items():
        lines += [f"## {sec}", ""]
        for f in funcs:
            lines += [f"### {f['name']}", "", f"`={f['signature']}`", "", f["description"], ""]
            lines += [f"- `{a}`: {d}" for a, d in f["args"]]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def core_function_data() -> list[dict]:
    """The list the core keeps for the About sheet: name, signature and description of each."""
    from tradecalc.workbook.functions import FIELDS

    return [{k: f[k] for k in FIELDS} for f in function_reference()]


def main(argv: list[str] | None = None) -> int:
    """Write docs/functions.md and the core's function_data.py (``--check``: 1 if either is out of date)."""
    from tradecalc.workbook.functions import DATA, render

    argv = sys.argv[1:] if argv is None else argv
    outputs = {DOCS_PATH: markdown(), DATA: render(core_function_data())}
    if "--check" in argv:
        stale = [
            p for p, text in outputs.items() if (p.read_text("utf-8") if p.exists() else "") != text
        ]
        for p in stale:
            print(f"{p} is out of date: run python -m tradecalc_udfs.reference", file=sys.stderr)
        return 1 if stale else 0
    for p, text in outputs.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
