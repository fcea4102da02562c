"""Hypothesis strategies for articles: any text for the exporters, dump-shaped text for the dump."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from hypothesis import strategies as st

from newsparse.dates import is_dateline, localize, parse_byline
from newsparse.model import DEFAULT_TIMEZONE, Article, Block, Image, PartialDate

# Pieces that break naive writers: quotes, separators, Markdown and YAML syntax, formula
# starters, CSV delimiters, line breaks, Romanian letters in both forms and non-Latin text.
TRICKY = (
    '"',
    "'",
    ",",
    ";",
    ":",
    ": ",
    "---",
    "***",
    "#",
    "## ",
    "=cmd|' /C calc'!A0",
    "=1+2",
    "+",
    "-",
    "-1",
    "@SUM(A1)",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\n\n",
    "|",
    "`",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&amp;",
    "&",
    "!",
    "\\",
    "{",
    "}",
    "%",
    "...",
    "1.",
    "1)",
    "> ",
    "- ",
    "ăâîșțĂÂÎȘȚ",
    "şţ",
    "„citat”",
    "«»",
    "–",
    "Москва",
    "東京",
    "😀",
    "null",
    "true",
    "~",
    "'=",
    "''+",
    "title: x",
    " ",
    "\u00a0",
    "\u2003",
    "\ufeff",
    "\x85",
)
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
_CHUNK = st.sampled_from(TRICKY) | st.text(_PRINTABLE, min_size=1, max_size=8)

#: Text full of tricky pieces, newlines included (the exporters must carry it all).
any_text = st.lists(_CHUNK, min_size=1, max_size=8).map("".join)
maybe_text = st.none() | any_text

_TZ = DEFAULT_TIMEZONE


@st.composite
def timestamps(draw: st.DrawFn) -> dt.date:
    """A byline's value: an aware minute-precision datetime in Bucharest, or a date."""
    naive = draw(
        st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2037, 12, 31))
    )
    # fold=0: a dump names a repeated autumn hour once, and it reads back as the first
    # (NP205); the second cannot be written.
    naive = naive.replace(second=0, microsecond=0, fold=0)
    if draw(st.booleans()):
        return naive.date()
    return localize(naive, _TZ)[0]


#: A byline that gave only a month or a year (`mai 2011`, `anul trecut`).
partial_dates = st.builds(PartialDate, st.integers(1000, 2999), st.none() | st.integers(1, 12))

_FILE_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="%:"
)


@st.composite
def images(
    draw: st.DrawFn,
    files: st.SearchStrategy[str] | None = None,
    captions: st.SearchStrategy[str | None] | None = None,
) -> Block:
    # The parser strips file names, so none has whitespace at its edges.
    file = draw(
        files
        if files is not None
        else st.text(_FILE_CHARS, min_size=1, max_size=20).map(str.strip).filter(bool)
    )
    caption = draw(captions if captions is not None else maybe_text)
    return Block("image", image=Image(file, caption))


def _blocks(
    paragraphs: st.SearchStrategy[str],
    headings: st.SearchStrategy[str],
    image_blocks: st.SearchStrategy[Block],
) -> st.SearchStrategy[tuple[Block, ...]]:
    block = st.one_of(
        paragraphs.map(lambda text: Block("paragraph", text=text)),
        paragraphs.map(lambda text: Block("paragraph", text=text)),
        image_blocks,
        st.just(Block("separator")),
        st.builds(
            lambda level, text: Block("heading", text=text, level=level),
            st.integers(1, 6),
            headings,
        ),
    )
    return st.lists(block, max_size=6).map(tuple)


#: Any article: every text field may hold anything printable, line breaks included.
articles = st.builds(
    Article,
    title=maybe_text,
    author=maybe_text,
    published=st.none() | timestamps() | partial_dates,
    updated=st.none() | timestamps(),
    published_text=maybe_text,
    blocks=_blocks(any_text, any_text, images()),
    source=maybe_text,
    source_url=maybe_text,
    url=maybe_text,
    file=maybe_text,
    line=st.integers(1, 10**6),
)

# --- Articles the dump layout can hold ----------------------------------------------------
#
# The dump is a line-oriented layout read by a tolerant parser, so some articles cannot
# be written in it. Generated dump articles keep to what the layout can express:
# - every article has a byline date (no byline, no article start) and a title;
# - text fields are one line, without leading or trailing whitespace;
# - a paragraph does not look like a line the layout reserves: a heading or title (`#`),
#   a separator (`---`, `***`, `___`), an image (`![..](..)` or a name ending in an image
#   extension), a source link (`[name](href)`), an `ADRESA:` footer, or a byline
#   (`Scris de ... pe DATE`, also glued at the end of the line);
# - a paragraph that ends without closing punctuation is never followed by one that
#   starts in lowercase: the parser rejoins those as a paragraph broken by the scrape;
# - an author is one to three words of letters that are not Romanian date words
#   (months, weekdays, `pe`, `la`, `ora`...), so the byline splits where it was joined;
# - captions and source names hold no `]`; source links no parentheses or spaces, and
#   not `#` (which means "no link"); URLs no `>`; empty captions do not exist (`![](x)`
#   reads as no caption).

_LINE = st.text(_PRINTABLE, min_size=1, max_size=12) | st.sampled_from(
    [t for t in TRICKY if "\n" not in t and "\r" not in t]
)
# The parser drops byte-order marks (past the start, one is where `cat` appended a dump
# saved with one), so no generated line holds one.
one_line = (
    st.lists(_LINE, min_size=1, max_size=6)
    .map("".join)
    .map(lambda text: text.replace("\ufeff", "").strip())
    .filter(bool)
)

_SEPARATOR = re.compile(r"(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(.*\)")
_SOURCE_LINK = re.compile(r"\[[^\]]+\]\([^()\s]*\)")
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
_FRAME = re.compile(r"(?:Scris|Publicat|Articol|De) ")
_CLOSING = ".!?…:;\"”»'’)]"


def reads_as_paragraph(text: str) -> bool:
    """Tell whether the dump parser would read TEXT, alone on its line, as a paragraph."""
    if text.startswith(("#", "ADRESA:")) or text.lower().endswith(_IMAGE_SUFFIXES):
        return False
    if _SEPARATOR.fullmatch(text) or _MD_IMAGE.fullmatch(text) or _SOURCE_LINK.fullmatch(text):
        return False
    if parse_byline(text) is not None:
        return False
    return all(parse_byline(text[m.start() :]) is None for m in _FRAME.finditer(text))


def no_broken_paragraphs(blocks: tuple[Block, ...]) -> bool:
    """Tell whether no two adjacent paragraphs look like one sentence split in two.

    Nor is a paragraph just before a heading a dateline (`ACUM`, `3 mai 2020`): the
    parser reads such a line as the next article's byline.
    """
    for before, after in itertools.pairwise(blocks):
        if before.kind == after.kind == "paragraph":
            assert before.text and after.text
            if before.text[-1] not in _CLOSING and after.text[0].islower():
                return False
        if before.kind == "paragraph" and after.kind == "heading":
            assert before.text
            if is_dateline(before.text):
                return False
    return True


_DATE_WORDS = {
    "ianuarie",
    "ian",
    "februarie",
    "feb",
    "febr",
    "martie",
    "mar",
    "mart",
    "aprilie",
    "apr",
    "apri",
    "mai",
    "iunie",
    "iun",
    "iulie",
    "iul",
    "august",
    "aug",
    "septembrie",
    "sep",
    "sept",
    "octombrie",
    "oct",
    "noiembrie",
    "noi",
    "nov",
    "noiem",
    "decembrie",
    "dec",
    "luni",
    "lun",
    "marti",
    "miercuri",
    "mie",
    "mi",
    "joi",
    "jo",
    "vineri",
    "vin",
    "vi",
    "sambata",
    "simbata",
    "sam",
    "sa",
    "duminica",
    "dum",
    "du",
    "ora",
    "orele",
    "pe",
    "la",
    "h",
    "de",
    "actualizat",
}
_FOLD = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")
_WORD = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzăâîșțABCDEFGHIJKLMNOPRSTUVZĂÂÎȘȚ"),
    min_size=1,
    max_size=10,
).filter(lambda w: w.lower().translate(_FOLD) not in _DATE_WORDS)
authors = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)

_paragraph = one_line.filter(reads_as_paragraph)
_bare_file = st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9_.-]{0,12}( \([0-9]{1,2}\))?\.(png|jpg|gif)", fullmatch=True
)
_no_bracket = one_line.filter(lambda text: "]" not in text)
_dump_image = images(files=_bare_file | one_line, captions=st.none() | _no_bracket)
_href = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Z"), blacklist_characters="()"),
    min_size=1,
    max_size=20,
).filter(lambda href: href != "#")

dump_articles = (
    st.builds(
        Article,
        title=one_line,
        author=st.none() | authors,
        published=timestamps(),
        updated=st.none() | timestamps(),
        blocks=_blocks(_paragraph, one_line, _dump_image).filter(no_broken_paragraphs),
        source=st.none() | _no_bracket,
        source_url=st.none() | _href,
        url=st.none() | one_line.filter(lambda text: ">" not in text),
    )
    .filter(lambda article: article.source is not None or article.source_url is None)
    .filter(
        # A title line just before a heading that reads as a dateline (`## 1/1`) is read as the
        # next article's byline, as any such line before a heading is.
        lambda article: (
            not (
                article.blocks
                and article.blocks[0].kind == "heading"
                and article.title is not None
                and is_dateline(f"## {article.title}")
            )
        )
    )
)
