"""What `convert` shows on stderr: a progress bar, problems as they come, the summary table."""

from __future__ import annotations

import os
import re
import sys
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..batch.report import Outcome
from ..console import diagnostic_line, escape_control, neutralize_commands
from .errors import ExitStatus

if TYPE_CHECKING:
    from ..batch import Report

__all__ = ["ConvertDisplay", "RunOutcome", "print_summary"]


class RunOutcome(Enum):
    """What a run left on disk, as far as the summary must tell."""

    WRITTEN = "written"  # outputs (or the combined file) were written as counted
    UNWRITABLE = "unwritable"  # the destination could not be made or written
    COMBINED_NOT_WRITTEN = "combined-not-written"  # --combine left no file


class ConvertDisplay:
    """A rich progress bar when stderr is a terminal; diagnostics as they come."""

    def __init__(
        self,
        total: int | None,
        *,
        quiet: bool,
        verbose: bool,
        enabled: bool,
        color: bool | None = None,
    ) -> None:
        self.total = total
        self.color = color
        self.quiet = quiet
        self.verbose = verbose
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self._last_refresh = 0.0

    def __enter__(self) -> ConvertDisplay:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            # No refresh thread: the bar is redrawn from this loop, so worker processes
            # are started from a process with a single thread.
            self._progress = Progress(
                TextColumn("converting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[articles]:,} articles"),
                TextColumn("{task.fields[rate]} files/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=_console(self.color),
                auto_refresh=False,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("convert", total=self.total, articles=0, rate="-")
        return self

    def show(self, result: Any, report: Any) -> None:
        """Report one result: its diagnostics, then the bar."""
        if result.outcome is Outcome.FAILED or (self.verbose and result.diagnostics):
            self._print_problems(result)
        if self._progress is not None:
            import time

            now = time.monotonic()
            elapsed = (
                now - self._progress.tasks[0].start_time
                if self._progress.tasks[0].start_time
                else 0
            )
            rate = f"{report.total / elapsed:,.0f}" if elapsed > 0 else "-"
            self._progress.update(
                self._task, completed=report.total, articles=report.article_count, rate=rate
            )
            if now - self._last_refresh > 0.1:
                self._progress.refresh()
                self._last_refresh = now

    def _print_problems(self, result: Any) -> None:
        """Print what went wrong with one input, once, as it happens."""
        summary = neutralize_commands(escape_control(f"{result.path}: {result.message}"))
        if self.quiet or not result.diagnostics:
            lines = [summary]
        else:
            lines = [diagnostic_line(d) for d in result.diagnostics]
            if result.message and result.message.startswith("cannot write"):
                lines.append(summary)  # the diagnostics do not say the output failed
        for line in lines:
            if self._progress is not None:
                from rich.text import Text

                self._progress.console.print(Text(line), soft_wrap=True)
            else:
                sys.stderr.write(line + "\n")

    def __exit__(self, *exc_info: Any) -> None:
        if self._progress is not None:
            self._progress.stop()


def _console(color: bool | None) -> Any:
    """Return a rich console on stderr; COLOR None leaves it to rich (terminal, NO_COLOR)."""
    from rich.console import Console

    # File names are shown as they are: `:smile:` in a name is not an emoji code.
    if color is None:
        return Console(stderr=True, highlight=False, emoji=False)
    return Console(
        stderr=True,
        highlight=False,
        emoji=False,
        no_color=not color,
        force_terminal=True if color else None,
    )


def print_summary(
    report: Report,
    elapsed: float,
    status: ExitStatus,
    *,
    quiet: bool,
    outcome: RunOutcome = RunOutcome.WRITTEN,
    combine: str | None = None,
    fail_fast: bool = False,
    color: bool | None = None,
) -> None:
    """Print the summary table, the renamed outputs and the failed inputs on stderr.

    The title and the counts say what is on disk: nothing, when the destination could
    not be written or the combined file was left unwritten.
    """
    nothing = outcome is not RunOutcome.WRITTEN
    why = ""
    if outcome is RunOutcome.COMBINED_NOT_WRITTEN:
        if status in (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED):
            why = "interrupted"
        elif fail_fast and report.failure_count:
            why = "--fail-fast stopped at a failed input"
        else:
            why = "it could not be written"
        why = f"{combine} was not written ({why})"
    elif outcome is RunOutcome.UNWRITABLE:
        why = "the destination could not be written"
    if quiet:
        if status in (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED):
            sys.stderr.write(f"newsparse: interrupted after {report}\n")
        if nothing:
            sys.stderr.write(f"newsparse: nothing written: {why}\n")
        return
    title = {
        ExitStatus.INTERRUPTED: "interrupted (Ctrl-C)",
        ExitStatus.TERMINATED: "interrupted (SIGTERM)",
    }.get(status, "done")
    if nothing:
        title = f"{title}, nothing written" if title != "done" else "nothing written"
    rows = []
    if nothing:
        rows.append(("output", why))
    converted = "files read" if nothing else "files converted"
    rows.append((converted, f"{report.converted_count:,}"))
    rows.append(("files skipped (up to date)", f"{report.skipped_count:,}"))
    failed = f"{report.failure_count:,}"
    if report.partial_count and not nothing:
        failed += f" ({report.partial_count:,} with their good articles written)"
    rows.append(("files failed", failed))
    rows.append(("articles written", "0" if nothing else f"{report.article_count:,}"))
    if report.duplicate_count and not nothing:
        rows.append(("duplicates left out", f"{report.duplicate_count:,}"))
    for label, counter in (("warnings", report.warnings), ("errors", report.errors)):
        detail = ", ".join(f"{code} {count:,}" for code, count in sorted(counter.items()))
        rows.append((label, f"{sum(counter.values()):,}" + (f" ({detail})" if detail else "")))
    if report.dropped is not None:
        undated = f" ({report.dropped[1]:,} without a date)" if report.dropped[1] else ""
        rows.append(("articles dropped by the filters", f"{report.dropped[0]:,}{undated}"))
    if report.renamed:
        rows.append(("outputs renamed", f"{len(report.renamed):,}"))
    rate = report.total / elapsed if elapsed > 0 else 0.0
    rows.append(("time", f"{elapsed:.2f} s ({rate:,.0f} files/s)"))
    lines = []
    for path, used, wanted in report.renamed:
        line = f"renamed: {path} -> {used} ({wanted} belongs to another input)"
        lines.append(neutralize_commands(escape_control(line)))
    failures = [f"failed ({len(report.failures):,}):"] if report.failures else []
    for path, reason in sorted(report.failures):
        failures.append(neutralize_commands(escape_control(f"  {path}: {reason}")))
    _print_table(f"newsparse convert: {title}", rows, lines + failures, color)


def _print_table(
    title: str, rows: list[tuple[str, str]], lines: list[str], color: bool | None
) -> None:
    """Print the summary: drawn by rich, or as rich draws it off a terminal without it.

    Loading rich takes about 20 ms, a fifth of a small conversion; off a terminal its
    table is plain text that `plain_table` writes alike (a test holds them equal), for
    every summary whose text rich would not read as markup or emoji codes.
    """
    plain = plain_table(title, rows, lines) if color is not True else None
    if plain is not None:
        sys.stderr.write(plain)
        return
    from rich.table import Table

    console = _console(color)
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    for line in lines:
        if line.startswith("failed ("):
            console.print(line, markup=False)
        else:
            console.print(line, markup=False, soft_wrap=True)


#: What rich reads in a table's text: markup (`[bold]`, `\\[` escapes), emoji codes (`:smile:`).
_RICH_READS = re.compile(r"[\\\[]|:\S*?:")
#: What it reads in the lines printed without markup: emoji codes.
_EMOJI_CODE = re.compile(r":\S*?:")


def plain_table(title: str, rows: list[tuple[str, str]], lines: list[str]) -> str | None:
    """Return the summary as rich prints it on a stream that is not a terminal, or None.

    None when rich would print something else: on a terminal (or told it is one), in
    Jupyter or on Windows, without UTF-8, for text rich would read as markup or emoji,
    or a word too long for its column. A table wider than the console is wrapped as rich
    wraps it.
    """
    import builtins

    stream = sys.stderr
    try:
        terminal = bool(stream.isatty())
    except (AttributeError, ValueError):
        terminal = False
    environ = os.environ
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if (
        terminal
        or os.name == "nt"
        or "FORCE_COLOR" in environ
        or "TTY_COMPATIBLE" in environ
        or hasattr(builtins, "get_ipython")
        or not encoding.startswith("utf")
    ):
        return None
    cells = [cell for row in rows for cell in row]
    if any(
        not cell.isascii() or not cell.isprintable() or _RICH_READS.search(cell)
        for cell in [title, *cells]
    ) or any(_EMOJI_CODE.search(line) or not line.isprintable() for line in lines):
        return None
    console = _console_width()
    # A line that does not fit is wrapped by rich (`failed (N):` is never that long).
    if any(line.startswith("failed (") and len(line) > console for line in lines):
        return None
    available = console - 3  # the table's 3 borders
    # Each column's width with its padding, as rich measures it: never more than the
    # whole table may have, before the columns share it out.
    natural = [
        min(max(len(label) for label, _ in rows) + 2, available),
        min(max(len(value) for _, value in rows) + 2, available),
    ]
    widths = _column_widths(natural, available)
    width = sum(widths) + 3
    inner = [columns - 2 for columns in widths]
    if len(title) > width:
        return None
    top, bottom = "─" * widths[0], "─" * widths[1]
    out = [title.ljust(width), f"┌{top}┬{bottom}┐"]
    for label, value in rows:
        left, right = _wrapped(label, inner[0]), _wrapped(value, inner[1])
        if left is None or right is None:
            return None
        height = max(len(left), len(right))
        left += [""] * (height - len(left))
        right += [""] * (height - len(right))
        out += [
            f"│ {a.ljust(inner[0])} │ {b.rstrip().rjust(inner[1])} │"
            for a, b in zip(left, right, strict=True)
        ]
    out.append(f"└{top}┴{bottom}┘")
    return "\n".join([*out, *lines]) + "\n"


def _column_widths(widths: list[int], available: int) -> list[int]:
    """Return the widths rich gives columns of these WIDTHS in a table AVAILABLE wide.

    The widest column gives up cells first, down to the next widest, then both alike
    (rich's `Table._collapse_widths`, then its even reduction as a last resort).
    """
    excess = sum(widths) - available
    while excess > 0:
        largest = max(widths)
        second = max(w if w != largest else 0 for w in widths)
        if largest == second:
            break
        ratios = [1 if w == largest else 0 for w in widths]
        widths = _reduced(excess, ratios, [min(excess, largest - second)] * len(widths), widths)
        excess = sum(widths) - available
    if excess > 0:
        widths = _reduced(excess, [1] * len(widths), widths, widths)
    return widths


def _reduced(total: int, ratios: list[int], most: list[int], values: list[int]) -> list[int]:
    """Take TOTAL from VALUES in proportion to RATIOS, at most MOST from each (rich's way)."""
    ratios = [ratio if limit else 0 for ratio, limit in zip(ratios, most, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, limit, value in zip(ratios, most, values, strict=True):
        if ratio and total_ratio > 0:
            share = min(limit, round(ratio * remaining / total_ratio))
            result.append(value - share)
            remaining -= share
            total_ratio -= ratio
        else:
            result.append(value)
    return result


#: A word as rich wraps text: leading spaces, the word, and the spaces after it.
_WRAP_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def _wrapped(text: str, width: int) -> list[str] | None:
    """Return TEXT's lines as rich wraps it WIDTH cells wide; None when a word must fold."""
    if width < 1:
        return None
    breaks = []
    offset = 0
    for match in _WRAP_WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            return None  # rich cuts the word across lines: left to rich
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    lines = []
    for begin, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        line = text[begin:end]
        spaces = _TRAILING_SPACE.search(line)
        if len(line) > width and spaces is not None:
            line = line[: len(line) - min(len(spaces.group()), len(line) - width)]
        if len(line) > width:
            return None
        lines.append(line)
    return lines


def _console_width() -> int:
    """Return the width rich gives a console: $COLUMNS, else a terminal's, else 80."""
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    return width or 80
