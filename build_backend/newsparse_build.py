"""Build newsparse with setuptools; NEWSPARSE_COMPILE=1 also asks for mypyc to compile it.

The compiled modules are optional: setup.py falls back to the pure-Python package when
mypyc or a C compiler is missing, so only a build that asks for them needs mypy.
"""

from __future__ import annotations

import os

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook setuptools provides)

#: What compiling needs in the build environment: mypyc ships with mypy.
COMPILE_REQUIRES = ["mypy>=1.10"]


def _compile_requires() -> list[str]:
    return COMPILE_REQUIRES if os.environ.get("NEWSPARSE_COMPILE") == "1" else []


def get_requires_for_build_wheel(config_settings: dict[str, str] | None = None) -> list[str]:
    """Return setuptools' build requirements, and mypy when a compiled build is asked for."""
    return _setuptools.get_requires_for_build_wheel(config_settings) + _compile_requires()


def get_requires_for_build_editable(config_settings: dict[str, str] | None = None) -> list[str]:
    """Return setuptools' requirements for an editable build (never compiled: see setup.py)."""
    return _setuptools.get_requires_for_build_editable(config_settings)
