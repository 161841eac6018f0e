"""Every size, count and time limit on input, in one place (the README's "Safety" section quotes them).

The workbook limits are sized against the largest release ``tradecalc build``
accepts (:data:`MAX_FIGURES`: 10^5 figures, a national customs year of partners ×
product chapters × months), so every workbook ``build`` writes is one its readers
admit (``build`` also checks its bytes with the readers' guard before writing).
Measured on ``bench/synthetic.py`` releases (2026-12-02, the streamed writer, 2
cores shared with other jobs):

=========  ==========  ===========  =========  ===============================
figures    .xlsx file  inflated     cells      build; reading the workbook
=========  ==========  ===========  =========  ===============================
 10,000     5.0 MiB     23 MiB        519,066   2.9-5.4 s
100,000    50.6 MiB    233 MiB      5,181,066   21.5-39.4 s; 9.6 s and 516 MiB
=========  ==========  ===========  =========  ===============================

A template takes about 2.4 KiB inflated and 52 cells per figure, plus its text
(sentences, labels: at most a release file's :data:`MAX_RELEASE_FILE_BYTES`,
stored once in the shared strings). So :data:`MAX_FIGURES` figures fit under
:data:`MAX_UNPACKED_BYTES` with their text and a margin of 2.2 (2.7 without
text), and under :data:`MAX_CELLS` with a margin of 1.9, while a zip bomb
(inflating 1,000 times, or to gigabytes) is refused as before.
"""

from __future__ import annotations

import os

_MIB = 2**20

#: Figures in one release that ``build`` writes (and every reader admits).
MAX_FIGURES = 100_000

#: A release file (TOML): 100,000 synthetic figures take 16 MiB (each with its sentence).
MAX_RELEASE_FILE_BYTES = 48 * _MIB
#: A release text for ``extract``: tens of kB; a saved web page a few hundred.
MAX_TEXT_BYTES = 2 * _MIB
#: A template workbook on disk (zip): 100,000 figures take 50.6 MiB.
MAX_WORKBOOK_BYTES = 128 * _MIB
#: Sum of a workbook's inflated members: 100,000 figures inflate to 233 MiB (and
#: their text up to 48 MiB more); python-calamine read them in 9.6 s and 516 MiB.
MAX_UNPACKED_BYTES = 640 * _MIB
#: Cells (``<c>`` elements) over all sheets, counted while streaming: about 52
#: per figure, 5,181,066 for 100,000 figures.
MAX_CELLS = 10_000_000
#: Members of the zip (a template has about 50).
MAX_MEMBERS = 10_000
#: Inflation ratio refused for a member above :data:`RATIO_FLOOR` bytes inflated:
#: sheet XML compresses 3-20 times, deflate's maximum is about 1030.
MAX_RATIO = 200
RATIO_FLOOR = _MIB

#: Characters of one printed number ("1,234,567.89 billion yuan" is 25): a
#: longer cell or field is refused before the number grammar looks at it.
MAX_NUMBER_CHARS = 200
#: Digits after the point a number may claim (``value_decimals``): a release
#: prints 0-3, a float holds 17 significant digits.
MAX_DECIMALS = 15
#: The coarsest precision: a growth printed as a multiple, "4.7 times", is ±0.05
#: times = ±5 points, −1 decimals in percent; "3-fold" is −2.
MIN_DECIMALS = -2

#: Seconds ``extract`` may take (a release text takes well under one).
EXTRACT_SECONDS = float(os.environ.get("TRADECALC_EXTRACT_SECONDS", "30"))


def mib(n: int) -> str:
    """``52428800`` → ``"50 MiB"``."""
    return f"{n / _MIB:.0f} MiB"
