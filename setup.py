"""The optional C extension; everything else about the package is in pyproject.toml.

``tradecalc.calc._kernels`` fuses the division and the domain check of share, growth and
implied_rate (see tradecalc/calc/arithmetic.py). It is ``optional``: where no C compiler
works (or none is wanted: ``CC=/bin/false``), the install goes on without it and those
functions run on numpy alone, with the same results.
"""

import hashlib
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

# The results must be numpy's to the bit: no FMA contraction, no fast-math reassociation.
GCC_LIKE = ["-O3", "-ffp-contract=off", "-fno-fast-math"]
MSVC = ["/O2", "/fp:precise"]
SOURCE = "tradecalc/calc/_kernels.c"
# The built module carries its source's hash: tests/core/test_kernels.py refuses a stale build.
SOURCE_SHA256 = hashlib.sha256((Path(__file__).parent / SOURCE).read_bytes()).hexdigest()


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
            define_macros=[("TRADECALC_KERNEL_SOURCE_SHA256", f'"{SOURCE_SHA256}"')],
            optional=True,
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
