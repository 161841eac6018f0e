"""Reporting periods as machine-readable month ranges.

Written forms (as in release files and the workbook's ``period`` column):

* ``2021`` — a calendar year;  ``2021-H1`` — a half;  ``2021-Q1`` — a quarter;
* ``2021-03`` — a month;  ``2021-01/2021-08`` — January to August (cumulative).

>>> Period.parse("2021-03") in Period.parse("2021-Q1")
True
>>> str(Period.parse("2021-Q1") - Period.parse("2021-03"))
'2021-01/2021-02'
>>> Period.parse("2021-Q1").label
'Q1 2021'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2})\s*(?:/|\.\.)\s*(\d{4}-\d{2})$")

FORMS = "2021, 2021-H1, 2021-Q1, 2021-03 or 2021-01/2021-08"
#: The English month names, January first: labels here, and what extraction reads in a text
#: (written out rather than taken from ``calendar``, whose names follow the locale).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class PeriodError(ValueError):
    """A period that is not in one of the written forms."""


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of months, counted as ``year * 12 + (month - 1)``."""

    start: int
    end: int

    @classmethod
    def parse(cls, text) -> Period:
        """The period a written form stands for; raises :class:`PeriodError` naming the forms.

        Parsed once per distinct text (a release has a handful of periods and
        10^5 figures): periods are immutable, so the cached one can be shared.
        """
        return _parsed(cls, str(text).strip())

    @classmethod
    def _parse(cls, s: str) -> Period:
        if m := _MONTH.match(s):
            y, mo = int(m.group(1)), int(m.group(2))
            if not 1 <= mo <= 12:
                raise PeriodError(f"month {mo} does not exist in {s!r}; write {FORMS}")
            return cls(y * 12 + mo - 1, y * 12 + mo - 1)
        if m := _QUARTER.match(s):
            y, q = int(m.group(1)), int(m.group(2))
            return cls(y * 12 + 3 * (q - 1), y * 12 + 3 * q - 1)
        if m := _HALF.match(s):
            y, h = int(m.group(1)), int(m.group(2))
            return cls(y * 12 + 6 * (h - 1), y * 12 + 6 * h - 1)
        if m := _YEAR.match(s):
            y = int(m.group(1))
            return cls(y * 12, y * 12 + 11)
        if m := _RANGE.match(s):
            a, b = cls.parse(m.group(1)), cls.parse(m.group(2))
            if b.end < a.start:
                raise PeriodError(f"period {s!r} ends before it starts; write {FORMS}")
            return cls(a.start, b.end)
        raise PeriodError(f"{s!r} is not a period; write {FORMS}")

    @property
    def months(self) -> int:
        """The number of months the period covers: 1 for a month, 3 for a quarter, 12 for a year."""
        return self.end - self.start + 1

    def __contains__(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __sub__(self, other: Period) -> Period | None:
        """The rest of this period outside ``other`` when it is one range, else None."""
        if other not in self or other == self:
            return None
        if other.start == self.start:
            return Period(other.end + 1, self.end)
        if other.end == self.end:
            return Period(self.start, other.start - 1)
        return None

    def years_after(self, earlier: Period) -> float:
        """Years from ``earlier`` to this period: 2021-Q1 after 2019-Q1 → 2.0."""
        return (self.start - earlier.start) / 12.0

    def __str__(self) -> str:
        y0, m0 = divmod(self.start, 12)
        y1, m1 = divmod(self.end, 12)
        if self.start == self.end:
            return f"{y0}-{m0 + 1:02d}"
        if y0 == y1 and m0 == 0 and m1 == 11:
            return f"{y0}"
        if y0 == y1 and m0 % 3 == 0 and m1 == m0 + 2:
            return f"{y0}-Q{m0 // 3 + 1}"
        if y0 == y1 and m0 % 6 == 0 and m1 == m0 + 5:
            return f"{y0}-H{m0 // 6 + 1}"
        return f"{y0}-{m0 + 1:02d}/{y1}-{m1 + 1:02d}"

    @functools.cached_property
    def label(self) -> str:
        """Human form: "Q1 2021", "March 2021", "January-February 2021" (worked out once per period)."""
        s = str(self)
        y0, m0 = divmod(self.start, 12)
        y1, m1 = divmod(self.end, 12)
        if "Q" in s or "H" in s:
            return f"{s[5:]} {y0}"
        if self.start == self.end:
            return f"{MONTH_NAMES[m0]} {y0}"
        if s == str(y0):
            return s
        if y0 == y1:
            return f"{MONTH_NAMES[m0]}-{MONTH_NAMES[m1]} {y0}"
        return f"{MONTH_NAMES[m0]} {y0}-{MONTH_NAMES[m1]} {y1}"


@functools.lru_cache(maxsize=4096)
def _parsed(cls, s: str) -> Period:
    return cls._parse(s)
