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
from tradecalc.workbook.formulas import cached
from tradecalc.workbook.layout import CHECKS_SHEET, FIGURES_TABLE
from tradecalc.workbook.sheets import page_setup

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


def write_charts(wb, F, release: Release, checks) -> object:
    """The Charts sheet: per breakdown, a data block looked up by id and its two charts.

    Which figures a block lists is decided at build time (the breakdown's
    members then); their numbers are live. Indexes are built once: the
    build is linear in figures and breakdowns.
    """
    ws = wb.add_worksheet(CHARTS_SHEET)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 2, 10)
    ws.hide_gridlines(2)
    ws.write_string(0, 0, f"{release.meta.get('title', '')}", F.subtitle)
    ws.write_string(
        1,
        0,
        "Charts read the Figures Table by id (and the Checks table for the unlisted rest) "
        "through the small tables at the left of each chart.",
        F.text,
    )
    check_rows = {cid: i for i, cid in enumerate(checks["check"].tolist())}
    figures = {f.id: f for f in release.figures}
    members_of: dict[str, list] = {}
    for f in release.figures:
        if f.breakdown:
            members_of.setdefault(f.breakdown, []).append(f)

    def check_ref(cid, col):
        if cid not in check_rows:
            return None, math.nan
        return _check_formula(cid, col, checks.columns), checks[col].iat[check_rows[cid]]

    top = 3
    starts: list[int] = []
    for b in release.breakdowns:
        members = members_of.get(b.id, [])
        if not b.parent or not members or b.parent not in figures:
            continue
        parent = figures[b.parent]
        shown = members[:MAX_CHART_PARTS]
        rows = [(parent, "total")] + [(m, "part") for m in shown]
        r0 = top
        starts.append(r0)
        title_text = b.label or b.id
        if len(shown) < len(members):
            title_text += f" (the first {len(shown)} of {len(members)} parts)"
        ws.merge_range(r0, 0, r0, 2, title_text, F.key)
        r0 += 1
        ws.write_string(r0, 0, "", F.header)
        ws.write_string(r0, 1, "value", F.header)
        ws.write_string(r0, 2, "growth", F.header)
        r = r0 + 1
        part_rows = []
        for f, role in rows:
            ws.write_formula(r, 0, _label_formula(f.id), F.text, f.label or f.id)
            ws.write_formula(
                r, 1, _value_formula(f.id, "value"), F.number["money"], _blank_or(f.value)
            )
            ws.write_formula(
                r, 2, _value_formula(f.id, "yoy"), F.number["fraction"], _blank_or(f.yoy)
            )
            if role == "part":
                part_rows.append(r)
            r += 1
        truncated = len(shown) < len(members)
        if (
            b.kind == "partial" and not truncated
        ):  # the rest of the listed parts, not of the charted ones
            ref, val = check_ref(f"{b.id}:residual", "computed")
            gref, gval = check_ref(f"{b.id}:residual_growth", "computed")
            if ref is not None:
                ws.write_string(r, 0, OTHER_LABEL, F.text)
                ws.write_formula(r, 1, ref, F.number["money"], _blank_or(val))
                if gref is not None:
                    ws.write_formula(r, 2, gref, F.number["fraction"], _blank_or(gval))
                part_rows.append(r)
                r += 1
        first_part, last_part = part_rows[0], part_rows[-1]
        has_values = any(not math.isnan(m.value) for m in members)
        title = b.label or b.id
        if has_values:
            if (
                b.kind == "complete" and not truncated
            ):  # a pie's percentages are of the charted parts
                ch = wb.add_chart({"type": "pie"})
                ch.add_series(
                    {
                        "name": "value",
                        "categories": [CHARTS_SHEET, first_part, 0, last_part, 0],
                        "values": [CHARTS_SHEET, first_part, 1, last_part, 1],
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
                    {
                        "name": "value",
                        "categories": [CHARTS_SHEET, first_part, 0, last_part, 0],
                        "values": [CHARTS_SHEET, first_part, 1, last_part, 1],
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
            ws.insert_chart(r0 - 1, 4, ch, {"object_position": 2})
        g = wb.add_chart({"type": "bar"})
        g.add_series(
            {
                "name": "growth",
                "categories": [CHARTS_SHEET, r0 + 1, 0, last_part, 0],
                "values": [CHARTS_SHEET, r0 + 1, 2, last_part, 2],
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
        if all(math.isnan(f.yoy) or f.yoy >= 0 for f, _ in rows):
            axis["min"] = 0  # bars start at zero growth, not at the smallest rate
        g.set_x_axis(axis)
        g.set_size({"width": 520, "height": 300})
        ws.insert_chart(r0 - 1, 13, g, {"object_position": 2})
        top += max(BLOCK_ROWS, r - r0 + 3)
    # three breakdowns a page, so that no chart is cut by a page break
    ws.set_h_pagebreaks([r for i, r in enumerate(starts) if i and i % 3 == 0])
    page_setup(ws, None, repeat_header=False)
    return ws


def _blank_or(x):
    from tradecalc.workbook.sheets import cached_value

    return cached_value(cached(x) if not isinstance(x, str) else x)
