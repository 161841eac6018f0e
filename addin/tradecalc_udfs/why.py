"""TRADE_WHY: the reason behind an error, where the error itself cannot carry one.

On Office.js (xlwings Lite and Server) the functions return real Excel
errors, which ``IFERROR``/``ISERROR`` see but which carry no message into
the cell. ``=TRADE_WHY("TRADE_BASE", B2, C2)`` calls the same function on
the same arguments and returns, cell by cell, the one-line reason of each
error, and a blank where the function gives a value. A formula cannot read
the reason out of a cell holding an error (the error is all it receives),
so TRADE_WHY takes the function and its arguments, not the cell.

>>> trade_why("TRADE_BASE", 180.24, -1.2)
'#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)'
>>> trade_why("trade_base", 180.24, 0.604) is None
True
"""

from __future__ import annotations

from typing import Annotated

from ._excel import (
    BY_EXCEL_NAME,
    Cells,
    Text,
    current,
    fit_text,
    is_error,
    range_of,
    text,
    udf,
    value_error,
)

SECTION = "Reasons for errors"


@udf(SECTION, explains=True)
def trade_why(
    function: Annotated[Text, 'The function\'s name, as text: "TRADE_BASE".'],
    *arguments: Annotated[
        Cells, "Its arguments, as in the formula that shows the error (cells or ranges)."
    ],
):
    """The reason for each error a function gives on these arguments, as one line of text per cell
    (blank where it gives a value). TRADE_WHY("TRADE_BASE", 180.24, -1.2) says the growth is -100%
    or less, so there is no base.
    """
    g = range_of("function", function)
    name = ((text("function", g[0, 0]) if g.shape == (1, 1) else "") or "").upper()
    f = BY_EXCEL_NAME.get(name)
    if f is None or name == current()["name"]:
        raise value_error(
            f"function is {name[:40]!r}; give the name of a TRADE_ function as text, e.g. "
            '"TRADE_BASE"'
        )
    params = f.__trade_udf__["args"]
    required = len(params) - len(f.__trade_udf__["optional"])
    if not required <= len(arguments) <= len(params):
        names = ", ".join(p for p, _ in params)
        raise value_error(
            f"{name} takes {required}{'' if required == len(params) else f'-{len(params)}'} "
            "arguments "
            f"({names}); got {len(arguments)}"
        )
    result = f.__trade_text__(*arguments)
    if isinstance(result, list):
        return [[_reason(v) for v in row] for row in result]
    return _reason(result)


def _reason(v):
    """An error text as it is; an error passed on from an input said so; a value → blank."""
    if not is_error(v):
        return None
    v = v.strip()
    if " " not in v:  # a bare code from an input: say so, and never return the exact code,
        return fit_text(f"{v} passed on from an input")  # which Office.js would show as the error
    return v
