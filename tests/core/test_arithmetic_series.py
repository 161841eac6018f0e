"""pandas Series are combined by index label, as pandas does; dates are not numbers.

Expected values: Chongqing Q1 2021 (billion yuan) exports 112.32 and imports
67.92 in total trade 180.24; March total 64.06 of which exports 40.06 and
imports 24. Shares are computed here with plain division of the printed numbers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import tradecalc as tc
from tradecalc.calc._arrays import NotANumberError, SeriesAlignmentError

PARTS = pd.Series([112.32, 40.06], index=["q1", "march"])  # exports
WHOLES_REVERSED = pd.Series([64.06, 180.24], index=["march", "q1"])  # total trade, other order


def test_share_pairs_series_by_label_not_position():
    out = tc.share(PARTS, WHOLES_REVERSED)
    assert out["q1"] == pytest.approx(112.32 / 180.24)  # 62.3%, as the release states
    assert out["march"] == pytest.approx(40.06 / 64.06)
    # the same labels and numbers as pandas' own arithmetic gives
    pd.testing.assert_series_equal(out, PARTS / WHOLES_REVERSED, check_names=False)


def test_four_argument_function_aligns_every_series():
    parts = pd.Series([112.32, 67.92], index=["exports", "imports"])
    part_growth = pd.Series([0.402, 0.757], index=["imports", "exports"])
    out = tc.pull_pp(parts, part_growth, 180.24, 0.604)
    # exports pulled 43.07 pp and imports 17.33 pp: 60.4 pp in all
    assert out["exports"] == pytest.approx(100 * (112.32 - 112.32 / 1.757) / (180.24 / 1.604))
    assert round(out["exports"], 2) == 43.07 and round(out["imports"], 2) == 17.33


def test_a_label_missing_from_one_series_gives_nan_not_a_number():
    wholes = pd.Series([180.24], index=["q1"])
    out = tc.share(PARTS, wholes)
    assert out["q1"] == pytest.approx(112.32 / 180.24)
    assert np.isnan(out["march"])
    pd.testing.assert_index_equal(out.index, (PARTS / wholes).index)


def test_equal_indexes_keep_order_and_numbers():
    wholes = pd.Series([180.24, 64.06], index=["q1", "march"])
    out = tc.share(PARTS, wholes)
    assert list(out.index) == ["q1", "march"]
    np.testing.assert_array_equal(out.to_numpy(), np.array([112.32 / 180.24, 40.06 / 64.06]))


def test_series_with_a_scalar_keeps_its_index():
    out = tc.base(PARTS, 0.757)
    assert list(out.index) == ["q1", "march"]
    assert round(out["q1"], 2) == 63.93


def test_repeated_labels_in_unequal_indexes_are_refused():
    a = pd.Series([1.0, 2.0], index=["x", "x"])
    b = pd.Series([3.0, 4.0], index=["x", "y"])
    with pytest.raises(SeriesAlignmentError, match="repeated label"):
        tc.share(a, b)


def test_an_array_beside_realigned_series_is_refused():
    with pytest.raises(SeriesAlignmentError, match="array or list"):
        tc.base_share(PARTS, np.array([0.757, 0.5]), WHOLES_REVERSED, 0.604)


def test_bounds_refuse_series_of_different_indexes():
    """The bounds pair Series by position: unequal indexes are refused, not paired wrongly."""
    from tradecalc.calc import bounds

    with pytest.raises(SeriesAlignmentError):
        bounds.share_bounds(PARTS, WHOLES_REVERSED, 2, 2)


DATES = [
    np.datetime64("2021-03-31"),
    np.timedelta64(90, "D"),
    np.array(["2021-03-31"], dtype="datetime64[D]"),
    np.array([90], dtype="timedelta64[D]"),
    pd.Series(pd.to_datetime(["2021-03-31"])),
    pd.Series(pd.to_datetime(["2021-03-31"]).tz_localize("Asia/Shanghai")),
    pd.Series(pd.to_timedelta([90], unit="D")),
    pd.Timestamp("2021-03-31"),
    dt.date(2021, 3, 31),
    dt.datetime(2021, 3, 31),
    dt.timedelta(days=90),
    [np.datetime64("2021-03-31")],
    np.array([np.datetime64("2021-03-31", "D"), 1.0], dtype=object),
    pd.Series([pd.Timestamp("2021-03-31"), 1.0], dtype=object),
]


@pytest.mark.parametrize(
    "when", DATES, ids=lambda d: type(d).__name__ + str(getattr(d, "dtype", ""))
)
def test_dates_and_durations_are_refused_as_values(when):
    with pytest.raises(NotANumberError, match="not a number"):
        tc.base(when, 0.604)
    with pytest.raises(NotANumberError):
        tc.share(112.32, when)
