"""Check kinds, structured check ids and the rows of the checks table.

A check is identified by a :class:`CheckId`: its :class:`CheckKind`, the
subject it is about (a breakdown, a series, a statement or a figure id) and,
where one subject has several checks of a kind, an aspect (the rest period of
a series). The ``check`` column is the id written out for people
(``flow-q1:growth``); code uses the kind and the subject, never that text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from tradecalc.analysis import status as st

#: Columns of the checks table. The first thirteen are the historical ones; ``code``
#: (the :class:`CheckKind` value), ``subject`` and ``aspect`` (the parts of the
#: :class:`CheckId`) come last so that readers of the older columns keep working.
CHECK_COLUMNS = (
    "check",
    "kind",
    "figures",
    "description",
    "stated",
    "computed",
    "difference",
    "tolerance",
    "low",
    "high",
    "unit",
    "status",
    "note",
    "code",
    "subject",
    "aspect",
)
TEXT_COLUMNS = (
    "check",
    "kind",
    "figures",
    "description",
    "unit",
    "status",
    "note",
    "code",
    "subject",
    "aspect",
)
NUMBER_COLUMNS = tuple(c for c in CHECK_COLUMNS if c not in TEXT_COLUMNS)


class CheckKind(Enum):
    """What a check compares: a stable ``code``, the ``kind`` label, the id ``template``."""

    PARTS_SUM = ("parts_sum", "parts sum to total", "{subject}:sum")
    PART_BASES = ("part_bases", "part bases sum to total base", "{subject}:base")
    PARTS_GROWTH = ("parts_growth", "growth of parts = total growth", "{subject}:growth")
    PARTS_EARLIER_GROWTH = (
        "parts_earlier_growth",
        "growth of parts on an earlier period = total's",
        "{subject}:earlier_growth",
    )
    RESIDUAL = ("residual", "residual (other)", "{subject}:residual")
    RESIDUAL_BASE = ("residual_base", "residual base", "{subject}:residual_base")
    RESIDUAL_GROWTH = ("residual_growth", "residual growth", "{subject}:residual_growth")
    PART_WITHIN = ("part_within", "each part within total", "{subject}:within")
    REST_VALUE = ("rest_value", "sub-period rest", "{subject}:{aspect}:value")
    REST_GROWTH = ("rest_growth", "sub-period rest growth", "{subject}:{aspect}:growth")
    REST_STATED = (
        "rest_stated",
        "sub-period rest against its stated figure",
        "{subject}:{aspect}:value",
    )
    REST_GROWTH_STATED = (
        "rest_growth_stated",
        "sub-period rest growth against its stated figure",
        "{subject}:{aspect}:growth",
    )
    PP_IMPLIED = ("pp_implied", "stated pp difference", "{subject}")
    PP_JUDGED = ("pp_judged", "pp difference against a figure", "{subject}")
    EXCHANGE_RATE = ("exchange_rate", "implied exchange rate", "{subject}")
    SHARE = ("share", "stated share", "{subject}")
    SHARE_CHANGE = ("share_change", "stated share change", "{subject}")
    CHANGE = ("change", "stated change", "{subject}")
    EARLIER_LEVEL = ("earlier_level", "multi-year growth", "{subject}:earlier_level")
    AVERAGE_GROWTH = ("average_growth", "multi-year growth", "{subject}:average_growth")
    PRIOR_GROWTH = ("prior_growth", "multi-year growth", "{subject}:prior_growth")
    PREVIOUS_LEVEL = ("previous_level", "growth on the previous period", "{subject}:previous_level")
    BALANCE = ("balance", "balance = exports - imports", "{subject}:balance")
    BALANCE_GROWTH = (
        "balance_growth",
        "balance growth = growth of exports - imports",
        "{subject}:balance_growth",
    )
    UNCHECKED = ("unchecked", "check that could not run", "{subject}:unchecked")

    def __init__(self, code: str, label: str, template: str):
        self.code, self.label, self.template = code, label, template
        # "{subject}:sum": the subject and a fixed ending, joined without a format call
        rest = template.removeprefix("{subject}")
        self._ending = rest if rest != template and "{" not in rest else None

    def check_text(self, subject: str, aspect: str = "") -> str:
        """The ``check`` column of a check of this kind: ``PARTS_SUM`` on "flow-q1" is "flow-q1:sum"."""
        if self._ending is not None:
            return subject + self._ending
        return self.template.format(subject=subject, aspect=aspect or "rest")


@dataclass(frozen=True)
class CheckId:
    """A check's identity: its kind, its subject's id and an aspect; ``str()`` gives the ``check`` column."""

    kind: CheckKind
    subject: str
    aspect: str = ""

    def __str__(self) -> str:
        return self.kind.check_text(self.subject, self.aspect)


#: A row as :func:`row` makes it: the table's columns, then the ids of the figures it
#: rests on and its :class:`CheckKind` (read by the notes, not shown).
ROW_FIELDS = (*CHECK_COLUMNS, "_figures", "_kind")
#: Position of each field in a row.
AT = {name: i for i, name in enumerate(ROW_FIELDS)}


def row(
    cid: CheckId,
    figures,
    description: str,
    unit: str,
    status: str,
    *,
    stated=np.nan,
    computed=np.nan,
    low=np.nan,
    high=np.nan,
    tolerance=np.nan,
    difference=np.nan,
    note: str = "",
) -> list:
    """One row of the checks table, its cells in :data:`ROW_FIELDS` order: every cell a
    plain ``str`` or ``float``.

    ``difference`` defaults to computed − stated where both are given. A list, not a
    dict: a check at 10^5 figures writes 3·10^4 rows, 35 MiB as dicts and 6 MiB as lists.
    """
    stated, computed = _cell(stated), _cell(computed)
    difference = _cell(difference)
    if math.isnan(difference) and not math.isnan(stated) and not math.isnan(computed):
        difference = computed - stated
    kind = cid.kind
    return row_cells(
        str(cid),
        kind,
        figures,
        description,
        (stated, computed, difference, _cell(tolerance), _cell(low), _cell(high)),
        unit,
        status,
        note,
        cid.subject,
        cid.aspect,
    )


def row_cells(check, kind, figures, description, numbers, unit, status, note, subject, aspect):
    """The cells of a row in :data:`ROW_FIELDS` order, from what :func:`row` has worked out.

    ``numbers``: (stated, computed, difference, tolerance, low, high), plain floats.
    A caller making 10^4 rows of one kind at once (the growths on an earlier year) calls
    it directly, with its numbers already floats and ``kind.check_text(subject)``.
    """
    return [
        check,
        kind.label,
        ",".join(figures),
        description,
        *numbers,
        unit,
        status,
        note,
        kind.code,
        subject,
        aspect,
        tuple(figures),
        kind,
    ]


def _cell(x) -> float:
    """A number cell: a plain float, NaN for None."""
    return math.nan if x is None else float(x)


def judged_row(
    cid: CheckId,
    figures,
    description: str,
    unit: str,
    stated,
    computed,
    low,
    high,
    *,
    percent: bool = False,
    approximate: bool = False,
    note: str = "",
    if_inconsistent: str = "",
) -> list:
    """The row of a stated number judged against an implied one (:func:`status.judge`).

    ``stated`` is a :class:`~.context.Num` (value, its interval, decimals, qualifier);
    ``computed`` in ``[low, high]`` is what the other figures imply. The tolerance
    is the two half-widths added: exports 40.06 and imports 24 imply 64.06
    [63.555, 64.565] against a total printed as 64.06 [64.055, 64.065]: tolerance
    0.505 + 0.005 = 0.51. ``if_inconsistent`` replaces ``note`` when the status is
    inconsistent (it says what cannot be).
    """
    status = st.judge(
        stated.value,
        stated.low,
        stated.high,
        computed,
        low,
        high,
        stated.decimals,
        percent=percent,
        qualifier=stated.qualifier,
        approximate=approximate,
    )
    return row(
        cid,
        figures,
        description,
        unit,
        status,
        stated=stated.value,
        computed=computed,
        low=low,
        high=high,
        tolerance=(high - low) / 2 + (stated.high - stated.low) / 2,
        note=if_inconsistent if status == st.INCONSISTENT and if_inconsistent else note,
    )


def implied_row(
    cid: CheckId, figures, description: str, unit: str, computed, low, high, *, note: str
) -> list:
    """The row of a number the release implies but states nowhere: reported, not judged.

    Tolerance is half the width of its interval: a level in Q1 2019 implied by
    180.24 (+37% on it) lies in [131.51, 131.61], tolerance 0.05.
    """
    check = str(cid)
    return implied_cells(
        check,
        cid.kind,
        cid.subject,
        cid.aspect,
        figures,
        description,
        unit,
        computed,
        low,
        high,
        note,
    )


def implied_cells(
    check, kind, subject, aspect, figures, description, unit, computed, low, high, note
) -> list:
    """:func:`implied_row` of a check given by its parts (``check``: ``kind.check_text(subject)``).

    For a caller making 10^4 such rows at once (the growths on an earlier year, at 10^5
    figures): no :class:`CheckId` to make and format for each (a third of a row's cost).
    """
    low, high = _cell(low), _cell(high)
    numbers = (math.nan, _cell(computed), math.nan, (high - low) / 2, low, high)
    return row_cells(
        check, kind, figures, description, numbers, unit, st.NOT_CHECKABLE, note, subject, aspect
    )
