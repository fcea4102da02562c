"""`newsparse parse`: dumps in, articles out as JSON or another format."""

from __future__ import annotations

import sys

import click

from ..api import check_options
from ..errors import InvalidOption
from ..exporters import Exporter, ExportOptions, get_exporter, resolve_format
from ..filters import FilterOptions
from ..model import ParseOptions
from . import options as shared
from .errors import usage_errors
from .files import DEFAULT_FORMAT, run_parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dedupe import DedupeOptions

__all__ = ["load_exporter", "parse_command"]


def load_exporter(format_name: str, output: str) -> type[Exporter]:
    """Return the exporter class for FORMAT_NAME writing to OUTPUT.

    Raise MissingDependency when its optional package is missing, and InvalidOption when
    OUTPUT is standard output and the format cannot be written there.
    """
    exporter_class = get_exporter(format_name)
    if output == "-" and not exporter_class.stdout:
        info = resolve_format(format_name)
        raise InvalidOption(
            f"{info.name} output cannot go to standard output: "
            f"give a file with -o FILE{info.extension}"
        )
    return exporter_class


@click.command("parse")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@shared.export_format_option(
    default=None, help="Output format.  [default: json; with -o FILE, from its extension]"
)
@shared.output_option(
    "Write here instead of standard output (written whole or not at all; "
    "missing directories are made)."
)
@shared.compress_option(
    "Compress the output (also chosen by -o FILE's extension: .gz, .bz2, .xz, .zst)."
)
@shared.quiet_option("Do not print diagnostics.")
@shared.color_option("Colour the diagnostics (default: only on a terminal, unless NO_COLOR).")
@shared.csv_options
@shared.filter_options
@shared.dedupe_options(
    "Leave out later copies of an article: exact copies, or near "
    "copies too (--dedupe near); the first in input order is kept."
)
@shared.reading_options
@usage_errors
def parse_command(
    paths: tuple[str, ...],
    format_name: str | None,
    output: str,
    compress: str | None,
    quiet: bool,
    color: bool | None,
    exporting: ExportOptions,
    filters: FilterOptions,
    dedupe: DedupeOptions | None,
    options: ParseOptions,
    pattern: str,
) -> None:
    """Parse dumps and write their articles as JSON (or another format).

    PATHS are files, directories (their *.txt files, recursively, in sorted order) or
    `-` for standard input, which is also read when no path is given. Compressed files
    (.gz, .bz2, .xz, .zst) and the members of .zip and .tar archives are read too.
    Diagnostics go to stderr as `path:line:col: CODE message`; away from a terminal
    they are gathered in blocks of up to 32 KB, all written before the run ends or is
    stopped. Exit status 0 when every input was read without errors (also when
    directories hold no matching file: a warning says so), 1 when any input had
    errors, 2 for usage errors.

    \b
    Examples:
      newsparse parse samples/000_c61b72992829a382.txt
      cat dump.txt | newsparse parse
      newsparse parse -f jsonl samples/ -o articles.jsonl
      newsparse parse -f jsonl dumps.tar.zst -o articles.jsonl.gz
      newsparse parse samples/ -o articles.csv --excel --columns title,published,url
      newsparse parse -f jsonl dumps/ --source agerpres --since 2023-01-01
      newsparse parse -f sqlite samples/ -o corpus.db --dedupe exact
    """
    check_options(options)
    format_name = format_name or _format_from_output(output)
    shared.check_export_options_named(format_name, exporting)
    exporter_class = load_exporter(format_name, output)
    sys.exit(
        run_parse(
            list(paths) or ["-"],
            exporter_class=exporter_class,
            options=options,
            exporting=exporting,
            output=output,
            quiet=quiet,
            pattern=pattern,
            color=color,
            filters=filters,
            dedupe=dedupe,
            compress=compress,
        )
    )


def _format_from_output(output: str) -> str:
    """Return the format named by OUTPUT's extension, else the default."""
    from ..exporters import format_for_path

    return (format_for_path(output) if output != "-" else None) or DEFAULT_FORMAT
