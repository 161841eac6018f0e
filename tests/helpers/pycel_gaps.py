"""Two of Excel's behaviours pycel (1.0b30) lacks, for ``ExcelCompiler(plugins=[...])``.

* ``ROWS`` is not implemented: the number of rows of a reference or array.
* ``MATCH`` over a one-cell range fails in pycel (it receives the cell's bare
  value); Excel treats the cell as a one-element array: ``MATCH("x", A1, 0)``
  is 1 when A1 holds "x". Over an empty range (pycel's ``OFFSET`` of height
  0, which is ``#REF!`` in Excel) it raises; here it is ``#REF!``.

pycel hands a plugin function a range as its values, a tuple of row tuples,
and one cell as a bare value. Plugin functions take precedence over pycel's own.
"""

from __future__ import annotations

from pycel.excelutil import REF_ERROR
from pycel.lib import lookup
from pycel.lib.function_helpers import excel_helper


def rows(array):
    """Rows of a range's values (a tuple of row tuples), 1 for one cell.

    >>> rows(((1,), (2,), (3,))), rows(7)
    (3, 1)
    """
    return len(array) if isinstance(array, tuple) else 1


@excel_helper(cse_params=0, number_params=2, err_str_params=(0, 2))  # as pycel's own MATCH
def match(lookup_value, lookup_array, match_type=1):
    """pycel's MATCH, with one cell taken as a one-element range.

    >>> match("x", "x", 0), match("x", (("y",), ("x",)), 0)
    (1, 2)
    """
    if not isinstance(lookup_array, tuple):
        lookup_array = ((lookup_array,),)
    if not lookup_array or not lookup_array[0]:
        return REF_ERROR  # an empty range: Excel's OFFSET of height 0 is #REF!
    if len(lookup_array) == 1:
        lookup_array = lookup_array[0]
    else:
        lookup_array = tuple(row[0] for row in lookup_array)
    return lookup._match(lookup_value, lookup_array, match_type)
