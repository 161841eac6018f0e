"""What every UDF shares: registration with xlwings, Excel-value coercion, error values.

Registration
    A UDF is one decorated function whose parameters are annotated with their
    kind and description, ``value: Annotated[Level, "The value ..."]``.
    :func:`udf` rewrites each into the ``Annotated`` hint xlwings reads,
    ``Annotated[Any, {"doc": ..., "ndim": 2, "err_to_str": True}, Level]``
    (``Level[doc]``): xlwings takes the first dict (the argument's
    description, a 2-D read, error cells as ``"#N/A"`` text instead of
    blanks), the coercion below the kind. :func:`udf` registers the function
    with ``xw.func`` under its Excel name (the Python name upper-cased,
    derived once, here) and records the same descriptions for
    :mod:`tradecalc_udfs.reference`, so the function wizard, the Office.js
    metadata and docs/functions.md come from one place.

Coercion (:func:`number`, :func:`decimals`, :func:`text`, :func:`period`)
    blank (``None``, ``""``, NaN) is missing; numbers (float, int, ``Decimal``
    from a currency-formatted cell) pass; text in a ``Rate`` argument is a
    printed percentage, text elsewhere a printed number (both through
    :func:`tradecalc.model.published.parse`, the rule ``derive`` uses); a
    percentage is refused where a level is expected; TRUE/FALSE and words are
    refused with ``#VALUE!``; an Excel error in an input is passed on: the
    error text (``"#N/A"``) or the integer pywin32 hands over for the errors
    classic xlwings does not name (``#SPILL!`` is -2146826243).

Errors
    UDFs never raise into Excel. A bad input gives, in the cell concerned, a one
    line text of at most 255 characters starting with the Excel error code:
    ``#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)``. Where the host
    can show a real error (xlwings Lite and Server, Office.js), :func:`udf`
    turns that text into the bare code, which xlwings sends as a real error;
    ``TRADE_WHY`` gives the text. See the README, "Errors in cells".

No arithmetic here: shapes, types and messages only; every number comes from
:mod:`tradecalc`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import inspect
import math
import numbers
import sys
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import numpy as np
import xlwings as xw

from tradecalc import TradeDomainError
from tradecalc.model.published import is_blank as blank  # the core's one blank rule
from tradecalc.model.published import parse

CATEGORY = "Trade release arithmetic"

#: The errors Excel (and pycel) show in cells, by their number (``CVErr(2042)`` is ``#N/A``):
#: Microsoft's XlCVError list (2000-2045) and the newer codes (2043, 2046-2050, as in the
#: Excel SDK's xlErr* constants). Through COM a cell error is the HRESULT 0x800A0000 + number.
ERROR_NUMBERS = {
    2000: "#NULL!",
    2007: "#DIV/0!",
    2015: "#VALUE!",
    2023: "#REF!",
    2029: "#NAME?",
    2036: "#NUM!",
    2042: "#N/A",
    2043: "#GETTING_DATA",
    2045: "#SPILL!",
    2046: "#CONNECT!",
    2047: "#BLOCKED!",
    2048: "#UNKNOWN!",
    2049: "#FIELD!",
    2050: "#CALC!",
}
#: The range of Excel error HRESULTs as pywin32 passes them: signed 32-bit integers.
ERROR_CODE_MIN, ERROR_CODE_MAX = 0x800A07D0 - 2**32, 0x800A0834 - 2**32


def com_error_code(number: int) -> int:
    """The integer pywin32 passes for Excel error ``number``: 0x800A0000 + number, signed.

    >>> com_error_code(2042), com_error_code(2045)
    (-2146826246, -2146826243)
    """
    return 0x800A0000 + number - 2**32


#: Error values Excel (and pycel) put in cells; an input holding one is passed through.
EXCEL_ERRORS = tuple(ERROR_NUMBERS.values()) + ("#BUSY!", "#EXTERNAL!")

#: The errors an Office.js custom function can return (CustomFunctions.ErrorCode); xlwings
#: turns exactly these strings into real errors.
OFFICEJS_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")

#: Every registered UDF, in catalog order (filled by :func:`udf`).
REGISTRY: list[Callable] = []
#: Excel name → UDF (the package's ``__getattr__`` serves classic xlwings' upper-case names).
BY_EXCEL_NAME: dict[str, Callable] = {}

#: Longest text put in a cell: a VBA array holding a longer string fails as a whole in classic
#: Excel (every cell #VALUE!, xlwings issue #456).
MAX_CELL_TEXT = 255

#: The UDF being called (its Excel name and argument kinds), for messages and coercion.
_CURRENT: contextvars.ContextVar[dict] = contextvars.ContextVar("tradecalc_udf")


# --------------------------------------------------------------------------- argument kinds


class Kind:
    """An argument kind. ``Kind[doc]`` is the hint xlwings reads (its first dict)."""

    kind = "any"

    def __class_getitem__(cls, doc: str):
        return Annotated[Any, {"doc": doc, "ndim": 2, "err_to_str": True}, cls]


class Level(Kind):
    """A value in the release's unit; a percentage is refused."""

    kind = "level"


class Rate(Kind):
    """A growth rate or share: a number is a fraction (0.757), text a printed percentage."""

    kind = "rate"


class Points(Kind):
    """Percentage points (31.2); a percentage is refused."""

    kind = "points"


class Years(Kind):
    """A number of years."""

    kind = "years"


class Decimals(Kind):
    """Published decimals: a whole number ≥ 0, blank for exact."""

    kind = "decimals"


class Text(Kind):
    """Text as printed (or any cell, read by the function itself)."""

    kind = "text"


class Period(Kind):
    """A period: "2021-Q1", "2021-03", a year, or a date (the first of a month)."""

    kind = "period"


class Cells(Kind):
    """A range read by the function itself (a table, a list of values)."""

    kind = "cells"


def _kinds(f, arg_docs: dict[str, str]) -> dict[str, tuple[type[Kind], str]]:
    """Parameter → (kind, description), from the ``Kind[doc]`` annotations.

    ``arg_docs`` is the older form (``udf(section, name="description")``): such
    parameters are ``Cells`` read by the function itself; their annotations are set here.
    """
    out = {}
    for p, doc in arg_docs.items():
        f.__annotations__[p] = Cells[doc]
    hints = get_type_hints(f, include_extras=True)
    for p in inspect.signature(f).parameters:
        hint = hints.get(p)
        args = get_args(hint) if get_origin(hint) is Annotated else ()
        if len(args) == 2 and _is_kind(args[0]) and isinstance(args[1], str):
            out[p] = (args[0], args[1])  # Annotated[Level, "description"], as written in the UDFs
            f.__annotations__[p] = args[0][args[1]]  # the form xlwings reads
        elif len(args) == 3 and _is_kind(args[2]):
            out[p] = (args[2], args[1]["doc"])  # already Level["description"]
        else:
            raise TypeError(
                f"{f.__name__}: annotate {p} with its kind: Annotated[Level, 'description']"
            )
    return out


def _is_kind(x) -> bool:
    return isinstance(x, type) and issubclass(x, Kind)


# --------------------------------------------------------------------------- registration


def host() -> str:
    """
    Where xlwings' decorators register: "officejs" (Lite, Server), "classic" (Windows) or "python".
    """
    module = getattr(xw.func, "__module__", "") or ""
    if (
        module.endswith("udfs_officejs")
        or module == "xlwings.server"
        or sys.platform == "emscripten"
    ):
        return "officejs"
    if module == "xlwings.udfs":
        return "classic"
    return "python"


def udf(section: str, *, pair: bool = False, explains: bool = False, **arg_docs: str):
    """Register ``f`` as the Excel function ``f.__name__.upper()`` in ``section`` of the reference.

    Every parameter carries its kind and description (``Level["..."]``); the
    docstring, folded onto one line, is the function's description. The
    registered function turns a :class:`CellError` into the cell's text
    (``pair``: the function returns [[low, high]]; an error fills both), and
    on Office.js its error texts into real errors (``explains``: not for
    TRADE_WHY, whose result is the text).
    """

    def deco(f):
        kinds = _kinds(f, arg_docs)
        params = inspect.signature(f).parameters
        name = f.__name__.upper()
        f.__doc__ = " ".join(inspect.cleandoc(f.__doc__ or "").split())
        meta = {
            "name": name,
            "section": section,
            "category": CATEGORY,
            "kinds": {p: k for p, (k, _) in kinds.items()},
            "args": [(p, d) for p, (_, d) in kinds.items()],
            "optional": [p for p, v in params.items() if v.default is not inspect.Parameter.empty],
            "vararg": [p for p, v in params.items() if v.kind is inspect.Parameter.VAR_POSITIONAL],
        }
        text_mode = _returns_cell_errors(f, meta, pair or getattr(f, "__trade_pair__", False))
        registered = text_mode if explains or host() != "officejs" else _officejs(text_mode)
        registered.__trade_udf__ = meta
        registered.__trade_text__ = text_mode
        registered = xw.func(category=CATEGORY)(registered)
        if hasattr(registered, "__xlfunc__") and host() == "classic":
            # the VBA wrapper takes this name, so the function wizard shows TRADE_BASE; xlwings
            # calls back getattr(module, "TRADE_BASE"), served by the package's __getattr__
            registered.__xlfunc__["name"] = name
        REGISTRY.append(registered)
        BY_EXCEL_NAME[name] = registered
        return registered

    return deco


_NO_UDF = {"name": "TRADECALC", "kinds": {}}


def current() -> dict:
    """The UDF being called (name, kinds); outside a call, an anonymous one."""
    return _CURRENT.get(_NO_UDF)


def _returns_cell_errors(f, meta: dict, pair: bool):
    """Call ``f`` with ``meta`` as the current UDF; a :class:`CellError` becomes the cell's text.

    Any other exception is a bug; it still becomes one line of text, because
    classic xlwings would otherwise put the whole traceback in the cell.
    """

    @wraps(f)
    def wrapper(*args, **kwargs):
        token = _CURRENT.set(meta)
        try:
            return f(*args, **kwargs)
        except CellError as e:
            text = e.text
        except Exception as e:  # a bug, not bad input: still one line in the cell, no traceback
            reason = " ".join(f"{type(e).__name__}: {e}".split())
            text = CellError(
                f"#VALUE! {meta['name']}: unexpected error ({reason}); please report it"
            ).text
        finally:
            _CURRENT.reset(token)
        return [[text, text]] if pair else text

    return wrapper


def bare_error(x):
    """An error text as the real error Office.js can show; anything else unchanged.

    ``"#NUM! TRADE_BASE: ..."`` → ``"#NUM!"``; an input's ``#SPILL!`` (no
    Office.js equivalent) → ``"#N/A"``, the error ``ISNA`` sees.

    >>> bare_error("#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"), bare_error("#SPILL!")
    ('#NUM!', '#N/A')
    """
    if not is_error(x):
        return x
    code = x.split(" ", 1)[0]
    return code if code in OFFICEJS_ERRORS else "#N/A"


def _officejs(f):
    """Results with real errors for Office.js: every error text becomes its bare code."""

    @wraps(f)
    def wrapper(*args, **kwargs):
        r = f(*args, **kwargs)
        if isinstance(r, list):
            return [[bare_error(v) for v in row] for row in r]
        return bare_error(r)

    return wrapper


# --------------------------------------------------------------------------- errors


class CellError(Exception):
    """A bad input; ``text`` is what the cell shows (at most :data:`MAX_CELL_TEXT` characters)."""

    def __init__(self, text: str):
        text = fit_text(" ".join(text.split()))
        super().__init__(text)
        self.text = text


def fit_text(s: str) -> str:
    """``s`` cut to :data:`MAX_CELL_TEXT` characters, the cut marked with "…"."""
    return s if len(s) <= MAX_CELL_TEXT else s[: MAX_CELL_TEXT - 1] + "…"


def _error(code: str, args) -> CellError:
    # (message) names the current UDF; (fname, message) is the older form, kept for callers
    fname, message = (current()["name"], args[0]) if len(args) == 1 else args
    return CellError(f"{code} {fname}: {message}")


def value_error(*args) -> CellError:
    """``#VALUE!`` with a message: ``value_error(message)`` (or ``value_error(fname, message)``)."""
    return _error("#VALUE!", args)


def num_error(*args) -> CellError:
    """``#NUM!`` with a message (outside the formula's domain)."""
    return _error("#NUM!", args)


def is_error(x) -> bool:
    """True for an Excel error value ("#N/A") or an error text of these UDFs."""
    return isinstance(x, str) and x.lstrip().startswith(EXCEL_ERRORS)


def error_code_name(x) -> str | None:
    """The error an integer from pywin32 stands for ("#SPILL!"), or None if ``x`` is no error code.

    Exactly ``int`` (Excel passes numbers as floats; pywin32 turns VT_ERROR into int).

    >>> error_code_name(-2146826243), error_code_name(-2146826246), error_code_name(2045)
    ('#SPILL!', '#N/A', None)
    """
    if type(x) is not int or not ERROR_CODE_MIN <= x <= ERROR_CODE_MAX:
        return None
    return ERROR_NUMBERS.get(error_number(x), "#N/A")


def error_number(code: int) -> int:
    """Excel's error number (2042) of a pywin32 error code (-2146826246)."""
    return code + 2**32 - 0x800A0000


def input_error(name: str, x) -> CellError | None:
    """The error an input cell holds, as the error to pass on, or None."""
    if isinstance(x, str) and is_error(x):
        return CellError(x.strip())
    code = error_code_name(x)
    if code is None:
        return None
    number = error_number(x)
    if number not in ERROR_NUMBERS:  # a number Microsoft does not name (#BUSY!?): still an error
        return CellError(
            f"#N/A {current()['name']}: {name} holds Excel error {number} (CVErr({number}))"
        )
    return CellError(code)


# --------------------------------------------------------------------------- shapes


def grid(x) -> np.ndarray:
    """An Excel argument as a 2-D object array: a cell is 1×1, a 1-D list a column."""
    if isinstance(x, np.ndarray):
        a = x.astype(object)
    elif isinstance(x, (list, tuple)):
        if len(x) == 0:
            return np.empty((0, 0), dtype=object)
        if all(isinstance(r, (list, tuple, np.ndarray)) for r in x):
            widths = {len(r) for r in x}
            if len(widths) != 1:
                raise ValueError("rows of different lengths")
            a = np.empty((len(x), widths.pop()), dtype=object)
            for i, r in enumerate(x):
                for j, v in enumerate(r):
                    a[i, j] = v
            return a
        a = np.empty((len(x), 1), dtype=object)
        for i, v in enumerate(x):
            a[i, 0] = v
        return a
    else:
        a = np.empty((1, 1), dtype=object)
        a[0, 0] = x
        return a
    if a.ndim == 0:
        return a.reshape(1, 1)
    if a.ndim == 1:
        return a.reshape(-1, 1)
    if a.ndim != 2:
        raise ValueError("more than two dimensions")
    return a


def range_of(*args) -> np.ndarray:
    """:func:`grid`, with a ragged list as a ``#VALUE!`` of the argument: ``range_of(name, x)``."""
    name, x = args[-2:]
    try:
        return grid(x)
    except ValueError as e:
        raise value_error(f"{name} is not a rectangular range ({e})") from None


def _dims(shape) -> str:
    return f"{shape[0]}×{shape[1]}"


def _cells(name: str, x) -> tuple[tuple[int, int], list]:
    """An argument as (shape, flat list of cells); a single cell costs no array."""
    t = type(x)
    if t is list or t is tuple:
        if len(x) == 1 and type(x[0]) in (list, tuple) and len(x[0]) == 1:
            return (1, 1), [x[0][0]]  # [[x]]: a single cell as xlwings passes it with ndim=2
    elif t is not np.ndarray:
        return (1, 1), [x]
    g = range_of(name, x)
    if g.size == 0:
        raise value_error(f"{name} is an empty range")
    return g.shape, list(g.reshape(-1))


def common_shape(shapes: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """The shape shared by the arguments (single cells go with any shape)."""
    shape, first = (1, 1), None
    for name, s in shapes.items():
        if s == (1, 1):
            continue
        if first is None:
            shape, first = s, name
        elif s != shape:
            raise value_error(
                f"{first} is {_dims(shape)} but {name} is {_dims(s)}; give single cells or "
                "ranges of "
                f"the same shape"
            )
    return shape


def excel_grid(*args, **kw) -> tuple[dict[str, np.ndarray], tuple[int, int]]:
    """Arguments as 2-D object arrays broadcast to their common shape (``excel_grid(**args)``)."""
    grids = {}
    for name, raw in kw.items():
        grids[name] = range_of(name, raw)
        if grids[name].size == 0:
            raise value_error(f"{name} is an empty range")
    shape = common_shape({k: g.shape for k, g in grids.items()})
    return {k: np.broadcast_to(v, shape) for k, v in grids.items()}, shape


# --------------------------------------------------------------------------- scalars


def _describe(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return f"{str(bool(x)).upper()} (a logical value)"
    if isinstance(x, str):
        s = x.strip()
        return repr(s) if len(s) <= 40 else repr(s[:40]) + "… (" + f"{len(s)} characters)"
    if isinstance(x, (dt.date, dt.time)):
        return f"a date or time ({x.isoformat()[:19]})"
    return fit_text(f"{x!r} ({type(x).__name__})")[:80]


def _args(args, n):
    # (fname, name, x, ...) is the older form of (name, x, ...); the fname is the current UDF's
    return args[1:] if len(args) == n + 1 else args


def number(*args) -> float:
    """One cell as a float; NaN for a blank: ``number(name, x, kind)``.

    ``kind``: "level", "rate", "points" or "years" (or a :class:`Kind`).
    Numbers pass (a ``Decimal`` too); text in a rate is a printed percentage
    ("75.7" and "75.7%" are 0.757, the rule of ``derive``), text elsewhere a
    printed number, and a percentage is refused there. Raises
    :class:`CellError` (an input error is passed on).
    """
    name, x, kind = _args(args, 3)
    kind = getattr(kind, "kind", kind)
    if type(x) is float:  # the common case first
        if math.isfinite(x):
            return x
        if math.isnan(x):
            return math.nan
        raise num_error(f"{name} is not a finite number")
    if blank(x):
        return math.nan
    if isinstance(x, (bool, np.bool_)):
        raise value_error(f"{name} is {_describe(x)}, not a number")
    err = input_error(name, x)
    if err is not None:
        raise err
    if isinstance(x, (numbers.Real, Decimal)):
        v = float(x)
        if not math.isfinite(v):
            raise num_error(f"{name} is not a finite number")
        return v
    if isinstance(x, str):
        try:
            p = parse(x, percent=True if kind == "rate" else False)
        except ValueError as e:
            what = (
                "a percentage" if kind == "rate" else ("points" if kind == "points" else "a number")
            )
            hint = (
                " (a rate written as a percentage belongs in a growth argument)"
                if "percentage" in str(e)
                else ""
            )
            raise value_error(f"{name} {_describe(x)} is not {what}{hint}") from None
        if p.unit:
            raise value_error(
                f"{name} {_describe(x)} has words after the number; give the number alone "
                "(TRADE_NUMBER "
                f"reads pasted text)"
            )
        return p.value
    raise value_error(f"{name} is {_describe(x)}, not a number")


def decimals(*args) -> float:
    """Published decimals: a whole number ≥ 0, or NaN (blank: exact): ``decimals(name, x)``."""
    name, x = _args(args, 2)
    if blank(x):
        return math.nan
    err = input_error(name, x)
    if err is not None:
        raise err
    try:
        d = number(name, x, "level")
    except CellError:
        raise value_error(
            f"{name} is {_describe(x)}; write the digits after the point as printed (0, 1, 2 "
            "...) or "
            f"leave it blank"
        ) from None
    if d < 0 or not float(d).is_integer():
        raise value_error(
            f"{name} is {d:g}; write the digits after the point as printed (0, 1, 2 ...) or "
            "leave it "
            f"blank"
        )
    return d


def text(*args) -> str | None:
    """One cell as text (None for a blank): ``text(name, x)``; a whole number stays "2021"."""
    name, x = _args(args, 2)
    if blank(x):
        return None
    if isinstance(x, (bool, np.bool_)):
        raise value_error(f"{name} is {_describe(x)}, not text")
    err = input_error(name, x)
    if err is not None:
        raise err
    if isinstance(x, str):
        return x.strip()
    if isinstance(x, (numbers.Real, Decimal)):
        return str(int(x)) if float(x).is_integer() else repr(float(x))
    raise value_error(f"{name} is {_describe(x)}, not text")


def option(name: str, raw, *, choices: str = "") -> str:
    """An optional argument given as one cell of text, lower-cased ("" when blank).

    ``choices`` completes the refusal of a range: ``part must be a single cell: "value" ...``.
    """
    g = range_of(name, raw)
    if g.shape != (1, 1):
        raise value_error(f"{name} must be a single cell{': ' + choices if choices else ''}")
    return (text(name, g[0, 0]) or "").lower()


#: Excel's day 0 for serial numbers in the 1900 date system (days after 1900-03-01 are exact).
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def period(name: str, x) -> str | None:
    """A period cell as the text :class:`tradecalc.model.periods.Period` reads, None for a blank.

    Excel turns a typed 2021-03 into the date 2021-03-01: classic xlwings
    passes a datetime, Office.js its serial number (44256). The first of a
    month reads as that month; a whole number 1000-9999 is a year; other
    dates are refused (a period is not a day).

    >>> period("p", dt.datetime(2021, 3, 1)), period("p", 44256.0)
    ('2021-03', '2021-03')
    >>> period("p", 2021.0), period("p", "2021-Q1")
    ('2021', '2021-Q1')
    """
    if (
        isinstance(x, (numbers.Real, Decimal))
        and not isinstance(x, (bool, np.bool_))
        and error_code_name(x) is None
    ):
        v = float(x)
        if math.isfinite(v) and v.is_integer() and 1000 <= v <= 9999:
            return str(int(v))
        if (
            math.isfinite(v) and v.is_integer() and 10000 <= v <= 2958465
        ):  # serials up to 9999-12-31
            x = EXCEL_EPOCH + dt.timedelta(days=v)
        else:
            raise value_error(
                f"{name} is {_describe(x)}: give a period (2021-Q1, 2021-03, 2021) or the "
                "first day "
                f"of a month"
            )
    if isinstance(x, dt.date):
        if x.day != 1 or (isinstance(x, dt.datetime) and x.time() != dt.time(0)):
            raise value_error(
                f"{name} is {_describe(x)}: a date reads as a month only on its first day"
            )
        return f"{x.year:04d}-{x.month:02d}"
    return text(name, x)


# --------------------------------------------------------------------------- results


def cell_value(x):
    """A result element as Excel gets it: None for missing, float, str (≤ 255 characters)."""
    if x is None:
        return None
    if isinstance(x, str):
        return fit_text(x)
    if isinstance(x, (np.floating, float, np.integer, int)) and not isinstance(x, (bool, np.bool_)):
        v = float(x)
        return None if math.isnan(v) else v
    return x


def excel_result(out, shape: tuple[int, int]):
    """A scalar for a 1×1 call, else a list of rows (a dynamic array)."""
    flat = list(np.asarray(out, dtype=object).reshape(-1)) if not isinstance(out, list) else out
    if shape == (1, 1):
        return cell_value(flat[0])
    w = shape[1]
    return [[cell_value(v) for v in flat[i : i + w]] for i in range(0, len(flat), w)]


def returns_cell_errors(f=None, *, pair: bool = False):
    """Kept for UDF modules written before :func:`udf` did this itself: it only marks ``pair``.

    :func:`udf` (stacked above it) turns errors into cell texts, filling both cells if ``pair``.
    """

    def deco(f):
        f.__trade_pair__ = pair
        return f

    return deco if f is None else deco(f)


# -------------------- element-wise numeric calls


def elementwise(fn: Callable, /, *legacy, domain: bool = True, **args):
    """Apply a broadcasting tradecalc function cell by cell over Excel arguments.

    ``args`` maps each argument name to its raw Excel value; its kind is the
    current UDF's annotation. Cells whose inputs hold an error or a bad value
    get that error text; cells where the formula has no value get ``#NUM!``
    with tradecalc's reason; missing inputs give a blank. ``domain``: ``fn``
    takes ``errors="raise"|"nan"``. One path for a single cell and a range:
    a single cell calls ``fn`` on floats, a range once on arrays.
    """
    kinds = current()["kinds"]
    if isinstance(
        fn, str
    ):  # the older form elementwise(fname, fn, {name: (raw, kind)}, domain=...)
        fn, spec = legacy
        args = {k: raw for k, (raw, _) in spec.items()}
        kinds = {k: kind for k, (_, kind) in spec.items()}
    cells = {k: _cells(k, v) for k, v in args.items()}
    shapes = {k: s for k, (s, _) in cells.items() if s != (1, 1)}
    shape = common_shape(shapes) if shapes else (1, 1)
    n = shape[0] * shape[1]
    cols: list[list[float]] = []
    errs: list[str | None] = [None] * n
    for k, (s, flat) in cells.items():
        kind = kinds.get(k, Level)
        if len(flat) == 1 and n > 1:  # a single cell with a range: read once
            try:
                cols.append([number(k, flat[0], kind)] * n)
            except CellError as e:
                errs = [errs[i] or e.text for i in range(n)]
                cols.append([math.nan] * n)
            continue
        col = [math.nan] * n
        for i, x in enumerate(flat):
            if errs[i] is None:
                try:
                    col[i] = number(k, x, kind)
                except CellError as e:
                    errs[i] = e.text
        cols.append(col)
    with np.errstate(all="ignore"):
        if n == 1:
            result = [
                float(
                    fn(*(c[0] for c in cols), errors="nan") if domain else fn(*(c[0] for c in cols))
                )
            ]
        else:
            arrays = [np.array(c, dtype=float) for c in cols]
            result = (
                np.asarray(fn(*arrays, errors="nan") if domain else fn(*arrays), dtype=float)
                .reshape(-1)
                .tolist()
            )
    out: list = [None] * n
    for i, r in enumerate(result):
        if errs[i] is not None:
            out[i] = errs[i]
        elif math.isnan(r):
            inputs = [c[i] for c in cols]
            out[i] = (
                None if any(math.isnan(v) for v in inputs) else _domain_message(fn, inputs, domain)
            )
        elif math.isinf(r):
            out[i] = num_error("the result is not finite").text
        else:
            out[i] = r
    return out[0] if n == 1 else excel_result(out, shape)


def _domain_message(fn, inputs, domain) -> str:
    """Why ``fn`` has no value at these inputs: tradecalc's own one-line reason."""
    if domain:
        try:
            fn(*inputs, errors="raise")
        except TradeDomainError as e:
            return num_error(str(e)).text
    return num_error("no value for these inputs").text


def single(*args, domain: bool = True):
    """One result from whole arrays (compound, sums, residuals): NaN → blank, domain → #NUM!.

    ``single(fn, *arrays)`` (or ``single(fname, fn, *arrays)``).
    """
    if isinstance(args[0], str):
        args = args[1:]
    fn, arrays = args[0], args[1:]
    try:
        with np.errstate(all="ignore"):
            r = fn(*arrays, errors="raise") if domain else fn(*arrays)
    except TradeDomainError as e:
        raise num_error(str(e)) from None
    v = cell_value(r)
    if isinstance(v, float) and math.isinf(v):  # growths near 1e308 compound past the largest float
        raise num_error("the result is not finite")
    if v is None and not any(np.isnan(np.asarray(a, dtype=float)).any() for a in arrays):
        raise num_error(
            "the result is not finite"
        )  # inf/inf: a blank would say an input is missing
    return v


def numbers_of(*args) -> np.ndarray:
    """A whole range as a flat float array; the first bad cell raises its error: ``numbers_of(name,
    raw, kind)``.
    """
    name, raw, kind = _args(args, 3)
    _, flat = _cells(name, raw)
    return np.array([number(name, v, kind) for v in flat], dtype=float)
