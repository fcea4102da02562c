"""What newsparse shows people on stderr: diagnostics made safe for a terminal."""

from __future__ import annotations

import re
import sys

from .model import Diagnostic

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

__all__ = [
    "colored_diagnostic_line",
    "diagnostic_line",
    "escape_control",
    "print_diagnostics",
    "wants_color",
]

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_SEVERITY_COLOR = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "info": "\x1b[1;36m",
}

# C0 and C1 controls and DEL (ANSI escapes start with ESC or CSI), and the invisible
# characters that reorder or break a line on screen: bidirectional overrides and
# isolates, marks, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """Replace control characters (ANSI escapes included) by visible `\\xNN` forms.

    Bidirectional overrides and line separators become `\\uNNNN`, so that a file name
    cannot reorder or split a diagnostic line on screen.
    """
    return _CONTROL.sub(_visible, text)


def diagnostic_line(diagnostic: Diagnostic, name: str | None = None) -> str:
    """Return `path:line:col: CODE message`, safe for a terminal (NAME overrides the path)."""
    return escape_control(diagnostic.format(name))


def colored_diagnostic_line(diagnostic: Diagnostic, name: str | None = None) -> str:
    """Return `diagnostic_line` with ANSI colours: the place bold, the code by severity."""
    path = name or diagnostic.file or "<stdin>"
    where = escape_control(f"{path}:{diagnostic.line}:{diagnostic.column}:")
    code = f"{_SEVERITY_COLOR[diagnostic.severity.value]}{diagnostic.code}{_RESET}"
    return f"{_BOLD}{where}{_RESET} {code} {escape_control(diagnostic.message)}"


def wants_color(stream: object, color: bool | None = None) -> bool:
    """Tell whether to colour STREAM: COLOR when given, else a terminal without NO_COLOR."""
    if color is not None:
        return color
    import os

    if os.environ.get("NO_COLOR"):
        return False
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def print_diagnostics(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None, *,
                      color: bool | None = False) -> None:
    """Print each diagnostic as `path:line:col: CODE message`, one per line.

    COLOR True colours them, None colours them when STREAM is a terminal and NO_COLOR
    is not set.
    """
    stream = stream or sys.stderr
    render = colored_diagnostic_line if color is not False and wants_color(stream, color) \
        else diagnostic_line
    for diagnostic in diagnostics:
        stream.write(render(diagnostic) + "\n")
