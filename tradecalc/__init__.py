"""tradecalc: the arithmetic of official trade releases.

>>> from tradecalc import base, share_change_pp
>>> round(base(180.24, 0.604), 2)
112.37

Headless use::

    import tradecalc
    release = tradecalc.load("workbooks/releases/chongqing-2021-q1.toml")  # or a template workbook
    tradecalc.derive(release)   # DataFrame, one row per figure
    tradecalc.check(release)    # DataFrame, one row per check
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradecalc.model.release import Release

# The arithmetic (and with it numpy) is imported on first use, not on
# ``import tradecalc``: the command line's ``--help`` and the release model
# stay quick (numpy alone costs about 0.1 s to import).
_ARITHMETIC = (
    "TradeDomainError",
    "aggregate_growth",
    "average_growth",
    "base",
    "base_share",
    "change",
    "compound_growth",
    "contribution",
    "difference_growth",
    "growth",
    "implied_rate",
    "pp",
    "prior_growth",
    "pull_pp",
    "reference_rate",
    "residual",
    "share",
    "share_change_pp",
)
_RELEASE = ("Release", "ReleaseError")


def __getattr__(name):
    if name in _ARITHMETIC:
        from tradecalc.calc import arithmetic

        value = getattr(arithmetic, name)
    elif name in _RELEASE:
        from tradecalc.model import release

        value = getattr(release, name)
    else:
        raise AttributeError(f"module 'tradecalc' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_ARITHMETIC) | set(_RELEASE))


def _installed_version() -> str:
    """The version of the installed distribution ``tradecalc-releases`` (pyproject.toml is its one source)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradecalc-releases")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


__version__ = _installed_version()


def load(path, *, progress=None, alongside=None) -> Release:
    """Load a release file (.toml) or a template workbook (.xlsx/.xlsm), through the bounded reader.

    The one loader: the command line calls it too. A missing file, a folder, a
    file over the size limit or a spreadsheet in another format (.xls, .ods) is
    refused with a :class:`~tradecalc.errors.BadInput` naming it. ``progress``
    is an optional :class:`tradecalc.io.progress.TerminalProgress`.
    ``alongside``: an optional callable run once on the calling thread while a
    workbook's largest sheet is parsed in a worker thread
    (:func:`tradecalc.workbook.reader.read_workbook`); for a release file,
    before it is read.
    """
    from pathlib import Path

    from tradecalc.io.formats import is_workbook_name
    from tradecalc.io.progress import NULL_PROGRESS

    path, progress = Path(path), progress or NULL_PROGRESS
    if is_workbook_name(path):
        from tradecalc.workbook.reader import read_workbook

        return read_workbook(path, progress=progress, alongside=alongside)  # guarded first
    if alongside is not None:
        alongside()
    progress.phase(f"reading {path.name}")
    from tradecalc.model.releasefile import load as load_release_file

    return load_release_file(path)  # the bounded reader: .xls/.ods, UTF-16, oversize named


def derive(release):
    """The derived table (pandas DataFrame indexed by figure id); see :mod:`tradecalc.analysis.derived_table`."""
    from tradecalc.analysis.derived_table import derive as _derive
    from tradecalc.model.release import Release

    return _derive(release if isinstance(release, Release) else load(release))


def check(release):
    """The checks table (pandas DataFrame); see :mod:`tradecalc.analysis.checks`."""
    from tradecalc.analysis.checks import check as _check
    from tradecalc.model.release import Release

    return _check(release if isinstance(release, Release) else load(release))


def series(sources):
    """Figures, single periods and revisions across releases, as DataFrames.

    See :mod:`tradecalc.analysis.series`:

    ``tradecalc.series(["national-2021-q1.toml", "national-2021-jan-apr.toml"]).periods``
    """
    from tradecalc.analysis.series import series as _series

    return _series(sources, load=load)


__all__ = [*_RELEASE, "load", "derive", "check", "series", *_ARITHMETIC]
