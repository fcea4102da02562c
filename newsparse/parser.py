"""Text to articles and diagnostics: pure, no I/O, and never raises on content."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

from .dates import (
    MAX_BYLINE,
    Byline,
    DateResult,
    DateValue,
    Reference,
    is_dateline,
    parse_byline,
    parse_slot,
    place,
)
from .model import Article, Block, Diagnostic, Image, ParseOptions, Severity
from .text.clean import clean_articles, repair_lines

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from .model import BlockKind

__all__ = ["parse_text", "rejoin_broken_paragraphs", "split_lines"]

LONG_LINE = 100_000
_IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".bmp",
    ".svg",
    ".avif",
    ".tif",
    ".tiff",
    ".jfif",
    ".heic",
)
_HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
_TITLE = re.compile(r"(#{1,6})[ \t]*(.*)")
_SEPARATOR = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\((.*)\)")
_BARE_IMAGE = re.compile(r"[^\s<>:\"|?*\\/\[\]()]+(?: ?\(\d+\))*\.[A-Za-z]{3,4}")
_SOURCE_LINK = re.compile(r"\[([^\]]+)\]\(([^()\s]*)\)")
_FOOTER = "ADRESA:"
_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
# A byline glued to the end of another line (`...</nA18>Scris de ...`).
_GLUED_FRAME = re.compile(r"(?:Scris|Publicat|Articol|De) ")
_DIGIT = re.compile(r"\d")
# Frames tried per line: prose has a few capitalised `De`, a tail full of them is junk
# that would cost a byline parse each.
_MAX_GLUED_TRIES = 8
_DOUBLED_WORD = re.compile(r"\b([^\W\d_]{2,})\s+\1\b", re.IGNORECASE)
_CLOSING = frozenset(".!?…:;\"”»'’)]")
_BYLINE_INITIALS = frozenset("SsPpAaDd")
# First characters of the lines that are never a byline slot: markup.
_NEVER_A_SLOT = frozenset("#-*_![")
# First characters of the lines body_line reads as something other than paragraph text.
_MARKUP_INITIALS = frozenset("#-*_![")


def _block_builder() -> Callable[[BlockKind, str | None, Image | None, int | None, int], Block]:
    """Return a function that builds a Block twice as fast as its frozen `__init__`.

    A frozen dataclass sets each field through `object.__setattr__`; the slots' own
    descriptors do the same work without the lookups. Blocks are the objects the parser
    makes most of. Should Block ever gain a field, the plain constructor is used instead.
    """
    names = ("kind", "text", "image", "level", "line")
    if tuple(f.name for f in dataclasses.fields(Block)) != names:
        return lambda kind, text, image, level, line: Block(kind, text, image, level, line)
    new = object.__new__
    set_kind, set_text, set_image, set_level, set_line = (
        getattr(Block, name).__set__ for name in names
    )

    def build(
        kind: BlockKind, text: str | None, image: Image | None, level: int | None, line: int
    ) -> Block:
        block: Block = new(Block)
        set_kind(block, kind)
        set_text(block, text)
        set_image(block, image)
        set_level(block, level)
        set_line(block, line)
        return block

    return build


_block = _block_builder()


#: The fields `_article` takes, in this order (`finish` passes them so).
_ARTICLE_FIELDS = (
    "title",
    "author",
    "published",
    "updated",
    "published_text",
    "blocks",
    "source",
    "source_url",
    "url",
    "file",
    "line",
    "end_line",
    "title_original",
    "paragraphs_original",
    "captions_original",
)


def _article_builder() -> Callable[..., Article]:
    """Return a function that builds an Article from all its fields, in order, through its slots.

    An article has sixteen fields: its frozen `__init__` takes three times as long. Should
    Article gain a `__post_init__`, the plain constructor is used instead.
    """
    names = tuple(f.name for f in dataclasses.fields(Article))
    if names != _ARTICLE_FIELDS or hasattr(Article, "__post_init__"):
        return lambda *values: Article(**dict(zip(_ARTICLE_FIELDS, values, strict=True)))
    new = object.__new__
    setters = tuple(getattr(Article, name).__set__ for name in names)

    def build(*values: object) -> Article:
        article: Article = new(Article)
        for setter, value in zip(setters, values, strict=True):
            setter(article, value)
        return article

    return build


_article = _article_builder()


def split_lines(text: str) -> list[str]:
    """Split TEXT at LF, CRLF or a lone CR, as editors and CI annotations count lines."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


class _Draft:
    """An article being read."""

    __slots__ = (
        "blocks",
        "byline",
        "byline_line",
        "byline_offset",
        "expect_title",
        "has_footer",
        "last_line",
        "line",
        "link_block",
        "links",
        "paragraph",
        "paragraph_line",
        "title",
        "title_line",
        "url",
    )

    def __init__(
        self,
        line: int,
        byline: Byline | None = None,
        byline_line: int = 0,
        byline_offset: int = 0,
        expect_title: bool = True,
        last_line: int = 0,
    ) -> None:
        self.line = line
        self.byline = byline
        self.byline_line = byline_line
        self.byline_offset = byline_offset
        self.title: str | None = None
        self.title_line = 0
        self.expect_title = expect_title
        self.blocks: list[Block] = []
        self.link_block = -1  # index of a block that is a lone `[name](href)` line
        self.links: dict[int, tuple[str, str]] = {}
        self.paragraph: list[str] = []
        self.paragraph_line = 0
        self.url: str | None = None
        self.has_footer = False
        self.last_line = last_line


class _Parser:
    """The state of one parse: the lines, the article being read, what was found.

    `run` walks the lines; each element of the format has its own function below: the
    byline slot (`byline_before_heading`, `start`), the title (`title_line`), the body
    line rules (`_BODY_RULES`: heading, separator, image, source link, then bare image,
    glued byline and paragraph), the footer (`footer_line`) and, when an article ends,
    the source link, the byline dates and the checks of `finish`.
    """

    def __init__(
        self, lines: list[str], file: str | None, options: ParseOptions, first_line: int
    ) -> None:
        self.lines = lines
        self.file = file
        self.options = options
        self.first_line = first_line
        self.articles: list[Article] = []
        self.diagnostics: list[Diagnostic] = []
        self.draft: _Draft | None = None
        self._reference: Reference | None = None

    # -- diagnostics -----------------------------------------------------------------

    def report(
        self,
        line: int,
        column: int,
        code: str,
        severity: Severity,
        message: str,
        end_column: int | None = None,
    ) -> None:
        """Record a diagnostic at LINE and COLUMN (1-based)."""
        self.diagnostics.append(
            Diagnostic(
                self.file,
                line,
                column,
                code,
                severity,
                message,
                end_line=line,
                end_column=end_column,
            )
        )

    def error(
        self, line: int, column: int, code: str, message: str, end_column: int | None = None
    ) -> None:
        """Record an error."""
        self.report(line, column, code, Severity.ERROR, message, end_column)

    def warning(
        self, line: int, column: int, code: str, message: str, end_column: int | None = None
    ) -> None:
        """Record a warning."""
        self.report(line, column, code, Severity.WARNING, message, end_column)

    # -- the line loop ---------------------------------------------------------------

    def run(self) -> None:
        """Read every line, each once, knowing whether the next non-blank one is a heading."""
        lines = self.lines
        base = self.first_line
        # A non-blank line is read when the next one is found: a byline, glued or on its
        # own, counts only before a heading, and that tells whether one comes next.
        held = -1  # the index of the non-blank line waiting, if any
        held_raw = held_line = raw = line = ""
        gap = False  # whether blank lines follow it
        end = len(lines)
        for index in range(end + 1):
            if index < end:
                raw = lines[index]
                line = raw.strip()
                if not line:
                    gap = True
                    continue
                heading_next = line[0] == "#"
            else:
                heading_next = False
            if held >= 0:
                draft = self.draft
                first = held_line[0]
                if (
                    draft is not None
                    and not heading_next
                    and not draft.expect_title
                    and first not in _MARKUP_INITIALS
                    and len(held_line) <= LONG_LINE
                    and not (first == "A" and held_line.startswith(_FOOTER))
                    and not (len(held_line) < 260 and "." in held_line[-5:-3])
                ):
                    # Most lines are plain paragraph text: what body_line would do with one.
                    number = base + held
                    draft.last_line = number
                    if not draft.paragraph:
                        draft.paragraph_line = number
                    draft.paragraph.append(held_line)
                else:
                    self.read_line(held_raw, held_line, held, heading_next)
                if gap:
                    draft = self.draft
                    if draft is not None and draft.paragraph:
                        self.flush_paragraph(draft)
            held, held_raw, held_line, gap = index, raw, line, False

    def read_line(self, raw: str, line: str, index: int, heading_next: bool) -> None:
        """Read the non-blank line at INDEX; HEADING_NEXT tells whether a heading follows it."""
        number = self.first_line + index
        if len(line) > LONG_LINE:
            self.warning(number, 1, "NP107", f"line of {len(line):,} characters")
        # Most lines are not indented: their first character is the stripped line's.
        offset = 0 if raw[0] == line[0] else len(raw) - len(raw.lstrip())
        draft = self.draft
        if draft is None:
            self.start(line, number, offset, heading_next)
        elif not byline_before_heading(self, line, number, offset, heading_next):
            self.body_line(draft, line, number, offset, heading_next)

    # -- starting an article: the byline slot ------------------------------------------

    def start(self, line: str, number: int, offset: int, heading_next: bool) -> None:
        """Begin an article at a non-blank line met between articles.

        A line just before a `#` title is the article's byline slot, whatever its frame:
        its date and author are read where they stand, and the title is kept.
        """
        byline = parse_byline(line)
        if byline is not None:
            self.start_with_byline(byline, number, offset)
            return
        if (
            heading_next
            and len(line) <= MAX_BYLINE
            and line[0] not in _NEVER_A_SLOT
            and not line.startswith(_FOOTER)
            and not _ends_in_byline(line)
        ):
            # A footer, an image or a link is never a byline; nor is text that ends in
            # one (`Text. Scris de ana pe 3 mai 2020`): the body rules split it.
            self.start_with_byline(parse_slot(line), number, offset)
            return
        draft = self.draft = _Draft(line=number, expect_title=True, last_line=number)
        self.error(number, offset + 1, "NP201", "text without a byline before it")
        self.body_line(draft, line, number, offset, heading_next)

    def start_with_byline(self, byline: Byline, number: int, offset: int) -> None:
        """Begin an article at BYLINE, read at column OFFSET of line NUMBER."""
        self.draft = _Draft(
            line=number, byline=byline, byline_line=number, byline_offset=offset, last_line=number
        )

    # -- the body --------------------------------------------------------------------

    def body_line(
        self, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
    ) -> None:
        """Read one non-blank line of an article after its byline.

        The title comes first; then the rule for the line's first character, if any,
        then the rules any line may match; a line no rule takes is paragraph text.
        HEADING_NEXT tells whether the next non-blank line is a heading (never for the
        head of a split line).
        """
        draft.last_line = number
        if draft.expect_title and title_line(draft, line, number):
            return
        rule = _BODY_RULES.get(line[0])
        if rule is not None and rule(self, draft, line, number, offset, heading_next):
            return
        if bare_image_line(self, draft, line, number, offset, heading_next):
            return
        if heading_next and glued_byline(self, draft, line, number, offset, heading_next):
            return
        paragraph_line(draft, line, number)

    def flush_paragraph(self, draft: _Draft) -> None:
        """End the paragraph being read, if any, as one block."""
        if draft.paragraph:
            draft.blocks.append(
                _block("paragraph", " ".join(draft.paragraph), None, None, draft.paragraph_line)
            )
            draft.paragraph = []

    # -- finishing an article --------------------------------------------------------

    def finish(self) -> None:
        """End the article being read, if any: its source, dates, checks and Article."""
        draft = self.draft
        if draft is None:
            return
        self.draft = None
        self.flush_paragraph(draft)
        blocks = draft.blocks
        source, source_url = take_source_link(draft, blocks)
        blocks, joined = rejoin_broken_paragraphs(blocks)
        for line in joined:
            self.warning(line, 1, "NP304", "paragraph broken by the scrape was rejoined")
        published, updated = self.byline_dates(draft)
        title = draft.title
        real = draft.byline is not None or title is not None
        if title is None and draft.byline is not None:
            self.error(draft.byline_line, 1, "NP301", "article has no '## ' title line")
        if title is not None:
            check_title(self, draft, title)
        if real:
            check_complete(self, draft, blocks, source)
        byline = draft.byline
        self.articles.append(
            _article(
                title,
                (byline.author or None) if byline else None,  # author
                published,
                updated,
                (byline.date_text or None) if byline else None,  # published_text
                tuple(blocks),
                source,
                source_url,
                draft.url,
                self.file,
                draft.line,
                draft.last_line,  # end_line
                None,  # title_original
                None,  # paragraphs_original
                None,  # captions_original
            )
        )

    def byline_dates(self, draft: _Draft) -> tuple[DateValue | None, DateValue | None]:
        """Return the publication and update dates of DRAFT's byline, reporting problems."""
        byline = draft.byline
        if byline is None:
            return None, None
        line, offset = draft.byline_line, draft.byline_offset
        if not byline.author:
            self.warning(line, offset + 1, "NP206", "byline has no author")
        published = self.resolve(
            byline.date, line, offset + byline.date_column, byline.date_text, Severity.ERROR
        )
        updated = None
        if byline.updated is not None and byline.updated_text:
            updated = self.resolve(
                byline.updated,
                line,
                offset + byline.updated_column,
                byline.updated_text,
                Severity.WARNING,
            )
        return published, updated

    def resolve(
        self, result: DateResult, line: int, column0: int, text: str, severity: Severity
    ) -> DateValue | None:
        """Turn a date result into the value kept, reporting what is wrong with it."""
        end = column0 + 1 + len(text)
        if result.value is None:
            code = result.code or "NP203"
            message = result.message or f"cannot read the date {text!r}"
            if severity is Severity.WARNING:
                code, message = "NP207", f"cannot read the update date {text!r}"
            self.report(line, column0 + 1, code, severity, message, end_column=end)
            return None
        value, notes = place(result, text, self.options.tz, self.reference)
        for code, note_severity, message in notes:
            if severity is Severity.WARNING and note_severity is Severity.ERROR:
                note_severity = Severity.WARNING  # an update date never fails the article
            self.report(line, column0 + 1, code, note_severity, message, end_column=end)
        return value

    def reference(self) -> Reference:
        """Return the time relative dates are read against (the current time by default)."""
        if self._reference is None:
            options = self.options
            if options.now is not None:
                self._reference = Reference(options.now, options.now_source)
            else:
                self._reference = Reference(dt.datetime.now(dt.timezone.utc), "current time")
        return self._reference


# -- the byline slot ---------------------------------------------------------------------


def _ends_in_byline(line: str) -> bool:
    """Tell whether LINE, no byline itself, is text with a byline glued to its end."""
    for tries, match in enumerate(_GLUED_FRAME.finditer(line, 1)):
        if tries >= _MAX_GLUED_TRIES:
            break
        byline = parse_byline(line[match.start() :])
        if byline is not None and byline.date.value is not None:
            return True
    return False


def byline_before_heading(
    parser: _Parser, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Start the next article at LINE when it is a byline followed by a heading.

    Inside an article a byline counts only there: a sentence that reads like one,
    further down the body, is text.
    """
    if not heading_next or len(line) > MAX_BYLINE:
        return False
    byline = parse_byline(line) if line[0] in _BYLINE_INITIALS else None
    if byline is None or byline.date.value is None:
        if not is_dateline(line):
            return False
        byline = parse_slot(line)
    parser.finish()
    parser.start_with_byline(byline, number, offset)
    return True


def glued_byline(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Split a line whose end is the next article's byline; tell whether it did."""
    # Only the tail can be a byline, so never search (or copy) more of a long line.
    start = max(1, len(line) - MAX_BYLINE)
    # A readable date holds a digit: no frame after the last digit can start a byline,
    # and a tail of frames without digits (`De De De ...`) costs nothing.
    last_digit = -1
    for last_digit_match in _DIGIT.finditer(line, start):
        last_digit = last_digit_match.start()
    tries = 0
    for match in _GLUED_FRAME.finditer(line, start, last_digit):
        cut = match.start()
        if cut == 0:
            continue
        tries += 1
        if tries > _MAX_GLUED_TRIES:
            break
        byline = parse_byline(line[cut:])
        if byline is None or byline.date.value is None:
            continue
        head = line[:cut].rstrip()
        if head:
            parser.body_line(draft, head, number, offset, False)
        parser.report(
            number,
            offset + cut + 1,
            "NP309",
            Severity.INFO,
            "next article's byline starts on the same line; split here",
        )
        parser.finish()
        parser.start_with_byline(byline, number, offset + cut)
        return True
    return False


# -- the title ---------------------------------------------------------------------------


def title_line(draft: _Draft, line: str, number: int) -> bool:
    """Read the first line after the byline as the title when it is `## Title`."""
    draft.expect_title = False
    if line[0] != "#":
        return False
    match = _TITLE.match(line)
    assert match is not None
    title = match.group(2).strip()
    if not title:
        return False
    draft.title, draft.title_line = title, number
    return True


# -- the body line rules -----------------------------------------------------------------
# Each takes (parser, draft, line, number, offset, heading_next), adds what LINE is to
# the draft and returns True, or returns False when LINE is not its kind.


def heading_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read `## Heading` inside the body."""
    match = _HEADING.match(line)
    if match is None:
        return False
    parser.flush_paragraph(draft)
    draft.blocks.append(
        Block("heading", text=match.group(2).strip(), level=len(match.group(1)), line=number)
    )
    return True


def separator_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read `---`, `***` or `___` (spaces allowed between)."""
    if not _SEPARATOR.fullmatch(line):
        return False
    parser.flush_paragraph(draft)
    draft.blocks.append(_block("separator", None, None, None, number))
    return True


def markdown_image_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read `![caption](file "title")`."""
    match = _MD_IMAGE.fullmatch(line)
    if match is None:
        return False
    parser.flush_paragraph(draft)
    draft.blocks.append(_block("image", None, _markdown_image(match), None, number))
    return True


def source_link_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read a lone `[name](href)`: the source link when nothing but the footer follows it."""
    match = _SOURCE_LINK.fullmatch(line)
    if match is None:
        return False
    parser.flush_paragraph(draft)
    draft.links[len(draft.blocks)] = (match.group(1).strip(), match.group(2))
    draft.blocks.append(_block("paragraph", line, None, None, number))
    return True


def footer_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read `ADRESA: <URL>`, end the article, and start any byline glued after it."""
    if not line.startswith(_FOOTER):
        return False
    parser.flush_paragraph(draft)
    value_start = len(_FOOTER)
    value = line[value_start:].lstrip()
    value_column = offset + len(line) - len(value) + 1
    rest, rest_at = "", 0
    if value.startswith("<"):
        close = value.find(">")
        if close >= 0:
            url, rest, rest_at = value[1:close].strip(), value[close + 1 :], close + 1
        else:
            url = value[1:].strip()
    else:
        url = value
        # A URL holds no spaces, so a byline frame inside the value starts the next article.
        for glued in _GLUED_FRAME.finditer(value, 1, MAX_BYLINE + 1):
            if parse_byline(value[glued.start() :]) is not None:
                url, rest, rest_at = value[: glued.start()], value[glued.start() :], glued.start()
                break
    draft.url = url or None
    draft.has_footer = True
    if not url or not _URL.fullmatch(url):
        parser.warning(
            number,
            value_column,
            "NP308",
            f"footer does not hold an http(s) URL: {url!r}",
            end_column=value_column + len(value),
        )
    parser.finish()
    rest_stripped = rest.strip()
    if not rest_stripped:
        return True
    column = value_column - 1 + rest_at + (len(rest) - len(rest.lstrip()))
    byline = parse_byline(rest_stripped)
    if byline is not None:
        parser.report(
            number,
            column + 1,
            "NP309",
            Severity.INFO,
            "next article's byline starts on the same line; split here",
        )
        parser.start_with_byline(byline, number, column)
    else:
        parser.start(rest_stripped, number, column, heading_next)
    return True


def bare_image_line(
    parser: _Parser, draft: _Draft, line: str, number: int, offset: int, heading_next: bool
) -> bool:
    """Read a line that is only an image file name (`media-1 (1).png`)."""
    # Only the tail can hold a suffix, whose dot is 4 or 5 from the end: lower-casing a
    # whole paragraph is wasted work.
    if not (
        len(line) < 260
        and "." in line[-5:-3]
        and line[-5:].lower().endswith(_IMAGE_SUFFIXES)
        and _BARE_IMAGE.fullmatch(line)
    ):
        return False
    parser.flush_paragraph(draft)
    draft.blocks.append(_block("image", None, Image(line), None, number))
    return True


def paragraph_line(draft: _Draft, line: str, number: int) -> None:
    """Add LINE to the paragraph being read (blank lines end paragraphs)."""
    if not draft.paragraph:
        draft.paragraph_line = number
    draft.paragraph.append(line)


_BodyRule = Callable[[_Parser, _Draft, str, int, int, bool], bool]
#: The rule for a body line by its first character; the other lines go straight to
#: the bare image, glued byline and paragraph rules.
_BODY_RULES: dict[str, _BodyRule] = {
    "A": footer_line,
    "#": heading_line,
    "-": separator_line,
    "*": separator_line,
    "_": separator_line,
    "!": markdown_image_line,
    "[": source_link_line,
}


# -- the end of an article ---------------------------------------------------------------


def take_source_link(draft: _Draft, blocks: list[Block]) -> tuple[str | None, str | None]:
    """Remove a last block that is a lone link from BLOCKS; return its name and target."""
    if not blocks or (len(blocks) - 1) not in draft.links:
        return None, None
    source, href = draft.links[len(blocks) - 1]
    blocks.pop()
    return source, href if href not in ("", "#") else None


def check_title(parser: _Parser, draft: _Draft, title: str) -> None:
    """Warn when TITLE repeats a word (`pentru pentru`), a common scrape defect."""
    doubled = _DOUBLED_WORD.search(title)
    if doubled is not None:
        column = parser.lines[draft.title_line - parser.first_line].find(title) + 1
        parser.warning(
            draft.title_line,
            column + doubled.start(),
            "NP305",
            f"title repeats the word {doubled.group(1)!r}",
            end_column=column + doubled.end(),
        )


def check_complete(parser: _Parser, draft: _Draft, blocks: list[Block], source: str | None) -> None:
    """Report an article missing its body, source link or footer, or cut off mid-sentence."""
    if not blocks:
        where = draft.title_line or draft.byline_line
        parser.error(where, 1, "NP302", "article has no body text")
    if source is None:
        parser.warning(draft.last_line, 1, "NP306", "article has no source link")
    if draft.has_footer:
        return
    last = blocks[-1] if blocks else None
    if (
        last is not None
        and last.kind == "paragraph"
        and last.text
        and last.text[-1] not in _CLOSING
    ):
        end_line = draft.last_line
        end_text = parser.lines[end_line - parser.first_line].rstrip()
        parser.error(
            end_line,
            len(end_text) + 1,
            "NP303",
            "input ends mid-sentence: the article looks cut off",
        )
    else:
        parser.warning(draft.last_line, 1, "NP307", "article has no 'ADRESA:' footer")


def _markdown_image(match: re.Match[str]) -> Image:
    caption = match.group(1).strip() or None
    target = match.group(2).strip()
    target = _strip_image_title(target)
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    return Image(target, caption)


def _strip_image_title(target: str) -> str:
    """Drop a Markdown image title (`file.jpg "title"` or `'title'`) from TARGET.

    Done by hand: the regular expression for it backtracks quadratically on a long run
    of spaces (a 20,000-character line took seconds).
    """
    quote = target[-1:]
    if quote not in ('"', "'"):
        return target
    opening = target.rfind(quote, 0, len(target) - 1)
    if opening < 1 or not target[opening - 1].isspace():
        return target
    return target[:opening].rstrip()


def rejoin_broken_paragraphs(blocks: list[Block]) -> tuple[list[Block], list[int]]:
    """Join a paragraph that ends mid-sentence with a next one that starts in lowercase.

    Only adjacent paragraphs are joined, never across a separator, image or heading.
    Return the new blocks and the line of every joined continuation.
    """
    result: list[Block] = []
    joined: list[int] = []
    for block in blocks:
        previous = result[-1] if result else None
        if (
            previous is not None
            and block.kind == "paragraph"
            and previous.kind == "paragraph"
            and previous.text
            and block.text
            and previous.text[-1] not in _CLOSING
            and block.text[0].islower()
        ):
            result[-1] = _block(
                "paragraph", f"{previous.text} {block.text}", None, None, previous.line
            )
            joined.append(block.line)
        else:
            result.append(block)
    return result, joined


def parse_text(
    text: str,
    *,
    file: str | None = None,
    options: ParseOptions | None = None,
    first_line: int = 1,
) -> tuple[list[Article], list[Diagnostic]]:
    """Read every article in TEXT; return them with the problems found."""
    options = options or ParseOptions()
    if not text.strip():
        return [], [
            Diagnostic(file, 1, 1, "NP101", Severity.ERROR, "input is empty or only whitespace")
        ]
    lines = split_lines(text)
    repairs = repair_lines(text, lines, options, file, first_line)  # newsparse.text
    parser = _Parser(lines, file, options, first_line)
    parser.run()
    parser.finish()
    return clean_articles(parser.articles, parser.diagnostics, options, repairs)
