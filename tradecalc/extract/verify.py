"""Propose, verify, abstain: only figures that nothing contradicts are written.

The builder proposes records. A record goes to the review list instead of the
figures when

* the reader or the builder flagged it (a subject phrase not wholly
  understood, a subject that may be carried over from another sentence, a
  period assumed, a multiple whose English reading is ambiguous, a qualifier
  or statement kind the release file cannot state yet), or
* the checks engine (:func:`tradecalc.analysis.checks.check`) finds a check
  it takes part in ``inconsistent``: for example exports and imports that do
  not add up to the total they are said to split.

What is left is validated again; links to a record sent to review are cut
(a part keeps its figure, loses its parent; a complete breakdown that lost a
part becomes partial). Each review record keeps its evidence: the subject's
words, the period, the numbers as printed, the sentence and the reason.

Example: "trade between China and the United States totaled 1.64 trillion yuan
... Exports decreased 8.1 percent to 1.25 trillion yuan" proposes the
country's exports; the subject may be carried over from the sentence before,
so the record is reviewed, not written as national exports.
"""

from __future__ import annotations

import functools

from tradecalc.model.release import FIGURE_COLUMNS, STATEMENT_COLUMNS, STATEMENT_KINDS, from_records

#: Figure keys the builder may propose; written only when the release model knows them.
_OPTIONAL_KEYS = ("value_qualifier", "yoy_qualifier", "yoy_reading", "earlier_qualifier")
_MAX_ROUNDS = 5


def review_record(rec: dict, what: str, reason: str) -> dict:
    """The review entry of a proposed record: its evidence and why it was not written."""
    out = {"what": what, "reason": reason}
    for k in (
        "id",
        "label",
        "words",
        "period",
        "value",
        "unit",
        "value_qualifier",
        "yoy",
        "yoy_qualifier",
        "yoy_reading",
        "earlier_growth",
        "earlier_period",
        "kind",
        "figure",
        "reference",
        "sentence",
        "growth_sentence",
    ):
        v = rec.get(k)
        if v not in (None, ""):
            out[k] = v
    return out


def _unknown_keys(rec: dict, columns) -> list[str]:
    return [k for k in _OPTIONAL_KEYS if rec.get(k) and k not in columns]


def split(
    figures: list[dict],
    breakdowns: list[dict],
    statements: list[dict],
    drop: dict[str, str] | None = None,
):
    """Move flagged (or ``drop``-ped, id → reason) records to review; cut the links to them."""
    drop = dict(drop or {})
    review: list[dict] = []
    kept: list[dict] = []
    for f in figures:
        unknown = _unknown_keys(f, FIGURE_COLUMNS)
        reason = "; ".join(
            x
            for x in (
                f.get("review", ""),
                drop.get(f["id"], ""),
                ", ".join(
                    f"{k} = {f[k]!r} cannot be written in a release file yet" for k in unknown
                ),
            )
            if x
        )
        if reason:
            review.append(review_record(f, "figure", reason))
            drop[f["id"]] = reason
        else:
            kept.append({k: v for k, v in f.items() if k not in ("words", "review_soft")})
    kept_ids = {f["id"] for f in kept}
    sts = []
    for s in statements:
        reason = s.get("review", "")
        if s["figure"] not in kept_ids:
            reason = reason or f"its figure {s['figure']!r} is in review"
        if s["kind"] not in STATEMENT_KINDS:
            reason = (
                reason or f"statement kind {s['kind']!r} cannot be written in a release file yet"
            )
        if s.get("reference") and s.get("reference_id") and s["reference_id"] not in kept_ids:
            reason = reason or f"its reference {s['reference_id']!r} is in review"
        if reason:
            review.append(review_record(s, "statement", reason))
        else:
            sts.append({k: v for k, v in s.items() if k in STATEMENT_COLUMNS})
    for f in kept:
        if f.get("parent") and f["parent"] not in kept_ids:
            f.pop("parent", None)
            f.pop("breakdown", None)
    used = {f.get("breakdown") for f in kept if f.get("breakdown")}
    bds = []
    for b in breakdowns:
        if b["id"] not in used or b["parent"] not in kept_ids:
            continue
        if b["kind"] == "complete":
            flows = {f["flow"] for f in kept if f.get("breakdown") == b["id"]}
            if flows != {"exports", "imports"}:
                b = {**b, "kind": "partial"}
        bds.append(b)
    for f in kept:
        if f.get("breakdown") and f["breakdown"] not in {b["id"] for b in bds}:
            f.pop("breakdown", None)
            f.pop("parent", None)
    return kept, bds, sts, review


def verified(meta: dict, figures, breakdowns, statements, *, source: str):
    """(release, review records): flagged records set aside, then whatever an inconsistent check involves.

    A figure with only a soft doubt (its period assumed from the paragraph before) is proposed, and kept
    only when a parts-sum check with a figure stated outright reconciles it (exports and imports of
    September adding up to the September total stated in its own sentence); else it goes to review.
    """
    from tradecalc.analysis.checks import check
    from tradecalc.analysis.status import CONSISTENT, INCONSISTENT, WITHIN_ROUNDING

    soft = {
        f["id"]: f["review_soft"] for f in figures if f.get("review_soft") and not f.get("review")
    }
    drop: dict[str, str] = {}
    for _ in range(_MAX_ROUNDS):
        kept, bds, sts, review = split(figures, breakdowns, statements, drop)
        release = from_records(meta, kept, bds, sts, source=source)
        table = check(release)
        kept_ids = {f["id"] for f in kept}
        new = {}
        for row in table[table["status"] == INCONSISTENT].itertuples():
            ids = [i for i in _ids(row.figures) if i in kept_ids and i not in drop]
            # a figure only proposed (its period assumed) is the first suspect; else every figure of the check
            suspects = [i for i in ids if i in soft] or ids
            for fid in suspects:
                new[fid] = "; ".join(
                    x
                    for x in (soft.get(fid, ""), f"check {row.check} ({row.kind}) is inconsistent")
                    if x
                )
        if not new:
            confirmed = set()
            for row in table[table["status"].isin([CONSISTENT, WITHIN_ROUNDING])].itertuples():
                ids = _ids(row.figures)
                if str(row.check).endswith(":sum") and any(i not in soft for i in ids):
                    confirmed.update(ids)
            new = {
                fid: f"{why} (no check reconciles it)"
                for fid, why in soft.items()
                if fid in kept_ids and fid not in confirmed
            }
        if not new:
            return release, review
        drop.update(new)
    return release, review


@functools.cache
def previous_period_supported() -> bool:
    """Do the release model and the checks read growth on the period just before (month on month)?

    Probed, not assumed: a two-figure release with ``earlier_period`` the month before must validate,
    and the checks must not treat that growth as growth over years (which would derive wrong numbers).
    """
    from tradecalc.analysis.checks import check
    from tradecalc.model.release import ReleaseError

    meta = {"id": "probe", "period": "2022-11", "unit": "billion yuan", "currency": "CNY"}
    figs = [
        {
            "id": "nov",
            "period": "2022-11",
            "flow": "total",
            "series": "total",
            "value": "95.49",
            "earlier_growth": "4.1%",
            "earlier_period": "2022-10",
        }
    ]
    try:
        table = check(from_records(meta, figs, [], [], source="<probe>"))
    except (ReleaseError, ValueError):
        return False
    return not (table["kind"].astype(str).str.contains("multi-year")).any()


def _ids(cell) -> list[str]:
    return [x.strip() for x in str(cell).split(",") if x.strip()]
