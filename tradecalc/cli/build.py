"""``tradecalc build``: the template workbook from a release file (or the empty template)."""

from __future__ import annotations

import sys
from pathlib import Path

from tradecalc.cli.outputs import output_path
from tradecalc.errors import problem, quote
from tradecalc.io.atomic import atomic_write, file_state
from tradecalc.io.formats import WORKBOOK_FORMATS as FORMATS
from tradecalc.workbook.guard import refuse_if_edited, refuse_unreadable
from tradecalc.workbook.writer import (
    DEFAULT_FORMAT,
    build_workbook,
    default_output,
    empty_release,
)


def build_command(
    release_path, output=None, fmt=None, force=False, outdir=None, *, empty=False
) -> int:
    """Build the template workbook from a release file (or the empty template); 0 on success.

    ``empty=True`` (``tradecalc build --empty -o book.xlsx``) writes the empty
    template: the four Tables with their headers and one blank row each (the
    Figures row carrying the calculated columns), ready to type a release in;
    ``release_path`` is then unused and ``output`` is required.

    Raises ReleaseError (bad release), ValueError (bad format/path) or
    FileExistsError (a workbook with edits in the way) for the CLI to print.
    """
    import tradecalc

    if empty and output is None:
        raise problem(
            "-o",
            "the empty template needs an output name.",
            "tradecalc build --empty -o book.xlsx",
            where="option",
        )
    release_path = Path(release_path) if release_path is not None else None
    if output is not None:
        suffix = Path(output).suffix.lower().lstrip(".")
        if fmt is not None and suffix in FORMATS and fmt != suffix:
            raise problem(
                output,
                f"the name says .{suffix} but --format is {fmt}.",
                f"name it .{fmt}, or leave out --format",
            )
        fmt = suffix if suffix in FORMATS else fmt
    fmt = fmt or DEFAULT_FORMAT
    if fmt not in FORMATS:
        raise problem(
            "--format", f"unknown format {quote(fmt)}.", "use xlsm or xlsx", where="option"
        )
    release = empty_release() if empty else tradecalc.load(release_path)
    out = Path(output) if output is not None else default_output(release, release_path, fmt, outdir)
    # The same output rules as every command; an existing workbook of ours is inspected by
    # the edit check below rather than refused outright.
    output_path(out, "build", inputs=[release_path] if release_path else [], force=True)
    vba = None
    if fmt == "xlsm":
        from tradecalc.workbook.vba import xlwings_vba_project

        vba, _ = xlwings_vba_project()
    # The state is taken before the workbook is built and the old one inspected, so a save in
    # Excel before the rename is seen by the writer and refused instead of overwritten (14.9).
    state = file_state(out)

    def verify(built: Path) -> None:
        refuse_unreadable(built, out)
        if out.exists() and not force:
            refuse_if_edited(out, release, release_path, built=built)  # read there, not in memory

    # written straight into the temporary file of the atomic write: the workbook is never
    # held whole in memory (50 MB at 10^5 figures, issue 16)
    atomic_write(
        out,
        lambda fh: build_workbook(release, fmt, vba_project=vba, into=fh),
        unchanged_since=state,
        verify=verify,
    )
    print(f"wrote {out} ({len(release.figures)} figures, {fmt})", file=sys.stderr)
    return 0
