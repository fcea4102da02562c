"""Convert many dumps at once: worker processes, safe output names, a manifest, the run report."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import stat
import threading
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

from .errors import InvalidOption, NewsparseError
from .model import Article, Diagnostic, ParseOptions, Severity
from .reading import describe_os_error, discover, read_all

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = [
    "MANIFEST_NAME",
    "ConvertOptions",
    "FileResult",
    "Outcome",
    "Report",
    "UnsafeOutputPath",
    "check_convert_options",
    "check_sources",
    "convert",
    "count_inputs",
    "default_jobs",
    "format_for_path",
    "output_name",
]

#: The file in DEST that remembers what was written, with which format and settings.
MANIFEST_NAME = ".newsparse-manifest.json"
_MANIFEST_VERSION = 1
#: Diagnostics a worker sends back per file (the counts by code are always complete).
MAX_DIAGNOSTICS_PER_FILE = 20
#: Seconds to wait, after an interruption, for workers to finish the file they are on.
_GRACE_SECONDS = 10.0


class UnsafeOutputPath(NewsparseError, ValueError):
    """An input's relative name would put its output outside the destination directory."""


class Outcome(str, Enum):
    """What happened to one input."""

    CONVERTED = "converted"
    SKIPPED = "skipped"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvertOptions:
    """How to convert a batch; exactly one of DESTINATION and COMBINE is set."""

    #: Format name or alias from the exporters registry; None picks it from COMBINE's
    #: extension, or "json" for one file per input.
    format: str | None = None
    #: Directory receiving one output per input (the input tree mirrored).
    destination: str | None = None
    #: Single file receiving every article, in input order.
    combine: str | None = None
    parse: ParseOptions = field(default_factory=ParseOptions)
    #: File pattern used inside directories.
    pattern: str = "*.txt"
    #: Worker processes; 1 converts in this process.
    jobs: int = 1
    #: Convert even the inputs whose output is up to date.
    force: bool = False
    #: Write nothing for an input that has errors.
    strict: bool = False
    #: Stop at the first input that fails.
    fail_fast: bool = False
    #: Send back warnings and notes too, not only errors (the counts are always complete).
    all_diagnostics: bool = False
    #: A batch sent to a worker holds at most this many files ...
    batch_files: int = 64
    #: ... and at most about this many bytes of input.
    batch_bytes: int = 2 * 1024 * 1024

    @property
    def format_name(self) -> str:
        """The canonical name of the output format."""
        from .exporters import resolve_format

        if self.format is not None:
            return resolve_format(self.format).name
        if self.combine is not None:
            found = format_for_path(self.combine)
            if found is None:
                raise InvalidOption(
                    f"cannot tell the format of {self.combine!r} from its extension; "
                    "name it with --format")
            return found
        return "json"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What converting one input gave: small enough to send between processes."""

    path: str
    outcome: Outcome
    #: The output path written or kept (None with --combine or when nothing was written).
    output: str | None = None
    articles: int = 0
    #: (code, severity, count) for every diagnostic found.
    counts: tuple[tuple[str, str, int], ...] = ()
    #: The diagnostics worth showing (errors; everything with `all_diagnostics`), capped.
    diagnostics: tuple[Diagnostic, ...] = ()
    #: Why the input failed or was skipped.
    message: str | None = None
    #: The output name this input would have had if another input had not taken it.
    renamed_from: str | None = None
    #: True when an output was written (a failed input's good articles are, unless strict).
    written: bool = False
    #: The serialized articles (or the articles themselves, for formats that do not
    #: concatenate), with --combine; the parent writes them in input order.
    payload: str | bytes | tuple[Article, ...] | None = None
    #: (input mtime_ns, input size, output mtime_ns, output size), for the manifest.
    stamp: tuple[int, int, int, int] | None = None


@dataclass
class Report:
    """The running totals of a conversion; `done`, `failed` and `skipped` record one input."""

    converted_count: int = 0
    skipped_count: int = 0
    failure_count: int = 0
    article_count: int = 0
    #: Failed inputs whose good articles were still written.
    partial_count: int = 0
    warnings: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    #: (input path, reason), for every failed input.
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: (input path, output used, output wanted), for every renamed output.
    renamed: list[tuple[str, str, str]] = field(default_factory=list)

    def record(self, result: FileResult) -> None:
        """Add RESULT to the totals under its outcome."""
        for code, severity, count in result.counts:
            if severity == Severity.ERROR.value:
                self.errors[code] += count
            elif severity == Severity.WARNING.value:
                self.warnings[code] += count
        if result.renamed_from is not None and result.output is not None:
            self.renamed.append((result.path, result.output, result.renamed_from))
        if result.outcome is Outcome.SKIPPED:
            self.skipped(result)
        elif result.outcome is Outcome.FAILED:
            self.failed(result)
        else:
            self.done(result)

    def done(self, result: FileResult) -> None:
        """Count an input converted cleanly (warnings allowed)."""
        self.converted_count += 1
        self.article_count += result.articles

    def failed(self, result: FileResult) -> None:
        """Count an input that had errors or could not be read."""
        self.failure_count += 1
        if result.written and result.articles:
            self.partial_count += 1
            self.article_count += result.articles
        self.failures.append((result.path, result.message or "failed"))

    def skipped(self, result: FileResult) -> None:
        """Count an input whose output was already up to date."""
        self.skipped_count += 1

    @property
    def total(self) -> int:
        """Inputs seen so far."""
        return self.converted_count + self.skipped_count + self.failure_count

    def __str__(self) -> str:
        parts = [f"{self.converted_count} converted"]
        if self.skipped_count:
            parts.append(f"{self.skipped_count} skipped")
        if self.failure_count:
            parts.append(f"{self.failure_count} failed")
        return ", ".join(parts) + f" ({self.article_count} articles)"


#: What `convert` returns: close it to stop the run early.
Results = Generator[FileResult, None, None]


# --- Options and names -------------------------------------------------------------------


def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def format_for_path(path: str) -> str | None:
    """Return the name of the format whose extension PATH has, or None."""
    from .exporters import exporter_names, resolve_format

    extension = os.path.splitext(path)[1].lower()
    for name in exporter_names(aliases=False):
        if resolve_format(name).extension.lower() == extension:
            return name
    return None


def check_convert_options(options: ConvertOptions) -> None:
    """Raise InvalidOption when OPTIONS cannot describe a conversion."""
    from .api import check_options

    if (options.destination is None) == (options.combine is None):
        raise InvalidOption("give either a destination directory or a file to combine into")
    if options.jobs < 1:
        raise InvalidOption(f"jobs must be at least 1, not {options.jobs}")
    check_options(options.parse)
    try:
        name = options.format_name
    except KeyError as error:
        raise InvalidOption(f"unknown format: {options.format!r}") from error
    from .errors import MissingDependency
    from .exporters import get_exporter

    try:
        get_exporter(name)  # an optional dependency missing is a usage error, up front
    except MissingDependency as error:
        raise InvalidOption(str(error)) from error
    if options.combine is None and os.path.exists(options.destination or "") and \
            not os.path.isdir(options.destination or ""):
        raise InvalidOption(f"destination {options.destination!r} is not a directory")


def check_sources(sources: Sequence[str], options: ConvertOptions) -> None:
    """Raise InvalidOption when a source is, or lies inside, the destination directory.

    Its files would all be skipped as outputs, which is never what was meant.
    """
    if options.destination is None:
        return
    destination = os.path.realpath(options.destination)
    for source in sources:
        real = os.path.realpath(source)
        if real == destination or real.startswith(os.path.join(destination, "")):
            raise InvalidOption(
                f"source {source!r} is inside the destination {options.destination!r}; "
                "write the outputs somewhere else")


def output_name(relative: str, extension: str) -> str:
    """Return the output path, relative to the destination, for the input at RELATIVE.

    The extension is replaced (`a/b.txt` gives `a/b.json`). Raise UnsafeOutputPath for a
    name that is absolute, empty or climbs out with `..`.
    """
    return _output_name(_safe_parts(relative), extension)


def _output_name(parts: list[str], extension: str) -> str:
    stem = os.path.splitext(parts[-1])[0] or parts[-1]
    return os.path.join(*parts[:-1], stem + extension)


def _safe_parts(relative: str) -> list[str]:
    drive, rest = os.path.splitdrive(relative)
    if drive or os.path.isabs(relative):
        raise UnsafeOutputPath(f"absolute input name {relative!r}")
    separators = [os.sep] + ([os.altsep] if os.altsep else [])
    for separator in separators[1:]:
        rest = rest.replace(separator, os.sep)
    parts = [part for part in rest.split(os.sep) if part not in ("", ".")]
    if not parts or ".." in parts:
        raise UnsafeOutputPath(f"input name {relative!r} would leave the destination")
    return parts


class _OutputNames:
    """Give every input its own output name, even when two inputs map to the same one.

    Names are compared case-folded so the tree can be copied to a case-insensitive file
    system. The first input (in sorted order) keeps the natural name; later ones get
    the input's own extension kept (`a.TXT.json`), then a counter (`a.TXT~2.json`).
    """

    def __init__(self, extension: str) -> None:
        self.extension = extension
        self._taken = {MANIFEST_NAME.casefold()}

    def claim(self, relative: str) -> tuple[str, str | None]:
        """Return (output name, the natural name when it was taken by another input)."""
        parts = _safe_parts(relative)
        wanted = _output_name(parts, self.extension)
        if self._take(wanted):
            return wanted, None
        directory = os.path.join(*parts[:-1]) if len(parts) > 1 else ""
        candidate = os.path.join(directory, parts[-1] + self.extension)
        if self._take(candidate):
            return candidate, wanted
        number = 2
        while True:
            candidate = os.path.join(directory, f"{parts[-1]}~{number}{self.extension}")
            if self._take(candidate):
                return candidate, wanted
            number += 1

    def _take(self, name: str) -> bool:
        key = name.casefold()
        if key in self._taken:
            return False
        self._taken.add(key)
        return True


# --- The manifest ------------------------------------------------------------------------


class _Manifest:
    """What this tool wrote into a destination: per output, the settings and file stamps.

    An output is up to date when the manifest records it with the same settings and the
    input and output still have the sizes and modification times recorded then. Each
    record is one short string ("settings in_mtime_ns in_size out_mtime_ns out_size"),
    the most compact form a dict of a few hundred thousand entries can take.
    """

    def __init__(self, directory: str, settings: str) -> None:
        self.path = os.path.join(directory, MANIFEST_NAME)
        self.settings: list[str] = []
        self.outputs: dict[str, str] = {}
        self.changed = False
        self._load()
        if settings not in self.settings:
            self.settings.append(settings)
        self.current = str(self.settings.index(settings))

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as stream:
                data = json.load(stream)
            if data.get("version") == _MANIFEST_VERSION:
                self.settings = [str(s) for s in data["settings"]]
                self.outputs = {str(k): str(v) for k, v in data["outputs"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.settings, self.outputs = [], {}  # no manifest, or not ours: redo everything

    def _stamp(self, stamp: tuple[int, int, int, int]) -> str:
        return f"{self.current} {stamp[0]} {stamp[1]} {stamp[2]} {stamp[3]}"

    def is_current(self, key: str, source: os.stat_result,
                   written: os.stat_result | None) -> bool:
        """Tell whether the output named KEY (stat WRITTEN) was made from this very input."""
        if written is None or written.st_mtime_ns < source.st_mtime_ns:
            return False
        return self.outputs.get(key) == self._stamp(
            (source.st_mtime_ns, source.st_size, written.st_mtime_ns, written.st_size))

    def record(self, key: str, stamp: tuple[int, int, int, int]) -> None:
        """Remember that KEY was written from an input with these stamps."""
        self.outputs[key] = self._stamp(stamp)
        self.changed = True

    def forget(self, key: str) -> None:
        """Drop KEY, so that it is converted again next time."""
        if self.outputs.pop(key, None) is not None:
            self.changed = True

    def save(self) -> None:
        """Write the manifest atomically (streamed, keys sorted), if anything changed."""
        if not self.changed:
            return
        from .output import write_atomically

        used = sorted({int(record.partition(" ")[0]) for record in self.outputs.values()})
        renumber = {str(old): str(new) for new, old in enumerate(used)}
        settings = [self.settings[old] for old in used]
        with write_atomically(self.path) as stream:
            stream.write(f'{{"version":{_MANIFEST_VERSION},"settings":')
            stream.write(json.dumps(settings, ensure_ascii=False))
            stream.write(',"outputs":{')
            for number, key in enumerate(sorted(self.outputs)):
                index, _, rest = self.outputs[key].partition(" ")
                stream.write(("," if number else "") + "\n")
                stream.write(f"{json.dumps(key, ensure_ascii=False)}:"
                             f'"{renumber[index]} {rest}"')
            stream.write("\n}}\n")
        self.changed = False


def _settings_key(format_name: str, options: ConvertOptions) -> str:
    from . import __version__

    parse = options.parse
    return json.dumps([format_name, parse.tz, parse.encoding, parse.max_size, __version__])


# --- Serialization ------------------------------------------------------------------------


def _serialize(articles: Sequence[Article], exporter_class: type[Any]) -> str | bytes:
    """Return ARTICLES as one whole document of the exporter's format."""
    buffer: io.BytesIO | io.StringIO = io.BytesIO() if exporter_class.binary else io.StringIO()
    _export(articles, exporter_class, buffer)
    return buffer.getvalue()


def _export(articles: Sequence[Article], exporter_class: type[Any], stream: Any) -> None:
    """Write ARTICLES to STREAM as one whole document."""
    exporter = exporter_class(stream)
    for article in articles:
        exporter.write(article)
    exporter.close()


def _probe_article() -> Article:
    import datetime as dt

    from .model import Block, Image

    zone = dt.timezone(dt.timedelta(hours=3))
    return Article(
        title="Titlu", author="autor", published=dt.datetime(2022, 8, 15, 9, 13, tzinfo=zone),
        updated=dt.datetime(2022, 8, 15, 10, 0, tzinfo=zone),
        blocks=(Block("paragraph", text="Text, cu „ghilimele”."),
                Block("image", image=Image("media-1 (1).png", "legenda")),
                Block("separator"), Block("paragraph", text="Al doilea.")),
        source="sursa", source_url="#", url="http://crct.ro/nA18", file="a.txt",
        line=3, end_line=9,
    )


def stream_header(format_name: str) -> str | bytes | None:
    """Return what a FORMAT document holds before its first article (a CSV header, say).

    Return None when documents of that format cannot be concatenated, that is when two
    articles are not written as header + one + other (JSON's list is not).
    """
    from .exporters import get_exporter

    exporter_class = get_exporter(format_name)
    article = _probe_article()
    # str or bytes, the same type for all three: Any keeps the checks below type-agnostic.
    empty: Any = _serialize([], exporter_class)
    one: Any = _serialize([article], exporter_class)
    two: Any = _serialize([article, article], exporter_class)
    record = two[len(one):]
    header = one[:len(one) - len(record)]
    if not record or one != header + record or two != header + record + record or (
            empty not in (header, header[:0])):
        return None
    found: str | bytes = header
    return found


# --- Workers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Task:
    path: str
    output: str | None
    size: int
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class _Settings:
    format: str
    parse: ParseOptions
    strict: bool
    all_diagnostics: bool
    header: str | bytes | None  # set with --combine: stripped from every payload
    #: With --combine in a format whose documents do not concatenate (json, parquet):
    #: workers send the articles themselves and the parent's one exporter writes them.
    records: bool = False


_stop_event: Any = None  # set in workers: the parent asks them to stop between files
_busy = False  # true in a worker while it converts a file (and may hold a temporary file)


class _WorkerTerminated(BaseException):
    """A worker received SIGTERM while converting."""


def _init_worker(stop_event: Any) -> None:
    """Let the parent handle Ctrl-C; make SIGTERM end the worker, cleaning up first."""
    global _stop_event
    _stop_event = stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)


def _on_sigterm(signum: int, frame: Any) -> None:
    # The worker must really end (the pool waits for that when it shuts down); while it
    # converts, the exception first unwinds `write_atomically`, removing its temporary.
    if _busy:
        raise _WorkerTerminated(signum)
    os._exit(128 + signum)


def _convert_batch(tasks: list[_Task], settings: _Settings) -> list[FileResult]:
    """Convert TASKS in order; stop early when the parent asked to."""
    global _busy
    results = []
    try:
        for task in tasks:
            if _stop_event is not None and _stop_event.is_set():
                break
            _busy = True
            try:
                results.append(_convert_file(task, settings))
            finally:
                _busy = False
    except _WorkerTerminated as terminated:
        os._exit(128 + terminated.args[0])
    return results


def _convert_file(task: _Task, settings: _Settings) -> FileResult:
    """Read, parse and write one input; never raise for anything the input contains."""
    data, problem, source = _read_input(task.path, settings.parse.max_size)
    if problem is not None:
        return _failure(task, problem)
    assert data is not None and source is not None
    try:
        from .api import options_for_file, parse

        result = parse(data, path=task.path,
                       options=options_for_file(settings.parse, source.st_mtime))
    except Exception as error:  # a parser bug must not stop the batch
        return _failure(task, Diagnostic(task.path, 1, 1, "NP108", Severity.ERROR,
                                         f"internal error while parsing: {error!r}"))
    counts = Counter((d.code, d.severity.value) for d in result.diagnostics)
    shown = tuple(d for d in result.diagnostics
                  if settings.all_diagnostics or d.severity is Severity.ERROR)
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    outcome = Outcome.FAILED if errors else Outcome.CONVERTED
    message = None
    if errors:
        first = next(d for d in result.diagnostics if d.severity is Severity.ERROR)
        message = f"{errors} error{'s' if errors > 1 else ''}, first {first.code} " \
                  f"at line {first.line}: {first.message}"
    common: dict[str, Any] = {
        "articles": len(result.articles),
        "counts": tuple((code, severity, n) for (code, severity), n in sorted(counts.items())),
        "diagnostics": shown[:MAX_DIAGNOSTICS_PER_FILE],
        "renamed_from": task.renamed_from,
    }
    if errors and settings.strict:
        return FileResult(task.path, outcome, message=f"{message} (not written: --strict)",
                          **common)
    from .exporters import get_exporter

    exporter_class = get_exporter(settings.format)
    if task.output is None:
        payload: str | bytes | tuple[Article, ...] | None = None
        if settings.records:
            payload = tuple(result.articles) or None
        elif result.articles:
            payload = _serialize(result.articles, exporter_class)
            if settings.header and payload.startswith(settings.header):  # type: ignore[arg-type]
                payload = payload[len(settings.header):]
        return FileResult(task.path, outcome, message=message, written=True, payload=payload,
                          **common)
    try:
        written = _write_output(task.output, result.articles, exporter_class)
    except OSError as error:
        reason = describe_os_error(error)
        return FileResult(task.path, Outcome.FAILED,
                          message=f"cannot write {task.output}: {reason}", **common)
    stamp = (source.st_mtime_ns, source.st_size, written.st_mtime_ns, written.st_size)
    return FileResult(task.path, outcome, output=task.output, message=message, written=True,
                      stamp=stamp, **common)


def _failure(task: _Task, problem: Diagnostic) -> FileResult:
    return FileResult(task.path, Outcome.FAILED, counts=((problem.code, "error", 1),),
                      diagnostics=(problem,), message=problem.message)


def _read_input(
    path: str, max_size: int | None
) -> tuple[bytes | None, Diagnostic | None, os.stat_result | None]:
    """Return the bytes of PATH and its stat, or the diagnostic saying why not.

    A FIFO or device named like a dump is refused rather than waited on.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return None, _read_error(path, f"cannot read file: {describe_os_error(error)}"), None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, _read_error(path, "cannot read file: not a regular file"), None
        if max_size is not None and info.st_size > max_size:
            return None, Diagnostic(
                path, 1, 1, "NP106", Severity.ERROR,
                f"file is {info.st_size:,} bytes, over the limit of {max_size:,} "
                "(--max-size)"), None
        return read_all(fd, info.st_size), None, info
    except OSError as error:
        return None, _read_error(path, f"cannot read file: {describe_os_error(error)}"), None
    finally:
        os.close(fd)


def _read_error(path: str, message: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "NP108", Severity.ERROR, message)


def _write_output(path: str, articles: Sequence[Article],
                  exporter_class: type[Any]) -> os.stat_result:
    """Write ARTICLES to PATH atomically, making its directory if needed; return its stat."""
    try:
        return _write_whole(path, articles, exporter_class)
    except FileNotFoundError:
        # The directory is missing (first output in it): make it and try once more. Most
        # outputs go to a directory that exists, so this costs nothing in the usual case.
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return _write_whole(path, articles, exporter_class)


def _write_whole(path: str, articles: Sequence[Article],
                 exporter_class: type[Any]) -> os.stat_result:
    from .output import write_bytes_atomically

    # One input's output is made in memory, as UTF-8 bytes (never also as text), then
    # written at once.
    buffer = io.BytesIO()
    stream: Any = buffer
    if not exporter_class.binary:
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    _export(articles, exporter_class, stream)
    if stream is not buffer:
        stream.detach()  # or it would close the buffer when collected
    with buffer.getbuffer() as data:
        return write_bytes_atomically(path, data)


# --- The parent ---------------------------------------------------------------------------


def count_inputs(sources: Sequence[str], options: ConvertOptions) -> int:
    """Return how many entries `convert` will report for SOURCES (for a progress bar)."""
    return sum(1 for _ in discover(list(sources), pattern=options.pattern,
                                   exclude=_excluded(options)))


def _excluded(options: ConvertOptions) -> list[str]:
    return [path for path in (options.destination, options.combine) if path is not None]


def convert(sources: Sequence[str], options: ConvertOptions) -> Results:
    """Convert the dumps under SOURCES as OPTIONS say, yielding one result per input.

    Inputs are discovered lazily and sent to workers in batches; at most a few batches
    are in flight, so memory does not grow with the number of inputs. Close the
    iterator (or let Ctrl-C reach it) to stop: workers finish the file they are on,
    temporary files are removed, and the manifest records what was written.
    Raise InvalidOption for options that cannot work.
    """
    check_convert_options(options)
    check_sources(sources, options)
    if options.combine is not None:
        return _convert_combined(sources, options)
    return _convert_tree(sources, options)


def _convert_tree(sources: Sequence[str], options: ConvertOptions) -> Results:
    from .exporters import resolve_format

    assert options.destination is not None
    destination = options.destination
    format_name = options.format_name
    settings = _Settings(format_name, options.parse, options.strict, options.all_diagnostics,
                         None)
    os.makedirs(destination, exist_ok=True)
    manifest = _Manifest(destination, _settings_key(format_name, options))
    names = _OutputNames(resolve_format(format_name).extension)
    prefix = len(os.path.join(destination, ""))

    def remember(result: FileResult) -> None:
        if result.output is None or result.outcome is Outcome.SKIPPED:
            return
        key = result.output[prefix:].replace(os.sep, "/")
        if result.outcome is Outcome.CONVERTED and result.stamp is not None:
            manifest.record(key, result.stamp)
        else:
            manifest.forget(key)  # convert it again next time, and report it again

    def plan() -> Iterator[FileResult | _Task]:
        for entry in discover(list(sources), pattern=options.pattern, exclude=[destination]):
            if entry.error is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, entry.error))
                continue
            try:
                relative, renamed_from = names.claim(entry.relative)
            except UnsafeOutputPath as error:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, str(error)))
                continue
            output = os.path.join(destination, relative)
            if renamed_from is not None:
                renamed_from = os.path.join(destination, renamed_from)
            task = _Task(entry.path, output, 0, renamed_from)
            try:
                source = os.stat(entry.path)
            except OSError as error:
                yield _failure(task, _read_error(entry.path,
                                                 f"cannot read file: {describe_os_error(error)}"))
                continue
            if not stat.S_ISREG(source.st_mode):
                yield _failure(task, _read_error(entry.path,
                                                 "cannot read file: not a regular file"))
                continue
            try:
                existing: os.stat_result | None = os.stat(output)
            except OSError:
                existing = None
            if existing is not None and (existing.st_dev, existing.st_ino) == (
                    source.st_dev, source.st_ino):
                yield _failure(task, _read_error(
                    entry.path, f"output {output} is the input itself; inputs are never "
                    "written"))
                continue
            key = relative.replace(os.sep, "/")
            if not options.force and manifest.is_current(key, source, existing):
                yield FileResult(entry.path, Outcome.SKIPPED, output=output,
                                 renamed_from=renamed_from, message="up to date")
                continue
            yield _Task(entry.path, output, source.st_size, renamed_from)

    try:
        yield from _execute(plan(), settings, options, remember)
    finally:
        with _signals_deferred():
            manifest.save()


class _Discard(Exception):
    """Leave the combined output unwritten."""


def _convert_combined(sources: Sequence[str], options: ConvertOptions) -> Results:
    from .exporters import get_exporter
    from .output import write_atomically

    assert options.combine is not None
    format_name = options.format_name
    exporter_class = get_exporter(format_name)
    header = stream_header(format_name)
    records = header is None
    binary = exporter_class.binary
    settings = _Settings(format_name, options.parse, options.strict, options.all_diagnostics,
                         header, records)

    def plan() -> Iterator[FileResult | _Task]:
        for entry in discover(list(sources), pattern=options.pattern,
                              exclude=[options.combine or ""]):
            if entry.error is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, entry.error))
            elif _same_file(entry.path, options.combine or ""):
                yield _failure(_Task(entry.path, None, 0), _read_error(
                    entry.path, "this input is the combined output; inputs are never written"))
            else:
                try:
                    size = os.stat(entry.path).st_size
                except OSError:
                    size = 0  # the worker reports why it cannot read it
                yield _Task(entry.path, None, size)

    stopped = False
    os.makedirs(os.path.dirname(os.path.abspath(options.combine)), exist_ok=True)
    with contextlib.suppress(_Discard), write_atomically(options.combine,
                                                         binary=binary) as stream:
        exporter = exporter_class(stream) if records else None
        if header:
            stream.write(header)
        results = _execute(plan(), settings, options, None)
        try:
            for result in results:
                if exporter is not None and isinstance(result.payload, tuple):
                    for article in result.payload:
                        exporter.write(article)
                elif result.payload:
                    stream.write(result.payload)
                if result.outcome is Outcome.FAILED and options.fail_fast:
                    stopped = True
                yield replace(result, payload=None) if result.payload is not None else result
        finally:
            results.close()
        if stopped:
            raise _Discard  # an incomplete combined file is worse than none
        if exporter is not None:
            exporter.close()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _execute(
    plan: Iterator[FileResult | _Task], settings: _Settings, options: ConvertOptions,
    remember: Callable[[FileResult], None] | None,
) -> Results:
    """Run the tasks of PLAN (in this process, or in batches on workers); yield results.

    Results computed by the plan itself (skips, unreadable entries) come out at once;
    the results of tasks come out in task order.
    """
    remember = remember or (lambda result: None)
    if options.jobs == 1:
        for item in plan:
            if isinstance(item, FileResult):
                result = item
            else:
                try:
                    result = _convert_file(item, settings)
                except BaseException:
                    # Ctrl-C can land between the creation of a temporary file and the
                    # block that would remove it: sweep for it by name.
                    with _signals_deferred():
                        _remove_temporaries([item])
                    raise
            remember(result)
            yield result
            if options.fail_fast and result.outcome is Outcome.FAILED:
                return
        return
    yield from _execute_in_pool(plan, settings, options, remember)


def _execute_in_pool(
    plan: Iterator[FileResult | _Task], settings: _Settings, options: ConvertOptions,
    remember: Callable[[FileResult], None],
) -> Results:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(_start_method())
    stop = context.Event()
    executor = ProcessPoolExecutor(options.jobs, mp_context=context,
                                   initializer=_init_worker, initargs=(stop,))
    pending: deque[tuple[Future[list[FileResult]], list[_Task]]] = deque()
    in_flight = 2 * options.jobs
    finished = False

    def collect_oldest() -> list[FileResult]:
        # The batch leaves `pending` only once its results are recorded: if Ctrl-C comes
        # before that, the clean-up still knows about it and records what it wrote
        # (recording a result twice changes nothing).
        future, tasks = pending[0]
        try:
            results = future.result()
        except (Exception, _WorkerTerminated) as error:  # a dead or killed worker
            _remove_temporaries(tasks)
            results = [_failure(task, _read_error(
                task.path, f"worker process failed: {type(error).__name__}"))
                for task in tasks]
        for result in results:
            remember(result)
        pending.popleft()
        return results

    def submit(batch: list[_Task]) -> None:
        # Ctrl-C between handing a batch to the pool and listing it in `pending` would
        # let its outputs be written and never recorded.
        with _signals_deferred():
            pending.append((executor.submit(_convert_batch, batch, settings), batch))

    try:
        batch: list[_Task] = []
        batch_bytes = 0
        limit = min(4, options.batch_files)  # small first batches keep every worker busy
        for item in plan:
            if isinstance(item, FileResult):
                remember(item)
                yield item
                if options.fail_fast and item.outcome is Outcome.FAILED:
                    return
                continue
            batch.append(item)
            batch_bytes += item.size
            if len(batch) < limit and batch_bytes < options.batch_bytes:
                continue
            submit(batch)
            batch, batch_bytes = [], 0
            limit = min(limit * 2, options.batch_files)
            while len(pending) >= in_flight:
                for result in collect_oldest():
                    yield result
                    if options.fail_fast and result.outcome is Outcome.FAILED:
                        return
        if batch:
            submit(batch)
        while pending:
            for result in collect_oldest():
                yield result
                if options.fail_fast and result.outcome is Outcome.FAILED:
                    return
        finished = True
    finally:
        with _signals_deferred():
            if finished:
                executor.shutdown(wait=True)
            else:
                _stop_workers(executor, stop, pending, remember)


def _start_method() -> str:
    """Fork when it is safe (one thread): the quickest start, with nothing re-imported.

    With other threads running, forking can copy a lock held by one of them, so a fork
    server (or spawn, where there is none) starts the workers from a clean process.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _stop_workers(
    executor: Any, stop: Any, pending: deque[tuple[Future[list[FileResult]], list[_Task]]],
    remember: Callable[[FileResult], None],
) -> None:
    """Let workers finish the file they are on, keep what they wrote, then shut down."""
    import time

    stop.set()
    for future, _ in pending:
        future.cancel()
    deadline = time.monotonic() + _GRACE_SECONDS
    stuck = False
    for future, tasks in pending:
        if future.cancelled():
            continue
        try:
            results = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except (Exception, _WorkerTerminated):  # timed out, or the worker died
            stuck = True
            _remove_temporaries(tasks)
            continue
        for result in results:
            remember(result)
    if stuck:
        # Past the grace period: end the workers; SIGTERM makes each remove its temporary.
        # (The executor has no public way to end its workers before Python 3.14.)
        processes = getattr(executor, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(Exception):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        for _, tasks in pending:
            _remove_temporaries(tasks)
    else:
        executor.shutdown(wait=True, cancel_futures=True)


def _remove_temporaries(tasks: list[_Task]) -> None:
    """Remove the temporary files `write_atomically` may have left for TASKS' outputs."""
    import glob

    for task in tasks:
        if task.output is None:
            continue
        directory, name = os.path.split(task.output)
        pattern = os.path.join(glob.escape(directory or "."), f".{glob.escape(name)}.*.tmp")
        for leftover in glob.glob(pattern):  # the pattern starts with a dot: hidden names match
            with contextlib.suppress(OSError):
                os.unlink(leftover)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while cleaning up; deliver the first one afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])
