"""``tradecalc extract``: a release text read into a release file; notes go to stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecalc.cli.outputs import output_path
from tradecalc.extract import extract, write_release
from tradecalc.model.release import ReleaseError


def extract_command(
    text_path,
    output,
    force: bool = False,
    release_id: str | None = None,
    year: int | None = None,
    period: str | None = None,
) -> int:
    """CLI entry: read ``text_path``, write the release file ``output``; notes go to stderr."""
    path = Path(text_path)
    if not path.exists():
        raise ReleaseError(str(path), [("file", "no such file.", "check the path")])
    out = Path(output)
    output_path(out, "extract", inputs=[path], force=force)
    from tradecalc.io.safety import EXTRACT_SECONDS, deadline, read_release_text

    text = read_release_text(path)  # size limit; PDF, workbook and binary files refused by name
    rid = release_id or path.stem
    with deadline(EXTRACT_SECONDS, path, "reading the text", "pass the text of one trade release"):
        ex = extract(text, rid, source=str(path), year=year, period=period)
    header = (
        f"Extracted by `tradecalc extract` from {path.name}.\n"
        "Every number is as printed in the text; each record keeps its sentence.\n"
        f"Not written as figures: {len(ex.review)} record(s) under [[review]] at the end, each with its reason.\n"
        "Check them against the text; move a record into [[figures]] by hand once it is right."
    )
    write_release(ex, out, force=force, header=header)
    for line in ex.notes:
        print(line, file=sys.stderr)
    f = ex.release.figures
    print(
        f"wrote {out}: {len(f)} figures, {len(ex.release.breakdowns)} breakdowns, {len(ex.release.statements)} statements"
        f"{'; ' + str(len(ex.notes)) + ' note(s) above' if ex.notes else ''}",
        file=sys.stderr,
    )
    return 0
