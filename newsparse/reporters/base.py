"""What every reporter shares: the per-file results it renders and the run's summary."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..model import Diagnostic, Severity

__all__ = ["FileResult", "Reporter", "Summary", "fails", "relative_path", "summarize"]

#: What a file is called in reports when it came from standard input.
STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class FileResult:
    """One validated input: its path (None for standard input), diagnostics and article count."""

    path: str | None
    diagnostics: tuple[Diagnostic, ...] = ()
    articles: int = 0

    @property
    def name(self) -> str:
        """The path to show people (`<stdin>` for standard input)."""
        return self.path if self.path is not None else STDIN_NAME


def fails(diagnostic: Diagnostic, *, strict: bool = False) -> bool:
    """Tell whether DIAGNOSTIC makes the run fail (errors; warnings too when STRICT)."""
    if diagnostic.severity is Severity.ERROR:
        return True
    return strict and diagnostic.severity is Severity.WARNING


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over a whole run."""

    errors: int
    warnings: int
    infos: int
    files_with_problems: int
    files: int

    def line(self) -> str:
        """Return the one-line summary: `3 errors, 1 warning in 2 of 40 files`."""
        files = _plural(self.files, "file")
        parts = [
            _plural(count, noun)
            for count, noun in (
                (self.errors, "error"),
                (self.warnings, "warning"),
                (self.infos, "note"),
            )
            if count
        ]
        if not parts:
            return f"no problems in {files}"
        return f"{', '.join(parts)} in {self.files_with_problems} of {files}"


def summarize(results: Sequence[FileResult]) -> Summary:
    """Count the diagnostics of RESULTS by severity, and the files that have any."""
    counts: Counter[Severity] = Counter(
        d.severity for result in results for d in result.diagnostics
    )
    return Summary(
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        files_with_problems=sum(1 for result in results if result.diagnostics),
        files=len(results),
    )


def relative_path(path: str) -> str:
    """Return PATH relative to the working directory when it lies under it, with `/`."""
    if os.path.isabs(path):
        cwd = os.getcwd()
        try:
            if os.path.commonpath([cwd, path]) == cwd:
                path = os.path.relpath(path, cwd)
        except ValueError:  # different drives on Windows
            pass
    return path.replace(os.sep, "/")


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class Reporter:
    """Render the results of a validation run to a text stream, all at once.

    STRICT tells reporters that mark pass/fail per file (JUnit) that warnings fail too.
    COLOR asks for ANSI colours and QUIET leaves out the summary line; only the text
    reporters use them. `report()` never closes the stream: the caller owns it.
    """

    def __init__(
        self, stream: TextIO, *, strict: bool = False, color: bool = False, quiet: bool = False
    ) -> None:
        self.stream = stream
        self.strict = strict
        self.color = color
        self.quiet = quiet

    def report(self, results: Sequence[FileResult]) -> None:
        """Write the whole report for RESULTS."""
        raise NotImplementedError

    def write_lines(self, lines: Iterable[str]) -> None:
        """Write each line followed by a newline."""
        for line in lines:
            self.stream.write(line + "\n")
