"""Every Excel function, driven with everything Excel can put in a cell.

Part 1, fuzzing: each UDF of :data:`tradecalc_udfs.REGISTRY` (its arity from
its own signature) gets floats (NaN, ±inf, 0, -1, huge, subnormal), None
(blank), TRUE/FALSE, dates, numbers as text, words, formulas as text, strings
as long as a cell holds, Excel error values, and 2-D ranges of all of these,
rectangular, ragged or empty. Every call must return a finite number, None,
a rectangular list of rows of those, or an error text in the documented
form (``#NUM! TRADE_BASE: ...`` or an input's error passed on): no
exception, no traceback, no "unexpected error", no hang (each call runs
under a 5 s alarm).

Part 2, identities on valid inputs, computed here with plain Python
arithmetic: base × (1 + growth) = value, pull = 100 × contribution × the
whole's growth, (1 + average)^years = 1 + growth, bounds contain every value
the print allows, and so on.

The number of calls is printed in pytest's terminal summary.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import random
import re
import signal
from decimal import Decimal

import pytest
from helpers.reliability import COUNTS
from helpers.strategies import growth_rates, trade_values
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tradecalc_udfs import REGISTRY
from tradecalc_udfs import arithmetic as A
from tradecalc_udfs import bounds as B
from tradecalc_udfs import text as T
from tradecalc_udfs._excel import EXCEL_ERRORS, com_error_code, error_code_name

from tradecalc.analysis.status import STATUSES

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "setitimer"), reason="the per-call time limit uses SIGALRM"
)

#: Fuzz examples per function: together at least 10 000 calls.
PER_UDF = -(-10_200 // len(REGISTRY))
CALL_SECONDS = 5.0
EXCEL_CELL_CHARS = 32_767  # the most a cell holds
VBA_ARRAY_CHARS = 255  # the longest string a UDF returns (xlwings issue #456)

FUZZ = settings(
    max_examples=PER_UDF,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
IDENTITY = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


# --------------------------------------------------------------------------- what Excel passes

special_floats = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        0.0,
        -0.0,
        -1.0,
        1.0,
        -0.999999999,
        -1.000000001,
        1e308,
        -1e308,
        1.7976931348623157e308,
        5e-324,
        -5e-324,
        1e-300,
        2.0**53,
        180.24,
        0.604,
        -1.2,
        100.0,
        0.5,
    ]
)
floats = st.one_of(special_floats, st.floats(), st.floats(min_value=-1e4, max_value=1e4))
integers = st.integers(min_value=-(2**63), max_value=2**63)
number_texts = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12).map(
        lambda x: f"{x:.2f}"
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-300, max_value=3000).map(
        lambda x: f"{x:.1f}%"
    ),
    st.sampled_from(
        [
            "60.4%",
            "112.32",
            "1,234.5",
            "180.24 billion yuan",
            "1.2 trillion",
            "-100%",
            "-120%",
            "0",
            "0%",
            " 24 ",
            "24.00",
            "1e308",
            "1e999",
            "-1e999",
            "NaN",
            "inf",
            "-inf",
            "1,2,3",
            "1..2",
            "%",
            "-",
            ".",
            "2021-Q1",
            "2019-Q1",
            "2021-03",
            "2021-01/2021-08",
            "2021-H1",
            "2021",
            "2022-Q1",
            "2021-Q5",
            "value",
            "multiplier",
            "unit",
            "VALUE",
            "id",
            "yoy",
            "parent",
            "period",
        ]
    ),
)
words = st.sampled_from(
    [
        "n/a",
        "",
        " ",
        "\t",
        "=1+1",
        "+SUM(A1)",
        "-2+3",
        "@NOW()",
        "=cmd|' /C calc'!A0",
        "TRUE",
        "abc",
        "六十",
        "٣٤",
        "１２３",
        "\u00a0",
        "\r\n",
        "Traceback",
        "None",
    ]
)
long_texts = st.sampled_from(
    [
        "9" * EXCEL_CELL_CHARS,
        "a" * EXCEL_CELL_CHARS,
        "1" * 400 + "%",
        "," * 5000,
        "1." * 3000,
        ("12" * 10_000)[:EXCEL_CELL_CHARS],
    ]
)
excel_errors = st.one_of(
    st.sampled_from(EXCEL_ERRORS),
    # what pywin32 hands classic xlwings for an error cell: 0x800A0000 + Microsoft's number
    st.sampled_from(
        [
            2000,
            2007,
            2015,
            2023,
            2029,
            2036,
            2042,
            2043,
            2045,
            2046,
            2047,
            2048,
            2049,
            2050,
            2088,
            2100,
        ]
    ).map(com_error_code),
)
currency = st.sampled_from(
    [Decimal("180.24"), Decimal("-0.5"), Decimal("1E+400"), Decimal("NaN"), Decimal("0")]
)
dates = st.sampled_from(
    [dt.datetime(2021, 3, 1), dt.datetime(1900, 1, 1), dt.date(2021, 1, 1), dt.time(12, 0)]
)
scalars = st.one_of(
    floats,
    integers,
    st.none(),
    st.booleans(),
    number_texts,
    words,
    st.text(max_size=30),
    long_texts,
    excel_errors,
    dates,
    currency,
)


@st.composite
def rectangles(draw, elements=scalars):
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    return [[draw(elements) for _ in range(cols)] for _ in range(rows)]


ranges = st.one_of(
    rectangles(),
    st.lists(
        st.lists(scalars, min_size=0, max_size=4), min_size=0, max_size=4
    ),  # ragged, empty rows, []
    st.lists(scalars, min_size=1, max_size=4),  # a 1-D list (a column to xlwings)
    st.builds(lambda r: [r], st.lists(scalars, min_size=1, max_size=6)),  # one row
)
excel_values = st.one_of(scalars, scalars, ranges)  # single cells twice as often as ranges


@st.composite
def table_ranges(draw):
    """A Figures range with a header row of real or wrong column names, and rows of anything."""
    names = [
        "id",
        "value",
        "yoy",
        "parent",
        "unit",
        "period",
        "label",
        "flow",
        "breakdown",
        "earlier_growth",
        "earlier_period",
        "value_decimals",
        "yoy_decimals",
        "colour",
        "",
        None,
        "id",
    ]
    header = draw(st.lists(st.sampled_from(names), min_size=1, max_size=8))
    rows = draw(
        st.lists(
            st.lists(scalars, min_size=len(header), max_size=len(header)), min_size=0, max_size=4
        )
    )
    return [header, *rows]


# -------------------- what Excel may get back

_ERROR = re.compile(
    r"^(?:{})(?: (TRADE_[A-Z_]+): (.+))?$".format("|".join(re.escape(e) for e in EXCEL_ERRORS)),
    re.S,
)


class _Hang(BaseException):
    """
    Raised by the alarm: a BaseException, so the UDFs' own ``except Exception`` cannot hide a hang.
    """


def _alarm(signum, frame):
    raise _Hang()


def call(f, args):
    """Call a UDF under a time limit."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        return f(*args)
    except _Hang:
        pytest.fail(f"{f.__name__} took more than {CALL_SECONDS} s on {_short(args)}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _short(x) -> str:
    s = repr(x)
    return s if len(s) < 300 else s[:300] + "…"


def assert_cell(v, fname: str, args, *, text_ok: bool = False):
    """One cell of a result: None, a finite float, or an error text (or any text where the function
    returns text).

    Conditions are computed before ``assert`` so a failure prints the short ``where``, not a
    32 767-character value.
    """
    where = f"{fname}{_short(tuple(args))} -> {_short(v)}"
    if v is None:
        return
    if isinstance(v, str):
        clean = "Traceback (most recent call last)" not in v and "unexpected error" not in v
        assert clean, where
        fits = len(v) <= VBA_ARRAY_CHARS
        assert fits, (
            f"{len(v)} characters: over 255 a classic-Excel array result fails as a whole: {where}"
        )
        if text_ok and not v.startswith("#"):
            return
        m = _ERROR.match(v)
        assert m is not None, f"not an error in the documented form: {where}"
        one_line = "\n" not in v and "\r" not in v
        assert one_line, f"an error text is one line: {where}"
        if m.group(1):
            own = m.group(1) == fname.upper()
            assert own, where
        else:  # a bare Excel error: passed on from an input
            passed_on = v in set(_all_strings(args))
            assert passed_on, where
        return
    is_float = isinstance(v, float) and not isinstance(v, bool)
    assert is_float, f"unexpected type {type(v).__name__}: {where}"
    finite = math.isfinite(v)
    assert finite, where


def _all_strings(x):
    if isinstance(x, str):
        yield x.strip()
    elif error_code_name(x) is not None:
        yield error_code_name(x)
    elif isinstance(x, (list, tuple)):
        for y in x:
            yield from _all_strings(y)


def assert_result(r, fname: str, args, *, text_ok: bool = False):
    if isinstance(r, list):
        assert r and all(isinstance(row, list) for row in r), (
            f"{fname}: a range result is a list of rows: {_short(r)}"
        )
        widths = {len(row) for row in r}
        assert len(widths) == 1 and widths != {0}, f"{fname}: rows of one width: {_short(r)}"
        for row in r:
            for v in row:
                assert_cell(v, fname, args, text_ok=text_ok)
    else:
        assert_cell(r, fname, args, text_ok=text_ok)


# --------------------------------------------------------------------------- part 1: fuzzing

_fuzzed: set[str] = set()


@pytest.mark.parametrize("udf", REGISTRY, ids=[f.__name__ for f in REGISTRY])
@FUZZ
@given(data=st.data())
def test_every_udf_survives_everything_excel_can_pass(udf, data):
    params = inspect.signature(udf).parameters
    required = [p for p in params.values() if p.default is inspect.Parameter.empty]
    n = data.draw(st.integers(len(required), len(params)), label="arity")
    if udf.__name__ == "trade_table":
        args = [data.draw(st.one_of(table_ranges(), excel_values), label="figures_range")]
    else:
        args = [data.draw(excel_values, label=name) for name in list(params)[:n]]
    r = call(udf, args)
    COUNTS["udf_calls"] += 1
    # TRADE_NUMBER(text, "unit") returns the unit words; TRADE_TABLE its header and text columns;
    # TRADE_CHECKS its header and text columns; TRADE_WHY the reasons of other functions
    text_ok = udf.__name__ in ("trade_table", "trade_checks", "trade_why") or (
        udf.__name__ == "trade_number"
        and any(isinstance(a, str) and a.strip().lower() == "unit" for a in _flat(args[1:]))
    )
    if udf.__name__ == "trade_status":  # a status of the one rule, or an error
        for v in _flat(r if isinstance(r, list) else [r]):
            if isinstance(v, str) and not v.startswith("#"):
                assert v in STATUSES, f"TRADE_STATUS{_short(tuple(args))} -> {v!r}"
        text_ok = True
    assert_result(r, udf.__trade_udf__["name"], args, text_ok=text_ok)
    if udf.__name__ not in _fuzzed:
        _fuzzed.add(udf.__name__)
        COUNTS["udf_functions"] = len(_fuzzed)


def _flat(x):
    for a in x:
        if isinstance(a, (list, tuple)):
            yield from _flat(a)
        else:
            yield a


@pytest.mark.parametrize(
    "udf, args",
    [
        (A.trade_compound, [[[1e308, 1e308]]]),
        (A.trade_residual, [1e308, [[-1e308, -1e308]]]),
        (A.trade_sum_growth, [[[1e308, 1e308]], [[0.1, 0.1]]]),
        (A.trade_base, [1e308, -0.9]),
        (B.trade_share_bounds, [0.0, 5e-324, 0.0, None]),
        (B.trade_residual_bounds, [1e308, [[-1e308, -1e308]], 0, 0]),
    ],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_overflow_is_an_error_not_infinity(udf, args):
    """Found by the fuzzing above: results past the largest float were returned as inf, which Excel
    cannot show.
    """
    r = call(udf, args)
    cells = [c for row in r for c in row] if isinstance(r, list) else [r]
    assert all(isinstance(c, str) and c.startswith("#NUM! ") for c in cells), r


def test_fuzzing_ran_at_least_ten_thousand_calls():
    """Checked after the fuzz tests above (file order); skipped when they were deselected."""
    if len(_fuzzed) < len(REGISTRY):
        pytest.skip("run the whole module to count the fuzz calls")
    assert COUNTS["udf_calls"] >= 10_000, COUNTS["udf_calls"]


# --------------------------------------------------------------------------- part 2: identities

close = lambda a, b, rel=1e-9, abs_=1e-9: math.isclose(a, b, rel_tol=rel, abs_tol=abs_)  # noqa: E731


def counted(f):
    """Count an identity example (for the summary)."""

    def wrapper(*args, **kwargs):
        COUNTS["identity_examples"] += 1
        return f(*args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = f.__name__, f.__doc__
    wrapper.__signature__ = inspect.signature(f)
    return wrapper


@IDENTITY
@given(v=trade_values, g=growth_rates)
@counted
def test_base_growth_change_identities(v, g):
    b = call(A.trade_base, [v, g])
    assert close(b * (1 + g), v)
    assert close(call(A.trade_growth, [v, v / (1 + g)]), g, abs_=1e-9)
    assert close(call(A.trade_change, [v, g]), v - v / (1 + g), abs_=1e-9 * v)
    # the same as printed text ("112.32", "75.7%"), and as a column range
    v_text, g_text = f"{v:.2f}", f"{g * 100:.1f}%"
    assert close(
        call(A.trade_base, [v_text, g_text]),
        float(v_text) / (1 + float(g_text[:-1]) / 100),
        rel=1e-12,
    )
    col = call(A.trade_base, [[[v], [2 * v], [None]], g])
    assert close(col[0][0], v / (1 + g)) and close(col[1][0], 2 * v / (1 + g)) and col[2] == [None]


@IDENTITY
@given(p=trade_values, gp=growth_rates, w=trade_values, gw=growth_rates)
@counted
def test_parts_of_a_whole_identities(p, gp, w, gw):
    base_p, base_w = p / (1 + gp), w / (1 + gw)
    assert close(call(A.trade_share, [p, w]) * w, p)
    assert close(call(A.trade_base_share, [p, gp, w, gw]), base_p / base_w, rel=1e-9)
    assert close(
        call(A.trade_share_change, [p, gp, w, gw]),
        100 * (p / w - base_p / base_w),
        rel=1e-9,
        abs_=1e-9,
    )
    pull = call(A.trade_pull, [p, gp, w, gw])
    assert close(pull, 100 * (p - base_p) / base_w, rel=1e-9, abs_=1e-9)
    if abs(gw) > 1e-3:
        assert close(
            100 * call(A.trade_contribution, [p, gp, w, gw]) * gw, pull, rel=1e-7, abs_=1e-7
        )


@IDENTITY
@given(r=growth_rates, ref=growth_rates)
@counted
def test_rates_and_points_identities(r, ref):
    pp = call(A.trade_pp, [r, ref])
    assert close(pp, 100 * (r - ref), abs_=1e-9)
    assert close(call(A.trade_reference_rate, [r, pp]), ref, abs_=1e-12)


@IDENTITY
@given(G=growth_rates, years=st.integers(1, 10), gs=st.lists(growth_rates, min_size=1, max_size=5))
@counted
def test_growth_over_time_identities(G, years, gs):
    avg = call(A.trade_avg_growth, [G, years])
    assert close((1 + avg) ** years, 1 + G, rel=1e-9)
    product = 1.0
    for g in gs:
        product *= 1 + g
    assert close(call(A.trade_compound, [[gs]]), product - 1, rel=1e-9, abs_=1e-12)
    latest = gs[0]
    prior = call(A.trade_prior_growth, [G, latest])
    assert close((1 + prior) * (1 + latest), 1 + G, rel=1e-9)


@IDENTITY
@given(a=trade_values, ga=growth_rates, share=st.floats(0.05, 0.95), gb=growth_rates)
@counted
def test_difference_and_sum_identities(a, ga, share, gb):
    b = a * share
    denominator = a / (1 + ga) - b / (1 + gb)
    assume(
        denominator > 1e-6 * a
    )  # a base that is zero or negative has no growth (a #NUM! error, tested above)
    assert close(
        call(A.trade_diff_growth, [a, ga, b, gb]), (a - b) / denominator - 1, rel=1e-7, abs_=1e-9
    )
    values, growths = [[a, b]], [[ga, gb]]
    assert close(
        call(A.trade_sum_growth, [values, growths]),
        (a + b) / (a / (1 + ga) + b / (1 + gb)) - 1,
        rel=1e-9,
        abs_=1e-12,
    )
    assert close(call(A.trade_residual, [a + b + 1, [[a, b]]]), 1.0, abs_=1e-9 * (a + b))
    assert close(call(A.trade_fx_rate, [a, b]) * b, a, rel=1e-12)


@IDENTITY
@given(
    units=st.integers(1, 10**6),
    dv=st.integers(0, 3),
    tenths=st.integers(-950, 25_000),
    dg=st.integers(0, 2),
    seed=st.integers(0, 2**32),
)
@counted
def test_bounds_contain_every_value_the_print_allows(units, dv, tenths, dg, seed):
    """
    Printed 112.32 and 75.7%: every value that prints so (112.315..112.325, 75.65%..75.75%) has its
    base in the bounds.
    """
    v = units / 10**dv
    g_pct = round(tenths / 10, dg)
    assume(g_pct - 0.5 * 10**-dg > -100)
    ((lo, hi),) = call(B.trade_base_bounds, [v, f"{g_pct:.{dg}f}%", dv, dg])
    assert lo <= v / (1 + g_pct / 100) <= hi
    rng = random.Random(seed)
    hv, hg = 0.5 * 10**-dv, 0.5 * 10**-dg
    for _ in range(20):
        v2 = v + rng.uniform(-hv, hv)
        g2 = (g_pct + rng.uniform(-hg, hg)) / 100
        base = v2 / (1 + g2)
        assert lo - 1e-9 * abs(base) <= base <= hi + 1e-9 * abs(base), (v2, g2, lo, hi)


@IDENTITY
# up to 12 significant digits: tradecalc.model.published rounds to 12 to drop float noise
# (75.7/100 = 0.7570000000000001)
@given(
    x=st.floats(0, 1e7, allow_nan=False),
    d=st.integers(0, 4),
    pct=st.floats(-99, 3000, allow_nan=False),
    dp=st.integers(0, 2),
)
@counted
def test_reading_printed_numbers(x, d, pct, dp):
    printed = f"{x:,.{d}f}"
    assert close(call(T.trade_number, [printed]), float(printed.replace(",", "")), rel=1e-15)
    assert call(T.trade_decimals, [printed]) == float(d)
    p = f"{pct:.{dp}f}%"
    assert close(call(T.trade_number, [p]), float(p[:-1]) / 100, rel=1e-12, abs_=1e-15)
    assert call(T.trade_decimals, [p]) == float(dp)
    assert call(T.trade_number, [f"{printed} billion yuan", "multiplier"]) == 1e9


@IDENTITY
@given(year=st.integers(1990, 2040), back=st.integers(1, 10), q=st.integers(1, 4))
@counted
def test_years_between_periods(year, back, q):
    assert call(T.trade_years, [f"{year}-Q{q}", f"{year - back}-Q{q}"]) == float(back)
    assert call(T.trade_years, [f"{year}-{3 * q:02d}", f"{year - back}-{3 * q:02d}"]) == float(back)
