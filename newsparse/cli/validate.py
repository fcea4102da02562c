"""`newsparse validate`: every problem of the dumps, in a report for people or for CI."""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO, cast

import click

from ..api import check_options
from ..console import escape_control
from ..model import ParseOptions
from ..reading import InputEntry, discover, display_name
from . import options as shared
from .errors import ExitStatus, stopping_cleanly, usage_errors
from .files import InputsSeen, OutputGuard, hint_if_terminal, open_output, parse_entries

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..dedupe import DedupeOptions, DuplicateFinder

__all__ = ["validate_command"]

_FORMAT_ENV = "NEWSPARSE_OUTPUT_FORMAT"


def _format_names() -> list[str]:
    from ..reporters import reporter_names

    return ["auto", *reporter_names()]


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@shared.format_option(
    _format_names(),
    default="auto",
    show_default=True,
    envvar=_FORMAT_ENV,
    show_envvar=True,
    help="Report format; auto is github inside GitHub Actions, else text.",
)
@shared.output_option("Write the report here instead of standard output (whole or not at all).")
@click.option(
    "--select",
    multiple=True,
    type=shared.CodeList(),
    metavar="CODES",
    help="Report only these codes or prefixes (comma-separated, repeatable).",
)
@click.option(
    "--ignore",
    multiple=True,
    type=shared.CodeList(),
    metavar="CODES",
    help="Do not report these codes or prefixes (comma-separated, repeatable).",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@shared.quiet_option(
    "Report only the problems that fail the run (errors; warnings too with --strict)."
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many times each code occurred instead of the diagnostics.",
)
@click.option(
    "--explain",
    "explain_code",
    metavar="CODE",
    help="Print what CODE means, an example and how to fix it, then exit.",
)
@shared.color_option("Colour the text report (default: only on a terminal, unless NO_COLOR).")
@click.option(
    "--stdin-filename", metavar="PATH", help="The file name to report for standard input."
)
@shared.dedupe_options(
    "Also report copies of earlier articles: exact (NP501) or near ones too (--dedupe near, NP502)."
)
@shared.reading_options
@usage_errors
def validate_command(
    paths: tuple[str, ...],
    format_name: str,
    output: str,
    select: tuple[tuple[str, ...], ...],
    ignore: tuple[tuple[str, ...], ...],
    strict: bool,
    exit_zero: bool,
    quiet: bool,
    statistics: bool,
    explain_code: str | None,
    color: bool | None,
    stdin_filename: str | None,
    dedupe: DedupeOptions | None,
    options: ParseOptions,
    pattern: str,
) -> None:
    """Check dumps and report every problem with its file, line, column and code.

    PATHS are files, directories (their *.txt files, recursively, in sorted order) or
    `-` for standard input, which is also read when no path is given. The report is
    the data of this command, so it goes to standard output (or --output); stderr gets
    only internal problems and, for the machine formats, the one-line summary. The
    format can also be set once for a whole CI configuration with
    NEWSPARSE_OUTPUT_FORMAT.

    \b
    Exit status:
      0  no errors (warnings allowed), or --exit-zero; also when directories hold
         no file matching --glob (a warning says so)
      1  errors found (or warnings, with --strict)
      2  usage error, or an internal error

    \b
    Examples:
      newsparse validate dumps/
      newsparse validate --format sarif -o newsparse.sarif dumps/
      newsparse validate --select NP2 --strict dump.txt
      newsparse validate --explain NP201
      newsparse validate --dedupe near --select NP5 dumps/
    """
    from ..reporters import REPORTERS, FileResult, get_reporter, summarize
    from ..reporters.base import fails

    if explain_code is not None:
        _explain(explain_code)
        return
    name = format_name.lower()
    if name == "auto":
        name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if statistics and name not in ("text", "json"):
        raise click.UsageError("--statistics works with --format text or json")
    check_options(options)
    inputs = list(paths) or ["-"]
    guard = OutputGuard(output, inputs)
    hint_if_terminal(inputs)
    seen = InputsSeen(inputs, pattern)
    selected = tuple(p for group in select for p in group)
    ignored = tuple(p for group in ignore for p in group)

    def keep(diagnostic: Any) -> bool:
        code = diagnostic.code
        if selected and "ALL" not in selected and not code.startswith(selected):
            return False
        if "ALL" in ignored or code.startswith(ignored):
            return False
        return not quiet or fails(diagnostic, strict=strict)

    finder = dedupe.finder() if dedupe is not None else None
    results: list[FileResult] = []
    internal_errors = 0

    def status() -> ExitStatus:
        if internal_errors:
            return ExitStatus.USAGE
        failed = any(fails(d, strict=strict) for r in results for d in r.diagnostics)
        return ExitStatus.PROBLEMS if failed and not exit_zero else ExitStatus.OK

    with stopping_cleanly(output, status):
        for entry in seen.counted(
            guard.checked(
                discover(
                    inputs, pattern=pattern, exclude=guard.exclude, case_skipped=seen.case_skipped
                )
            )
        ):
            path = None if entry.path == "-" else entry.path
            try:
                groups = _validate_entry(entry, options, pattern, finder)
            except Exception as error:  # a bug in newsparse: report it, go on with the others
                internal_errors += 1
                click.echo(
                    escape_control(
                        f"newsparse: internal error while reading {path or '<stdin>'}: "
                        f"{type(error).__name__}: {error}"
                    ),
                    err=True,
                )
                continue
            for source, found, count in groups:  # an archive gives one group per member
                diagnostics = tuple(d for d in found if keep(d))
                # Named as the diagnostics name it (see display_name).
                shown = display_name(source) if source is not None else stdin_filename or None
                results.append(FileResult(shown, diagnostics, count))
        seen.warn()
        reporter_class = get_reporter(name)
        with open_output(output, binary=False) as stream:
            use_color = (
                color
                if color is not None
                else (output == "-" and not os.environ.get("NO_COLOR") and _is_terminal(sys.stdout))
            )
            if statistics:
                from ..reporters.catalogue import write_statistics

                write_statistics(results, cast(TextIO, stream), as_json=name == "json")
            else:
                reporter = reporter_class(
                    cast(TextIO, stream), strict=strict, color=bool(use_color), quiet=quiet
                )
                reporter.report(results)
    if (REPORTERS[name].machine or statistics) and not quiet:
        # The report is data; people still get the one-line summary, on stderr.
        click.echo(summarize(results).line(), err=True)
    sys.exit(status())


def _validate_entry(
    entry: InputEntry, options: ParseOptions, pattern: str, finder: DuplicateFinder | None = None
) -> list[tuple[str | None, list[Any], int]]:
    """Return (name, diagnostics, article count) of one input, or of each dump in an archive.

    Standard input, parsed in pieces, is one input named None. FINDER, shared by all
    inputs, adds a warning on each copy of an earlier article.
    """
    from ..dedupe import find_duplicates

    if entry.error is None and entry.path != "-":
        from ..archives import parse_path

        members = parse_path(entry.path, options, pattern=pattern)
        if finder is not None:
            members = ((name, next(find_duplicates([result], finder))) for name, result in members)
        return [(name, result.diagnostics, len(result.articles)) for name, result in members]
    pieces = parse_entries(iter([entry]), options, pattern)
    if finder is not None:
        pieces = find_duplicates(pieces, finder)
    # A tar on standard input gives its members one after the other, each named
    # `<stdin>!/member` in what it holds; plain text is one input named None.
    read: list[tuple[str | None, list[Any], int]] = []
    for piece in pieces:
        name = _member_name(piece) if entry.path == "-" else entry.path
        if not read or read[-1][0] != name:
            read.append((name, [], 0))
        last_name, diagnostics, count = read[-1]
        diagnostics += piece.diagnostics
        read[-1] = (last_name, diagnostics, count + len(piece.articles))
    return read or [(None if entry.path == "-" else entry.path, [], 0)]


def _member_name(piece: Any) -> str | None:
    """Return the `<stdin>!/member` name PIECE of standard input was read from, or None."""
    from ..archives import STDIN_NAME

    prefix = STDIN_NAME + "!"
    for item in (*piece.articles, *piece.diagnostics):
        if item.file is not None and item.file.startswith(prefix):
            return str(item.file)
    return None


def _explain(text: str) -> None:
    from ..reporters.catalogue import explain, find_code

    code = find_code(text)
    if code is None:
        raise click.BadParameter(
            f"{text!r} is not a diagnostic code or name (see docs/diagnostics.md)",
            param_hint="--explain",
        )
    click.echo(explain(code), nl=False)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
