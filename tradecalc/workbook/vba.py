"""The VBA project of the .xlsm, taken at build time from the installed xlwings.

Classic xlwings calls Python from Excel through VBA. ``xlwings quickstart
--standalone`` creates its workbooks from ``quickstart_standalone.xlsm``,
which ships inside the xlwings package and carries the whole xlwings VBA
module (RunPython, ImportPythonUDFs, the config readers), so a workbook that
has it needs neither the xlwings add-in nor a VBA reference. The build copies
that file's ``xl/vbaProject.bin`` into the template; the binary is never
committed (it is xlwings' code, under xlwings' licence, and matches the
xlwings the user installed).
"""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

SOURCE_WORKBOOK = "quickstart_standalone.xlsm"
VBA_PART = "xl/vbaProject.bin"


def xlwings_dir() -> Path:
    """The installed xlwings package's folder (found without importing xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise ValueError(
            "xlwings is not installed, so the .xlsm cannot get its VBA project; "
            "pip install xlwings, or build a macro-free copy with --format xlsx"
        )
    return Path(spec.origin).parent


def xlwings_vba_project() -> tuple[bytes, str]:
    """(vbaProject.bin bytes, where they came from) from xlwings' standalone quickstart workbook."""
    src = xlwings_dir() / SOURCE_WORKBOOK
    if not src.is_file():
        raise ValueError(
            f"the installed xlwings has no {SOURCE_WORKBOOK} to take the VBA project from ({src}); "
            "build a macro-free copy with --format xlsx"
        )
    with zipfile.ZipFile(src) as z:
        try:
            data = z.read(VBA_PART)
        except KeyError:
            raise ValueError(
                f"{src} holds no {VBA_PART}; build a macro-free copy with --format xlsx"
            ) from None
    if not data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file, as Excel stores VBA
        raise ValueError(f"{src}:{VBA_PART} is not a VBA project (not an OLE file)")
    return data, f"{src.name} of xlwings {_version()}"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xlwings")
    except PackageNotFoundError:
        return "?"
