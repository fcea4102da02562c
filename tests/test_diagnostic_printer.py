"""Diagnostics on stderr: few large writes away from a terminal, each input at once on one."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from newsparse.console import DiagnosticPrinter, diagnostic_line
from newsparse.model import Diagnostic, Severity

ROOT = Path(__file__).resolve().parent.parent
MALFORMED = ROOT / "samples" / "malformed" / "004_malformed.txt"


class CountingStream(io.StringIO):
    def __init__(self, *, terminal: bool) -> None:
        super().__init__()
        self.terminal = terminal
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)

    def isatty(self) -> bool:
        return self.terminal


def _diagnostics(file: str, count: int) -> list[Diagnostic]:
    return [
        Diagnostic(
            code="NP304",
            severity=Severity.INFO,
            message=f"paragraf rupt numărul {number}",
            file=file,
            line=number + 1,
            column=1,
        )
        for number in range(count)
    ]


def test_away_from_a_terminal_the_lines_are_gathered_and_kept_in_order() -> None:
    stream = CountingStream(terminal=False)
    printer = DiagnosticPrinter(stream)
    printer.clock = lambda: printer.written  # no time passes: only the size decides
    inputs = [_diagnostics(f"dosar/{number:04}.txt", 3) for number in range(1000)]
    for diagnostics in inputs:
        printer.print(diagnostics)
    printer.flush()
    expected = "".join(diagnostic_line(d) + "\n" for group in inputs for d in group)
    assert stream.getvalue() == expected
    # A write for each 32 KB waiting, and one for what is left at the end.
    assert 2 <= stream.writes <= len(expected) // 32_768 + 1


def test_nothing_is_left_waiting_after_flush() -> None:
    stream = CountingStream(terminal=False)
    printer = DiagnosticPrinter(stream)
    printer.print(_diagnostics("a.txt", 1))
    assert stream.getvalue() == ""
    printer.flush()
    assert stream.getvalue() == diagnostic_line(_diagnostics("a.txt", 1)[0]) + "\n"
    printer.flush()
    assert stream.writes == 1


def test_lines_waiting_half_a_second_are_written() -> None:
    stream = CountingStream(terminal=False)
    printer = DiagnosticPrinter(stream)
    now = [100.0]
    printer.clock = lambda: now[0]
    printer.written = now[0]
    printer.print(_diagnostics("a.txt", 1))
    assert stream.writes == 0
    now[0] += 0.6
    printer.print(_diagnostics("b.txt", 1))
    assert stream.writes == 1
    assert stream.getvalue().count("\n") == 2


def test_on_a_terminal_each_input_is_written_at_once() -> None:
    stream = CountingStream(terminal=True)
    printer = DiagnosticPrinter(stream)
    printer.print(_diagnostics("a.txt", 3))
    assert stream.writes == 1
    assert stream.getvalue().count("\n") == 3
    printer.print(_diagnostics("b.txt", 2))
    assert stream.writes == 2


def test_the_lines_come_before_the_messages_that_end_a_run(tmp_path: Path) -> None:
    # The filter's count is written after the run: it must follow every diagnostic.
    for number in range(50):
        (tmp_path / f"{number:02}.txt").write_bytes(MALFORMED.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "parse", "--since", "2000-01-01", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    lines = done.stderr.splitlines()
    assert len(lines) > 50
    assert all(": NP" in line for line in lines[:-1]), lines[-3:]
    assert lines[-1].startswith("newsparse: ")
