"""Which of newsparse's modules run compiled: a build made with NEWSPARSE_COMPILE=1 (setup.py)."""

from __future__ import annotations

__all__ = ["COMPILABLE", "compiled_modules"]

#: The modules a compiled build compiles with mypyc (setup.py's COMPILED, as module names).
COMPILABLE = (
    "newsparse.dates",
    "newsparse.parser",
    "newsparse.reading",
    "newsparse.text.boilerplate",
    "newsparse.text.clean",
)


def compiled_modules() -> list[str]:
    """Return the modules of COMPILABLE that this install runs compiled, without loading any."""
    from importlib.util import find_spec

    found = []
    for name in COMPILABLE:
        spec = find_spec(name)
        if spec is not None and spec.origin is not None and not spec.origin.endswith(".py"):
            found.append(name)
    return found
