"""The element-wise functions against an independent scalar implementation, on edge cases.

``tradecalc.calc.arithmetic`` computes each formula on blocks of arrays without
masks when a few reductions show that no element lies outside the domain, and
with masks otherwise (bench/README.md, section 6). Whatever path a call takes,
its numbers, its NaN and its errors must be those of the formula: here each
formula is written again for one Python float at a time, with ``if`` tests for
the domain, and hypothesis draws scalars and arrays full of NaN, ±inf, ±0, -1,
growths below -100%, negatives, subnormal and huge numbers. Python floats and
numpy float64 share IEEE 754 arithmetic, so + - * / must agree to the bit
(signed zeros included); ``average_growth``'s power may differ by an ulp
(numpy's vectorised ``power``), and is compared within 4 ulps of the power.

Blocks are made tiny (3 elements) in half of the runs, so that arrays of a few
elements cross blocks, mix fast and masked blocks, and take every path.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradecalc as tc
from tradecalc import TradeDomainError
from tradecalc.calc import arithmetic as ar


class Domain(Exception):
    """Outside the formula's domain: NaN with errors="nan", TradeDomainError otherwise."""


def fac(g):
    if g <= -1:
        raise Domain
    return 1.0 + g


def opposite(a, b):
    return (a > 0 and b < 0) or (a < 0 and b > 0)


def r_growth(v, b):
    if b == 0 or opposite(v, b):
        raise Domain
    return v / b - 1.0


def r_bases(p, gp, w, gw):
    return p / fac(gp), w / fac(gw)


def r_base_share(p, gp, w, gw):
    bp, bw = r_bases(p, gp, w, gw)
    if bw == 0:
        raise Domain
    return bp / bw


def r_share_change_pp(p, gp, w, gw):
    bp, bw = r_bases(p, gp, w, gw)
    if w == 0 or bw == 0:
        raise Domain
    return 100.0 * (p / w - bp / bw)


def r_pull_pp(p, gp, w, gw):
    bp, bw = r_bases(p, gp, w, gw)
    if bw == 0:
        raise Domain
    return 100.0 * (p - bp) / bw


def r_contribution(p, gp, w, gw):
    bp, bw = r_bases(p, gp, w, gw)
    if w - bw == 0:
        raise Domain
    return (p - bp) / (w - bw)


def r_average_growth(G, n):
    f = fac(G)
    if n <= 0:
        raise Domain
    try:
        return f ** (1.0 / n) - 1.0
    except OverflowError:
        return math.inf


def r_difference_growth(a, ag, b, bg):
    return r_growth(a - b, a / fac(ag) - b / fac(bg))


def r_share(p, w):
    if w == 0:
        raise Domain
    return p / w


def r_implied_rate(v, c):
    if c == 0 or opposite(v, c):
        raise Domain
    return v / c


REFERENCE = {
    "base": (lambda v, g: v / fac(g), 2),
    "growth": (r_growth, 2),
    "change": (lambda v, g: v - v / fac(g), 2),
    "share": (r_share, 2),
    "base_share": (r_base_share, 4),
    "share_change_pp": (r_share_change_pp, 4),
    "pp": (lambda r, ref: 100.0 * (r - ref), 2),
    "reference_rate": (lambda r, d: r - d / 100.0, 2),
    "pull_pp": (r_pull_pp, 4),
    "contribution": (r_contribution, 4),
    "average_growth": (r_average_growth, 2),
    "prior_growth": (lambda G, g: fac(G) / fac(g) - 1.0, 2),
    "difference_growth": (r_difference_growth, 4),
    "implied_rate": (r_implied_rate, 2),
}
NO_ERRORS_ARGUMENT = {"pp", "reference_rate"}

EDGES = [
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    -1.0,
    -1.2,
    -0.9999999999999999,
    -1.0000000000000002,
    1.0,
    -1e-300,
    5e-324,
    -5e-324,
    1e-310,
    1e308,
    -1e308,
    1.7e308,
    2.0,
    -3.5,
    10.0,
    0.604,
    180.24,
    112.32,
    0.757,
    64.06,
    0.452,
    24.0,
    -6.0,
]
edge_floats = st.one_of(
    st.sampled_from(EDGES),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2.0, max_value=3.0),
    st.floats(min_value=-1e4, max_value=1e4),
)


def reference(name, args):
    """The formula on Python floats: a float, or Domain."""
    fn, _ = REFERENCE[name]
    try:
        return fn(*(float(a) for a in args))
    except Domain:
        return Domain


def same_float(got, want, name) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    if name == "average_growth" and math.isfinite(want) and math.isfinite(got):
        return abs(got - want) <= 4 * math.ulp(1.0 + want)  # the power's ulps, before the - 1
    return got == want and math.copysign(1, got) == math.copysign(1, want)


def call(name, args, errors):
    fn = getattr(tc, name)
    return fn(*args) if name in NO_ERRORS_ARGUMENT else fn(*args, errors=errors)


@pytest.fixture(params=["tiny blocks", "default blocks"])
def blocks(request, monkeypatch):
    if request.param == "tiny blocks":
        monkeypatch.setattr(ar, "_BLOCK", 3)
    return request.param


@pytest.mark.parametrize("name", sorted(REFERENCE))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_scalar_calls_match_the_reference(name, data):
    args = [data.draw(edge_floats) for _ in range(REFERENCE[name][1])]
    want = reference(name, args)
    with np.errstate(all="ignore"):
        if want is Domain:
            assert math.isnan(call(name, args, "nan"))
            with pytest.raises(TradeDomainError):
                call(name, args, "raise")
        else:
            for errors in ("nan", "raise"):
                got = call(name, args, errors)
                assert type(got) is float and same_float(got, want, name), (args, got, want)


@pytest.mark.parametrize("name", sorted(REFERENCE))
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_array_calls_match_the_reference_element_by_element(name, data, blocks):
    k = REFERENCE[name][1]
    n = data.draw(st.integers(min_value=1, max_value=12))
    # mostly ordinary numbers, some edges: blocks then mix fast and masked paths
    element = st.one_of(
        st.floats(min_value=0.5, max_value=900.0),
        st.floats(min_value=-0.4, max_value=1.5),
        edge_floats,
    )
    columns = [
        np.array(data.draw(st.lists(element, min_size=n, max_size=n)), dtype=float)
        for _ in range(k)
    ]
    if data.draw(st.booleans()):  # one argument a single number, broadcast
        j = data.draw(st.integers(min_value=0, max_value=k - 1))
        columns[j] = np.float64(columns[j][0])
    rows = [[c if c.ndim == 0 else c[i] for c in columns] for i in range(n)]
    want = [reference(name, r) for r in rows]
    with np.errstate(all="ignore"):
        got = call(name, columns, "nan")
        assert isinstance(got, np.ndarray) and got.shape == (n,)
        for i, w in enumerate(want):
            assert same_float(got[i], math.nan if w is Domain else w, name), (rows[i], got[i], w)
        if any(w is Domain for w in want):
            with pytest.raises(TradeDomainError):
                call(name, columns, "raise")
        else:
            np.testing.assert_array_equal(call(name, columns, "raise"), got)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_large_arrays_cross_blocks_and_match_the_reference(name):
    """Arrays longer than a block, with an edge case every 997 elements, in 2-D."""
    k = REFERENCE[name][1]
    rng = np.random.default_rng(sum(map(ord, name)))
    n = 3 * ar._BLOCK + 17
    columns = [rng.uniform(-0.6, 2.0, n) * rng.choice([1.0, 100.0], n) for _ in range(k)]
    for j, c in enumerate(columns):
        c[j::997] = np.array(EDGES)[rng.integers(0, len(EDGES), c[j::997].size)]
    shaped = [c.reshape(-1, 1) for c in columns]
    with np.errstate(all="ignore"):
        got = call(name, shaped, "nan").ravel()
    sample = rng.integers(0, n, 3000)
    for i in np.concatenate([sample, np.arange(0, n, 997)]):
        w = reference(name, [c[i] for c in columns])
        assert same_float(got[i], math.nan if w is Domain else w, name), (
            [c[i] for c in columns],
            got[i],
            w,
        )


def test_the_first_error_is_the_one_the_formula_checks_first():
    """A bad part growth late in the array is reported before a zero whole early in it."""
    n = 2 * ar._BLOCK
    p, gp, w, gw = np.full(n, 10.0), np.full(n, 0.1), np.full(n, 100.0), np.full(n, 0.2)
    w[5] = 0.0
    gp[n - 3] = -1.5
    with pytest.raises(TradeDomainError, match=r"part growth ≤ -100% has no base \(got -1.5\)"):
        tc.share_change_pp(p, gp, w, gw)
    with pytest.raises(TradeDomainError, match=r"share: the whole is zero \(got 0\)"):
        tc.share(p, w)


def test_errors_argument_is_checked_even_when_nothing_is_wrong():
    with pytest.raises(ValueError, match="errors must be"):
        tc.base(np.ones(10), np.zeros(10), errors="ignore")


def test_an_overflow_next_to_an_error_warns_as_the_formula_does():
    """share divides before it checks: an overflow in a block that is then refused must not warn
    (the formula checks first and raises), and an overflow alone warns once, as numpy does."""
    import warnings

    p, w = np.full(100, 10.0), np.full(100, 20.0)
    p[3], w[3] = 1e308, 1e-10  # overflows: inf
    w[50] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TradeDomainError, match="share: the whole is zero"):
            tc.share(p, w)
    w[50] = 20.0
    with pytest.warns(RuntimeWarning, match="overflow encountered in divide"):
        got = tc.share(p, w)
    assert got[3] == math.inf and got[0] == 0.5
