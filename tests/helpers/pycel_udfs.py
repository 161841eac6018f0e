"""The add-in's functions as pycel calls them: by Excel name, arrays returned as pycel's tuples.

``ExcelCompiler(..., plugins=["helpers.pycel_udfs"])`` resolves ``TRADE_BASE``
to :func:`tradecalc_udfs.trade_base`, as ``plugins=["tradecalc_udfs"]`` does.
The only difference: a function that returns rows (a dynamic array, a
[low, high] pair) hands pycel a tuple of tuples, which is how pycel itself
represents an array; pycel's ``IF`` over an array result works on tuples
only (a list of lists is taken as one value). Values are unchanged.
"""

from __future__ import annotations

from functools import wraps

import tradecalc_udfs


def _as_pycel_array(x):
    if isinstance(x, list):
        return tuple(tuple(r) if isinstance(r, list) else (r,) for r in x)
    return x


def _wrapped(f):
    @wraps(f)
    def call(*args):
        return _as_pycel_array(f(*args))

    return call


for _f in tradecalc_udfs.REGISTRY:
    globals()[_f.__name__] = _wrapped(_f)
del _f
