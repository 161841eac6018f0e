"""``tradecalc pull``: a workbook's figures written back into a release file."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecalc.cli.outputs import output_path
from tradecalc.workbook.reader import read_workbook


def pull_command(workbook, output, force: bool = False, *, stream=None) -> int:
    """``tradecalc pull``: write a workbook's figures back into a release file.

    The reverse of ``build``: numbers are written as printed at their
    (published or inferred) precision, so ``build`` on the pulled file gives a
    workbook with the same figures. Refuses to overwrite ``output`` unless
    ``force`` (FileExistsError, exit 2 in the CLI).
    """
    from tradecalc.io.progress import progress_for
    from tradecalc.model.releasefile import save

    stream = stream or sys.stdout
    workbook, output = Path(workbook), Path(output)
    output_path(output, "pull", inputs=[workbook], force=force)
    with progress_for() as progress:
        release = read_workbook(workbook, progress=progress)
    header = (
        f"Pulled from the workbook {workbook.name} by `tradecalc pull`.\n"
        "Numbers are written as printed; a figure whose precision was inferred says so in its review."
    )
    save(release, output, force=force, header=header)
    notes = sum(1 for f in release.figures if "precision" in f.review)
    stream.write(
        f"wrote {output}: {len(release.figures)} figures, {len(release.breakdowns)} breakdowns, "
        f"{len(release.statements)} statements"
        + (f"; {notes} with inferred or unknown precision (see their review)" if notes else "")
        + "\n"
    )
    return 0
