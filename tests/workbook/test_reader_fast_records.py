"""The reader's one-pass records give what the two passes before them gave.

``_Sheet.records(..., prepare=_prepare_figure)`` builds each row's record with
``dict(zip)`` and prepares the figure in the same pass; the reference below is
the reading it replaced (a dict comprehension per row, then
``_prepared_figures`` copying every record), run on the same random Tables:
empty and blank text, numbers (NaN, -0.0), booleans, dates and times, formula
and error cells, columns the release does not read and blank rows.
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tradecalc.model.published import is_blank
from tradecalc.model.release import FIGURE_COLUMNS
from tradecalc.workbook.parts import Special, TablePart, column_letters
from tradecalc.workbook.reader import (
    _NUMBER_COLUMNS,
    _PERIOD_COLUMNS,
    _infer_precision,
    _period_text,
    _plain,
    _prepare_figure,
    _prepared_figures,
    _Sheet,
    _with_review,
)


class _Locs:
    """Stands for the record's cell addresses (a mapping the preparation leaves alone)."""

    def __init__(self, row: int):
        self.row = row


def reference_records(sheet: _Sheet, wanted, problems):
    """The records as read before: one dict comprehension per row, "" → None."""
    names = [c for c in wanted if c in sheet.columns]
    idx = [sheet.columns[name] - 1 for name in names]
    width = max(idx) + 1 if idx else 0
    by_row: dict[int, list] = {}
    for (r, c), cell in sheet.special.items():
        if c - 1 in idx:
            by_row.setdefault(r, []).append((c - 1, cell))
    out = []
    for r in sheet.rows:
        cells = sheet.grid[r - 1] if r <= len(sheet.grid) else ()
        if len(cells) < width:
            cells = list(cells) + [""] * (width - len(cells))
        rec = {k: (None if cells[i] == "" else cells[i]) for k, i in zip(names, idx)}
        for i, cell in by_row.get(r, ()):
            name = names[idx.index(i)]
            rec[name] = sheet._special(r, name, rec[name], cell, problems)
        if all(is_blank(v) for v in rec.values()):
            continue
        rec["_where"] = f"{sheet.title} row {r}"
        rec["_locs"] = _Locs(r)
        out.append(rec)
    return out


def reference_prepared(figures):
    """The figure preparation as it was: a copy of each record, then its values made plain."""
    out = []
    for rec in figures:
        rec = dict(rec)
        for key, v in rec.items():
            if v is None or key.startswith("_"):
                continue
            cls = v.__class__
            if cls is str:
                rec[key] = v.strip()
            elif cls is not float and cls is not int and cls is not bool:
                rec[key] = _plain(_period_text(v) if key in _PERIOD_COLUMNS else v)
        _with_review(rec, _infer_precision(rec, _NUMBER_COLUMNS, []))
        out.append(rec)
    return out


values = st.one_of(
    st.just(""),
    st.sampled_from(["  ", " exports ", "2021-03", "112.32", "60.4%", "#N/A", "n/a"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.757, 112.32, -0.0, 40.06 / 3, 24.0]),
    st.integers(-5, 5),
    st.booleans(),
    st.sampled_from(
        [
            dt.datetime(2021, 3, 1),
            dt.datetime(2021, 3, 5, 12, 30),
            dt.date(2021, 1, 1),
            dt.time(12, 0),
            dt.timedelta(days=1),
        ]
    ),
)
specials = st.sampled_from(
    [
        Special(None, None, None, "e", "#N/A"),
        Special("A1*2", None, None, "n", None),
        Special("A1*2", None, None, "n", "3.5"),
        Special("A1", None, None, "e", "#DIV/0!"),
        Special("B1", None, None, "str", "#REF!"),
    ]
)
columns = st.lists(
    st.sampled_from([*FIGURE_COLUMNS[:12], "review", "value_decimals", "calc", "other"]),
    min_size=1,
    max_size=10,
)


@settings(max_examples=300, deadline=None)
@given(
    columns,
    st.lists(st.lists(values, max_size=12), max_size=12),
    st.dictionaries(st.tuples(st.integers(2, 13), st.integers(1, 10)), specials, max_size=4),
    st.integers(0, 3),
)
def test_one_pass_records_are_the_two_pass_records(header, rows, special, missing_rows):
    header = ["id", *header]  # the reader reads a Table with its required columns only
    width = len(header)
    grid = [list(header)] + [r[:width] for r in rows]
    last_row = len(grid) + missing_rows  # a Table claiming rows past the stored ones
    table = TablePart(
        "Figures",
        "Figures",
        f"A1:{column_letters(width)}{last_row}",
        1,
        0,
        tuple(header),
    )
    special = {k: v for k, v in special.items() if k[1] <= width}
    sheet = _Sheet("Figures", grid, table, special, "book.xlsx")
    new_problems, old_problems = [], []
    new = sheet.records(FIGURE_COLUMNS, new_problems, prepare=_prepare_figure)
    old = reference_prepared(reference_records(sheet, FIGURE_COLUMNS, old_problems))
    assert new_problems == old_problems
    assert [r.pop("_locs").row for r in new] == [r.pop("_locs").row for r in old]
    assert _same(new, old)
    # the public two-pass helper still prepares copies the same way
    plain = sheet.records(FIGURE_COLUMNS, [])
    assert _same(
        [{k: v for k, v in r.items() if k != "_locs"} for r in _prepared_figures(plain)],
        new,
    )


def _same(a, b) -> bool:
    """Equal records, NaN equal to NaN, and -0.0 told from 0.0."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if list(x) != list(y):
            return False
        for k in x:
            u, v = x[k], y[k]
            if isinstance(u, float) and isinstance(v, float):
                if not (
                    (math.isnan(u) and math.isnan(v))
                    or (u == v and math.copysign(1, u) == math.copysign(1, v))
                ):
                    return False
            elif type(u) is not type(v) or u != v:
                return False
    return True
