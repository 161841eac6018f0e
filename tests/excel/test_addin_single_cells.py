"""One execution path: a single cell gives exactly what the same cell gives inside a range.

``tradecalc_udfs._excel.elementwise`` reads each cell the same way whether
the argument is one cell (``[[x]]`` as xlwings passes it, or a bare value)
or a range; the only difference is that one cell calls tradecalc on floats
and a range calls it once on arrays. Here each drawn cell is computed alone
and as the first row of a two-row column (the second row a release figure),
and the results must be identical: same type, same float, same error text,
for blanks, numbers stored as text, percentages where a level is expected,
TRUE/FALSE, Excel errors (text and pywin32's integers), Decimal, NaN/±inf,
growth of -100% and below, zero bases and huge values.
"""

from __future__ import annotations

import inspect
import math
from decimal import Decimal

import pytest
import tradecalc_udfs as x
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tradecalc_udfs import REGISTRY
from tradecalc_udfs._excel import EXCEL_ERRORS, com_error_code

#: The UDFs built on ``elementwise``: every argument a single cell gives one value.
ELEMENTWISE_UDFS = {
    "trade_base",
    "trade_growth",
    "trade_change",
    "trade_share",
    "trade_base_share",
    "trade_share_change",
    "trade_pp",
    "trade_reference_rate",
    "trade_pull",
    "trade_contribution",
    "trade_avg_growth",
    "trade_prior_growth",
    "trade_diff_growth",
    "trade_fx_rate",
}
BY_NAME = {f.__name__: f for f in REGISTRY}
#: The second row of the column: a valid figure for every argument kind (Chongqing Q1 2021 total).
OTHER_ROW = {"level": 180.24, "rate": 0.604, "points": 31.2, "years": 2.0}


def arity(f) -> int:
    return len(inspect.signature(f).parameters)


def same(a, b) -> bool:
    """Identical cell results: same type and value (NaN never appears: a missing result is None).

    Floats may differ in the last bit only: numpy's vectorised ``power``/``log`` loops (a range)
    and its scalar ones (a single cell) round differently by one ulp, e.g. (1 + 18) ** (1 / 2).
    """
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return abs(a - b) <= math.ulp(max(abs(a), abs(b))) and math.copysign(
            1.0, a
        ) == math.copysign(1.0, b)
    return a == b


# --------------------------------------------------------------------------- what one cell holds

cell_values = st.one_of(
    # blanks
    st.sampled_from([None, "", " ", "\t", math.nan]),
    # numbers, with the edges of the formulas' domains and of float
    st.sampled_from(
        [
            180.24,
            112.32,
            67.92,
            0.604,
            0.757,
            0.402,
            64.06,
            0.452,
            27.77,
            31.2,
            2.0,
            0.37,
            0.0,
            -0.0,
            1.0,
            -1.0,
            -1.2,
            -0.999999999,
            -1.000000001,
            1e308,
            -1e308,
            1.7976931348623157e308,
            5e-324,
            1e-300,
            math.inf,
            -math.inf,
        ]
    ),
    st.floats(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([0, 1, -1, 2, 100]),
    # numbers and words stored as text
    st.sampled_from(
        [
            "60.4%",
            "75.7%",
            "-100%",
            "-120%",
            "0%",
            "112.32",
            " 180.24 ",
            "1,234.5",
            "24",
            "-1",
            "0",
            "1e308",
            "1e999",
            "-1e999",
            "NaN",
            "inf",
            "180.24 billion yuan",
            "abc",
            "TRUE",
            "=1+1",
            "六十",
            "%",
            "1..2",
            "x" * 5000,
        ]
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-200, max_value=3000).map(
        lambda v: f"{v:.1f}%"
    ),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6).map(
        lambda v: f"{v:.2f}"
    ),
    st.text(max_size=12),
    # logical values and Excel errors passed on (with stray spaces as some engines give them)
    st.booleans(),
    st.sampled_from(EXCEL_ERRORS),
    st.sampled_from(EXCEL_ERRORS).map(lambda e: f" {e} "),
    st.sampled_from([2000, 2007, 2042, 2043, 2045, 2050, 2088]).map(
        com_error_code
    ),  # pywin32's error integers
    st.sampled_from(
        [Decimal("180.24"), Decimal("0.604"), Decimal("-1")]
    ),  # currency-formatted cells
)


def as_passed(v, how: int):
    """
    A cell as it may arrive: bare (direct Python calls), ``[[v]]`` (xlwings, ndim=2) or ``[(v,)]``.
    """
    return v if how == 0 else [[v]] if how == 1 else [(v,)]


def unwrap(v):
    return v[0][0] if isinstance(v, list) else v


EQUALITY = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def in_a_column(f, args):
    """The same cells as the first row of a column whose second row is a valid figure."""
    kinds = f.__trade_udf__["kinds"]
    column = [
        [[unwrap(a)], [OTHER_ROW[kinds[p].kind]]]
        for a, p in zip(args, inspect.signature(f).parameters)
    ]
    return f(*column)[0][0]


def test_the_elementwise_udfs_are_these():
    got = {
        f.__name__
        for f in REGISTRY
        if "elementwise(" in inspect.getsource(f.__trade_text__.__wrapped__)
    }
    assert got == ELEMENTWISE_UDFS


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_UDFS))
def test_a_single_cell_equals_the_same_cell_in_a_range(name):
    f = BY_NAME[name]

    @EQUALITY
    @given(
        st.lists(st.tuples(cell_values, st.integers(0, 2)), min_size=arity(f), max_size=arity(f))
    )
    def check(drawn):
        args = [as_passed(v, how) for v, how in drawn]
        alone, in_range = f(*args), in_a_column(f, args)
        assert same(alone, in_range), (
            f"{name}{args!r}: single cell {alone!r} != in a range {in_range!r}"
        )

    check()


def test_the_equality_covers_every_kind_of_result():
    """
    The drawn cells reach numbers, blanks, #VALUE!, #NUM! and passed-on errors (else the test above
    proves little).
    """
    examples = [
        (x.trade_base, ([[180.24]], [["60.4%"]])),  # a number: 180.24 / 1.604
        (x.trade_base, ([[None]], [[0.604]])),  # a blank
        (x.trade_base, ([[180.24]], [[-1.0]])),  # #NUM!: growth of -100% has no base
        (x.trade_base, ([["60.4%"]], [[0.604]])),  # #VALUE!: a percentage as a level
        (x.trade_share, ([[True]], [[180.24]])),  # #VALUE!: a logical value
        (x.trade_share, ([["#N/A"]], [["#DIV/0!"]])),  # the first input's error passed on
        (x.trade_base, ([[1e308]], [[-0.9]])),  # #NUM!: the result is not finite
        (x.trade_growth, ([[math.inf]], [[1.0]])),  # #NUM!: an infinite input
        (x.trade_base, ([[com_error_code(2045)]], [[0.604]])),  # #SPILL! from pywin32
    ]
    got = [f(*args) for f, args in examples]
    assert got[0] == pytest.approx(180.24 / 1.604, rel=1e-15)
    assert got[1] is None
    assert got[2] == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1)"
    assert got[3].startswith("#VALUE! TRADE_BASE: value '60.4%' is not a number")
    assert got[4] == "#VALUE! TRADE_SHARE: part is TRUE (a logical value), not a number"
    assert got[5] == "#N/A"
    assert got[6] == "#NUM! TRADE_BASE: the result is not finite"
    assert got[7] == "#NUM! TRADE_GROWTH: value is not a finite number"
    assert got[8] == "#SPILL!"
    for (f, args), alone in zip(examples, got):
        assert same(alone, in_a_column(f, args))


def test_single_cells_agree_with_a_range_of_the_release_figures():
    """
    Exports and imports of Chongqing Q1 2021 (of total 180.24, +60.4%) one cell at a time and as a
    column.
    """
    parts, growths = [112.32, 67.92], [0.757, 0.402]
    column = x.trade_pull([[p] for p in parts], [[g] for g in growths], 180.24, 0.604)
    singles = [x.trade_pull([[p]], [[g]], [[180.24]], [[0.604]]) for p, g in zip(parts, growths)]
    assert [row[0] for row in column] == singles
    # the release: total trade grew 60.4%, so the two pulls add up to 60.4 points, within the
    # rounding of the printed growths (75.7%, 40.2%, 60.4%: 60.397 here)
    assert sum(singles) == pytest.approx(60.4, abs=0.01)
    assert singles[0] == pytest.approx(100 * (112.32 - 112.32 / 1.757) / (180.24 / 1.604))


def test_numpy_arrays_and_dates_go_the_same_way():
    import datetime as dt

    import numpy as np

    assert x.trade_base(np.array([[180.24]], dtype=object), [[0.604]]) == pytest.approx(
        180.24 / 1.604, rel=1e-15
    )
    assert x.trade_base(np.float64(180.24), [[0.604]]) == pytest.approx(180.24 / 1.604, rel=1e-15)
    assert x.trade_base([[dt.datetime(2021, 3, 1)]], 0.1).startswith(
        "#VALUE! TRADE_BASE: value is a date"
    )
