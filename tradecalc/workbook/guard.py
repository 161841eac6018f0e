"""What a rebuild would lose: the edit checks ``tradecalc build`` runs before it replaces a workbook.

``tradecalc build`` writes the whole workbook anew. Before it replaces an
existing one (without ``--force``), :func:`refuse_if_edited` raises
``FileExistsError`` naming what would be lost:

* the Tables' content, when it differs from the release being built and from
  the fingerprint stored at build time (:func:`fingerprint`,
  :func:`stored_fingerprint`): the user typed figures in (keep them with
  ``tradecalc pull``);
* the user's own sheets and notes typed beside a Table (:func:`user_content`);
* the cells of the Derived and Checks sheets overwritten by hand
  (:func:`formula_sheet_edits`), compared with the workbook the build would
  write: an anchor holding another formula or a value, a formula inside a
  dynamic array's result, a value in the range of an anchor that shows
  ``#SPILL!`` (Excel's sign that something typed there blocks it), a note
  where no result spills. A value typed over exports' base in the Chongqing
  workbook reads::

      book.xlsx holds content of your own that a rebuild would lose: Derived!B3 holds 99 where
      the build writes 63.9271485487 (in the result of Derived!B2, which shows #SPILL!). Move it
      to another workbook, or pass --force to overwrite the workbook.

:func:`refuse_unreadable` refuses to write a workbook that tradecalc's own
readers would refuse (a zip-bomb-sized release).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from pathlib import Path

from tradecalc.errors import TradecalcError, problem
from tradecalc.model.release import Release
from tradecalc.workbook.parts import (
    Special,
    WorkbookParts,
    column_letters,
    ref_bounds,
    special_cells,
)

#: Custom document property holding the fingerprint of the release as built.
FINGERPRINT_PROPERTY = "tradecalc-release-sha256"


def fingerprint(release: Release) -> str:
    """SHA-256 of the release as a release file would hold it (numbers as printed).

    The text hashed is ``json.dumps(d, sort_keys=True, ensure_ascii=False)`` of the
    release file's dict ``d`` (negative zeros as zeros), made and hashed a record at
    a time: for 10^5 figures the whole dict and its text were a 57 MiB peak of the build.
    """
    from tradecalc.model.releasefile import sections

    digest = hashlib.sha256()
    pending: list[str] = []
    for chunk in _json_text(dict(sections(release))):
        pending.append(chunk)
        if len(pending) >= _HASHED_CHUNKS:
            digest.update("".join(pending).encode("utf-8"))
            pending.clear()
    digest.update("".join(pending).encode("utf-8"))
    return digest.hexdigest()


#: JSON pieces joined before each hash update (one update per record costs 3x the hashing).
_HASHED_CHUNKS = 512


def _json_text(tables: dict):
    """``json.dumps(tables, sort_keys=True, ensure_ascii=False)`` in pieces, the tables'
    records (iterators, read once) a piece each: json's own separators ", " and ": "."""
    yield "{"
    for i, key in enumerate(sorted(tables)):
        yield (", " if i else "") + _dumps(key) + ": "
        value = tables[key]
        if isinstance(value, dict):
            yield _dumps(_without_negative_zeros(value))
            continue
        yield "["
        for j, record in enumerate(value):
            yield (", " if j else "") + _dumps(_without_negative_zeros(record))
        yield "]"
    yield "}"


def _dumps(x) -> str:
    return json.dumps(x, sort_keys=True, ensure_ascii=False)


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
#: Sheets holding the build's dynamic-array formulas and their results.
FORMULA_SHEETS = ("Derived", "Checks")
#: What Excel caches in a dynamic array's anchor when a cell of its range is not empty.
SPILL_ERROR = "#SPILL!"
_SOMETHING = ": something sits in the range its result spills into"


class _Book:
    """A workbook's parts and cell values (python-calamine), from a file or from bytes."""

    def __init__(self, source):
        import python_calamine

        if isinstance(source, bytes):
            self.parts = WorkbookParts(io.BytesIO(source))
            self.values = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            self.parts = WorkbookParts(source)
            self.values = python_calamine.CalamineWorkbook.from_path(str(source))
        self.names = [name for name, _ in self.parts.sheets]

    def grid(self, sheet: str) -> list[list]:
        from tradecalc.workbook.reader import sheet_grid

        return sheet_grid(self.values, sheet, self.parts)

    def special(self, sheet: str, where=None) -> dict:

        xml, plain = self.parts.sheet_xml(sheet), self.parts.sheet_plain(sheet)
        return special_cells(xml, where=where, plain=plain)

    def cells(self, sheet: str) -> dict[tuple[int, int], object]:
        """(row, column) → what the cell holds: its value, or its Special (formula, error)."""
        out: dict[tuple[int, int], object] = {}
        for r, row in enumerate(self.grid(sheet), start=1):
            for c, v in enumerate(row, start=1):
                if v != "" and v is not None:
                    out[(r, c)] = v
        out.update(self.special(sheet))
        return out

    def close(self) -> None:
        self.parts.close()
        self.values.close()


def _address(row: int, col: int, sheet: str = "") -> str:

    return f"{sheet}!{column_letters(col)}{row}" if sheet else f"{column_letters(col)}{row}"


def _shown(x) -> str:
    """A cell's content as a message shows it: ``=formula``, a number, a quoted text."""

    if isinstance(x, Special):
        if x.formula is not None:
            text = f"={x.formula}"
            return text if len(text) <= 70 else text[:67] + "..."
        return str(x.cached)
    if x is None:
        return "nothing"
    if isinstance(x, bool):
        return str(x).upper()
    if isinstance(x, float):
        return f"{x:.12g}"
    return repr(str(x)[:30])


def _formula_key(text: str) -> str:
    """A formula as compared: no "=", no ``_xlfn.``-style prefixes, no spaces or case outside strings.

    Excel stores the text it shows, uppercases function names and may prefix
    newer or unknown functions (``_xlfn.``, ``_xludf.``); none of that is an edit.
    """
    text = text[1:] if text.startswith("=") else text
    parts = re.split(r'("[^"]*")', text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # a string literal: as typed
            out.append(part)
        else:
            part = re.sub(r"_xl(?:fn|udf|ws)\.", "", part, flags=re.IGNORECASE)
            out.append(re.sub(r"\s+", "", part).upper())
    return "".join(out)


def _inside(ref: str | None, row: int, col: int) -> bool:

    if not ref:
        return False
    c0, r0, c1, r1 = ref_bounds(ref)
    return r0 <= row <= r1 and c0 <= col <= c1


def _anchor_of(anchors: dict, row: int, col: int):
    """The anchor (position, Special) whose stored range holds (row, col), or None."""
    for pos, cell in anchors.items():
        if pos != (row, col) and _inside(cell.ref, row, col):
            return pos, cell
    return None


def _spill_columns(anchors: dict, built: dict, row: int, col: int):
    """The blocked anchor (position, Special) whose result would spill over (row, col), or None.

    A blocked dynamic array stores no range to spill into (Excel keeps its
    anchor alone); the range the build writes for it says where it spills.
    """
    for pos, cell in anchors.items():
        if cell.kind != "e" or cell.cached != SPILL_ERROR or pos == (row, col):
            continue
        target = built.get(pos)
        ref = getattr(target, "ref", None) or cell.ref
        if not ref:
            continue
        c0, r0, c1, _ = ref_bounds(ref)
        if row >= r0 and c0 <= col <= c1:  # the result may grow past the built range, downwards
            return pos, cell
    return None


def formula_sheet_edits(existing: _Book, built: _Book, limit: int = 4) -> list[str]:
    """Cells of the Derived and Checks sheets that hold what the build would not write there.

    The build writes a dynamic-array formula in each anchor cell
    (:func:`tradecalc.workbook.formulas.derived_view_formulas`,
    :data:`tradecalc.workbook.formulas.CHECKS_FORMULA`) and its result in the
    range it spills into; Excel stores that result as plain values there. So
    an edit is: an anchor holding another formula or a value; a cell of a
    spill range holding a formula of its own; a value in the range of an
    anchor that shows ``#SPILL!`` (Excel's sign that something typed there
    blocks the result); a value where no result spills (a note). Each is named
    with what the build writes in its place, e.g.
    ``Derived!C5 holds 99 where the build writes 63.93 (in the result of Derived!B2, which shows #SPILL!)``.
    """

    found: list[str] = []
    for sheet in FORMULA_SHEETS:
        if sheet not in existing.names or sheet not in built.names:
            continue  # a deleted sheet: the build restores it, nothing is lost
        have, want = existing.cells(sheet), built.cells(sheet)
        anchors = {
            p: c for p, c in have.items() if isinstance(c, Special) and c.formula_type == "array"
        }
        notes = []
        for (r, c), held in sorted(have.items()):
            note = _edit(sheet, r, c, held, want, anchors)
            if note:
                notes.append(note)
                if len(notes) > 4 * limit + 8:
                    break
        # a blocked anchor is named by what blocks it, when that is found
        blocked = {n.split(" holds ")[-1] for n in notes if f"which shows {SPILL_ERROR})" in n}
        for note in notes:
            anchor = note.split(" shows ")[0]
            if note.endswith(_SOMETHING) and any(f"result of {anchor}," in b for b in blocked):
                continue
            found.append(note)
            if len(found) > limit:
                return found
    return found


def _edit(sheet: str, r: int, c: int, held, want: dict, anchors: dict) -> str | None:
    """What a rebuild would lose at one cell of a formula sheet (None: nothing)."""

    target = want.get((r, c))
    at = _address(r, c, sheet)
    says = f"{at} holds {_shown(held)} where the build writes {_shown(target)}"
    is_formula = isinstance(held, Special) and held.formula is not None
    if isinstance(target, Special) and target.formula is not None:  # an anchor the build writes
        if not is_formula or _formula_key(held.formula) != _formula_key(target.formula):
            return says
        if held.kind == "e" and held.cached == SPILL_ERROR:
            return f"{at} shows {SPILL_ERROR}{_SOMETHING}"
        return None
    blocked = _spill_columns(anchors, want, r, c)
    if blocked is not None:
        return (
            f"{says} (in the result of {_address(*blocked[0], sheet)}, which shows {SPILL_ERROR})"
        )
    spilled = _anchor_of(anchors, r, c)
    if spilled is not None:
        if is_formula:
            return f"{says} (in the result of {_address(*spilled[0], sheet)})"
        return None  # a value of a dynamic array's result, as Excel stores it
    if isinstance(held, Special) or not _same_value(held, target):
        return says  # not in any result: a note, or a header the build writes otherwise
    return None


def _same_value(held, target) -> bool:
    """The value the build writes there: nothing is lost. Numbers within a few ulps count as the
    same (a reader that saves 16 significant digits, openpyxl's, moves the 17th)."""
    if isinstance(held, float) and isinstance(target, float):
        return math.isclose(held, target, rel_tol=1e-15, abs_tol=0.0)
    return held == target


def user_content(path: Path, limit: int = 4, built: bytes | Path | None = None) -> list[str]:
    """What a rebuild would lose besides the Tables.

    The user's own sheets; notes beside a Table on the sheets that hold
    nothing else (:data:`TABLE_SHEETS`); with ``built`` (the workbook the
    build would write), the cells of the Derived and Checks sheets overwritten
    by hand (:func:`formula_sheet_edits`).
    """
    book = _Book(path)
    try:
        found = [f"the sheet {name!r}" for name in book.names if name not in BUILT_SHEETS]
        found += _notes_beside_tables(book, limit)
        if built is not None and len(found) <= limit:
            new = _Book(built)
            try:
                found += formula_sheet_edits(book, new, limit - len(found))
            finally:
                new.close()
    finally:
        book.close()
    return found


def _notes_beside_tables(book: _Book, limit: int) -> list[str]:

    found: list[str] = []
    tables = book.parts.tables()
    for name in TABLE_SHEETS:
        hit = tables.get(name)
        if hit is None or hit[0] != name:
            continue
        c0, r0, c1, r1 = ref_bounds(hit[1].ref)

        def outside(r, c, c0=c0, r0=r0, c1=c1, r1=r1):
            return not (r0 <= r <= r1 and c0 <= c <= c1)

        cells = {
            (r, c): v
            for r, row in enumerate(book.grid(name), start=1)
            for c, v in enumerate(row, start=1)
            if v != "" and v is not None and outside(r, c)
        }
        cells.update(book.special(name, where=outside))
        for (r, c), v in sorted(cells.items())[: limit + 1 - len(found)]:
            found.append(f"{_address(r, c, name)} ({_shown(v)})")
        if len(found) > limit:
            break
    return found


def refuse_if_edited(
    path: Path,
    release: Release,
    release_path: str | Path | None = None,
    *,
    built: bytes | Path | None = None,
) -> None:
    """Raise FileExistsError if the workbook at ``path`` holds edits the build would lose.

    Edits are the Tables' content (the release) and, besides the Tables, the
    user's own sheets, notes typed beside a Table and the Derived and Checks
    cells overwritten by hand (issue 14.6), compared with ``built``, the
    workbook the build would write, as bytes or a file (built here as .xlsx when not given).
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
    if built is None:
        from tradecalc.workbook.writer import build_workbook

        built = build_workbook(release, "xlsx")
    try:
        extra = user_content(path, built=built)
    except TradecalcError as e:  # a sheet the readers refuse (a cell far from the Tables)
        raise FileExistsError(
            f"{path} exists and cannot be read as a template workbook ({e.problems[0].message}); "
            f"pass --force to overwrite it"
        ) from None
    if extra:
        more = " and more" if len(extra) > 4 else ""
        raise FileExistsError(
            f"{path} holds content of your own that a rebuild would lose: {'; '.join(extra[:4])}{more}. "
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


def refuse_unreadable(built: str | Path, out: Path) -> None:
    """Raise BadInput if tradecalc's own readers would refuse the workbook written at ``built``.

    The readers bound what they unpack (:func:`tradecalc.io.safety.check_workbook_file`:
    file size, inflated size, cells, members); the same check runs here on the
    built file before it is renamed to ``out`` (which the messages name), so ``build``
    never writes a workbook ``derive``/``check``/``pull`` call a zip bomb. With this
    layout a figure inflates to about 2.3 kB (10,000 figures: 22 MiB).
    """
    from tradecalc.io.safety import check_workbook_file

    try:
        check_workbook_file(built)
    except TradecalcError as e:
        reason = e.problems[0].message if e.problems else str(e)
        raise problem(
            out,
            f"not written: tradecalc's readers would refuse this workbook ({reason})",
            "split the release into smaller ones",
        ) from None
