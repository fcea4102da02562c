"""Markdown exporter: YAML front matter, then the article body as CommonMark.

Each article is a whole document: it opens with its own front matter block (a `---`
line immediately followed by `title:`), so a stream of several articles splits at every
such pair of lines. Inside a body, `---` only ever stands alone between blank lines
(a separator); text lines that would read as Markdown syntax are escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Article, Block, Image, PartialDate, format_timestamp
from .base import Exporter

__all__ = ["MarkdownExporter", "escape_text", "render_article", "yaml_string"]

# --- YAML --------------------------------------------------------------------------------

_YAML_NAMED = {
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# Everything YAML does not allow raw in a double-quoted scalar, or reads as a line break,
# or that a reader might drop (a byte-order mark, noncharacters, lone surrogates).
_YAML_ESCAPE = re.compile(
    '[\\x00-\\x1f"\\\\\\x7f-\\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]'
)


def _yaml_escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _YAML_NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def yaml_string(value: str | None) -> str:
    """Return VALUE as a YAML double-quoted scalar (or `null`), valid for any text."""
    if value is None:
        return "null"
    return '"' + _YAML_ESCAPE.sub(_yaml_escape, value) + '"'


def _yaml_list(values: Iterable[str]) -> str:
    items = [f"\n  - {yaml_string(value)}" for value in values]
    return "".join(items) if items else " []"


def front_matter(article: Article) -> str:
    """Return the YAML front matter block of ARTICLE, fences included."""
    fields = (
        ("title", article.title),
        ("author", article.author),
        # A partial date (`2011-05`) is no date to Jekyll (the build stops) nor Hugo: null
        # there, with the byline's words in `published_text`.
        (
            "date",
            None
            if isinstance(article.published, PartialDate)
            else format_timestamp(article.published),
        ),
        ("published_text", article.published_text),
        ("updated", format_timestamp(article.updated)),
        ("source", article.source),
        ("source_url", article.source_url),
        ("article_url", article.url),  # `url` is the page's own address in Hugo and Jekyll
    )
    lines = ["---"]
    lines += [f"{key}: {yaml_string(value)}" for key, value in fields]
    lines.append("images:" + _yaml_list(image.file for image in article.images))
    lines.append("---")
    return "\n".join(lines) + "\n"


# --- Markdown text -----------------------------------------------------------------------

# ASCII punctuation that CommonMark (or GFM) gives a meaning anywhere in a line.
_INLINE = re.compile(r"[\\`*_\[\]<~|]|&(?=#?\w+;)")
# What a line may start with that would make it a heading, quote, list, rule or table.
_LINE_START = re.compile(r"[#>+\-=]|(\d{1,9})([.)])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _escape_line(line: str) -> str:
    line = _INLINE.sub(lambda m: "\\" + m.group(), line)
    start = _LINE_START.match(line)
    if start is None:
        return line
    if start.group(1) is not None:
        digits = start.group(1)
        return f"{digits}\\{start.group(2)}{line[len(digits) + 1 :]}"
    return "\\" + line


def escape_text(text: str) -> str:
    """Escape TEXT so that CommonMark shows it as written, as one paragraph.

    Leading and trailing spaces of each line and empty lines are dropped: Markdown
    has no way to keep them inside a paragraph.
    """
    lines = (line.strip() for line in _LINE_BREAK.split(text))
    return "\n".join(_escape_line(line) for line in lines if line)


def _one_line(text: str) -> str:
    """Escape TEXT for a heading, which must fit on one line."""
    escaped = escape_text(text).replace("\n", " ")
    head = escaped[:-1]
    # A heading's trailing `#` run would be read as a closing sequence, unless its last `#`
    # is escaped already (an odd run of backslashes before it; `#` alone became `\#`).
    if escaped.endswith("#") and (len(head) - len(head.rstrip("\\"))) % 2 == 0:
        escaped = head + "\\#"
    return escaped


_PLAIN_DESTINATION = re.compile(r"[^\s()<>\\]+")


def _image(image: Image) -> str:
    caption = _one_line(image.caption) if image.caption else ""
    target = image.file
    if not _PLAIN_DESTINATION.fullmatch(target):
        target = "<" + re.sub(r"[\\<>]", lambda m: "\\" + m.group(), target) + ">"
    return f"![{caption}]({target})"


def _block(block: Block) -> str | None:
    if block.kind == "paragraph":
        return escape_text(block.text or "") or None
    if block.kind == "image" and block.image is not None:
        return _image(block.image)
    if block.kind == "heading":
        return "#" * min(max(block.level or 2, 1), 6) + " " + _one_line(block.text or "")
    if block.kind == "separator":
        return "---"
    return None


def render_article(article: Article) -> str:
    """Return ARTICLE as one Markdown document with its front matter."""
    parts = [front_matter(article)]
    title = _one_line(article.title or "")
    if title:
        parts.append("# " + title + "\n")
    for block in article.blocks:
        text = _block(block)
        if text:
            parts.append(text + "\n")
    return "\n".join(parts)


class MarkdownExporter(Exporter):
    """Each article as a Markdown document; several follow each other after a blank line."""

    def write(self, article: Article) -> None:
        """Write one article's document."""
        if self.count:
            self.stream.write("\n")
        self.count += 1
        self.stream.write(render_article(article))
