"""JSON and JSON Lines exporters: UTF-8, diacritics unescaped."""

from __future__ import annotations

import re

from ..console import neutralize_json
from ..model import Article
from .base import Exporter, ExportOptions

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import IO, Any


# JSON escapes C0 controls but lets DEL, C1 controls (U+009B is an ANSI escape on some
# terminals) and the line separators U+2028/U+2029 through raw; escape them too. They can
# only stand inside strings, where `\\u009b` means the same character.
_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")

# orjson writes exactly what `json` writes with ensure_ascii=False (compact, or indented by
# two), ten times faster. What it refuses (lone surrogates, integers beyond 64 bits, keys
# that are not strings) is written by `json` instead; dates and dataclasses are passed to
# that fallback too, so that they are refused as `json` always refused them. It is
# imported on first use: with what it imports (json, uuid, platform) that takes about 5 ms.
_orjson: tuple[Any, int, int, int] | None = None
# One-article documents written so far (see `_lone_article`).
_lone_documents = 0


def _load_orjson() -> tuple[Any, int, int, int]:
    """Return orjson and its options for compact, line-ended and pretty output."""
    global _orjson
    if _orjson is None:
        import orjson

        base = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
        _orjson = (orjson, base, base | orjson.OPT_APPEND_NEWLINE, base | orjson.OPT_INDENT_2)
    return _orjson


def dumps(article: Article, *, indent: int | None = None) -> str:
    """Return one article as JSON text, with no control character left raw."""
    if indent not in (None, 2):
        return _json_text(article.to_dict(), indent=indent)
    encoded = _encode(article.to_dict(), pretty=indent == 2)
    return encoded.decode("utf-8") if isinstance(encoded, bytes) else encoded


def _json_text(value: dict[str, Any], *, indent: int | None = None, newline: bool = False) -> str:
    """Return VALUE as escaped JSON text written by the standard library."""
    import json

    if indent is None:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
    return neutralize_json(_escape(text + "\n" if newline else text))


def _lone_article(article: Article) -> str:
    """Return the pretty JSON of a document that holds ARTICLE alone.

    The first such document of a process is written by `pretty_json`: for a one-shot
    `newsparse parse FILE`, importing orjson (or json) would take longer than the whole
    encoding. Later ones (a conversion writes one per input) go through orjson; both give
    the same text.
    """
    global _lone_documents
    _lone_documents += 1
    if _lone_documents == 1 and _orjson is None:
        from ..jsontext import pretty_json

        return neutralize_json(_escape(pretty_json(article.to_dict())))
    return dumps(article, indent=2)


def _encode(value: dict[str, Any], *, pretty: bool = False, newline: bool = False) -> bytes | str:
    """Return VALUE as escaped UTF-8 JSON, or as text when only `json` can write it.

    The text keeps what UTF-8 cannot encode (a lone surrogate): the stream it is written
    to decides what becomes of it, as it always did.
    """
    orjson, compact, line, indented = _load_orjson()
    option = indented if pretty else line if newline else compact
    try:
        data: bytes = orjson.dumps(value, option=option)
    except TypeError:
        return _json_text(value, indent=2 if pretty else None, newline=newline)
    # Each test looks for one byte (memchr) before any slower one: DEL; C1 controls are
    # 0xC2 0x80-0x9F; U+2028 and U+2029 are 0xE2 0x80 0xA8 and 0xE2 0x80 0xA9.
    if (
        b"\x7f" in data
        or (b"\xc2" in data and _C1_UTF8.search(data) is not None)
        or (
            (b"\xa8" in data or b"\xa9" in data)
            and (b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data)
        )
    ):
        data = _escape(data.decode("utf-8")).encode("utf-8")
    # `##[` is a workflow command to the GitHub Actions runner; see neutralize_json. (A
    # search for one byte is many times faster than for three: most records hold no `#`.)
    return data.replace(b"##[", b"##\\u005b") if b"#" in data and b"##[" in data else data


def _escape(text: str) -> str:
    if _RAW.search(text):
        return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
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
            self.stream.write(_lone_article(self._pending))
            self.stream.write("\n")
            self._pending = None
        else:
            self.stream.write("\n]\n")


class JSONLinesExporter(Exporter):
    """One compact JSON object per line, in UTF-8.

    Written as bytes to a binary stream (what the command line gives it: encoding each
    line to text and back would cost as much as the rest of the export), and as text to
    a text stream, whose encoding, errors and line ends then apply as to any text.
    """

    binary = True

    def __init__(self, stream: IO[Any], *, options: ExportOptions | None = None) -> None:
        super().__init__(stream, options=options)
        # A text stream has an encoding (None for StringIO); a byte stream has none.
        self._text = hasattr(stream, "encoding")

    def write(self, article: Article) -> None:
        """Write one article as one line."""
        self.count += 1
        line = _encode(article.to_dict(), newline=True)
        if self._text:
            self.stream.write(line if isinstance(line, str) else line.decode("utf-8"))
        else:
            self.stream.write(line if isinstance(line, bytes) else line.encode("utf-8"))


def _indent(text: str) -> str:
    return "  " + text.replace("\n", "\n  ")
