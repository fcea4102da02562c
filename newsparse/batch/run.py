"""`convert`: a whole batch, one output per input in a tree or every article in one file."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import replace

from ..reading import describe_os_error, discover
from .manifest import _Manifest, _settings_key
from .naming import UnsafeOutputPath, _OutputNames, check_sources
from .options import ConvertOptions, check_convert_options
from .pool import _execute, _signals_deferred
from .report import FileResult, Outcome, Results
from .serialize import stream_header
from .worker import _failure, _read_error, _Settings, _Task

__all__ = ["convert"]

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
    from ..exporters import resolve_format

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

    linked_directories: dict[str, bool] = {}

    def through_link(relative: str) -> str | None:
        # A directory of DESTINATION that is a symbolic link (`out/sub -> ../elsewhere`)
        # would take the output out of it: return the first such directory, if any.
        parts = relative.split(os.sep)[:-1]
        for depth in range(1, len(parts) + 1):
            directory = os.path.join(destination, *parts[:depth])
            linked = linked_directories.get(directory)
            if linked is None:
                linked = linked_directories[directory] = os.path.islink(directory)
            if linked:
                return directory
        return None

    def plan() -> Iterator[FileResult | _Task]:
        for entry in discover(list(sources), pattern=options.pattern, exclude=[destination],
                              follow_symlinks=options.follow_symlinks):
            if entry.error is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, entry.error))
                continue
            try:
                relative, renamed_from = names.claim(entry.relative)
                linked = through_link(relative)
            except UnsafeOutputPath as error:
                yield _failure(_Task(entry.path, None, 0), _read_error(entry.path, str(error)))
                continue
            if linked is not None:
                yield _failure(_Task(entry.path, None, 0), _read_error(
                    entry.path, f"output directory {linked} is a symbolic link; outputs are "
                    "never written through one"))
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
    from ..exporters import get_exporter
    from ..output import write_atomically

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
                              exclude=[options.combine or ""],
                              follow_symlinks=options.follow_symlinks):
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



