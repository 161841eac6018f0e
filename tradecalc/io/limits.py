"""Every size, count and time limit on input, in one place (the README's "Safety" section quotes them).

The limits are sized against the largest release ``tradecalc build`` accepts
(:data:`MAX_FIGURES`), so every workbook ``build`` writes is one its readers
admit: a template inflates to about 3.1 KiB and 64 cells per figure (measured
on ``bench/synthetic.py`` releases: 12,000 figures inflate to 36 MiB with
768,000 cells), so :data:`MAX_FIGURES` figures stay under both with a margin
of about 1.5 times.
"""

from __future__ import annotations

import os

_MIB = 2**20

#: Figures in one release that ``build`` writes (and every reader admits).
MAX_FIGURES = 20_000

#: A release file (TOML): 20,000 figures take about 4 MiB.
MAX_RELEASE_FILE_BYTES = 20 * _MIB
#: A release text for ``extract``: tens of kB; a saved web page a few hundred.
MAX_TEXT_BYTES = 2 * _MIB
#: A template workbook on disk (zip): 20,000 figures take about 9 MiB.
MAX_WORKBOOK_BYTES = 50 * _MIB
#: Sum of a workbook's inflated members: 20,000 figures inflate to about 61 MiB.
#: openpyxl holds the whole workbook in memory (110 MiB of dense numeric
#: cells took 1.5 GB and 65 s); 96 MiB stays near 1.3 GB.
MAX_UNPACKED_BYTES = 96 * _MIB
#: Cells (``<c>`` elements) over all sheets: about 64 per figure, 1.28 million
#: for 20,000 figures; openpyxl spends about 350 bytes per cell.
MAX_CELLS = 2_000_000
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

#: Seconds ``extract`` may take (a release text takes well under one).
EXTRACT_SECONDS = float(os.environ.get("TRADECALC_EXTRACT_SECONDS", "30"))


def mib(n: int) -> str:
    """``52428800`` → ``"50 MiB"``."""
    return f"{n / _MIB:.0f} MiB"
