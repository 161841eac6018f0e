"""The precision of a printed number: half its last digit, and its shortest printed decimals.

A number printed with ``d`` digits after the point stands for every value
that rounds to it: the printed value ± ``h``, where

    h = 0.5 × 10^-d            (in the number's unit)
    h = 0.5 × 10^-d / 100      (a rate printed in percent, stored as a fraction)

Worked example, Chongqing Q1 2021: "180.24" (2 decimals) is 180.24 ± 0.005,
i.e. [180.235, 180.245]; "60.4%" (1 decimal, in percent) is 0.604 ± 0.0005,
i.e. [60.35%, 60.45%]. ``d`` may be negative for a growth printed as a
multiple ("4.7 times" is ±5 points: −1 decimals in percent).

This is the one definition of both rules: :mod:`tradecalc.calc.bounds`
uses the array forms (:func:`half_widths`, :func:`fewest_decimals`);
:mod:`tradecalc.model.published` the scalar ones: its ``half_width``
validates the decimals (``checked_decimals``, a model rule) and calls
:func:`half_width`; it re-exports :func:`shortest_decimals` under the same
name. numpy is imported only by the array forms, so that loading a release
does not import it.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal

from tradecalc.io.limits import MAX_DECIMALS, MAX_NUMBER_CHARS

__all__ = [
    "half_width",
    "half_widths",
    "shortest_decimals",
    "fewest_decimals",
]

_EXACT = Context(prec=MAX_NUMBER_CHARS + 20)


def _half_of(d, percent: bool):
    """``0.5 * 10**-d``, ``/ 100`` for percent: the formula, on a Python number or a numpy array."""
    h = 0.5 * 10.0 ** (-d)
    return h / 100.0 if percent else h


def half_width(decimals, percent: bool = False) -> float:
    """Half the last printed unit of a number printed with ``decimals`` digits (an integer).

    Unknown precision (``None`` or NaN) gives 0: the figure is taken as exact.
    Not validated here: :func:`tradecalc.model.published.half_width` refuses a
    precision no number is printed with, then calls this.

    >>> half_width(2), half_width(0), half_width(1, percent=True), half_width(None)
    (0.005, 0.5, 0.0005, 0.0)
    """
    if decimals is None or (isinstance(decimals, float) and math.isnan(decimals)):
        return 0.0
    return _half_of(decimals, percent)


# Whole numbers of decimals looked up rather than raised to a power (10 ** -d is
# the costly step): the table holds the formula's own results, computed by the
# same numpy operation on a contiguous array, so a lookup gives the same bits.
_TABLE_LOW, _TABLE_HIGH = -4, 24
_TABLES: dict = {}
_TABLE_MIN_SIZE = 256  # below this, the lookup's extra steps cost more than the power


def _table(percent: bool):
    if percent not in _TABLES:
        import numpy as np

        d = np.arange(_TABLE_LOW, _TABLE_HIGH + 1, dtype=float)
        _TABLES[percent] = (d, _half_of(d, percent))
    return _TABLES[percent]


def _half_widths_by_formula(d, percent: bool):
    import numpy as np

    h = np.where(np.isnan(d), 0.0, _half_of(np.nan_to_num(d), False))
    return h / 100.0 if percent else h


def half_widths(decimals, *, percent: bool = False):
    """:func:`half_width` of every element (a float array); NaN (unknown precision) gives 0.

    Not validated (the bounds take whatever precision they are given; the
    release model validates what it reads).

    >>> [float(h) for h in half_widths([2, 0, float("nan")])]
    [0.005, 0.5, 0.0]
    """
    import numpy as np

    from tradecalc.calc._arrays import as_float_array

    d = as_float_array(decimals)
    if d.size < _TABLE_MIN_SIZE or not d.flags.c_contiguous:
        return _half_widths_by_formula(d, percent)
    table_d, table_h = _table(percent)
    with np.errstate(invalid="ignore"):  # NaN and ±inf cast to some integer; caught below
        k = d.astype(np.intp)
    np.clip(k, _TABLE_LOW, _TABLE_HIGH, out=k)
    k -= _TABLE_LOW
    h = table_h.take(k)
    other = table_d.take(k) != d  # not a whole number in the table's range, or NaN
    if other.any():
        h[other] = _half_widths_by_formula(d[other], percent)
    return h


def fewest_decimals(x, *, rel_tol: float, limit: int, otherwise=float("nan")):
    """The fewest decimals ``k`` in 0..``limit`` that print each number within ``rel_tol``.

    ``k`` is the first with ``|round(x, k) - x| <= rel_tol * max(1, |x|)``
    (numpy's rounding); ``otherwise`` where none is (a float array).

    >>> [float(k) for k in fewest_decimals([112.32, 24.0, 40.06 / 3], rel_tol=1e-9, limit=6)]
    [2.0, 0.0, nan]
    """
    import numpy as np

    x = np.asarray(x, dtype=float)
    d = np.full(np.shape(x), float(otherwise))
    for k in range(limit, -1, -1):
        d = np.where(
            np.abs(np.round(x, k) - x) <= rel_tol * np.maximum(1.0, np.abs(x)), float(k), d
        )
    return d


def shortest_decimals(
    x, *, percent: bool = False, limit: int | None = None, rel_tol: float = 0.0
) -> int | None:
    """Decimals of the shortest printed form of a stored number (in percent for a rate), or None.

    The shortest form is the shortest text that reads back as the same float
    (``repr``), shifted in decimal for a rate: 0.757 is "75.7%" → 1. With
    ``rel_tol``, the fewest decimals whose rounding is within it
    (:func:`fewest_decimals`; binary noise such as 40.06 / 3 is then "no
    printed form" within ``limit``). More than ``limit`` decimals gives None
    (not a typed number).

    >>> shortest_decimals(112.32), shortest_decimals(24.0), shortest_decimals(0.757, percent=True)
    (2, 0, 1)
    >>> shortest_decimals(40.06 / 3, limit=6) is None
    True
    """
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    d = Decimal(repr(v))
    if percent:
        d = d.scaleb(2, _EXACT)
    if rel_tol:
        import numpy as np

        with np.errstate(all="ignore"):  # a number past 1e292 overflows when rounded: no fit
            k = fewest_decimals(
                float(d), rel_tol=rel_tol, limit=MAX_DECIMALS if limit is None else limit
            )
        return None if math.isnan(k) else int(k)
    exponent = d.normalize(_EXACT).as_tuple().exponent
    n = max(0, -exponent) if isinstance(exponent, int) else 0
    return None if limit is not None and n > limit else n
