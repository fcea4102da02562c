"""Inputs found, the output guarded and opened, articles written: the click-free core of `parse`.

The click command and the quick path for `newsparse parse PATHS...` both call
`run_parse` with the same defaults, so their output is the same.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys

from ..api import parse_file, parse_stream
from ..console import print_diagnostics
from ..errors import InvalidOption
from ..model import Diagnostic, ParseOptions, ParseResult, Severity
from ..reading import discover, display_name, is_temporary_of
from .errors import ExitStatus, stopping_cleanly

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any

    from ..exporters import Exporter, ExportOptions
    from ..reading import InputEntry

__all__ = [
    "DEFAULT_FORMAT",
    "DEFAULT_PATTERN",
    "OutputGuard",
    "open_output",
    "parse_entries",
    "run_parse",
]

#: `newsparse parse` writes this format unless told otherwise.
DEFAULT_FORMAT = "json"
#: Files read in a directory given as input, unless told otherwise.
DEFAULT_PATTERN = "*.txt"


def run_parse(inputs: list[str], *, exporter_class: type[Exporter], options: ParseOptions,
              exporting: ExportOptions | None = None, output: str = "-", quiet: bool = False,
              pattern: str = DEFAULT_PATTERN) -> ExitStatus:
    """Parse INPUTS (paths, directories or `-`) and write their articles to OUTPUT.

    Diagnostics go to stderr unless QUIET. Return PROBLEMS when any input had errors;
    a closed pipe, Ctrl-C or an unwritable output exit at once (see `stopping_cleanly`).
    Raise InvalidOption when the output is also an input (nothing is written then).
    """
    guard = OutputGuard(output, inputs)
    entries = guard.checked(discover(inputs, pattern=pattern, exclude=guard.exclude))
    had_errors = False

    def status() -> ExitStatus:
        return ExitStatus.PROBLEMS if had_errors else ExitStatus.OK

    with stopping_cleanly(output, status), \
            open_output(output, binary=exporter_class.binary) as stream:
        exporter = exporter_class(stream, options=exporting)
        for result in parse_entries(entries, options):
            # Known before the articles are written: a closed pipe keeps the status.
            had_errors = had_errors or result.has_errors
            for article in result.articles:
                exporter.write(article)
            if not quiet:
                print_diagnostics(result.diagnostics)
        exporter.close()
    return ExitStatus.PROBLEMS if had_errors else ExitStatus.OK


def parse_entries(entries: Iterator[InputEntry], options: ParseOptions) -> Iterator[ParseResult]:
    """Parse each input found; standard input is streamed in pieces."""
    for entry in entries:
        if entry.error is not None:
            yield ParseResult(diagnostics=[
                Diagnostic(display_name(entry.path), 1, 1, "NP108", Severity.ERROR, entry.error)
            ])
        elif entry.path == "-":
            # Streamed in pieces, so memory stays flat however long the input is.
            yield from parse_stream(sys.stdin.buffer, options=options)
        else:
            yield parse_file(entry.path, options=options)


class OutputGuard:
    """Refuse an output that is also an input, however the input was found.

    Inputs named on the command line are checked at once; inputs found in directories as
    they come (the output is then refused before anything replaces it). A file that does
    not exist yet cannot be an input; it and its temporary files are excluded from
    discovery.
    """

    def __init__(self, output: str, inputs: list[str]) -> None:
        self.output = output
        self._key = _file_key(output) if output != "-" else None
        if self._key is not None and "-" in inputs and _stdin_key() == self._key:
            # `parse -o a.txt < a.txt`: standard input is the output's file.
            raise InvalidOption(f"output {self.output!r} is also an input (standard input "
                                "reads it); inputs are never written")
        # An output that exists may be an input: it is found, then refused, never skipped.
        self.exclude = [output] if output != "-" and self._key is None else []
        self._real = os.path.realpath(output) if output != "-" else ""
        for path in inputs:
            self.check(path)

    def check(self, path: str) -> None:
        """Raise InvalidOption when PATH is the output."""
        if self._key is not None and path != "-" and _file_key(path) == self._key:
            raise InvalidOption(
                f"output {self.output!r} is also an input ({path!r}); inputs are never written")

    def checked(self, entries: Iterator[InputEntry]) -> Iterator[InputEntry]:
        """Yield ENTRIES, checking each against the output."""
        for entry in entries:
            if self._real and is_temporary_of(os.path.realpath(entry.path), [self._real]):
                continue  # the output being written, not an input
            if entry.error is None:
                self.check(entry.path)
            yield entry


def _stdin_key() -> tuple[int, int] | None:
    """Return the device and inode of standard input, or None when it has none."""
    try:
        info = os.fstat(sys.stdin.fileno()) if sys.stdin is not None else None
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None
    return (info.st_dev, info.st_ino) if info is not None else None


def _file_key(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@contextlib.contextmanager
def open_output(output: str, *, binary: bool) -> Iterator[IO[Any]]:
    """Yield standard output as UTF-8 text, or a file written atomically."""
    if output != "-":
        from ..output import write_atomically

        with write_atomically(output, binary=binary) as stream:
            yield stream
        return
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise OSError(errno.EBADF, "standard output is closed")
    if binary:
        yield sys.stdout.buffer
        return
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        yield stream
    finally:
        try:
            stream.flush()
        finally:
            stream.detach()
