"""The `newsparse` command line: click commands that call the library and map errors to exits."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from enum import IntEnum
from typing import IO, Any

import click

from . import __version__
from .api import check_options, parse_file, parse_stream
from .console import print_diagnostics
from .errors import InvalidOption
from .exporters import exporter_names, get_exporter, resolve_format
from .model import DEFAULT_MAX_SIZE, DEFAULT_TIMEZONE, ParseOptions, ParseResult, Severity
from .reading import InputEntry, discover

__all__ = ["ExitStatus", "main"]


class ExitStatus(IntEnum):
    """What the exit status of every newsparse command means."""

    OK = 0
    PROBLEMS = 1  # some input had errors (the good articles are still written)
    USAGE = 2  # bad options or arguments, or an internal error
    INTERRUPTED = 130  # Ctrl-C


class ByteSize(click.ParamType):
    """A size such as 50MB, 512k or 1000000 (bytes); 0 means no limit."""

    name = "size"
    _UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2,
              "g": 1024**3, "gb": 1024**3}

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number = text.rstrip("kmgb")
        unit = text[len(number):]
        try:
            return int(float(number) * self._UNITS[unit])
        except (ValueError, KeyError):
            self.fail(f"{value!r} is not a size like 50MB, 512k or 1000000", param, ctx)


def parse_options(tz: str, encoding: str | None, max_size: int) -> ParseOptions:
    """Build ParseOptions from the common command-line options, or fail as a usage error."""
    options = ParseOptions(tz=tz, encoding=encoding, max_size=max_size or None)
    try:
        check_options(options)
    except InvalidOption as error:
        raise click.UsageError(str(error)) from error
    return options


def common_parse_options(function: Any) -> Any:
    """Add the options every reading command shares."""
    for decorator in reversed((
        click.option("--tz", default=DEFAULT_TIMEZONE, show_default=True, metavar="ZONE",
                     help="IANA time zone the bylines are written in."),
        click.option("--encoding", default=None, metavar="NAME",
                     help="Read every input in this encoding instead of detecting it."),
        click.option("--glob", "pattern", default="*.txt", show_default=True,
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
@click.option("-f", "--format", "format_name", default="json", show_default=True,
              type=click.Choice(exporter_names(), case_sensitive=False),
              help="Output format.")
@click.option("-o", "--output", default="-", metavar="FILE",
              help="Write here instead of standard output (written whole or not at all).")
@click.option("-q", "--quiet", is_flag=True, help="Do not print diagnostics.")
@common_parse_options
def parse_command(paths: tuple[str, ...], format_name: str, output: str, quiet: bool,
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
    """
    options = parse_options(tz, encoding, max_size)
    inputs = list(paths) or ["-"]
    entries = discover(inputs, pattern=pattern)
    if output != "-":
        _refuse_overwriting_inputs(output, inputs)
    exporter_class = get_exporter(format_name)
    had_errors = False
    try:
        with _open_output(output, binary=exporter_class.binary) as stream:
            exporter = exporter_class(stream)
            for result in _parse_entries(entries, options):
                for article in result.articles:
                    exporter.write(article)
                if not quiet:
                    print_diagnostics(result.diagnostics)
                had_errors = had_errors or result.has_errors
            exporter.close()
    except BrokenPipeError:
        _silence_broken_pipe()
    except KeyboardInterrupt:
        click.echo("newsparse: interrupted", err=True)
        sys.exit(ExitStatus.INTERRUPTED)
    sys.exit(ExitStatus.PROBLEMS if had_errors else ExitStatus.OK)


def _parse_entries(entries: Iterator[InputEntry], options: ParseOptions) -> Iterator[ParseResult]:
    from .model import Diagnostic

    for entry in entries:
        if entry.error is not None:
            yield ParseResult(diagnostics=[
                Diagnostic(entry.path, 1, 1, "NP108", Severity.ERROR, entry.error)
            ])
        elif entry.path == "-":
            # Streamed in pieces, so memory stays flat however long the input is.
            yield from parse_stream(sys.stdin.buffer, options=options)
        else:
            yield parse_file(entry.path, options=options)


def _refuse_overwriting_inputs(output: str, inputs: list[str]) -> None:
    if not os.path.exists(output):
        return
    for path in inputs:
        if path != "-" and os.path.isfile(path) and os.path.samefile(path, output):
            raise click.UsageError(f"output {output!r} is also an input; inputs are never written")


class _open_output:  # noqa: N801 - used as a context manager function
    """Standard output as UTF-8 text, or a file written atomically."""

    def __init__(self, output: str, *, binary: bool) -> None:
        self.output = output
        self.binary = binary
        self._context: Any = None
        self._stream: IO[Any] | None = None

    def __enter__(self) -> IO[Any]:
        if self.output == "-":
            raw = sys.stdout.buffer
            if self.binary:
                return raw
            self._stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n",
                                            write_through=False)
            return self._stream
        from .output import write_atomically

        self._context = write_atomically(self.output, binary=self.binary)
        return self._context.__enter__()  # type: ignore[no-any-return]

    def __exit__(self, *exc_info: Any) -> None:
        if self._context is not None:
            self._context.__exit__(*exc_info)
        elif self._stream is not None:
            try:
                self._stream.flush()
            finally:
                self._stream.detach()


def _silence_broken_pipe() -> None:
    """Stop quietly when the reader of our output went away (`newsparse parse | head`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitStatus.OK)


if __name__ == "__main__":  # pragma: no cover
    main()
