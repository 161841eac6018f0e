"""The series workbook: all figures of several releases, the single periods as live formulas.

``tradecalc build --series A.toml B.toml ... -o series.xlsx`` writes:

* sheet ``Figures``, Table ``SeriesFigures``: every figure of every release, one row each
  (release, its vintage ``order``, group, series, currency, period as ``start``/``end``
  months written 202104, value, decimals, unit, ``multiplier``, growth ...), and calculated
  columns: the series ``key``, the series' coarsest ``series_multiplier``, the value ``v``
  and decimals ``d`` in the series' unit, the growth ``g`` and its decimals ``gd`` (blank,
  never 0, where none was printed), whether the row is the ``latest`` vintage of its series
  and period, and ``find``, the lookup key of that latest vintage;
* sheet ``Series``, Table ``Series``: one row per series and cumulative period (``key``,
  ``end``); every other column is a calculated-column formula that finds its figures by
  key and period with ``INDEX``/``MATCH`` on ``SeriesFigures`` (never a cell address), the
  previous cumulative period with ``MAXIFS``, and the single period with the add-in's
  ``TRADE_RESIDUAL``, ``TRADE_RESIDUAL_BOUNDS``, ``TRADE_DIFF_GROWTH`` and
  ``TRADE_DIFF_GROWTH_BOUNDS``; so the table may be sorted or filtered, and a figure of a
  new release typed under ``SeriesFigures`` (with a higher ``order``) is picked up; a new
  period is one new row under ``Series`` (its key and end month);
* sheet ``Revisions``: the revisions as ``tradecalc series`` found them at build (values);
* sheet ``Charts``: per series, line charts of the cumulative figure and of the single
  period's growth, fed by small lookup blocks (by key and end month, so sorting the Series
  table does not scramble them);
* sheet ``About``: the releases, the notes, how the workbook works.

Every formula cell carries the value ``tradecalc series`` computes as its cached value.
The statuses (``value_status``, ``growth_status``) are live too: ``TRADE_STATUS`` applies
the one status rule (:func:`tradecalc.analysis.status.judge`) to the stated number, its
printed decimals and the implied number's bounds. Only ``note`` (and the Revisions sheet)
are values from the build: rebuild after editing figures to refresh them.

Example: the national releases of Q1 and January-April 2021 give, on the Series row
``General Administration of Customs|total|yuan``, 202104: cumulative 11.62, previous 8.47,
value 3.15, low 3.14, high 3.16, growth 26.65%.
"""

from __future__ import annotations

import io
import math
import re

from xlsxwriter.utility import xl_rowcol_to_cell

from tradecalc.model.published import is_nan

FIGURES_SHEET = "Figures"
FIGURES_TABLE = "SeriesFigures"
SERIES_SHEET = "Series"
SERIES_TABLE = "Series"
REVISIONS_SHEET = "Revisions"
CHARTS_SHEET = "Charts"
ABOUT_SHEET = "About"
#: Classic xlwings reads its settings from this sheet; the UDFs live in this module
#: (the same names as the template's, tradecalc.workbook.layout).
XLWINGS_CONF_SHEET = "xlwings.conf"
UDF_MODULE = "tradecalc_udfs"
TABLE_STYLE = "Table Style Medium 2"

#: Figures columns typed or pasted (from the release files).
FIGURE_INPUTS = tuple(
    "release order published group series currency id label period start end flow "
    "value value_decimals unit multiplier yoy yoy_decimals sentence".split()
)
_T = FIGURES_TABLE
#: Figures calculated columns: name → formula (row-relative structured references).
FIGURE_FORMULAS = {
    "key": '=[@group]&"|"&[@series]&"|"&[@currency]',
    "series_multiplier": f"=MAXIFS({_T}[multiplier],{_T}[key],[@key])",
    # a row typed without its multiplier gives blanks, never a value scaled by 0
    "v": (
        "=IF(AND(ISNUMBER([@value]),ISNUMBER([@multiplier])),"
        '[@value]*[@multiplier]/[@series_multiplier],"")'
    ),
    "d": (
        "=IF(AND(ISNUMBER([@value_decimals]),ISNUMBER([@multiplier])),"
        '[@value_decimals]+ROUND(LOG10([@series_multiplier]/[@multiplier]),0),"")'
    ),
    # growth and its decimals as formula results: a lookup of an empty cell gives 0 in Excel,
    # which would read a growth not printed as 0%; a formula's "" stays blank
    "g": '=IF(ISNUMBER([@yoy]),[@yoy],"")',
    "gd": '=IF(ISNUMBER([@yoy_decimals]),[@yoy_decimals],"")',
    "latest": (
        f"=[@order]=MAXIFS({_T}[order],{_T}[key],[@key],{_T}[start],[@start],{_T}[end],[@end])"
    ),
    "find": '=IF([@latest],[@key]&"|"&[@start]&"|"&[@end],"")',
}

SERIES_INPUTS = tuple("key end group series currency unit label".split())


def _lookup(column: str, end: str = "[@end]", start: str = "[@year_start]") -> str:
    return f'INDEX({_T}[{column}],MATCH([@key]&"|"&{start}&"|"&{end},{_T}[find],0))'


def _previous(column: str, first: str) -> str:
    return f"=IF([@previous_end]=0,{first},{_lookup(column, '[@previous_end]')})"


def _stated(column: str) -> str:
    return f'=IF([@previous_end]=0,"",IFERROR({_lookup(column, start="[@start]")},""))'


_RES = "[@cumulative],[@previous],[@cumulative_decimals],[@previous_decimals]"
_DIFF = "[@cumulative],[@cumulative_yoy],[@previous],[@previous_yoy]"
_DIFF_DEC = (
    "[@cumulative_decimals],[@cumulative_yoy_decimals],[@previous_decimals],"
    "[@previous_yoy_decimals]"
)
# a missing figure gives an explicit blank (""), never a 0 from a blank UDF result
_HAVE_VALUES = "AND(ISNUMBER([@cumulative]),ISNUMBER([@previous]))"
_HAVE_GROWTH = (
    "AND(ISNUMBER([@cumulative]),ISNUMBER([@previous]),ISNUMBER([@cumulative_yoy]),"
    "ISNUMBER([@previous_yoy]))"
)
#: Series calculated columns, in order: name → formula.
SERIES_FORMULAS = {
    "year_start": "=INT([@end]/100)*100+1",
    "previous_end": (
        f'=MAXIFS({_T}[end],{_T}[key],[@key],{_T}[start],[@year_start],{_T}[end],"<"&[@end])'
    ),
    "start": "=IF([@previous_end]=0,[@year_start],[@previous_end]+1)",
    "find": '=[@key]&"|"&[@end]',
    "cumulative": "=" + _lookup("v"),
    "cumulative_decimals": "=" + _lookup("d"),
    "cumulative_yoy": "=" + _lookup("g"),
    "cumulative_yoy_decimals": "=" + _lookup("gd"),
    "cumulative_release": "=" + _lookup("release"),
    "previous": _previous("v", "0"),
    "previous_decimals": _previous("d", '""'),
    "previous_yoy": _previous("g", "0"),
    "previous_yoy_decimals": _previous("gd", '""'),
    "previous_release": _previous("release", '""'),
    "value": f'=IF({_HAVE_VALUES},TRADE_RESIDUAL([@cumulative],[@previous]),"")',
    "value_low": f'=IF({_HAVE_VALUES},INDEX(TRADE_RESIDUAL_BOUNDS({_RES}),1),"")',
    "value_high": f'=IF({_HAVE_VALUES},INDEX(TRADE_RESIDUAL_BOUNDS({_RES}),2),"")',
    "growth": f'=IF({_HAVE_GROWTH},TRADE_DIFF_GROWTH({_DIFF}),"")',
    "growth_low": f'=IF({_HAVE_GROWTH},INDEX(TRADE_DIFF_GROWTH_BOUNDS({_DIFF},{_DIFF_DEC}),1),"")',
    "growth_high": f'=IF({_HAVE_GROWTH},INDEX(TRADE_DIFF_GROWTH_BOUNDS({_DIFF},{_DIFF_DEC}),2),"")',
    "stated_value": _stated("v"),
    "stated_yoy": _stated("g"),
    "stated_release": _stated("release"),
    "stated_decimals": _stated("d"),
    "stated_yoy_decimals": _stated("gd"),
    # tradecalc's one status rule (tradecalc.analysis.status.judge), through the add-in
    "value_status": (
        "=TRADE_STATUS([@stated_value],[@stated_decimals],[@value],[@value_low],[@value_high])"
    ),
    "growth_status": (
        "=TRADE_STATUS([@stated_yoy],[@stated_yoy_decimals],[@growth],[@growth_low],"
        '[@growth_high],"rate")'
    ),
}
SERIES_STATIC = ("note",)
SERIES_COLUMNS = SERIES_INPUTS + tuple(SERIES_FORMULAS) + SERIES_STATIC

REVISION_SHOWN = tuple(
    "group series currency unit period label earlier_release earlier earlier_how "
    "later_release later later_low later_high later_how revision revision_low "
    "revision_high earlier_yoy later_yoy value_status growth_status status note".split()
)

_MONEY = set(
    "value v cumulative previous value_low value_high stated_value earlier later later_low "
    "later_high revision revision_low revision_high".split()
)
_RATES = set(
    "yoy g cumulative_yoy previous_yoy growth growth_low growth_high stated_yoy earlier_yoy "
    "later_yoy".split()
)
_WIDTHS = {
    "key": 34,
    "group": 24,
    "label": 26,
    "sentence": 60,
    "note": 60,
    "earlier_how": 40,
    "later_how": 40,
    "release": 22,
    "cumulative_release": 22,
    "previous_release": 22,
    "stated_release": 22,
    "find": 34,
    "value_status": 22,
    "growth_status": 22,
    "status": 22,
}


def _blank(x) -> bool:
    """None, NaN or the empty text; unlike :func:`tradecalc.model.published.is_blank`, a text of
    spaces is kept as written (a label or note of the user's)."""
    return is_nan(x) or (isinstance(x, str) and x == "")


def _cached(x):
    """A value as a formula's cached result: blanks as empty text, numpy scalars as Python."""
    if _blank(x):
        return ""
    if hasattr(x, "item"):
        x = x.item()
    return x


class _Formats:
    def __init__(self, wb):
        self.header = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.text = wb.add_format({"text_wrap": False, "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.money = wb.add_format({"num_format": "#,##0.00###"})
        self.rate = wb.add_format({"num_format": "0.00%"})
        self.whole = wb.add_format({"num_format": "0"})

    def of(self, column: str):
        if column in _MONEY:
            return self.money
        if column in _RATES:
            return self.rate
        return None


def this_row(formula: str, table: str) -> str:
    """``[@col]`` written out as ``Table[[#This Row],[col]]``, the form the file stores
    (and every reader, Excel 2007 on, understands): ``[@key]`` in Series is
    ``Series[[#This Row],[key]]``."""
    return re.sub(
        r"\[@([A-Za-z_][A-Za-z0-9_]*)\]", lambda m: f"{table}[[#This Row],[{m.group(1)}]]", formula
    )


def _put(ws, r, c, value, fmt=None):
    """Write data as data: text stays text (a label "=1+1" never becomes a formula)."""
    if _blank(value):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _table(wb, ws, F, name, inputs, formulas, static, rows: list[dict], cached: list[dict]):
    """An Excel Table of ``rows``: input and static columns as data, formula columns as
    calculated columns, each cell written with its cached value."""
    columns = list(inputs) + list(formulas) + list(static)
    prepared = {c: this_row(f, name) for c, f in formulas.items()}
    spec = []
    for c in columns:
        col = {"header": c, "header_format": F.header}
        if c in formulas:
            col["formula"] = prepared[c]
        fmt = F.of(c)
        if fmt is not None:
            col["format"] = fmt
        spec.append(col)
    n = max(len(rows), 1)
    ws.add_table(0, 0, n, len(columns) - 1, {"name": name, "style": TABLE_STYLE, "columns": spec})
    for i, (rec, cache) in enumerate(zip(rows, cached), start=1):
        for j, c in enumerate(columns):
            if c in formulas:
                ws.write_formula(i, j, prepared[c], F.of(c), _cached(cache.get(c)))
            else:
                _put(ws, i, j, rec.get(c), F.of(c))
    for j, c in enumerate(columns):
        ws.set_column(j, j, _WIDTHS.get(c, 12))
    ws.freeze_panes(1, 0)
    return columns


# --------------------------------------------------------------------------- rows and cached values


def figure_rows(tables) -> tuple[list[dict], list[dict]]:
    """The Figures rows (inputs) and their calculated columns' values, from the core's tables."""
    f = tables.figures
    rows, cached = [], []
    latest = f.groupby(["group", "series", "currency", "start", "end"])["order"].transform("max")
    for rec, top in zip(f.to_dict("records"), latest.tolist()):
        key = f"{rec['group']}|{rec['series']}|{rec['currency']}"
        rows.append({c: rec.get(c) for c in FIGURE_INPUTS})
        mult = float(
            f.loc[
                (f["group"] == rec["group"])
                & (f["series"] == rec["series"])
                & (f["currency"] == rec["currency"]),
                "multiplier",
            ].max()
        )
        is_latest = rec["order"] == top
        cached.append(
            {
                "key": key,
                "series_multiplier": mult,
                "v": rec["series_value"],
                "d": rec["series_decimals"],
                "g": rec["yoy"],
                "gd": rec["yoy_decimals"],
                "latest": bool(is_latest),
                "find": f"{key}|{rec['start']}|{rec['end']}" if is_latest else "",
            }
        )
    return rows, cached


def _yyyymm(period: str) -> tuple[int, int]:
    from tradecalc.model.periods import Period

    p = Period.parse(period)
    return tuple((m // 12) * 100 + m % 12 + 1 for m in (p.start, p.end))


def series_rows(tables) -> tuple[list[dict], list[dict]]:
    """One Series row per series and cumulative period, with the values the formulas give."""
    figs = tables.figures
    rows, cached = [], []
    for rec in tables.periods.to_dict("records"):
        if rec["kind"] == "stated only":
            continue
        key = f"{rec['group']}|{rec['series']}|{rec['currency']}"
        cum_start, cum_end = _yyyymm(rec["cumulative_period"])
        start, _ = _yyyymm(rec["period"])
        prev_end = _yyyymm(rec["previous_period"])[1] if rec["previous_period"] else 0

        def fig(s, e, col, release):
            sel = figs[
                (figs["group"] == rec["group"])
                & (figs["series"] == rec["series"])
                & (figs["currency"] == rec["currency"])
                & (figs["start"] == s)
                & (figs["end"] == e)
                & (figs["release"] == release)
            ]
            return sel.iloc[0][col] if len(sel) else math.nan

        first = prev_end == 0
        cum_rel, prev_rel, st_rel = (
            rec["cumulative_release"],
            rec["previous_release"],
            rec["stated_release"],
        )
        rows.append(
            {
                "key": key,
                "end": cum_end,
                "group": rec["group"],
                "series": rec["series"],
                "currency": rec["currency"],
                "unit": rec["unit"],
                "label": rec["label"],
                "note": rec["note"],
            }
        )
        cached.append(
            {
                "year_start": cum_start,
                "previous_end": prev_end,
                "start": start,
                "find": f"{key}|{cum_end}",
                "cumulative": rec["cumulative"],
                "cumulative_decimals": fig(cum_start, cum_end, "series_decimals", cum_rel),
                "cumulative_yoy": rec["cumulative_yoy"],
                "cumulative_yoy_decimals": fig(cum_start, cum_end, "yoy_decimals", cum_rel),
                "cumulative_release": cum_rel,
                "previous": 0.0 if first else rec["previous"],
                "previous_decimals": ""
                if first
                else fig(cum_start, prev_end, "series_decimals", prev_rel),
                "previous_yoy": 0.0 if first else rec["previous_yoy"],
                "previous_yoy_decimals": ""
                if first
                else fig(cum_start, prev_end, "yoy_decimals", prev_rel),
                "previous_release": "" if first else prev_rel,
                "value": rec["value"],
                "value_low": rec["value_low"],
                "value_high": rec["value_high"],
                "growth": rec["growth"],
                "growth_low": rec["growth_low"],
                "growth_high": rec["growth_high"],
                "stated_value": rec["stated_value"],
                "stated_yoy": rec["stated_yoy"],
                "stated_release": st_rel,
                "stated_decimals": fig(start, cum_end, "series_decimals", st_rel) if st_rel else "",
                "stated_yoy_decimals": fig(start, cum_end, "yoy_decimals", st_rel)
                if st_rel
                else "",
                "value_status": rec["value_status"],
                "growth_status": rec["growth_status"],
            }
        )
    return rows, cached


# --------------------------------------------------------------------------- sheets


def _about(wb, F, tables):
    ws = wb.add_worksheet(ABOUT_SHEET)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 4, 40)
    ws.write_string(0, 0, "Series across releases", F.title)
    lines = [
        "Figures: every figure of every release (Table SeriesFigures). Type a new release's "
        "figures below it, with a higher order: the Series formulas take the latest vintage.",
        "Series: one row per series and cumulative period: the single period since the previous "
        "cumulative figure of the year, its bounds within rounding (TRADE_RESIDUAL_BOUNDS, "
        "TRADE_DIFF_GROWTH_BOUNDS) and what a release states about it.",
        "Found by key and period: sort or filter freely; add a period as a new Series row "
        "(its key and end month, e.g. 202105).",
        "Statuses and Revisions are values from the build (tradecalc series): rebuild after "
        "editing figures.",
        "The Series formulas call the tradecalc add-in's TRADE_* functions: enable it as the "
        "README says ('Excel functions'); without it the cached values stay as built.",
        "Values are in each series' coarsest published unit (759.29 billion yuan is 0.75929 "
        "trillion yuan).",
    ]
    r = 2
    for line in lines:
        ws.write_string(r, 0, line, F.text)
        r += 1
    r += 1
    for c, h in enumerate(("release", "title", "published", "source_url")):
        ws.write_string(r, c, h, F.header)
    for rel in tables.releases:
        r += 1
        for c, k in enumerate(("id", "title", "published", "source_url")):
            ws.write_string(r, c, str(rel.get(k) or ""), F.text)
    r += 2
    for note in tables.notes:
        ws.write_string(r, 0, "note: " + note, F.text)
        r += 1
    return ws


def _revisions(wb, F, tables):
    ws = wb.add_worksheet(REVISIONS_SHEET)
    rows = [{c: rec.get(c) for c in REVISION_SHOWN} for rec in tables.revisions.to_dict("records")]
    _table(wb, ws, F, "Revisions", REVISION_SHOWN, {}, (), rows, [{} for _ in rows])
    return ws


def _charts(wb, F, series_cached, series_rows_):
    """Per series: a block of lookups (by key and end month) and two line charts."""
    ws = wb.add_worksheet(CHARTS_SHEET)
    ws.write_string(0, 0, "Charts read the Series table by key and end month (sort-safe).", F.text)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 4, 13)
    keys: dict[str, list[int]] = {}
    for i, rec in enumerate(series_rows_):
        keys.setdefault(rec["key"], []).append(i)
    top = 2
    cols = (
        ("end", None),
        ("cumulative", "cumulative"),
        ("value", "value"),
        ("cumulative_yoy", "cumulative_yoy"),
        ("growth", "growth"),
    )
    for key, idx in keys.items():
        idx = sorted(idx, key=lambda i: series_rows_[i]["end"])
        ws.write_string(top, 0, key, F.header)
        for c, (h, _) in enumerate(cols):
            ws.write_string(top + 1, c, h, F.header)
        key_cell = xl_rowcol_to_cell(top, 0, row_abs=True, col_abs=True)
        for n, i in enumerate(idx):
            r = top + 2 + n
            ws.write_number(r, 0, series_rows_[i]["end"], F.whole)
            end_cell = xl_rowcol_to_cell(r, 0, col_abs=True)
            for c, (_, col) in enumerate(cols[1:], start=1):
                f = (
                    f"=IFERROR(INDEX({SERIES_TABLE}[{col}],"
                    f'MATCH({key_cell}&"|"&{end_cell},{SERIES_TABLE}[find],0)),"")'
                )
                ws.write_formula(r, c, f, F.of(col), _cached(series_cached[i][col]))
        first, last = top + 2, top + 1 + len(idx)
        label = series_rows_[idx[0]]["series"]
        unit = series_rows_[idx[0]]["unit"]
        for k, (title, picks, axis) in enumerate(
            (
                (f"{label}: cumulative and single period ({unit})", (1, 2), None),
                (f"{label}: growth, cumulative and single period", (3, 4), "0%"),
            )
        ):
            chart = wb.add_chart({"type": "line"})
            for c in picks:
                chart.add_series(
                    {
                        "name": [CHARTS_SHEET, top + 1, c],
                        "categories": [CHARTS_SHEET, first, 0, last, 0],
                        "values": [CHARTS_SHEET, first, c, last, c],
                        "marker": {"type": "circle"},
                    }
                )
            chart.set_title({"name": title, "name_font": {"size": 10}})
            chart.set_legend({"position": "bottom"})
            if axis:
                chart.set_y_axis({"num_format": axis})
            chart.set_size({"width": 420, "height": 240})
            ws.insert_chart(top, 6 + 7 * k, chart)
        top += max(len(idx) + 4, 14)
    return ws


def _xlwings_conf(wb, F):
    ws = wb.add_worksheet(XLWINGS_CONF_SHEET)
    ws.write_string(0, 0, "UDF Modules")
    ws.write_string(0, 1, UDF_MODULE)
    ws.write_string(
        0,
        3,
        "Settings for classic xlwings: the module whose TRADE_* functions the "
        "Series formulas call (README, 'Excel functions').",
        F.text,
    )
    ws.set_column(0, 1, 18)
    return ws


def build_series_workbook(tables) -> bytes:
    """The series workbook of :func:`tradecalc.analysis.series.series` tables, as .xlsx bytes."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": False,
            "use_future_functions": True,
        },
    )
    wb.set_properties(
        {"title": "Series across releases", "comments": "Generated by tradecalc build --series."}
    )
    wb.set_calc_mode(
        "auto", calc_id=191029
    )  # keep the cached values on open (see tradecalc.workbook.writer)
    F = _Formats(wb)
    _about(wb, F, tables)
    frows, fcached = figure_rows(tables)
    srows, scached = series_rows(tables)
    _charts(wb, F, scached, srows)
    ws = wb.add_worksheet(SERIES_SHEET)
    _table(wb, ws, F, SERIES_TABLE, SERIES_INPUTS, SERIES_FORMULAS, SERIES_STATIC, srows, scached)
    ws = wb.add_worksheet(FIGURES_SHEET)
    _table(wb, ws, F, FIGURES_TABLE, FIGURE_INPUTS, FIGURE_FORMULAS, (), frows, fcached)
    _revisions(wb, F, tables)
    _xlwings_conf(wb, F)
    wb.close()
    return out.getvalue()
