"""Counts of the reliability suite, printed in pytest's terminal summary (visible without ``-s``).

PYTEST_DONT_REWRITE: the test modules import it for :data:`COUNTS` before pytest registers it.

The test modules ``test_reliability_*.py`` register this plugin with
``pytest_plugins = ["helpers.reliability"]`` and add to :data:`COUNTS`;
at the end of the run pytest prints, for example::

    ----------------------------- reliability -----------------------------
    UDF fuzzing: 11234 calls with hostile Excel values (31 functions), 2400 identity examples
    hostile files: 24 rejected with exit code 2 (max memory 112 MiB of 1024 MiB allowed)
    SIGKILL during build: 46 kills, 46 survived with the workbook intact (6 while it was being written,
    14 after the new one was in place), 6 temp files left beside it
    largest workbook built and read back: 12000 figures (read in 3.1 s)
"""

from __future__ import annotations

COUNTS: dict[str, int] = {
    "udf_calls": 0,
    "udf_functions": 0,
    "identity_examples": 0,
    "files_rejected": 0,
    "max_rss_mib": 0,
    "kills": 0,
    "kills_survived": 0,
    "kills_after_rename": 0,
    "kills_in_write": 0,
    "temp_litter": 0,
    "largest_read_figures": 0,
    "largest_read_seconds": 0,
}
#: Memory bound asserted for every hostile-file run (MiB of resident memory).
RSS_LIMIT_MIB = 1024


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    c = COUNTS
    lines = []
    if c["udf_calls"] or c["identity_examples"]:
        lines.append(
            f"UDF fuzzing: {c['udf_calls']} calls with hostile Excel values "
            f"({c['udf_functions']} functions), {c['identity_examples']} identity examples"
        )
    if c["files_rejected"]:
        lines.append(
            f"hostile files: {c['files_rejected']} rejected with exit code 2 "
            f"(max memory {c['max_rss_mib']} MiB of {RSS_LIMIT_MIB} MiB allowed)"
        )
    if c["kills"]:
        lines.append(
            f"SIGKILL during build: {c['kills']} kills, {c['kills_survived']} survived with the workbook intact "
            f"({c['kills_in_write']} while it was being written, {c['kills_after_rename']} after the new one was in place), "
            f"{c['temp_litter']} temp files left beside it"
        )
    if c["largest_read_figures"]:
        lines.append(
            f"largest workbook built and read back: {c['largest_read_figures']} figures "
            f"(read in {c['largest_read_seconds']} s)"
        )
    if lines:
        terminalreporter.write_sep("-", "reliability")
        for line in lines:
            terminalreporter.write_line(line)
