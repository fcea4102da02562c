"""The records newsparse produces: articles, their blocks, and diagnostics."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from enum import Enum

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any, Literal

__all__ = [
    "Article",
    "Block",
    "BlockKind",
    "Diagnostic",
    "Image",
    "ParseOptions",
    "ParseResult",
    "PartialDate",
    "Severity",
]

DEFAULT_TIMEZONE = "Europe/Bucharest"
#: The version of the article object's shape (`article.schema.json`); it changes when a
#: key is removed, renamed or changes meaning, so that consumers can detect it.
SCHEMA_VERSION = "1"
#: Files larger than this are refused with NP106 rather than read into memory.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
#: Near-duplicate similarity threshold (newsparse.dedupe; here so options cost no import).
DEFAULT_DEDUPE_THRESHOLD = 0.5


class Severity(str, Enum):
    """How bad a diagnostic is: errors make data wrong or missing."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in an input, with its 1-based position."""

    file: str | None
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of this diagnostic."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }

    def format(self, display_path: str | None = None) -> str:
        """Render as `path:line:col: CODE message` (the compact form of every command)."""
        path = display_path or self.file or "<stdin>"
        return f"{path}:{self.line}:{self.column}: {self.code} {self.message}"


@dataclass(frozen=True, slots=True)
class Image:
    """An image placeholder: the file name the scrape left and its caption, if any."""

    file: str
    caption: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of this image."""
        return {"file": self.file, "caption": self.caption}


if TYPE_CHECKING:
    BlockKind = Literal[
        "paragraph", "image", "separator", "heading", "related", "credit", "boilerplate"
    ]
else:
    # At run time a plain str: Literal would load typing, which costs start-up time.
    # typing.get_type_hints() still resolves every annotation of the records.
    BlockKind = str


@dataclass(frozen=True, slots=True)
class Block:
    """One element of an article body, in document order."""

    kind: BlockKind
    text: str | None = None
    image: Image | None = None
    level: int | None = None
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of this block (positions are left out)."""
        if self.kind == "paragraph":
            return {"type": "paragraph", "text": self.text}
        if self.kind == "image":
            assert self.image is not None
            return {"type": "image", "file": self.image.file, "caption": self.image.caption}
        if self.kind == "heading":
            return {"type": "heading", "level": self.level, "text": self.text}
        if self.kind == "separator":
            return {"type": "separator"}
        # related / credit / boilerplate: lines set apart from the paragraphs.
        return {"type": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known only to the month (`mai 2011`) or the year (`anul trecut`)."""

    year: int
    month: int | None = None

    def isoformat(self) -> str:
        """Return `YYYY-MM`, or `YYYY` when the month is not known."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.isoformat()


Timestamp = _dt.datetime | _dt.date | PartialDate


def format_timestamp(value: Timestamp | None) -> str | None:
    """Return ISO 8601 text: a date-time with its offset, a date, `YYYY-MM` or `YYYY`."""
    if value is None:
        return None
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article read from a dump."""

    title: str | None
    author: str | None = None
    published: Timestamp | None = None
    updated: Timestamp | None = None
    #: The byline's date text exactly as written (`acum 2 ore`, `15 mai`).
    published_text: str | None = None
    blocks: tuple[Block, ...] = ()
    source: str | None = None
    source_url: str | None = None
    url: str | None = None
    file: str | None = None
    line: int = 1
    end_line: int = 1
    #: The text as found, kept only when --restore-diacritics changed it.
    title_original: str | None = None
    paragraphs_original: tuple[str, ...] | None = None
    captions_original: tuple[str | None, ...] | None = None

    @property
    def paragraphs(self) -> list[str]:
        """The paragraph texts, in order."""
        return [b.text for b in self.blocks if b.kind == "paragraph" and b.text is not None]

    @property
    def images(self) -> list[Image]:
        """The images, in order."""
        return [b.image for b in self.blocks if b.kind == "image" and b.image is not None]

    @property
    def text(self) -> str:
        """The paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of this article (the public contract)."""
        record = self._record()
        # The text as found appears only when a repair changed it.
        if self.title_original is not None:
            record["title_original"] = self.title_original
        if self.paragraphs_original is not None:
            record["paragraphs_original"] = list(self.paragraphs_original)
        if self.captions_original is not None:
            record["captions_original"] = list(self.captions_original)
        return record

    def _record(self) -> dict[str, Any]:
        # The paragraphs, images and blocks in one pass over the blocks: a record is
        # built for every article written, and three passes cost a tenth of the export.
        paragraphs: list[str] = []
        images: list[dict[str, Any]] = []
        blocks: list[dict[str, Any]] = []
        for block in self.blocks:
            kind = block.kind
            if kind == "paragraph":
                text = block.text
                if text is not None:
                    paragraphs.append(text)
                blocks.append({"type": "paragraph", "text": text})
            elif kind == "image" and block.image is not None:
                file, caption = block.image.file, block.image.caption
                images.append({"file": file, "caption": caption})
                blocks.append({"type": "image", "file": file, "caption": caption})
            else:
                blocks.append(block.to_dict())
        return {
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "author": self.author,
            "published": format_timestamp(self.published),
            "published_text": self.published_text,
            "updated": format_timestamp(self.updated),
            "paragraphs": paragraphs,
            "images": images,
            "source": self.source,
            "source_url": self.source_url,
            "url": self.url,
            "file": self.file,
            "line": self.line,
            "blocks": blocks,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ParseOptions:
    """How to read dumps; passed by keyword, like every option set in newsparse."""

    #: IANA zone the bylines are written in.
    tz: str = DEFAULT_TIMEZONE
    #: Force an encoding instead of detecting it (any name Python's codecs know).
    encoding: str | None = None
    #: Refuse files larger than this many bytes (NP106); None means no limit.
    max_size: int | None = DEFAULT_MAX_SIZE
    #: The reference time relative dates (`acum 2 ore`, `ieri`) are read against, an aware
    #: datetime. None: the input file's modification time, or the current time for text
    #: and standard input.
    now: _dt.datetime | None = None
    #: What `now` is, as diagnostics name it (`--now`, `file modification time`).
    now_source: str = "reference time"
    #: Write `ş ţ` as the comma-below `ș ț`, and NFC (NP401).
    normalize: bool = False
    #: Repair lines damaged by a wrong decoding (NP403); found and reported either way (NP402).
    fix_text: bool = False
    #: Put back diacritics in articles that have none (NP404); needs newsparse[diacritics].
    restore_diacritics: bool = False
    #: Keep related links, credits and prompts as paragraphs, as found.
    keep_boilerplate: bool = False


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What parsing one input gives: its articles and every problem found."""

    articles: list[Article] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    encoding: str | None = None

    @property
    def has_errors(self) -> bool:
        """True when any diagnostic is an error."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)
