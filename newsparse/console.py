"""What newsparse shows people on stderr: diagnostics made safe for a terminal."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import TextIO

from .model import Diagnostic

__all__ = ["escape_control", "print_diagnostics"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_control(text: str) -> str:
    """Replace control characters (ANSI escapes included) by visible `\\xNN` forms."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def print_diagnostics(diagnostics: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    """Print each diagnostic as `path:line:col: CODE message`, one per line."""
    stream = stream or sys.stderr
    for diagnostic in diagnostics:
        stream.write(escape_control(diagnostic.format()) + "\n")
