"""``tradecalc extract``: a release text → a release file, by rules that can be read.

Rule-based and explainable: regular expressions and a small clause grammar
(:mod:`.clauses`), no network and no model. The steps:

1. :mod:`.text` — paragraphs and sentences of text copied from a web page;
2. :mod:`.numbers` — amounts ("180.24 billion yuan"), percentages, points;
3. :mod:`.timephrase` — periods ("in March" → 2021-03) and growth bases;
4. :mod:`.subjects` — what a figure is about (exports, a partner, a product);
5. :mod:`.clauses` and :mod:`.reader` — clauses → figure drafts, merged per
   subject and period;
6. :mod:`.build` — ids, units, parents and breakdowns → proposed records;
7. :mod:`.verify` — propose, verify, abstain: a flagged record, or one in a
   check :func:`tradecalc.check` finds inconsistent, goes to the review list
   instead of the figures; the rest is validated by
   :func:`tradecalc.model.release.from_records`.

It never invents a number: every value written is printed in the text (a
unit change is an exact decimal shift), and every record carries its
sentence. What it cannot place with confidence is not written as a figure: it
is a ``[[review]]`` record in the file (with the subject's words, the period,
the numbers and the reason) and a line on stderr.

Example, Chongqing Q1 2021: "In the first quarter, Chongqing’s exports surged
75.7% to 112.32 billion yuan and imports increased by 40.2% to reach 67.92
billion yuan." gives exports 112.32 (+75.7%) and imports 67.92 (+40.2%),
period 2021-Q1, both parts of the Q1 total in a complete breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tradecalc.model.release import Release, ReleaseError

from .verify import verified


@dataclass
class Extraction:
    """What :func:`extract` returns: the validated release, the lines for the terminal and the review records."""

    release: Release
    notes: list[str]  # lines for the terminal: review flags and numbers not recorded
    review: list[dict] = field(default_factory=list)  # the review records written after the figures


def extract(
    text: str,
    release_id: str = "release",
    *,
    source: str = "<text>",
    year: int | None = None,
    period: str | None = None,
) -> Extraction:
    """Read a release text; return the validated release and the terminal notes.

    ``year`` is the year of period phrases the text names without one; ``period``
    the release's period when the text does not state it (``--year``, ``--period``).
    """
    from .build import Builder
    from .reader import Reader

    # a paragraph that states no period may continue the one before or return to the text's own: read both
    # ways, and keep the reading whose assumed periods the checks confirm for more figures
    best = None
    for policy in ("carry", "main"):
        reader = Reader(text, year=year, period=period, policy=policy).read()
        _refuse_unreadable(reader, source)
        b = Builder(reader)
        figures, breakdowns, statements = b.records()
        release, review = verified(
            b.meta(release_id), figures, breakdowns, statements, source=source
        )
        if best is None or len(release.figures) > len(best[0].figures):
            best = (release, review, reader)
        if not any(f.get("review_soft") for f in figures):
            break  # nothing was assumed: both readings are the same
    release, review, reader = best
    for n in reader.notes:
        review.append({"what": "number", "reason": n.text, "sentence": n.sentence})
    notes = [review_line(r) for r in review]
    return Extraction(release, notes, review)


def _refuse_unreadable(reader, source: str) -> None:
    if not reader.main_period and reader.notes:
        raise ReleaseError(
            source,
            [
                (
                    "text",
                    "the text states no period with a year (such as 'in the first quarter of 2021'), "
                    "and no headline, dateline or 'Published' date gives one.",
                    "pass --year YYYY (the year of the periods it names), or --period (e.g. --period 2021-Q1)",
                )
            ],
        )
    if not reader.drafts:
        raise ReleaseError(
            source,
            [
                (
                    "text",
                    "no trade figure found (no amount such as '180.24 billion yuan' or growth such as 'up 60.4%').",
                    "pass the text of a trade release",
                )
            ],
        )
    if not reader.main_period:
        raise ReleaseError(
            source,
            [
                (
                    "text",
                    "the text states no period (such as 'in the first quarter of 2021').",
                    "pass --period (e.g. --period 2021-Q1) if this is a release text",
                )
            ],
        )


def review_line(r: dict) -> str:
    """One stderr line for a review record: what was proposed, why it was not written, where."""
    if r["what"] == "number":
        return f"{r['reason']} — in: {_short(r['sentence'])}"
    numbers = ", ".join(f"{k} {r[k]}" for k in ("value", "yoy", "earlier_growth") if k in r)
    where = (
        r.get("period", "")
        if r["what"] == "figure"
        else f"{r.get('kind', '')} of {r.get('figure', '')}"
    )
    return f"review {r.get('id', '')}: {r['reason']} [{where}: {numbers}] — in: {_short(r.get('sentence', ''))}"


def _short(s: str, n: int = 90) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def dumps_with_review(ex: Extraction, header: str = "") -> str:
    """The release file's text: the release, then its ``[[review]]`` records (which loading ignores)."""
    import tomli_w

    from tradecalc.model.releasefile import dumps

    text = dumps(ex.release, header)
    if ex.review:
        text += (
            "\n# Proposed but not written: check each against the text (see the README, Extract).\n"
        )
        text += tomli_w.dumps({"review": ex.review}, multiline_strings=False)
    return text


def write_release(ex: Extraction, out: Path, *, force: bool, header: str) -> None:
    """Write atomically what loads back: the figures as validated, the review records after them."""
    from tradecalc.model.releasefile import atomic_write_bytes, loads

    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; pass --force to overwrite it")
    text = dumps_with_review(ex, header)
    loads(text, source=str(out))
    atomic_write_bytes(out, text.encode("utf-8"))
