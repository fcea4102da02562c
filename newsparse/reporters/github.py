"""GitHub Actions workflow commands: one annotation per diagnostic, then the text report."""

from __future__ import annotations

from collections.abc import Sequence

from ..codes import CODES
from ..console import escape_control, neutralize_commands
from ..model import Diagnostic, Severity
from .base import FileResult, Reporter, relative_path, summarize
from .text import diagnostic_lines

__all__ = [
    "GitHubReporter",
    "escape_data",
    "escape_property",
    "workflow_command",
]

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message: `%` first, then CR and LF.

    Other control characters (an ESC in a file name, say) are shown as `\\x1b`: a CI log
    is a terminal too.
    """
    return escape_control(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow command's property value exactly as `@actions/core` does.

    `%`, CR, LF, `:` and `,` only: anything else (a control character, U+2028) is written
    as it is, so that `file=` names the file the runner will look for.
    """
    return (
        text.replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace(":", "%3A")
        .replace(",", "%2C")
    )


def workflow_command(diagnostic: Diagnostic, path: str | None) -> str:
    """Return `::error file=F,line=L,...,title=T::MESSAGE` for DIAGNOSTIC found in PATH.

    PATH should be relative to the repository root (see `relative_path`).
    """
    properties: list[tuple[str, str]] = []
    if path is not None:
        properties.append(("file", path))
    end_line = diagnostic.end_line if diagnostic.end_line is not None else diagnostic.line
    properties.append(("line", str(diagnostic.line)))
    properties.append(("endLine", str(end_line)))
    # GitHub ignores columns on annotations that span lines; leave them out there.
    if end_line == diagnostic.line:
        properties.append(("col", str(diagnostic.column)))
        if diagnostic.end_column is not None and diagnostic.end_column > diagnostic.column:
            properties.append(("endColumn", str(diagnostic.end_column)))
    code = CODES.get(diagnostic.code)
    title = f"{diagnostic.code} {code.name}" if code is not None else diagnostic.code
    properties.append(("title", title))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{_LEVEL[diagnostic.severity]} {rendered}::{escape_data(diagnostic.message)}"


class GitHubReporter(Reporter):
    """Annotations first, then each file's text lines in a `::group::`, then the summary.

    GitHub shows at most 10 annotations of each level per step, so the plain report
    follows for the rest; the groups keep a long log folded.
    """

    def report(self, results: Sequence[FileResult]) -> None:
        for result in results:
            if not result.diagnostics:
                continue
            path = relative_path(result.path) if result.path is not None else None
            self.write_lines(workflow_command(d, path) for d in result.diagnostics)
        for result in results:
            if not result.diagnostics:
                continue
            self.stream.write(f"::group::{escape_data(result.name)}\n")
            self.write_lines(diagnostic_lines(result))
            self.stream.write("::endgroup::\n")
        if not self.quiet:
            self.stream.write(neutralize_commands(summarize(results).line()) + "\n")
