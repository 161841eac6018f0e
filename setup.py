"""The optional C extensions; everything else about the package is in pyproject.toml.

``tradecalc.calc._kernels`` fuses the division and the domain check of share, growth and
implied_rate (see tradecalc/calc/arithmetic.py); ``tradecalc.workbook._cellscan`` makes the
workbook reader's three scans of a sheet's XML (see tradecalc/workbook/parts.py). Both are
``optional``: where no C compiler works (or none is wanted: ``CC=/bin/false``), the install
goes on without them and the same results come from numpy and Python's re.
"""

import hashlib
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# The results must be numpy's to the bit: no FMA contraction, no fast-math reassociation.
GCC_LIKE = ["-O3", "-ffp-contract=off", "-fno-fast-math"]
MSVC = ["/O2", "/fp:precise"]
SOURCE = "tradecalc/calc/_kernels.c"
SCAN_SOURCE = "tradecalc/workbook/_cellscan.c"


def source_sha256(source: str) -> str:
    """The built module carries its source's hash: the tests refuse a stale build."""
    return hashlib.sha256((Path(__file__).parent / source).read_bytes()).hexdigest()


class BuildExt(build_ext):
    """Chooses the flags by compiler family (MSVC does not take gcc's)."""

    def build_extensions(self):
        flags = MSVC if self.compiler.compiler_type == "msvc" else GCC_LIKE
        for ext in self.extensions:
            ext.extra_compile_args = flags
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "tradecalc.calc._kernels",
            sources=[SOURCE],
            define_macros=[("TRADECALC_KERNEL_SOURCE_SHA256", f'"{source_sha256(SOURCE)}"')],
            optional=True,
        ),
        Extension(
            "tradecalc.workbook._cellscan",
            sources=[SCAN_SOURCE],
            define_macros=[("TRADECALC_CELLSCAN_SOURCE_SHA256", f'"{source_sha256(SCAN_SOURCE)}"')],
            optional=True,
        ),
    ],
    cmdclass={"build_ext": BuildExt},
)
