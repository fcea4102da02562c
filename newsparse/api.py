"""The library entry points: `parse` for text or bytes, `parse_file` for a path."""

from __future__ import annotations

import codecs
import os

from .errors import InvalidOption
from .model import Diagnostic, ParseOptions, ParseResult, Severity
from .parser import parse_text
from .reading import decode, scrub

__all__ = ["check_options", "parse", "parse_file"]


def check_options(options: ParseOptions) -> None:
    """Raise InvalidOption when OPTIONS name a time zone or encoding that does not exist."""
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


def parse(
    data: str | bytes, *, path: str | None = None, options: ParseOptions | None = None
) -> ParseResult:
    """Parse one dump (text, or bytes in any supported encoding) into articles.

    Never raises because of what DATA contains: every problem becomes a diagnostic.
    PATH is only recorded in the articles and diagnostics.
    """
    options = options or ParseOptions()
    check_options(options)
    if isinstance(data, str):
        text, diagnostics, encoding = *scrub(data, file=path), None
    else:
        decoded = decode(data, file=path, encoding=options.encoding)
        text, diagnostics, encoding = decoded.text, decoded.diagnostics, decoded.encoding
    articles, found = parse_text(text, file=path, options=options)
    diagnostics += found
    diagnostics.sort(key=_position)
    return ParseResult(articles, diagnostics, encoding)


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column


def parse_file(path: str | os.PathLike[str], *, options: ParseOptions | None = None) -> ParseResult:
    """Read and parse the dump at PATH; a file that cannot be read gives NP106 or NP108."""
    options = options or ParseOptions()
    name = os.fspath(path)
    try:
        with open(name, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if options.max_size is not None and size > options.max_size:
                return ParseResult(diagnostics=[
                    Diagnostic(name, 1, 1, "NP106", Severity.ERROR,
                               f"file is {size:,} bytes, over the limit of "
                               f"{options.max_size:,} (--max-size)")
                ])
            data = stream.read()
    except OSError as error:
        reason = error.strerror.lower() if error.strerror else str(error)
        return ParseResult(diagnostics=[
            Diagnostic(name, 1, 1, "NP108", Severity.ERROR, f"cannot read file: {reason}")
        ])
    return parse(data, path=name, options=options)
