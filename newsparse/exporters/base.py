"""The interface every exporter implements, and the options they share."""

from __future__ import annotations

from dataclasses import dataclass

from ..console import TerminalStream, on_terminal
from ..model import Article

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import IO, Any


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportOptions:
    """How to write articles; each format reads only the options it knows.

    The registry lists which options a format uses; setting another one is an error
    (`check_export_options`), so `--columns` with JSON fails instead of being ignored.
    """

    #: CSV: the columns to write, in this order (None: every column).
    columns: tuple[str, ...] | None = None
    #: CSV: start with a UTF-8 byte-order mark so that Excel shows diacritics.
    excel: bool = False
    #: CSV: prefix cells that start like a formula with `'` (OWASP's CSV injection advice).
    formula_guard: bool = True


DEFAULT_OPTIONS = ExportOptions()


class Exporter:
    """Write articles to a stream, one at a time; `close()` finishes the document.

    Subclasses set `binary = True` when they write bytes (the command line then gives
    them a byte stream; JSON Lines also accept a text stream), and
    `stdout = False` when their output is useless on standard output (a file format
    that readers open at its end).
    `close()` never closes the stream itself: the caller owns it. A text stream to a
    terminal gets the text with its control characters escaped (`TerminalStream`); write
    through `self.stream`, not the stream given.
    """

    binary = False
    stdout = True
    #: True for formats that open their own file (SQLite): they are given a path.
    needs_path = False

    def __init__(self, stream: IO[Any], *, options: ExportOptions | None = None) -> None:
        self.options = options or DEFAULT_OPTIONS
        self.check_options(self.options)
        if not self.binary and on_terminal(stream):
            stream = TerminalStream(stream)  # type: ignore[assignment,arg-type]
        self.stream = stream
        self.count = 0

    @classmethod
    def check_options(cls, options: ExportOptions) -> None:
        """Raise InvalidOption when OPTIONS hold a value this format cannot use."""

    def write(self, article: Article) -> None:
        """Write one article."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the document (closing brackets, footers); the stream stays open."""

    def __enter__(self) -> Exporter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.close()
