"""Trade-release arithmetic: pure, broadcasting functions.

Conventions (as Excel stores them):

* growth rates and shares are fractions: 60.4% is ``0.604``;
* percentage-point results are points: ``31.2`` means 31.2 pp;
* money is in whatever unit the inputs are in (the release's unit).

Every function accepts scalars, numpy arrays or pandas Series and broadcasts
like a numpy ufunc. NaN (a missing figure) propagates. Inputs outside a
formula's domain raise :class:`TradeDomainError` with a one-line reason, or
give NaN where ``errors="nan"`` is passed.

Worked examples come from Chongqing Customs' release for Q1 2021 (values in
billion yuan): total trade 180.24 (+60.4%), exports 112.32 (+75.7%),
imports 67.92 (+40.2%), total +37% on Q1 2019, March total 64.06 (+45.2%).
"""

from __future__ import annotations

import numpy as np

from tradecalc.calc._arrays import (
    TradeDomainError,
    aligned,
    as_float_array,
    check_domain,
    check_errors_argument,
    common_shape,
    first_index,
    wrap,
)

try:  # optional (setup.py): built where a C compiler works; the numpy path below is complete
    from tradecalc.calc import _kernels
except ImportError:
    _kernels = None

__all__ = [
    "TradeDomainError",
    "base",
    "growth",
    "change",
    "share",
    "base_share",
    "share_change_pp",
    "pp",
    "reference_rate",
    "pull_pp",
    "contribution",
    "average_growth",
    "compound_growth",
    "prior_growth",
    "difference_growth",
    "aggregate_growth",
    "implied_rate",
    "residual",
]

# --------------------------------------------------------------------------- how the functions run
#
# Every element-wise function has two implementations of one formula:
#
# * ``_exact_*``: the rule written out with masks (``np.where``): NaN where an
#   input lies outside the domain, or TradeDomainError with errors="raise".
#   It runs on scalars, on arrays that broadcast against each other, and
#   wherever the fast path is not sure.
# * ``_fast_*``: the same floating-point operations in the same order, on one
#   block of equal-length arrays, without masks. It first checks, with a few
#   reductions, that no element of the block lies outside the domain (then the
#   masks would change nothing), and returns False if it cannot tell (the
#   one-division functions compute first: what they wrote is then overwritten);
#   the block is then computed by ``_exact_*`` (errors="nan"), or
#   the whole call is (errors="raise", so the error raised and its message are
#   the exact path's). Results are therefore the exact path's, bit for bit.
#
# Blocks keep each array's slice in the processor's cache (2^15 float64 = 256 KiB),
# so the checks and the several passes of a formula cost little beside reading
# the inputs once from memory (bench/README.md, section 6). A formula that is one
# division (share, growth, implied_rate) divides first and checks after: its
# check then reads the block from the cache, where the division just left it,
# instead of from memory (where a check costs 60% of the division).

_BLOCK = 1 << 15

# Even so, numpy needs two passes over memory for a one-division formula (divide, then
# check the divisor: a zero whole is refused even under a missing part, and NaN / 0
# raises no floating-point flag, so only reading the divisor again finds it), and the
# second pass kept share, growth and implied_rate at 1.4-2× the bare division at 10^6
# elements. ``_kernels`` (C, tradecalc/calc/_kernels.c) does both in one loop, for the
# common case only: two equal-shape, C-contiguous, aligned float64 arrays. Its answer
# is one yes or no for the whole array: if anything in it is what the masks or numpy's
# warnings are for (a zero divisor, opposite signs, an infinite quotient, a signalling
# NaN), its output is dropped and the call runs on the numpy path as if the kernel did
# not exist, so errors, messages, warnings and NaN are that path's; otherwise it did
# the same IEEE operations as that path, in the same order (tests/core/test_kernels.py
# compares the two to the bit). Where the extension was not built (no compiler,
# Pyodide), ``_kernels`` is None and every call takes the numpy path.


def _blockwise(exact, fast, arrays, errors, quiet=False):
    """Run ``fast`` block by block on equal-shape arrays (0-d ones broadcast), else ``exact``.

    ``quiet``: for a formula whose fast function divides before it checks. The
    blocks run under one ``np.errstate`` (entering one costs about as much as
    checking a block): divide and invalid ignored, as on the exact path; an
    overflow raises, and its block is left to the exact path, so that the
    warning comes from the exact path or not at all (it checks the domain
    first: an error raised is not preceded by an overflow warning).
    """
    check_errors_argument(errors)
    shape = common_shape(arrays)
    if shape is None:  # scalars (the exact path is as cheap), or arrays that broadcast
        return exact(*arrays, errors)
    flats = [a.reshape(-1) if a.ndim else a for a in arrays]
    out = np.empty(shape)
    flat = out.reshape(-1)
    stop_at_first = errors == "raise"
    if quiet:
        with np.errstate(divide="ignore", invalid="ignore", over="raise"):
            failed = _fast_blocks(fast, flat, flats, stop_at_first, FloatingPointError)
    else:
        failed = _fast_blocks(fast, flat, flats, stop_at_first, ())
    if failed and stop_at_first:
        return exact(*arrays, errors)
    for start, stop in failed:
        flat[start:stop] = exact(*[a[start:stop] if a.ndim else a for a in flats], errors)
    return out


def _fast_blocks(fast, flat, flats, stop_at_first, refused):
    """Fill ``flat`` with ``fast``, block by block; the (start, stop) of the blocks it refused.

    ``refused``: exceptions that count as a refusal (an overflow under ``quiet``).
    """
    n = flat.size
    step = max(1, _BLOCK)
    failed = []
    for start in range(0, n, step):
        stop = min(start + step, n)
        try:
            done = fast(flat[start:stop], *[a[start:stop] if a.ndim else a for a in flats])
        except refused:
            done = False
        if not done:
            failed.append((start, stop))
            if stop_at_first:
                break
    return failed


def _lo(a):
    """The smallest element of a 1-D block or a 0-d array, NaN ignored (NaN if all are NaN)."""
    return np.fmin.reduce(a) if a.ndim else a[()]


def _hi(a):
    """The largest element of a 1-D block or a 0-d array, NaN ignored (NaN if all are NaN)."""
    return np.fmax.reduce(a) if a.ndim else a[()]


def _no_zero(a) -> bool:
    """True if no element is zero (NaN ignored); False if unsure (e.g. all NaN)."""
    if _lo(a) > 0 or _hi(a) < 0:  # one sign: the common case, no temporary
        return True
    return bool(_lo(np.abs(a)) > 0)


def _growth_defined(v, b) -> bool:
    """True if no base is zero and no value has the other sign than its base; False if unsure."""
    if _lo(b) > 0:
        return bool(_lo(v) >= 0)
    if _hi(b) < 0:
        return bool(_hi(v) <= 0)
    return False


def _factor_into(out, g) -> bool:
    """out = g + 1; True if every factor is positive (no growth ≤ -100%), NaN ignored."""
    np.add(g, 1.0, out=out)
    return bool(_lo(out) > 0)


# --------------------------------------------------------------------------- exact (masked) rules


def _growth_factor(g: np.ndarray, errors: str, name: str = "growth") -> np.ndarray:
    """1 + g, with g ≤ -100% rejected: nothing shrinks by all it had, or more."""
    bad = g <= -1
    check_domain(bad, errors, f"{name} ≤ -100% has no base", g)
    return np.where(bad, np.nan, 1.0 + g)


def _ratio_growth(v: np.ndarray, b: np.ndarray, errors: str, what: str) -> np.ndarray:
    """v / b - 1 where the base is non-zero and of the same sign as the value.

    A signalling NaN is a missing number like any NaN: the sign test, like the
    division, says nothing of it (``invalid`` ignored), as the fast paths do not.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = b == 0
        check_domain(zero, errors, f"{what}: a zero base has no growth", b)
        flips = (np.sign(v) * np.sign(b)) < 0
        check_domain(
            flips,
            errors,
            f"{what}: the base and the value have opposite signs (e.g. a deficit turned surplus), "
            "so there is no growth rate",
            b,
        )
        return np.where(zero | flips, np.nan, v / np.where(zero, np.nan, b) - 1.0)


def _exact_base(v, g, errors):
    return v / _growth_factor(g, errors)


def _exact_growth(v, b, errors):
    return _ratio_growth(v, b, errors, "growth")


def _exact_change(v, g, errors):
    return v - v / _growth_factor(g, errors)


def _exact_share(p, w, errors):
    zero = w == 0
    check_domain(zero, errors, "share: the whole is zero", w)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.nan, p / np.where(zero, np.nan, w))


def _exact_bases(p, gp, w, gw, errors):
    return p / _growth_factor(gp, errors, "part growth"), w / _growth_factor(
        gw, errors, "whole growth"
    )


def _exact_base_share(p, gp, w, gw, errors):
    bp, bw = _exact_bases(p, gp, w, gw, errors)
    zero = bw == 0
    check_domain(zero, errors, "base_share: the whole's base is zero", bw)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.nan, bp / np.where(zero, np.nan, bw))


def _exact_share_change_pp(p, gp, w, gw, errors):
    bp, bw = _exact_bases(p, gp, w, gw, errors)
    zero = (w == 0) | (bw == 0)
    check_domain(zero, errors, "share_change_pp: the whole or its base is zero", w)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.nan, 100.0 * (p / w - bp / bw))


def _exact_pull_pp(p, gp, w, gw, errors):
    bp, bw = _exact_bases(p, gp, w, gw, errors)
    zero = bw == 0
    check_domain(zero, errors, "pull_pp: the whole's base is zero", bw)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.nan, 100.0 * (p - bp) / np.where(zero, np.nan, bw))


def _exact_contribution(p, gp, w, gw, errors):
    bp, bw = _exact_bases(p, gp, w, gw, errors)
    dw = w - bw
    zero = dw == 0
    check_domain(zero, errors, "contribution: the whole did not change", dw)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(zero, np.nan, (p - bp) / np.where(zero, np.nan, dw))


def _exact_average_growth(G, n, errors):
    f = _growth_factor(G, errors, "multi-year growth")
    # NaN ** 0 is 1: a growth ≤ -100% over infinite years must stay NaN, not become 0
    bad = (n <= 0) | (G <= -1)
    check_domain(n <= 0, errors, "average_growth: years must be positive", n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bad, np.nan, f ** (1.0 / np.where(bad, np.nan, n)) - 1.0)


def _exact_prior_growth(G, g, errors):
    return (
        _growth_factor(G, errors, "multi-year growth") / _growth_factor(g, errors, "latest growth")
        - 1.0
    )


def _exact_difference_growth(av, ag, bv, bg, errors):
    d = av - bv
    db = av / _growth_factor(ag, errors, "a's growth") - bv / _growth_factor(
        bg, errors, "b's growth"
    )
    return _ratio_growth(d, db, errors, "difference_growth")


def _exact_implied_rate(v, c, errors):
    with np.errstate(divide="ignore", invalid="ignore"):  # a signalling NaN: as _ratio_growth
        bad = (c == 0) | ((np.sign(v) * np.sign(c)) < 0)
        msg = "implied_rate: the converted value is zero or of the other sign"
        check_domain(bad, errors, msg, c)
        return np.where(bad, np.nan, v / np.where(bad, np.nan, c))


# --------------------------------------------------------------------------- fast blocks (no masks)
# Each: out ← the formula on one block, the exact path's operations in its order
# and under its np.errstate; False (nothing promised in out) if the block may
# hold an input outside the domain.


def _fast_base(out, v, g):
    if not _factor_into(out, g):
        return False
    np.divide(v, out, out=out)
    return True


def _fast_change(out, v, g):
    if not _fast_base(out, v, g):
        return False
    np.subtract(v, out, out=out)
    return True


def _fast_growth(out, v, b):
    # under _blockwise(quiet=True): divide="ignore", invalid="ignore", as _ratio_growth
    np.divide(v, b, out=out)
    np.subtract(out, 1.0, out=out)
    return _growth_defined(v, b)


def _fast_share(out, p, w):
    np.divide(p, w, out=out)  # under _blockwise(quiet=True), as _exact_share
    return _no_zero(w)


def _fast_bases(out, p, gp, w, gw):
    """(bp, bw), the bases of part and whole (bw in ``out``), or None if a growth is ≤ -100%."""
    bp = np.empty(out.shape)
    if not (_factor_into(bp, gp) and _factor_into(out, gw)):
        return None
    np.divide(p, bp, out=bp)
    np.divide(w, out, out=out)
    return bp, out


def _fast_base_share(out, p, gp, w, gw):
    bases = _fast_bases(out, p, gp, w, gw)
    if bases is None or not _no_zero(bases[1]):
        return False
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(bases[0], out, out=out)
    return True


def _fast_share_change_pp(out, p, gp, w, gw):
    bases = _fast_bases(out, p, gp, w, gw)
    if bases is None or not (_no_zero(w) and _no_zero(bases[1])):
        return False
    bp = bases[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(bp, out, out=bp)  # bp / bw
        np.divide(p, w, out=out)
        np.subtract(out, bp, out=out)
        np.multiply(100.0, out, out=out)
    return True


def _fast_pull_pp(out, p, gp, w, gw):
    bases = _fast_bases(out, p, gp, w, gw)
    if bases is None or not _no_zero(bases[1]):
        return False
    bp = bases[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.subtract(p, bp, out=bp)
        np.multiply(100.0, bp, out=bp)
        np.divide(bp, out, out=out)
    return True


def _fast_contribution(out, p, gp, w, gw):
    bases = _fast_bases(out, p, gp, w, gw)
    if bases is None:
        return False
    bp = bases[0]
    np.subtract(w, out, out=out)  # the whole's change
    if not _no_zero(out):
        return False
    with np.errstate(divide="ignore", invalid="ignore"):
        np.subtract(p, bp, out=bp)
        np.divide(bp, out, out=out)
    return True


def _fast_average_growth(out, G, n):
    if not (_factor_into(out, G) and _lo(n) > 0):
        return False
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.divide(1.0, n)
        np.power(out, inv, out=out)
        np.subtract(out, 1.0, out=out)
    return True


def _fast_prior_growth(out, G, g):
    fg = np.empty(out.shape)
    if not (_factor_into(out, G) and _factor_into(fg, g)):
        return False
    np.divide(out, fg, out=out)
    np.subtract(out, 1.0, out=out)
    return True


def _fast_difference_growth(out, av, ag, bv, bg):
    db = np.empty(out.shape)
    if not (_factor_into(out, ag) and _factor_into(db, bg)):
        return False
    np.divide(av, out, out=out)
    np.divide(bv, db, out=db)
    np.subtract(out, db, out=db)  # the difference's base
    np.subtract(av, bv, out=out)  # the difference
    if not _growth_defined(out, db):
        return False
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(out, db, out=out)
        np.subtract(out, 1.0, out=out)
    return True


def _fast_implied_rate(out, v, c):
    np.divide(v, c, out=out)  # under _blockwise(quiet=True), as _exact_implied_rate
    return _growth_defined(v, c)


def _parts_index(parts, axis: int):
    """The index of the first Series in a list of parts reduced along axis 0."""
    if axis == 0 and isinstance(parts, (list, tuple)):
        return first_index(*parts)
    return None


def _elementwise(exact, fast, args, errors, quiet=False):
    arrays, index = aligned(*args)
    return wrap(_blockwise(exact, fast, arrays, errors, quiet), index)


def _divided(kernel, exact, fast, args, errors):
    """A one-division formula: the C loop ``kernel`` if it can take the whole call, else numpy.

    Only under numpy's default underflow handling ("ignore"): the loop reads no
    floating-point flags, so a caller who asked to hear of an underflow gets the
    numpy path, which reports it as before.
    """
    arrays, index = aligned(*args)
    check_errors_argument(errors)
    a, b = arrays
    if (
        _kernels is not None
        and a.ndim
        and a.shape == b.shape
        and a.flags.c_contiguous
        and b.flags.c_contiguous
        and a.flags.aligned
        and b.flags.aligned
        and np.geterr()["under"] == "ignore"
    ):
        out = np.empty(a.shape)
        if getattr(_kernels, kernel)(a, b, out):
            return wrap(out, index)
    return wrap(_blockwise(exact, fast, arrays, errors, quiet=True), index)


# --------------------------------------------------------------------------- the functions


def base(value, growth, *, errors: str = "raise"):
    """Prior-period level implied by a value and its growth.

    ``base = value / (1 + growth)``, in the value's unit; growth is a fraction.
    A growth of -100% or less has no base.

    >>> round(base(180.24, 0.604), 2)   # Chongqing Q1 2021 total, +60.4%
    112.37
    """
    return _elementwise(_exact_base, _fast_base, (value, growth), errors)


def growth(value, base, *, errors: str = "raise"):
    """Growth of a value over a base, as a fraction.

    ``growth = value / base - 1``. A zero base, or a base whose sign differs
    from the value's (a deficit that became a surplus), has no growth rate.
    Two negatives are allowed: a deficit of 15 after 10 "widened 50%".

    >>> round(growth(180.24, 112.37), 3)   # Chongqing Q1 2021 total over Q1 2020
    0.604
    """
    return _divided("growth", _exact_growth, _fast_growth, (value, base), errors)


def change(value, growth, *, errors: str = "raise"):
    """Absolute increase over the prior period, in the value's unit.

    ``change = value - value / (1 + growth)``.

    >>> round(change(112.32, 0.757), 2)   # Chongqing Q1 2021 exports
    48.39
    """
    return _elementwise(_exact_change, _fast_change, (value, growth), errors)


def share(part, whole, *, errors: str = "raise"):
    """Share of a part in a whole, as a fraction: ``share = part / whole``.

    >>> round(share(112.32, 180.24), 3)   # exports in Chongqing's Q1 2021 trade
    0.623
    """
    return _divided("share", _exact_share, _fast_share, (part, whole), errors)


def base_share(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """The part's share of the whole in the base period, as a fraction.

    ``base_share = base(part, part_growth) / base(whole, whole_growth)``.

    >>> round(base_share(112.32, 0.757, 180.24, 0.604), 3)   # exports, Q1 2020
    0.569
    """
    args = (part, part_growth, whole, whole_growth)
    return _elementwise(_exact_base_share, _fast_base_share, args, errors)


def share_change_pp(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Change of the part's share of the whole, in percentage points.

    ``share_change_pp = 100 * (part/whole - base(part)/base(whole))``.

    >>> round(share_change_pp(112.32, 0.757, 180.24, 0.604), 1)   # exports' share
    5.4
    """
    args = (part, part_growth, whole, whole_growth)
    return _elementwise(_exact_share_change_pp, _fast_share_change_pp, args, errors)


def pp(rate, reference):
    """Percentage-point difference of two rates: ``pp = 100 * (rate - reference)``.

    Rates are fractions; the result is in points.

    >>> round(pp(0.604, 0.292), 1)   # Chongqing's growth against the country's
    31.2
    """
    (r, ref), index = aligned(rate, reference)
    d = r - ref
    if isinstance(d, np.ndarray):
        return wrap(np.multiply(100.0, d, out=d), index)
    return wrap(100.0 * d, index)


def reference_rate(rate, pp_above):
    """The rate that "``rate`` is ``pp_above`` points higher than" implies.

    ``reference_rate = rate - pp_above / 100`` (rates as fractions, pp in points;
    "N points lower" is a negative ``pp_above``).

    >>> round(reference_rate(0.604, 31.2), 3)   # China's Q1 2021 trade growth
    0.292
    """
    (r, d), index = aligned(rate, pp_above)
    q = d / 100.0
    if isinstance(q, np.ndarray) and q.shape == np.broadcast_shapes(r.shape, q.shape):
        return wrap(np.subtract(r, q, out=q), index)
    return wrap(r - q, index)


def pull_pp(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Pull (拉动) of a part on the whole's growth, in percentage points.

    ``pull_pp = 100 * change(part, part_growth) / base(whole, whole_growth)``.
    Over a complete breakdown the pulls add up to the whole's growth in points.

    >>> round(pull_pp(112.32, 0.757, 180.24, 0.604), 1)   # exports pulled total trade
    43.1
    """
    args = (part, part_growth, whole, whole_growth)
    return _elementwise(_exact_pull_pp, _fast_pull_pp, args, errors)


def contribution(part, part_growth, whole, whole_growth, *, errors: str = "raise"):
    """Contribution rate (贡献率) of a part to the whole's growth, a fraction.

    ``contribution = change(part) / change(whole)``. Over a complete breakdown
    the contribution rates add up to 1. A whole that did not change has none.

    >>> round(contribution(112.32, 0.757, 180.24, 0.604), 3)   # exports' contribution
    0.713
    """
    args = (part, part_growth, whole, whole_growth)
    return _elementwise(_exact_contribution, _fast_contribution, args, errors)


def average_growth(growth, years, *, errors: str = "raise"):
    """Average annual growth over ``years`` years (e.g. "two-year average growth").

    ``average_growth = (1 + growth) ** (1 / years) - 1``; growth is the total
    growth over the whole span, a fraction.

    >>> round(average_growth(0.37, 2), 4)   # Chongqing Q1 2021 on Q1 2019, per year
    0.1705
    """
    return _elementwise(_exact_average_growth, _fast_average_growth, (growth, years), errors)


def compound_growth(growths, *, axis: int = 0, errors: str = "raise"):
    """Growth over several consecutive periods: ``prod(1 + g_i) - 1``.

    ``growths`` holds the period growths along ``axis`` (fractions).

    >>> round(compound_growth([-0.1459, 0.604]), 3)   # 2020 then 2021: two-year growth
    0.37
    """
    check_errors_argument(errors)
    idx = _parts_index(growths, axis)
    f = _growth_factor(as_float_array(growths), errors)
    return wrap(np.prod(f, axis=axis) - 1.0, idx)


def prior_growth(multi_year_growth, latest_growth, *, errors: str = "raise"):
    """Growth of the earlier period implied by a multi-year and the latest growth.

    ``prior_growth = (1 + multi_year_growth) / (1 + latest_growth) - 1``:
    +37% on 2019 and +60.4% on 2020 imply 2020 was 14.6% below 2019.

    >>> round(prior_growth(0.37, 0.604), 4)   # Chongqing Q1 2020 on Q1 2019
    -0.1459
    """
    args = (multi_year_growth, latest_growth)
    return _elementwise(_exact_prior_growth, _fast_prior_growth, args, errors)


def difference_growth(a, a_growth, b, b_growth, *, errors: str = "raise"):
    """Growth of the difference ``a - b``, as a fraction.

    ``difference_growth = (a - b) / (base(a) - base(b)) - 1``: a single month
    from a year-to-date total, a trade balance (exports - imports), an
    "other" residual. A zero or sign-changing base has no growth rate.

    >>> round(difference_growth(180.24, 0.604, 64.06, 0.452), 3)   # Jan-Feb 2021
    0.702
    """
    args = (a, a_growth, b, b_growth)
    return _elementwise(_exact_difference_growth, _fast_difference_growth, args, errors)


def aggregate_growth(values, growths, *, axis: int = 0, errors: str = "raise"):
    """Growth of a sum of figures: ``sum(v) / sum(base(v, g)) - 1``.

    ``values`` and ``growths`` hold the figures along ``axis``. A missing
    figure makes the sum missing (NaN), never a silently smaller total.

    >>> round(aggregate_growth([112.32, 67.92], [0.757, 0.402]), 3)   # exports + imports
    0.604
    """
    v, g = np.broadcast_arrays(as_float_array(values), as_float_array(growths))
    b = v / _growth_factor(g, errors)
    idx = _parts_index(values, axis)
    if idx is None:
        idx = _parts_index(growths, axis)
    return wrap(
        _ratio_growth(np.sum(v, axis=axis), np.sum(b, axis=axis), errors, "aggregate_growth"), idx
    )


def implied_rate(value, converted_value, *, errors: str = "raise"):
    """Exchange rate implied by a value and its converted value.

    ``implied_rate = value / converted_value``: units of the value's currency
    per unit of the converted currency.

    >>> round(implied_rate(180.24, 27.77), 2)   # yuan per U.S. dollar
    6.49
    """
    args = (value, converted_value)
    return _divided("implied_rate", _exact_implied_rate, _fast_implied_rate, args, errors)


def residual(total, parts, *, axis: int = 0):
    """Total minus the listed parts: ``residual = total - sum(parts)``.

    ``parts`` holds the parts along ``axis``; a missing part makes the
    residual missing (NaN), never a residual that silently includes it.

    >>> round(residual(180.24, [88.24, 75.07, 16.75]), 2)   # other ownership types
    0.18
    """
    t = as_float_array(total)
    p = as_float_array(parts)
    idx = first_index(total)
    if idx is None:
        idx = _parts_index(parts, axis)
    return wrap(t - np.sum(p, axis=axis), idx)
