"""Broadcasting plumbing shared by the arithmetic functions.

Scalars in give a Python ``float`` out; numpy arrays give arrays of the
broadcast shape; a pandas Series gives a Series carrying the first Series'
index. pandas is never imported here: a Series is recognised by duck typing,
so ``tradecalc --help`` stays fast.
"""
from __future__ import annotations

import numpy as np


class TradeDomainError(ValueError):
    """An input lies outside the domain where a formula means anything.

    The message is one line naming the input and the reason, e.g.
    ``growth ≤ -100% has no base (growth = -1.2)``; the Excel layer shows it
    as ``#NUM!``.
    """


def _is_series(x) -> bool:
    return type(x).__name__ == "Series" and hasattr(x, "index") and hasattr(x, "to_numpy")


def as_float_array(x) -> np.ndarray:
    """``x`` as a float array; ``None`` (a blank) becomes NaN, never 0."""
    if x is None:
        return np.array(np.nan)
    if _is_series(x):
        return x.to_numpy(dtype=float, na_value=np.nan)
    # numpy already reads None inside lists as NaN with dtype=float
    return np.asarray(x, dtype=float)


def first_index(*args):
    """The index of the first pandas Series among ``args`` (or ``None``)."""
    for a in args:
        if _is_series(a):
            return a.index
    return None


def wrap(result: np.ndarray, index):
    """Return ``result`` in the caller's type: float, ndarray or Series."""
    if index is not None:
        import pandas as pd  # already imported by whoever passed a Series

        return pd.Series(np.broadcast_to(result, (len(index),)) if np.ndim(result) == 0 else result, index=index)
    if np.ndim(result) == 0:
        return float(result)
    return result


def check_domain(bad: np.ndarray, errors: str, message: str, values=None) -> None:
    """Raise ``TradeDomainError(message)`` where ``bad`` holds, unless errors='nan'.

    ``values`` (optional) is the offending input, quoted in the message for
    the first bad element so the user sees which number is wrong.
    """
    if errors not in ("raise", "nan"):
        raise ValueError("errors must be 'raise' or 'nan'")
    if errors == "raise" and np.any(bad):
        if values is not None:
            v = np.broadcast_to(values, np.shape(bad))[bad]
            if v.size:
                message = f"{message} (got {float(v.flat[0]):.6g})"
        raise TradeDomainError(message)
