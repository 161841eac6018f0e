"""Figure is a slotted dataclass (issue 16: less memory per figure): what that must not change."""

import pytest

from tradecalc.model.release import Figure


def test_a_misspelt_field_raises_instead_of_being_kept_unread():
    f = Figure("exports", value=112.32)
    with pytest.raises(AttributeError):
        f.vaule = 1.0  # a typo must not become a silent extra attribute
    assert f.value == 112.32


def test_period_range_follows_an_edited_period():
    # Chongqing 2021 Q1 is three months; edited to the half year it is six.
    f = Figure("exports", period="2021-Q1")
    assert f.period_range.months == 3
    f.period = "2021-01/2021-06"
    assert f.period_range.months == 6


def test_the_parse_cache_is_not_part_of_equality_or_repr():
    a, b = Figure("x", period="2021-Q1"), Figure("x", period="2021-Q1")
    a.period_range  # noqa: B018 - fills a's cache only
    assert a == b
    assert ", _period=" not in repr(a)  # (earlier_period= is a field of its own)


# ---------------------------------------------------------------- what a loaded figure shares
# A 10^5-figure release held 100 MiB: each figure had its own copy of its period, flow and
# breakdown text, its own (period, Period) pair and its own empty locs (5-6 MiB each).


def _chongqing():
    from helpers import RELEASES

    import tradecalc

    return tradecalc.load(RELEASES / "chongqing-2021-q1.toml")


def test_equal_texts_of_a_loaded_release_are_one_object():
    figures = _chongqing().figures
    for key in ("period", "flow", "breakdown", "unit"):
        texts = [getattr(f, key) for f in figures]
        assert len({id(t) for t in texts}) == len(set(texts)), key


def test_figures_of_one_period_share_its_parse():
    figures = _chongqing().figures
    pairs = {id(f._period) for f in figures if f.period_range is not None}
    assert len(pairs) == len({f.period for f in figures})
    assert all(f._period[0] == f.period for f in figures)


def test_the_shared_empty_locs_refuses_a_write_and_still_pickles():
    import copy
    import pickle

    figures = _chongqing().figures
    f = figures[0]
    assert f.locs == {} and f.at("value") == f.where
    with pytest.raises(TypeError, match="read-only"):
        f.locs["value"] = "line 3"  # would have moved every figure's messages
    with pytest.raises(TypeError):
        f.locs.update(value="line 3")
    assert f.at("value") == f.where and figures[1].locs == {}
    back = pickle.loads(pickle.dumps(f))
    assert back == f and back.locs == {}
    assert copy.deepcopy(f).locs == {}
