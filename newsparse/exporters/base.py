"""The interface every exporter implements."""

from __future__ import annotations

from typing import IO, Any

from ..model import Article


class Exporter:
    """Write articles to a stream, one at a time; `close()` finishes the document.

    Subclasses set `binary = True` when they need a byte stream instead of text, and
    `stdout = False` when their output is useless on standard output (a file format
    that readers open at its end).
    `close()` never closes the stream itself: the caller owns it.
    """

    binary = False
    stdout = True

    def __init__(self, stream: IO[Any], **options: Any) -> None:
        self.stream = stream
        self.options = options
        self.count = 0

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
