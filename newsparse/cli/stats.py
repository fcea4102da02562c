"""`newsparse stats`: what a corpus holds, at a glance, as a terminal report, JSON or HTML."""

from __future__ import annotations

import sys

import click

from ..api import check_options
from ..filters import FilterOptions
from ..model import ParseOptions
from . import options as shared
from .errors import ExitStatus, stopping_cleanly, usage_errors

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any

    from ..dedupe import DedupeOptions
    from ..stats import Stats

__all__ = ["print_report", "stats_command"]

#: The widest a month's bar is drawn, in columns.
_BAR_WIDTH = 50


@click.command("stats")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@shared.format_option(
    ["text", "json"],
    default="text",
    show_default=True,
    help="text: tables and a chart; json: one object for scripts.",
)
@click.option(
    "--html",
    "html_path",
    metavar="FILE",
    default=None,
    help="Also write the figures as one self-contained HTML page.",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    metavar="N",
    help="How many sources and authors to list.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Worker processes; 1 reads in this process.  [default: CPU count]",
)
@shared.quiet_option("No progress bar.")
@shared.filter_options
@shared.dedupe_options(
    "Leave later copies of an article out of the figures: exact copies, or near copies "
    "too (--dedupe near); the first in input order counts. The copies are counted "
    "(NP501, NP502) and, with --format json, listed by cluster."
)
@shared.reading_options
@usage_errors
def stats_command(
    paths: tuple[str, ...],
    format_name: str,
    html_path: str | None,
    top: int,
    jobs: int | None,
    quiet: bool,
    filters: FilterOptions,
    dedupe: DedupeOptions | None,
    options: ParseOptions,
    pattern: str,
) -> None:
    """Count what dumps hold: articles, dates, sources, authors, sizes and diagnostics.

    PATHS are read as `parse` reads them (standard input when none is given), in one
    pass with flat memory. The figures go to standard output; a progress bar goes to
    stderr when it is a terminal. Exit status 0, or 1 when no article was found.

    \b
    Examples:
      newsparse stats dumps/
      newsparse stats dumps/ --format json | jq .months
      newsparse stats dumps/ --html report.html --source agerpres --since 2023-01-01
      newsparse stats dumps/ --dedupe near --format json | jq .duplicates.cluster_count
    """
    from ..console import tolerate_unencodable

    tolerate_unencodable()
    from ..stats import StatsOptions, collect_stats, default_jobs
    from .files import OutputGuard

    check_options(options)
    inputs = list(paths) or ["-"]
    if html_path is not None:
        OutputGuard(html_path, inputs).check_found(inputs, pattern)  # never an input
    settings = StatsOptions(
        parse=options,
        filters=filters,
        pattern=pattern,
        jobs=jobs or default_jobs(),
        dedupe=dedupe,
    )
    if "-" in inputs and sys.stdin is not None and sys.stdin.isatty():
        click.echo("newsparse: reading a dump from the terminal (end with Ctrl-D)", err=True)
    with stopping_cleanly("standard output"):
        with _Progress(inputs, settings, enabled=not quiet and sys.stderr.isatty()) as bar:
            stats = collect_stats(inputs, settings, progress=bar.update)
        if html_path is not None:
            _write_html(html_path, stats, top=top, filtered=filters.active)
        if format_name == "json":
            import json

            figures = stats.to_dict(top=top, filtered=filters.active)
            sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        else:
            print_report(stats, top=top, filtered=filters.active)
        sys.stdout.flush()
    if html_path is not None and not quiet:
        click.echo(f"newsparse: wrote {html_path}", err=True)
    sys.exit(ExitStatus.OK if stats.articles else ExitStatus.PROBLEMS)


def _write_html(path: str, stats: Stats, *, top: int, filtered: bool) -> None:
    from ..output import write_atomically
    from ..stats_html import render_html

    page = render_html(stats, top=top, filtered=filtered)
    with write_atomically(path, binary=False) as stream:
        stream.write(page)


class _Progress:
    """A transient progress bar on stderr, or nothing when it is not a terminal."""

    def __init__(self, inputs: list[str], settings: Any, *, enabled: bool) -> None:
        self.inputs = inputs
        self.settings = settings
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None
        self._last = 0.0

    def __enter__(self) -> _Progress:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ..reading import discover

        total = sum(1 for _ in discover(self.inputs, pattern=self.settings.pattern))
        # No refresh thread: worker processes are started from a single-threaded process.
        self._bar = Progress(
            TextColumn("reading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[articles]:,} articles"),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("stats", total=total, articles=0)
        return self

    def update(self, stats: Stats) -> None:
        """Show how far the run is."""
        if self._bar is None:
            return
        import time

        now = time.monotonic()
        self._bar.update(self._task, completed=stats.files, articles=stats.articles)
        if now - self._last > 0.1:
            self._bar.refresh()
            self._last = now

    def __exit__(self, *exc_info: Any) -> None:
        if self._bar is not None:
            self._bar.stop()


def _closed_pipe() -> None:
    raise BrokenPipeError


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


def print_report(
    stats: Stats, *, top: int = 10, filtered: bool = False, console: Any = None
) -> None:
    """Print the figures as tables and a monthly bar chart (plain text in a pipe)."""
    from rich.bar import Bar
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..console import escape_control

    if console is None:
        console = Console(highlight=False, emoji=False, markup=False)
        # rich would exit 1 on a closed pipe; `stopping_cleanly` makes it a quiet 0, as in parse.
        console.on_broken_pipe = _closed_pipe
    figures = stats.to_dict(top=top, filtered=filtered)

    def count(value: int | None) -> str:
        return "–" if value is None else f"{value:,}"

    overview = Table(title="newsparse stats", show_header=False, title_justify="left")
    overview.add_column("what")
    overview.add_column("value", justify="right")
    overview.add_row("files", count(figures["files"]))
    overview.add_row("files with errors", count(figures["files_with_errors"]))
    overview.add_row("articles", count(figures["articles"]))
    overview.add_row("articles with errors", count(figures["articles_with_errors"]))
    if figures["filters"] is not None:
        dropped = figures["filters"]
        detail = f" ({dropped['undated']:,} without a date)" if dropped["undated"] else ""
        overview.add_row("dropped by the filters", f"{dropped['dropped']:,}{detail}")
    duplicates = figures["duplicates"]
    if duplicates is not None:
        detail = (
            f" ({duplicates['exact']:,} exact, {duplicates['near']:,} near)"
            if duplicates["mode"] == "near"
            else ""
        )
        overview.add_row("copies left out", f"{duplicates['left_out']:,}{detail}")
        overview.add_row("articles with copies", f"{duplicates['cluster_count']:,}")
    dates = figures["dates"]
    overview.add_row("first", dates["first"] or "–")
    overview.add_row("last", dates["last"] or "–")
    overview.add_row("undated articles", count(dates["undated"]))
    images = figures["images"]
    overview.add_row(
        "images", f"{images['total']:,} in {_articles(images['articles_with_images'])}"
    )
    for what in ("words", "paragraphs"):
        summary = figures[what]
        overview.add_row(
            f"{what} per article",
            f"median {count(summary['median'])}, p90 {count(summary['p90'])}, "
            f"max {count(summary['max'])}",
        )
    console.print(overview)

    monthly = stats.monthly()
    if monthly:
        peak = max(n for _, n in monthly) or 1
        chart = Table(
            title="articles per month",
            show_header=False,
            title_justify="left",
            box=None,
            padding=(0, 1),
        )
        chart.add_column("month")
        chart.add_column("bar", width=_BAR_WIDTH, no_wrap=True)
        chart.add_column("articles", justify="right")
        for month, n in monthly:
            # An empty month is an empty bar on a visible track.
            chart.add_row(
                month, Bar(peak, 0, n, width=_BAR_WIDTH, color="blue", bgcolor="grey23"), f"{n:,}"
            )
        console.print(chart)

    for title, key, missing in (
        ("top sources", "sources", "without_source"),
        ("top authors", "authors", "without_author"),
    ):
        table = Table(title=title, title_justify="left")
        table.add_column("name")
        table.add_column("articles", justify="right")
        for row in figures[key]:
            table.add_row(Text(escape_control(row["name"])), f"{row['articles']:,}")
        console.print(table)
        console.print(
            Text(
                f"{figures[f'distinct_{key}']:,} distinct, "
                f"{_articles(figures[missing])} without one",
                style="dim",
            )
        )

    codes = Table(title="diagnostics by code", title_justify="left")
    codes.add_column("code")
    codes.add_column("severity")
    codes.add_column("count", justify="right")
    for code, entry in figures["diagnostics"].items():
        codes.add_row(code, entry["severity"] or "", f"{entry['count']:,}")
    if not figures["diagnostics"]:
        codes.add_row("none", "", "")
    console.print(codes)
