"""The result of :func:`series`: DataFrames of figures, single periods and revisions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from tradecalc.analysis.series.matching import (
    SeriesError,
    _release_id,
    included_series,
    observations,
    order_releases,
    release_group,
)
from tradecalc.analysis.series.revisions import REVISION_COLUMNS, _explain, _revision_rows
from tradecalc.analysis.series.single import PERIOD_COLUMNS, _period_rows
from tradecalc.analysis.status import INCONSISTENT
from tradecalc.model.published import scale_of

FIGURE_COLUMNS = tuple(
    "release order published group series currency id label period start end ytd "
    "flow value value_decimals unit multiplier yoy yoy_decimals series_unit "
    "series_value series_decimals in_series sentence".split()
)


@dataclass
class SeriesTables:
    """The result of :func:`series`: DataFrames of figures, single periods and revisions."""

    figures: object
    periods: object
    revisions: object
    notes: list[str]
    releases: list[dict]

    @property
    def exit_code(self) -> int:
        """1 when a single period or a revision is inconsistent, else 0 (the CLI's contract)."""
        bad = (self.periods["status"] == INCONSISTENT).any() or (
            self.revisions["status"] == INCONSISTENT
        ).any()
        return 1 if bad else 0


def _figures_frame(releases_ordered, ids, obs, units, shown):
    import pandas as pd

    by_fig = {(o.release, o.figure): o for o in obs}
    rows = []
    for order, (rid, r) in enumerate(zip(ids, releases_ordered)):
        group = release_group(r)
        for f in r.figures:
            o = by_fig[(rid, f.id)]
            rows.append(
                {
                    "release": rid,
                    "order": order,
                    "published": str(r.meta.get("published") or ""),
                    "group": group,
                    "series": o.key,
                    "currency": o.currency,
                    "id": f.id,
                    "label": f.label,
                    "period": f.period,
                    "start": _yyyymm(o.period.start),
                    "end": _yyyymm(o.period.end),
                    "ytd": o.ytd,
                    "flow": f.flow,
                    "value": f.value,
                    "value_decimals": math.nan if f.value_decimals is None else f.value_decimals,
                    "unit": f.unit,
                    "multiplier": scale_of(f.unit),
                    "yoy": f.yoy,
                    "yoy_decimals": math.nan if f.yoy_decimals is None else f.yoy_decimals,
                    "series_unit": o.unit,
                    "series_value": o.value,
                    "series_decimals": o.decimals,
                    "in_series": (group, o.key, o.currency) in shown,
                    "sentence": f.sentence,
                }
            )
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def _yyyymm(month_index: int) -> int:
    """A month counted as ``year * 12 + month - 1`` written as 202104 (April 2021)."""
    y, m = divmod(month_index, 12)
    return y * 100 + m + 1


def _load_all(sources, load) -> list:
    from tradecalc.model.release import Release

    out = []
    for s in sources:
        if isinstance(s, Release):
            out.append(s)
            continue
        p = Path(s)
        if p.is_dir():
            files = sorted(p.glob("*.toml"))
            if not files:
                raise SeriesError(f"{p}: the folder holds no release files (*.toml)")
            out += [load(f) for f in files]
        else:
            out.append(load(p))
    return out


def series(sources, *, load=None) -> SeriesTables:
    r"""Line releases up by series and period: figures, single periods and revisions.

    ``sources``: release files, folders of release files or loaded
    :class:`~tradecalc.model.release.Release` objects, in any order (they are ordered by
    the last month they cover). ``load`` reads a path (default: the release-file reader;
    :func:`tradecalc.series` and the command line pass :func:`tradecalc.load`, which
    reads template workbooks too: the analysis layer does not know workbooks). Raises ``ReleaseError`` for a release that does not load
    and :class:`SeriesError` for releases that cannot be lined up.

    National total, 2021 (trillion yuan): Q1 8.47 (+29.2%), January-April 11.62 (+28.5%):

    >>> from tradecalc.model.releasefile import loads
    >>> def release(rid, period, value, yoy):
    ...     return loads(
    ...         f'[release]\nid = "{rid}"\nunit = "trillion yuan"\n[[figures]]\nid = "total"\n'
    ...         f'period = "{period}"\nvalue = "{value}"\nyoy = "{yoy}"\n'
    ...     )
    >>> t = series([release("q1", "2021-Q1", "8.47", "29.2%"),
    ...             release("jan-apr", "2021-01/2021-04", "11.62", "28.5%")])
    >>> april = t.periods.set_index("period").loc["2021-04"]
    >>> [round(float(april[c]), 4) for c in ("value", "value_low", "value_high", "growth")]
    [3.15, 3.14, 3.16, 0.2665]
    """
    import pandas as pd

    if load is None:
        from tradecalc.model.releasefile import load  # release files; workbooks: tradecalc.series
    releases = _load_all(list(sources) if not isinstance(sources, (str, Path)) else [sources], load)
    if not releases:
        raise SeriesError("no releases given")
    obs, units = observations(releases)
    ordered = order_releases(releases)
    ids = [_release_id(r, i) for i, r in enumerate(ordered)]
    shown = included_series(obs)
    shown_set = set(shown)
    period_rows, revision_rows = [], []
    for key in shown:
        mine = [o for o in obs if (o.group, o.key, o.currency) == key]
        period_rows += _period_rows(key, mine)
        revision_rows += _revision_rows(key, mine)
    _explain(period_rows, revision_rows)
    notes = _group_notes(ordered, ids)
    notes += _skipped_notes(obs, shown_set)
    meta = [
        {
            "id": rid,
            "order": i,
            "group": release_group(r),
            "title": str(r.meta.get("title") or ""),
            "published": str(r.meta.get("published") or ""),
            "source_url": str(r.meta.get("source_url") or ""),
        }
        for i, (rid, r) in enumerate(zip(ids, ordered))
    ]
    return SeriesTables(
        figures=_figures_frame(ordered, ids, obs, units, shown_set),
        periods=pd.DataFrame(period_rows, columns=list(PERIOD_COLUMNS)),
        revisions=pd.DataFrame(revision_rows, columns=list(REVISION_COLUMNS)),
        notes=notes,
        releases=meta,
    )


def _group_notes(ordered, ids) -> list[str]:
    groups: dict[str, list[str]] = {}
    for rid, r in zip(ids, ordered):
        groups.setdefault(release_group(r), []).append(rid)
    notes = []
    if len(groups) > 1:
        parts = "; ".join(f"{g}: {', '.join(rs)}" for g, rs in groups.items())
        notes.append(f"releases of different publishers or regions are kept apart ({parts})")
    if "(publisher not given)" in groups:
        notes.append(
            "some releases name no publisher under [release]; they are taken as one publisher: "
            'add publisher = "..." to keep others apart'
        )
    return notes


def _skipped_notes(obs, shown) -> list[str]:
    skipped = sorted({o.key for o in obs if (o.group, o.key, o.currency) not in shown})
    if not skipped:
        return []
    more = f" and {len(skipped) - 8} more" if len(skipped) > 8 else ""
    return [
        f"{len(skipped)} series found in one release only are not lined up "
        f"({', '.join(skipped[:8])}{more}); "
        'link figures across releases with the same series = "..."'
    ]
