"""`convert`: a whole batch, one output per input in a tree or every article in one file."""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..output import make_directories
from ..reading import NOT_REGULAR, describe_os_error, discover
from .manifest import _Manifest, _settings_key
from .members import ArchivePlanner
from .naming import UnsafeOutputPath, _OutputNames, check_sources
from .options import ConvertOptions, check_convert_options
from .pool import _execute, _signals_deferred
from .report import FileResult, Outcome, Results
from .serialize import stream_header
from .worker import _failure, _linked_output_error, _read_error, _Settings, _Task

if TYPE_CHECKING:
    from ..dedupe import DuplicateFinder

__all__ = ["convert"]


def convert(
    sources: Sequence[str],
    options: ConvertOptions,
    *,
    on_recorded: Callable[[FileResult], None] | None = None,
    case_skipped: list[str] | None = None,
) -> Results:
    """Convert the dumps under SOURCES as OPTIONS say, yielding one result per input.

    Inputs are discovered lazily and sent to workers in batches; at most a few batches
    are in flight, so memory does not grow with the number of inputs. Close the
    iterator (or let Ctrl-C reach it) to stop: workers finish the file they are on,
    temporary files are removed, and the manifest records what was written.
    Raise InvalidOption for options that cannot work.

    With -o DIR, ON_RECORDED is called once for every input as its result is recorded
    in the manifest, including the inputs that workers finish after an interruption
    (which are never yielded): counting those gives what is on disk. Files that match
    the pattern only when case is ignored are appended to CASE_SKIPPED.
    """
    check_convert_options(options)
    check_sources(sources, options)
    if options.combine is not None:
        return _convert_combined(sources, options, case_skipped)
    return _convert_tree(sources, options, on_recorded, case_skipped)


def _convert_tree(
    sources: Sequence[str],
    options: ConvertOptions,
    on_recorded: Callable[[FileResult], None] | None,
    case_skipped: list[str] | None,
) -> Results:
    from ..exporters import resolve_format

    assert options.destination is not None
    destination = options.destination
    format_name = options.format_name
    settings = _Settings(
        format_name,
        options.parse,
        options.strict,
        options.all_diagnostics,
        None,
        compress=options.compress,
        export=options.export,
    )
    make_directories(destination)
    manifest = _Manifest(destination, _settings_key(format_name, options))
    names = _OutputNames(resolve_format(format_name).extension + _compressed_suffix(options))
    prefix = len(os.path.join(destination, ""))

    def remember(result: FileResult) -> None:
        if on_recorded is not None:
            on_recorded(result)
        if result.output is None or result.outcome is Outcome.SKIPPED:
            return
        key = result.output[prefix:].replace(os.sep, "/")
        if result.outcome is Outcome.CONVERTED and result.stamp is not None:
            manifest.record(key, result.stamp)
        else:
            manifest.forget(key)  # convert it again next time, and report it again

    # On a rerun the manifest names the outputs there are, and each is looked at anyway.
    outputs_present = _NamesPresent() if not manifest.outputs else None
    # The first directory that is a symbolic link on the way to each directory of outputs
    # (relative to DESTINATION), or None: looked at once per directory.
    linked_on_the_way: dict[str, str | None] = {"": None}

    def linked_above(directory: str) -> str | None:
        # Up to the nearest directory already looked at, then down again, without
        # recursion: a tree can be deeper than Python's recursion limit.
        unknown = []
        while directory not in linked_on_the_way:
            unknown.append(directory)
            directory = directory.rpartition(os.sep)[0]
        found = linked_on_the_way[directory]
        for directory in reversed(unknown):
            if found is None:
                path = os.path.join(destination, directory)
                found = path if os.path.islink(path) else None
            linked_on_the_way[directory] = found
        return found

    def through_link(relative: str) -> str | None:
        # A directory of DESTINATION that is a symbolic link (`out/sub -> ../elsewhere`)
        # would take the output out of it: return the first such directory, if any.
        return linked_above(relative.rpartition(os.sep)[0])

    archives = ArchivePlanner(
        pattern=options.pattern,
        max_size=options.parse.max_size,
        destination=destination,
        names=names,
        manifest=manifest,
        force=options.force,
        through_link=through_link,
    )

    def plan() -> Iterator[FileResult | _Task]:
        for entry in discover(
            list(sources),
            pattern=options.pattern,
            exclude=[destination],
            case_skipped=case_skipped,
            follow_symlinks=options.follow_symlinks,
        ):
            if entry.error is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, entry.error))
                continue
            # Looked at before the archive sniff opens it: opening a FIFO named on the
            # command line would wait forever for a writer.
            source: os.stat_result | None = None
            problem: str | None = None
            try:
                source = os.stat(entry.path)
            except OSError as error:
                problem = f"cannot read file: {describe_os_error(error)}"
            else:
                if not stat.S_ISREG(source.st_mode):
                    problem = NOT_REGULAR
            if problem is None and archives.is_archive(entry.path):  # its members are inputs
                yield from archives.tasks(entry)
                continue
            try:
                relative, renamed_from = names.claim(entry.relative)
                linked = through_link(relative)
            except UnsafeOutputPath as error:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, str(error)))
                continue
            if linked is not None:
                yield _failure(_Task(entry.path, None, 0), _linked_output_error(entry.path, linked))
                continue
            output = os.path.join(destination, relative)
            if renamed_from is not None:
                renamed_from = os.path.join(destination, renamed_from)
            if problem is not None or source is None:
                yield _failure(
                    _Task(entry.path, output, 0, renamed_from),
                    _read_error(entry.path, problem or NOT_REGULAR),
                )
                continue
            key = relative.replace(os.sep, "/")
            existing: os.stat_result | None = None
            if outputs_present is None or outputs_present.may_hold(output):
                try:
                    existing = os.stat(output)
                except OSError:
                    existing = None
            if existing is not None and (existing.st_dev, existing.st_ino) == (
                source.st_dev,
                source.st_ino,
            ):
                yield _failure(
                    _Task(entry.path, output, 0, renamed_from),
                    _read_error(
                        entry.path, f"output {output} is the input itself; inputs are never written"
                    ),
                )
                continue
            if not options.force and manifest.is_current(key, source, existing):
                yield FileResult(
                    entry.path,
                    Outcome.SKIPPED,
                    output=output,
                    renamed_from=renamed_from,
                    message="up to date",
                )
                continue
            yield _Task(
                entry.path, output, source.st_size, renamed_from, output_exists=existing is not None
            )

    try:
        yield from _execute(plan(), settings, options, remember)
    finally:
        with _signals_deferred():
            archives.finish()
            manifest.save()


class _NamesPresent:
    """Which names stood in each output directory when the plan first looked there.

    On a first run into a destination, one listing per directory instead of a stat per
    output. The names are compared as Unicode's canonical caseless matching does, so
    that a file system that ignores case or normalization never hides an output; a name
    that only may be there is looked at with stat. Only the last few directories'
    listings are kept (inputs come directory by directory), and a directory of many names
    is not listed but looked at name by name. A name missing from a listing may still
    appear later: the worker checks again, just before writing, that no FIFO or device
    stands there.
    """

    #: A directory holding more names than this is looked at name by name.
    LIMIT = 10_000
    #: How many directories' listings are kept.
    KEPT = 8

    def __init__(self) -> None:
        self._listed: dict[str, set[str] | None] = {}

    def may_hold(self, path: str) -> bool:
        """Tell whether PATH may name a file that existed when its directory was listed."""
        directory, name = os.path.split(path)
        try:
            names = self._listed[directory]
        except KeyError:
            if len(self._listed) >= self.KEPT:
                del self._listed[next(iter(self._listed))]  # the oldest listing
            names = self._listed[directory] = self._list(directory)
        return names is None or _folded(name) in names

    @classmethod
    def _list(cls, directory: str) -> set[str] | None:
        names: set[str] = set()
        try:
            with os.scandir(directory or ".") as entries:
                for entry in entries:
                    if len(names) == cls.LIMIT:
                        return None
                    names.add(_folded(entry.name))
        except FileNotFoundError:
            return set()  # nothing there yet: its outputs are all new
        except OSError:
            return None  # cannot be listed (no read permission): look at each output
        return names


def _folded(name: str) -> str:
    """Return NAME as canonical caseless matching compares it (NFD, casefold, NFD)."""
    if name.isascii():
        return name.lower()
    import unicodedata

    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


class _Discard(Exception):
    """Leave the combined output unwritten."""


def _convert_combined(
    sources: Sequence[str], options: ConvertOptions, case_skipped: list[str] | None
) -> Results:
    from ..exporters import get_exporter

    assert options.combine is not None
    format_name = options.format_name
    exporter_class = get_exporter(format_name)
    header = None if exporter_class.needs_path else stream_header(format_name, options.export)
    records = header is None
    settings = _Settings(
        format_name,
        options.parse,
        options.strict,
        options.all_diagnostics,
        header,
        records,
        options.filters,
        options.dedupe,
        export=options.export,
    )

    archives = ArchivePlanner(pattern=options.pattern, max_size=options.parse.max_size)

    def plan() -> Iterator[FileResult | _Task]:
        for entry in discover(
            list(sources),
            pattern=options.pattern,
            exclude=[options.combine or ""],
            case_skipped=case_skipped,
            follow_symlinks=options.follow_symlinks,
        ):
            if entry.error is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, entry.error))
                continue
            try:
                info: os.stat_result | None = os.stat(entry.path)
            except OSError:
                info = None  # the worker reports why it cannot read it
            if info is not None and not stat.S_ISREG(info.st_mode):
                # Never opened: a FIFO named on the command line would wait for a writer.
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, NOT_REGULAR))
            elif archives.is_archive(entry.path):
                yield from archives.tasks(entry)
            elif _same_file(entry.path, options.combine or ""):
                yield _failure(
                    _Task(entry.path, None, 0),
                    _read_error(
                        entry.path, "this input is the combined output; inputs are never written"
                    ),
                )
            else:
                yield _Task(entry.path, None, info.st_size if info is not None else 0)

    stopped = False
    make_directories(os.path.dirname(os.path.abspath(options.combine)))
    with (
        contextlib.suppress(_Discard),
        _combined_output(options, exporter_class, records, header) as (stream, exporter),
    ):
        finder = _finder(options, exporter)
        write_diagnostics = getattr(exporter, "write_diagnostics", None)
        results = _execute(plan(), settings, options, None)
        try:
            for result in results:
                pieces: Sequence[Any] = ()
                prints: Sequence[Any] = ()
                if isinstance(result.payload, tuple):
                    pieces = result.payload
                elif result.payload:
                    pieces = (result.payload,)
                if finder is not None and result.fingerprints:
                    result, pieces, prints = _leave_out_copies(result, finder, options)
                if exporter is not None:
                    for article, print_ in itertools.zip_longest(pieces, prints):
                        if print_ is not None and exporter_class.needs_path:
                            exporter.write(article, print_)
                        else:
                            exporter.write(article)
                    if write_diagnostics is not None:
                        write_diagnostics(result.diagnostics)
                else:
                    for piece in pieces:
                        stream.write(piece)
                if result.outcome is Outcome.FAILED and options.fail_fast:
                    stopped = True
                yield replace(result, payload=None) if result.payload is not None else result
        finally:
            results.close()
        if stopped:
            raise _Discard  # an incomplete combined file is worse than none
        if exporter is not None:
            exporter.close()


def _compressed_suffix(options: ConvertOptions) -> str:
    """Return what --compress adds to each output's name (`.gz`), or nothing."""
    from ..compression import EXTENSIONS

    return EXTENSIONS[options.compress] if options.compress else ""


@contextlib.contextmanager
def _combined_output(
    options: ConvertOptions, exporter_class: type[Any], records: bool, header: str | bytes | None
) -> Iterator[tuple[Any, Any]]:
    """Yield (stream, exporter) for the combined file; the exporter is None for payloads.

    A format that opens its own file (SQLite) gets the path, and is aborted when the
    block fails; the others write to a temporary file renamed when the block succeeds.
    """
    from ..compression import codec_for_path, write_compressed_atomically
    from ..output import write_atomically

    assert options.combine is not None
    if exporter_class.needs_path:
        exporter = exporter_class(options.combine, near=options.dedupe == "near")
        try:
            yield None, exporter
        except BaseException:
            exporter.abort()
            raise
        return
    codec = options.compress or codec_for_path(options.combine)
    opened = (
        write_compressed_atomically(options.combine, codec, binary=exporter_class.binary)
        if codec
        else write_atomically(options.combine, binary=exporter_class.binary)
    )
    with opened as stream:
        exporter = exporter_class(stream, options=options.export) if records else None
        if header:
            stream.write(header)
        yield stream, exporter


def _finder(options: ConvertOptions, exporter: Any) -> DuplicateFinder | None:
    """Return the duplicate finder of a run, seeded with what a database already holds."""
    if options.dedupe is None:
        return None
    from ..dedupe import DuplicateFinder

    finder = DuplicateFinder(options.dedupe, threshold=options.dedupe_threshold)
    known = getattr(exporter, "known_fingerprints", None)
    if known is not None:
        for print_, file, line in known():
            finder.seed(print_, file, line)
    return finder


def _leave_out_copies(
    result: FileResult, finder: DuplicateFinder, options: ConvertOptions
) -> tuple[FileResult, list[Any], list[Any]]:
    """Decide, in input order, which of RESULT's articles copy earlier ones.

    Return the result with the copies counted (and reported: NP501, NP502), and the
    pieces and fingerprints of the articles kept.
    """
    pieces = result.payload if isinstance(result.payload, tuple) else ()
    kept: list[Any] = []
    prints: list[Any] = []
    found = []
    for piece, (print_, line) in zip(pieces, result.fingerprints, strict=True):
        match = finder.add(print_, result.path, line)
        if match is None:
            kept.append(piece)
            prints.append(print_)
        else:
            found.append(match.diagnostic(result.path, line))
    if not found:
        return result, kept, prints
    counts = Counter({(code, severity): n for code, severity, n in result.counts})
    counts.update((d.code, d.severity.value) for d in found)
    diagnostics = result.diagnostics
    if options.all_diagnostics:
        diagnostics = tuple(sorted([*diagnostics, *found], key=lambda d: (d.line, d.column)))
    changed = replace(
        result,
        articles=result.articles - len(found),
        duplicates=len(found),
        counts=tuple((code, severity, n) for (code, severity), n in sorted(counts.items())),
        diagnostics=diagnostics,
    )
    return changed, kept, prints


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
