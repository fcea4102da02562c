"""The library entry points: `parse` for text or bytes, `parse_file` for a path."""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import datetime as dt
import io
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache

from .compression import could_be_container
from .errors import InvalidOption
from .model import Diagnostic, ParseOptions, ParseResult, Severity
from .parser import parse_text
from .patterns import compile_lazily
from .reading import (
    DETECT_WINDOW,
    UNDECODABLE,
    decode,
    describe_os_error,
    detect_encoding,
    display_name,
    name_diagnostic,
    read_all,
    scrub,
)

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = ["check_options", "parse", "parse_file", "parse_stream"]

#: How much of a stream is read at a time.
CHUNK_SIZE = 1 << 20
#: A footer line with nothing glued to it: the next line can only start a new article.
_SAFE_CUT = compile_lazily(r"ADRESA:[ \t]*(?:<[^\s<>]*>|[^\s<>]*)[ \t]*(?:\r?\n|\r(?=[^\n]))")
_FOOTER_START = "ADRESA:"
#: Where to cut a buffer that holds no footer at all: before a byline-framed line.
_FALLBACK_CUT = compile_lazily(r"(?:\n|\r(?!\n))(?=(?:Scris|Publicat|Articol) )")
#: Short lines cost a Python object or two each once parsed (about 30 times their bytes
#: for one-letter lines), so a piece is kept small enough for memory to stay flat.
_FALLBACK_AT = 2 * CHUNK_SIZE
#: Files larger than this are looked at before they are read whole: an archive is streamed.
_LOOK_FIRST = 1 << 20


def check_options(options: ParseOptions) -> None:
    """Raise InvalidOption when OPTIONS name a time zone or encoding that does not exist."""
    _check_zone_and_encoding(options.tz, options.encoding)
    now = options.now
    if now is not None and (not isinstance(now, dt.datetime) or now.utcoffset() is None):
        raise InvalidOption(f"the reference time must be an aware datetime, not {now!r}")
    if now is not None and not 2 <= now.year <= 9998:
        # Relative dates step back from it, in any zone: the first and last years overflow.
        raise InvalidOption(f"the reference time must lie in the years 2 to 9998, not {now!r}")
    if options.restore_diacritics:
        from .text.diacritics import DiacriticsUnavailable, check_available

        try:
            check_available()
        except DiacriticsUnavailable as error:
            raise InvalidOption(str(error)) from error


def with_file_time(name: str, options: ParseOptions) -> ParseOptions:
    """Return OPTIONS with the modification time of the file NAME as the reference time."""
    if options.now is None:
        # Gone since it was read: the current time is the reference then.
        with contextlib.suppress(OSError):
            return options_for_file(options, os.stat(name).st_mtime)
    return options


def options_for_file(options: ParseOptions, mtime: float) -> ParseOptions:
    """Return OPTIONS with the file's modification time MTIME as the reference time.

    Relative dates (`acum 2 ore`) are read against the moment the page was scraped, which
    a dump's modification time records; a reference time given in OPTIONS wins.
    """
    if options.now is not None:
        return options
    now = dt.datetime.fromtimestamp(mtime, dt.timezone.utc)
    return _with_now(options, now, "file modification time")


def _now_setter() -> Callable[[ParseOptions, dt.datetime, str], ParseOptions]:
    """Return a function giving options with another `now`, faster than `dataclasses.replace`.

    It runs once per input file: `replace` looks up the fields and calls the frozen
    `__init__`, which sets each one through `object.__setattr__`; copying the slots through
    their descriptors does the same work without the look-ups. Should ParseOptions gain a
    `__post_init__`, `replace` is used instead.
    """
    if hasattr(ParseOptions, "__post_init__"):
        return lambda options, now, source: dataclasses.replace(options, now=now, now_source=source)
    names = tuple(f.name for f in dataclasses.fields(ParseOptions))
    slots = tuple(
        (getattr(ParseOptions, n).__get__, getattr(ParseOptions, n).__set__)
        for n in names
        if n not in ("now", "now_source")
    )
    set_now = getattr(ParseOptions, "now").__set__  # noqa: B009 - the slot, not a value
    set_source = getattr(ParseOptions, "now_source").__set__  # noqa: B009
    new = object.__new__

    def with_now(options: ParseOptions, now: dt.datetime, source: str) -> ParseOptions:
        copy: ParseOptions = new(ParseOptions)
        for get, put in slots:
            put(copy, get(options))
        set_now(copy, now)
        set_source(copy, source)
        return copy

    return with_now


_with_now = _now_setter()


@lru_cache(maxsize=32)
def _check_zone_and_encoding(tz: str, encoding: str | None) -> None:
    """Check once per process and pair (every parse() call asks; a failure is not cached)."""
    options = ParseOptions(tz=tz, encoding=encoding)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(options.tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidOption(f"unknown time zone: {options.tz!r}") from error
    if options.encoding is not None:
        try:
            codecs.lookup(options.encoding)
        except LookupError as error:
            raise InvalidOption(f"unknown encoding: {options.encoding!r}") from error
        try:
            # Refuse codecs that are not bytes-to-text (hex, rot13) or that cannot go on
            # past a bad byte (idna, punycode): they would fail on the content.
            bytes(range(256)).decode(options.encoding, errors=UNDECODABLE)
        except (LookupError, UnicodeError) as error:
            raise InvalidOption(f"encoding cannot read dumps: {options.encoding!r}") from error


def parse(
    data: str | bytes, *, path: str | None = None, options: ParseOptions | None = None
) -> ParseResult:
    """Parse one dump (text, or bytes in any supported encoding) into articles.

    Never raises because of what DATA contains: every problem becomes a diagnostic.
    PATH is only recorded in the articles and diagnostics; a name that is not UTF-8 (as
    `os.fsdecode` gives it) is recorded as `display_name` shows it, with NP109.
    """
    if not isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError(
            f"parse() takes the dump as str or bytes, not {type(data).__name__}; "
            "for a file name use parse_file(), for a stream parse_stream()"
        )
    _check_call(path, options, "parse")
    options = options or ParseOptions()
    check_options(options)
    shown = display_name(path) if path is not None else None
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if isinstance(data, str):
        text, diagnostics, encoding = *scrub(data, file=shown), None
    else:
        decoded = decode(data, file=shown, encoding=options.encoding)
        text, diagnostics, encoding = decoded.text, decoded.diagnostics, decoded.encoding
    articles, found = parse_text(text, file=shown, options=options)
    diagnostics += found
    diagnostics.sort(key=_position)
    named = name_diagnostic(path, shown) if path is not None and shown is not None else None
    if named is not None:
        diagnostics.insert(0, named)
    return ParseResult(articles, diagnostics, encoding)


def _check_call(path: object, options: object, function: str) -> None:
    """Raise TypeError naming the argument when PATH or OPTIONS has the wrong type."""
    if path is not None and not isinstance(path, str):
        raise TypeError(f"{function}() path= must be a str or None, not {type(path).__name__}")
    if options is not None and not isinstance(options, ParseOptions):
        raise TypeError(
            f"{function}() options= must be a newsparse.ParseOptions, not {type(options).__name__}"
        )


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column


def parse_file(path: str | os.PathLike[str], *, options: ParseOptions | None = None) -> ParseResult:
    """Read and parse the dump at PATH; a file that cannot be read gives NP106 or NP108."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"parse_file() takes a path (str or os.PathLike), "
            f"not {type(path).__name__}; for text or bytes use parse()"
        )
    _check_call(None, options, "parse_file")
    options = options or ParseOptions()
    name = os.fspath(path)
    data, mtime = _read_dump_timed(name, options)
    if isinstance(data, ParseResult):
        return data
    options = options_for_file(options, mtime)
    if could_be_container(data):  # compressed, or an archive: the dumps in it are parsed
        from .archives import merge_results, parse_container

        return merge_results(parse_container(name, options, head=data[:512], data=data))
    return parse(data, path=name, options=options)


def parse_path(
    path: str, options: ParseOptions, *, pattern: str = "*.txt"
) -> Iterator[tuple[str, ParseResult]]:
    """Parse the file at PATH: (name, result) for a dump, or for each dump in an archive.

    `newsparse.archives` is loaded only for a file that may be compressed or an archive:
    a plain dump costs no more at start-up than `parse_file()` does.
    """
    data, mtime = _read_dump_timed(path, options)
    if isinstance(data, ParseResult):
        yield path, data
        return
    options = options_for_file(options, mtime)  # the reference for relative dates
    if could_be_container(data):
        from .archives import _HEAD, _parse_named, open_container

        relative = os.path.basename(path)
        found = open_container(
            path, relative, pattern=pattern, max_size=options.max_size, head=data[:_HEAD], data=data
        )
        del data  # not kept while the members are read
        yield from _parse_named(found, options)
    else:
        yield path, parse(data, path=path, options=options)


def _refused(name: str, code: str, message: str) -> ParseResult:
    """Return the result of an input that is not read: one error at its first line."""
    return ParseResult(
        diagnostics=[Diagnostic(display_name(name), 1, 1, code, Severity.ERROR, message)]
    )


def _read_dump_timed(name: str, options: ParseOptions) -> tuple[bytes | ParseResult, float]:
    """Return the bytes of the file NAME, or the result saying why it cannot be read.

    A file over the size limit gives only its first bytes when it may be compressed or an
    archive: the limit is then on what it holds. The file's modification time comes with
    them (0.0 when it cannot be read): the reference of relative dates, taken from the
    open file at no cost of a second look-up of NAME.
    """
    mtime = 0.0
    try:
        # Read whole through the file descriptor: a file object's buffer is wasted work.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            size, mtime = info.st_size, info.st_mtime
            regular = stat.S_ISREG(info.st_mode)
            if options.max_size is not None and size > options.max_size:
                head = os.read(fd, 512)
                if could_be_container(head):
                    return head, mtime
                return _refused(
                    name,
                    "NP106",
                    f"file is {size:,} bytes, over the limit of {options.max_size:,} (--max-size)",
                ), mtime
            if size > _LOOK_FIRST:  # an archive is not read whole only to be streamed again
                head = os.read(fd, 512)
                if could_be_container(head):
                    return head, mtime
                data = head + read_all(fd, size - len(head), options.max_size, regular=regular)
            else:
                data = read_all(fd, size, options.max_size, regular=regular)
            if options.max_size is not None and len(data) > options.max_size:
                # A pipe (its size reads 0) or a file that grew while it was read.
                return _refused(
                    name,
                    "NP106",
                    f"input is over the limit of {options.max_size:,} bytes (--max-size); "
                    "standard input (`-`) is read in pieces, with no limit",
                ), mtime
            return data, mtime
        finally:
            os.close(fd)
    except OSError as error:
        return _refused(name, "NP108", f"cannot read file: {describe_os_error(error)}"), mtime


def parse_stream(
    stream: BinaryIO,
    *,
    path: str | None = None,
    options: ParseOptions | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ParseResult]:
    """Parse a byte stream of any length, yielding results as articles complete.

    Memory stays flat: the stream is cut after footer lines (where no article can
    continue), and each piece is parsed on its own with its true line numbers. The
    encoding is detected on the first megabyte, as for a whole input.
    """
    if isinstance(stream, io.TextIOBase) or not hasattr(stream, "read"):
        raise TypeError(
            f"parse_stream() takes a binary stream (opened with 'rb', or "
            f"sys.stdin.buffer), not {type(stream).__name__}"
        )
    _check_call(path, options, "parse_stream")
    path = display_name(path) if path is not None else None
    options = options or ParseOptions()
    check_options(options)
    if options.now is None:  # one reference time for every piece of the stream
        options = dataclasses.replace(
            options, now=dt.datetime.now(dt.timezone.utc), now_source="current time"
        )
    # The encoding is decided on the first DETECT_WINDOW bytes, as for a whole input;
    # whether more follows them matters too (a last byte may end a UTF-8 sequence).
    head = _read_at_least(stream, DETECT_WINDOW)
    block = stream.read(chunk_size) if head else b""
    codec, name, detected = detect_encoding(
        head, file=path, encoding=options.encoding, partial=bool(block)
    )
    decoder = codecs.getincrementaldecoder(_stream_codec(codec, head))(errors=UNDECODABLE)
    buffer = ""
    # Complete lines before this offset were searched for a cut already: search each
    # line once, or a stream that never ends a line would be searched again every chunk.
    scanned = 0
    first_line = 1
    seen_text = False
    pending = [head, block]
    while True:
        block = pending.pop(0) if pending else stream.read(chunk_size)
        final = not block
        text = decoder.decode(block, final=final)
        buffer += text
        ends = _last_break_end(buffer, len(buffer) - len(text))
        if final:
            cut = len(buffer)
        elif ends or len(buffer) - len(text) <= _FALLBACK_AT < len(buffer):
            cut = _cut_point(buffer, scanned)
        else:
            cut = 0
        if ends:
            scanned = ends
        if cut or final:
            scanned = 0
            piece, buffer = buffer[:cut], buffer[cut:]
            result = _parse_piece(
                piece, path, options, name, first_line, allow_empty=final and not seen_text
            )
            seen_text = seen_text or bool(piece.strip())
            if detected:
                result.diagnostics[:0] = detected
                detected = []
            first_line += _line_breaks(piece)
            if result.articles or result.diagnostics:
                yield result
        if final:
            return


def _read_at_least(stream: BinaryIO, size: int) -> bytes:
    """Read SIZE bytes from STREAM, or what is left of it when it ends sooner."""
    data = stream.read(size)
    if not data or len(data) >= size:
        return data
    parts = [data]
    got = len(data)
    while got < size and (more := stream.read(size - got)):
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _last_break_end(buffer: str, start: int) -> int:
    """Return where the last line break of BUFFER at or after START ends, or 0 if none.

    A line ends at LF, CRLF or a lone CR; a CR that ends BUFFER is not counted yet, since
    an LF may follow it in the next chunk.
    """
    end = len(buffer) - 1 if buffer.endswith("\r") else len(buffer)
    found = max(buffer.rfind("\n", start, end), buffer.rfind("\r", start, end))
    return found + 1 if found >= 0 else 0


def _stream_codec(codec: str, head: bytes) -> str:
    """Return CODEC, or its native-order form for UTF-16/32 without a byte-order mark.

    `bytes.decode("utf-16")` reads such input in native order, but the incremental
    decoder raises UnicodeError instead; read a stream as a whole input would be read.
    """
    name = codecs.lookup(codec).name
    boms = {
        "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
        "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
    }.get(name)
    if boms is None or head.startswith(boms):
        return codec
    return f"{name}-{'le' if sys.byteorder == 'little' else 'be'}"


def _cut_point(buffer: str, start: int = 0) -> int:
    """Return where BUFFER can be cut between articles, or 0 to read more first.

    The lines before START (a line start) were searched already and hold no footer.
    Lines end at LF, CRLF or a lone CR; BUFFER is never cut between a CR and an LF.
    """
    # The last footer line that matches, found from the end: a buffer holds hundreds.
    end = len(buffer)
    while True:
        found_at = buffer.rfind(_FOOTER_START, start, end)
        if found_at < 0:
            break
        if found_at == 0 or buffer[found_at - 1] in "\r\n":
            found = _SAFE_CUT.match(buffer, found_at)
            if found is not None:
                return found.end()
        end = found_at
    if len(buffer) > _FALLBACK_AT:
        fallback = _last_match(_FALLBACK_CUT, buffer)
        return fallback.end() if fallback is not None else _last_break_end(buffer, 0)
    return 0


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    match = None
    for match in pattern.finditer(text):  # noqa: B007 - only the last one is wanted
        pass
    return match


def _line_breaks(text: str) -> int:
    """Count the line breaks in TEXT as `split_lines()` does (LF, CRLF, CR), without splitting."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks


def _parse_piece(
    text: str,
    path: str | None,
    options: ParseOptions,
    encoding: str,
    first_line: int,
    *,
    allow_empty: bool,
) -> ParseResult:
    text, diagnostics = scrub(text, file=path, encoding=encoding)
    if first_line != 1:
        diagnostics = [
            dataclasses.replace(
                d,
                line=d.line + first_line - 1,
                end_line=None if d.end_line is None else d.end_line + first_line - 1,
            )
            for d in diagnostics
        ]
    if not text.strip() and not allow_empty:
        return ParseResult([], diagnostics, encoding)
    articles, found = parse_text(text, file=path, options=options, first_line=first_line)
    diagnostics += found
    diagnostics.sort(key=_position)
    return ParseResult(articles, diagnostics, encoding)
