"""Canonical dump writer: an Article back in the reference layout that newsparse reads.

The layout is the seed's, made regular: a `Scris de AUTHOR pe D month YYYY, HH:MM` byline
with Romanian month names and the wall-clock time the article carries, a `## ` title,
one line per block with a blank line between blocks, the `[source](href)` link and the
`ADRESA: <url>` footer. Articles follow each other after a blank line, so dumps
concatenate and a concatenation parses back article by article.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Article, Block, Image, PartialDate, Timestamp
from .base import Exporter

__all__ = ["MONTH_NAMES", "DumpExporter", "format_byline", "format_date", "render_dump"]

MONTH_NAMES = (
    "ianuarie",
    "februarie",
    "martie",
    "aprilie",
    "mai",
    "iunie",
    "iulie",
    "august",
    "septembrie",
    "octombrie",
    "noiembrie",
    "decembrie",
)
# Image names written bare, like the seed's `media-165828855573329500 (1).png`; anything
# else is written the Markdown way, which reads back whatever the name holds.
_BARE_IMAGE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9_.-]*(?: \(\d+\))?\.(?:png|jpe?g|gif|webp)", re.IGNORECASE
)
_WRAP = re.compile(r"[\s()<>\"']")


def format_date(value: Timestamp) -> str:
    """Return VALUE as a byline date: `15 august 2022, 09:13`, or without the time.

    Seconds are written when there are any, a stated offset (a fixed one, not a zone's)
    after the time, and a partial date as `mai 2011` or `2011`.
    """
    if isinstance(value, PartialDate):
        if value.month is None:
            return str(value.year)
        return f"{MONTH_NAMES[value.month - 1]} {value.year}"
    text = f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {value.hour:02d}:{value.minute:02d}"
        if value.second:
            text += f":{value.second:02d}"
        if isinstance(value.tzinfo, dt.timezone):
            text += " " + value.isoformat()[-6:]
    return text


def format_byline(article: Article) -> str | None:
    """Return the byline of ARTICLE, or None when it has no date to put in one."""
    if article.published is None:
        return None
    author = f"{article.author} " if article.author else ""
    line = f"Scris de {author}pe {format_date(article.published)}"
    if article.updated is not None:
        line += f" / actualizat: {format_date(article.updated)}"
    return line


def _image(image: Image) -> str:
    if image.caption is None and _BARE_IMAGE.fullmatch(image.file):
        return image.file
    target = image.file
    if _WRAP.search(target):
        target = f"<{target}>"
    return f"![{image.caption or ''}]({target})"


def _block(block: Block) -> str:
    if block.kind == "image" and block.image is not None:
        return _image(block.image)
    if block.kind == "heading":
        return "#" * (block.level or 2) + " " + (block.text or "")
    if block.kind == "separator":
        return "---"
    return block.text or ""


def render_dump(article: Article) -> str:
    """Return ARTICLE in the canonical dump layout, ending with a newline."""
    lines: list[str] = []
    byline = format_byline(article)
    if byline is not None:
        lines.append(byline)
    if article.title is not None:
        lines.append(f"## {article.title}")
    lines += [_block(block) for block in article.blocks]
    if article.source is not None:
        lines.append(f"[{article.source}]({article.source_url or '#'})")
    if article.url is not None:
        lines.append(f"ADRESA: <{article.url}>")
    return "\n\n".join(lines) + "\n"


class DumpExporter(Exporter):
    """Articles in the canonical dump layout, a blank line between two."""

    def write(self, article: Article) -> None:
        """Write one article."""
        if self.count:
            self.stream.write("\n")
        self.count += 1
        self.stream.write(render_dump(article))
