"""The C allocator's setting for a command that holds a whole release in memory.

glibc's ``malloc`` serves a block of 128 KiB or more with its own ``mmap`` and
returns it to the system when freed, but every such free raises that threshold
(up to 32 MiB), so the next big arrays (a derived table's columns, a sheet's
cells, the output's bytes) come from the heap, whose freed pages stay with the
process. Building the workbook of a 10^5-figure release that way peaked at
353 MiB; with the threshold held at 128 KiB it peaks at about 300 MiB, in the same time
(``bench/README.md``, build). The command line owns the process, so it sets
this; the library never does.
"""

from __future__ import annotations

import sys

#: glibc's ``M_MMAP_THRESHOLD`` (malloc.h); setting it also turns the dynamic threshold off.
M_MMAP_THRESHOLD = -3
#: glibc's default threshold, now kept for the whole command.
MMAP_THRESHOLD_BYTES = 128 * 1024


def hold_mmap_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes; True if set (False: not glibc).

    On other C libraries (macOS, Windows, musl) nothing is changed: they do not
    move a threshold this way.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018  (present in glibc only)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, threshold) == 1
