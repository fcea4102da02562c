"""What a worker does with one input: read it, parse it, write its output, say how it went."""

from __future__ import annotations

import io
import os
import signal
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..exporters import ExportOptions
from ..filters import FilterOptions
from ..model import Article, Diagnostic, ParseOptions, Severity
from ..reading import describe_os_error, display_name
from .report import FileResult, Outcome
from .serialize import _export, _serialize

__all__ = ["MAX_DIAGNOSTICS_PER_FILE", "convert_isolated", "remove_temporaries"]

#: Diagnostics a worker sends back per file (the counts by code are always complete).
MAX_DIAGNOSTICS_PER_FILE = 20


@dataclass(frozen=True, slots=True)
class _Task:
    path: str
    output: str | None
    size: int
    renamed_from: str | None = None
    #: An archive member, read by the parent: its bytes, what reading it found, and the
    #: archive's (mtime_ns, size) for the manifest.
    member: tuple[bytes, tuple[Diagnostic, ...], tuple[int, int]] | None = None
    #: False when the parent found no file at OUTPUT: there is no old content to compare.
    output_exists: bool = True

    def __reduce__(self) -> tuple[type[_Task], tuple[Any, ...]]:
        # Sent to a worker for every input: as its fields, rebuilt by the constructor, it
        # pickles in a third of the time of a dataclass's own state (2.6 against 8.6 ms
        # for 5,000 tasks), and unpickles in half (4.4 against 9.1 ms).
        return (
            _Task,
            (
                self.path,
                self.output,
                self.size,
                self.renamed_from,
                self.member,
                self.output_exists,
            ),
        )


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
    #: The article filters (--combine only); None writes every article.
    filters: FilterOptions | None = None
    #: With --combine and dedupe ("exact" or "near"): workers fingerprint each article and
    #: send one payload per article, so that the parent can leave copies out.
    dedupe: str | None = None
    #: Compress each output with this codec ("gz", "bz2", "xz", "zst").
    compress: str | None = None
    #: How the format is written (CSV columns, Excel BOM, formula guard).
    export: ExportOptions | None = None


_stop_event: Any = None  # set in workers: the parent asks them to stop between files
_busy = False  # true in a worker while it converts a file (and may hold a temporary file)


class _WorkerTerminated(BaseException):
    """A worker received SIGTERM while converting."""


def _init_worker(
    stop_event: Any, parent: int | None = None, parent_pipe: tuple[int, int] | None = None
) -> None:
    """Let the parent handle Ctrl-C; make SIGTERM end the worker, cleaning up first.

    A worker also ends when PARENT (the converting process) dies, even by SIGKILL, so
    that none is left waiting for tasks while it holds the caller's stdout and stderr.
    PARENT_PIPE, given to forked workers, is a pipe whose writing end only the parent
    keeps: it reaches its end the moment the parent dies.
    """
    global _stop_event
    _stop_event = stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if parent_pipe is not None:
        _end_with_pipe(*parent_pipe)
    elif parent is not None:
        _end_with_parent(parent)


#: How often a worker checks that the converting process is still alive, in seconds.
PARENT_CHECK_SECONDS = 0.5


def _end_with_pipe(reading: int, writing: int) -> None:
    """Get SIGTERM once nothing can write to the pipe READING any more: the parent died.

    A forked worker holds a copy of WRITING, closed here. This costs a thread blocked in
    read(), where asking the kernel for a signal on the parent's death would cost loading
    ctypes (about 10 ms in each worker).
    """
    import threading

    os.close(writing)

    def watch() -> None:
        try:
            while os.read(reading, 1):
                pass  # nobody writes to it: only its end is awaited
        except OSError:
            pass
        os.kill(os.getpid(), signal.SIGTERM)  # the same clean-up as any SIGTERM

    threading.Thread(target=watch, name="newsparse-parent-watch", daemon=True).start()


def _end_with_parent(parent: int) -> None:
    """Get SIGTERM when the parent dies (Linux), and check for it anyway in a thread.

    PR_SET_PDEATHSIG follows the process that started the worker, which is a fork
    server rather than PARENT with some start methods; the thread covers those, and
    systems without prctl.
    """
    import sys
    import threading

    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        import time

        while _parent_alive(parent):
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)  # the same clean-up as any SIGTERM

    threading.Thread(target=watch, name="newsparse-parent-watch", daemon=True).start()


def _parent_alive(parent: int) -> bool:
    """Tell whether process PARENT still runs (and is still our ancestor, on POSIX)."""
    if os.getppid() == parent:
        return True
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Alive, but no longer our parent: with fork, that means it died and the PID was
    # reused, unless a fork server stands between us.
    return os.getppid() != 1


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
                results.append(convert_isolated(task, settings))
            finally:
                _busy = False
    except _WorkerTerminated as terminated:
        os._exit(128 + terminated.args[0])
    return results


def convert_isolated(task: _Task, settings: _Settings) -> FileResult:
    """Convert one input; whatever goes wrong with it is its own failure, never the batch's.

    Another input's result is never touched: an exception (a bug, an output that cannot
    be encoded) fails this input alone, and its temporary file is removed.
    """
    try:
        return _convert_file(task, settings)
    except Exception as error:
        remove_temporaries([task])
        return _failure(
            task,
            _read_error(
                display_name(task.path),
                f"internal error while converting: {type(error).__name__}: {error}",
            ),
        )
    except BaseException:
        # Ctrl-C can land between the creation of a temporary file and the block that
        # would remove it: sweep for it by name.
        remove_temporaries([task])
        raise


def remove_temporaries(tasks: list[_Task]) -> None:
    """Remove the temporary files `write_atomically` may have left for TASKS' outputs."""
    import contextlib
    import glob

    from ..output import temporary_prefix

    for task in tasks:
        if task.output is None:
            continue
        directory, name = os.path.split(task.output)
        prefix = glob.escape(temporary_prefix(name))
        pattern = os.path.join(glob.escape(directory or "."), f"{prefix}*.tmp")
        for leftover in glob.glob(pattern):  # the pattern starts with a dot: hidden names match
            with contextlib.suppress(OSError):
                os.unlink(leftover)


def _convert_file(task: _Task, settings: _Settings) -> FileResult:
    """Read, parse and write one input; never raise for anything the input contains."""
    if task.member is not None:
        data, found, source = task.member
    else:
        from ..archives import read_dump

        read, found, info = read_dump(task.path, settings.parse.max_size)
        if read is None:
            return _failure(task, _shown(found[0]))
        assert info is not None
        data, source = read, (info.st_mtime_ns, info.st_size)
    found = tuple(_shown(d) for d in found)
    name = display_name(task.path)
    try:
        from ..api import options_for_file, parse

        result = parse(
            data,
            path=task.path,  # recorded as NAME shows it
            options=options_for_file(settings.parse, source[0] / 1e9),
        )
    except Exception as error:  # a parser bug must not stop the batch
        return _failure(
            task,
            Diagnostic(
                name, 1, 1, "NP108", Severity.ERROR, f"internal error while parsing: {error!r}"
            ),
        )
    if found:  # what decompressing found (a cut-off stream), or a member's warnings
        result.diagnostics[:0] = found
    dropped: tuple[int, int] | None = None
    if settings.filters is not None and settings.filters.active:
        from ..filters import FilterCounts, filter_articles

        kept = FilterCounts()
        articles = list(filter_articles(result.articles, settings.filters, counts=kept))
        result = replace(result, articles=articles)
        dropped = (kept.dropped, kept.undated)
    counts = Counter((d.code, d.severity.value) for d in result.diagnostics)
    shown = tuple(
        d for d in result.diagnostics if settings.all_diagnostics or d.severity is Severity.ERROR
    )
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    outcome = Outcome.FAILED if errors else Outcome.CONVERTED
    message = None
    if errors:
        first = next(d for d in result.diagnostics if d.severity is Severity.ERROR)
        message = (
            f"{errors} error{'s' if errors > 1 else ''}, first {first.code} "
            f"at line {first.line}: {first.message}"
        )
    common: dict[str, Any] = {
        "articles": len(result.articles),
        "counts": tuple((code, severity, n) for (code, severity), n in sorted(counts.items())),
        "diagnostics": shown[:MAX_DIAGNOSTICS_PER_FILE],
        "renamed_from": task.renamed_from,
        "dropped": dropped,
    }
    if errors and settings.strict:
        return FileResult(
            task.path, outcome, message=f"{message} (not written: --strict)", **common
        )
    if errors and not result.articles and task.output is not None:
        # Nothing could be read: an empty document would only hide the failure.
        return FileResult(
            task.path,
            outcome,
            message=f"{message} (nothing written: no article could be read)",
            **common,
        )
    from ..exporters import get_exporter

    exporter_class = get_exporter(settings.format)
    if task.output is None:
        payload: str | bytes | tuple[Article, ...] | tuple[str | bytes, ...] | None = None
        if settings.dedupe is not None:
            from ..dedupe import article_fingerprint

            near = settings.dedupe == "near"
            common["fingerprints"] = tuple(
                (article_fingerprint(article, near=near), article.line)
                for article in result.articles
            )
            if settings.records:
                payload = tuple(result.articles) or None
            else:  # one serialized piece per article: the parent keeps the first copies
                payload = (
                    tuple(
                        _piece(article, exporter_class, settings.header, settings.export)
                        for article in result.articles
                    )
                    or None
                )
        elif settings.records:
            payload = tuple(result.articles) or None
        elif result.articles:
            payload = _piece(result.articles, exporter_class, settings.header, settings.export)
        return FileResult(
            task.path, outcome, message=message, written=True, payload=payload, **common
        )
    try:
        written = _write_output(
            task.output,
            result.articles,
            exporter_class,
            settings.export,
            settings.compress,
            compare=task.output_exists,
        )
    except OSError as error:
        reason = describe_os_error(error)
        return FileResult(
            task.path, Outcome.FAILED, message=f"cannot write {task.output}: {reason}", **common
        )
    stamp = (source[0], source[1], written.st_mtime_ns, written.st_size)
    return FileResult(
        task.path, outcome, output=task.output, message=message, written=True, stamp=stamp, **common
    )


def _piece(
    articles: Article | Sequence[Article],
    exporter_class: type[Any],
    header: str | bytes | None,
    options: ExportOptions | None = None,
) -> str | bytes:
    """Return ARTICLES serialized without the header their format's documents start with."""
    payload = _serialize(
        [articles] if isinstance(articles, Article) else articles, exporter_class, options
    )
    if header and payload.startswith(header):  # type: ignore[arg-type]
        payload = payload[len(header) :]
    return payload


def _shown(diagnostic: Diagnostic) -> Diagnostic:
    """Return DIAGNOSTIC naming its file as every output shows it (see display_name)."""
    if diagnostic.file is None:
        return diagnostic
    return replace(diagnostic, file=display_name(diagnostic.file))


def _failure(task: _Task, problem: Diagnostic) -> FileResult:
    return FileResult(
        task.path,
        Outcome.FAILED,
        counts=((problem.code, "error", 1),),
        diagnostics=(problem,),
        message=problem.message,
    )


def _read_error(path: str, message: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "NP108", Severity.ERROR, message)


def _linked_output_error(path: str, linked: str) -> Diagnostic:
    """The error of an input whose output directory lies under LINKED, a symbolic link."""
    return _read_error(
        path,
        f"output directory {linked} is a symbolic link; outputs are never written through one",
    )


def _write_output(
    path: str,
    articles: Sequence[Article],
    exporter_class: type[Any],
    options: ExportOptions | None = None,
    compress: str | None = None,
    *,
    compare: bool = True,
) -> os.stat_result:
    """Write ARTICLES to PATH atomically, making its directory if needed; return its stat.

    COMPARE False skips looking for an old PATH holding the same bytes (there is none).
    """
    try:
        return _write_whole(path, articles, exporter_class, options, compress, compare)
    except FileNotFoundError:
        # The directory is missing (first output in it): make it and try once more. Most
        # outputs go to a directory that exists, so this costs nothing in the usual case.
        from ..output import make_directories

        make_directories(os.path.dirname(path) or ".")
        return _write_whole(path, articles, exporter_class, options, compress, compare)


def _write_whole(
    path: str,
    articles: Sequence[Article],
    exporter_class: type[Any],
    options: ExportOptions | None = None,
    compress: str | None = None,
    compare: bool = True,
) -> os.stat_result:
    from ..output import write_bytes_atomically

    # One input's output is made in memory, as UTF-8 bytes (never also as text), then
    # written at once.
    buffer = io.BytesIO()
    stream: Any = buffer
    if not exporter_class.binary:
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)
    _export(articles, exporter_class, stream, options)
    if stream is not buffer:
        stream.detach()  # or it would close the buffer when collected
    if compress is not None:
        from ..compression import compress_bytes

        packed = compress_bytes(buffer.getbuffer(), compress)
        if not compare:
            _no_special(path)
        unchanged = _unchanged_output(path, memoryview(packed)) if compare else None
        return unchanged or write_bytes_atomically(path, packed)
    with buffer.getbuffer() as data:
        if not compare:
            _no_special(path)
        unchanged = _unchanged_output(path, data) if compare else None
        if unchanged is not None:
            return unchanged
        return write_bytes_atomically(path, data)


def _kind_of_file(mode: int) -> str:
    """Return what a file of MODE is, as a message names it (`a FIFO`)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a file that is not a regular file"


def _no_special(path: str) -> os.stat_result | None:
    """Return the lstat of PATH (None when nothing is there); raise OSError for a FIFO,
    a device or a directory standing there.

    Such a file standing where an output goes is never replaced, whatever the plan saw
    when it looked (a link is: the link itself, not what it points to).
    """
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
        raise OSError(f"{_kind_of_file(info.st_mode)} stands there; it is left as it is")
    return info


def _unchanged_output(path: str, data: memoryview) -> os.stat_result | None:
    """Return the stat of PATH when it is a regular file holding DATA already, else None.

    An input that is converted again (it failed last time, or --force) must not rewrite
    an output whose content would not change: its time stamp is what tools like make
    and rsync go by. Raise OSError when a FIFO, a device or a directory stands at PATH.
    """
    info = _no_special(path)
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return None
    try:
        with open(path, "rb") as existing:
            same = existing.read(len(data) + 1) == data
    except OSError:
        return None
    return info if same else None
