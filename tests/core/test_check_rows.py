"""The fast ways of making check rows (issue 16) give the rows of the general ones.

``CheckKind.check_text`` joins a subject and a fixed ending without a format call, and
``implied_cells`` makes :func:`implied_row`'s row without a :class:`CheckId`: each is
compared here with the template formatted and with the row made through ``CheckId``.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tradecalc.analysis import status
from tradecalc.analysis.checks.kinds import CheckId, CheckKind, implied_cells, implied_row, row

SUBJECTS = st.text(alphabet="ab-:{}é 0", max_size=8)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, 1e6).map(np.float64),
    st.integers(-100, 100),
)


@given(kind=st.sampled_from(list(CheckKind)), subject=SUBJECTS, aspect=SUBJECTS)
def test_the_check_text_is_the_template_formatted(kind, subject, aspect):
    expected = kind.template.format(subject=subject, aspect=aspect or "rest")
    assert kind.check_text(subject, aspect) == expected == str(CheckId(kind, subject, aspect))


def test_the_check_text_of_a_breakdown_and_of_a_rest():
    assert CheckKind.PARTS_SUM.check_text("flow-q1") == "flow-q1:sum"
    assert CheckKind.REST_VALUE.check_text("total", "") == "total:rest:value"
    assert (
        CheckKind.REST_VALUE.check_text("total", "2021-01/2021-02") == "total:2021-01/2021-02:value"
    )


def _same(a, b) -> bool:
    return len(a) == len(b) and all(
        (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        or (x == y and type(x) is type(y))
        for x, y in zip(a, b)
    )


@given(
    kind=st.sampled_from(
        [CheckKind.EARLIER_LEVEL, CheckKind.AVERAGE_GROWTH, CheckKind.PRIOR_GROWTH]
    ),
    subject=SUBJECTS,
    numbers=st.tuples(NUMBERS, NUMBERS, NUMBERS),
)
def test_implied_cells_make_the_row_implied_row_makes(kind, subject, numbers):
    """Against the general route (``row`` with the implied rule written out: not checkable,
    half the interval as tolerance), which implied_row took before it called implied_cells."""
    computed, low, high = numbers
    cid = CheckId(kind, subject)
    with np.errstate(invalid="ignore", over="ignore"):
        tolerance = (high - low) / 2
    general = row(
        cid,
        [subject],
        "a level implied",
        "fraction",
        status.NOT_CHECKABLE,
        computed=computed,
        low=low,
        high=high,
        tolerance=tolerance,
        note="implied figure",
    )
    args = ([subject], "a level implied", "fraction", computed, low, high)
    assert _same(implied_row(cid, *args, note="implied figure"), general)
    fast = implied_cells(kind.check_text(subject), kind, subject, "", *args, "implied figure")
    assert _same(fast, general), (fast, general)


def test_a_level_in_2019_implied_by_37_percent_on_it():
    """The docstring's example: 180.24 (+37% on Q1 2019) implies a level in [131.51, 131.61]."""
    row = implied_cells(
        "total:earlier_level",
        CheckKind.EARLIER_LEVEL,
        "total",
        "",
        ["total"],
        "total: level in Q1 2019 implied by +37% on it",
        "billion yuan",
        131.56,
        131.51,
        131.61,
        "implied figure",
    )
    assert row[0] == "total:earlier_level" and row[11] == "not checkable"
    assert math.isclose(row[7], 0.05) and math.isnan(row[4]) and math.isnan(row[6])


def test_a_release_with_one_id_twice_is_refused_not_checked():
    """Built in code without validation: which of two figures a check means is unknown, so the
    checks refuse it (loading a release file refuses it earlier, with its line)."""
    import dataclasses

    import pytest
    from helpers import CHONGQING

    import tradecalc

    release = tradecalc.load(CHONGQING)
    twice = dataclasses.replace(release, figures=[*release.figures, release.figures[1]])
    with pytest.raises(ValueError, match="figure ids given twice: exports"):
        tradecalc.check(twice)
