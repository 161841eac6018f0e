"""The formulas of the template's Derived and Checks sheets, with their cached values.

Every derived number in the workbook is an Excel formula that calls the
add-in's UDFs (``TRADE_BASE``, ``TRADE_RESIDUAL_BOUNDS`` ...) on plain A1
references to the Figures (and Statements) cells, e.g. for Chongqing's Q1
total in Figures row 2::

    Derived!B2  =TRADE_BASE(Figures!H2,Figures!K2)              cached 112.369…
    Derived!M2  =INDEX(TRADE_BASE_BOUNDS(Figures!H2,Figures!K2,Figures!I2,Figures!L2),1,1)

Which cells a formula reads (a figure's parent, the parts of a breakdown, a
sub-period) is resolved when the workbook is built; the numbers are live.
Each formula also carries the value ``tradecalc`` computes for it
(:func:`tradecalc.analysis.derived_table.derive`, :func:`tradecalc.analysis.checks.check`), stored as
the cell's cached value so that every reader shows the right number before
any recalculation. A missing result (NaN) is cached as ``""``.

Where an input is missing when the workbook is built (a growth-only figure
has no value), the UDF call is wrapped in a native test,
``=IF(Figures!H21="","",TRADE_BASE(Figures!H21,Figures!K21))``: the result is
blank in Excel as with the bare UDF, and a reader that recalculates blank
cells without the add-in (LibreOffice does) shows a blank, not ``#NAME?``.
Sums of parts are always guarded with ``COUNT``, so a deleted value gives a
blank, never a sum that silently counts it as 0.

The Checks status column is a native ``IF`` formula that mirrors the rules of
:mod:`tradecalc.analysis.checks` (``_compare``, the residual and sub-period rules);
implied figures (exchange rate, national growth, multi-year levels) are
"not checkable" by definition and hold that text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from tradecalc.analysis.checks import CHECK_COLUMNS, CONSISTENT, INCONSISTENT, NOT_CHECKABLE, WITHIN_ROUNDING
from tradecalc.model.release import FIGURE_COLUMNS, STATEMENT_COLUMNS, Release
from tradecalc.analysis.derived_table import DERIVED_COLUMNS
from tradecalc.workbook.layout import CHECKS_SHEET, DERIVED_SHEET, FIGURES_SHEET, STATEMENTS_SHEET

#: Derived sheet columns, in order, with their kind (number format): the
#: core's derived columns, led by the id and with the years of a multi-year
#: growth shown before the columns that use them.
DERIVED_SHEET_COLUMNS = {"id": "text"}
for _name, _kind in DERIVED_COLUMNS.items():
    if _name == "earlier_base":
        DERIVED_SHEET_COLUMNS["years"] = "years"
    DERIVED_SHEET_COLUMNS[_name] = _kind

#: First data row of every table sheet (0-based; row 0 is the header).
FIRST_ROW = 1


@dataclass(frozen=True)
class Cell:
    """One cell to write and its cached value.

    ``formula`` starting with "=" is a formula; otherwise the cell is the
    constant ``cached`` (text is always written as text, never as a formula).
    """

    sheet: str
    row: int  # 0-based
    col: int  # 0-based
    formula: str
    cached: float | str
    kind: str  # money / fraction / pp / years / rate / text

    @property
    def address(self) -> str:
        return f"{xl_col_to_name(self.col)}{self.row + 1}"


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def cached(x):
    """The cached value of a result: the number, or "" for a missing (NaN/inf) one."""
    if isinstance(x, str):
        return x
    return "" if _nan(x) else float(x)


def _tolerance(C: dict, extra: str = "") -> str:
    """Half the width of the row's [low, high] (plus ``extra``, e.g. the stated figure's half-unit), blank if either is missing."""
    return f'=IF(AND(ISNUMBER({C["low"]}),ISNUMBER({C["high"]})),({C["high"]}-{C["low"]})/2{extra},"")'


def _half(dec_ref: str, percent: bool = False) -> str:
    """Half a unit of the last printed digit, 0 where the precision is unknown (exact)."""
    scale = "/100" if percent else ""
    return f"IF(ISNUMBER({dec_ref}),0.5/10^{dec_ref}{scale},0)"


class Layout:
    """Where things are: the row of each figure/statement, the letter of each column.

    The Figures and Derived sheets share their rows: figure ``i`` of the
    release is on row ``i + 2`` of both (row 1 is the header).
    """

    def __init__(self, release: Release):
        self.release = release
        self.fig_row = {f.id: FIRST_ROW + i for i, f in enumerate(release.figures)}
        self.stmt_row = {s.id: FIRST_ROW + i for i, s in enumerate(release.statements)}
        self.fig_col = {c: xl_col_to_name(i) for i, c in enumerate(FIGURE_COLUMNS)}
        self.stmt_col = {c: xl_col_to_name(i) for i, c in enumerate(STATEMENT_COLUMNS)}
        self.der_col = {c: xl_col_to_name(i) for i, c in enumerate(DERIVED_SHEET_COLUMNS)}
        self.chk_col = {c: xl_col_to_name(i) for i, c in enumerate(CHECK_COLUMNS)}
        self._figs = {f.id: f for f in release.figures}
        self._stmts = {s.id: s for s in release.statements}
        #: the derived table by column, {column: {figure id: value}} (:func:`remember_derived`)
        self.derived: dict[str, dict[str, float]] = {}

    # references -------------------------------------------------------------------------
    def fig(self, fid: str, column: str) -> str:
        return f"{FIGURES_SHEET}!{self.fig_col[column]}{self.fig_row[fid] + 1}"

    def der(self, fid: str, column: str) -> str:
        return f"{DERIVED_SHEET}!{self.der_col[column]}{self.fig_row[fid] + 1}"

    def stmt(self, sid: str, column: str) -> str:
        return f"{STATEMENTS_SHEET}!{self.stmt_col[column]}{self.stmt_row[sid] + 1}"

    def _rows(self, sheet: str, letter: str, fids) -> str:
        """A range over the figures' rows when they are contiguous, else a list of cells."""
        rows = [self.fig_row[f] + 1 for f in fids]
        if len(rows) > 1 and rows == list(range(rows[0], rows[0] + len(rows))):
            return f"{sheet}!{letter}{rows[0]}:{letter}{rows[-1]}"
        return ",".join(f"{sheet}!{letter}{r}" for r in rows)

    def figs(self, fids, column: str) -> str:
        return self._rows(FIGURES_SHEET, self.fig_col[column], fids)

    def ders(self, fids, column: str) -> str:
        return self._rows(DERIVED_SHEET, self.der_col[column], fids)

    def contiguous(self, fids) -> bool:
        rows = [self.fig_row[f] for f in fids]
        return rows == list(range(rows[0], rows[0] + len(rows)))

    # build-time blanks ---------------------------------------------------------------------
    def fig_blank(self, fid: str, column: str) -> bool:
        v = getattr(self._figs[fid], column)
        return _nan(v) if not isinstance(v, str) else not v

    def der_blank(self, fid: str, column: str) -> bool:
        return _nan(self.derived.get(column, {}).get(fid, math.nan))

    def stmt_blank(self, sid: str, column: str) -> bool:
        v = getattr(self._stmts[sid], column)
        return _nan(v) if not isinstance(v, str) else not v


def guarded(call: str, required: list[tuple[str, bool]]) -> str:
    """``=call``, or ``=IF(OR(a="",...),"",call)`` when a required input is blank now.

    ``required`` holds (reference, blank at build time) pairs.
    """
    missing = [ref for ref, blank in required if blank]
    if not missing:
        return f"={call}"
    refs = [ref for ref, _ in required]
    test = f'{refs[0]}=""' if len(refs) == 1 else "OR(" + ",".join(f'{r}=""' for r in refs) + ")"
    return f'=IF({test},"",{call})'


def ref_or_blank(ref: str) -> str:
    """A plain reference that stays blank when the referenced cell is (Excel would show 0)."""
    return f'=IF({ref}="","",{ref})'


# ------------------------------------------------------------------------------------ Derived


def remember_derived(layout: Layout, table) -> dict[str, dict[str, float]]:
    """Store the derived table's values in ``layout`` (for build-time blanks); return them by column.

    Plain dicts of Python floats (``Series.tolist``): looking a value up is a
    dict access, not a pandas ``.at`` call per cell (~17% of a large build).
    """
    ids = table.index.tolist()
    layout.derived = {c: dict(zip(ids, table[c].tolist())) for c in list(DERIVED_SHEET_COLUMNS)[1:] if c in table.columns}
    return layout.derived


def derived_cells(release: Release, layout: Layout | None = None, table=None) -> list[Cell]:
    """Cells of the Derived sheet (one row per figure; header written separately)."""
    return list(iter_derived_cells(release, layout, table))


def iter_derived_cells(release: Release, layout: Layout | None = None, table=None):
    """:func:`derived_cells` one at a time (the build writes them as they come, holding none).

    The layout learns the derived values at once (not on the first cell), so
    :func:`check_cells` can follow before any cell is written.
    """
    from tradecalc.analysis.derived_table import derive

    layout = layout or Layout(release)
    table = derive(release) if table is None else table
    cols = list(DERIVED_SHEET_COLUMNS)
    values = remember_derived(layout, table)
    col_index = {c: i for i, c in enumerate(cols)}
    return _derived_cells(release, layout, values, col_index)


def _derived_cells(release: Release, L: Layout, values, col_index):
    for f in release.figures:
        row = L.fig_row[f.id]
        out: list[Cell] = []

        def put(column, call, required):
            value = values[column][f.id]
            out.append(Cell(DERIVED_SHEET, row, col_index[column], guarded(call, required), cached(value), DERIVED_SHEET_COLUMNS[column]))

        V, G, VD, GD = (L.fig(f.id, c) for c in ("value", "yoy", "value_decimals", "yoy_decimals"))
        bV, bG = L.fig_blank(f.id, "value"), L.fig_blank(f.id, "yoy")
        out.append(Cell(DERIVED_SHEET, row, 0, f.id, f.id, "text"))
        put("base", f"TRADE_BASE({V},{G})", [(V, bV), (G, bG)])
        put("change", f"TRADE_CHANGE({V},{G})", [(V, bV), (G, bG)])
        if f.parent and f.parent in L.fig_row:
            PV, PG = L.fig(f.parent, "value"), L.fig(f.parent, "yoy")
            bPV, bPG = L.fig_blank(f.parent, "value"), L.fig_blank(f.parent, "yoy")
            four = f"{V},{G},{PV},{PG}"
            req4 = [(V, bV), (G, bG), (PV, bPV), (PG, bPG)]
            put("share", f"TRADE_SHARE({V},{PV})", [(V, bV), (PV, bPV)])
            put("base_share", f"TRADE_BASE_SHARE({four})", req4)
            put("share_change_pp", f"TRADE_SHARE_CHANGE({four})", req4)
            put("pull_pp", f"TRADE_PULL({four})", req4)
            put("contribution", f"TRADE_CONTRIBUTION({four})", req4)
        if f.earlier_period:
            P, EP, EG = L.fig(f.id, "period"), L.fig(f.id, "earlier_period"), L.fig(f.id, "earlier_growth")
            bEG = L.fig_blank(f.id, "earlier_growth")
            Y = L.der(f.id, "years")
            put("years", f"TRADE_YEARS({P},{EP})", [(P, False), (EP, False)])
            put("earlier_base", f"TRADE_BASE({V},{EG})", [(V, bV), (EG, bEG)])
            put("average_growth", f"TRADE_AVG_GROWTH({EG},{Y})", [(EG, bEG), (Y, L.der_blank(f.id, "years"))])
            put("prior_growth", f"TRADE_PRIOR_GROWTH({EG},{G})", [(EG, bEG), (G, bG)])
        bounds = f"TRADE_BASE_BOUNDS({V},{G},{VD},{GD})"
        put("base_low", f"INDEX({bounds},1,1)", [(V, bV), (G, bG)])
        put("base_high", f"INDEX({bounds},1,2)", [(V, bV), (G, bG)])
        yield from out


# ------------------------------------------------------------------------------------ Checks


def _status_compare(r: int, L: Layout, s_lo: str, s_hi: str, dec: str, percent: bool) -> str:
    """Native IF mirroring :func:`tradecalc.analysis.checks._compare` for the row ``r`` (1-based)."""
    E, F, I, J = (f"{L.chk_col[c]}{r}" for c in ("stated", "computed", "low", "high"))
    agree = (f"IF(ISNUMBER({dec}),ABS({F}-{E})<={_half(dec, percent)}*(1+1E-9),"
             f"ABS({F}-{E})<=MAX(1E-9*MAX(ABS({F}),ABS({E})),1E-12))")
    overlap = f"AND(ISNUMBER({I}),ISNUMBER({J}),ISNUMBER({s_lo}),ISNUMBER({s_hi}),{s_lo}<={J},{I}<={s_hi})"
    return (f'=IF(OR(NOT(ISNUMBER({E})),NOT(ISNUMBER({F}))),"{NOT_CHECKABLE}",IF({agree},"{CONSISTENT}",'
            f'IF({overlap},"{WITHIN_ROUNDING}","{INCONSISTENT}")))')


def _status_residual(r: int, L: Layout) -> str:
    """A residual is consistent when ≥ 0, within rounding when its upper bound is."""
    F, J = f"{L.chk_col['computed']}{r}", f"{L.chk_col['high']}{r}"
    return (f'=IF(NOT(ISNUMBER({F})),"{NOT_CHECKABLE}",IF({F}>=0,"{CONSISTENT}",'
            f'IF(AND(ISNUMBER({J}),{J}>=0),"{WITHIN_ROUNDING}","{INCONSISTENT}")))')


def _count_guard(refs: str, n: int, expr: str) -> str:
    return f'=IF(COUNT({refs})<{n},"",{expr})'


def _sum_halves(L: Layout, fids, column: str, percent=False) -> str:
    return "+".join(_half(L.fig(f, column), percent) for f in fids)


def check_cells(release: Release, layout: Layout | None = None, checks=None) -> list[Cell]:
    """Cells of the Checks sheet: one row per row of :func:`tradecalc.analysis.checks.check`."""
    return list(iter_check_cells(release, layout, checks))


def iter_check_cells(release: Release, layout: Layout | None = None, checks=None):
    """:func:`check_cells` one at a time (the build writes them as they come, holding none)."""
    from tradecalc.analysis.checks import check

    L = layout or Layout(release)
    if not L.derived:
        iter_derived_cells(release, L)
    checks = check(release) if checks is None else checks
    return _check_cells(release, L, checks)


def _check_cells(release: Release, L: Layout, checks):
    cols = list(CHECK_COLUMNS)
    row_of = {cid: FIRST_ROW + i for i, cid in enumerate(checks["check"])}
    stmts = {s.id: s for s in release.statements}
    money_units = {f.unit for f in release.figures}  # once, not once per check (quadratic at 10^5 figures)

    for i, rec in enumerate(checks.to_dict("records")):
        row = FIRST_ROW + i
        r = row + 1  # Excel row number
        unit = rec["unit"]
        kind_fmt = "fraction" if unit == "fraction" else "money" if unit in money_units else "rate"
        out: list[Cell] = []
        cells: dict[str, str] = {}
        C = {c: f"{L.chk_col[c]}{r}" for c in cols}
        ids = [x for x in str(rec["figures"]).split(",") if x]
        kind = rec["kind"]
        cid = rec["check"]

        if kind == "parts sum to total":
            p, parts = ids[0], ids[1:]
            V = L.figs(parts, "value")
            n = len(parts)
            cells["stated"] = ref_or_blank(L.fig(p, "value"))
            cells["computed"] = _count_guard(V, n, f"SUM({V})")
            halves = _sum_halves(L, parts, "value_decimals")
            cells["low"] = _count_guard(V, n, f"SUM({V})-({halves})")
            cells["high"] = _count_guard(V, n, f"SUM({V})+({halves})")
            cells["tolerance"] = _tolerance(C, "+" + _half(L.fig(p, "value_decimals")))
            hp = _half(L.fig(p, "value_decimals"))
            cells["status"] = _status_compare(r, L, f"({C['stated']}-{hp})", f"({C['stated']}+{hp})", L.fig(p, "value_decimals"), False)
        elif kind == "part bases sum to total base":
            p, parts = ids[0], ids[1:]
            n = len(parts)
            B, BL, BH = L.ders(parts, "base"), L.ders(parts, "base_low"), L.ders(parts, "base_high")
            PL, PH = L.der(p, "base_low"), L.der(p, "base_high")
            cells["stated"] = ref_or_blank(L.der(p, "base"))
            cells["computed"] = _count_guard(B, n, f"SUM({B})")
            cells["low"] = _count_guard(BL, n, f"SUM({BL})")
            cells["high"] = _count_guard(BH, n, f"SUM({BH})")
            cells["tolerance"] = (f'=IF(AND(ISNUMBER({C["low"]}),ISNUMBER({C["high"]}),ISNUMBER({PL}),ISNUMBER({PH})),'
                                  f'({C["high"]}-{C["low"]})/2+({PH}-{PL})/2,"")')
            cells["status"] = _status_compare(r, L, PL, PH, L.fig(p, "value_decimals"), False)
        elif kind == "growth of parts = total growth":
            p, parts = ids[0], ids[1:]
            n = len(parts)
            V, G = L.figs(parts, "value"), L.figs(parts, "yoy")
            BL, BH = L.ders(parts, "base_low"), L.ders(parts, "base_high")
            cells["stated"] = ref_or_blank(L.fig(p, "yoy"))
            if L.contiguous(parts):
                blanks = any(L.fig_blank(x, c) for x in parts for c in ("value", "yoy"))
                call = f"TRADE_SUM_GROWTH({V},{G})"
                cells["computed"] = f'=IF(OR(COUNT({V})<{n},COUNT({G})<{n}),"",{call})' if blanks else f"={call}"
            else:
                B = L.ders(parts, "base")
                cells["computed"] = f'=IF(OR(COUNT({V})<{n},COUNT({B})<{n}),"",SUM({V})/SUM({B})-1)'
            halves = _sum_halves(L, parts, "value_decimals")
            guard = f'OR(COUNT({V})<{n},COUNT({BL})<{n},COUNT({BH})<{n})'
            cells["low"] = f'=IF({guard},"",(SUM({V})-({halves}))/SUM({BH})-1)'
            cells["high"] = f'=IF({guard},"",(SUM({V})+({halves}))/SUM({BL})-1)'
            hpy = _half(L.fig(p, "yoy_decimals"), True)
            cells["tolerance"] = _tolerance(C, "+" + hpy)
            cells["status"] = _status_compare(r, L, f"({C['stated']}-{hpy})", f"({C['stated']}+{hpy})", L.fig(p, "yoy_decimals"), True)
        elif kind == "residual (other)":
            p, parts = ids[0], ids[1:]
            n = len(parts)
            T, TD = L.fig(p, "value"), L.fig(p, "value_decimals")
            Pv, Pd = L.figs(parts, "value"), L.figs(parts, "value_decimals")
            blank = L.fig_blank(p, "value") or any(L.fig_blank(x, "value") for x in parts)
            if L.contiguous(parts):
                call = f"TRADE_RESIDUAL({T},{Pv})"
                bounds = f"TRADE_RESIDUAL_BOUNDS({T},{Pv},{TD},{Pd})"
                g = f'OR({T}="",COUNT({Pv})<{n})'
                wrap = (lambda e: f'=IF({g},"",{e})') if blank else (lambda e: f"={e}")
                cells["computed"] = wrap(call)
                cells["low"] = wrap(f"INDEX({bounds},1,1)")
                cells["high"] = wrap(f"INDEX({bounds},1,2)")
            else:  # a UDF cannot take a list of scattered cells: the same arithmetic natively
                g = f'OR({T}="",COUNT({Pv})<{n})'
                halves = _sum_halves(L, parts, "value_decimals")
                cells["computed"] = f'=IF({g},"",{T}-SUM({Pv}))'
                cells["low"] = f'=IF({g},"",{T}-{_half(TD)}-(SUM({Pv})+({halves})))'
                cells["high"] = f'=IF({g},"",{T}+{_half(TD)}-(SUM({Pv})-({halves})))'
            cells["tolerance"] = _tolerance(C)
            cells["status"] = _status_residual(r, L)
        elif kind == "residual base":
            p, parts = ids[0], ids[1:]
            n = len(parts)
            B, BL, BH = L.ders(parts, "base"), L.ders(parts, "base_low"), L.ders(parts, "base_high")
            PB, PL, PH = L.der(p, "base"), L.der(p, "base_low"), L.der(p, "base_high")
            cells["computed"] = f'=IF(OR({PB}="",COUNT({B})<{n}),"",{PB}-SUM({B}))'
            cells["low"] = f'=IF(OR({PL}="",COUNT({BH})<{n}),"",{PL}-SUM({BH}))'
            cells["high"] = f'=IF(OR({PH}="",COUNT({BL})<{n}),"",{PH}-SUM({BL}))'
            cells["tolerance"] = _tolerance(C)
            cells["status"] = _status_residual(r, L)
        elif kind == "residual growth":
            b = cid.rsplit(":", 1)[0]
            rr, rb = row_of[f"{b}:residual"] + 1, row_of[f"{b}:residual_base"] + 1
            F, I, J = L.chk_col["computed"], L.chk_col["low"], L.chk_col["high"]
            res, lo, hi = f"{F}{rr}", f"{I}{rr}", f"{J}{rr}"
            rbase, blo, bhi = f"{F}{rb}", f"{I}{rb}", f"{J}{rb}"
            nums = f"ISNUMBER({lo}),ISNUMBER({hi}),ISNUMBER({blo}),ISNUMBER({bhi}),ISNUMBER({rbase})"
            case1 = f"AND({nums},{blo}>0,{lo}>=0)"
            case2 = f"AND({nums},{bhi}>0,{lo}>0)"
            cells["computed"] = f'=IF(AND({case1},{rbase}>0),{res}/{rbase}-1,"")'
            cells["low"] = f'=IF(OR({case1},{case2}),{lo}/{bhi}-1,"")'
            cells["high"] = f'=IF({case1},{hi}/{blo}-1,"")'  # unbounded otherwise: left blank
            cells["status"] = f'=IF({case1},IF({rbase}>0,"{CONSISTENT}","{WITHIN_ROUNDING}"),"{NOT_CHECKABLE}")'
        elif kind == "each part within total":
            p, parts = ids[0], ids[1:]
            V = L.figs(parts, "value")
            cells["stated"] = ref_or_blank(L.fig(p, "value"))
            cells["computed"] = f'=IF(COUNT({V})=0,"",MAX({V}))'
            cells["difference"] = f'=IF(AND(ISNUMBER({C["stated"]}),ISNUMBER({C["computed"]})),{C["computed"]}-{C["stated"]},"")'
            # half a digit of the largest part (the first one, as in tradecalc, when two tie)
            half_big = "0"
            for x in reversed(parts):
                half_big = f'IF({L.fig(x, "value")}={C["computed"]},{_half(L.fig(x, "value_decimals"))},{half_big})'
            E, F = C["stated"], C["computed"]
            hp = _half(L.fig(p, "value_decimals"))
            cells["status"] = (f'=IF(OR(NOT(ISNUMBER({E})),NOT(ISNUMBER({F}))),"{NOT_CHECKABLE}",IF({F}<={E},"{CONSISTENT}",'
                               f'IF({F}-{half_big}<={E}+{hp},"{WITHIN_ROUNDING}","{INCONSISTENT}")))')
        elif kind == "sub-period rest":
            a, sub = ids
            A, S, AD, SD = L.fig(a, "value"), L.fig(sub, "value"), L.fig(a, "value_decimals"), L.fig(sub, "value_decimals")
            req = [(A, L.fig_blank(a, "value")), (S, L.fig_blank(sub, "value"))]
            bounds = f"TRADE_RESIDUAL_BOUNDS({A},{S},{AD},{SD})"
            cells["computed"] = guarded(f"TRADE_RESIDUAL({A},{S})", req)
            cells["low"] = guarded(f"INDEX({bounds},1,1)", req)
            cells["high"] = guarded(f"INDEX({bounds},1,2)", req)
            cells["tolerance"] = _tolerance(C)
            cells["status"] = _status_residual(r, L)
        elif kind == "sub-period rest growth":
            a, sub = ids
            args = [L.fig(a, "value"), L.fig(a, "yoy"), L.fig(sub, "value"), L.fig(sub, "yoy")]
            decs = [L.fig(a, "value_decimals"), L.fig(a, "yoy_decimals"), L.fig(sub, "value_decimals"), L.fig(sub, "yoy_decimals")]
            req = [(x, L.fig_blank(f, c)) for x, (f, c) in zip(args, [(a, "value"), (a, "yoy"), (sub, "value"), (sub, "yoy")])]
            bounds = f"TRADE_DIFF_GROWTH_BOUNDS({','.join(args + decs)})"
            cells["computed"] = guarded(f"TRADE_DIFF_GROWTH({','.join(args)})", req)
            cells["low"] = guarded(f"INDEX({bounds},1,1)", req)
            cells["high"] = guarded(f"INDEX({bounds},1,2)", req)
            cells["tolerance"] = _tolerance(C)
            AH, SL = L.der(a, "base_high"), L.der(sub, "base_low")
            cells["status"] = (f'=IF(AND(ISNUMBER({C["computed"]}),ISNUMBER({C["low"]})),"{CONSISTENT}",'
                               f'IF(AND(ISNUMBER({AH}),ISNUMBER({SL})),IF({AH}-{SL}<0,"{INCONSISTENT}","{NOT_CHECKABLE}"),"{NOT_CHECKABLE}"))')
        elif kind in ("stated pp difference", "implied exchange rate", "stated share"):
            s = stmts[cid]
            f = s.figure
            SV, SDc = L.stmt(cid, "value"), L.stmt(cid, "value_decimals")
            bS = L.stmt_blank(cid, "value")
            if kind == "stated pp difference":
                G, GD = L.fig(f, "yoy"), L.fig(f, "yoy_decimals")
                req = [(G, L.fig_blank(f, "yoy")), (SV, bS)]
                bounds = f"TRADE_REFERENCE_RATE_BOUNDS({G},{SV},{GD},{SDc})"
                cells["computed"] = guarded(f"TRADE_REFERENCE_RATE({G},{SV})", req)
            elif kind == "implied exchange rate":
                V, VD = L.fig(f, "value"), L.fig(f, "value_decimals")
                req = [(V, L.fig_blank(f, "value")), (SV, bS)]
                bounds = f"TRADE_FX_RATE_BOUNDS({V},{SV},{VD},{SDc})"
                cells["computed"] = guarded(f"TRADE_FX_RATE({V},{SV})", req)
            else:
                fig = release.figure(f)
                cells["stated"] = ref_or_blank(SV)
                if not fig.parent:
                    bounds = None
                else:
                    p = fig.parent
                    V, VD, PV, PD = L.fig(f, "value"), L.fig(f, "value_decimals"), L.fig(p, "value"), L.fig(p, "value_decimals")
                    req = [(V, L.fig_blank(f, "value")), (PV, L.fig_blank(p, "value"))]
                    bounds = f"TRADE_SHARE_BOUNDS({V},{PV},{VD},{PD})"
                    cells["computed"] = guarded(f"TRADE_SHARE({V},{PV})", req)
                hs = _half(SDc, True)
                cells["status"] = _status_compare(r, L, f"({C['stated']}-{hs})", f"({C['stated']}+{hs})", SDc, True)
            if bounds:
                cells["low"] = guarded(f"INDEX({bounds},1,1)", req)
                cells["high"] = guarded(f"INDEX({bounds},1,2)", req)
                extra = f"+{_half(SDc, True)}" if kind == "stated share" else ""
                cells["tolerance"] = _tolerance(C, extra)
        elif kind == "multi-year growth":
            f = ids[0]
            what = cid.rsplit(":", 1)[1]
            V, G, EG = L.fig(f, "value"), L.fig(f, "yoy"), L.fig(f, "earlier_growth")
            VD, GD, EGD = L.fig(f, "value_decimals"), L.fig(f, "yoy_decimals"), L.fig(f, "earlier_growth_decimals")
            bV, bG, bEG = L.fig_blank(f, "value"), L.fig_blank(f, "yoy"), L.fig_blank(f, "earlier_growth")
            hEG, hG = _half(EGD, True), _half(GD, True)
            if what == "earlier_level":
                D = L.der(f, "earlier_base")
                req = [(V, bV), (EG, bEG)]
                bounds = f"TRADE_BASE_BOUNDS({V},{EG},{VD},{EGD})"
                cells["low"] = guarded(f"INDEX({bounds},1,1)", req)
                cells["high"] = guarded(f"INDEX({bounds},1,2)", req)
            elif what == "average_growth":
                D = L.der(f, "average_growth")
                Y = L.der(f, "years")
                req = [(EG, bEG), (Y, L.der_blank(f, "years"))]
                cells["low"] = guarded(f"TRADE_AVG_GROWTH({EG}-{hEG},{Y})", req)
                cells["high"] = guarded(f"TRADE_AVG_GROWTH({EG}+{hEG},{Y})", req)
            else:
                D = L.der(f, "prior_growth")
                req = [(EG, bEG), (G, bG)]
                cells["low"] = guarded(f"TRADE_PRIOR_GROWTH({EG}-{hEG},{G}+{hG})", req)
                cells["high"] = guarded(f"TRADE_PRIOR_GROWTH({EG}+{hEG},{G}-{hG})", req)
            cells["computed"] = ref_or_blank(D)
            cells["tolerance"] = _tolerance(C)
        else:  # a check kind this module does not know: its numbers as computed, flagged
            for c in ("stated", "computed", "low", "high"):
                if not _nan(rec[c]):
                    cells[c] = ""  # a constant: the cached value is written as a number

        if "stated" in cells and "computed" in cells and "difference" not in cells:
            cells["difference"] = f'=IF(AND(ISNUMBER({C["stated"]}),ISNUMBER({C["computed"]})),{C["computed"]}-{C["stated"]},"")'

        for c in cols:
            if c in ("stated", "computed", "difference", "tolerance", "low", "high", "status"):
                if c in cells:
                    formula = cells[c]
                    value = rec[c] if c != "status" else rec["status"]
                    fmt = "text" if c == "status" else kind_fmt
                    out.append(Cell(CHECKS_SHEET, row, cols.index(c), formula, cached(value), fmt))
                elif c == "status":
                    out.append(Cell(CHECKS_SHEET, row, cols.index(c), rec["status"], rec["status"], "text"))
            else:
                text = rec[c]
                text = "" if _nan(text) else str(text)
                out.append(Cell(CHECKS_SHEET, row, cols.index(c), text, text, "text"))
        yield from out
