"""What every UDF shares: registration with xlwings, Excel-value coercion, error texts.

Registration
    :func:`udf` turns a plain function into an xlwings UDF (``xw.func`` with the
    category, ``xw.arg`` with the argument's description for every parameter) and
    records the same descriptions for :mod:`tradecalc_udfs.reference`, so the
    function wizard, the Office.js metadata and docs/functions.md come from one
    place. Every argument is read with ``ndim=2`` (a single cell arrives as
    ``[[x]]``) and ``err_to_str=True`` (an error cell arrives as ``"#N/A"``
    instead of a blank, so an error is never mistaken for a missing figure).

Coercion (``number``/``decimals``/``text`` below)
    blank (``None``, ``""``, NaN) is missing; numbers pass; numbers stored as
    text are parsed with :func:`tradecalc.model.published.parse` ("60.4%" → 0.604,
    "112.32" → 112.32); a percentage is refused where a level or points are
    expected; TRUE/FALSE, dates and words are refused with ``#VALUE!``; an Excel
    error in an input is passed through unchanged.

Errors
    UDFs never raise into Excel. A bad input gives, in the cell concerned, a one
    line text starting with the Excel error code: ``#VALUE! TRADE_BASE: growth
    'abc' is not a number`` (wrong type or shape) or ``#NUM! TRADE_BASE: growth
    ≤ -100% has no base (got -1.2)`` (outside the formula's domain, the message
    of :class:`tradecalc.TradeDomainError`). The text is the same in classic
    xlwings, xlwings Lite/Server and headless Python (see README, "Errors").

Single cells
    A call whose arguments are all single cells (``[[x]]`` or a bare value: a
    float, int, bool, str or None) skips the range machinery (object grids,
    broadcasting, per-cell loops) in :func:`elementwise`: each cell goes
    through the same coercion and the tradecalc function is called once on
    floats, with the same blank, ``#NUM!``/``#VALUE!`` and non-finite rules,
    so the result is identical (tests/test_addin_fastpath.py drives the same
    cells through both paths). It exists for speed: a single-cell TRADE_BASE
    costs about the tradecalc call itself instead of 3× it (bench/README.md,
    benchmark 2).

No arithmetic here: shapes, types and messages only; every number comes from
:mod:`tradecalc`.
"""
from __future__ import annotations

import inspect
import math
import numbers
from functools import wraps
from typing import Callable

import numpy as np
import xlwings as xw

from tradecalc import TradeDomainError
from tradecalc.model.published import parse

CATEGORY = "Trade release arithmetic"

#: Error values Excel (and pycel) put in cells; an input holding one is passed through.
EXCEL_ERRORS = (
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BUSY!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#EXTERNAL!",
)

#: Every registered UDF, in catalog order (filled by :func:`udf`).
REGISTRY: list[Callable] = []


# --------------------------------------------------------------------------- registration


def udf(section: str, **arg_docs: str):
    """Register ``f`` as an Excel function in ``section`` of the reference.

    ``arg_docs`` maps every parameter to its description (with its unit). The
    docstring, folded onto one line, is the function's description.
    """

    def deco(f):
        params = list(inspect.signature(f).parameters)
        if set(params) != set(arg_docs):
            raise TypeError(f"{f.__name__}: describe exactly the parameters {params}")
        f.__doc__ = " ".join(inspect.cleandoc(f.__doc__ or "").split())
        f.__trade_udf__ = {
            "name": f.__name__.upper(),
            "section": section,
            "category": CATEGORY,
            "args": [(p, arg_docs[p]) for p in params],
            "optional": [p for p, v in inspect.signature(f).parameters.items() if v.default is not inspect.Parameter.empty],
        }
        # xw.arg below xw.func, as with stacked decorators; each is a no-op where
        # xlwings has no UDF runtime (Linux without XLWINGS_ON_SERVER).
        for p in reversed(params):
            f = xw.arg(p, doc=arg_docs[p], ndim=2, err_to_str=True)(f)
        f = xw.func(category=CATEGORY)(f)
        REGISTRY.append(f)
        return f

    return deco


# --------------------------------------------------------------------------- errors


#: Longest error text put in a cell (inputs echoed in a message are cut first, see _describe).
MAX_ERROR_CHARS = 1000


class CellError(Exception):
    """A bad input; ``text`` is what the cell shows."""

    def __init__(self, text: str):
        if len(text) > MAX_ERROR_CHARS:  # a cell holds 32 767 characters; a reason needs far fewer
            text = text[: MAX_ERROR_CHARS - 1] + "…"
        super().__init__(text)
        self.text = text


def value_error(fname: str, message: str) -> CellError:
    return CellError(f"#VALUE! {fname}: {message}")


def num_error(fname: str, message: str) -> CellError:
    return CellError(f"#NUM! {fname}: {message}")


def is_error(x) -> bool:
    """True for an Excel error value ("#N/A") or an error text of these UDFs."""
    return isinstance(x, str) and x.lstrip().startswith(EXCEL_ERRORS)


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


def range_of(fname: str, name: str, x) -> np.ndarray:
    """:func:`grid`, with a ragged list (rows of different lengths) as a ``#VALUE!`` of the argument."""
    try:
        return grid(x)
    except ValueError as e:
        raise value_error(fname, f"{name} is not a rectangular range ({e})") from None


def _dims(a: np.ndarray) -> str:
    return f"{a.shape[0]}×{a.shape[1]}"


def common_shape(fname: str, grids: dict[str, np.ndarray]) -> tuple[int, int]:
    """The shape shared by the arguments (single cells go with any shape)."""
    shape, first = (1, 1), None
    for name, a in grids.items():
        if a.size == 0:
            raise value_error(fname, f"{name} is an empty range")
        if a.shape == (1, 1):
            continue
        if first is None:
            shape, first = a.shape, name
        elif a.shape != shape:
            raise value_error(
                fname, f"{first} is {_dims(grids[first])} but {name} is {_dims(a)}; give single cells or ranges of the same shape"
            )
    return shape


def excel_grid(fname: str, **args) -> tuple[dict[str, np.ndarray], tuple[int, int]]:
    """Arguments as 2-D object arrays broadcast to their common shape."""
    grids = {}
    for name, raw in args.items():
        try:
            grids[name] = grid(raw)
        except ValueError as e:
            raise value_error(fname, f"{name} is not a rectangular range ({e})") from None
    shape = common_shape(fname, grids)
    return {k: np.broadcast_to(v, shape) for k, v in grids.items()}, shape


# --------------------------------------------------------------------------- scalars


def blank(x) -> bool:
    return x is None or (isinstance(x, str) and not x.strip()) or (isinstance(x, float) and math.isnan(x))


def _describe(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return f"{str(bool(x)).upper()} (a logical value)"
    if isinstance(x, str):
        s = x.strip()
        return repr(s) if len(s) <= 60 else repr(s[:60]) + "… (" + f"{len(s)} characters)"
    return f"{x!r} ({type(x).__name__})"


def number(fname: str, name: str, x, kind: str) -> float:
    """One cell as a float; NaN for a blank. ``kind``: "level", "rate", "points" or "years".

    Rates accept "60.4%" (→ 0.604) or a bare fraction; levels, points and years
    refuse a percentage. Raises :class:`CellError` (an input error is passed on).
    """
    if blank(x):
        return math.nan
    if isinstance(x, (bool, np.bool_)):
        raise value_error(fname, f"{name} is {_describe(x)}, not a number")
    if isinstance(x, numbers.Real):
        v = float(x)
        if math.isinf(v):
            raise num_error(fname, f"{name} is not a finite number")
        return v
    if isinstance(x, str):
        if is_error(x):
            raise CellError(x.strip())
        try:
            p = parse(x, percent=None if kind == "rate" else False)
        except ValueError as e:
            what = "a percentage" if kind == "rate" else ("points" if kind == "points" else "a number")
            hint = " (a rate written as a percentage belongs in a growth argument)" if "percentage" in str(e) else ""
            raise value_error(fname, f"{name} {_describe(x)} is not {what}{hint}") from None
        if p.unit:
            raise value_error(fname, f"{name} {_describe(x)} has words after the number; give the number alone (TRADE_NUMBER reads pasted text)")
        return p.value
    raise value_error(fname, f"{name} is {_describe(x)}, not a number")


def decimals(fname: str, name: str, x) -> float:
    """Published decimals: a whole number ≥ 0, or NaN (blank: exact)."""
    if blank(x):
        return math.nan
    if isinstance(x, str) and is_error(x):
        raise CellError(x.strip())
    try:
        d = number(fname, name, x, "level")
    except CellError:
        raise value_error(fname, f"{name} is {_describe(x)}; write the digits after the point as printed (0, 1, 2 ...) or leave it blank") from None
    if d < 0 or not float(d).is_integer():
        raise value_error(fname, f"{name} is {d:g}; write the digits after the point as printed (0, 1, 2 ...) or leave it blank")
    return d


def text(fname: str, name: str, x) -> str | None:
    """One cell as text (None for a blank); a whole number stays "2021", not "2021.0"."""
    if blank(x):
        return None
    if isinstance(x, (bool, np.bool_)):
        raise value_error(fname, f"{name} is {_describe(x)}, not text")
    if isinstance(x, str):
        if is_error(x):
            raise CellError(x.strip())
        return x.strip()
    if isinstance(x, numbers.Real):
        return str(int(x)) if float(x).is_integer() else repr(float(x))
    raise value_error(fname, f"{name} is {_describe(x)}, not text")


# --------------------------------------------------------------------------- results


def cell_value(x):
    """A result element as Excel gets it: None for missing, float, str."""
    if x is None:
        return None
    if isinstance(x, str):
        return x
    if isinstance(x, (np.floating, float, np.integer, int)) and not isinstance(x, (bool, np.bool_)):
        v = float(x)
        return None if math.isnan(v) else v
    return x


def excel_result(out: np.ndarray, shape: tuple[int, int]):
    """A scalar for a 1×1 call, else a list of rows (a dynamic array)."""
    if shape == (1, 1):
        return cell_value(out.reshape(-1)[0])
    return [[cell_value(v) for v in row] for row in np.asarray(out, dtype=object).reshape(shape)]


def returns_cell_errors(f=None, *, pair: bool = False):
    """Turn a :class:`CellError` raised anywhere in ``f`` into the cell's text.

    Any other exception is a bug; it still becomes one line of text, because
    classic xlwings would otherwise put the whole traceback in the cell.

    ``pair``: the function returns [[low, high]]; an error fills both, so
    ``INDEX(..., 1)`` and ``INDEX(..., 2)`` each show it.
    """

    def deco(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            try:
                return f(*args, **kwargs)
            except CellError as e:
                text = e.text
            except Exception as e:  # a bug, not bad input: still one line in the cell, no traceback
                reason = " ".join(f"{type(e).__name__}: {e}".split())
                text = CellError(f"#VALUE! {f.__name__.upper()}: unexpected error ({reason}); please report it").text
            return [[text, text]] if pair else text

        return wrapper

    return deco if f is None else deco(f)


# --------------------------------------------------------------------------- element-wise numeric calls


def elementwise(fname: str, fn: Callable, args: dict[str, tuple[object, str]], *, domain: bool = True):
    """Apply a broadcasting tradecalc function cell by cell over Excel arguments.

    ``args`` maps each argument name to (raw Excel value, kind). Cells whose
    inputs hold an error or a bad value get that error text; cells where the
    formula has no value get ``#NUM!`` with tradecalc's reason; missing inputs
    give a blank. ``domain``: ``fn`` takes ``errors="raise"|"nan"``.
    """
    cells = single_cells([raw for raw, _ in args.values()])
    if cells is not None:
        return _elementwise_cell(fname, fn, args, cells, domain)
    grids, shape = excel_grid(fname, **{k: v for k, (v, _) in args.items()})
    n = shape[0] * shape[1]
    vals = {k: np.full(n, np.nan) for k in args}
    errs: list[str | None] = [None] * n
    for k, (_, kind) in args.items():
        flat = grids[k].reshape(-1)
        for i in range(n):
            if errs[i] is not None:
                continue
            try:
                vals[k][i] = number(fname, k, flat[i], kind)
            except CellError as e:
                errs[i] = e.text
    arrays = [vals[k] for k in args]
    with np.errstate(all="ignore"):
        result = np.asarray(fn(*arrays, errors="nan") if domain else fn(*arrays), dtype=float).reshape(-1)
    out = np.empty(n, dtype=object)
    for i in range(n):
        if errs[i] is not None:
            out[i] = errs[i]
        elif math.isnan(result[i]):
            inputs = [a[i] for a in arrays]
            out[i] = None if any(math.isnan(v) for v in inputs) else _domain_message(fname, fn, inputs, domain)
        elif math.isinf(result[i]):
            out[i] = num_error(fname, "the result is not finite").text
        else:
            out[i] = result[i]
    return excel_result(out, shape)


#: Types a single cell's value has when the single-cell path takes it (exact types: a numpy
#: scalar, a date or anything else goes the range way, which handles every value).
CELL_TYPES = frozenset({float, int, bool, str, type(None)})


def single_cells(raws) -> list | None:
    """The cell values if every argument is one cell (``[[x]]``, ``[(x,)]`` or a bare value), else None.

    Exactly the arguments :func:`grid` turns into a 1×1 grid holding that value,
    restricted to the plain types of :data:`CELL_TYPES`.

    >>> single_cells([[[180.24]], "60.4%", None])
    [180.24, '60.4%', None]
    >>> single_cells([[[180.24], [112.32]], 0.604]) is None
    True
    """
    cells = []
    for x in raws:
        t = type(x)
        if t is list or t is tuple:
            if len(x) != 1:
                return None
            row = x[0]
            if (type(row) is not list and type(row) is not tuple) or len(row) != 1:
                return None
            x = row[0]
            t = type(x)
        if t not in CELL_TYPES:
            return None
        cells.append(x)
    return cells


def _elementwise_cell(fname: str, fn: Callable, args: dict[str, tuple[object, str]], cells: list, domain: bool):
    """:func:`elementwise` for single cells: the same steps on one value, without grids.

    Mirrors the range path step for step (first bad argument's error, fn with
    ``errors="nan"`` under ``errstate``, NaN with a missing input → blank, NaN
    otherwise → tradecalc's reason, ±inf → ``#NUM!``), so the two give identical
    results; test_addin_fastpath.py checks it.
    """
    vals = []
    try:
        for (name, (_, kind)), x in zip(args.items(), cells):
            # a finite float is what number() returns unchanged; skip its checks
            vals.append(x if type(x) is float and math.isfinite(x) else number(fname, name, x, kind))
    except CellError as e:
        return e.text
    with np.errstate(all="ignore"):
        r = float(fn(*vals, errors="nan") if domain else fn(*vals))
    if math.isnan(r):
        return None if any(math.isnan(v) for v in vals) else _domain_message(fname, fn, vals, domain)
    if math.isinf(r):
        return num_error(fname, "the result is not finite").text
    return r


def _domain_message(fname, fn, inputs, domain) -> str:
    """Why ``fn`` has no value at these inputs: tradecalc's own one-line reason."""
    if domain:
        try:
            fn(*inputs, errors="raise")
        except TradeDomainError as e:
            return num_error(fname, str(e)).text
    return num_error(fname, "no value for these inputs").text


def single(fname: str, fn: Callable, *arrays, domain: bool = True):
    """One result from whole arrays (compound, sums, residuals): NaN → blank, domain → #NUM!."""
    try:
        with np.errstate(all="ignore"):
            r = fn(*arrays, errors="raise") if domain else fn(*arrays)
    except TradeDomainError as e:
        raise num_error(fname, str(e)) from None
    v = cell_value(r)
    if isinstance(v, float) and math.isinf(v):  # growths near 1e308 compound past the largest float
        raise num_error(fname, "the result is not finite")
    if v is None and not any(np.isnan(np.asarray(a, dtype=float)).any() for a in arrays):
        raise num_error(fname, "the result is not finite")  # inf/inf: a blank would say an input is missing
    return v


def numbers_of(fname: str, name: str, raw, kind: str) -> np.ndarray:
    """A whole range as a flat float array; the first bad cell raises its error."""
    try:
        g = grid(raw)
    except ValueError as e:
        raise value_error(fname, f"{name} is not a rectangular range ({e})") from None
    if g.size == 0:
        raise value_error(fname, f"{name} is an empty range")
    return np.array([number(fname, name, v, kind) for v in g.reshape(-1)], dtype=float)
