"""``parent_positions`` indexes only the ids that are parents (issue 16); the rows are the same."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.analysis.derived_table import parent_positions

names = st.sampled_from(["", "total", "exports", "imports", "asean", "eu", "x"])


def _last_row(ids: list[str], parent: str) -> int:
    """The row of ``parent`` among ``ids``, counted from the end (the last one given), or -1."""
    if not parent or parent not in ids:
        return -1
    return len(ids) - 1 - ids[::-1].index(parent)


@settings(max_examples=500, deadline=None)
@given(st.lists(names, max_size=12), st.lists(names, max_size=12))
def test_each_parent_is_the_last_row_of_its_id(ids, parents):
    got = parent_positions(ids, parents).tolist()
    assert got == [_last_row(ids, p) for p in parents]


def test_the_chongqing_totals():
    # Chongqing Q1 2021: exports 112.32 and imports 67.92 are parts of the total 180.24
    ids = ["total", "exports", "imports", "total-march", "exports-march"]
    parents = ["", "total", "total", "", "total-march"]
    assert parent_positions(ids, parents).tolist() == [-1, 0, 0, -1, 3]
