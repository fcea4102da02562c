"""The `newsparse` console script, and what `newsparse parse` does without click.

`main` is the entry point. `newsparse parse` given only paths (the quick start, and every
`cat dump.txt | newsparse parse`) runs here directly; anything else, options included,
goes to the click command line in `newsparse.cli`. Both run `run_parse` with the same
defaults, so the output is the same; loading click costs more than parsing an article.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from enum import IntEnum

from .api import parse_stream
from .archives import parse_path
from .console import escape_control, print_diagnostics
from .errors import InvalidOption
from .model import Diagnostic, ParseOptions, ParseResult, Severity
from .reading import describe_os_error, discover, is_temporary_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any

    from .exporters import Exporter, ExportOptions
    from .reading import InputEntry

__all__ = ["DEFAULT_FORMAT", "DEFAULT_PATTERN", "ExitStatus", "main", "run", "run_parse"]

#: `newsparse parse` writes this format unless told otherwise.
DEFAULT_FORMAT = "json"
#: Files read in a directory given as input, unless told otherwise.
DEFAULT_PATTERN = "*.txt"


class ExitStatus(IntEnum):
    """What the exit status of every newsparse command means."""

    OK = 0
    PROBLEMS = 1  # some input had errors (the good articles are still written)
    USAGE = 2  # bad options or arguments, or an internal error
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (convert stops as for Ctrl-C)


def main(argv: list[str] | None = None) -> None:
    """Run the command line with ARGV (default: the process's arguments)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if _only_paths_to_parse(args):
        sys.exit(_parse_paths(args[1:]))
    from .cli import main as command_line

    if argv is None:
        command_line()  # click then names the program as it was started
    else:
        command_line(args=args)


def run() -> None:
    """The `newsparse` console script: `main`, ending the process as soon as it is done.

    After `newsparse parse PATHS...` nothing is left to do but flush standard output and
    error: the interpreter's own shutdown (freeing every object of every module, one by
    one) would take a sixth of the whole run, so the process ends at once instead. Every
    other command, and any error, exits the usual way.
    """
    args = sys.argv[1:]
    if not _only_paths_to_parse(args):
        main()
        return
    try:
        status: int = _parse_paths(args[1:])
    except SystemExit as stop:  # a closed pipe, Ctrl-C or an unwritable output
        if not isinstance(stop.code, int):
            raise
        status = stop.code
    for stream in (sys.stdout, sys.stderr):
        # Nothing of ours is left in them: the output was flushed, and checked, already.
        # (Either is None when the process was started with it closed.)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(status)


def _parse_paths(paths: list[str]) -> ExitStatus:
    """`newsparse parse PATHS...` with every option at its default."""
    from .exporters import get_exporter

    return run_parse(paths or ["-"], exporter_class=get_exporter(DEFAULT_FORMAT),
                     options=ParseOptions())


def _only_paths_to_parse(args: list[str]) -> bool:
    """Tell whether ARGS are `parse` and paths only, with nothing for click to decide.

    Options (`-h` included), `--` and empty arguments go to click, as do shell
    completion requests and Windows, where click expands wildcards itself.
    """
    if not args or args[0] != "parse" or os.name == "nt" or "_NEWSPARSE_COMPLETE" in os.environ:
        return False
    return all(arg == "-" or (arg and arg[0] != "-") for arg in args[1:])


def run_parse(inputs: list[str], *, exporter_class: type[Exporter], options: ParseOptions,
              exporting: ExportOptions | None = None, output: str = "-", quiet: bool = False,
              pattern: str = DEFAULT_PATTERN) -> ExitStatus:
    """Parse INPUTS (paths, directories or `-`) and write their articles to OUTPUT.

    Diagnostics go to stderr unless QUIET. Return PROBLEMS when any input had errors;
    a closed pipe, Ctrl-C or an unwritable output exit at once (see `stopping_cleanly`).
    Raise InvalidOption when the output is also an input (nothing is written then).
    """
    guard = OutputGuard(output, inputs)
    entries = guard.checked(discover(inputs, pattern=pattern, exclude=guard.exclude))
    had_errors = False
    with stopping_cleanly(output), open_output(output, binary=exporter_class.binary) as stream:
        exporter = exporter_class(stream, options=exporting)
        for result in parse_entries(entries, options, pattern):
            for article in result.articles:
                exporter.write(article)
            if not quiet:
                print_diagnostics(result.diagnostics)
            had_errors = had_errors or result.has_errors
        exporter.close()
    return ExitStatus.PROBLEMS if had_errors else ExitStatus.OK


def parse_entries(entries: Iterator[InputEntry], options: ParseOptions,
                  pattern: str = DEFAULT_PATTERN) -> Iterator[ParseResult]:
    """Parse each input found; standard input is streamed in pieces, archives by member."""
    for entry in entries:
        if entry.error is not None:
            yield ParseResult(diagnostics=[
                Diagnostic(entry.path, 1, 1, "NP108", Severity.ERROR, entry.error)
            ])
        elif entry.path == "-":
            # Streamed in pieces, so memory stays flat however long the input is.
            yield from parse_stream(sys.stdin.buffer, options=options)
        else:
            for _, result in parse_path(entry.path, options, pattern=pattern):
                yield result


class OutputGuard:
    """Refuse an output that is also an input, however the input was found.

    Inputs named on the command line are checked at once; inputs found in directories as
    they come (the output is then refused before anything replaces it). A file that does
    not exist yet cannot be an input; it and its temporary files are excluded from
    discovery.
    """

    def __init__(self, output: str, inputs: list[str]) -> None:
        self.output = output
        self._key = _file_key(output) if output != "-" else None
        # An output that exists may be an input: it is found, then refused, never skipped.
        self.exclude = [output] if output != "-" and self._key is None else []
        self._real = os.path.realpath(output) if output != "-" else ""
        for path in inputs:
            self.check(path)

    def check(self, path: str) -> None:
        """Raise InvalidOption when PATH is the output."""
        if self._key is not None and path != "-" and _file_key(path) == self._key:
            raise InvalidOption(
                f"output {self.output!r} is also an input ({path!r}); inputs are never written")

    def checked(self, entries: Iterator[InputEntry]) -> Iterator[InputEntry]:
        """Yield ENTRIES, checking each against the output."""
        for entry in entries:
            if self._real and is_temporary_of(os.path.realpath(entry.path), [self._real]):
                continue  # the output being written, not an input
            if entry.error is None:
                self.check(entry.path)
            yield entry


def _file_key(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@contextlib.contextmanager
def stopping_cleanly(output: str) -> Iterator[None]:
    """Turn a closed pipe, Ctrl-C or an unwritable OUTPUT into a message and an exit status."""
    try:
        yield
    except BrokenPipeError:
        _silence_broken_pipe()
    except KeyboardInterrupt:
        _say("newsparse: interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except OSError as error:
        # The data read is lost, the inputs are not.
        _say(escape_control(f"newsparse: cannot write {output}: {describe_os_error(error)}"))
        sys.exit(ExitStatus.PROBLEMS)


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


@contextlib.contextmanager
def open_output(output: str, *, binary: bool) -> Iterator[IO[Any]]:
    """Yield standard output as UTF-8 text, or a file written atomically."""
    if output != "-":
        from .output import write_atomically

        with write_atomically(output, binary=binary) as stream:
            yield stream
        return
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        raise OSError(errno.EBADF, "standard output is closed")
    if binary:
        yield sys.stdout.buffer
        return
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
    try:
        yield stream
    finally:
        try:
            stream.flush()
        finally:
            stream.detach()


def _silence_broken_pipe() -> None:
    """Stop quietly when the reader of our output went away (`newsparse parse | head`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitStatus.OK)
