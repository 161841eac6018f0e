"""Atomic writes: leftovers of a killed write are cleaned up, live ones are not touched; the target's
mode, symlinks, a save by another program and long names are respected (issue 14, items 8, 9, 19)."""

import os
import stat
import subprocess
import sys

import pytest

from tradecalc.cli.main import EXIT_BAD_INPUT, main
from tradecalc.errors import BadInput
from tradecalc.io import atomic
from tradecalc.io.atomic import atomic_write_bytes, file_state, temporary_path


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_temporary_of_a_dead_process_is_removed(tmp_path):
    target = tmp_path / "book.toml"
    stale = tmp_path / f".book.toml.tmp-{_dead_pid()}"
    stale.write_bytes(b"half a file")
    live = (
        tmp_path / f".book.toml.tmp-{os.getppid()}"
    )  # a running process: maybe its write is under way
    live.write_bytes(b"in progress")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists()
    assert live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name])


def test_the_old_import_still_works():
    from tradecalc.model.releasefile import atomic_write_bytes as old

    assert old is atomic_write_bytes


def test_build_cleans_leftovers_of_a_killed_build(tmp_path, chongqing_path):
    out = tmp_path / "book.xlsx"
    stale = tmp_path / f".book.xlsx.tmp-{_dead_pid()}"
    stale.write_bytes(b"PK\x03\x04 truncated")
    assert main(["build", str(chongqing_path), "--format", "xlsx", "-o", str(out)]) == 0
    assert out.exists() and not stale.exists()


# --------------------------------------------------------------------------- item 8: mode and symlinks


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_private_workbook_stays_private_after_a_rebuild(tmp_path, chongqing_path):
    out = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
    out.chmod(0o600)
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0  # unedited: rebuilt in place
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # was 0644 after the rename


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_new_file_gets_the_umask_mode_not_the_temporary_0600(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "new.csv", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_a_symlink_is_written_through(tmp_path, chongqing_path):
    real_dir = tmp_path / "shared"
    real_dir.mkdir()
    real = real_dir / "book.xlsx"
    link = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(real)]) == 0
    link.symlink_to(real)
    before = real.stat().st_ino
    assert main(["build", str(chongqing_path), "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(
        real
    )  # still a link, to the same file name
    assert real.stat().st_ino != before  # the file it names was replaced (atomically)
    assert sorted(p.name for p in real_dir.iterdir()) == [
        "book.xlsx"
    ]  # the temporary was beside the real file


def test_a_dangling_symlink_is_refused_saying_so(tmp_path, capsys):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "missing" / "out.csv")
    with pytest.raises(BadInput, match="symbolic link"):
        atomic_write_bytes(link, b"x")
    assert link.is_symlink() and not (tmp_path / "missing").exists()


# --------------------------------------------------------------------------- item 9: a save by another program


def _excel_saves_during_the_write(target, content=b"saved in Excel"):
    """Replace ``os.fsync`` so that, while tradecalc flushes its temporary, "Excel" saves the target as Excel does
    (write a new file, rename it over the old one)."""
    real_fsync = os.fsync
    done = []

    def fsync(fd):
        real_fsync(fd)
        if not done:
            done.append(1)
            other = target.with_name("excel-save.tmp")
            other.write_bytes(content)
            os.replace(other, target)

    return fsync


def test_a_save_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"as built")
    monkeypatch.setattr(atomic.os, "fsync", _excel_saves_during_the_write(target))
    with pytest.raises(BadInput, match="changed by another program"):
        atomic_write_bytes(target, b"the new build")
    assert target.read_bytes() == b"saved in Excel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]  # no temporary left


def test_a_save_after_the_caller_looked_is_not_overwritten(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"as built")
    seen = file_state(target)  # build reads the old workbook to see whether it was edited...
    target.write_bytes(b"saved in Excel, a little longer")  # ...and Excel saves meanwhile
    with pytest.raises(BadInput, match="changed by another program"):
        atomic_write_bytes(target, b"the new build", unchanged_since=seen)
    assert target.read_bytes() == b"saved in Excel, a little longer"
    fresh = tmp_path / "new.xlsx"  # there was no file when the caller looked; now there is one
    fresh.write_bytes(b"saved by someone else")
    with pytest.raises(BadInput, match="created by another program"):
        atomic_write_bytes(fresh, b"x", unchanged_since=None)
    assert fresh.read_bytes() == b"saved by someone else"


def test_build_does_not_overwrite_a_save_made_while_it_writes(
    tmp_path, chongqing_path, capsys, monkeypatch
):
    out = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
    monkeypatch.setattr(
        atomic.os, "fsync", _excel_saves_during_the_write(out, b"PK saved in Excel")
    )
    assert main(["build", str(chongqing_path), "-o", str(out)]) == EXIT_BAD_INPUT
    assert out.read_bytes() == b"PK saved in Excel"
    err = capsys.readouterr().err
    assert "changed by another program" in err and ".tmp-" not in err


def test_a_workbook_open_in_excel_is_refused(tmp_path, chongqing_path, capsys):
    out = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
    before = out.read_bytes()
    (tmp_path / "~$book.xlsx").write_bytes(b"owner file Excel keeps while the workbook is open")
    assert main(["build", str(chongqing_path), "-o", str(out), "--force"]) == EXIT_BAD_INPUT
    assert "open in another program" in capsys.readouterr().err
    assert out.read_bytes() == before


# --------------------------------------------------------------------------- item 19: long names


def test_a_251_character_name_works(tmp_path, chongqing_path):
    name = "q" * 246 + ".xlsx"
    assert len(name) == 251
    assert len(temporary_path(tmp_path / name, pid=4_194_304).name.encode()) <= 255
    assert main(["build", str(chongqing_path), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).stat().st_size > 10_000
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_255_byte_name_in_chinese_works_and_its_leftovers_are_cleaned(tmp_path):
    name = "重庆" * 41 + "q1.csv"  # 6 * 41 + 6 = 252 bytes in UTF-8
    assert len(name.encode()) == 252
    target = tmp_path / name
    stale = temporary_path(target, pid=_dead_pid())
    stale.write_bytes(b"half")
    assert len(stale.name.encode()) <= 255
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and not stale.exists()


# --------------------------------------------------------------------------- issue 16: streamed writes


def test_a_streamed_write_is_checked_before_the_rename(tmp_path):
    """``atomic_write`` streams the content into the temporary file; what ``verify`` raises on it,
    even an OSError (FileExistsError: "your edits would be lost"), reaches the caller as it is,
    and the target and the folder are as they were."""
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"the old workbook")
    seen = []

    def verify(tmp):
        seen.append(tmp.read_bytes())
        raise FileExistsError("the old workbook holds edits")

    with pytest.raises(FileExistsError, match="holds edits"):
        atomic.atomic_write(target, lambda fh: fh.write(b"new, a piece at a time"), verify=verify)
    assert seen == [b"new, a piece at a time"]
    assert target.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_a_failing_writer_leaves_the_target_and_no_temporary(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"the old workbook")

    def write(fh):
        fh.write(b"half a workbook")
        raise ValueError("a cell longer than Excel holds")

    with pytest.raises(ValueError, match="longer than"):
        atomic.atomic_write(target, write)
    assert target.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_build_writes_the_workbook_build_workbook_gives(tmp_path, chongqing_path):
    """``tradecalc build`` streams the workbook into its temporary file: the same bytes as
    ``build_workbook`` returns."""
    import tradecalc
    from tradecalc.workbook.vba import xlwings_vba_project
    from tradecalc.workbook.writer import build_workbook

    release = tradecalc.load(chongqing_path)
    for fmt in ("xlsx", "xlsm"):
        out = tmp_path / f"book.{fmt}"
        assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
        vba = xlwings_vba_project()[0] if fmt == "xlsm" else None
        assert out.read_bytes() == build_workbook(release, fmt, vba_project=vba)


# --------------------------------------------------------------------------- scratch folders


def test_a_scratch_folder_is_removed_when_done_and_after_an_error(tmp_path):
    from tradecalc.io.scratch import scratch_folder

    with scratch_folder(tmp_path) as folder:
        (folder / "part.xml").write_text("<sst/>")
        assert folder.parent == tmp_path and oct(folder.stat().st_mode & 0o777) == "0o700"
    assert not folder.exists()
    with pytest.raises(ValueError), scratch_folder(tmp_path) as folder:
        (folder / "part.xml").write_text("<sst/>")
        raise ValueError("a build that fails")
    assert list(tmp_path.iterdir()) == []


def test_the_scratch_folder_of_a_killed_process_is_removed_by_the_next(tmp_path):
    """A build killed by SIGKILL leaves its folder; the next removes it, and nothing that is
    another process's, a link, a file, or not named as ours."""
    from tradecalc.io.scratch import PREFIX, scratch_folder

    dead = tmp_path / f"{PREFIX}{_dead_pid()}-abc"
    dead.mkdir()
    (dead / "sharedStrings.xml").write_text("<sst/>")
    live = tmp_path / f"{PREFIX}{os.getppid()}-def"  # a running process: its build may be under way
    live.mkdir()
    elsewhere = tmp_path / "kept"
    elsewhere.mkdir()
    (elsewhere / "data").write_text("not ours")
    link = tmp_path / f"{PREFIX}{_dead_pid()}-link"
    link.symlink_to(elsewhere)
    a_file = tmp_path / f"{PREFIX}{_dead_pid()}-file"
    a_file.write_text("a file, not a folder")
    other = tmp_path / "tradecalc-other-1-x"
    other.mkdir()
    with scratch_folder(tmp_path) as folder:
        assert folder.exists()
    assert not dead.exists()
    assert live.exists() and link.is_symlink() and a_file.exists() and other.exists()
    assert (elsewhere / "data").read_text() == "not ours"


def test_a_build_leaves_nothing_in_the_temporary_folder(
    tmp_path, chongqing_path, monkeypatch, capsys
):
    """XlsxWriter writes the workbook's parts as files in the build's scratch folder, which goes
    with the build: also when XlsxWriter fails while it packs them (it then leaves them)."""
    import tempfile

    import xlsxwriter.workbook

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000 and list(scratch.iterdir()) == []
    written = []

    def write(self, filename, arcname=None, *args, **kwargs):
        written.append(filename)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.ZipFile, "write", write)
    assert main(["build", str(chongqing_path), "-o", str(out), "--force"]) == EXIT_BAD_INPUT
    assert written and all(str(scratch) in str(f) for f in written)  # the parts were files there
    assert list(scratch.iterdir()) == []
    # a full disk is said as such (XlsxWriter's FileCreateError once made it "a bug in tradecalc")
    assert "could not write the file (No space left on device)" in capsys.readouterr().err


def test_leftover_names_anyone_can_make_never_stop_a_write(tmp_path):
    """In a shared folder a name is anyone's: a 20-digit "pid" (beyond os.kill) or a
    superscript digit ("²".isdigit() is True) are kept, and the write goes on."""
    from tradecalc.io.scratch import PREFIX, scratch_folder

    odd = [f"{PREFIX}{'9' * 20}-x", f"{PREFIX}\u00b2-x", f"{PREFIX}-x", f"{PREFIX}12a-x"]
    for name in odd:
        (tmp_path / name).mkdir()
    target = tmp_path / "book.toml"
    for name in (".book.toml.tmp-" + "9" * 20, ".book.toml.tmp-\u00b2"):
        (tmp_path / name).write_bytes(b"?")
    with scratch_folder(tmp_path):
        pass
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert all((tmp_path / name).exists() for name in odd)


def test_a_workbook_opened_while_it_is_built_is_not_replaced(tmp_path, chongqing_path, capsys):
    """The lock file is looked for again just before the rename: a build takes a while."""
    out = tmp_path / "book.xlsx"
    assert main(["build", str(chongqing_path), "-o", str(out)]) == 0
    before = out.read_bytes()
    lock = tmp_path / "~$book.xlsx"

    def open_in_excel(fh):
        fh.write(b"the new workbook")
        lock.write_bytes(b"Excel opened the workbook meanwhile")

    with pytest.raises(BadInput, match="open in another program"):
        atomic.atomic_write(out, open_in_excel)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, lock.name])
