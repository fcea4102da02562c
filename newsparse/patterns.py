"""Regular expressions compiled on first use: start-up pays only for the ones a run needs.

Compiling a pattern costs 50-800 µs, and a module may hold dozens that only unusual
input reaches. `compile_lazily` returns a stand-in whose first use compiles the pattern
and binds its methods on the stand-in itself, so later calls cost what a compiled
pattern's do. Copies of a stand-in are itself, as a compiled pattern's are, and a
pickled one is rebuilt from its source, still lazy.
"""

from __future__ import annotations

import re

__all__ = ["compile_lazily", "compiled"]

#: What a compiled pattern offers; the stand-in takes all of it at the first use.
_ATTRIBUTES = (
    "match",
    "fullmatch",
    "search",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "scanner",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _LazyPattern:
    """A pattern compiled when one of its attributes is first asked for."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:
        # Called only for attributes not set yet: after the first call, none of these.
        if name.startswith("__") or name == "_source":
            # What copy and pickle probe for (`__deepcopy__`, `__setstate__`) is no pattern
            # attribute: it compiles nothing, nor recurses on a stand-in not set up yet.
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __copy__(self) -> _LazyPattern:
        return self  # a pattern cannot change: its copy is itself, as a compiled one's is

    def __deepcopy__(self, memo: object) -> _LazyPattern:
        return self

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        # Pickled as its source, so that it is still compiled only when first used.
        return (_LazyPattern, self._source)

    def __repr__(self) -> str:
        return f"compile_lazily({self._source[0]!r}, {self._source[1]!r})"


def compile_lazily(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return PATTERN as `re.compile` would, compiled only when first used.

    Use its methods (`.match`, `.sub`, ...), not `re.match(it, ...)`, which wants the
    compiled pattern itself.
    """
    return _LazyPattern(pattern, flags)  # type: ignore[return-value]


def compiled(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """Return the compiled pattern behind PATTERN (itself, if it was compiled already)."""
    if isinstance(pattern, _LazyPattern):
        return re.compile(*pattern._source)
    return pattern
