"""The `newsparse` command line: click commands that call the library and map errors to exits."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import Any, ClassVar, TextIO, TypeVar, cast

import click

from . import __version__
from .api import check_options
from .commands import (
    DEFAULT_FORMAT,
    DEFAULT_PATTERN,
    ExitStatus,
    OutputGuard,
    open_output,
    parse_entries,
    run_parse,
    stopping_cleanly,
)
from .console import diagnostic_line, escape_control
from .errors import InvalidOption, MissingDependency
from .exporters import (
    Exporter,
    ExportOptions,
    check_export_options,
    exporter_names,
    get_exporter,
    resolve_format,
)
from .model import DEFAULT_MAX_SIZE, DEFAULT_TIMEZONE, ParseOptions
from .reading import InputEntry, describe_os_error, discover

__all__ = ["ExitStatus", "main"]


class ByteSize(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A size such as 50MB, 512k or 1000000 (bytes); 0 means no limit."""

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {
        "": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2,
        "g": 1024**3, "gb": 1024**3,
    }

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number = text.rstrip("kmgb")
        unit = text[len(number):]
        try:
            amount = float(number) * self._UNITS[unit]
            size = int(amount)
        except (ValueError, KeyError, OverflowError):
            self.fail(f"{value!r} is not a size like 50MB, 512k or 1000000", param, ctx)
        if amount < 0 or (amount > 0 and size == 0):
            self.fail(f"{value!r} is not a size of at least one byte (or 0 for no limit)",
                      param, ctx)
        return size


_Command = TypeVar("_Command", bound=Callable[..., None])


def usage_errors(function: _Command) -> _Command:
    """Make an InvalidOption raised by the command (the output is an input) a usage error."""

    @functools.wraps(function)
    def command(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except InvalidOption as error:
            raise click.UsageError(str(error)) from error

    return cast(_Command, command)


def parse_options(tz: str, encoding: str | None, max_size: int) -> ParseOptions:
    """Build ParseOptions from the common command-line options, or fail as a usage error."""
    options = ParseOptions(tz=tz, encoding=encoding, max_size=max_size or None)
    try:
        check_options(options)
    except InvalidOption as error:
        raise click.UsageError(str(error)) from error
    return options


def export_options(function: Any) -> Any:
    """Add the options that tune an output format."""
    for decorator in reversed((
        click.option("--columns", default=None, metavar="LIST",
                     help="CSV: comma-separated columns to write, in this order."),
        click.option("--excel", is_flag=True,
                     help="CSV: start with a UTF-8 byte-order mark so Excel shows diacritics."),
        click.option("--formula-guard/--no-formula-guard", default=True, show_default=True,
                     help="CSV: prefix cells starting with = + - @ tab or CR with ' "
                          "so spreadsheets do not run them."),
    )):
        function = decorator(function)
    return function


def build_export_options(format_name: str, columns: str | None, excel: bool,
                         formula_guard: bool) -> ExportOptions:
    """Build ExportOptions for FORMAT_NAME, or fail as a usage error."""
    chosen = None
    if columns is not None:
        chosen = tuple(name.strip().lower() for name in columns.split(",") if name.strip())
    exporting = ExportOptions(columns=chosen, excel=excel, formula_guard=formula_guard)
    try:
        check_export_options(format_name, exporting)
    except (InvalidOption, MissingDependency) as error:
        raise click.UsageError(str(error)) from error
    return exporting


def load_exporter(format_name: str, output: str) -> type[Exporter]:
    """Return the exporter class for FORMAT_NAME writing to OUTPUT, or fail as a usage error."""
    try:
        exporter_class = get_exporter(format_name)
    except MissingDependency as error:
        raise click.UsageError(str(error)) from error
    if output == "-" and not exporter_class.stdout:
        info = resolve_format(format_name)
        raise click.UsageError(f"{info.name} output cannot go to standard output: "
                               f"give a file with -o FILE{info.extension}")
    return exporter_class


def common_parse_options(function: Any) -> Any:
    """Add the options every reading command shares."""
    for decorator in reversed((
        click.option("--tz", default=DEFAULT_TIMEZONE, show_default=True, metavar="ZONE",
                     help="IANA time zone the bylines are written in."),
        click.option("--encoding", default=None, metavar="NAME",
                     help="Read every input in this encoding instead of detecting it."),
        click.option("--glob", "pattern", default=DEFAULT_PATTERN, show_default=True,
                     help="File pattern when an input is a directory."),
        click.option("--max-size", type=ByteSize(), default=DEFAULT_MAX_SIZE,
                     show_default="50MB", help="Refuse files larger than this (0: no limit)."),
    )):
        function = decorator(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsparse")
def main() -> None:
    """Turn raw Romanian news dumps into clean structured data."""


@main.command("parse")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "format_name", default=DEFAULT_FORMAT, show_default=True,
              type=click.Choice(exporter_names(), case_sensitive=False),
              help="Output format.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write here instead of standard output (written whole or not at all).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print diagnostics.")
@export_options
@common_parse_options
@usage_errors
def parse_command(paths: tuple[str, ...], format_name: str, output: str, quiet: bool,
                  columns: str | None, excel: bool, formula_guard: bool,
                  tz: str, encoding: str | None, pattern: str, max_size: int) -> None:
    """Parse dumps and write their articles as JSON (or another format).

    PATHS are files, directories (their *.txt files, recursively, in sorted order) or
    `-` for standard input, which is also read when no path is given. Diagnostics go
    to stderr as `path:line:col: CODE message`.

    \b
    Examples:
      newsparse parse samples/000_c61b72992829a382.txt
      cat dump.txt | newsparse parse
      newsparse parse -f jsonl samples/ -o articles.jsonl
      newsparse parse -f csv --excel --columns title,published,url samples/ -o a.csv
    """
    options = parse_options(tz, encoding, max_size)
    exporting = build_export_options(format_name, columns, excel, formula_guard)
    exporter_class = load_exporter(format_name, output)
    sys.exit(run_parse(list(paths) or ["-"], exporter_class=exporter_class, options=options,
                       exporting=exporting, output=output, quiet=quiet, pattern=pattern))


# --- validate ---------------------------------------------------------------------------

_FORMAT_ENV = "NEWSPARSE_OUTPUT_FORMAT"


class CodeList(click.ParamType):  # type: ignore[type-arg]
    """Comma-separated diagnostic codes or prefixes (`NP201,NP3`); checked against the catalogue."""

    name = "codes"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        from .codes import CODES

        prefixes = tuple(part.strip().upper() for part in str(value).split(",") if part.strip())
        for prefix in prefixes:
            if prefix != "ALL" and not any(code.startswith(prefix) for code in CODES):
                self.fail(f"{prefix!r} is not a diagnostic code or a prefix of one "
                          "(see docs/diagnostics.md)", param, ctx)
        return prefixes


def _format_names() -> list[str]:
    from .reporters import reporter_names

    return ["auto", *reporter_names()]


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "format_name", default="auto", show_default=True,
              envvar=_FORMAT_ENV, show_envvar=True,
              type=click.Choice(_format_names(), case_sensitive=False),
              help="Report format; auto is github inside GitHub Actions, else text.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write the report here instead of standard output (whole or not at all).")
@click.option("--select", multiple=True, type=CodeList(), metavar="CODES",
              help="Report only these codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, type=CodeList(), metavar="CODES",
              help="Do not report these codes or prefixes (comma-separated, repeatable).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
@click.option("-q", "--quiet", is_flag=True,
              help="Report only the problems that fail the run (errors; warnings too "
                   "with --strict).")
@click.option("--statistics", is_flag=True,
              help="Print how many times each code occurred instead of the diagnostics.")
@click.option("--explain", "explain_code", metavar="CODE",
              help="Print what CODE means, an example and how to fix it, then exit.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: only on a terminal, unless NO_COLOR).")
@click.option("--stdin-filename", metavar="PATH",
              help="The file name to report for standard input.")
@common_parse_options
@usage_errors
def validate_command(paths: tuple[str, ...], format_name: str, output: str,
                     select: tuple[tuple[str, ...], ...], ignore: tuple[tuple[str, ...], ...],
                     strict: bool, exit_zero: bool, quiet: bool, statistics: bool,
                     explain_code: str | None, color: bool | None, stdin_filename: str | None,
                     tz: str, encoding: str | None, pattern: str, max_size: int) -> None:
    """Check dumps and report every problem with its file, line, column and code.

    PATHS are files, directories (their *.txt files, recursively, in sorted order) or
    `-` for standard input, which is also read when no path is given. The report is
    the data of this command, so it goes to standard output (or --output); stderr gets
    only internal problems and, for the machine formats, the one-line summary. The
    format can also be set once for a whole CI configuration with
    NEWSPARSE_OUTPUT_FORMAT.

    \b
    Exit status:
      0  no errors (warnings allowed), or --exit-zero
      1  errors found (or warnings, with --strict)
      2  usage error, or an internal error

    \b
    Examples:
      newsparse validate dumps/
      newsparse validate --format sarif -o newsparse.sarif dumps/
      newsparse validate --select NP2 --strict dump.txt
      newsparse validate --explain NP201
    """
    from .reporters import REPORTERS, FileResult, get_reporter, summarize
    from .reporters.base import fails

    if explain_code is not None:
        _explain(explain_code)
        return
    name = format_name.lower()
    if name == "auto":
        name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if statistics and name not in ("text", "json"):
        raise click.UsageError("--statistics works with --format text or json")
    options = parse_options(tz, encoding, max_size)
    inputs = list(paths) or ["-"]
    guard = OutputGuard(output, inputs)
    if "-" in inputs and _is_terminal(sys.stdin):
        click.echo("newsparse: reading a dump from the terminal (end with Ctrl-D)", err=True)
    selected = tuple(p for group in select for p in group)
    ignored = tuple(p for group in ignore for p in group)

    def keep(diagnostic: Any) -> bool:
        code = diagnostic.code
        if selected and "ALL" not in selected and not code.startswith(selected):
            return False
        if "ALL" in ignored or code.startswith(ignored):
            return False
        return not quiet or fails(diagnostic, strict=strict)

    results: list[FileResult] = []
    internal_errors = 0
    with stopping_cleanly(output):
        for entry in guard.checked(discover(inputs, pattern=pattern, exclude=guard.exclude)):
            path = None if entry.path == "-" else entry.path
            try:
                groups = _validate_entry(entry, options, pattern)
            except Exception as error:  # a bug in newsparse: report it, go on with the others
                internal_errors += 1
                click.echo(escape_control(
                    f"newsparse: internal error while reading {path or '<stdin>'}: "
                    f"{type(error).__name__}: {error}"), err=True)
                continue
            for source, found, count in groups:  # an archive gives one group per member
                diagnostics = tuple(d for d in found if keep(d))
                results.append(FileResult(source or stdin_filename or None, diagnostics, count))
        if not results and not internal_errors:
            click.echo(f"newsparse: no input files found (pattern {pattern!r})", err=True)
        reporter_class = get_reporter(name)
        with open_output(output, binary=False) as stream:
            use_color = color if color is not None else (
                output == "-" and not os.environ.get("NO_COLOR") and _stdout_is_terminal()
            )
            if statistics:
                from .reporters.catalogue import write_statistics

                write_statistics(results, cast(TextIO, stream), as_json=name == "json")
            else:
                reporter = reporter_class(cast(TextIO, stream), strict=strict,
                                          color=bool(use_color), quiet=quiet)
                reporter.report(results)
    if (REPORTERS[name].machine or statistics) and not quiet:
        # The report is data; people still get the one-line summary, on stderr.
        click.echo(summarize(results).line(), err=True)
    if internal_errors:
        sys.exit(ExitStatus.USAGE)
    failed = any(fails(d, strict=strict) for r in results for d in r.diagnostics)
    sys.exit(ExitStatus.PROBLEMS if failed and not exit_zero else ExitStatus.OK)


def _validate_entry(entry: InputEntry, options: ParseOptions,
                    pattern: str) -> list[tuple[str | None, list[Any], int]]:
    """Return (name, diagnostics, article count) of one input, or of each dump in an archive.

    Standard input, parsed in pieces, is one input named None.
    """
    if entry.error is None and entry.path != "-":
        from .archives import parse_path

        return [(name, result.diagnostics, len(result.articles))
                for name, result in parse_path(entry.path, options, pattern=pattern)]
    diagnostics: list[Any] = []
    count = 0
    for piece in parse_entries(iter([entry]), options):
        diagnostics += piece.diagnostics
        count += len(piece.articles)
    return [(None if entry.path == "-" else entry.path, diagnostics, count)]


def _explain(text: str) -> None:
    from .reporters.catalogue import explain, find_code

    code = find_code(text)
    if code is None:
        raise click.BadParameter(f"{text!r} is not a diagnostic code or name "
                                 "(see docs/diagnostics.md)", param_hint="--explain")
    click.echo(explain(code), nl=False)


def _stdout_is_terminal() -> bool:
    return _is_terminal(sys.stdout)


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the article objects that JSON output holds.

    \b
    Examples:
      newsparse schema > article.schema.json
      newsparse parse -f jsonl samples/ | check-jsonschema --schemafile article.schema.json -
    """
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command("convert")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="SRC...")
@click.option("-o", "--output", "destination", metavar="DIR",
              help="Write one output per input here, mirroring the input tree.")
@click.option("--combine", metavar="FILE",
              help="Instead, write every article into this one file, in input order "
                   "(any format; from the extension unless -f).")
@click.option("-f", "--format", "format_name", default=None,
              type=click.Choice(exporter_names(), case_sensitive=False),
              help="Output format.  [default: json; with --combine, from FILE's extension]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes; 1 converts in this process.  [default: CPU count]")
@click.option("--force", is_flag=True, help="Convert even the inputs whose output is up to date.")
@click.option("--strict", is_flag=True,
              help="Write nothing for an input with errors (default: its good articles).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress bar, diagnostics or summary; failed inputs are still listed.")
@click.option("-v", "--verbose", is_flag=True, help="Show warnings too, not only errors.")
@common_parse_options
@usage_errors
def convert_command(sources: tuple[str, ...], destination: str | None, combine: str | None,
                    format_name: str | None, jobs: int | None, force: bool, strict: bool,
                    fail_fast: bool, quiet: bool, verbose: bool, tz: str,
                    encoding: str | None, pattern: str, max_size: int) -> None:
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
    from .batch import ConvertOptions, check_convert_options, check_sources, default_jobs

    options = parse_options(tz, encoding, max_size)
    if "-" in sources:
        raise click.UsageError("convert reads files, not standard input (use `parse`)")
    if (destination is None) == (combine is None):
        raise click.UsageError("give either -o DIR or --combine FILE")
    if combine is not None:
        OutputGuard(combine, list(sources))
    convert_options = ConvertOptions(
        format=format_name, destination=destination, combine=combine, parse=options,
        pattern=pattern, jobs=jobs or default_jobs(), force=force, strict=strict,
        fail_fast=fail_fast, all_diagnostics=verbose)
    try:
        check_convert_options(convert_options)
        check_sources(sources, convert_options)
    except InvalidOption as error:
        raise click.UsageError(str(error)) from error
    sys.exit(_run_conversion(list(sources), convert_options, quiet=quiet, verbose=verbose))


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be so that the same clean-up runs."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated


def _run_conversion(sources: list[str], options: Any, *, quiet: bool, verbose: bool) -> int:
    """Convert, showing progress and problems on stderr; return the exit status."""
    import signal
    import threading
    import time

    from .batch import Report, convert, count_inputs

    report = Report()
    started = time.monotonic()
    status = ExitStatus.OK
    show_progress = not quiet and sys.stderr.isatty()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    try:
        total = count_inputs(sources, options) if show_progress else None
        with _ConvertDisplay(total, quiet=quiet, verbose=verbose,
                             enabled=show_progress) as display, \
                contextlib.closing(convert(sources, options)) as results:
            for result in results:
                report.record(result)
                display.show(result, report)
        status = ExitStatus.PROBLEMS if report.failure_count else ExitStatus.OK
    except _Terminated:
        status = ExitStatus.TERMINATED
    except KeyboardInterrupt:
        status = ExitStatus.INTERRUPTED
    except OSError as error:  # the destination itself cannot be made or written
        where = f": {error.filename}" if error.filename else ""
        sys.stderr.write(escape_control(
            f"newsparse: cannot write{where}: {describe_os_error(error)}") + "\n")
        status = ExitStatus.PROBLEMS
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    _print_summary(report, time.monotonic() - started, status, quiet=quiet)
    return int(status)


class _ConvertDisplay:
    """A rich progress bar when stderr is a terminal; diagnostics as they come."""

    def __init__(self, total: int | None, *, quiet: bool, verbose: bool, enabled: bool) -> None:
        self.total = total
        self.quiet = quiet
        self.verbose = verbose
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self._last_refresh = 0.0

    def __enter__(self) -> _ConvertDisplay:
        if self.enabled:
            from rich.console import Console
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
                TextColumn("converting"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[articles]:,} articles"),
                TextColumn("{task.fields[rate]} files/s"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), auto_refresh=False, transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("convert", total=self.total, articles=0,
                                                 rate="-")
        return self

    def show(self, result: Any, report: Any) -> None:
        """Report one result: its diagnostics, then the bar."""
        from .batch import Outcome

        if result.outcome is Outcome.FAILED or (self.verbose and result.diagnostics):
            self._print_problems(result)
        if self._progress is not None:
            import time

            now = time.monotonic()
            elapsed = now - self._progress.tasks[0].start_time if \
                self._progress.tasks[0].start_time else 0
            rate = f"{report.total / elapsed:,.0f}" if elapsed > 0 else "-"
            self._progress.update(self._task, completed=report.total,
                                  articles=report.article_count, rate=rate)
            if now - self._last_refresh > 0.1:
                self._progress.refresh()
                self._last_refresh = now

    def _print_problems(self, result: Any) -> None:
        """Print what went wrong with one input, once, as it happens."""
        summary = escape_control(f"{result.path}: {result.message}")
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


def _print_summary(report: Any, elapsed: float, status: ExitStatus, *, quiet: bool) -> None:
    """Print the summary table, the renamed outputs and the failed inputs on stderr."""

    if quiet:
        if status in (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED):
            sys.stderr.write(f"newsparse: interrupted after {report}\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True, highlight=False)
    title = {ExitStatus.INTERRUPTED: "interrupted (Ctrl-C)",
             ExitStatus.TERMINATED: "interrupted (SIGTERM)"}.get(status, "done")
    table = Table(title=f"newsparse convert: {title}", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("files converted", f"{report.converted_count:,}")
    table.add_row("files skipped (up to date)", f"{report.skipped_count:,}")
    failed = f"{report.failure_count:,}"
    if report.partial_count:
        failed += f" ({report.partial_count:,} with their good articles written)"
    table.add_row("files failed", failed)
    table.add_row("articles written", f"{report.article_count:,}")
    for label, counter in (("warnings", report.warnings), ("errors", report.errors)):
        detail = ", ".join(f"{code} {count:,}" for code, count in sorted(counter.items()))
        table.add_row(label, f"{sum(counter.values()):,}" + (f" ({detail})" if detail else ""))
    if report.renamed:
        table.add_row("outputs renamed", f"{len(report.renamed):,}")
    rate = report.total / elapsed if elapsed > 0 else 0.0
    table.add_row("time", f"{elapsed:.2f} s ({rate:,.0f} files/s)")
    console.print(table)
    for path, used, wanted in report.renamed:
        line = f"renamed: {path} -> {used} ({wanted} belongs to another input)"
        console.print(escape_control(line), markup=False, soft_wrap=True)
    if report.failures:
        console.print(f"failed ({len(report.failures):,}):", markup=False)
        for path, reason in sorted(report.failures):
            console.print(escape_control(f"  {path}: {reason}"), markup=False, soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    main()
