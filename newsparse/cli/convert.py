"""`newsparse convert`: many dumps in parallel, one output per input or all into one file."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING

import click

from ..api import check_options
from ..model import ParseOptions
from . import options as shared
from .errors import ExitStatus, converting_cleanly, usage_errors
from .files import OutputGuard

if TYPE_CHECKING:
    from ..batch import ConvertOptions

__all__ = ["convert_command", "run_conversion"]


@click.command("convert")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="SRC...")
@shared.output_option("Write one output per input here, mirroring the input tree.",
                      metavar="DIR", dest="destination", default=None)
@click.option("--combine", metavar="FILE",
              help="Instead, write every article into this one file, in input order "
                   "(any format; from the extension unless -f).")
@shared.export_format_option(
    default=None, help="Output format.  [default: json; with --combine, from FILE's extension]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes; 1 converts in this process.  [default: CPU count]")
@click.option("--force", is_flag=True, help="Convert even the inputs whose output is up to date.")
@click.option("--strict", is_flag=True,
              help="Write nothing for an input with errors (default: its good articles).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@shared.quiet_option("No progress bar, diagnostics or summary; failed inputs are still listed.")
@click.option("-v", "--verbose", is_flag=True, help="Show warnings too, not only errors.")
@shared.follow_symlinks_option()
@shared.reading_options
@usage_errors
def convert_command(sources: tuple[str, ...], destination: str | None, combine: str | None,
                    format_name: str | None, jobs: int | None, force: bool, strict: bool,
                    fail_fast: bool, quiet: bool, verbose: bool, follow_symlinks: bool,
                    options: ParseOptions, pattern: str) -> None:
    """Convert many dumps in parallel, one output per input or all into one file.

    SRC are files and directories (their files matching --glob, recursively, in sorted
    order). Outputs are written whole or not at all; a rerun skips the inputs whose
    output is up to date (recorded in DIR/.newsparse-manifest.json). Progress, problems
    and a summary go to stderr; exit status 0 when every input was clean, 1 when any
    failed, 2 for usage errors, 130 on Ctrl-C and 143 on SIGTERM.

    \b
    Examples:
      newsparse convert dumps/ -o out/
      newsparse convert dumps/ -o out/ -f jsonl -j 4 --glob '*.dump'
      newsparse convert dumps/ --combine all.jsonl
    """
    from ..batch import ConvertOptions, check_convert_options, check_sources, default_jobs

    check_options(options)
    if "-" in sources:
        raise click.UsageError("convert reads files, not standard input (use `parse`)")
    if (destination is None) == (combine is None):
        raise click.UsageError("give either -o DIR or --combine FILE")
    if combine is not None:
        OutputGuard(combine, list(sources))
    convert_options = ConvertOptions(
        format=format_name, destination=destination, combine=combine, parse=options,
        pattern=pattern, jobs=jobs or default_jobs(), force=force, strict=strict,
        fail_fast=fail_fast, all_diagnostics=verbose, follow_symlinks=follow_symlinks)
    check_convert_options(convert_options)
    check_sources(sources, convert_options)
    sys.exit(run_conversion(list(sources), convert_options, quiet=quiet, verbose=verbose))


def run_conversion(sources: list[str], options: ConvertOptions, *, quiet: bool,
                   verbose: bool) -> int:
    """Convert, showing progress and problems on stderr; return the exit status."""
    import time

    from ..batch import Report, convert, count_inputs
    from .progress import ConvertDisplay, print_summary

    report = Report()
    started = time.monotonic()
    show_progress = not quiet and sys.stderr.isatty()
    with converting_cleanly() as run:
        total = count_inputs(sources, options) if show_progress else None
        with ConvertDisplay(total, quiet=quiet, verbose=verbose,
                            enabled=show_progress) as display, \
                contextlib.closing(convert(sources, options)) as results:
            for result in results:
                report.record(result)
                display.show(result, report)
        run.status = ExitStatus.PROBLEMS if report.failure_count else ExitStatus.OK
    print_summary(report, time.monotonic() - started, run.status, quiet=quiet)
    return int(run.status)
