"""The ``tradecalc`` command line.

Commands: ``derive``, ``check``, ``build``, ``pull``, ``extract`` and
``report`` (the main job: build the workbooks, print derived table and checks).
Heavy libraries (pandas, openpyxl, XlsxWriter, rich) are imported only by the
command that needs them, so ``--help`` is quick.

Exit codes:

* 0 fine (``check``: consistent or explained by rounding);
* 1 ``check`` found an inconsistency;
* 2 bad input (:class:`tradecalc.errors.TradecalcError`: the file, the line and
  the fix are printed) or a file the system would not let us read or write;
* 3 a bug in tradecalc (any other exception): said so, with how to report it;
* 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tradecalc.io.formats import REPORT_FORMATS, report_format

EXIT_OK, EXIT_INCONSISTENT, EXIT_BAD_INPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: Kept for callers of the old name: the report formats.
#: Longest line of an error message printed (a 200,000-character id is cut, saying so).
MESSAGE_LINE_CHARS = 600
#: Problems printed before "... and N more".
MESSAGE_LINES = 100


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tradecalc",
        description="The arithmetic of official trade releases: derive, check, build workbooks.",
    )
    from tradecalc import __version__

    p.add_argument("--version", action="version", version=f"tradecalc {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # one block per subcommand: a new command adds its own block (and an entry in COMMANDS)
    _table_command(sub, "derive", "print the derived table (base, change, share, pull, ...)")
    _table_command(
        sub, "check", "print the consistency checks; exit 1 if something is inconsistent"
    )

    b = sub.add_parser("build", help="write the template workbook from a release file")
    b.add_argument("release", nargs="?", help="a release file (.toml)")
    b.add_argument(
        "--series",
        nargs="+",
        metavar="RELEASE",
        help="instead: the series workbook of several releases (or folders), e.g. --series A.toml B.toml -o series.xlsx",
    )
    b.add_argument(
        "-o", "--output", help="workbook path (default: workbooks/<release id>.xlsm or .xlsx)"
    )
    b.add_argument(
        "--format",
        choices=("xlsm", "xlsx"),
        default=None,
        help="xlsm (with xlwings' VBA, default) or a macro-free xlsx",
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="overwrite a workbook whose figures were edited by hand",
    )
    b.add_argument(
        "--empty",
        action="store_true",
        help="write the empty template to type a release into (needs -o)",
    )

    pl = sub.add_parser("pull", help="write a workbook's figures back into a release file")
    pl.add_argument("workbook")
    pl.add_argument("-o", "--output", required=True, help="release file to write (.toml)")
    pl.add_argument("--force", action="store_true", help="overwrite an existing release file")

    e = sub.add_parser("extract", help="read a release text and write a release file")
    e.add_argument("text", help="the release as plain text")
    e.add_argument("-o", "--output", required=True, help="release file to write (.toml)")
    e.add_argument("--force", action="store_true", help="overwrite an existing release file")
    e.add_argument("--id", help="release id (default: the text file's name)")
    e.add_argument(
        "--year",
        type=int,
        help="the year of periods the text names without one ('in the first half')",
    )
    e.add_argument(
        "--period",
        help="the release's period when the text does not state it (2021-Q1, 2021-01/2021-08)",
    )

    from tradecalc.cli.series import add_series_parser

    add_series_parser(sub)

    r = sub.add_parser(
        "report", help="main job: build the workbooks, print the derived table and the checks"
    )
    r.add_argument("release", help="a release file (.toml)")
    r.add_argument(
        "--outdir",
        default=None,
        help="folder for the workbooks (default: beside workbooks/releases, i.e. workbooks/)",
    )
    r.add_argument("--force", action="store_true")
    return p


def _table_command(sub, name: str, helptext: str) -> None:
    c = sub.add_parser(name, help=helptext, description=helptext)
    c.add_argument("source", help="a release file (.toml) or a template workbook (.xlsx/.xlsm)")
    c.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default=None,
        help="table (default on screen), csv, json or markdown; CSV and JSON carry units and statuses "
        "(default with -o: from the file's suffix .csv/.json/.md, else table)",
    )
    c.add_argument("-o", "--output", help="write to this file instead of printing (- for stdout)")
    c.add_argument("--force", action="store_true", help="overwrite an existing output file")


def _load(source, progress, alongside=None):
    """A release file or a template workbook (:func:`tradecalc.load`), reporting progress."""
    from tradecalc import load

    return load(source, progress=progress, alongside=alongside)


def _import_quietly(modules) -> None:
    """Imports ``modules``; an error is left to the import that uses it, which reports it as usual."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            return


def _load_importing(source, progress, modules):
    """:func:`_load` with ``modules`` imported while the input is read, where they overlap on two cores.

    pandas and the analysis layer take about 0.2–0.3 s to import, nearly all of it
    holding the GIL. A workbook's python-calamine parse (about 0.17 s for 10^4
    figures) releases it, so the imports run on this thread while the parse runs
    in the reader's worker (``alongside``); imports started earlier would only
    compete with the workbook's safety checks, which hold the GIL too. A release
    file's reading has no such step, so its imports run in a thread from the
    start: ``derive`` of its 10^4-figure file took 1.13 s instead of 1.25 s
    (issue 16, medians of 7 interleaved runs). The modules are imported again
    where they are used: that waits for an import under way and reports an error.
    """
    import functools
    import threading

    from tradecalc.io.formats import is_workbook_name

    if is_workbook_name(Path(source)):
        return _load(source, progress, alongside=functools.partial(_import_quietly, modules))
    threading.Thread(
        target=_import_quietly, args=(modules,), name="tradecalc-imports", daemon=True
    ).start()
    return _load(source, progress)


def _derive_or_check(args) -> int:
    import tradecalc
    from tradecalc.cli import report
    from tradecalc.cli.outputs import output_path, write_output
    from tradecalc.io.progress import progress_for

    fmt = report_format(args.format, args.output)
    out = (
        output_path(args.output, args.command, inputs=[args.source], force=args.force)
        if args.output
        else None
    )
    analysis = (
        "tradecalc.analysis.derived_table"
        if args.command == "derive"
        else "tradecalc.analysis.checks"
    )
    with progress_for() as progress:
        release = _load_importing(args.source, progress, (analysis, "pandas"))
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
    # after the progress line is gone, so stdout holds only the output
    if out is None:
        sys.stdout.write(text)
    else:
        write_output(out, text)
    return code


def _checked_output(args, command: str, source, **kw):
    """``-o`` checked by the one set of output rules before the command's work starts."""
    from tradecalc.cli.outputs import output_path

    return output_path(args.output, command, inputs=[source], force=args.force, **kw)


def _build(args) -> int:
    from tradecalc.cli.build import build_command

    if args.series:
        from tradecalc.cli.series import build_series_command

        if args.release:
            raise ValueError(
                f"give either a release ({args.release}) or --series RELEASE ..., not both"
            )
        return build_series_command(args.series, args.output, force=args.force, fmt=args.format)
    if args.empty:
        if args.release:
            raise ValueError(f"give either a release ({args.release}) or --empty, not both")
        return build_command(
            None, output=args.output, fmt=args.format, force=args.force, empty=True
        )
    if not args.release:
        raise ValueError(
            "give a release file to build, --empty -o BOOK.xlsx for the empty template, "
            "or --series RELEASE ... for the series workbook"
        )

    if args.output is not None:
        from tradecalc.errors import problem
        from tradecalc.io.safety import check_workbook_file

        suffix = Path(args.output).suffix.lower().lstrip(".")
        if args.format and suffix in ("xlsx", "xlsm") and suffix != args.format:
            raise problem(
                args.output,
                f"the name says .{suffix} but --format is {args.format}.",
                f"name it .{args.format}, or leave out --format",
            )
        _checked_output(args, "build", args.release, inspect=check_workbook_file)

    return build_command(args.release, output=args.output, fmt=args.format, force=args.force)


def _pull(args) -> int:
    from tradecalc.cli.pull import pull_command

    out = _checked_output(args, "pull", args.workbook)
    if out.is_stdout:
        from tradecalc.cli.outputs import write_output
        from tradecalc.model.releasefile import dumps
        from tradecalc.workbook.reader import read_workbook

        release = read_workbook(Path(args.workbook))
        write_output(
            out,
            dumps(
                release, f"Pulled from the workbook {Path(args.workbook).name} by `tradecalc pull`."
            ),
        )
        return EXIT_OK

    return pull_command(args.workbook, args.output, force=args.force)


def _extract(args) -> int:
    from tradecalc.cli.extract import extract_command

    _checked_output(args, "extract", args.text)

    return extract_command(
        args.text,
        args.output,
        force=args.force,
        release_id=args.id,
        year=args.year,
        period=args.period,
    )


def _report(args) -> int:
    import tradecalc
    from tradecalc.analysis.checks import exit_code
    from tradecalc.cli import report
    from tradecalc.cli.build import build_command

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


COMMANDS = {
    "derive": _derive_or_check,
    "check": _derive_or_check,
    "build": _build,
    "pull": _pull,
    "extract": _extract,
    "report": _report,
}


def _series(args) -> int:
    from tradecalc.cli.series import series_command

    return series_command(args)


COMMANDS["series"] = _series


def _bounded(line: str, limit: int = MESSAGE_LINE_CHARS) -> str:
    """One message line, cut to ``limit`` characters (saying how long it was)."""
    return (
        line if len(line) <= limit else f"{line[:limit]}… (message cut: {len(line):,} characters)"
    )


def _print_error(error: BaseException) -> None:
    lines = str(error).splitlines() or [type(error).__name__]
    shown = [_bounded(line) for line in lines[:MESSAGE_LINES]]
    if len(lines) > MESSAGE_LINES:
        shown.append(f"... and {len(lines) - MESSAGE_LINES} more problems")
    print("error: " + "\n".join(shown), file=sys.stderr)


def _bad_input_types() -> tuple[type[BaseException], ...]:
    """What the command line reports as bad input (exit 2): tradecalc's own errors and refused file access."""
    from tradecalc.errors import TradecalcError
    from tradecalc.model.release import ReleaseError  # until it derives from BadInput

    return (
        TradecalcError,
        ReleaseError,
        FileExistsError,
        FileNotFoundError,
        IsADirectoryError,
        NotADirectoryError,
        PermissionError,
    )


def _deliberate_value_error(error: BaseException) -> bool:
    """A plain ``ValueError`` raised by tradecalc's own code (a refusal not yet written as ``BadInput``).

    Transitional: several refusals in the workbook and extract packages still raise ``ValueError``
    (see the integrator's list); one raised inside numpy, pandas, openpyxl or the standard library
    is a bug in how tradecalc called it, and is reported as one.
    """
    if isinstance(error, ValueError) and type(error).__module__.startswith("tradecalc."):
        return True  # a ValueError class of tradecalc's own (SeriesError): a refusal by definition
    if type(error) is not ValueError or error.__traceback__ is None:
        return False
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    here = Path(__file__).resolve().parent.parent  # the tradecalc package
    try:
        Path(tb.tb_frame.f_code.co_filename).resolve().relative_to(here)
    except ValueError:
        return False
    return True


def main(argv=None) -> int:
    """Run the ``tradecalc`` command ``argv``; the exit code: 0 ok, 1 inconsistent, 2 bad input, 3 a bug, 130 interrupted."""
    args = _parser().parse_args(argv)
    from tradecalc.cli.allocator import hold_mmap_threshold

    hold_mmap_threshold()
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as e:
        if isinstance(e, _bad_input_types()) or _deliberate_value_error(e):
            _print_error(e)
            return EXIT_BAD_INPUT
        if os.environ.get("TRADECALC_DEBUG"):
            raise
        # not the input's fault: say it is a bug rather than "bad input"
        print(
            _bounded(
                f"error: internal error (a bug in tradecalc, not a problem with your input): "
                f"{type(e).__name__}: {e}"
            ),
            file=sys.stderr,
        )
        print(
            "Run again with TRADECALC_DEBUG=1 for the traceback and report it with the input file.",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
