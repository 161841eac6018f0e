"""The ``tradecalc`` command line.

Commands: ``derive``, ``check``, ``build``, ``pull``, ``extract`` and
``report`` (the main job: build the workbooks, print derived table and checks).
Exit codes: 0 fine (``check``: consistent or explained by rounding), 1 an
inconsistency, 2 bad input. Heavy libraries (pandas, openpyxl, XlsxWriter)
are imported only by the command that needs them, so ``--help`` is quick.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_INCONSISTENT, EXIT_BAD_INPUT = 0, 1, 2
FORMATS = ("table", "csv", "json", "markdown")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tradecalc", description="The arithmetic of official trade releases: derive, check, build workbooks.")
    p.add_argument("--version", action="version", version="tradecalc 0.1.0")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, helptext in (("derive", "print the derived table (base, change, share, pull, ...)"),
                           ("check", "print the consistency checks; exit 1 if something is inconsistent")):
        c = sub.add_parser(name, help=helptext, description=helptext)
        c.add_argument("source", help="a release file (.toml) or a template workbook (.xlsx/.xlsm)")
        c.add_argument("--format", choices=FORMATS, default=None,
                       help="table (default on screen), csv, json or markdown; CSV and JSON carry units and statuses "
                            "(default with -o: from the file's suffix .csv/.json/.md, else table)")
        c.add_argument("-o", "--output", help="write to this file instead of printing")

    b = sub.add_parser("build", help="write the template workbook from a release file")
    b.add_argument("release", help="a release file (.toml)")
    b.add_argument("-o", "--output", help="workbook path (default: workbooks/<release id>.xlsm or .xlsx)")
    b.add_argument("--format", choices=("xlsm", "xlsx"), default=None, help="xlsm (with xlwings' VBA, default) or a macro-free xlsx")
    b.add_argument("--force", action="store_true", help="overwrite a workbook whose figures were edited by hand")

    pl = sub.add_parser("pull", help="write a workbook's figures back into a release file")
    pl.add_argument("workbook")
    pl.add_argument("-o", "--output", required=True, help="release file to write (.toml)")
    pl.add_argument("--force", action="store_true", help="overwrite an existing release file")

    e = sub.add_parser("extract", help="read a release text and write a release file")
    e.add_argument("text", help="the release as plain text")
    e.add_argument("-o", "--output", required=True, help="release file to write (.toml)")
    e.add_argument("--force", action="store_true", help="overwrite an existing release file")
    e.add_argument("--id", help="release id (default: the text file's name)")
    e.add_argument("--year", type=int, help="the year of periods the text names without one ('in the first half')")
    e.add_argument("--period", help="the release's period when the text does not state it (2021-Q1, 2021-01/2021-08)")

    r = sub.add_parser("report", help="main job: build the workbooks, print the derived table and the checks")
    r.add_argument("release", help="a release file (.toml)")
    r.add_argument("--outdir", default=None, help="folder for the workbooks (default: beside workbooks/releases, i.e. workbooks/)")
    r.add_argument("--force", action="store_true")
    return p


_SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}


def _output_format(args) -> str:
    if args.format:
        return args.format
    if args.output:
        return _SUFFIX_FORMATS.get(Path(args.output).suffix.lower(), "table")
    return "table"


def _emit(text: str, output: str | None) -> None:
    if output:
        from tradecalc.model.releasefile import atomic_write_bytes

        atomic_write_bytes(Path(output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)


def _load(source, progress):
    """A release file or a template workbook, reporting progress on workbooks."""
    import tradecalc
    from tradecalc.workbook.reader import is_workbook, read_workbook

    path = Path(source)
    if is_workbook(path) and path.exists():
        return read_workbook(path, progress=progress)
    progress.phase(f"reading {path.name}")
    return tradecalc.load(path)


def _derive_or_check(args) -> int:
    import tradecalc
    from tradecalc.cli import report
    from tradecalc.io.progress import progress_for

    fmt = _output_format(args)
    if args.output and Path(args.output).exists() and Path(args.output).resolve() == Path(args.source).resolve():
        raise ValueError(f"{args.output}: this is the input itself; write the {args.command} output to another file")
    with progress_for() as progress:
        release = _load(args.source, progress)
        n = len(release.figures)
        if args.command == "derive":
            progress.phase(f"deriving {n} figures")
            text = report.render_derived(tradecalc.derive(release), fmt, release)
            code = EXIT_OK
        else:
            from tradecalc.analysis.checks import exit_code

            progress.phase(f"checking {n} figures")
            table = tradecalc.check(release)
            text = report.render_checks(table, fmt, release)
            code = exit_code(table)
    _emit(text, args.output)  # after the progress line is gone, so stdout holds only the output
    return code


def _build(args) -> int:
    from tradecalc.workbook.writer import build_command

    return build_command(args.release, output=args.output, fmt=args.format, force=args.force)


def _pull(args) -> int:
    from tradecalc.workbook.reader import pull_command

    return pull_command(args.workbook, args.output, force=args.force)


def _extract(args) -> int:
    from tradecalc.extract import extract_command

    return extract_command(args.text, args.output, force=args.force, release_id=args.id, year=args.year, period=args.period)


def _report(args) -> int:
    import tradecalc
    from tradecalc.cli import report
    from tradecalc.analysis.checks import exit_code
    from tradecalc.workbook.writer import build_command

    release_path = Path(args.release)
    outdir = Path(args.outdir) if args.outdir else release_path.resolve().parent.parent
    for fmt in ("xlsx", "xlsm"):
        rc = build_command(str(release_path), output=None, fmt=fmt, force=args.force, outdir=outdir)
        if rc:
            return rc
    release = tradecalc.load(release_path)
    sys.stdout.write(report.render_derived(tradecalc.derive(release), "table", release))
    table = tradecalc.check(release)
    sys.stdout.write(report.render_checks(table, "table", release))
    counts = table["status"].value_counts().to_dict()
    sys.stdout.write("summary: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + "\n")
    return exit_code(table)


COMMANDS = {"derive": _derive_or_check, "check": _derive_or_check, "build": _build, "pull": _pull, "extract": _extract, "report": _report}


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from tradecalc.model.release import ReleaseError

    try:
        return COMMANDS[args.command](args)
    except ReleaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (FileExistsError, FileNotFoundError, IsADirectoryError, PermissionError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug or an unforeseen hostile input: one line, not a traceback
        if os.environ.get("TRADECALC_DEBUG"):
            raise
        print(f"error: {type(e).__name__}: {e} (set TRADECALC_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
