"""The single-cell path of the UDFs gives exactly what the range path gives.

``tradecalc_udfs._excel.elementwise`` takes a shortcut when every argument is
one cell (``[[x]]`` as xlwings passes it, or a bare value): it coerces each
cell and calls tradecalc once, without building and broadcasting grids
(benchmark 2 in bench/README.md). Here the same cells go through both paths,
the range path forced by switching the shortcut off, and the results must be
identical: same type, same float, same error text, for blanks, numbers stored
as text, percentages where a level is expected, TRUE/FALSE, Excel errors,
NaN/±inf, growth of -100% and below, zero bases and huge values.
"""
from __future__ import annotations

import inspect
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradecalc_udfs as x
from tradecalc_udfs import REGISTRY, _excel
from tradecalc_udfs._excel import EXCEL_ERRORS

#: The UDFs built on ``elementwise``: every argument a single cell gives one value.
FAST_PATH_UDFS = {
    "trade_base", "trade_growth", "trade_change", "trade_share", "trade_base_share", "trade_share_change",
    "trade_pp", "trade_reference_rate", "trade_pull", "trade_contribution", "trade_avg_growth",
    "trade_prior_growth", "trade_diff_growth", "trade_fx_rate",
}
BY_NAME = {f.__name__: f for f in REGISTRY}


def arity(f) -> int:
    return len(inspect.signature(f).parameters)


class Counter:
    """Wraps ``_excel._elementwise_cell`` to count how often the single-cell path runs."""

    def __init__(self):
        self.calls = 0
        self.real = _excel._elementwise_cell

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


def via_fast_path(f, args):
    with pytest.MonkeyPatch.context() as mp:
        counter = Counter()
        mp.setattr(_excel, "_elementwise_cell", counter)
        out = f(*args)
    assert counter.calls == 1, f"{f.__name__}{args!r} did not take the single-cell path"
    return out


def via_range_path(f, args):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_excel, "single_cells", lambda raws: None)  # as before the shortcut existed
        mp.setattr(_excel, "_elementwise_cell", lambda *a, **k: pytest.fail("single-cell path used"))
        return f(*args)


def same(a, b) -> bool:
    """Identical cell results: same type and value (NaN never appears: a missing result is None)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return a == b


# --------------------------------------------------------------------------- what one cell holds

cell_values = st.one_of(
    # blanks
    st.sampled_from([None, "", " ", "\t", math.nan]),
    # numbers, with the edges of the formulas' domains and of float
    st.sampled_from([
        180.24, 112.32, 67.92, 0.604, 0.757, 0.402, 64.06, 0.452, 27.77, 31.2, 2.0, 0.37,
        0.0, -0.0, 1.0, -1.0, -1.2, -0.999999999, -1.000000001, 1e308, -1e308, 1.7976931348623157e308,
        5e-324, 1e-300, math.inf, -math.inf,
    ]),
    st.floats(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([0, 1, -1, 2, 100]),
    # numbers and words stored as text
    st.sampled_from([
        "60.4%", "75.7%", "-100%", "-120%", "0%", "112.32", " 180.24 ", "1,234.5", "24", "-1", "0", "1e308", "1e999",
        "-1e999", "NaN", "inf", "180.24 billion yuan", "abc", "TRUE", "=1+1", "六十", "%", "1..2", "x" * 5000,
    ]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-200, max_value=3000).map(lambda v: f"{v:.1f}%"),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6).map(lambda v: f"{v:.2f}"),
    st.text(max_size=12),
    # logical values and Excel errors passed on (with stray spaces as some engines give them)
    st.booleans(),
    st.sampled_from(EXCEL_ERRORS),
    st.sampled_from(EXCEL_ERRORS).map(lambda e: f" {e} "),
)


def as_passed(v, how: int):
    """A cell as it may arrive: bare (direct Python calls), ``[[v]]`` (xlwings, ndim=2) or ``[(v,)]``."""
    return v if how == 0 else [[v]] if how == 1 else [(v,)]


@st.composite
def cells_for(draw, n: int):
    return [as_passed(draw(cell_values), draw(st.integers(0, 2))) for _ in range(n)]


EQUALITY = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- tests


def test_exactly_the_elementwise_udfs_take_the_single_cell_path():
    taken = set()
    for f in REGISTRY:
        with pytest.MonkeyPatch.context() as mp:
            counter = Counter()
            mp.setattr(_excel, "_elementwise_cell", counter)
            f(*([[1.0]],) * arity(f))
        if counter.calls:
            taken.add(f.__name__)
    assert taken == FAST_PATH_UDFS


@pytest.mark.parametrize("name", sorted(FAST_PATH_UDFS))
def test_single_cell_path_equals_range_path(name):
    f = BY_NAME[name]

    @EQUALITY
    @given(cells_for(arity(f)))
    def check(args):
        fast, general = via_fast_path(f, args), via_range_path(f, args)
        assert same(fast, general), f"{name}{args!r}: single cell {fast!r} != range {general!r}"

    check()


def test_the_equality_covers_every_kind_of_result():
    """The drawn cells reach numbers, blanks, #VALUE!, #NUM! and passed-on errors (else the test above proves little)."""
    examples = [
        (x.trade_base, ([[180.24]], [["60.4%"]])),  # a number: 180.24 / 1.604
        (x.trade_base, ([[None]], [[0.604]])),  # a blank
        (x.trade_base, ([[180.24]], [[-1.0]])),  # #NUM!: growth of -100% has no base
        (x.trade_base, ([["60.4%"]], [[0.604]])),  # #VALUE!: a percentage as a level
        (x.trade_share, ([[True]], [[180.24]])),  # #VALUE!: a logical value
        (x.trade_share, ([["#N/A"]], [["#DIV/0!"]])),  # the first input's error passed on
        (x.trade_base, ([[1e308]], [[-0.9]])),  # #NUM!: the result is not finite
        (x.trade_growth, ([[math.inf]], [[1.0]])),  # #NUM!: an infinite input
    ]
    got = [via_fast_path(f, args) for f, args in examples]
    assert got[0] == pytest.approx(180.24 / 1.604, rel=1e-15)
    assert got[1] is None
    assert got[2] == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1)"
    assert got[3].startswith("#VALUE! TRADE_BASE: value '60.4%' is not a number")
    assert got[4] == "#VALUE! TRADE_SHARE: part is TRUE (a logical value), not a number"
    assert got[5] == "#N/A"
    assert got[6] == "#NUM! TRADE_BASE: the result is not finite"
    assert got[7] == "#NUM! TRADE_GROWTH: value is not a finite number"
    for (f, args), fast in zip(examples, got):
        assert same(fast, via_range_path(f, args))


def test_single_cells_agree_with_a_range_of_the_release_figures():
    """Exports and imports of Chongqing Q1 2021 (of total 180.24, +60.4%) one cell at a time and as a column."""
    parts, growths = [112.32, 67.92], [0.757, 0.402]
    column = x.trade_pull([[p] for p in parts], [[g] for g in growths], 180.24, 0.604)
    singles = [x.trade_pull([[p]], [[g]], [[180.24]], [[0.604]]) for p, g in zip(parts, growths)]
    assert [row[0] for row in column] == singles
    # the release: total trade grew 60.4%, so the two pulls add up to 60.4 points, within the
    # rounding of the printed growths (75.7%, 40.2%, 60.4%: 60.397 here)
    assert sum(singles) == pytest.approx(60.4, abs=0.01)
    assert singles[0] == pytest.approx(100 * (112.32 - 112.32 / 1.757) / (180.24 / 1.604))


def test_numpy_arrays_and_other_types_keep_the_range_path():
    import datetime as dt

    import numpy as np

    assert _excel.single_cells([np.array([[180.24]], dtype=object)]) is None
    assert _excel.single_cells([np.float64(180.24)]) is None
    assert _excel.single_cells([[[dt.datetime(2021, 3, 1)]]]) is None
    assert _excel.single_cells([[[180.24, 112.32]]]) is None
    assert _excel.single_cells([[180.24]]) is None  # a 1-D list is a column to grid(); left to it
    assert x.trade_base(np.array([[180.24]], dtype=object), [[0.604]]) == pytest.approx(180.24 / 1.604, rel=1e-15)
