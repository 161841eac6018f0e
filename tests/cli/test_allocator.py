"""The command line holds glibc's mmap threshold (``tradecalc.cli.allocator``, issue 16).

Without it, freeing a big block raises glibc's threshold and the next big blocks
come from the heap, whose freed pages the process keeps: the 10^5-figure build
peaked at 353 MiB instead of about 300 MiB (``bench/``, build section). Tested on
glibc's own counters, in a fresh interpreter each (the threshold is per process).
"""

from __future__ import annotations

import ctypes
import subprocess
import sys

import pytest

from tradecalc.cli import allocator


def _glibc() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "gnu_get_libc_version")
    except OSError:
        return False


glibc_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _glibc(), reason="glibc's malloc only"
)

# Frees a 16 MiB block (glibc raises its dynamic threshold to that size; not above 32 MiB),
# allocates 1 MiB,
# and prints the bytes glibc holds in mmapped blocks (mallinfo2's hblkhd) before and after.
_PROBE = """
import ctypes, sys
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]
libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = (ctypes.c_void_p,)
if sys.argv[1] == "held":
    from tradecalc.cli.allocator import hold_mmap_threshold
    assert hold_mmap_threshold()
libc.free(libc.malloc(16 << 20))
before = libc.mallinfo2().hblkhd
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblkhd - before)
"""


def _mmapped_bytes_of_a_1_mib_block(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@glibc_only
def test_held_a_block_after_a_big_free_is_its_own_mapping():
    assert _mmapped_bytes_of_a_1_mib_block("held") >= 1 << 20


@glibc_only
def test_without_it_glibc_serves_that_block_from_the_heap():
    # the behaviour the setting exists for: if glibc stops moving its threshold, this fails
    assert _mmapped_bytes_of_a_1_mib_block("default") == 0


def test_elsewhere_nothing_is_changed(monkeypatch):
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    assert allocator.hold_mmap_threshold() is False


def test_every_command_runs_with_it(monkeypatch, tmp_path):
    from helpers import RELEASES

    from tradecalc.cli.main import main

    calls = []
    monkeypatch.setattr(allocator, "hold_mmap_threshold", lambda: calls.append(1) or True)
    out = tmp_path / "d.csv"
    assert main(["derive", str(RELEASES / "chongqing-2021-q1.toml"), "-o", str(out)]) == 0
    assert calls == [1]
