"""Writes that cannot lose data, and text that is never written as a formula.

* ``tradecalc build`` is killed with SIGKILL at random moments while it
  replaces a workbook: afterwards the file under the final name is byte for
  byte either the previous workbook or the complete new one (both builds are
  deterministic), it opens in openpyxl with the expected figures, and any
  temporary file left beside it is hidden and not named like a workbook.
* ``build`` keeps a workbook whose figures a user edited unless ``--force``;
  ``pull`` and ``extract`` keep an existing release file unless ``--force``.
* Labels, sentences, ids and titles starting with ``=``, ``+``, ``-``, ``@``,
  tab or CR are stored as text cells (read back with openpyxl: data type
  ``s``, value unchanged), survive ``pull`` as TOML strings, and are
  defused in CSV output.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from helpers.reliability import COUNTS

from tradecalc.cli.main import main
from tradecalc.model.releasefile import load

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

from helpers import CHONGQING, ROOT  # noqa: E402

ENV = {
    **os.environ,
    "TRADECALC_PROGRESS": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "PYTHONPATH": os.pathsep.join(
        [str(ROOT), str(ROOT / "addin"), os.environ.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep),
}
ENV.pop("TRADECALC_DEBUG", None)


def build_process(release, out, tmpdir=None):
    return subprocess.Popen(
        [sys.executable, "-m", "tradecalc", "build", str(release), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=ENV if tmpdir is None else {**ENV, "TMPDIR": str(tmpdir)},
    )


def build(release, out, *extra) -> int:
    return main(["build", str(release), "-o", str(out), *map(str, extra)])


def figures_of(book) -> list[tuple]:
    """(id, value, yoy) of each Figures row, read with openpyxl as any reader would."""
    wb = openpyxl.load_workbook(book, read_only=False)
    ws = next(w for w in wb.worksheets if "Figures" in w.tables)
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    i, v, g = head.index("id"), head.index("value"), head.index("yoy")
    return [(r[i], r[v], r[g]) for r in rows[1:] if r[i] is not None]


def release_figures(path) -> list[tuple]:
    r = load(path)
    blank = lambda x: None if x != x else x  # noqa: E731  (NaN, a blank cell, reads back as None)
    return [(f.id, blank(f.value), blank(f.yoy)) for f in r.figures]


def synthetic_release(path, n: int) -> Path:
    """A partial breakdown of ``n`` partners under a total: a bigger workbook, a longer build."""
    lines = [
        "[release]",
        'id = "synthetic"',
        'title = "Synthetic release for the kill test"',
        'unit = "billion yuan"',
        "",
        "[[breakdowns]]",
        'id = "partners"',
        'parent = "total"',
        'kind = "partial"',
        "",
        "[[figures]]",
        'id = "total"',
        'label = "Total"',
        'period = "2021-Q1"',
        f'value = "{n * 10}.00"',
        'yoy = "10.0%"',
        "",
    ]
    for i in range(n):
        lines += [
            "[[figures]]",
            f'id = "p{i}"',
            f'label = "Partner {i}"',
            'period = "2021-Q1"',
            'breakdown = "partners"',
            'parent = "total"',
            f'value = "{1 + i % 7}.{i % 100:02d}"',
            f'yoy = "{(i % 50) - 10}.{i % 10}%"',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def relabelled(src: Path, dst: Path) -> Path:
    """The same release with one label changed: a different fingerprint, so ``build`` replaces the workbook."""
    text = src.read_text(encoding="utf-8")
    new = re.sub(r'^label = "([^"]*)"$', r'label = "\1 (revised)"', text, count=1, flags=re.M)
    assert new != text
    dst.write_text(new, encoding="utf-8")
    return dst


# --------------------------------------------------------------------------- SIGKILL during build


def kill_builds(tmp_path, release_a: Path, kills: int, late_share: float, seed: int):
    """Kill ``build`` of a revised release over the workbook of ``release_a``, ``kills`` times."""
    folder = tmp_path / "books"
    folder.mkdir()
    scratch = tmp_path / "tmp"  # the builds' temporary folder (TMPDIR)
    scratch.mkdir()
    target = folder / f"{release_a.stem}.xlsx"
    release_b = relabelled(release_a, tmp_path / f"{release_a.stem}-b.toml")

    # the two complete outcomes, and how long a build over an existing workbook takes
    assert build(release_b, target) == 0
    bytes_b = target.read_bytes()
    target.unlink()
    assert build(release_a, target) == 0
    bytes_a = target.read_bytes()
    figures_a = figures_of(target)
    assert [f[0] for f in figures_a] == [f[0] for f in release_figures(release_a)]
    # when, after its start, does a build put the new workbook in place? (os.replace gives the name a new inode)
    inode = target.stat().st_ino
    start = time.monotonic()
    p = build_process(release_b, target)
    renamed = None
    while p.poll() is None:
        if renamed is None and target.stat().st_ino != inode:
            renamed = time.monotonic() - start
        time.sleep(0.002)
    assert p.returncode == 0, p.stderr.read()
    p.stderr.close()
    renamed = renamed or time.monotonic() - start
    assert target.read_bytes() == bytes_b
    target.write_bytes(bytes_a)  # in place: the same inode

    rng = random.Random(seed)
    done = survived = after = litter = 0
    i = 0
    # ``kills`` attempts, and more (up to twice as many) while fewer than half landed during a build: on a
    # loaded machine a build's time varies and many attempts come too late
    while i < kills or (done < kills // 2 and i < 2 * kills):
        i += 1
        # spread over the build, with a share aimed at the moments around the write and rename
        late = rng.random() < late_share
        delay = (rng.uniform(0.7, 1.02) if late else rng.uniform(0.02, 1.0)) * renamed
        p = build_process(release_b, target, scratch)
        time.sleep(delay)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
            p.wait()
            done += 1
        else:
            assert p.returncode == 0, p.stderr.read()
            # the build was quicker than measured (the machine's load dropped): aim earlier
            renamed *= 0.85
        p.stderr.close()
        data = target.read_bytes()
        assert data in (bytes_a, bytes_b), (
            "the workbook under the final name is neither the previous one nor the new one"
        )
        if data == bytes_a and i % 4 == 0:
            assert figures_of(target) == figures_a  # opens, with the previous figures
        after += data == bytes_b
        others = [f for f in folder.iterdir() if f != target]
        for f in others:
            assert f.name.startswith("."), f"temp file {f.name} is not hidden"
            assert not f.name.lower().endswith((".xlsx", ".xlsm")), (
                f"temp file {f.name} is named like a workbook"
            )
            f.unlink()
        litter += len(others)
        survived += killed  # every assertion above held after this kill
        target.write_bytes(bytes_a)
    # a killed build leaves its scratch folder (XlsxWriter's parts); the next build removes it
    p = build_process(release_b, target, scratch)
    assert p.wait() == 0, p.stderr.read()
    p.stderr.close()
    assert list(scratch.iterdir()) == [], sorted(x.name for x in scratch.iterdir())
    COUNTS["kills"] += done
    COUNTS["kills_survived"] += survived
    COUNTS["kills_after_rename"] += after
    COUNTS["temp_litter"] += litter
    return done, after, litter


def test_sigkill_during_build_of_the_chongqing_workbook(tmp_path):
    done, after, litter = kill_builds(tmp_path, CHONGQING, kills=24, late_share=0.5, seed=20210424)
    assert done >= 12  # most kills land while build runs (the machine's load varies the timing)


def test_sigkill_during_build_of_a_bigger_workbook(tmp_path):
    release = synthetic_release(tmp_path / "synthetic.toml", 300)
    done, after, litter = kill_builds(tmp_path, release, kills=8, late_share=0.7, seed=7)
    assert done >= 4


SLOW_FSYNC = """
import os, sys, time
_fsync = os.fsync
def slow_fsync(fd):  # hold the build between writing the temp file and renaming it
    time.sleep(float(os.environ["SLOW_FSYNC"]))
    _fsync(fd)
os.fsync = slow_fsync
from tradecalc.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_sigkill_while_the_new_workbook_is_being_written(tmp_path):
    """The write window, widened by a slow fsync: killed there, the temp file is left and the workbook untouched."""
    folder = tmp_path / "books"
    folder.mkdir()
    target = folder / "chongqing-2021-q1.xlsx"
    release_b = relabelled(CHONGQING, tmp_path / "revised.toml")
    assert build(CHONGQING, target) == 0
    bytes_a = target.read_bytes()
    rng = random.Random(42)
    for _ in range(5):
        p = subprocess.Popen(
            [sys.executable, "-c", SLOW_FSYNC, "build", str(release_b), "-o", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env={**ENV, "SLOW_FSYNC": "0.6"},
        )
        deadline = time.monotonic() + 60
        while not any(f != target for f in folder.iterdir()):  # the temp file appears
            assert p.poll() is None and time.monotonic() < deadline, (
                "the build ended without writing a temp file"
            )
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.45))
        assert p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.wait()
        assert target.read_bytes() == bytes_a
        litter = [f for f in folder.iterdir() if f != target]
        assert litter and all(
            f.name.startswith(".") and not f.name.endswith((".xlsx", ".xlsm")) for f in litter
        ), litter
        COUNTS["kills"] += 1
        COUNTS["kills_survived"] += 1
        COUNTS["kills_in_write"] += 1
        COUNTS["temp_litter"] += len(litter)
        for f in litter:
            f.unlink()
    assert [f[:2] for f in figures_of(target)] == [
        f[:2] for f in release_figures(CHONGQING)
    ]  # opens, exports 112.32 ...


def test_a_save_in_excel_during_the_write_is_not_overwritten(tmp_path):
    """Issue 14, item 9, in separate processes: while a build holds its temp file (slow fsync), "Excel" saves the
    workbook (writes a new file and renames it over, as Excel does); the build must leave that save alone."""
    folder = tmp_path / "books"
    folder.mkdir()
    target = folder / "chongqing-2021-q1.xlsx"
    release_b = relabelled(CHONGQING, tmp_path / "revised.toml")
    assert build(CHONGQING, target) == 0
    for trial in range(5):
        err = tmp_path / f"err-{trial}.txt"
        with open(err, "wb") as fh:
            p = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    SLOW_FSYNC,
                    "build",
                    str(release_b),
                    "-o",
                    str(target),
                    "--force",
                ],
                stdout=subprocess.DEVNULL,
                stderr=fh,
                stdin=subprocess.DEVNULL,
                env={**ENV, "SLOW_FSYNC": "0.4"},
            )
            deadline = time.monotonic() + 60
            while not any(
                f.name.startswith(".") for f in folder.iterdir()
            ):  # the temp file appears
                assert p.poll() is None and time.monotonic() < deadline, (
                    "the build ended without writing a temp file"
                )
                time.sleep(0.005)
            saved = f"PK saved in Excel, trial {trial}".encode()
            excel_tmp = (
                folder / "8A3F2B10.tmp"
            )  # Excel writes a temporary file, then renames it over the workbook
            excel_tmp.write_bytes(saved)
            os.replace(excel_tmp, target)
            assert p.wait(timeout=60) == 2
        assert target.read_bytes() == saved  # the save survived
        assert "changed by another program" in err.read_text(encoding="utf-8")
        assert sorted(f.name for f in folder.iterdir()) == [target.name]  # no temp file left
        target.write_bytes(b"")
        assert build(CHONGQING, target, "--force") == 0


# --------------------------------------------------------------------------- --force


@pytest.fixture
def book(tmp_path):
    out = tmp_path / "chongqing-2021-q1.xlsx"
    assert build(CHONGQING, out) == 0
    return out


def test_build_keeps_figures_a_user_edited(book, capsys):
    wb = openpyxl.load_workbook(book)
    ws = next(w for w in wb.worksheets if "Figures" in w.tables)
    col = {c.value: c.column_letter for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws[f"{col['id']}{r}"].value == "exports")
    ws[f"{col['value']}{row}"] = 112.5  # a user corrects exports in Excel
    wb.save(book)
    edited = book.read_bytes()
    capsys.readouterr()
    assert build(CHONGQING, book) == 2
    err = capsys.readouterr().err
    assert "edited" in err and "--force" in err and "tradecalc pull" in err and "exports" in err
    assert book.read_bytes() == edited
    assert ("exports", 112.5) in {(i, v) for i, v, _ in figures_of(book)}
    assert build(CHONGQING, book, "--force") == 0
    assert ("exports", 112.32) in {
        (i, v) for i, v, _ in figures_of(book)
    }  # "exports ... 112.32 billion yuan"


def test_pull_and_extract_keep_an_existing_release_file(book, tmp_path, capsys):
    out = tmp_path / "kept.toml"
    out.write_text("# my notes\n", encoding="utf-8")
    assert main(["pull", str(book), "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "# my notes\n"
    text = tmp_path / "release.txt"
    text.write_text(
        "In the first quarter of 2021, exports rose 75.7% to 112.32 billion yuan.\n",
        encoding="utf-8",
    )
    assert main(["extract", str(text), "-o", str(out)]) == 2
    assert (
        "--force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "# my notes\n"
    )
    assert main(["pull", str(book), "-o", str(out), "--force"]) == 0
    assert [f[:2] for f in release_figures(out)] == [f[:2] for f in release_figures(CHONGQING)]


# --------------------------------------------------------------------------- formula injection

HOSTILE = {
    "label": "=cmd|' /C calc'!A0",
    "sentence": "+SUM(Figures!A1:A9)",
    "growth_sentence": "-2+3",
    "review": "@NOW()",
}


def hostile_release(tmp_path) -> Path:
    """Chongqing with formula-like text in labels, sentences, the title, and an id (and every reference to it)."""
    text = CHONGQING.read_text(encoding="utf-8")
    text = re.sub(r'^(id|parent|figure) = "imports"$', r'\1 = "=1+1"', text, flags=re.M)
    text = text.replace(
        'label = "Exports"\n', f'label = "{HOSTILE["label"]}"\nreview = "{HOSTILE["review"]}"\n', 1
    )
    text = text.replace(
        'label = "Imports"\n',
        'label = "\\t=HYPERLINK(\\"http://example.invalid\\",\\"x\\")"\n'
        f'growth_sentence = "{HOSTILE["growth_sentence"]}"\n',
        1,
    )
    text = re.sub(
        r'^sentence = "[^"]*"$', f'sentence = "{HOSTILE["sentence"]}"', text, count=1, flags=re.M
    )
    text = re.sub(r'^title = "', 'title = "\\\\r=2*3 ', text, count=1, flags=re.M)
    path = tmp_path / "releases" / "hostile.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def formula_like(s) -> bool:
    return isinstance(s, str) and s.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_formula_like_text_is_stored_as_text_and_pulled_back_as_text(tmp_path, capsys):
    src = hostile_release(tmp_path)
    release = load(src)
    imports = release.figure("=1+1")
    assert imports.label.startswith("=HYPERLINK(")  # the loader strips the tab; the rest is kept
    expected = (
        {f.label for f in release.figures}
        | {f.sentence for f in release.figures}
        | {f.id for f in release.figures}
    )
    expected |= (
        {f.growth_sentence for f in release.figures}
        | {f.review for f in release.figures}
        | {release.meta["title"]}
    )
    hostile = {s for s in expected if formula_like(s)}
    assert len(hostile) >= 6, hostile

    book = tmp_path / "hostile.xlsx"
    assert build(src, book) == 0
    wb = openpyxl.load_workbook(book)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in hostile:
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    seen.add(c.value)
                elif c.data_type == "f":  # our own formulas only: none carries the hostile text
                    assert (
                        "cmd|" not in c.value
                        and "HYPERLINK" not in c.value
                        and "NOW()" not in c.value
                    ), (ws.title, c.coordinate, c.value)
    assert hostile - {release.meta["title"]} <= seen, hostile - seen

    pulled = tmp_path / "pulled.toml"
    assert main(["pull", str(book), "-o", str(pulled)]) == 0
    back = load(pulled)
    for f, g in zip(release.figures, back.figures):
        assert (g.id, g.label, g.sentence, g.growth_sentence) == (
            f.id,
            f.label,
            f.sentence,
            f.growth_sentence,
        )
        assert g.review.startswith(f.review)  # pull may add a precision note
    import tomllib

    raw = tomllib.loads(pulled.read_text(encoding="utf-8"))
    assert any(fig["id"] == "=1+1" and isinstance(fig["id"], str) for fig in raw["figures"])

    capsys.readouterr()
    assert main(["derive", str(src), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [c for r in rows for c in r]
    assert "'=1+1" in cells and not any(formula_like(c) and not _number(c) for c in cells)


def _number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False
