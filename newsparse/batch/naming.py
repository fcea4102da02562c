"""Which inputs a run finds, and the output name each one gets in the destination."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..compression import strip_extension
from ..errors import InvalidOption, NewsparseError
from ..exporters import format_for_path
from ..reading import discover
from .manifest import MANIFEST_NAME

if TYPE_CHECKING:
    from .options import ConvertOptions

__all__ = ["UnsafeOutputPath", "check_sources", "count_inputs", "format_for_path", "output_name"]


class UnsafeOutputPath(NewsparseError, ValueError):
    """An input's relative name would put its output outside the destination directory."""


def check_sources(sources: Sequence[str], options: ConvertOptions) -> None:
    """Raise InvalidOption when a source is, or lies inside, the destination directory.

    Its files would all be skipped as outputs, which is never what was meant.
    """
    if options.destination is None:
        return
    destination = os.path.realpath(options.destination)
    for source in sources:
        real = os.path.realpath(source)
        if real == destination or real.startswith(os.path.join(destination, "")):
            raise InvalidOption(
                f"source {source!r} is inside the destination {options.destination!r}; "
                "write the outputs somewhere else"
            )


def output_name(relative: str, extension: str) -> str:
    """Return the output path, relative to the destination, for the input at RELATIVE.

    The extension is replaced (`a/b.txt` gives `a/b.json`). Raise UnsafeOutputPath for a
    name that is absolute, empty or climbs out with `..`.
    """
    return _output_name(_safe_parts(relative), extension)


def _output_name(parts: list[str], extension: str) -> str:
    return os.path.join(*parts[:-1], _stem(parts[-1]) + extension)


def _stem(name: str) -> str:
    # `a.txt.gz` gives `a.json`, as `a.txt` does.
    dot = name.find(".")
    if dot > 0 and name.find(".", dot + 1) < 0:
        return name[:dot]  # one extension, compression's (`a.gz`, `a.tgz`) or not: most names
    return os.path.splitext(strip_extension(name))[0] or name


def _inside(directory: str, name: str) -> str:
    if os.altsep is None:  # one separator, no drives: joining is putting one between
        return directory + os.sep + name if directory else name
    return os.path.join(directory, name)


def _split_safely(relative: str) -> tuple[str, str]:
    """Return (directory, file name) of RELATIVE as `_safe_parts` reads it.

    A name with nothing to mend (one kind of separator, no empty, `.` or `..` part, none
    starting with a dot) is split as it stands: `convert` claims a name for every input,
    and mending costs about twice as much.
    """
    if (
        os.altsep is None
        and relative
        and relative[0] != os.sep
        and relative[-1] != os.sep
        and (os.sep + ".") not in relative
        and relative[0] != "."
        and (os.sep + os.sep) not in relative
    ):
        directory, _, name = relative.rpartition(os.sep)
        return directory, name
    parts = _safe_parts(relative)
    return (os.path.join(*parts[:-1]) if len(parts) > 1 else ""), parts[-1]


def _safe_parts(relative: str) -> list[str]:
    drive, rest = os.path.splitdrive(relative)
    if drive or os.path.isabs(relative):
        raise UnsafeOutputPath(f"absolute input name {relative!r}")
    separators = [os.sep] + ([os.altsep] if os.altsep else [])
    for separator in separators[1:]:
        rest = rest.replace(separator, os.sep)
    parts = [part for part in rest.split(os.sep) if part not in ("", ".")]
    if not parts or ".." in parts:
        raise UnsafeOutputPath(f"input name {relative!r} would leave the destination")
    return parts


class _OutputNames:
    """Give every input its own output name, even when two inputs map to the same one.

    Names are compared case-folded so the tree can be copied to a case-insensitive file
    system. The first input (in sorted order) keeps the natural name; later ones get
    the input's own extension kept (`a.TXT.json`), then a counter (`a.TXT~2.json`).
    """

    def __init__(self, extension: str) -> None:
        self.extension = extension
        self._taken = {MANIFEST_NAME.casefold()}

    def claim(self, relative: str) -> tuple[str, str | None]:
        """Return (output name, the natural name when it was taken by another input)."""
        directory, name = _split_safely(relative)
        wanted = _inside(directory, _stem(name) + self.extension)
        if self._take(wanted):
            return wanted, None
        candidate = _inside(directory, name + self.extension)
        if self._take(candidate):
            return candidate, wanted
        number = 2
        while True:
            candidate = _inside(directory, f"{name}~{number}{self.extension}")
            if self._take(candidate):
                return candidate, wanted
            number += 1

    def _take(self, name: str) -> bool:
        key = name.casefold()
        if key in self._taken:
            return False
        self._taken.add(key)
        return True


def count_inputs(sources: Sequence[str], options: ConvertOptions) -> int | None:
    """Return how many entries `convert` will report for SOURCES (for a progress bar).

    A zip's members are counted from its directory; None when a tar archive is among
    SOURCES (it would have to be read through to count them).
    """
    from ..archives import count_members, is_archive_name

    total = 0
    for entry in discover(
        list(sources),
        pattern=options.pattern,
        exclude=_excluded(options),
        follow_symlinks=options.follow_symlinks,
    ):
        if entry.error is None and is_archive_name(entry.path):
            members = count_members(entry.path, options.pattern)
            if members is None:
                return None
            total += members
        else:
            total += 1
    return total


def _excluded(options: ConvertOptions) -> list[str]:
    return [path for path in (options.destination, options.combine) if path is not None]
