"""What newsparse shows people on stderr: diagnostics made safe for a terminal."""

from __future__ import annotations

import re
import sys

from .model import Diagnostic

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

__all__ = ["diagnostic_line", "escape_control", "print_diagnostics"]

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


def print_diagnostics(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    """Print each diagnostic as `path:line:col: CODE message`, one per line."""
    stream = stream or sys.stderr
    for diagnostic in diagnostics:
        stream.write(diagnostic_line(diagnostic) + "\n")
