"""``tradecalc build``: the template workbook, regenerated from a release file.

``build_command("workbooks/releases/chongqing-2021-q1.toml")`` writes
``workbooks/chongqing-2021-q1.xlsm``: the release's figures as Excel Tables,
the Derived and Checks sheets as formulas calling the tradecalc UDFs (each
with the value tradecalc computes cached in the cell), charts, a front page,
the ``xlwings.conf`` sheet and, in the .xlsm, xlwings' VBA project taken from
the installed xlwings (:mod:`tradecalc.workbook.vba`). ``fmt="xlsx"`` writes
the macro-free copy (xlwings Lite, Excel on the web, viewers).

Safety:

* the file is written whole to a temporary file beside the target and renamed
  over it (:func:`tradecalc.model.releasefile.atomic_write_bytes`): an interrupted
  build leaves the previous workbook as it was;
* a workbook whose data tables were edited since it was built (its content no
  longer matches the fingerprint stored in it at build time, nor the release
  file) is not overwritten without ``force``; the message says how to keep the
  edits (``tradecalc pull``);
* the output is deterministic: the same release gives the same bytes (fixed
  document dates, taken from the release's publication date).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from tradecalc.errors import TradecalcError, problem
from tradecalc.io.formats import WORKBOOK_FORMATS as FORMATS
from tradecalc.model.release import Release

DEFAULT_FORMAT = "xlsm"
#: Custom document property holding the fingerprint of the release as built.
FINGERPRINT_PROPERTY = "tradecalc-release-sha256"
#: Excel's calculation engine id (Excel 2019/365). An older id makes Excel
#: recalculate every formula on open, which without the add-in would replace
#: the cached values by #NAME?.
EXCEL_CALC_ID = 191029
_FALLBACK_DATE = _dt.datetime(2000, 1, 1)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


# ------------------------------------------------------------------------------ the workbook


def fingerprint(release: Release) -> str:
    """SHA-256 of the release as a release file would hold it (numbers as printed)."""
    from tradecalc.model.releasefile import to_dict

    text = json.dumps(_without_negative_zeros(to_dict(release)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_NEGATIVE_ZERO = re.compile(r"^-(0+(?:\.0*)?%?)$")


def _without_negative_zeros(x):
    """ "-0.0%" and "-0.00" as "0.0%" and "0.00": a cell holds no negative zero, so a rebuild compares equal."""
    if isinstance(x, dict):
        return {k: _without_negative_zeros(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_without_negative_zeros(v) for v in x]
    if isinstance(x, str):
        m = _NEGATIVE_ZERO.match(x.strip())
        return m.group(1) if m else x
    if isinstance(x, float) and x == 0.0:
        return 0.0
    return x


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
) -> bytes:
    """The template workbook of ``release`` as bytes (.xlsx, or .xlsm with ``vba_project``).

    ``functions``: the add-in's function reference for the About sheet; by
    default the copy kept as data in the core
    (:func:`tradecalc.workbook.functions.function_reference`), so a build never imports the add-in.
    ``streamed``: the big sheets' cells (Figures, Derived, Checks) are written by
    :mod:`tradecalc.workbook.sheetdata` (about 5× faster than through XlsxWriter); False
    writes every cell through XlsxWriter, the reference the tests compare a streamed build with.
    """
    import xlsxwriter

    from tradecalc.analysis.checks import check
    from tradecalc.analysis.derived_table import derive
    from tradecalc.analysis.status import STATUSES
    from tradecalc.workbook.charts import write_charts
    from tradecalc.workbook.formulas import checks_grid
    from tradecalc.workbook.sheets import (
        Formats,
        PreparedFormulaWorksheet,
        StreamedWorksheet,
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
    derived = derive(release)
    checks = check(release)

    out = io.BytesIO()
    # in_memory: zip entries get a fixed timestamp, so the bytes are reproducible.
    wb = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
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
    counts = checks["status"].value_counts()
    summary = {
        "figures": len(release.figures),
        "checks": len(checks),
        "statuses": ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts.index)
        or "none",
    }
    write_about(wb, F, release, summary, functions)
    write_charts(wb, F, release, checks)
    write_figures(wb, F, release, derived)
    write_derived(wb, F, release, derived)
    write_checks(wb, F, release, checks_grid(checks))
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
    wb.close()
    if not streamed:
        return out.getvalue()
    from tradecalc.workbook.sheetdata import splice

    bulk = {ws.marker: ws.bulk for ws in wb.worksheets() if getattr(ws, "bulk", None)}
    return splice(out.getvalue(), {m: b for m, b in bulk.items() if b.columns})


# ------------------------------------------------------------------------------ safety


def stored_fingerprint(path: Path) -> str | None:
    """The fingerprint a workbook was built with (None if it has none)."""
    import defusedxml.ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            if "docProps/custom.xml" not in z.namelist():
                return None
            root = ET.fromstring(z.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, OSError, ET.ParseError):
        return None
    for prop in root:
        if prop.get("name") == FINGERPRINT_PROPERTY:
            for child in prop:
                return (child.text or "").strip()
    return None


def _differences(existing: Release, release: Release, limit: int = 4) -> str:
    from tradecalc.model.releasefile import to_dict

    old, new = to_dict(existing), to_dict(release)
    oldf = {f["id"]: f for f in old.get("figures", [])}
    newf = {f["id"]: f for f in new.get("figures", [])}
    notes = []
    for fid, rec in oldf.items():
        if fid not in newf:
            notes.append(f"figure {fid!r} is not in the release file")
        elif rec != newf[fid]:
            keys = sorted(k for k in set(rec) | set(newf[fid]) if rec.get(k) != newf[fid].get(k))
            notes.append(
                f"figure {fid!r} differs in {', '.join(keys)} (workbook {', '.join(f'{k}={rec.get(k)!r}' for k in keys[:2])})"
            )
    notes += [f"figure {fid!r} is missing from the workbook" for fid in newf if fid not in oldf]
    for part in ("release", "breakdowns", "statements"):
        if old.get(part) != new.get(part):
            notes.append(f"its {part} table differs")
    more = f" and {len(notes) - limit} more" if len(notes) > limit else ""
    return "; ".join(notes[:limit]) + more if notes else "its tables differ"


def _same_release(a: Release, b: Release) -> bool:
    from tradecalc.model.releasefile import to_dict

    return _without_negative_zeros(to_dict(a)) == _without_negative_zeros(to_dict(b))


#: The sheets a build writes; any other sheet in an existing workbook is the user's.
BUILT_SHEETS = (
    "About",
    "Charts",
    "Figures",
    "Derived",
    "Checks",
    "Breakdowns",
    "Statements",
    "Release",
    "xlwings.conf",
)
#: Sheets holding only their Table: a value outside the Table there is the user's note.
TABLE_SHEETS = ("Figures", "Breakdowns", "Statements", "Release")


def user_content(path: Path, limit: int = 4) -> list[str]:
    """What a rebuild would lose besides the Tables: the user's own sheets, notes beside a Table.

    Read with openpyxl in read-only mode; a sheet's cells outside its Table
    are looked at only on the sheets that hold nothing else.
    """
    from openpyxl.utils.cell import range_boundaries

    from tradecalc.workbook.reader import _Book

    found: list[str] = []
    book = _Book(path)
    try:
        tables = book.tables()
        for ws in book.worksheets:
            if ws.title not in BUILT_SHEETS:
                found.append(f"the sheet {ws.title!r}")
        for name in TABLE_SHEETS:
            hit = tables.get(name)
            if hit is None or hit[0].title != name:
                continue
            c0, r0, c1, r1 = range_boundaries(hit[1].ref)
            for row in hit[0].iter_rows():
                for cell in row:
                    v = getattr(cell, "value", None)
                    if v is None or v == "" or not hasattr(cell, "row"):
                        continue
                    if not (r0 <= cell.row <= r1 and c0 <= cell.column <= c1):
                        found.append(f"{name}!{cell.coordinate} ({str(v)[:30]!r})")
                        break
                if len(found) > limit:
                    break
    finally:
        book.close()
    return found


def refuse_if_edited(path: Path, release: Release, release_path: str | Path | None = None) -> None:
    """Raise FileExistsError if the workbook at ``path`` holds edits the build would lose.

    Edits are the Tables' content (the release) and, besides the Tables, the
    user's own sheets and notes typed beside a Table (issue 14.6).
    """
    from tradecalc.workbook.reader import read_workbook

    keep = f"tradecalc pull {path} -o RELEASE.toml"
    try:
        existing = read_workbook(path)
    except TradecalcError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise FileExistsError(
            f"{path} exists and cannot be read as a template workbook ({first}); "
            f"pass --force to overwrite it"
        ) from None
    extra = user_content(path)
    if extra:
        more = " and more" if len(extra) > 4 else ""
        raise FileExistsError(
            f"{path} holds content of your own that a rebuild would lose: {', '.join(extra[:4])}{more}. "
            f"Move it to another workbook, or pass --force to overwrite the workbook."
        )
    now = fingerprint(existing)
    if (
        now == fingerprint(release)
        or now == stored_fingerprint(path)
        or _same_release(existing, release)
    ):
        return  # nothing typed into it since it was built (or it already holds this release)
    src = f" {release_path}" if release_path else " the release file"
    raise FileExistsError(
        f"{path} was edited since it was built and differs from{src}: {_differences(existing, release)}. "
        f"Building would lose those edits: keep them with `{keep}` (then build from that file), "
        f"or pass --force to overwrite the workbook."
    )


def refuse_unreadable(data: bytes, out: Path) -> None:
    """Raise BadInput if tradecalc's own readers would refuse the workbook ``data``.

    The readers bound what they unpack (:func:`tradecalc.io.safety.check_workbook_file`:
    file size, inflated size, cells, members); the same check runs here on the
    built bytes, so ``build`` never writes a workbook ``derive``/``check``/``pull``
    call a zip bomb. With this layout a figure inflates to about 2.3 kB
    (10,000 figures: 22 MiB).
    """
    import os
    import tempfile

    from tradecalc.io.safety import check_workbook_file

    fd, tmp = tempfile.mkstemp(suffix=out.suffix or ".xlsx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            check_workbook_file(tmp)
        except TradecalcError as e:
            reason = e.problems[0].message if e.problems else str(e)
            raise problem(
                out,
                f"not written: tradecalc's readers would refuse this workbook ({reason})",
                "split the release into smaller ones",
            ) from None
    finally:
        os.unlink(tmp)


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
