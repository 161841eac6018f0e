"""What a rebuild would lose: the edit checks ``tradecalc build`` runs before it replaces a workbook.

``tradecalc build`` writes the whole workbook anew. Before it replaces an
existing one (without ``--force``), :func:`refuse_if_edited` raises
``FileExistsError`` naming what would be lost:

* the Tables' content, when it differs from the release being built and from
  the fingerprint stored at build time (:func:`fingerprint`,
  :func:`stored_fingerprint`): the user typed figures in (keep them with
  ``tradecalc pull``);
* the user's own sheets and notes typed beside a Table (:func:`user_content`);

:func:`refuse_unreadable` refuses to write a workbook that tradecalc's own
readers would refuse (a zip-bomb-sized release).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from tradecalc.errors import TradecalcError, problem
from tradecalc.model.release import Release

#: Custom document property holding the fingerprint of the release as built.
FINGERPRINT_PROPERTY = "tradecalc-release-sha256"


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
