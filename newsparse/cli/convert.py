"""`newsparse convert`: many dumps in parallel, one output per input or all into one file."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

import click

from ..api import check_options
from ..errors import InvalidOption
from ..exporters import ExportOptions
from ..filters import FilterOptions
from ..model import DEFAULT_DEDUPE_THRESHOLD, ParseOptions
from . import options as shared
from .errors import ExitStatus, converting_cleanly, usage_errors
from .files import OutputGuard

if TYPE_CHECKING:
    from ..batch import ConvertOptions
    from ..dedupe import DedupeOptions

__all__ = ["convert_command", "run_conversion"]


@click.command("convert")
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(readable=False), metavar="SRC..."
)
@shared.output_option(
    "Write one output per input here, mirroring the input tree.",
    metavar="DIR",
    dest="destination",
    default=None,
)
@click.option(
    "--combine",
    metavar="FILE",
    help="Instead, write every article into this one file, in input order "
    "(any format; from the extension unless -f).",
)
@shared.export_format_option(
    default=None, help="Output format.  [default: json; with --combine, from FILE's extension]"
)
@shared.compress_option(
    "Compress every output (`a.json.gz`); --combine FILE also is when "
    "its name ends in .gz, .bz2, .xz or .zst."
)
@shared.jobs_option("Worker processes; 1 converts in this process.  [default: CPU count]")
@click.option("--force", is_flag=True, help="Convert even the inputs whose output is up to date.")
@click.option(
    "--strict",
    is_flag=True,
    help="Write nothing for an input with errors (default: its good articles).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@shared.quiet_option("No progress bar, diagnostics or summary; failed inputs are still listed.")
@click.option("-v", "--verbose", is_flag=True, help="Show warnings too, not only errors.")
@shared.color_option(
    "Colour the progress bar and summary (default: only on a terminal, unless NO_COLOR)."
)
@shared.csv_options
@shared.filter_options
@shared.dedupe_options(
    "With --combine: leave out later copies of an article, exact or "
    "near too (--dedupe near); the first in input order is kept."
)
@shared.follow_symlinks_option()
@shared.reading_options
@usage_errors
def convert_command(
    sources: tuple[str, ...],
    destination: str | None,
    combine: str | None,
    format_name: str | None,
    compress: str | None,
    jobs: int | None,
    force: bool,
    strict: bool,
    fail_fast: bool,
    quiet: bool,
    verbose: bool,
    color: bool | None,
    exporting: ExportOptions,
    filters: FilterOptions,
    dedupe: DedupeOptions | None,
    follow_symlinks: bool,
    options: ParseOptions,
    pattern: str,
) -> None:
    """Convert many dumps in parallel, one output per input or all into one file.

    SRC are files and directories (their files matching --glob, recursively, in sorted
    order); compressed files are read decompressed, and every member of a .zip or .tar
    archive matching --glob is an input, written under DIR/ARCHIVE-NAME/. Outputs are
    written whole or not at all; a rerun skips the inputs whose output is up to date
    (recorded in DIR/.newsparse-manifest.json), and the archives that did not change.
    Progress, problems and a summary go to stderr; exit status 0 when every input was
    clean, 1 when any failed, 2 for usage errors, 130 on Ctrl-C and 143 on SIGTERM.
    Sources holding no matching file give a warning and exit status 0; an input from
    which no article can be read gets no output.

    \b
    Examples:
      newsparse convert dumps/ -o out/
      newsparse convert dumps/ -o out/ -f jsonl -j 4 --glob '*.dump'
      newsparse convert dumps/ --combine all.jsonl
      newsparse convert 2022-08.zip dumps.tar.gz -o out/ --compress gz
      newsparse convert dumps/ --combine all.csv.zst
      newsparse convert dumps/ --combine corpus.db --dedupe near
      newsparse convert dumps/ --combine 2023.jsonl --since 2023-01-01 --until 2023-12-31
    """
    from ..batch import ConvertOptions, check_convert_options, check_sources, default_jobs

    check_options(options)
    if "-" in sources:
        raise click.UsageError("convert reads files, not standard input (use `parse`)")
    if (destination is None) == (combine is None):
        raise click.UsageError("give either -o DIR or --combine FILE")
    if combine is not None:
        OutputGuard(combine, list(sources)).check_found(list(sources), pattern)
    convert_options = ConvertOptions(
        format=format_name,
        destination=destination,
        combine=combine,
        parse=options,
        export=exporting,
        pattern=pattern,
        jobs=jobs or default_jobs(),
        force=force,
        strict=strict,
        fail_fast=fail_fast,
        all_diagnostics=verbose,
        filters=filters,
        compress=compress,
        follow_symlinks=follow_symlinks,
        dedupe=dedupe.mode if dedupe is not None else None,
        dedupe_threshold=dedupe.threshold if dedupe is not None else DEFAULT_DEDUPE_THRESHOLD,
    )
    try:
        check_convert_options(convert_options)
    except InvalidOption:
        name = convert_options.format_name  # raises on its own when it is the problem
        shared.check_export_options_named(name, exporting)
        raise
    check_sources(sources, convert_options)
    sys.exit(
        run_conversion(list(sources), convert_options, quiet=quiet, verbose=verbose, color=color)
    )


def run_conversion(
    sources: list[str],
    options: ConvertOptions,
    *,
    quiet: bool,
    verbose: bool,
    color: bool | None = None,
) -> int:
    """Convert, showing progress and problems on stderr; return the exit status.

    The summary counts what was recorded, so it matches what is on disk: with -o DIR,
    every input the manifest records (workers that finish after Ctrl-C included); with
    --combine, nothing when the combined file was not written.
    """
    import time

    from ..batch import Report, convert, count_inputs
    from .files import InputsSeen
    from .progress import ConvertDisplay, RunOutcome, print_summary

    report = Report()
    seen = InputsSeen(sources, options.pattern)
    started = time.monotonic()
    show_progress = not quiet and sys.stderr.isatty()
    before = _stamp(options.combine)
    tree = options.combine is None
    with converting_cleanly() as run:
        total = count_inputs(sources, options) if show_progress else None
        with (
            ConvertDisplay(
                total, quiet=quiet, verbose=verbose, enabled=show_progress, color=color
            ) as display,
            contextlib.closing(
                convert(
                    sources,
                    options,
                    on_recorded=report.record if tree else None,
                    case_skipped=seen.case_skipped,
                )
            ) as results,
        ):
            for result in results:
                if not tree:
                    report.record(result)
                display.show(result, report)
        run.status = ExitStatus.PROBLEMS if report.failure_count else ExitStatus.OK
    seen.found = report.total
    outcome = RunOutcome.WRITTEN
    if run.destination_failed:
        outcome = RunOutcome.UNWRITABLE
    elif not tree and _stamp(options.combine) == before:
        outcome = RunOutcome.COMBINED_NOT_WRITTEN
    interrupted = run.status in (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED)
    if report.total or outcome is not RunOutcome.WRITTEN or interrupted:
        print_summary(
            report,
            time.monotonic() - started,
            run.status,
            quiet=quiet,
            outcome=outcome,
            combine=options.combine,
            fail_fast=options.fail_fast,
            color=color,
        )
    # Else no input was looked for (the destination failed); an interrupted run has not
    # found that no input is there.
    if not run.destination_failed:
        seen.warn(searched=not interrupted)
    return int(run.status)


def _stamp(path: str | None) -> tuple[int, int, int] | None:
    """Return what tells whether PATH was replaced (device, inode, mtime), or None."""
    import os

    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns
