"""The Charts sheet: the release at a glance, as native Excel charts.

For each breakdown of the release, a small data block (formulas on the
Figures cells, so the charts follow edits) and two charts beside it:

* composition: the parts' values (a pie for a complete breakdown, whose parts
  add up to the total — exports 62.3%, imports 37.7% of Chongqing's Q1 trade;
  bars otherwise, with the unlisted rest of a partial breakdown as "other",
  taken from the Checks residual);
* growth: the total's and each part's year-on-year growth.

Nothing about a particular release is assumed: blocks follow the release's
breakdowns in order; a breakdown without values gets only the growth chart.
"""

from __future__ import annotations

import math

from xlsxwriter.utility import xl_col_to_name

from tradecalc.model.release import Release
from tradecalc.workbook.formulas import as_list, cached
from tradecalc.workbook.layout import CHECKS_SHEET, FIGURES_TABLE
from tradecalc.workbook.sheets import page_setup, sheet

CHARTS_SHEET = "Charts"
BLOCK_ROWS = 17  # rows per breakdown section: a chart of 15 rows plus a gap
OTHER_LABEL = "other (not listed)"
#: Parts charted per breakdown: more bars are unreadable (and a customs year has thousands).
MAX_CHART_PARTS = 30


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _by_id(fid: str, column: str) -> str:
    """The figure's ``column`` found by id in the live Figures Table (sorting keeps it)."""
    return f"INDEX({FIGURES_TABLE}[{column}],MATCH({_quoted(fid)},{FIGURES_TABLE}[id],0))"


def _label_formula(fid: str) -> str:
    label = _by_id(fid, "label")
    return f'=IFERROR(IF({label}="",{_quoted(fid)},{label}),{_quoted(fid)})'


def _value_formula(fid: str, column: str) -> str:
    v = _by_id(fid, column)
    return f'=IFERROR(IF({v}="","",{v}),"")'


def _check_formula(cid: str, column: str, columns) -> str:
    """A number of the spilled Checks table, found by check id."""
    key = xl_col_to_name(list(columns).index("check"))
    col = xl_col_to_name(list(columns).index(column))
    v = f"INDEX({CHECKS_SHEET}!${col}:${col},MATCH({_quoted(cid)},{CHECKS_SHEET}!${key}:${key},0))"
    return f'=IFERROR(IF({v}="","",{v}),"")'


#: Rows kept for parts beyond those of the build, so figures appended to a breakdown are charted.
SPARE_PART_ROWS = 10
#: Column of each block's helper: the row in the Figures Table of the block's k-th part.
ROW_COLUMN = 3


def _members(b: str) -> str:
    """How many figures of the live Figures Table belong to breakdown ``b``."""
    return f"COUNTIF({FIGURES_TABLE}[breakdown],{_quoted(b)})"


def _kth_row(b: str, previous: str | None) -> str:
    """The Table row (1 = first data row) of the breakdown's next part after ``previous``'s.

    The k-th part in the Table's present order: sorting the Table, appending
    or deleting a figure, or moving one into the breakdown changes the rows,
    and the block follows. Blank when there is no further part.
    """
    if previous is None:
        return f'=IFERROR(MATCH({_quoted(b)},{FIGURES_TABLE}[breakdown],0),"")'
    # The Table's rows after the previous part; after the last row, the one below the Table
    # (an OFFSET of no rows is an error in Excel and fails in pycel), where a match is not taken.
    rows = f"ROWS({FIGURES_TABLE}[breakdown])"
    rest = (
        f"OFFSET({FIGURES_TABLE}[[#Headers],[breakdown]],{previous}+1,0,MAX(1,{rows}-{previous}),1)"
    )
    at = f"{previous}+MATCH({_quoted(b)},{rest},0)"
    return f'=IF({previous}="","",IFERROR(IF({at}>{rows},"",{at}),""))'


def _at_row(row: str, column: str) -> str:
    return f"INDEX({FIGURES_TABLE}[{column}],{row})"


def _part_label(row: str) -> str:
    label = _at_row(row, "label")
    return f'=IF({row}="","",IF({label}="",{_at_row(row, "id")},{label}))'


def _part_value(row: str, column: str) -> str:
    v = _at_row(row, column)
    return f'=IF({row}="","",IF({v}="","",{v}))'


def _define(wb, name: str, formula: str) -> str:
    wb.define_name(name, formula)
    return f"=[0]!{name}"  # how Excel refers to a workbook-level name in a chart series


def write_charts(wb, F, release: Release, checks) -> object:
    """The Charts sheet: per breakdown, a data block that follows the live Figures Table, and two charts.

    The block lists the breakdown's parts as they are in the Figures Table
    now (the k-th figure whose ``breakdown`` is the breakdown's id, found by
    ``MATCH`` from the previous one's row), so a figure appended to the Table,
    a sort or a deletion re-draws the charts. Each chart series reads a
    workbook-level defined name ``=OFFSET(first cell,0,0,COUNTIF(...))``
    covering exactly the parts there are (up to the rows kept: the build's
    parts plus :data:`SPARE_PART_ROWS`, at most :data:`MAX_CHART_PARTS`; the
    title says when there are more). Names and ``OFFSET`` work in every Excel
    since 2007; the chart also caches the build's numbers for readers that
    do not recalculate. Indexes are built once: linear in figures and breakdowns.
    """
    from xlsxwriter.utility import xl_rowcol_to_cell

    ws = sheet(wb, CHARTS_SHEET)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 2, 10)
    ws.set_column(ROW_COLUMN, ROW_COLUMN, 8)
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"{release.meta.get('title', '')}", F.subtitle)
    ws.write_string(
        1,
        0,
        "Charts read the Figures Table (each breakdown's parts in the Table's order, and the "
        "Checks table for the unlisted rest) through the small tables at the left of each chart.",
        F.text,
    )
    check_rows = {cid: i for i, cid in enumerate(as_list(checks["check"]))}
    check_names = list(checks)
    check_cells = {}  # column → its cells, made a list once
    figures = {f.id: f for f in release.figures}
    members_of: dict[str, list] = {}
    for f in release.figures:
        if f.breakdown:
            members_of.setdefault(f.breakdown, []).append(f)

    def check_ref(cid, col):
        if cid not in check_rows:
            return None, math.nan
        if col not in check_cells:
            check_cells[col] = as_list(checks[col])
        return _check_formula(cid, col, check_names), check_cells[col][check_rows[cid]]

    def cell(r, c):
        return xl_rowcol_to_cell(r, c, row_abs=True, col_abs=True)

    top = 3
    starts: list[int] = []
    for n_block, b in enumerate(release.breakdowns, start=1):
        members = members_of.get(b.id, [])
        if not b.parent or not members or b.parent not in figures:
            continue
        parent = figures[b.parent]
        kept = min(MAX_CHART_PARTS, len(members) + SPARE_PART_ROWS)
        shown = members[:kept]
        count = f"MIN({_members(b.id)},{kept})"
        r0 = top
        starts.append(r0)
        title = b.label or b.id
        cut = f'" (the first {kept} of "&{_members(b.id)}&" parts)"'
        ws.merge_range(r0, 0, r0, 2, "", F.key)
        ws.write_formula(
            r0,
            0,
            f'={_quoted(title)}&IF({_members(b.id)}>{kept},{cut},"")',
            F.key,
            title + (f" (the first {kept} of {len(members)} parts)" if len(members) > kept else ""),
        )
        r0 += 1
        for c, h in enumerate(("", "value", "growth", "Figures row")):
            ws.write_string(r0, c, h, F.header)
        r = r0 + 1
        total_row = r
        ws.write_formula(r, 0, _label_formula(parent.id), F.text, parent.label or parent.id)
        ws.write_formula(
            r, 1, _value_formula(parent.id, "value"), F.number["money"], _blank_or(parent.value)
        )
        ws.write_formula(
            r, 2, _value_formula(parent.id, "yoy"), F.number["fraction"], _blank_or(parent.yoy)
        )
        r += 1
        truncated = len(members) > kept
        other_row = None
        if b.kind == "partial":  # the rest of the listed parts (blank when they are not all listed)
            ref, val = check_ref(f"{b.id}:residual", "computed")
            gref, gval = check_ref(f"{b.id}:residual_growth", "computed")
            if ref is not None:
                other_row = r
                listed = f"{_members(b.id)}<={kept}"
                ws.write_formula(
                    r, 0, f'=IF({listed},{_quoted(OTHER_LABEL)},"")', F.text, OTHER_LABEL
                )
                ws.write_formula(
                    r, 1, f'=IF({listed},{ref[1:]},"")', F.number["money"], _blank_or(val)
                )
                if gref is not None:
                    ws.write_formula(
                        r, 2, f'=IF({listed},{gref[1:]},"")', F.number["fraction"], _blank_or(gval)
                    )
                r += 1
        first_part = r
        previous = None
        for k in range(kept):
            f = shown[k] if k < len(shown) else None
            ws.write_formula(
                r, ROW_COLUMN, _kth_row(b.id, previous), F.text, _cached_row(release, f)
            )
            row = cell(r, ROW_COLUMN)
            ws.write_formula(r, 0, _part_label(row), F.text, (f.label or f.id) if f else "")
            ws.write_formula(
                r, 1, _part_value(row, "value"), F.number["money"], _blank_or(f.value if f else "")
            )
            ws.write_formula(
                r, 2, _part_value(row, "yoy"), F.number["fraction"], _blank_or(f.yoy if f else "")
            )
            previous = row
            r += 1

        def series(first_row, extra, column, name):
            """A defined name over ``column`` from ``first_row``: ``extra`` fixed rows, then the parts."""
            height = f"MAX(1,{extra}+{count})" if extra else f"MAX(1,{count})"
            formula = f"=OFFSET({CHARTS_SHEET}!{cell(first_row, column)},0,0,{height},1)"
            return _define(wb, f"Chart{n_block}_{name}", formula)

        labels = [f.label or f.id for f in shown]
        values = [_chart_number(f.value) for f in shown]
        growths = [_chart_number(f.yoy) for f in shown]
        has_values = any(not math.isnan(m.value) for m in members)
        if other_row is not None:
            comp_first, comp_extra = other_row, 1
            comp_labels = [OTHER_LABEL if not truncated else ""] + labels
            comp_values = [_chart_number(val) if not truncated else None] + values
            gval_cached = _chart_number(gval) if gref is not None and not truncated else None
            growth_cached = [_chart_number(parent.yoy), gval_cached] + growths
            growth_labels = [parent.label or parent.id] + comp_labels
        else:
            comp_first, comp_extra = first_part, 0
            comp_labels, comp_values = labels, values
            growth_cached = [_chart_number(parent.yoy)] + growths
            growth_labels = [parent.label or parent.id] + labels
        if has_values:
            categories = series(comp_first, comp_extra, 0, "composition_labels")
            amounts = series(comp_first, comp_extra, 1, "composition_values")
            common = {
                "name": "value",
                "categories": categories,
                "values": amounts,
                "categories_data": comp_labels,
                "values_data": comp_values,
            }
            if (
                b.kind == "complete" and not truncated
            ):  # a pie's percentages are of the charted parts
                ch = wb.add_chart({"type": "pie"})
                ch.add_series(
                    common
                    | {
                        "data_labels": {
                            "percentage": True,
                            "category": True,
                            "separator": "\n",
                            "position": "best_fit",
                        },
                    }
                )
            else:
                ch = wb.add_chart({"type": "bar"})
                ch.add_series(
                    common
                    | {
                        "data_labels": {"value": True, "num_format": "#,##0.00"},
                        "fill": {"color": "#4472C4"},
                    }
                )
                ch.set_y_axis({"reverse": True})
                ch.set_x_axis(
                    {
                        "num_format": "#,##0",
                        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                    }
                )
            ch.set_title({"name": f"Composition: {title}"[:250], "name_font": {"size": 11}})
            ch.set_legend({"none": True})
            ch.set_size({"width": 520, "height": 300})
            ws.insert_chart(r0 - 1, 5, ch, {"object_position": 2})
        extra = 2 if other_row is not None else 1
        g = wb.add_chart({"type": "bar"})
        g.add_series(
            {
                "name": "growth",
                "categories": series(total_row, extra, 0, "growth_labels"),
                "values": series(total_row, extra, 2, "growth_values"),
                "categories_data": growth_labels,
                "values_data": growth_cached,
                "data_labels": {"value": True, "num_format": "0.0%"},
                "fill": {"color": "#ED7D31"},
            }
        )
        g.set_title({"name": f"Growth, year on year: {title}"[:250], "name_font": {"size": 11}})
        g.set_legend({"none": True})
        g.set_y_axis({"reverse": True})
        axis = {
            "num_format": "0%",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
        if all(math.isnan(f.yoy) or f.yoy >= 0 for f in [parent, *members]):
            axis["min"] = 0  # bars start at zero growth, not at the smallest rate
        g.set_x_axis(axis)
        g.set_size({"width": 520, "height": 300})
        ws.insert_chart(r0 - 1, 14, g, {"object_position": 2})
        top += max(BLOCK_ROWS, r - r0 + 3)
    # a page per breakdown once blocks are taller than a third of a page
    ws.set_h_pagebreaks([r for i, r in enumerate(starts) if i])
    page_setup(ws, None, repeat_header=False)
    return ws


def _cached_row(release: Release, f) -> object:
    """The cached value of a part's helper cell: its row in the Figures Table as built."""
    if f is None:
        return ""
    return float(release.figures.index(f) + 1)


def _chart_number(x):
    """A number as a chart caches it (None: no point)."""
    if x is None or isinstance(x, str) or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return float(x)


def _blank_or(x):
    from tradecalc.workbook.sheets import cached_value

    return cached_value(cached(x) if not isinstance(x, str) else x)
