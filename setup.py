"""Build newsparse: pure Python, or with NEWSPARSE_COMPILE=1 its hot modules compiled by mypyc.

The pure-Python modules are the reference: every test runs against them, and CI runs the
suite again against a compiled build. A compiled build that cannot be made (no mypyc, no
C compiler, a compiler error) installs the pure-Python package instead, with a warning.
An editable install is never compiled: a compiled module would hide edits to its source.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

#: The modules compiled: where `parse` spends its time (docs/performance.md). The same
#: list is `newsparse.compiled.COMPILABLE`; a test holds them equal.
COMPILED = [
    "newsparse/dates.py",
    "newsparse/parser.py",
    "newsparse/reading.py",
    "newsparse/text/boilerplate.py",
    "newsparse/text/clean.py",
]


#: The settings mypyc type-checks them with: the build environment lacks the libraries
#: newsparse imports elsewhere, which the project's strict settings would refuse.
MYPYC_CONFIG = "build_backend/mypyc.ini"


class OptionalBuildExt(build_ext):
    """Build the compiled modules, or none of them: a failure leaves the pure package."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # any failure: no compiler, a compile error
            self._give_up(error)

    def _give_up(self, error: Exception) -> None:
        for output in self.get_outputs():
            if os.path.exists(output):
                os.remove(output)
        self.distribution.ext_modules = []
        self.extensions = []
        sys.stderr.write(
            f"newsparse: the compiled modules could not be built ({error}); "
            "installing the pure-Python package\n"
        )


def _compiled_modules() -> list[object]:
    if os.environ.get("NEWSPARSE_COMPILE") != "1" or "editable_wheel" in sys.argv:
        return []
    if "egg_info" in sys.argv or "dist_info" in sys.argv:
        return []  # metadata only: mypy may not be installed yet, and is not needed
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.stderr.write("newsparse: mypyc is missing; installing the pure-Python package\n")
        return []
    try:
        return list(mypycify(["--config-file", MYPYC_CONFIG, *COMPILED], opt_level="3"))
    except (Exception, SystemExit) as error:  # mypyc failed (it exits on a type error)
        sys.stderr.write(f"newsparse: mypyc failed ({error!r}); installing pure Python\n")
        return []


setup(ext_modules=_compiled_modules(), cmdclass={"build_ext": OptionalBuildExt})
