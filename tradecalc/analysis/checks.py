"""Consistency checks: the release against itself, rounding taken into account.

Every check compares what was stated with what the other figures imply, each
as an interval over the values the printed figures allow. Status:

* ``consistent`` — the implied number agrees with the stated one at the
  published precision (or, for an implied figure, is possible as printed);
* ``consistent within rounding`` — it does not, but some true values that
  round to the printed ones reconcile them (the intervals overlap);
* ``inconsistent`` — no values inside the published precision explain it;
* ``not checkable`` — a figure is missing, or the release states nothing to
  compare the implied number with (it is reported, not judged).

Example, Chongqing Q1 2021: foreign-funded 88.24, private 75.07 and
state-owned 16.75 leave 0.18 of 180.24 for other types, whose naive base is
negative (-0.08): impossible for a trade value, but "up 100%" means anything
in [99.5%, 100.5%), which allows a base of up to +0.085. Status: consistent
within rounding.
"""
from __future__ import annotations

import math

import numpy as np

from tradecalc.calc import arithmetic as ar
from tradecalc.calc import bounds as bd
from tradecalc.model.periods import Period
from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, STATUSES, WITHIN_ROUNDING, judge

CHECK_COLUMNS = ("check", "kind", "figures", "description", "stated", "computed", "difference", "tolerance", "low", "high", "unit", "status", "note")


def _dec(d):
    return np.nan if d is None else float(d)


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _row(**kw):
    row = dict.fromkeys(CHECK_COLUMNS, np.nan)
    row.update({"note": "", "unit": ""})
    row.update(kw)
    if _nan(row.get("difference")) and not _nan(row.get("stated")) and not _nan(row.get("computed")):
        row["difference"] = row["computed"] - row["stated"]
    return row


def _widest(figs, key_lo_hi):
    """The figure whose interval is widest: the one whose rounding matters most."""
    widths = [(hi - lo, f) for f, (lo, hi) in zip(figs, key_lo_hi) if not _nan(lo)]
    return max(widths, key=lambda t: t[0])[1] if widths else None


def _printed(f) -> str:
    from tradecalc.model.published import format_published

    return f"{f.label or f.id} {format_published(f.value, f.value_decimals)} ({'+' if f.yoy >= 0 else ''}{format_published(f.yoy, f.yoy_decimals, True)})"


def check(release):
    """The checks table of a release (DataFrame, one row per check)."""
    import pandas as pd

    rows: list[dict] = []
    for b in release.breakdowns:
        if not b.parent:
            continue
        parent = release.figure(b.parent)
        parts = release.members(b.id)
        if not parts:
            continue
        if b.kind == "complete":
            rows += _complete(b, parent, parts)
        elif b.kind == "partial":
            rows += _partial(b, parent, parts)
        else:
            rows += _overlapping(b, parent, parts)
    rows += _sub_periods(release)
    rows += _statements(release)
    rows += _multi_year(release)
    frame = pd.DataFrame(rows, columns=list(CHECK_COLUMNS))
    return frame


def _value_interval(f):
    return bd.interval(f.value, _dec(f.value_decimals))


def _base_intervals(figs):
    """Base bounds of many figures in one vectorised call: [(low, high), ...]."""
    lo, hi = bd.base_bounds(
        np.array([f.value for f in figs], dtype=float), np.array([f.yoy for f in figs], dtype=float),
        np.array([_dec(f.value_decimals) for f in figs], dtype=float), np.array([_dec(f.yoy_decimals) for f in figs], dtype=float),
    )
    return list(zip(np.atleast_1d(lo).tolist(), np.atleast_1d(hi).tolist()))


def _base_interval(f):
    return bd.base_bounds(f.value, f.yoy, _dec(f.value_decimals), _dec(f.yoy_decimals))


def _missing(parts, need_growth=True):
    return [p.id for p in parts if _nan(p.value) or (need_growth and _nan(p.yoy))]


def _complete(b, parent, parts):
    ids = ",".join([parent.id] + [p.id for p in parts])
    unit = parent.unit
    missing = _missing(parts, need_growth=False)
    if missing or _nan(parent.value):
        return [_row(check=f"{b.id}:sum", kind="parts sum to total", figures=ids, description=f"{b.label or b.id}: parts add up to {parent.label or parent.id}",
                     unit=unit, status=NOT_CHECKABLE, note=f"no value for {', '.join(missing or [parent.id])}")]
    v = [p.value for p in parts]
    lo, hi = bd.sum_bounds(v, [_dec(p.value_decimals) for p in parts])
    s_lo, s_hi = _value_interval(parent)
    total = float(np.sum(v))
    out = [_row(check=f"{b.id}:sum", kind="parts sum to total", figures=ids,
                description=f"{b.label or b.id}: {' + '.join(p.id for p in parts)} = {parent.id}",
                stated=parent.value, computed=total, tolerance=(hi - lo) / 2 + (s_hi - s_lo) / 2, low=lo, high=hi, unit=unit,
                status=judge(parent.value, s_lo, s_hi, total, lo, hi, parent.value_decimals))]
    missing_g = _missing(parts) + ([parent.id] if _nan(parent.yoy) else [])
    if missing_g:
        out.append(_row(check=f"{b.id}:base", kind="part bases sum to total base", figures=ids, description=f"{b.label or b.id}: bases add up", unit=unit,
                        status=NOT_CHECKABLE, note=f"no growth for {', '.join(missing_g)}"))
        return out
    bases = [ar.base(p.value, p.yoy) for p in parts]
    blo_hi = _base_intervals(parts)
    c_lo, c_hi = sum(x[0] for x in blo_hi), sum(x[1] for x in blo_hi)
    pb = ar.base(parent.value, parent.yoy)
    pb_lo, pb_hi = _base_interval(parent)
    status = judge(pb, pb_lo, pb_hi, sum(bases), c_lo, c_hi, parent.value_decimals)
    note = ""
    if status == WITHIN_ROUNDING:
        w = _widest(parts + [parent], blo_hi + [(pb_lo, pb_hi)])
        note = f"explained by rounding, mostly of {_printed(w)}"
    out.append(_row(check=f"{b.id}:base", kind="part bases sum to total base", figures=ids,
                    description=f"{b.label or b.id}: prior-period bases add up to {parent.id}'s base",
                    stated=pb, computed=sum(bases), tolerance=(c_hi - c_lo) / 2 + (pb_hi - pb_lo) / 2, low=c_lo, high=c_hi, unit=unit, status=status, note=note))
    g = ar.aggregate_growth(v, [p.yoy for p in parts])
    g_lo, g_hi = sum(lo_ for lo_ in [_value_interval(p)[0] for p in parts]) / c_hi - 1, sum(_value_interval(p)[1] for p in parts) / c_lo - 1
    y_lo, y_hi = bd.interval(parent.yoy, _dec(parent.yoy_decimals), percent=True)
    out.append(_row(check=f"{b.id}:growth", kind="growth of parts = total growth", figures=ids,
                    description=f"{b.label or b.id}: growth of the sum of parts against {parent.id}'s stated growth",
                    stated=parent.yoy, computed=g, tolerance=(g_hi - g_lo) / 2 + (y_hi - y_lo) / 2, low=g_lo, high=g_hi, unit="fraction",
                    status=judge(parent.yoy, y_lo, y_hi, g, g_lo, g_hi, parent.yoy_decimals, percent=True)))
    return out


def _partial(b, parent, parts):
    ids = ",".join([parent.id] + [p.id for p in parts])
    unit = parent.unit
    name = f"other than {', '.join(p.label or p.id for p in parts)}"
    missing = _missing(parts, need_growth=False)
    if missing or _nan(parent.value):
        return [_row(check=f"{b.id}:residual", kind="residual (other)", figures=ids, description=f"{b.label or b.id}: {parent.id} {name}", unit=unit,
                     status=NOT_CHECKABLE, note=f"no value for {', '.join(missing or [parent.id])}: the residual cannot be computed")]
    pv = [p.value for p in parts]
    pd_ = [_dec(p.value_decimals) for p in parts]
    r = ar.residual(parent.value, pv)
    lo, hi = bd.residual_bounds(parent.value, pv, _dec(parent.value_decimals), pd_)
    status = CONSISTENT if r >= 0 else WITHIN_ROUNDING if hi >= 0 else INCONSISTENT
    note = "the listed parts exceed the total" if status == INCONSISTENT else ""
    out = [_row(check=f"{b.id}:residual", kind="residual (other)", figures=ids, description=f"{b.label or b.id}: {parent.id} {name}",
                computed=r, tolerance=(hi - lo) / 2, low=lo, high=hi, unit=unit, status=status, note=note)]
    missing_g = _missing(parts) + ([parent.id] if _nan(parent.yoy) else [])
    if missing_g:
        out.append(_row(check=f"{b.id}:residual_base", kind="residual base", figures=ids, description=f"{b.label or b.id}: base of the residual", unit=unit,
                        status=NOT_CHECKABLE, note=f"no growth for {', '.join(missing_g)}"))
        return out
    pb = ar.base(parent.value, parent.yoy)
    rb = pb - sum(ar.base(p.value, p.yoy) for p in parts)
    intervals = _base_intervals(parts)
    pb_lo, pb_hi = _base_interval(parent)
    b_lo, b_hi = pb_lo - sum(x[1] for x in intervals), pb_hi - sum(x[0] for x in intervals)
    if rb >= 0:
        bstatus, bnote = CONSISTENT, ""
    elif b_hi >= 0:
        w = _widest(parts + [parent], intervals + [(pb_lo, pb_hi)])
        bstatus = WITHIN_ROUNDING
        bnote = (f"the naive base {rb:.3g} is negative, impossible for a trade value; explained by rounding, "
                 f"mostly of {_printed(w)}: the base may be up to {b_hi:.3g}")
    else:
        bstatus, bnote = INCONSISTENT, f"the parts' bases exceed the total's base by at least {-b_hi:.3g}: no rounding explains it"
    out.append(_row(check=f"{b.id}:residual_base", kind="residual base", figures=ids, description=f"{b.label or b.id}: prior-period base of {parent.id} {name}",
                    computed=rb, tolerance=(b_hi - b_lo) / 2, low=b_lo, high=b_hi, unit=unit, status=bstatus, note=bnote))
    out.append(_residual_growth(b, ids, r, lo, hi, rb, b_lo, b_hi, name, parent))
    return out


def _residual_growth(b, ids, r, lo, hi, rb, b_lo, b_hi, name, parent):
    desc = f"{b.label or b.id}: growth of {parent.id} {name}"
    if b_lo > 0 and lo >= 0:
        g = r / rb - 1 if rb > 0 else np.nan
        return _row(check=f"{b.id}:residual_growth", kind="residual growth", figures=ids, description=desc, computed=g,
                    low=lo / b_hi - 1, high=hi / b_lo - 1, unit="fraction", status=CONSISTENT if rb > 0 else WITHIN_ROUNDING)
    if b_hi > 0 and lo > 0:
        g_min = lo / b_hi - 1
        return _row(check=f"{b.id}:residual_growth", kind="residual growth", figures=ids, description=desc, low=g_min, high=np.inf, unit="fraction",
                    status=NOT_CHECKABLE, note=f"no growth rate can be stated: the base may be near zero; as printed, the growth is at least {g_min:+.0%}")
    return _row(check=f"{b.id}:residual_growth", kind="residual growth", figures=ids, description=desc, unit="fraction", status=NOT_CHECKABLE,
                note="the residual or its base may be zero or negative: no growth rate")


def _overlapping(b, parent, parts):
    ids = ",".join([parent.id] + [p.id for p in parts])
    have = [p for p in parts if not _nan(p.value)]
    if not have or _nan(parent.value):
        return [_row(check=f"{b.id}:within", kind="each part within total", figures=ids, description=f"{b.label or b.id}", unit=parent.unit,
                     status=NOT_CHECKABLE, note="no values to compare")]
    big = max(have, key=lambda p: p.value)
    lo, _ = _value_interval(big)
    _, s_hi = _value_interval(parent)
    status = CONSISTENT if big.value <= parent.value else WITHIN_ROUNDING if lo <= s_hi else INCONSISTENT
    return [_row(check=f"{b.id}:within", kind="each part within total", figures=ids,
                 description=f"{b.label or b.id}: the largest part ({big.id}) is no larger than {parent.id} (parts overlap, so they are not summed)",
                 stated=parent.value, computed=big.value, unit=parent.unit, status=status,
                 difference=big.value - parent.value, note="" if status != INCONSISTENT else f"{big.id} exceeds the total")]


def _sub_periods(release):
    """The rest of a period outside a sub-period of the same series (Q1 minus March)."""
    out = []
    by_series: dict[str, list] = {}
    for f in release.figures:
        if f.series:
            by_series.setdefault(f.series, []).append(f)
    for series, figs in by_series.items():
        for a in figs:
            for sub in figs:
                pa, pb = Period.parse(a.period), Period.parse(sub.period)
                if a is sub or pb not in pa or pa == pb:
                    continue
                rest = pa - pb
                rest_name = rest.label if rest else f"{pa.label} outside {pb.label}"
                ids = f"{a.id},{sub.id}"
                if _nan(a.value) or _nan(sub.value):
                    out.append(_row(check=f"{series}:{pa}-{pb}:value", kind="sub-period rest", figures=ids, description=f"{series}, {rest_name}",
                                    unit=a.unit, status=NOT_CHECKABLE, note="a value is missing"))
                    continue
                v = a.value - sub.value
                lo, hi = bd.residual_bounds(a.value, [sub.value], _dec(a.value_decimals), [_dec(sub.value_decimals)])
                status = CONSISTENT if v >= 0 else WITHIN_ROUNDING if hi >= 0 else INCONSISTENT
                out.append(_row(check=f"{series}:{rest or 'rest'}:value", kind="sub-period rest", figures=ids,
                                description=f"{series}, {rest_name}: {a.id} ({pa.label}) minus {sub.id} ({pb.label})",
                                computed=v, tolerance=(hi - lo) / 2, low=lo, high=hi, unit=a.unit, status=status,
                                note="" if status != INCONSISTENT else "the sub-period exceeds the period"))
                if _nan(a.yoy) or _nan(sub.yoy):
                    continue
                g = ar.difference_growth(a.value, a.yoy, sub.value, sub.yoy, errors="nan")
                dec = (_dec(a.value_decimals), _dec(a.yoy_decimals), _dec(sub.value_decimals), _dec(sub.yoy_decimals))
                g_lo, g_hi = bd.difference_growth_bounds(a.value, a.yoy, sub.value, sub.yoy, *dec)
                b_lo, b_hi = bd.base_difference_bounds(a.value, a.yoy, sub.value, sub.yoy, *dec)
                if _nan(g) or _nan(g_lo):
                    gs, note = (INCONSISTENT, "the sub-period's base exceeds the period's base") if b_hi < 0 else (NOT_CHECKABLE, "the rest's base may be zero: no growth rate")
                else:
                    gs, note = CONSISTENT, ""
                out.append(_row(check=f"{series}:{rest or 'rest'}:growth", kind="sub-period rest growth", figures=ids,
                                description=f"{series}, {rest_name}: year-on-year growth implied", computed=g, tolerance=(g_hi - g_lo) / 2 if not _nan(g_lo) else np.nan,
                                low=g_lo, high=g_hi, unit="fraction", status=gs, note=note))
    return out


def _statements(release):
    out = []
    for s in release.statements:
        f = release.figure(s.figure)
        if s.kind == "pp_difference":
            if _nan(f.yoy):
                out.append(_row(check=f"{s.id}", kind="stated pp difference", figures=f.id, description=s.reference, unit="fraction", status=NOT_CHECKABLE, note=f"{f.id} has no growth"))
                continue
            r = ar.reference_rate(f.yoy, s.value)
            lo, hi = bd.reference_rate_bounds(f.yoy, s.value, _dec(f.yoy_decimals), _dec(s.value_decimals))
            out.append(_row(check=s.id, kind="stated pp difference", figures=f.id,
                            description=f"implied {s.reference or 'reference growth'}: {f.id}'s growth minus {s.value:g} pp",
                            computed=r, tolerance=(hi - lo) / 2, low=lo, high=hi, unit="fraction", status=NOT_CHECKABLE,
                            note="implied figure: the release states nothing to compare it with"))
        elif s.kind == "conversion":
            rate = ar.implied_rate(f.value, s.value, errors="nan")
            lo, hi = bd.implied_rate_bounds(f.value, s.value, _dec(f.value_decimals), _dec(s.value_decimals))
            from tradecalc.model.published import currency_of

            per = f"{currency_of(f.unit)} per {currency_of(s.unit)}"
            out.append(_row(check=s.id, kind="implied exchange rate", figures=f.id,
                            description=f"{f.id} {f.value:g} {f.unit} {'about ' if s.approximate else ''}{s.value:g} {s.unit}: {per}",
                            computed=rate, tolerance=(hi - lo) / 2, low=lo, high=hi, unit=per, status=NOT_CHECKABLE,
                            note="implied figure; compare it with the official rate of the period" + ("; the converted value is approximate" if s.approximate else "")))
        elif s.kind == "share":
            parent = release.figure(f.parent) if f.parent else None
            if parent is None or _nan(f.value) or _nan(parent.value):
                out.append(_row(check=s.id, kind="stated share", figures=f.id, description=f"share of {f.id}", unit="fraction", status=NOT_CHECKABLE,
                                stated=s.value, note="no parent value to compute the share from"))
                continue
            c = ar.share(f.value, parent.value)
            lo, hi = bd.share_bounds(f.value, parent.value, _dec(f.value_decimals), _dec(parent.value_decimals))
            s_lo, s_hi = bd.interval(s.value, _dec(s.value_decimals), percent=True)
            out.append(_row(check=s.id, kind="stated share", figures=f"{f.id},{parent.id}", description=f"stated share of {f.id} in {parent.id}",
                            stated=s.value, computed=c, tolerance=(hi - lo) / 2 + (s_hi - s_lo) / 2, low=lo, high=hi, unit="fraction",
                            status=judge(s.value, s_lo, s_hi, c, lo, hi, s.value_decimals, percent=True)))
    return out


def _multi_year(release):
    out = []
    for f in release.figures:
        if _nan(f.earlier_growth) or not f.earlier_period:
            continue
        pe, pn = Period.parse(f.earlier_period), Period.parse(f.period)
        years = pn.years_after(pe)
        gd = _dec(f.earlier_growth_decimals)
        lvl = ar.base(f.value, f.earlier_growth, errors="nan")
        lo, hi = bd.base_bounds(f.value, f.earlier_growth, _dec(f.value_decimals), gd)
        out.append(_row(check=f"{f.id}:earlier_level", kind="multi-year growth", figures=f.id,
                        description=f"{f.id}: level in {pe.label} implied by {f.earlier_growth:+.0%} on it", computed=lvl, tolerance=(hi - lo) / 2,
                        low=lo, high=hi, unit=f.unit, status=NOT_CHECKABLE, note="implied figure"))
        avg = ar.average_growth(f.earlier_growth, years)
        lo, hi = bd.average_growth_bounds(f.earlier_growth, years, gd)
        out.append(_row(check=f"{f.id}:average_growth", kind="multi-year growth", figures=f.id,
                        description=f"{f.id}: average annual growth over {years:g} years", computed=avg, tolerance=(hi - lo) / 2, low=lo, high=hi,
                        unit="fraction", status=NOT_CHECKABLE, note="implied figure"))
        if not _nan(f.yoy):
            prior = ar.prior_growth(f.earlier_growth, f.yoy)
            lo, hi = bd.prior_growth_bounds(f.earlier_growth, f.yoy, gd, _dec(f.yoy_decimals))
            mid = Period(pn.start - 12, pn.end - 12)
            out.append(_row(check=f"{f.id}:prior_growth", kind="multi-year growth", figures=f.id,
                            description=f"{f.id}: growth of {mid.label} on {pe.label} implied by the two rates", computed=prior, tolerance=(hi - lo) / 2,
                            low=lo, high=hi, unit="fraction", status=NOT_CHECKABLE, note="implied figure"))
    return out


def exit_code(checks) -> int:
    """0 when nothing is inconsistent, 1 otherwise (the CLI's ``check`` contract)."""
    return 1 if (checks["status"] == INCONSISTENT).any() else 0
