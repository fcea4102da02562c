"""JSON and JSON Lines exporters: UTF-8, diacritics unescaped."""

from __future__ import annotations

import json
import re

from ..model import Article
from .base import Exporter, ExportOptions

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import IO

# One encoder for every compact article: `json.dumps` with options builds a new one per call.
# Articles are trees of fresh dicts and lists, so the circular-reference check is skipped.
_COMPACT = json.JSONEncoder(ensure_ascii=False, check_circular=False)

# JSON escapes C0 controls but lets DEL, C1 controls (U+009B is an ANSI escape on some
# terminals) and the line separators U+2028/U+2029 through raw; escape them too. They can
# only stand inside strings, where `\\u009b` means the same character.
_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def dumps(article: Article, *, indent: int | None = None) -> str:
    """Return one article as JSON text, with no control character left raw."""
    if indent is None:
        text = _COMPACT.encode(article.to_dict())
    else:
        text = json.dumps(article.to_dict(), ensure_ascii=False, indent=indent)
    if _RAW.search(text):
        text = _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


class JSONExporter(Exporter):
    """One JSON object for a single article; a list when there are none or several.

    The first article is held back until the second arrives (or the document ends),
    which is the only way to know which of the two shapes to write.
    """

    def __init__(self, stream: IO[str], *, options: ExportOptions | None = None) -> None:
        super().__init__(stream, options=options)
        self._pending: Article | None = None

    def write(self, article: Article) -> None:
        """Write one article (the first is held until the shape is known)."""
        self.count += 1
        if self.count == 1:
            self._pending = article
            return
        if self._pending is not None:
            self.stream.write("[\n")
            self.stream.write(_indent(dumps(self._pending, indent=2)))
            self._pending = None
        self.stream.write(",\n")
        self.stream.write(_indent(dumps(article, indent=2)))

    def close(self) -> None:
        """Write the single object, or close the list."""
        if self.count == 0:
            self.stream.write("[]\n")
        elif self._pending is not None:
            self.stream.write(dumps(self._pending, indent=2))
            self.stream.write("\n")
            self._pending = None
        else:
            self.stream.write("\n]\n")


class JSONLinesExporter(Exporter):
    """One compact JSON object per line."""

    def write(self, article: Article) -> None:
        """Write one article as one line."""
        self.count += 1
        self.stream.write(dumps(article))
        self.stream.write("\n")


def _indent(text: str) -> str:
    return "  " + text.replace("\n", "\n  ")
