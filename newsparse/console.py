"""What newsparse shows people on stderr: diagnostics made safe for a terminal."""

from __future__ import annotations

import contextlib
import re
import sys

from .model import Diagnostic
from .patterns import compile_lazily

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import TextIO

__all__ = [
    "DiagnosticPrinter",
    "TerminalStream",
    "colored_diagnostic_line",
    "diagnostic_line",
    "escape_control",
    "escape_terminal",
    "neutralize_commands",
    "neutralize_json",
    "neutralize_xml",
    "print_diagnostics",
    "tolerate_unencodable",
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
# Lone surrogates stand for the bytes of a file name that is not UTF-8: shown as `\xNN`,
# the byte itself, as `newsparse.reading.display_name` shows them in every output.
_CONTROL = compile_lazily(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        code -= 0xDC00  # an undecodable byte, as `os.fsdecode` gives it
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text: str) -> str:
    """Replace control characters (ANSI escapes included) by visible `\\xNN` forms.

    Bidirectional overrides and line separators become `\\uNNNN`, so that a file name
    cannot reorder or split a diagnostic line on screen.
    """
    return _CONTROL.sub(_visible, text)


# The GitHub Actions runner reads a line as a command when, stripped of white space, it
# starts with `::`; its older parser, still active, finds `##[` anywhere in a line.
_LEGACY_COMMAND = "##["


def neutralize_commands(line: str) -> str:
    """Return LINE (one line) so that no CI runner reads a workflow command in it.

    `##[` becomes `##\\[` and a `::` starting the line (after white space) becomes
    `\\::`; the rest is left as it is, so the line reads the same to people.
    """
    if _LEGACY_COMMAND in line:
        line = line.replace(_LEGACY_COMMAND, "##\\[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        cut = len(line) - len(stripped)
        line = f"{line[:cut]}\\{stripped}"
    return line


def neutralize_json(text: str) -> str:
    """Write each `##[` of JSON TEXT as `##\\u005b`: the same data, no runner command.

    In JSON `#` appears only inside strings, where `\\u005b` reads back as `[`; no
    line of JSON starts with `::`.
    """
    return text.replace(_LEGACY_COMMAND, "##\\u005b") if _LEGACY_COMMAND in text else text


def tolerate_unencodable() -> None:
    """Let standard output and error show what their encoding lacks as `\\xNN` escapes.

    With `PYTHONIOENCODING=ascii` (or a C locale) a Romanian letter would otherwise end a
    command that prints text for people with a UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "") == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def neutralize_xml(text: str) -> str:
    """Write XML TEXT so that no line of it reads as a workflow command: the same data.

    `##[` becomes `##&#91;` and a `::` starting a line (inside text content) `&#58;:`;
    a character reference reads back as the character in text and attribute values.
    """
    if _LEGACY_COMMAND in text:
        text = text.replace(_LEGACY_COMMAND, "##&#91;")
    if "::" in text:
        text = _XML_LINE_COMMAND.sub(r"\1&#58;:", text)
    return text


_XML_LINE_COMMAND = compile_lazily(r"(?m)^([ \t]*)::")


# What `escape_control` shows, but for text laid out in lines: tab, LF and CRLF stay.
_TERMINAL = compile_lazily(
    r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069"
    r"\ud800-\udfff]"
    r"|\r(?!\n)"
)


def escape_terminal(text: str) -> str:
    """Escape what a terminal would obey in TEXT (as `escape_control`), keeping its lines.

    Tabs, line feeds and CRLF line ends are left as they are.
    """
    return _TERMINAL.sub(_visible, text) if _TERMINAL.search(text) else text


class TerminalStream:
    """A text stream to a terminal: what is written is passed through `escape_terminal`.

    Data written to a file or a pipe stays exact; on a terminal, an escape sequence in a
    title would change the window title, the clipboard or the screen.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write TEXT escaped; return the length of TEXT, as a text stream does."""
        self.stream.write(escape_terminal(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def on_terminal(stream: object) -> bool:
    """Tell whether STREAM writes to a terminal."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def diagnostic_line(diagnostic: Diagnostic, name: str | None = None) -> str:
    """Return `path:line:col: CODE message`, safe for a terminal and a CI log.

    NAME overrides the path. Control characters are shown escaped, and nothing in the
    line can pass for a GitHub Actions workflow command.
    """
    return neutralize_commands(escape_control(diagnostic.format(name)))


def colored_diagnostic_line(diagnostic: Diagnostic, name: str | None = None) -> str:
    """Return `diagnostic_line` with ANSI colours: the place bold, the code by severity."""
    path = name or diagnostic.file or "<stdin>"
    where = neutralize_commands(escape_control(f"{path}:{diagnostic.line}:{diagnostic.column}:"))
    code = f"{_SEVERITY_COLOR[diagnostic.severity.value]}{diagnostic.code}{_RESET}"
    message = neutralize_commands(escape_control(diagnostic.message))
    return f"{_BOLD}{where}{_RESET} {code} {message}"


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


def print_diagnostics(
    diagnostics: Iterable[Diagnostic], stream: TextIO | None = None, *, color: bool | None = False
) -> None:
    """Print each diagnostic as `path:line:col: CODE message`, one per line.

    COLOR True colours them, None colours them when STREAM is a terminal and NO_COLOR
    is not set.
    """
    stream = stream or sys.stderr
    render = _renderer(stream, color)
    for diagnostic in diagnostics:
        stream.write(render(diagnostic) + "\n")


def _renderer(stream: object, color: bool | None) -> Callable[[Diagnostic], str]:
    """Return how a diagnostic is written on STREAM: coloured, or plain (see print_diagnostics)."""
    if color is not False and wants_color(stream, color):
        return colored_diagnostic_line
    return diagnostic_line


class DiagnosticPrinter:
    """Print diagnostics on a stream, gathered into few large writes unless on a terminal.

    Standard error writes through at once: a line per diagnostic would be a system call
    per diagnostic, a tenth of a run over a directory of dumps. Away from a terminal the
    lines are kept until 32 KB of them, or half a second's worth, are waiting; on a
    terminal, or when GATHER is false (a live stream being read, whose diagnostics should
    show as each piece is read), each input's lines are written as soon as it is read.
    `flush` writes what is left: call it before anything else goes to the stream. A
    stream that cannot be written (closed, full, its reader gone) is given up, not an
    error: its diagnostics are lost, the output they describe is not.
    """

    _LIMIT = 32_768  # characters waiting
    _DELAY = 0.5  # seconds since the last write

    def __init__(
        self, stream: TextIO | None = None, *, color: bool | None = False, gather: bool = True
    ) -> None:
        #: None once the stream could not be written (closed, full, a reader gone): the
        #: diagnostics are then dropped, and the run's output still goes on whole.
        self.stream: TextIO | None = stream or sys.stderr
        self.render = _renderer(self.stream, color)
        self.gather = gather and not on_terminal(self.stream)
        if self.stream is None or getattr(self.stream, "closed", False):
            self.stream = None  # started with standard error closed (`2>&-`)
        self.pending: list[str] = []
        self.size = 0
        import time

        self.clock = time.monotonic
        self.written = self.clock()

    def print(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Print each of DIAGNOSTICS as `path:line:col: CODE message`, one per line."""
        render = self.render
        text = "".join([render(diagnostic) + "\n" for diagnostic in diagnostics])
        if not self.gather:
            self._write(text)
            return
        self.pending.append(text)
        self.size += len(text)
        if self.size >= self._LIMIT or self.clock() - self.written >= self._DELAY:
            self.flush()

    def flush(self) -> None:
        """Write the lines still waiting."""
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            self.size = 0
            self._write(text)
        self.written = self.clock()

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
        except (OSError, ValueError):  # closed, full, or its reader went away
            self.stream = None
