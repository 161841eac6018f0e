"""The C loops of share, growth and implied_rate change nothing but the time taken.

``tradecalc.calc._kernels`` (optional, built by setup.py) divides and checks the
divisor in one pass; when anything is outside the ordinary (a zero divisor, opposite
signs, an overflow) it says so and the call runs on the numpy path. Here every call is
made twice, with the kernel and with ``arithmetic._kernels = None`` (the path of an
install without a compiler), and the two outcomes must be the same to the bit: the
array's bytes (NaN payloads and signed zeros included), or the exception's type and
message, and the warnings numpy gives. Independent values (Python's float division)
check the kernel itself, and ``test_the_fallback_*`` runs the package with the
extension made unimportable.
"""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradecalc as tc
from tradecalc import TradeDomainError
from tradecalc.calc import arithmetic as ar

KERNELS = ar._kernels
needs_kernels = pytest.mark.skipif(
    KERNELS is None, reason="tradecalc.calc._kernels is not built (no C compiler at install)"
)

FUNCTIONS = ("share", "growth", "implied_rate")


def bits_nan(pattern: int) -> float:
    return float(np.array(pattern, dtype=np.uint64).view(np.float64))


EDGES = [
    0.0,
    -0.0,
    np.inf,
    -np.inf,
    np.nan,
    bits_nan(0xFFF8000000000000),  # negative quiet NaN (x86's "default NaN")
    bits_nan(0x7FF8000000000123),  # quiet NaN with a payload
    bits_nan(0x7FF0000000000001),  # signalling NaN
    5e-324,  # smallest subnormal
    -1e-310,
    2.2250738585072014e-308,  # smallest normal
    1e-300,
    1e300,
    -1.7976931348623157e308,  # largest finite
    1.0,
    -1.0,
]

ordinary = st.one_of(
    st.floats(min_value=0.01, max_value=1e4),
    st.floats(min_value=1e-300, max_value=1e300),  # quotients that underflow or overflow
)


@st.composite
def pairs(draw, max_size=24):
    """(numerator, divisor): mostly ordinary numbers of one sign, a few edge cases inserted."""
    n = draw(st.integers(min_value=0, max_value=max_size))
    arrays = []
    for _ in range(2):
        sign = draw(st.sampled_from([1.0, -1.0]))
        a = np.array(draw(st.lists(ordinary, min_size=n, max_size=n)), dtype=float) * sign
        arrays.append(a)
    if n:
        edge = st.one_of(st.sampled_from(EDGES), st.floats())  # st.floats: any double at all
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            a = arrays[draw(st.integers(min_value=0, max_value=1))]
            a[draw(st.integers(min_value=0, max_value=n - 1))] = draw(edge)
    if draw(st.booleans()):  # the numerator's sign, if one, is usually the divisor's
        arrays[0] = np.copysign(arrays[0], arrays[1])
    return arrays


def outcome(name, args, errors, kernels):
    """What a call gives, as comparable data: ("value", bytes, shape) or ("error", type, message),
    with the warnings it gave."""
    saved = ar._kernels
    ar._kernels = kernels
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                got = getattr(tc, name)(*args, errors=errors)
            except Exception as e:  # the exact type and message are compared
                result = ("error", type(e), str(e))
            else:
                a = np.asarray(got)
                result = ("value", type(got), a.dtype, a.shape, a.tobytes())
    finally:
        ar._kernels = saved
    return result, [(w.category, str(w.message)) for w in caught]


def assert_same_both_ways(name, args, errors="raise"):
    with_kernel = outcome(name, args, errors, KERNELS)
    without = outcome(name, args, errors, None)
    assert with_kernel == without, (name, args, errors)
    return with_kernel


DEFAULT_ERRSTATE = dict(divide="warn", over="warn", invalid="warn", under="ignore")


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
@settings(max_examples=400, deadline=None)
@given(data=pairs())
def test_the_kernel_gives_the_numpy_paths_outcome_to_the_bit(name, data):
    with np.errstate(**DEFAULT_ERRSTATE):
        for errors in ("raise", "nan"):
            assert_same_both_ways(name, data, errors)


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=pairs(max_size=12), shape=st.sampled_from(["2-D", "strided", "broadcast", "series"]))
def test_other_layouts_give_the_same_outcome(name, data, shape):
    """2-D arrays go through the kernel; strided and broadcast ones through numpy; Series too."""
    p, w = data
    if shape == "2-D":
        args = [p.reshape(-1, 1), w.reshape(-1, 1)]
    elif shape == "strided":
        args = [np.repeat(p, 2)[::2], np.repeat(w, 2)[::2]]
    elif shape == "broadcast":
        args = [p, w[:1].reshape(()) if w.size else np.float64(2.0)]
    else:
        import pandas as pd

        args = [pd.Series(p), pd.Series(w)]
    with np.errstate(**DEFAULT_ERRSTATE):
        for errors in ("raise", "nan"):
            assert_same_both_ways(name, args, errors)


# ------------------------------------------------------------------ cases a lax kernel would fail


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_a_zero_divisor_is_refused_even_under_a_missing_numerator(name, zero):
    """NaN / 0 is NaN and raises no flag: only reading the divisor finds the zero."""
    n = 1000
    num, den = np.full(n, 3.0), np.full(n, 2.0)
    num[700], den[700] = np.nan, zero
    messages = {
        "share": "share: the whole is zero",
        "growth": "growth: a zero base has no growth",
        "implied_rate": "implied_rate: the converted value is zero or of the other sign",
    }
    with pytest.raises(TradeDomainError, match=messages[name]):
        getattr(tc, name)(num, den)
    got = getattr(tc, name)(num, den, errors="nan")
    assert np.isnan(got[700]) and np.isnan(got).sum() == 1
    assert_same_both_ways(name, [num, den], "raise")
    assert_same_both_ways(name, [num, den], "nan")


@needs_kernels
@pytest.mark.parametrize("name", ["growth", "implied_rate"])
def test_opposite_signs_are_refused_even_when_their_product_underflows(name):
    """1e-200 × -1e-200 is -0.0, not negative: the kernel compares the signs, not a product."""
    num, den = np.full(10, 1e-200), np.full(10, 3.0)
    den[4] = -1e-200
    with pytest.raises(TradeDomainError, match="opposite signs|other sign"):
        getattr(tc, name)(num, den)
    assert np.isnan(getattr(tc, name)(num, den, errors="nan")[4])
    assert_same_both_ways(name, [num, den], "raise")


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
def test_an_overflow_warns_as_numpy_does(name):
    num, den = np.full(10, 10.0), np.full(10, 20.0)
    num[3], den[3] = 1e308, 1e-10
    with pytest.warns(RuntimeWarning, match="overflow encountered in divide"):
        got = getattr(tc, name)(num, den)
    assert np.isinf(got[3])
    with np.errstate(**DEFAULT_ERRSTATE):
        assert assert_same_both_ways(name, [num, den])[1]  # a warning, both ways


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("under", ["warn", "raise"])
def test_an_underflow_is_reported_when_numpy_is_asked_to(name, under):
    """The kernel reads no floating-point flags: np.errstate(under=...) sends the call to numpy."""
    num, den = np.full(10, 1.0), np.full(10, 3.0)
    num[2], den[2] = 1e-300, 1e300  # 1e-600: underflows to 0
    with np.errstate(under=under):
        outcome_ = assert_same_both_ways(name, [num, den])
        if under == "warn":
            assert any("underflow" in m for _, m in outcome_[1])
        else:
            assert outcome_[0][0] == "error" and outcome_[0][1] is FloatingPointError


@needs_kernels
@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("where", [0, 1])
def test_a_signalling_nan_is_a_missing_number_without_a_warning(name, where):
    """A signalling NaN (bytes read from a file can hold one) is missing, like any NaN: no
    warning on either path (numpy's masked path, taken when every numerator is missing,
    used to warn "invalid value" from growth's and implied_rate's sign test), the result NaN."""
    snan = bits_nan(0x7FF0000000000001)
    for numerators in (np.full(3, np.nan), np.full(3, 5.0)):
        args = [numerators.copy(), np.full(3, 2.0)]
        args[where][1] = snan
        with np.errstate(**DEFAULT_ERRSTATE):
            got = assert_same_both_ways(name, args)
        assert got[0][0] == "value" and not got[1], got
        assert np.isnan(getattr(tc, name)(*args)[1])


@needs_kernels
def test_arrays_of_one_size_but_different_shapes_are_not_paired_by_position():
    """(2, 3) and (3, 2) hold six numbers each; numpy refuses to broadcast them, so must we."""
    p, w = np.arange(1.0, 7.0).reshape(2, 3), np.arange(1.0, 7.0).reshape(3, 2)
    for name in FUNCTIONS:
        got = assert_same_both_ways(name, [p, w])
        assert got[0][:2] == ("error", ValueError) and "broadcast" in got[0][2]


@needs_kernels
def test_wrong_errors_argument_is_refused_the_same_way():
    p = np.ones(5)
    for errors in ("coerce", "ignore", None):
        got = assert_same_both_ways("share", [p, p], errors)
        assert got[0][:2] == ("error", ValueError)


# ------------------------------------------------------------------ the kernel itself


def python_quotients(num, den, minus_one=False):
    """Python's float division (IEEE 754, the same rounding), element by element."""
    return np.array([a / b - 1.0 if minus_one else a / b for a, b in zip(num, den)])


@needs_kernels
@settings(max_examples=200, deadline=None)
@given(
    num=st.lists(st.floats(min_value=1e-300, max_value=1e300), min_size=1, max_size=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_kernel_divides_as_ieee_754_does(num, seed):
    rng = np.random.default_rng(seed)
    num = np.array(num)
    den = num * rng.uniform(0.01, 100.0, num.size) + rng.uniform(0, 1e-3, num.size)
    num[rng.random(num.size) < 0.2] = np.nan  # missing figures do not stop the kernel
    for name, minus_one in [("share", False), ("implied_rate", False), ("growth", True)]:
        out = np.full(num.size, 7.0)
        assert getattr(KERNELS, name)(num, den, out) is True
        want = python_quotients(num, den, minus_one)
        np.testing.assert_array_equal(out, want)
        assert np.array_equal(np.isnan(out), np.isnan(num))


@needs_kernels
def test_the_kernel_says_no_for_each_reason():
    ok = (np.array([4.0, np.nan, 1e-310, -0.0]), np.array([2.0, 5.0, 1e10, 3.0]))
    assert KERNELS.share(*ok, np.empty(4)) is True
    assert KERNELS.growth(*ok, np.empty(4)) is True
    cases = {
        "zero divisor": ([np.nan, 1.0], [0.0, 1.0]),
        "negative zero divisor": ([1.0, 1.0], [1.0, -0.0]),
        "overflow": ([1e308, 1.0], [1e-10, 1.0]),
    }
    for why, (num, den) in cases.items():
        for name in FUNCTIONS:
            assert getattr(KERNELS, name)(np.array(num), np.array(den), np.empty(2)) is False, (
                name,
                why,
            )
    flip = (np.array([1.0, 2.0]), np.array([1.0, -3.0]))
    assert KERNELS.share(*flip, np.empty(2)) is True  # a negative share is still a share
    assert KERNELS.growth(*flip, np.empty(2)) is False
    assert KERNELS.implied_rate(*flip, np.empty(2)) is False
    snan = (np.array([bits_nan(0x7FF0000000000001), 1.0]), np.array([1.0, 2.0]))
    for name in FUNCTIONS:  # a missing number, which numpy's path takes without a warning
        for num, den in (snan, snan[::-1]):
            out = np.empty(2)
            assert getattr(KERNELS, name)(num, den, out) is True, name
            with np.errstate(all="raise"):
                assert np.isnan(out[0]) and not np.isnan(out[1])


@needs_kernels
def test_the_kernel_refuses_buffers_it_cannot_read_as_float64():
    f = np.ones(4)
    with pytest.raises(TypeError, match="float64"):
        KERNELS.share(np.ones(4, dtype=np.float32), f, np.empty(4))
    with pytest.raises(TypeError, match="float64"):
        KERNELS.share(f, np.ones(4, dtype=">f8"), np.empty(4))
    with pytest.raises(ValueError, match="one length"):
        KERNELS.share(f, np.ones(3), np.empty(4))
    with pytest.raises((ValueError, BufferError)):  # a strided view has no C-contiguous buffer
        KERNELS.share(np.ones(8)[::2], f, np.empty(4))
    out = np.empty(4)
    out.flags.writeable = False
    with pytest.raises((ValueError, BufferError)):
        KERNELS.share(f, f, out)


@needs_kernels
def test_ordinary_arrays_take_the_kernel_and_edge_cases_the_numpy_path(monkeypatch):
    """A spy on the module: the comparisons above are not between two runs of numpy."""
    calls = []

    class Spy:
        def __getattr__(self, name):
            def run(*args):
                calls.append((name, getattr(KERNELS, name)(*args)))
                return calls[-1][1]

            return run

    monkeypatch.setattr(ar, "_kernels", Spy())
    p, w = np.array([112.32, 67.92]), np.array([180.24, 180.24])
    np.testing.assert_array_equal(tc.share(p, w), [112.32 / 180.24, 67.92 / 180.24])
    np.testing.assert_array_equal(tc.growth(p, w), [112.32 / 180.24 - 1, 67.92 / 180.24 - 1])
    np.testing.assert_array_equal(tc.implied_rate(w, p), [180.24 / 112.32, 180.24 / 67.92])
    assert calls == [("share", True), ("growth", True), ("implied_rate", True)]
    calls.clear()
    tc.share(p, np.array([180.24, 0.0]), errors="nan")
    tc.share(p, 180.24)  # broadcast: numpy
    tc.share(np.ones((4, 4))[:, 0], np.ones(4))  # strided: numpy
    assert calls == [("share", False)]


# ------------------------------------------------------------------ without the extension

FALLBACK_SCRIPT = """
import sys
sys.modules["tradecalc.calc._kernels"] = None  # as if it was never built: import fails
import numpy as np
import tradecalc as tc
from tradecalc.calc import arithmetic
assert arithmetic._kernels is None
p, w = np.array([112.32, 67.92, np.nan]), np.array([180.24, 180.24, 180.24])
assert tc.share(p, w)[0] == 112.32 / 180.24 and np.isnan(tc.share(p, w)[2])
assert tc.growth(p, w)[1] == 67.92 / 180.24 - 1
assert tc.implied_rate(w, p)[0] == 180.24 / 112.32
try:
    tc.share(p, np.array([1.0, 0.0, 2.0]))
except tc.TradeDomainError as e:
    print(e)
"""


def test_the_fallback_works_when_the_extension_is_absent():
    done = subprocess.run(
        [sys.executable, "-c", FALLBACK_SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "share: the whole is zero (got 0)"


@needs_kernels
def test_the_built_kernel_is_the_source_in_the_checkout():
    # A .so built from an earlier _kernels.c would run old loops silently: setup.py stamps
    # the source's hash into the module, and a stale build fails here until reinstalled.
    import hashlib
    from pathlib import Path

    source = Path(ar.__file__).with_name("_kernels.c").read_bytes()
    assert ar._kernels.SOURCE_SHA256 == hashlib.sha256(source).hexdigest(), (
        "tradecalc/calc/_kernels.c changed since the extension was built: "
        "run `pip install -e .` again"
    )
