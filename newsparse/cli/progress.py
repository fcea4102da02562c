"""What `convert` shows on stderr: a progress bar, problems as they come, the summary table."""

from __future__ import annotations

import sys
from enum import Enum
from typing import TYPE_CHECKING, Any

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
        from ..batch import Outcome

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

    if color is None:
        return Console(stderr=True, highlight=False)
    return Console(
        stderr=True, highlight=False, no_color=not color, force_terminal=True if color else None
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
    from rich.table import Table

    console = _console(color)
    title = {
        ExitStatus.INTERRUPTED: "interrupted (Ctrl-C)",
        ExitStatus.TERMINATED: "interrupted (SIGTERM)",
    }.get(status, "done")
    if nothing:
        title = f"{title}, nothing written" if title != "done" else "nothing written"
    table = Table(title=f"newsparse convert: {title}", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    if nothing:
        table.add_row("output", why)
    converted = "files read" if nothing else "files converted"
    table.add_row(converted, f"{report.converted_count:,}")
    table.add_row("files skipped (up to date)", f"{report.skipped_count:,}")
    failed = f"{report.failure_count:,}"
    if report.partial_count and not nothing:
        failed += f" ({report.partial_count:,} with their good articles written)"
    table.add_row("files failed", failed)
    table.add_row("articles written", "0" if nothing else f"{report.article_count:,}")
    if report.duplicate_count and not nothing:
        table.add_row("duplicates left out", f"{report.duplicate_count:,}")
    for label, counter in (("warnings", report.warnings), ("errors", report.errors)):
        detail = ", ".join(f"{code} {count:,}" for code, count in sorted(counter.items()))
        table.add_row(label, f"{sum(counter.values()):,}" + (f" ({detail})" if detail else ""))
    if report.dropped is not None:
        undated = f" ({report.dropped[1]:,} without a date)" if report.dropped[1] else ""
        table.add_row("articles dropped by the filters", f"{report.dropped[0]:,}{undated}")
    if report.renamed:
        table.add_row("outputs renamed", f"{len(report.renamed):,}")
    rate = report.total / elapsed if elapsed > 0 else 0.0
    table.add_row("time", f"{elapsed:.2f} s ({rate:,.0f} files/s)")
    console.print(table)
    for path, used, wanted in report.renamed:
        line = f"renamed: {path} -> {used} ({wanted} belongs to another input)"
        console.print(neutralize_commands(escape_control(line)), markup=False, soft_wrap=True)
    if report.failures:
        console.print(f"failed ({len(report.failures):,}):", markup=False)
        for path, reason in sorted(report.failures):
            line = neutralize_commands(escape_control(f"  {path}: {reason}"))
            console.print(line, markup=False, soft_wrap=True)
