"""Broadcasting plumbing shared by the arithmetic functions.

Scalars in give a Python ``float`` out; numpy arrays give arrays of the
broadcast shape; a pandas Series gives a Series. pandas is never imported
here unless a Series was passed: a Series is recognised by duck typing, so
``tradecalc --help`` stays fast.

Several Series are combined **by index label, as pandas does**
(:func:`aligned`): ``share`` of a Series indexed [a, b] and one indexed
[b, a] pairs a with a. A label missing from one of them gives NaN (a missing
figure), never a number paired with another label's. Where the labels cannot
be matched one to one (a repeated label in unequal indexes) or a Series would
be realigned against a plain array or list (which is paired by position),
the call is refused with :class:`SeriesAlignmentError`.

Dates and durations (``numpy.datetime64``, ``timedelta64``, ``datetime``,
pandas ``Timestamp``) are refused with :class:`NotANumberError`: numpy would
read a date as a count of days or nanoseconds, a silent wrong number.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np


class TradeDomainError(ValueError):
    """An input lies outside the domain where a formula means anything.

    The message is one line naming the input and the reason, e.g.
    ``growth ≤ -100% has no base (growth = -1.2)``; the Excel layer shows it
    as ``#NUM!``.
    """


class NotANumberError(TypeError):
    """A date or a duration was passed where a number (a value, a growth) belongs."""


class SeriesAlignmentError(ValueError):
    """pandas Series whose index labels cannot be matched one to one."""


_FLOAT = np.dtype(float)
_TIME_TYPES = (np.datetime64, np.timedelta64, _dt.date, _dt.timedelta)  # datetime is a date
_TIME_MESSAGE = (
    "a date or duration ({what}) is not a number here: pass the figure's value or growth "
    "(numpy would read a date as a count of days)"
)


def _is_series(x) -> bool:
    return type(x).__name__ == "Series" and hasattr(x, "index") and hasattr(x, "to_numpy")


def _refuse_time_objects(a: np.ndarray) -> None:
    """Refuse an object array holding dates (a pass over its elements; object arrays are rare)."""
    for item in a.flat:
        if isinstance(item, _TIME_TYPES):
            raise NotANumberError(_TIME_MESSAGE.format(what=type(item).__name__))


def as_float_array(x) -> np.ndarray:
    """``x`` as a float array; ``None`` (a blank) becomes NaN, never 0. Dates are refused.

    A float64 array is returned as it is (no copy).
    """
    if x is None:
        return np.array(np.nan)
    if type(x) is float:
        return np.array(x)
    if _is_series(x):
        if x.dtype.kind in "mM":
            raise NotANumberError(_TIME_MESSAGE.format(what=f"a Series of {x.dtype}"))
        if x.dtype.kind == "O":
            _refuse_time_objects(x.to_numpy())
        return x.to_numpy(dtype=float, na_value=np.nan)
    a = x if type(x) is np.ndarray else np.asarray(x)
    if a.dtype is _FLOAT or a.dtype == _FLOAT:
        return a
    if a.dtype.kind in "mM":
        raise NotANumberError(_TIME_MESSAGE.format(what=str(a.dtype)))
    if a.dtype.kind == "O":
        _refuse_time_objects(a)
    # numpy reads None inside lists as NaN with dtype=float
    return np.asarray(x, dtype=float)


def common_shape(arrays):
    """The shape of the arrays that are not 0-d, if they all have it and are contiguous; else None.

    Such arrays can be cut in blocks (flat slices of equal length), the 0-d
    ones broadcast against each block.
    """
    shape = None
    for a in arrays:
        if a.ndim:
            if (shape is not None and a.shape != shape) or not a.flags.c_contiguous:
                return None
            shape = a.shape
    return shape


def first_index(*args):
    """The index of the Series among ``args`` (or ``None``), refusing Series of unequal indexes.

    For callers that pair Series by position (the bounds); the arithmetic aligns
    them with :func:`aligned` instead.
    """
    index = None
    for a in args:
        if _is_series(a):
            if index is None:
                index = a.index
            elif not index.equals(a.index):
                raise SeriesAlignmentError(
                    "the Series have different indexes, and this function pairs them by position: "
                    "align them first (e.g. with Series.align or reindex)"
                )
    return index


def aligned(*args):
    """``(arrays, index)``: each argument as a float array, Series matched by index label.

    Without a Series, ``index`` is ``None``. Series with equal indexes are
    taken as they are (the common case: no copy). Otherwise every Series is
    reindexed on the union of the labels, as pandas arithmetic does (sorted
    where the labels sort), a label missing from a Series giving NaN.
    """
    series = [a for a in args if _is_series(a)]
    if not series:
        return [as_float_array(a) for a in args], None
    index = series[0].index
    if all(index.equals(s.index) for s in series[1:]):
        return [as_float_array(a) for a in args], index
    if any(not s.index.is_unique for s in series):
        raise SeriesAlignmentError(
            "Series with different indexes and a repeated label cannot be matched label by label: "
            "make the labels unique, or give the Series the same index"
        )
    for s in series[1:]:
        index = index.union(s.index)
    out = []
    for a in args:
        if _is_series(a):
            out.append(as_float_array(a.reindex(index)))
            continue
        arr = as_float_array(a)
        if arr.ndim:
            raise SeriesAlignmentError(
                "an array or list cannot be combined with Series of different indexes: the Series are "
                "matched by label, the array by position; pass a Series (or a single number) instead"
            )
        out.append(arr)
    return out, index


def wrap(result: np.ndarray, index):
    """Return ``result`` in the caller's type: float, ndarray or Series."""
    if index is not None:
        import pandas as pd  # already imported by whoever passed a Series

        if np.ndim(result) == 0:
            return pd.Series(np.full(len(index), float(result)), index=index, copy=False)
        return pd.Series(result, index=index, copy=False)
    if np.ndim(result) == 0:
        return float(result)
    return result


def check_errors_argument(errors: str) -> None:
    """Refuse an ``errors`` argument other than 'raise' or 'nan'."""
    if errors != "raise" and errors != "nan":
        raise ValueError("errors must be 'raise' or 'nan'")


def domain_error(bad: np.ndarray, message: str, values=None) -> TradeDomainError:
    """The error for the inputs where ``bad`` holds, quoting the first offending value."""
    if values is not None:
        v = np.broadcast_to(values, np.shape(bad))[bad]
        if v.size:
            message = f"{message} (got {float(v.flat[0]):.6g})"
    return TradeDomainError(message)


def check_domain(bad: np.ndarray, errors: str, message: str, values=None) -> None:
    """Raise ``TradeDomainError(message)`` where ``bad`` holds, unless errors='nan'.

    ``values`` (optional) is the offending input, quoted in the message for
    the first bad element so the user sees which number is wrong.
    """
    check_errors_argument(errors)
    if errors == "raise" and np.any(bad):
        raise domain_error(bad, message, values)
