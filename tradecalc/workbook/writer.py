"""``tradecalc build``: the template workbook, regenerated from a release file.

``build_command("workbooks/releases/chongqing-2021-q1.toml")`` writes
``workbooks/chongqing-2021-q1.xlsm``: the release's figures as Excel Tables,
the Derived and Checks sheets as formulas calling the tradecalc UDFs (each
with the value tradecalc computes cached in the cell), charts, a front page,
the ``xlwings.conf`` sheet and, in the .xlsm, xlwings' VBA project taken from
the installed xlwings (:mod:`tradecalc.workbook.vba`). ``fmt="xlsx"`` writes
the macro-free copy (xlwings Lite, Excel on the web, viewers).

Safety:

* the workbook is streamed into a temporary file beside the target as it is made,
  checked there and renamed over the target (:func:`tradecalc.io.atomic.atomic_write`):
  an interrupted build leaves the previous workbook as it was;
* a workbook whose data tables were edited since it was built (its content no
  longer matches the fingerprint stored in it at build time, nor the release
  file) is not overwritten without ``force``; the message says how to keep the
  edits (``tradecalc pull``);
* the output is deterministic: the same release gives the same bytes (fixed
  document dates, taken from the release's publication date).
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections import Counter
from pathlib import Path

from tradecalc.io.formats import WORKBOOK_FORMATS as FORMATS
from tradecalc.io.scratch import scratch_folder
from tradecalc.model.release import Release
from tradecalc.workbook.guard import FINGERPRINT_PROPERTY, fingerprint

DEFAULT_FORMAT = "xlsm"
#: Excel's calculation engine id (Excel 2019/365). An older id makes Excel
#: recalculate every formula on open, which without the add-in would replace
#: the cached values by #NAME?.
EXCEL_CALC_ID = 191029
_FALLBACK_DATE = _dt.datetime(2000, 1, 1)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


# ------------------------------------------------------------------------------ the workbook


def empty_release() -> Release:
    """The release of the empty template: the Release keys with no values, no figures."""
    from tradecalc.model.release import RELEASE_KEYS

    return Release(meta={k: "" for k in RELEASE_KEYS}, figures=[], source="empty template")


def _created(release: Release) -> _dt.datetime:
    try:
        return _dt.datetime.strptime(str(release.meta.get("published", ""))[:10], "%Y-%m-%d")
    except ValueError:
        return _FALLBACK_DATE


def build_workbook(
    release: Release,
    fmt: str = "xlsx",
    *,
    vba_project: bytes | None = None,
    functions: list[dict] | None = None,
    streamed: bool = True,
    into=None,
) -> bytes | None:
    """The template workbook of ``release`` as bytes (.xlsx, or .xlsm with ``vba_project``).

    ``functions``: the add-in's function reference for the About sheet; by
    default the copy kept as data in the core
    (:func:`tradecalc.workbook.functions.function_reference`), so a build never imports the add-in.
    ``streamed``: the big sheets' cells (Figures, Derived, Checks) are written by
    :mod:`tradecalc.workbook.sheetdata` (about 5× faster than through XlsxWriter); False
    writes every cell through XlsxWriter, the reference the tests compare a streamed build with.
    ``into``: a binary file the workbook is written into, a piece at a time (None is then
    returned): ``tradecalc build`` writes the temporary file of its atomic write so, and
    never holds the 50 MB of a 10^5-figure workbook (issue 16).
    """
    if not streamed:
        return _build_workbook(release, fmt, vba_project, functions, into, None)
    with scratch_folder() as parts:
        return _build_workbook(release, fmt, vba_project, functions, into, parts)


def _build_workbook(release, fmt, vba_project, functions, into, parts) -> bytes | None:
    """:func:`build_workbook`; ``parts``: the scratch folder XlsxWriter writes the file's parts
    in (streamed, None: every cell through XlsxWriter, the parts held in memory)."""
    import xlsxwriter

    from tradecalc.analysis.checks import check_columns
    from tradecalc.analysis.derived_table import derived_fields
    from tradecalc.analysis.status import STATUSES
    from tradecalc.workbook.charts import CHARTS_SHEET, write_charts
    from tradecalc.workbook.formulas import DERIVED_VIEW_COLUMNS, checks_grid
    from tradecalc.workbook.layout import (
        ABOUT_SHEET,
        BREAKDOWNS_SHEET,
        CHECKS_SHEET,
        DERIVED_SHEET,
        FIGURES_SHEET,
        RELEASE_SHEET,
        STATEMENTS_SHEET,
        XLWINGS_CONF_SHEET,
    )
    from tradecalc.workbook.sheets import (
        Formats,
        PreparedFormulaWorksheet,
        StreamedWorksheet,
        add_sheets,
        write_about,
        write_breakdowns,
        write_checks,
        write_derived,
        write_figures,
        write_release,
        write_statements,
        write_xlwings_conf,
    )

    if fmt not in FORMATS:
        raise ValueError(f"unknown workbook format {fmt!r}; use one of {', '.join(FORMATS)}")
    # the tables as columns, not DataFrames: a build never imports pandas (42 MiB, issue 16)
    checks = check_columns(release)

    out = io.BytesIO()
    streamed = parts is not None
    # in_memory: zip entries get a fixed timestamp, so the bytes are reproducible. A streamed
    # build's members are all written again by splice, with that timestamp: XlsxWriter may
    # then write its parts to files (in a scratch folder, removed even after a kill), and
    # never holds the shared strings' XML (26 MiB while closing a 10^5-figure workbook).
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": not streamed,
            "tmpdir": str(parts) if streamed else None,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": False,
        },
    )
    # the same file, without XlsxWriter's no-op formula rewrites (and with streamed sheets)
    wb.worksheet_class = StreamedWorksheet if streamed else PreparedFormulaWorksheet
    meta = release.meta
    wb.set_properties(
        {
            "title": str(meta.get("title", ""))[:250],
            "subject": f"{meta.get('id', '')}: figures, derived numbers and consistency checks",
            "author": str(meta.get("publisher", ""))[:250],
            "company": "",
            "comments": "Generated by tradecalc build from the release file; regenerate rather than edit the formulas.",
            "created": _created(release),
        }
    )
    wb.set_custom_property(FINGERPRINT_PROPERTY, fingerprint(release), "text")
    wb.set_calc_mode("auto", calc_id=EXCEL_CALC_ID)
    wb.calc_on_load = False  # keep the cached values: no forced full recalculation on open
    if fmt == "xlsm":
        if vba_project is None:
            raise ValueError(
                "an .xlsm needs xlwings' VBA project; build with --format xlsx for a macro-free copy"
            )
        wb.add_vba_project(io.BytesIO(vba_project), is_stream=True)
        wb.set_vba_name("ThisWorkbook")

    F = Formats(wb)
    counts = Counter(checks["status"])
    summary = {
        "figures": len(release.figures),
        "checks": len(checks["check"]),
        "statuses": ", ".join(f"{counts[s]} {s}" for s in STATUSES if s in counts) or "none",
    }
    add_sheets(
        wb,
        (ABOUT_SHEET, CHARTS_SHEET, FIGURES_SHEET, DERIVED_SHEET, CHECKS_SHEET, BREAKDOWNS_SHEET)
        + (STATEMENTS_SHEET, RELEASE_SHEET, XLWINGS_CONF_SHEET),
    )
    # Each table is freed once its sheets are written, and the big sheets' rows are rendered
    # to a temporary file as they are written (SheetData.seal): at 10^5 figures the checks
    # table (33 MiB) is gone before the figures' cells are made (issue 16). So the Checks sheet
    # is written before the Figures sheet it follows.
    write_about(wb, F, release, summary, functions)
    write_charts(wb, F, release, checks)
    grid = checks_grid(checks)
    del checks
    write_checks(wb, F, release, grid)
    del grid
    derived = derived_fields(release)
    write_figures(wb, F, release, derived)
    # the Derived sheet shows the derived numbers only (its ids are the figures'): the other
    # columns are freed first (8 MiB at 10^5 figures)
    derived = {c: derived[c] for c in DERIVED_VIEW_COLUMNS if c != "id"}
    write_derived(wb, F, release, derived)
    del derived
    write_breakdowns(wb, F, release)
    write_statements(wb, F, release)
    write_release(wb, F, release)
    write_xlwings_conf(wb, F)
    if fmt == "xlsm":
        from tradecalc.workbook.vba import check_code_names

        for i, ws in enumerate(wb.worksheets(), start=1):
            ws.set_vba_name(f"Sheet{i}")
        # every document module of the project belongs to the workbook or one of its sheets
        check_code_names(vba_project, wb.vba_codename, [ws.vba_codename for ws in wb.worksheets()])
    _close(wb)
    if not streamed:
        if into is None:
            return out.getvalue()
        into.write(out.getbuffer())
        return None
    from tradecalc.workbook.sheetdata import splice

    bulk = {ws.marker: ws.bulk for ws in wb.worksheets() if getattr(ws, "bulk", None)}
    return splice(out.getvalue(), {m: b for m, b in bulk.items() if b}, into)


def _close(wb) -> None:
    """``wb.close()``, a failure to write its parts (a full disk) raised as the OSError it is.

    XlsxWriter wraps it in ``FileCreateError``; as an OSError the command says the file could
    not be written, and why, instead of calling it a bug of tradecalc.
    """
    from xlsxwriter.exceptions import FileCreateError

    try:
        wb.close()
    except FileCreateError as e:
        cause = e.args[0] if e.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise


# ------------------------------------------------------------------------------ command


def default_output(release: Release, release_path: Path, fmt: str, outdir=None) -> Path:
    """``<outdir>/<release id>.<fmt>``; outdir defaults to the folder above ``releases/``."""
    rid = str(release.meta.get("id", "") or "")
    if not _SAFE_ID.match(rid):
        rid = release_path.stem
    if outdir is not None:
        folder = Path(outdir)
    elif release_path.parent.name == "releases":
        folder = release_path.parent.parent
    else:
        folder = Path("workbooks")
    return folder / f"{rid}.{fmt}"
