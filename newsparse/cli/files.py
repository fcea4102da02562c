"""Inputs found, the output guarded and opened, articles written: the click-free core of `parse`.

The click command and the quick path for `newsparse parse PATHS...` both call
`run_parse` with the same defaults, so their output is the same.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys

from ..console import DiagnosticPrinter
from ..errors import InvalidOption
from ..model import Diagnostic, ParseOptions, ParseResult, Severity
from ..reading import discover, display_name, is_temporary_of
from .errors import ExitStatus, stopping_cleanly

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import IO, Any

    from ..dedupe import DedupeOptions, Fingerprint
    from ..exporters import Exporter, ExportOptions
    from ..filters import ArticleFilter, FilterOptions
    from ..reading import InputEntry

__all__ = [
    "DEFAULT_FORMAT",
    "DEFAULT_PATTERN",
    "InputsSeen",
    "OutputGuard",
    "open_output",
    "parse_entries",
    "run_parse",
]

#: `newsparse parse` writes this format unless told otherwise.
DEFAULT_FORMAT = "json"
#: Files read in a directory given as input, unless told otherwise.
DEFAULT_PATTERN = "*.txt"


def run_parse(
    inputs: list[str],
    *,
    exporter_class: type[Exporter],
    options: ParseOptions,
    exporting: ExportOptions | None = None,
    output: str = "-",
    quiet: bool = False,
    pattern: str = DEFAULT_PATTERN,
    color: bool | None = None,
    filters: FilterOptions | None = None,
    dedupe: DedupeOptions | None = None,
    compress: str | None = None,
) -> ExitStatus:
    """Parse INPUTS (paths, directories or `-`) and write their articles to OUTPUT.

    Only the articles FILTERS keep are written; how many they dropped goes to stderr.
    Diagnostics go to stderr unless QUIET, coloured when COLOR (None: on a terminal,
    unless NO_COLOR is set). Return PROBLEMS when any input had errors;
    a closed pipe, Ctrl-C or an unwritable output exit at once (see `stopping_cleanly`).
    Raise InvalidOption when the output is also an input (nothing is written then).
    With DEDUPE, later copies of an article are left out (NP501/NP502 on stderr) and
    counted in a summary line.
    """
    guard = OutputGuard(output, inputs)
    seen = InputsSeen(inputs, pattern)
    entries = seen.counted(
        guard.checked(
            discover(inputs, pattern=pattern, exclude=guard.exclude, case_skipped=seen.case_skipped)
        )
    )
    had_errors = False
    hint_if_terminal(inputs)
    selector = None
    if filters is not None and filters.active:
        from ..filters import ArticleFilter

        selector = ArticleFilter(filters)
    finder = dedupe.finder() if dedupe is not None else None

    def status() -> ExitStatus:
        return ExitStatus.PROBLEMS if had_errors else ExitStatus.OK

    with (
        _ending_on_signals(),
        stopping_cleanly(output, status),
        _opened(exporter_class, output, exporting, dedupe, compress) as exporter,
    ):
        results = parse_entries(entries, options, pattern)
        if selector is not None:
            results = _selected(results, selector)
        checked: Iterator[tuple[ParseResult, Sequence[Fingerprint | None]]]
        if finder is not None:  # among the articles selected: a copy in range is kept
            from ..dedupe import find_duplicates_fingerprinted

            known = getattr(exporter, "known_fingerprints", None)
            if known is not None:  # a database: what earlier runs wrote counts as seen
                for fingerprint, file, line in known():
                    finder.seed(fingerprint, file, line)
            checked = find_duplicates_fingerprinted(results, finder, drop=True)
        else:
            checked = ((result, ()) for result in results)
        # A database (SQLite's write takes the fingerprint too) stores each article's
        # fingerprint: the one dedupe made is reused, not made again.
        store: Any = exporter.write if exporter_class.needs_path else None
        write_diagnostics = getattr(exporter, "write_diagnostics", None)
        # Standard input may be a live stream: its diagnostics show as each piece is read.
        printer = DiagnosticPrinter(color=color, gather="-" not in inputs)
        try:
            for result, prints in checked:
                # Known before the articles are written: a closed pipe keeps the status.
                had_errors = had_errors or result.has_errors
                if store is not None and prints:
                    for article, print_ in zip(result.articles, prints, strict=True):
                        store(article, print_)
                else:
                    for article in result.articles:
                        exporter.write(article)
                if write_diagnostics is not None:
                    write_diagnostics(result.diagnostics)
                if not quiet and result.diagnostics:
                    printer.print(result.diagnostics)
        finally:
            printer.flush()  # before any message of a run stopped early
        exporter.close()
    if selector is not None and not quiet:
        tell(f"newsparse: {selector.counts.describe()}")
    if finder is not None and not quiet:
        count = finder.duplicate_count
        detail = (
            f" ({finder.exact_count:,} exact, {finder.near_count:,} near)" if finder.near else ""
        )
        tell(
            f"newsparse: {count:,} duplicate article{'s' if count != 1 else ''} "
            f"left out{detail}; the first copy of each is kept"
        )
    seen.warn()
    return ExitStatus.PROBLEMS if had_errors else ExitStatus.OK


def tell(message: str) -> None:
    """Write MESSAGE on stderr; a stderr that cannot be written (closed, full) is let be.

    What the run wrote to its output is whole either way; only the message is lost.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(message + "\n")


class _Signalled(BaseException):
    """SIGTERM or SIGHUP while `parse` writes: raised to show what is waiting, then obeyed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _ending_on_signals() -> Iterator[None]:
    """Let SIGTERM and SIGHUP end the run as they would, but after the clean-up.

    The diagnostics waiting to be written are written, a temporary output is removed,
    and the process then dies of the signal itself (exit status 143 or 129), as it did
    without the clean-up. A program that set its own handlers keeps them.
    """
    import signal  # (threading is not loaded to ask for the main thread: signal says so)

    numbers = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]

    def signalled(signum: int, frame: Any) -> None:
        raise _Signalled(signum)

    previous = {}
    for number in numbers:
        if signal.getsignal(number) is signal.SIG_DFL:
            try:
                previous[number] = signal.signal(number, signalled)
            except ValueError:  # not the main thread: handlers cannot be set here
                break
    try:
        yield
    except _Signalled as stop:
        from ..output import _die_of_sigterm

        _die_of_sigterm(stop.signum)
        raise  # only if the signal did not end the process
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class InputsSeen:
    """Count the inputs a command found, and warn about what --glob left out.

    Every reading command ends the same way when its directories hold no matching file:
    a warning on stderr naming what was searched, and exit status 0 (there was nothing
    wrong to report). Files that match --glob only when case is ignored are counted and
    named, since the pattern is case-sensitive.
    """

    def __init__(self, inputs: list[str], pattern: str) -> None:
        self.inputs = inputs
        self.pattern = pattern
        self.found = 0
        self.case_skipped: list[str] = []

    def counted(self, entries: Iterator[InputEntry]) -> Iterator[InputEntry]:
        """Yield ENTRIES, counting them."""
        for entry in entries:
            self.found += 1
            yield entry

    def messages(self, *, searched: bool = True) -> list[str]:
        """Return the warnings to show (none when inputs were found and nothing skipped).

        A search cut short (SEARCHED False, after Ctrl-C) has not found that there is no
        input file, so it does not say so.
        """
        from ..console import escape_control

        notes = []
        if self.case_skipped:
            count = len(self.case_skipped)
            names = ", ".join(self.case_skipped[:3]) + (", ..." if count > 3 else "")
            notes.append(
                f"newsparse: warning: {count} file{'s' if count > 1 else ''} "
                f"skipped that match{'es' if count == 1 else ''} --glob "
                f"{self.pattern!r} only when case is ignored: {names} "
                "(--glob is case-sensitive)"
            )
        if not self.found and searched:
            where = ", ".join(repr(path) for path in self.inputs)
            note = (
                f"newsparse: warning: no input files found in {where} matching "
                f"--glob {self.pattern!r}"
            )
            if "/" in self.pattern:
                note += (
                    " (a pattern with '/' is matched against the path relative to "
                    "the directory given, e.g. 'sub/*.txt' or '**/*.txt')"
                )
            notes.append(note)
        return [escape_control(note) for note in notes]

    def warn(self, *, searched: bool = True) -> None:
        """Print the warnings on stderr; SEARCHED False when the search was cut short."""
        for note in self.messages(searched=searched):
            tell(note)


def hint_if_terminal(inputs: list[str]) -> None:
    """Say how to end the input when standard input is read from a terminal."""
    if "-" not in inputs:
        return
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if interactive:
        sys.stderr.write("newsparse: reading standard input; Ctrl-D to end, --help for usage\n")
        sys.stderr.flush()


def _selected(results: Iterator[ParseResult], selector: ArticleFilter) -> Iterator[ParseResult]:
    """Yield RESULTS with only the articles SELECTOR keeps."""
    for result in results:
        yield ParseResult(
            [a for a in result.articles if selector.keep(a)], result.diagnostics, result.encoding
        )


@contextlib.contextmanager
def _opened(
    exporter_class: type[Exporter],
    output: str,
    exporting: ExportOptions | None,
    dedupe: DedupeOptions | None,
    compress: str | None = None,
) -> Iterator[Exporter]:
    """Yield the exporter writing to OUTPUT; one that opens its own file gets the path.

    Such an exporter (SQLite) is aborted when the block fails, so that its file is left
    as it was.
    """
    if not exporter_class.needs_path:
        with open_output(output, binary=exporter_class.binary, compress=compress) as stream:
            yield exporter_class(stream, options=exporting)
        return
    near = dedupe is not None and dedupe.mode == "near"
    # Such a class takes the path where the others take a stream, and knows `near`;
    # with --dedupe it stores each article's fingerprint for later runs.
    make: Any = exporter_class
    exporter: Any = make(output, options=exporting, near=near, fingerprints=dedupe is not None)
    try:
        yield exporter
    except BaseException:
        exporter.abort()
        raise


def parse_entries(
    entries: Iterator[InputEntry], options: ParseOptions, pattern: str = DEFAULT_PATTERN
) -> Iterator[ParseResult]:
    """Parse each input found; standard input is streamed in pieces, archives by member."""
    for entry in entries:
        if entry.error is not None:
            yield ParseResult(
                diagnostics=[
                    Diagnostic(display_name(entry.path), 1, 1, "NP108", Severity.ERROR, entry.error)
                ]
            )
        elif entry.path == "-":
            from ..archives import parse_standard_input

            # Streamed in pieces, so memory stays flat however long the input is.
            yield from parse_standard_input(
                None if sys.stdin is None else sys.stdin.buffer, options, pattern=pattern
            )
        else:
            from ..api import parse_path

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
        if self._key is not None and "-" in inputs and _stdin_key() == self._key:
            # `parse -o a.txt < a.txt`: standard input is the output's file.
            raise InvalidOption(
                f"output {self.output!r} is also an input (standard input "
                "reads it); inputs are never written"
            )
        # An output that exists may be an input: it is found, then refused, never skipped.
        self.exclude = [output] if output != "-" and self._key is None else []
        self._real = os.path.realpath(output) if output != "-" else ""
        for path in inputs:
            self.check(path)

    def check_found(self, inputs: list[str], pattern: str) -> None:
        """Raise InvalidOption when the output is among the files found in INPUTS' directories.

        For commands whose reading happens elsewhere (convert --combine, stats --html):
        the output is refused before anything is read or written. An output that does not
        exist yet cannot be an input, and costs no walk.
        """
        if self._key is None:
            return
        directories = [path for path in inputs if path != "-" and os.path.isdir(path)]
        if directories:
            for entry in discover(directories, pattern=pattern):
                if entry.error is None:
                    self.check(entry.path)

    def check(self, path: str) -> None:
        """Raise InvalidOption when PATH is the output."""
        if self._key is not None and path != "-" and _file_key(path) == self._key:
            raise InvalidOption(
                f"output {self.output!r} is also an input ({path!r}); inputs are never written"
            )

    def checked(self, entries: Iterator[InputEntry]) -> Iterator[InputEntry]:
        """Yield ENTRIES, checking each against the output."""
        for entry in entries:
            if self._real and is_temporary_of(os.path.realpath(entry.path), [self._real]):
                continue  # the output being written, not an input
            if entry.error is None:
                self.check(entry.path)
            yield entry


def _stdin_key() -> tuple[int, int] | None:
    """Return the device and inode of standard input, or None when it has none."""
    try:
        info = os.fstat(sys.stdin.fileno()) if sys.stdin is not None else None
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None
    return (info.st_dev, info.st_ino) if info is not None else None


def _file_key(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


@contextlib.contextmanager
def open_output(output: str, *, binary: bool, compress: str | None = None) -> Iterator[IO[Any]]:
    """Yield standard output as UTF-8 text, or a file written atomically.

    With COMPRESS, or an OUTPUT named `.gz`, `.bz2`, `.xz` or `.zst`, what is written is
    compressed.
    """
    if output != "-":
        from ..compression import codec_for_path

        parent = os.path.dirname(output)
        if parent and not os.path.isdir(parent):
            from ..output import make_directories

            make_directories(parent)  # as convert makes its destination
        codec = compress or codec_for_path(output)
        if codec is not None:
            from ..compression import write_compressed_atomically

            with write_compressed_atomically(output, codec, binary=binary) as stream:
                yield stream
            return
        from ..output import write_atomically

        with write_atomically(output, binary=binary) as stream:
            yield stream
        return
    if compress is not None:
        from ..compression import compressing

        if sys.stdout is None:
            raise OSError(errno.EBADF, "standard output is closed")
        with compressing(sys.stdout.buffer, compress, binary=binary) as stream:
            yield stream
        sys.stdout.buffer.flush()
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
