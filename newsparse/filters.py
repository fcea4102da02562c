"""Select articles by date, author, source or text: the filters every reading command shares."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from .errors import InvalidOption
from .model import Article, PartialDate
from .text.normalize import fold

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = [
    "ArticleFilter",
    "FilterCounts",
    "FilterOptions",
    "filter_articles",
    "parse_day",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterOptions:
    """Which articles to keep; every option left unset keeps every article.

    Names and text are compared by `newsparse.text.normalize.fold`: case, diacritics and
    cedilla or comma-below spellings do not matter. Several authors (or sources) keep an
    article matching any of them.
    """

    #: Keep articles published on this day or later (the day as the byline wrote it).
    since: _dt.date | None = None
    #: Keep articles published on this day or earlier.
    until: _dt.date | None = None
    #: Author names: the whole name, or a pattern where `*` stands for any text.
    authors: tuple[str, ...] = ()
    #: Source names, matched as authors are.
    sources: tuple[str, ...] = ()
    #: Keep articles whose title or body contains this text.
    match: str | None = None

    @property
    def active(self) -> bool:
        """True when any filter is set."""
        return bool(self.since or self.until or self.authors or self.sources or self.match)


@dataclass(slots=True)
class FilterCounts:
    """How many articles the filters saw, kept and dropped."""

    seen: int = 0
    kept: int = 0
    #: Dropped articles, the undated ones (with --since or --until) included.
    dropped: int = 0
    #: Articles dropped because they have no date while --since or --until is given.
    undated: int = 0

    def merge(self, other: FilterCounts) -> None:
        """Add OTHER's counts to these."""
        self.seen += other.seen
        self.kept += other.kept
        self.dropped += other.dropped
        self.undated += other.undated

    def to_dict(self) -> dict[str, int]:
        """Return the counts as a JSON object."""
        return {
            "seen": self.seen,
            "kept": self.kept,
            "dropped": self.dropped,
            "undated": self.undated,
        }

    def describe(self) -> str:
        """Return `N dropped by the filters (M without a date)`, for summaries."""
        text = f"{self.dropped:,} of {self.seen:,} articles dropped by the filters"
        if self.undated:
            text += f" ({self.undated:,} without a date)"
        return text


def parse_day(text: str, *, option: str = "date") -> _dt.date:
    """Return the day an ISO date `YYYY-MM-DD` names; raise InvalidOption otherwise."""
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidOption(f"{option}: {text!r} is not an ISO date like 2022-08-15") from error


def _name_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Return a test of a folded name against PATTERNS (exact, or with `*` wildcards)."""
    exact = set()
    wild = []
    for pattern in patterns:
        folded = fold(pattern)
        if "*" in folded:
            parts = (re.escape(part) for part in folded.split("*"))
            wild.append(".*".join(parts))
        else:
            exact.add(folded)
    regex = re.compile("|".join(f"(?:{w})" for w in wild), re.DOTALL) if wild else None

    def matches(folded_name: str) -> bool:
        if folded_name in exact:
            return True
        return regex is not None and regex.fullmatch(folded_name) is not None

    return matches


def _day(value: _dt.date) -> _dt.date:
    """Return the calendar day of VALUE as written (a date-time keeps its own offset)."""
    return value.date() if isinstance(value, _dt.datetime) else value


@dataclass
class ArticleFilter:
    """FilterOptions made ready to test articles; counts what it saw in `counts`."""

    options: FilterOptions
    counts: FilterCounts = field(default_factory=FilterCounts)

    def __post_init__(self) -> None:
        options = self.options
        if options.since and options.until and options.since > options.until:
            raise InvalidOption(f"--since {options.since} is after --until {options.until}")
        self._authors = _name_matcher(options.authors) if options.authors else None
        self._sources = _name_matcher(options.sources) if options.sources else None
        self._match = fold(options.match) if options.match else None
        self._dated = options.since is not None or options.until is not None

    def keep(self, article: Article) -> bool:
        """Tell whether ARTICLE passes every filter, and count it."""
        self.counts.seen += 1
        if not self.options.active:
            self.counts.kept += 1
            return True
        verdict = self._test(article)
        if verdict:
            self.counts.kept += 1
        else:
            self.counts.dropped += 1
        return verdict

    def _test(self, article: Article) -> bool:
        options = self.options
        if self._dated:
            if article.published is None or isinstance(article.published, PartialDate):
                self.counts.undated += 1  # a month or a year alone is not placed in a range
                return False
            day = _day(article.published)
            if options.since is not None and day < options.since:
                return False
            if options.until is not None and day > options.until:
                return False
        if self._authors is not None and (
            article.author is None or not self._authors(fold(article.author))
        ):
            return False
        if self._sources is not None and (
            article.source is None or not self._sources(fold(article.source))
        ):
            return False
        if self._match is not None:
            if article.title and self._match in fold(article.title):
                return True
            return self._match in fold(" ".join(_body_texts(article)))
        return True

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Yield the ARTICLES that pass."""
        for article in articles:
            if self.keep(article):
                yield article


def _body_texts(article: Article) -> Iterator[str]:
    """Yield the texts of the body: paragraphs and headings, in order."""
    for block in article.blocks:
        if block.text is not None and block.kind in ("paragraph", "heading"):
            yield block.text


def filter_articles(
    articles: Iterable[Article],
    options: FilterOptions | None = None,
    *,
    counts: FilterCounts | None = None,
) -> Iterator[Article]:
    """Yield the ARTICLES that pass OPTIONS, lazily; COUNTS, if given, is updated as they go.

    Raise InvalidOption (at once) for options that cannot select anything sensible,
    such as --since after --until.
    """
    selector = ArticleFilter(
        options or FilterOptions(), counts if counts is not None else FilterCounts()
    )
    return selector(articles)
