"""Atomic writes: leftovers of a killed write are cleaned up, live ones are not touched."""
import os
import subprocess
import sys

from tradecalc.cli.main import main
from tradecalc.model.releasefile import atomic_write_bytes


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_stale_temporary_of_a_dead_process_is_removed(tmp_path):
    target = tmp_path / "book.toml"
    stale = tmp_path / f".book.toml.tmp-{_dead_pid()}"
    stale.write_bytes(b"half a file")
    live = tmp_path / f".book.toml.tmp-{os.getppid()}"  # a running process: maybe its write is under way
    live.write_bytes(b"in progress")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists()
    assert live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, live.name])


def test_build_cleans_leftovers_of_a_killed_build(tmp_path, chongqing_path):
    out = tmp_path / "book.xlsx"
    stale = tmp_path / f".book.xlsx.tmp-{_dead_pid()}"
    stale.write_bytes(b"PK\x03\x04 truncated")
    assert main(["build", str(chongqing_path), "--format", "xlsx", "-o", str(out)]) == 0
    assert out.exists() and not stale.exists()
