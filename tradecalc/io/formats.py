"""Names of the file formats, defined once: the report formats and the workbook formats are different things.

``REPORT_FORMATS`` are what ``derive`` and ``check`` print (``--format``);
``WORKBOOK_FORMATS`` what ``build`` writes; ``WORKBOOK_SUFFIXES`` the files
read as template workbooks.
"""

from __future__ import annotations

#: ``derive``/``check --format``: a terminal table, or a machine format carrying units.
REPORT_FORMATS = ("table", "csv", "json", "markdown")
#: The report format an output file's suffix implies (``-o checks.csv`` → csv); others: table.
REPORT_SUFFIXES = {".csv": "csv", ".json": "json", ".md": "markdown", ".markdown": "markdown"}
#: ``build --format``: with xlwings' VBA project (the default) or macro-free.
WORKBOOK_FORMATS = ("xlsm", "xlsx")
#: Files read as template workbooks.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def report_format(requested: str | None, output=None) -> str:
    """``--format`` if given, else the output file's suffix, else ``table``.

    >>> report_format(None, "q1-checks.csv"), report_format("json", "x.csv"), report_format(None, None)
    ('csv', 'json', 'table')
    """
    if requested:
        return requested
    if output and str(output) != "-":
        from pathlib import Path

        return REPORT_SUFFIXES.get(Path(output).suffix.lower(), "table")
    return "table"


def is_workbook_name(path) -> bool:
    """A name ending in .xlsx or .xlsm (any case)."""
    return str(path).lower().endswith(WORKBOOK_SUFFIXES)
