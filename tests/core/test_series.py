"""Series across releases: the worked example of issue 15 on real national and Chongqing releases.

Expected numbers are worked by hand from the printed figures (see each test), not taken
from the code's output: April 2021 alone is January-April minus Q1.
"""

from __future__ import annotations

import math

import pytest
from helpers import RELEASES

import tradecalc
from tradecalc.analysis.series import SeriesError, series, to_unit
from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING
from tradecalc.model.releasefile import loads

NATIONAL = [RELEASES / "national-2021-q1.toml", RELEASES / "national-2021-jan-apr.toml"]
CHONGQING = [RELEASES / "chongqing-2021-q1.toml", RELEASES / "chongqing-2021-jan-apr.toml"]
BILLION_PER_TRILLION = 1000


def row(frame, series_, period, **kw):
    sel = frame[(frame["series"] == series_) & (frame["period"] == period)]
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (series_, period, len(sel))
    return sel.iloc[0]


@pytest.fixture(scope="module")
def national():
    return series(NATIONAL)


def test_april_total_from_q1_and_january_april(national):
    # 11.62 - 8.47 = 3.15; each printed to 2 decimals: [11.615 - 8.475, 11.625 - 8.465]
    r = row(national.periods, "total", "2021-04")
    assert r["value"] == pytest.approx(3.15, abs=1e-12)
    assert (r["value_low"], r["value_high"]) == (pytest.approx(3.14), pytest.approx(3.16))
    assert r["stated_value"] == 3.15 and r["value_status"] == CONSISTENT
    assert r["unit"] == "trillion yuan"


def test_april_total_growth_within_rounding_of_the_stated(national):
    # the prior-year April is the prior-year January-April less the prior-year Q1
    prior_april = 11.62 / 1.285 - 8.47 / 1.292
    r = row(national.periods, "total", "2021-04")
    assert r["growth"] == pytest.approx(3.15 / prior_april - 1, rel=1e-12)
    assert round(r["growth"] * 100, 2) == 26.65
    assert (round(r["growth_low"] * 100, 2), round(r["growth_high"] * 100, 2)) == (26.34, 26.97)
    assert r["stated_yoy"] == pytest.approx(0.266)
    # 26.65% does not print as 26.6%, but the stated [26.55%, 26.65%] meets the implied range
    assert r["growth_status"] == WITHIN_ROUNDING
    assert r["status"] == WITHIN_ROUNDING


def test_april_surplus_is_inconsistent_and_explained_as_a_revision(national):
    # 1.02 trillion - 759.29 billion = 260.71 billion; 1.02 stands for [1,015, 1,025] billion
    r = row(national.periods, "balance", "2021-04")
    assert r["value"] * BILLION_PER_TRILLION == pytest.approx(260.71, abs=1e-9)
    assert r["value_low"] * BILLION_PER_TRILLION == pytest.approx(1015 - 759.295)
    assert r["value_high"] * BILLION_PER_TRILLION == pytest.approx(1025 - 759.285)
    assert (round(r["value_low"] * 1000, 2), round(r["value_high"] * 1000, 2)) == (255.71, 265.71)
    assert r["stated_value"] * BILLION_PER_TRILLION == pytest.approx(276.5)
    assert r["value_status"] == INCONSISTENT
    assert "revision" in r["note"] and "Q1 2021" in r["note"]
    assert national.exit_code == 1


def test_the_q1_surplus_revision_has_its_size(national):
    # January-April 1.02 trillion minus April 276.5 billion: Q1 was 743.5 billion by the later
    # release, 759.29 by the Q1 release: revised by -15.79 billion, by at least 10.735 and at
    # most 20.845
    r = row(national.revisions, "balance", "2021-Q1")
    assert (
        r["earlier_release"] == "national-2021-q1" and r["later_release"] == "national-2021-jan-apr"
    )
    assert r["earlier"] * 1000 == pytest.approx(759.29)
    assert r["later"] * 1000 == pytest.approx(743.5)
    assert r["revision"] * 1000 == pytest.approx(-15.79)
    assert r["revision_low"] * 1000 == pytest.approx(1015 - 276.55 - 759.295)
    assert r["revision_high"] * 1000 == pytest.approx(1025 - 276.45 - 759.285)
    assert r["value_status"] == INCONSISTENT
    assert "revision between releases" in r["note"]


def test_the_q1_total_is_not_revised(national):
    # 11.62 - 3.15 = 8.47 in [8.46, 8.48]: the Q1 total as the Q1 release printed it
    r = row(national.revisions, "total", "2021-Q1")
    assert r["later"] == pytest.approx(8.47) and r["value_status"] == CONSISTENT


def test_series_without_a_value_are_not_checkable(national):
    # the January-April release gives exports' growth (+33.8%) but not their value
    r = row(national.periods, "exports", "2021-04")
    assert math.isnan(r["value"]) and r["status"] == NOT_CHECKABLE
    assert "has no value" in r["note"]


def test_chongqing_april_alone():
    t = series(CHONGQING)
    assert row(t.periods, "total", "2021-04")["value"] == pytest.approx(245.91 - 180.24)
    assert round(row(t.periods, "total", "2021-04")["value"], 2) == 65.67
    # breakdown parts found in both releases are lined up by id (Q1) and series (January-April)
    assert row(t.periods, "asean", "2021-04")["value"] == pytest.approx(40.11 - 30.21)
    assert row(t.periods, "us", "2021-04")["growth"] == pytest.approx(
        (35.62 - 25.96) / (35.62 / 1.622 - 25.96 / 2.10) - 1
    )
    # parts in one release only (laptops) are not series; March is stated but not bracketed
    assert "laptops" not in set(t.periods["series"])
    assert row(t.periods, "total", "2021-03")["kind"] == "stated only"
    assert t.exit_code == 0


def test_a_third_cumulative_release():
    t = series(NATIONAL + [RELEASES / "national-2021-jan-may.toml"])
    may = row(t.periods, "total", "2021-05")
    assert may["previous_period"] == "2021-01/2021-04"
    assert may["value"] == pytest.approx(14.76 - 11.62)
    assert may["growth"] == pytest.approx(3.14 / (14.76 / 1.282 - 11.62 / 1.285) - 1)
    assert may["value_status"] == CONSISTENT
    surplus = row(t.periods, "balance", "2021-05")
    assert surplus["value"] * 1000 == pytest.approx(300)
    # 0.30 [0.29, 0.31] trillion against the stated 296 billion: inside, but not as printed
    assert surplus["value_status"] == WITHIN_ROUNDING
    # January-April as the May release implies it: 1.32 trillion - 296 billion = 1,024 billion
    r = row(t.revisions, "balance", "2021-01/2021-04")
    assert r["later"] * 1000 == pytest.approx(1024) and r["value_status"] == CONSISTENT


def test_release_order_does_not_matter():
    a = series(NATIONAL)
    b = series(list(reversed(NATIONAL)))
    assert a.periods.equals(b.periods) and a.revisions.equals(b.revisions)


def test_a_folder_of_releases_keeps_publishers_apart():
    t = series([RELEASES])
    assert set(t.periods["group"]) == {"General Administration of Customs", "Chongqing Customs"}
    assert any("kept apart" in n for n in t.notes)
    national_april = row(t.periods, "total", "2021-04", group="General Administration of Customs")
    assert national_april["value"] == pytest.approx(3.15)


def test_python_api_returns_dataframes():
    t = tradecalc.series([str(p) for p in NATIONAL])
    assert {"periods", "revisions", "figures"} <= set(vars(t))
    assert len(t.figures) == 4 + 8
    assert t.figures.set_index(["release", "id"]).loc[
        ("national-2021-q1", "surplus"), "series_value"
    ] == pytest.approx(0.75929)


# ------------------------------------------------------------------ units, matching, refusals


def test_units_convert_exactly():
    assert to_unit(759.29, 2, "billion yuan", "trillion yuan") == (0.75929, 5.0)
    assert to_unit(1.02, 2, "trillion yuan", "billion yuan") == (1020.0, -1.0)
    assert to_unit(2459.1, 1, "hundred million yuan", "billion yuan") == (245.91, 2.0)


def _release(rid, publisher, figures, unit="billion yuan"):
    head = f'[release]\nid = "{rid}"\npublisher = "{publisher}"\nunit = "{unit}"\n'
    body = "".join(
        "\n[[figures]]\n" + "".join(f'{k} = "{v}"\n' for k, v in f.items()) for f in figures
    )
    return loads(head + body, source=rid)


def test_currencies_stay_apart():
    a = _release(
        "a",
        "X Customs",
        [
            {"id": "total", "period": "2021-Q1", "value": "180.24", "yoy": "60.4%"},
            {
                "id": "total-usd",
                "series": "total",
                "period": "2021-Q1",
                "unit": "billion USD",
                "value": "27.77",
            },
        ],
    )
    b = _release(
        "b",
        "X Customs",
        [{"id": "total", "period": "2021-01/2021-04", "value": "245.91", "yoy": "48.3%"}],
    )
    t = series([a, b])
    assert set(t.periods["currency"]) == {"yuan", "USD"}
    assert row(t.periods, "total", "2021-04", currency="yuan")["value"] == pytest.approx(65.67)
    assert (
        len(t.periods[t.periods["currency"] == "USD"]) == 1
    )  # Q1 in dollars: nothing subtracted from yuan


def test_a_series_of_two_flows_is_refused():
    a = _release("a", "X", [{"id": "total", "period": "2021-Q1", "value": "1"}])
    b = _release(
        "b", "X", [{"id": "total", "flow": "exports", "period": "2021-01/2021-04", "value": "2"}]
    )
    with pytest.raises(SeriesError, match="distinct series"):
        series([a, b])


def test_a_release_given_twice_is_refused():
    with pytest.raises(SeriesError, match="given twice"):
        series(NATIONAL + NATIONAL[:1])


def test_one_series_twice_in_a_release_is_refused():
    a = _release(
        "a",
        "X",
        [
            {"id": "t1", "series": "total", "period": "2021-Q1", "value": "1"},
            {"id": "t2", "series": "total", "period": "2021-Q1", "value": "2"},
        ],
    )
    with pytest.raises(SeriesError, match="twice"):
        series([a])
