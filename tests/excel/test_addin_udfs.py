"""The Excel functions called headless, with the values Excel passes.

Inputs are the Chongqing Q1 2021 release's figures as loaded from its release
file; expected numbers come from the release's own statements (180.24 =
112.32 + 67.92, "31.2 percentage points higher", March 64.06 = 40.06 + 24,
"about 27.77 billion U.S. dollars") or from plain arithmetic written here.
"""

from __future__ import annotations

import math

import pytest
import tradecalc_udfs as x

ERR_VALUE, ERR_NUM = "#VALUE! ", "#NUM! "


@pytest.fixture(scope="module")
def fig(chongqing_path):
    from tradecalc.model.releasefile import load

    release = load(chongqing_path)
    return {f.id: f for f in release.figures} | {
        "_statements": {s.id: s for s in release.statements}
    }


def col(*values):
    """A column range as xlwings passes it with ndim=2."""
    return [[v] for v in values]


# --------------------------------------------------------------------------- release values


def test_base_of_total_trade(fig):
    t = fig["total"]
    assert x.trade_base(t.value, t.yoy) == pytest.approx(180.24 / 1.604)
    assert round(x.trade_base(t.value, t.yoy), 2) == 112.37
    # the way Excel passes a cell: a 1×1 range, and numbers stored as text
    assert x.trade_base([[t.value]], [["60.4%"]]) == pytest.approx(180.24 / 1.604)
    assert x.trade_base("180.24", "60.4%") == pytest.approx(180.24 / 1.604)


def test_growth_change_share(fig):
    t, e = fig["total"], fig["exports"]
    assert x.trade_growth(t.value, 180.24 / 1.604) == pytest.approx(0.604)
    assert x.trade_change(e.value, e.yoy) == pytest.approx(112.32 - 112.32 / 1.757)
    assert x.trade_share(e.value, t.value) == pytest.approx(112.32 / 180.24)


def test_share_change_pull_contribution_of_exports(fig):
    t, e, i = fig["total"], fig["exports"], fig["imports"]
    plain_share_change = 100 * (112.32 / 180.24 - (112.32 / 1.757) / (180.24 / 1.604))
    got = x.trade_share_change(e.value, e.yoy, t.value, t.yoy)
    assert got == pytest.approx(plain_share_change)
    assert round(got, 1) == 5.4
    assert x.trade_base_share(e.value, e.yoy, t.value, t.yoy) == pytest.approx(
        (112.32 / 1.757) / (180.24 / 1.604)
    )
    # exports and imports are a complete breakdown: their pulls add up to the
    # total's growth in points (within the rounding of the print) and their
    # contribution rates to 1.
    pulls = [x.trade_pull(f.value, f.yoy, t.value, t.yoy) for f in (e, i)]
    assert sum(pulls) == pytest.approx(60.4, abs=0.1)
    contribs = x.trade_contribution(col(e.value, i.value), col(e.yoy, i.yoy), t.value, t.yoy)
    assert sum(r[0] for r in contribs) == pytest.approx(1.0, abs=0.005)


def test_pp_and_reference_rate_from_the_31_2_points_statement(fig):
    t = fig["total"]
    stated = fig["_statements"]["total-vs-national"].value
    assert stated == 31.2
    assert x.trade_reference_rate(t.yoy, stated) == pytest.approx(0.292)
    assert x.trade_reference_rate("60.4%", "31.2") == pytest.approx(0.292)
    assert x.trade_pp(t.yoy, 0.292) == pytest.approx(31.2)


def test_growth_over_several_periods(fig):
    t = fig["total"]
    assert x.trade_avg_growth(t.earlier_growth, 2) == pytest.approx(1.37**0.5 - 1)
    prior = x.trade_prior_growth(t.earlier_growth, t.yoy)
    assert prior == pytest.approx(1.37 / 1.604 - 1)
    # compounding 2020's and 2021's growth gives back the stated +37% on 2019
    assert x.trade_compound(col(prior, t.yoy)) == pytest.approx(0.37)
    assert x.trade_compound([[prior, "60.4%"]]) == pytest.approx(0.37)


def test_differences_sums_and_conversions(fig):
    t, tm, e, i = fig["total"], fig["total-march"], fig["exports"], fig["imports"]
    jan_feb = x.trade_diff_growth(t.value, t.yoy, tm.value, tm.yoy)
    assert jan_feb == pytest.approx((180.24 - 64.06) / (180.24 / 1.604 - 64.06 / 1.452) - 1)
    assert round(jan_feb, 3) == 0.702
    # the release's total growth from its exports and imports
    assert x.trade_sum_growth([[e.value, i.value]], [[e.yoy, i.yoy]]) == pytest.approx(
        0.604, abs=0.0005
    )
    # "180.24 billion yuan (about 27.77 billion U.S. dollars)"
    usd = fig["_statements"]["total-usd"].value
    assert x.trade_fx_rate(t.value, usd) == pytest.approx(180.24 / 27.77)
    assert round(x.trade_fx_rate(t.value, usd), 2) == 6.49


def test_residuals_from_the_stated_totals(fig):
    t, e, i = fig["total"], fig["exports"], fig["imports"]
    assert x.trade_residual(t.value, col(e.value, i.value)) == pytest.approx(0.0, abs=1e-9)
    # March: 64.06 = 40.06 + 24
    m = [fig[k].value for k in ("total-march", "exports-march", "imports-march")]
    assert x.trade_residual(m[0], [[m[1], m[2]]]) == pytest.approx(0.0, abs=1e-9)
    # ownership types are a partial breakdown: "other" is what is left
    own = [fig[k].value for k in ("foreign-funded", "private", "state-owned")]
    assert x.trade_residual(t.value, col(*own)) == pytest.approx(180.24 - 88.24 - 75.07 - 16.75)
    # a column of totals with one row of parts each
    got = x.trade_residual(col(180.24, 64.06), [[112.32, 67.92], [40.06, 24]])
    assert [r[0] for r in got] == pytest.approx([0.0, 0.0], abs=1e-9)


# -------------------- blanks, text, booleans, errors


def test_blank_inputs_give_blank_results_never_zero():
    for blank in (None, "", "  ", math.nan, [[None]]):
        assert x.trade_base(blank, 0.604) is None
        assert x.trade_base(180.24, blank) is None
    assert x.trade_compound(col(0.1, None)) is None
    assert x.trade_residual(180.24, col(112.32, None)) is None
    assert x.trade_sum_growth([[112.32, None]], [[0.757, 0.402]]) is None


def test_text_that_is_not_a_number_is_a_value_error():
    assert x.trade_base("abc", 0.1) == "#VALUE! TRADE_BASE: value 'abc' is not a number"
    out = x.trade_base("180.24 billion yuan", 0.604)
    assert out.startswith(ERR_VALUE) and "words after the number" in out
    # a percentage where a level is expected is refused, not read as 0.604
    out = x.trade_share("60.4%", 180.24)
    assert out.startswith("#VALUE! TRADE_SHARE: part '60.4%'")
    out = x.trade_reference_rate(0.604, "31.2%")
    assert out.startswith("#VALUE! TRADE_REFERENCE_RATE: pp_above")


def test_booleans_and_dates_are_value_errors():
    import datetime as dt

    assert (
        x.trade_base(True, 0.1)
        == "#VALUE! TRADE_BASE: value is TRUE (a logical value), not a number"
    )
    assert x.trade_share(1.0, False).startswith("#VALUE! TRADE_SHARE: whole is FALSE")
    assert (
        x.trade_base(dt.datetime(2021, 3, 1), 0.1)
        == "#VALUE! TRADE_BASE: value is a date or time (2021-03-01T00:00:00), not a number"
    )


@pytest.mark.parametrize(
    "error", ["#N/A", "#DIV/0!", "#REF!", "#NUM! TRADE_SHARE: share: the whole is zero (got 0)"]
)
def test_an_error_in_an_input_is_passed_on(error):
    assert x.trade_base(error, 0.604) == error
    assert x.trade_base_bounds(180.24, error, 2, 1) == [[error, error]]
    assert x.trade_compound(col(0.1, error)) == error


def test_domain_errors_are_num_with_the_reason():
    assert x.trade_base(180.24, -1.2) == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"
    assert x.trade_share(1, 0).startswith("#NUM! TRADE_SHARE: share: the whole is zero")
    assert x.trade_growth(5, -10).startswith(
        "#NUM! TRADE_GROWTH: growth: the base and the value have opposite signs"
    )
    assert x.trade_avg_growth(0.37, 0).startswith(
        "#NUM! TRADE_AVG_GROWTH: average_growth: years must be positive"
    )
    assert x.trade_compound(col(0.1, -1)).startswith("#NUM! TRADE_COMPOUND: growth ≤ -100%")


def test_an_unexpected_exception_is_one_line_not_a_traceback(monkeypatch):
    import tradecalc

    def boom(*a, **k):
        raise RuntimeError("first line\nsecond line")

    monkeypatch.setattr(tradecalc, "base", boom)
    out = x.trade_base(180.24, 0.604)
    assert out == (
        "#VALUE! TRADE_BASE: unexpected error (RuntimeError: first line second line); please "
        "report "
        "it"
    )
    monkeypatch.setattr(tradecalc.calc.bounds, "base_bounds", boom)
    assert x.trade_base_bounds(180.24, 0.604, 2, 1)[0][1].startswith(
        "#VALUE! TRADE_BASE_BOUNDS: unexpected error"
    )


def test_infinite_input_is_num_error():
    assert x.trade_base(math.inf, 0.1) == "#NUM! TRADE_BASE: value is not a finite number"


# --------------------------------------------------------------------------- ranges


def test_a_range_gives_an_array_of_the_same_shape(fig):
    t, e, i = fig["total"], fig["exports"], fig["imports"]
    got = x.trade_base(col(t.value, e.value, i.value), col(t.yoy, e.yoy, i.yoy))
    assert [len(r) for r in got] == [1, 1, 1]
    assert [r[0] for r in got] == pytest.approx([180.24 / 1.604, 112.32 / 1.757, 67.92 / 1.402])
    row = x.trade_share([[e.value, i.value]], t.value)  # a single cell goes with any range
    assert row == [[pytest.approx(112.32 / 180.24), pytest.approx(67.92 / 180.24)]]
    # pycel passes ranges as tuples of tuples
    assert x.trade_share(((e.value, i.value),), ((t.value,),)) == row


def test_each_cell_of_a_range_keeps_its_own_error_or_blank():
    got = x.trade_base(col(180.24, None, "x", 10, "#N/A"), col(0.604, 0.1, 0.1, -1, 0.1))
    assert got[0][0] == pytest.approx(180.24 / 1.604)
    assert got[1][0] is None
    assert got[2][0] == "#VALUE! TRADE_BASE: value 'x' is not a number"
    assert got[3][0] == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1)"
    assert got[4][0] == "#N/A"


def test_mismatched_shapes_are_one_clear_error():
    out = x.trade_base(col(1, 2), col(0.1, 0.2, 0.3))
    assert out == (
        "#VALUE! TRADE_BASE: value is 2×1 but growth is 3×1; give single cells or ranges of the "
        "same shape"
    )
    out = x.trade_sum_growth([[1, 2]], [[0.1]])
    assert out.startswith("#VALUE! TRADE_SUM_GROWTH: values has 2 cells but growths has 1")
    assert x.trade_base([[1, 2], [3]], 0.1).startswith(
        "#VALUE! TRADE_BASE: value is not a rectangular range"
    )


# --------------------------------------------------------------------------- bounds


def test_base_bounds_are_the_corners_of_the_printed_box(fig):
    t = fig["total"]
    got = x.trade_base_bounds(t.value, t.yoy, t.value_decimals, t.yoy_decimals)
    assert got == [[pytest.approx(180.235 / 1.6045), pytest.approx(180.245 / 1.6035)]]
    # "private enterprises 75.07 billion yuan, up 100%": 0 decimals on the growth
    p = fig["private"]
    lo, hi = x.trade_base_bounds(p.value, p.yoy, p.value_decimals, p.yoy_decimals)[0]
    assert (lo, hi) == (pytest.approx(75.065 / 2.005), pytest.approx(75.075 / 1.995))


def test_bounds_blank_decimals_mean_exact_and_blank_values_give_blanks():
    lo, hi = x.trade_base_bounds(180.24, 0.604, None, None)[0]
    assert lo == pytest.approx(180.24 / 1.604) and hi == pytest.approx(180.24 / 1.604)
    assert x.trade_base_bounds(None, 0.604, 2, 1) == [[None, None]]


def test_bounds_of_statements_contain_what_the_release_says(fig):
    t, e, tm, i = fig["total"], fig["exports"], fig["total-march"], fig["imports"]
    lo, hi = x.trade_reference_rate_bounds(t.yoy, 31.2, 1, 1)[0]
    assert (lo, hi) == (pytest.approx(0.6035 - 0.3125), pytest.approx(0.6045 - 0.3115))
    lo, hi = x.trade_fx_rate_bounds(180.24, 27.77, 2, 2)[0]
    assert (lo, hi) == (pytest.approx(180.235 / 27.775), pytest.approx(180.245 / 27.765))
    lo, hi = x.trade_share_change_bounds(e.value, e.yoy, t.value, t.yoy, 2, 1, 2, 1)[0]
    assert lo < 5.43 < hi and hi - lo < 0.1
    lo, hi = x.trade_diff_growth_bounds(t.value, t.yoy, tm.value, tm.yoy, 2, 1, 2, 1)[0]
    assert lo < 0.7023 < hi
    # 180.24 = 112.32 + 67.92: a residual of zero is within rounding
    lo, hi = x.trade_residual_bounds(180.24, col(e.value, i.value), 2, 2)[0]
    assert (lo, hi) == (
        pytest.approx(180.235 - 112.325 - 67.925),
        pytest.approx(180.245 - 112.315 - 67.915),
    )
    lo, hi = x.trade_residual_bounds(180.24, [[e.value, i.value]], 2, [[2, 2]])[0]
    assert lo < 0 < hi
    lo, hi = x.trade_change_bounds(24, "28.3%", 0, 1)[0]
    assert (lo, hi) == (pytest.approx(23.5 - 23.5 / 1.2825), pytest.approx(24.5 - 24.5 / 1.2835))
    lo, hi = x.trade_share_bounds(112.32, 180.24, 2, 2)[0]
    assert (lo, hi) == (pytest.approx(112.315 / 180.245), pytest.approx(112.325 / 180.235))
    for f in (x.trade_base_share_bounds, x.trade_pull_bounds):
        lo, hi = f(e.value, e.yoy, t.value, t.yoy, 2, 1, 2, 1)[0]
        assert lo < hi


def test_bounds_column_gives_one_row_per_cell():
    got = x.trade_base_bounds(col(180.24, 112.32), col(0.604, 0.757), 2, 1)
    assert len(got) == 2 and all(len(r) == 2 and r[0] < r[1] for r in got)
    assert x.trade_base_bounds([[1, 2]], 0.1, 0, 0) == [
        [
            (
                "#VALUE! TRADE_BASE_BOUNDS: inputs are 1×2; give single cells or one column (the "
                "result "
                "has a low and a high column)"
            )
        ]
        * 2
    ]


def test_bounds_errors():
    assert x.trade_base_bounds(180.24, -1.5, 2, 1) == [
        ["#NUM! TRADE_BASE_BOUNDS: growth ≤ -100% has no base (got -1.5)"] * 2
    ]
    bad = x.trade_base_bounds(180.24, 0.604, -1, 1)[0][0]
    assert bad.startswith("#VALUE! TRADE_BASE_BOUNDS: value_decimals is -1")
    assert x.trade_base_bounds(180.24, 0.604, 1.5, 1)[0][0].startswith(
        "#VALUE! TRADE_BASE_BOUNDS: value_decimals is 1.5"
    )
    assert x.trade_base_bounds(180.24, 0.604, "two", 1)[0][0].startswith(
        "#VALUE! TRADE_BASE_BOUNDS: value_decimals is 'two'"
    )
    # 10 - 9.9 printed to whole numbers: the base of the difference may be 0
    out = x.trade_diff_growth_bounds(10, 0.1, 9.9, 0.1, 0, 1, 0, 1)
    assert out[0][0].startswith("#NUM! TRADE_DIFF_GROWTH_BOUNDS: no finite bounds")
    assert x.trade_residual_bounds(col(1, 2), col(1), 0, 0)[0][0].startswith(
        "#VALUE! TRADE_RESIDUAL_BOUNDS: give one total"
    )


# --------------------------------------------------------------------------- text


def test_trade_number_reads_printed_numbers():
    assert x.trade_number("60.4%") == 0.604
    assert x.trade_number("180.24 billion yuan") == 180.24
    assert x.trade_number("1.2 trillion") == 1.2
    assert x.trade_number("1.2 trillion", "multiplier") == 1e12
    assert x.trade_number("180.24 billion yuan", [["unit"]]) == "billion yuan"
    assert x.trade_number("24", "multiplier") == 1.0
    assert x.trade_number("1,234.5") == 1234.5
    assert x.trade_number(None) is None
    assert x.trade_number(112.32) == 112.32
    assert x.trade_number(col("60.4%", "24", "")) == [[0.604], [24.0], [None]]
    assert x.trade_number("about").startswith(
        "#VALUE! TRADE_NUMBER: 'about' is not a printed number"
    )
    assert x.trade_number("24", "scale").startswith("#VALUE! TRADE_NUMBER: part is 'scale'")


def test_trade_decimals_counts_printed_digits():
    assert x.trade_decimals("24") == 0
    assert x.trade_decimals("60.4%") == 1
    assert x.trade_decimals("112.32") == 2
    assert x.trade_decimals("100%") == 0
    assert x.trade_decimals(None) is None
    assert x.trade_decimals(24.0).startswith("#VALUE! TRADE_DECIMALS: 24.0 is stored as a number")


def test_trade_years_between_periods(fig):
    t = fig["total"]
    assert x.trade_years(t.period, t.earlier_period) == 2.0
    assert x.trade_years(2021.0, 2019.0) == 2.0  # year cells Excel stores as numbers
    assert x.trade_years("2021-03", "2020-03") == 1.0
    assert x.trade_years(None, "2019-Q1") is None
    assert x.trade_years("2021-Q5", "2019-Q1").startswith(
        "#VALUE! TRADE_YEARS: '2021-Q5' is not a period"
    )
    assert x.trade_years("2019-Q1", "2021-Q1").startswith(
        "#NUM! TRADE_YEARS: earlier_period 2021-Q1 is not before"
    )


# --------------------------------------------------------------------------- TRADE_TABLE


def _figures_range(release, columns):
    frame = release.figures_frame()
    rows = [list(columns)]
    for _, r in frame.iterrows():
        rows.append(
            [
                None
                if (isinstance(r[c], float) and math.isnan(r[c])) or r[c] in ("", None)
                else r[c]
                for c in columns
            ]
        )
    return rows


def test_trade_table_derives_the_figures_range(chongqing):
    from tradecalc.model.release import FIGURE_COLUMNS

    columns = list(reversed(FIGURE_COLUMNS))  # any order
    out = x.trade_table(_figures_range(chongqing, columns))
    head, rows = out[0], {r[0]: dict(zip(out[0], r)) for r in out[1:]}
    assert head[0] == "id" and "share_change_pp" in head and "base_low" in head
    assert len(rows) == len(chongqing.figures)
    ex = rows["exports"]
    assert ex["base"] == pytest.approx(112.32 / 1.757)
    assert ex["share_change_pp"] == pytest.approx(
        100 * (112.32 / 180.24 - (112.32 / 1.757) / (180.24 / 1.604))
    )
    assert ex["pull_pp"] == pytest.approx(100 * (112.32 - 112.32 / 1.757) / (180.24 / 1.604))
    tot = rows["total"]
    assert tot["share"] is None  # no parent: blank, not 0
    assert tot["years"] == 2.0 and tot["average_growth"] == pytest.approx(1.37**0.5 - 1)
    assert (tot["base_low"], tot["base_high"]) == (
        pytest.approx(180.235 / 1.6045),
        pytest.approx(180.245 / 1.6035),
    )
    # same numbers as the library's own derived table
    from tradecalc import derive

    lib = derive(chongqing)
    for fid in ("exports", "imports-march", "private"):
        for c in ("base", "change", "share", "contribution", "base_low", "base_high"):
            v = lib.loc[fid, c]
            assert (rows[fid][c] is None) if math.isnan(v) else rows[fid][c] == pytest.approx(v)


def test_trade_table_printed_text_and_blank_rows():
    rng = [
        ["id", "period", "value", "yoy", "parent", "unit"],
        ["total", "2021-Q1", "180.24", "60.4%", None, "billion yuan"],
        [None, None, None, None, None, None],
        ["exports", "2021-Q1", "112.32", "75.7%", "total", "billion yuan"],
    ]
    out = x.trade_table(rng)
    assert len(out) == 3
    ex = dict(zip(out[0], out[2]))
    assert ex["share"] == pytest.approx(112.32 / 180.24)


def test_trade_table_errors():
    assert x.trade_table([["id", "vaule"], ["total", 1]]).startswith(
        "#VALUE! TRADE_TABLE: unknown column 'vaule'"
    )
    assert x.trade_table([["total", 180.24]]).startswith(
        "#VALUE! TRADE_TABLE: give the Figures range with its header row"
    )
    assert x.trade_table([["total", 180.24], ["exports", 112.32]]).startswith(
        "#VALUE! TRADE_TABLE: unknown column 'total'"
    )
    bad = x.trade_table(
        [["id", "period", "value", "unit"], ["total", "2021-Q1", "abc", "billion yuan"]]
    )
    assert bad.startswith("#VALUE! TRADE_TABLE: range row 2: value: not a number: 'abc'")
    orphan = x.trade_table(
        [
            ["id", "period", "value", "parent", "unit"],
            ["exports", "2021-Q1", 1, "total", "billion yuan"],
        ]
    )
    assert "unknown parent 'total'" in orphan
    assert x.trade_table([["id", "period", "value"], ["t", "2021", 1]]).startswith(
        "#VALUE! TRADE_TABLE: release: no figure has a unit."
    )


# -------------------- one growth rule with derive


@pytest.mark.parametrize("typed, growth", [("75.7", 0.757), ("75.7%", 0.757), ("0.757", 0.00757)])
def test_growth_typed_as_text_reads_as_derive_reads_the_workbook(tmp_path, typed, growth):
    """Exports "surged 75.7% to 112.32 billion yuan": text in a growth cell is a printed percentage.

    The growth cell of the exports row is typed as text (as when a cell is
    formatted Text before typing); ``tradecalc derive`` on that workbook and
    TRADE_BASE on the same cell values must agree. "75.7" is 75.7% (base
    63.93, not 1.46), "0.757" is 0.757% (base 111.48, not 63.93).
    """
    import openpyxl
    from helpers import CHONGQING
    from helpers.workbook_fixture import figures_table, set_cell, write_template

    import tradecalc

    path = write_template(CHONGQING, tmp_path / "typed.xlsx")
    wb = openpyxl.load_workbook(path)
    ws, _ = figures_table(wb)
    set_cell(ws, "exports", "yoy", typed)
    wb.save(path)
    derived = tradecalc.derive(path).loc["exports", "base"]
    assert derived == pytest.approx(112.32 / (1 + growth), rel=1e-12)
    assert x.trade_base([["112.32"]], [[typed]]) == pytest.approx(derived, rel=1e-12)
    assert x.trade_base(112.32, growth) == pytest.approx(
        derived, rel=1e-12
    )  # a number is the fraction itself
    assert round(x.trade_base(112.32, "75.7"), 2) == 63.93


def test_every_rate_argument_reads_text_as_a_percentage():
    assert x.trade_pp("60.4", "29.2") == pytest.approx(
        31.2
    )  # "60.4 percent, 31.2 points higher than 29.2"
    assert x.trade_compound([["-14.6", "60.4"]]) == pytest.approx((1 - 0.146) * 1.604 - 1)
    assert x.trade_sum_growth([[112.32, 67.92]], [["75.7", "40.2%"]]) == pytest.approx(
        0.604, abs=0.0005
    )
    assert x.trade_base_bounds(180.24, "60.4", 2, 1) == x.trade_base_bounds(180.24, 0.604, 2, 1)
    # a level typed as text is a number, a percentage there is refused
    assert x.trade_share("112.32", "180.24") == pytest.approx(112.32 / 180.24)
    assert x.trade_share("62.3%", 180.24).startswith("#VALUE! TRADE_SHARE: part '62.3%'")


# --------------------------------------------------------------------------- what real Excel sends


def test_excel_error_integers_are_errors_never_numbers():
    """pywin32 gives an error cell as 0x800A0000 + Microsoft's number; xlwings names only seven."""
    from tradecalc_udfs._excel import com_error_code

    assert com_error_code(2045) == -2146826243 == 0x800A07FD - 2**32  # #SPILL!
    # before: TRADE_BASE(#SPILL!, 0.604) = -1338420350.99
    assert x.trade_base(-2146826243, 0.604) == "#SPILL!"
    assert x.trade_base([[180.24]], [[-2146826238]]) == "#CALC!"  # 2050
    assert x.trade_share([[com_error_code(2043)], [112.32]], 180.24) == [
        ["#GETTING_DATA"],
        [pytest.approx(112.32 / 180.24)],
    ]
    assert x.trade_base(0x800A07D0 - 2**32, 0.1) == "#NULL!"  # the first of the range
    assert (
        x.trade_base(0x800A0834 - 2**32, 0.1)
        == "#N/A TRADE_BASE: value holds Excel error 2100 (CVErr(2100))"
    )
    assert x.trade_base(0x800A0835 - 2**32, 0.1) == pytest.approx(
        (0x800A0835 - 2**32) / 1.1
    )  # outside: a number
    assert x.trade_compound([[0.1, com_error_code(2046)]]) == "#CONNECT!"
    assert x.trade_base_bounds(180.24, com_error_code(2049), 2, 1) == [["#FIELD!", "#FIELD!"]]
    assert x.trade_years(com_error_code(2047), "2020-Q1") == "#BLOCKED!"
    assert x.trade_number(com_error_code(2048)) == "#UNKNOWN!"
    assert x.trade_decimals(com_error_code(2042)) == "#N/A"


def test_decimal_from_currency_formats_is_a_number():
    from decimal import Decimal

    assert x.trade_base(Decimal("180.24"), Decimal("0.604")) == pytest.approx(180.24 / 1.604)
    assert x.trade_residual(
        Decimal("180.24"), [[Decimal("112.32"), Decimal("67.92")]]
    ) == pytest.approx(0.0, abs=1e-9)
    assert x.trade_base_bounds(Decimal("180.24"), 0.604, Decimal("2"), 1) == x.trade_base_bounds(
        180.24, 0.604, 2, 1
    )


def test_dates_typed_as_periods():
    """Excel turns a typed 2021-03 into 2021-03-01: classic passes a datetime, Office.js the serial
    44256.
    """
    import datetime as dt

    assert x.trade_years(dt.datetime(2021, 3, 1), dt.datetime(2019, 3, 1)) == 2.0
    assert x.trade_years(44256.0, 43525.0) == 2.0  # 2021-03-01 and 2019-03-01 as serial numbers
    assert x.trade_years(dt.date(2021, 3, 1), "2020-03") == 1.0
    assert x.trade_years(dt.datetime(2021, 3, 15), "2020-03").startswith(
        "#VALUE! TRADE_YEARS: period is a date or time (2021-03-15"
    )
    assert x.trade_years(44270.0, "2020-03").startswith(
        "#VALUE! TRADE_YEARS: period is a date or time (2021-03-15"
    )
    assert x.trade_years(44256.5, "2020-03").startswith("#VALUE! TRADE_YEARS: period is 44256.5")


def test_returned_strings_fit_a_vba_array():
    """
    Classic Excel blanks a whole array result if one string is over 255 characters (xlwings #456).
    """
    long = "1" * 400 + "%"
    outs = [
        x.trade_base(long, 0.1),
        x.trade_number("9" * 5000),
        x.trade_base([["a" * 30000], [1]], 0.1),
        x.trade_years("2021-" + "Q" * 500, "2020-Q1"),
        x.trade_table([["id", "x" * 1000], ["a", 1]]),
        x.trade_why("TRADE_" + "X" * 400, 1),
    ]
    flat = [v for o in outs for v in (sum(o, []) if isinstance(o, list) else [o])]
    texts = [v for v in flat if isinstance(v, str)]
    assert len(texts) == 6 and all(len(v) <= 255 for v in texts), [len(v) for v in texts]
    assert outs[0].startswith("#VALUE! TRADE_BASE: value '1111")


def test_trade_table_never_returns_infinity():
    """A growth just above -100% on a value near the largest float: the base overflows."""
    import numpy as np

    rows = [
        ["id", "value", "yoy", "parent", "unit", "period"],
        ["total", 1e308, -0.999, None, "billion yuan", "2021-Q1"],
        ["exports", 1e308, 0.5, "total", "billion yuan", "2021-Q1"],
    ]
    out = x.trade_table(rows)
    cells = [v for row in out[1:] for v in row]
    assert not any(isinstance(v, float) and not np.isfinite(v) for v in cells)
    head = out[0]
    assert out[1][head.index("base")] == "#NUM! TRADE_TABLE: the result is not finite"


def test_trade_table_passes_on_errors_and_reads_excel_values():
    import datetime as dt
    from decimal import Decimal

    head = ["id", "value", "yoy", "parent", "unit", "period"]
    out = x.trade_table([head, ["total", -2146826243, 0.604, None, "billion yuan", "2021-Q1"]])
    assert out == "#SPILL! TRADE_TABLE: range row 2, column value holds #SPILL!"
    out = x.trade_table(
        [
            head,
            [
                "total",
                Decimal("180.24"),
                Decimal("0.604"),
                None,
                "billion yuan",
                dt.datetime(2021, 3, 1),
            ],
        ]
    )
    assert out[1][out[0].index("base")] == pytest.approx(180.24 / 1.604)
    assert out[1][out[0].index("period")] == "2021-03"


def test_trade_why_gives_the_reason_of_each_cell():
    assert (
        x.trade_why("TRADE_BASE", 180.24, -1.2)
        == "#NUM! TRADE_BASE: growth ≤ -100% has no base (got -1.2)"
    )
    assert x.trade_why([["trade_base"]], 180.24, 0.604) is None
    assert x.trade_why("TRADE_BASE", col(180.24, "x"), col(0.604, 0.1)) == [
        [None],
        ["#VALUE! TRADE_BASE: value 'x' is not a number"],
    ]
    assert x.trade_why("TRADE_BASE", "#N/A", 0.604) == "#N/A passed on from an input"
    assert x.trade_why("TRADE_BASE_BOUNDS", 180.24, -1.5, 2, 1) == [
        ["#NUM! TRADE_BASE_BOUNDS: growth ≤ -100% has no base (got -1.5)"] * 2
    ]
    assert x.trade_why("TRADE_NOPE", 1).startswith("#VALUE! TRADE_WHY: function is 'TRADE_NOPE'")
    assert (
        x.trade_why("TRADE_BASE", 1)
        == "#VALUE! TRADE_WHY: TRADE_BASE takes 2 arguments (value, growth); got 1"
    )


def test_upper_case_names_reach_the_same_functions():
    import tradecalc_udfs

    assert tradecalc_udfs.TRADE_BASE is tradecalc_udfs.trade_base
    with pytest.raises(AttributeError):
        tradecalc_udfs.TRADE_NOPE  # noqa: B018


def test_reloading_the_package_reloads_its_submodules():
    """
    xlwings reloads only the top module of a UDF package when its file changes (README, upgrades).
    """
    import importlib

    import tradecalc_udfs
    from tradecalc_udfs import _excel

    old_function, old_registry = tradecalc_udfs.trade_base, _excel.REGISTRY
    importlib.reload(tradecalc_udfs)
    assert tradecalc_udfs.trade_base is not old_function
    assert (
        tradecalc_udfs.trade_base is importlib.import_module("tradecalc_udfs.arithmetic").trade_base
    )
    assert tradecalc_udfs.REGISTRY is not old_registry and len(tradecalc_udfs.REGISTRY) == len(
        old_registry
    )
    assert tradecalc_udfs.TRADE_BASE(180.24, 0.604) == pytest.approx(180.24 / 1.604)
    from tradecalc_udfs import reference

    assert len(reference.function_reference()) == len(old_registry)


def test_the_older_registration_form_still_registers():
    """``udf(section, name="description")`` with ``elementwise(fname, fn, {...})``, as UDF modules
    written before kinds use.
    """
    from tradecalc_udfs import _excel

    import tradecalc

    try:

        @_excel.udf("Test", value="A value, in the release's unit.", growth="A growth, a fraction.")
        @_excel.returns_cell_errors
        def trade_older(value, growth):
            """Older form."""
            return _excel.elementwise(
                "TRADE_OLDER",
                tradecalc.base,
                {"value": (value, "level"), "growth": (growth, "rate")},
            )

        assert trade_older([[112.32]], [["75.7"]]) == pytest.approx(112.32 / 1.757)
        assert trade_older(1, -2) == "#NUM! TRADE_OLDER: growth ≤ -100% has no base (got -2)"
        assert (
            x.trade_why("TRADE_OLDER", "x", 0.1) == "#VALUE! TRADE_OLDER: value 'x' is not a number"
        )

        @_excel.udf("Test", value="A value, in the release's unit.")
        @_excel.returns_cell_errors(pair=True)
        def trade_older_pair(value):
            """Older form, a [low, high] result."""
            raise _excel.value_error("TRADE_OLDER_PAIR", "no")

        assert trade_older_pair(1) == [["#VALUE! TRADE_OLDER_PAIR: no"] * 2]
    finally:
        _excel.REGISTRY[:] = [f for f in _excel.REGISTRY if "trade_older" not in f.__name__]
        _excel.BY_EXCEL_NAME.pop("TRADE_OLDER", None)
        _excel.BY_EXCEL_NAME.pop("TRADE_OLDER_PAIR", None)
