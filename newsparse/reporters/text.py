"""The text report: `path:line:col: CODE message` grouped per file, then a one-line summary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..console import colored_diagnostic_line, diagnostic_line
from .base import FileResult, Reporter, summarize

__all__ = ["TextReporter", "diagnostic_lines"]

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def diagnostic_lines(result: FileResult, *, color: bool = False) -> Iterator[str]:
    """Yield one line per diagnostic of RESULT, in the form `newsparse parse` prints."""
    for diagnostic in result.diagnostics:
        if color:
            yield colored_diagnostic_line(diagnostic, result.name)
        else:
            yield diagnostic_line(diagnostic, result.name)


class TextReporter(Reporter):
    """Diagnostics grouped per file (a blank line between files), then the summary."""

    def report(self, results: Sequence[FileResult]) -> None:
        first = True
        for result in results:
            if not result.diagnostics:
                continue
            if not first:
                self.stream.write("\n")
            first = False
            self.write_lines(diagnostic_lines(result, color=self.color))
        if self.quiet:
            return
        if not first:
            self.stream.write("\n")
        line = summarize(results).line()
        self.stream.write((f"{_BOLD}{line}{_RESET}" if self.color else line) + "\n")
