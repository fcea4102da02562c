"""Figures about a corpus of dumps, gathered in one streaming pass with flat memory."""

from __future__ import annotations

import datetime as _dt
import sys
from collections import Counter
from dataclasses import dataclass, field

from .cpus import default_jobs
from .filters import ArticleFilter, FilterCounts, FilterOptions
from .model import Article, Diagnostic, ParseOptions, ParseResult, PartialDate, Severity
from .text.normalize import fold

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from concurrent.futures import Future
    from typing import Any

    from .dedupe import DedupeOptions, DuplicateFinder, Fingerprint

    #: What `Stats.add_figures` counts of one article: its date, source, author, and
    #: numbers of paragraphs, words and images (small and picklable, for workers).
    ArticleFigures = tuple[Any, str | None, str | None, int, int, int]
    #: An article a worker read, for the parent to keep or leave out as a copy: its
    #: fingerprint, place, figures, whether it has errors, and its diagnostics' codes.
    FoundArticle = tuple[
        Fingerprint, str | None, int, ArticleFigures, bool, tuple[tuple[str, str], ...]
    ]

__all__ = [
    "Histogram",
    "NameCounter",
    "Stats",
    "StatsOptions",
    "collect_stats",
    "default_jobs",
    "month_range",
    "split_diagnostics",
]

#: How many sources and authors `Stats.to_dict()` lists unless told otherwise.
DEFAULT_TOP = 10
#: Files a worker process reads per batch.
_BATCH_FILES = 64


@dataclass(slots=True)
class Histogram:
    """Exact counts of small whole numbers: quantiles without keeping every value."""

    counts: dict[int, int] = field(default_factory=dict)

    def add(self, value: int) -> None:
        """Count one VALUE."""
        self.counts[value] = self.counts.get(value, 0) + 1

    def merge(self, other: Histogram) -> None:
        """Add OTHER's counts to these."""
        for value, count in other.counts.items():
            self.counts[value] = self.counts.get(value, 0) + count

    @property
    def total(self) -> int:
        """How many values were counted."""
        return sum(self.counts.values())

    def quantile(self, q: float) -> int | None:
        """Return the nearest-rank Q-quantile (0 < Q <= 1): the smallest value with at least
        a Q share of the values at or below it; None when nothing was counted."""
        total = self.total
        if not total:
            return None
        rank = max(1, -(-int(q * total * 1_000_000) // 1_000_000))  # ceil, without float noise
        seen = 0
        for value in sorted(self.counts):
            seen += self.counts[value]
            if seen >= rank:
                return value
        return max(self.counts)  # pragma: no cover - the ranks add up to total

    def summary(self) -> dict[str, int | None]:
        """Return median, p90, max and the sum of the values."""
        return {
            "median": self.quantile(0.5),
            "p90": self.quantile(0.9),
            "max": max(self.counts) if self.counts else None,
            "total": sum(value * count for value, count in self.counts.items()),
        }


@dataclass(slots=True)
class NameCounter:
    """Counts of names that fold to one key (`Agerpres` and `AGERPRES` are one source).

    Each name is shown as it was first spelled.
    """

    counts: Counter[str] = field(default_factory=Counter)
    spellings: dict[str, str] = field(default_factory=dict)
    #: Articles that have no name at all.
    missing: int = 0

    def add(self, name: str | None) -> None:
        """Count NAME once (None or blank counts as missing)."""
        if name is None or not name.strip():
            self.missing += 1
            return
        key = fold(name)
        self.counts[key] += 1
        self.spellings.setdefault(key, name)

    def merge(self, other: NameCounter) -> None:
        """Add OTHER's counts to these (names first spelled here keep their spelling)."""
        self.counts.update(other.counts)
        for key, name in other.spellings.items():
            self.spellings.setdefault(key, name)
        self.missing += other.missing

    def top(self, n: int) -> list[tuple[str, int]]:
        """Return the N most frequent names with their counts, ties by name."""
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return [(self.spellings[key], count) for key, count in ranked[:n]]


def _wall_time(value: _dt.date) -> _dt.datetime:
    """Return VALUE as the naive local time the byline wrote (a day starts at midnight)."""
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    return _dt.datetime.combine(value, _dt.time())


def _count_words(text: str) -> int:
    """Return `len(text.split())`, three times faster: no list is made for the usual text."""
    # Printable text holds no whitespace but the ASCII space (str.isprintable); with no
    # doubled, leading or trailing space, every space then parts two words.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.count(" ") + 1 if text else 0
    return len(text.split())


def _day(value: _dt.date) -> _dt.date:
    return value.date() if isinstance(value, _dt.datetime) else value


def article_figures(article: Article) -> ArticleFigures:
    """Return what `Stats.add_figures` counts of ARTICLE."""
    paragraphs = 0
    words = 0
    images = 0
    for block in article.blocks:
        if block.kind == "paragraph" and block.text is not None:
            paragraphs += 1
            words += _count_words(block.text)
        elif block.kind == "image" and block.image is not None:
            images += 1
    return article.published, article.source, article.author, paragraphs, words, images


def split_diagnostics(
    articles: Sequence[Article], diagnostics: Sequence[Diagnostic]
) -> tuple[list[list[Diagnostic]], list[Diagnostic]]:
    """Give each article the diagnostics from its first line up to the next article's.

    ARTICLES are those of one input in order. Return the diagnostics of each article
    and those before the first article (or of an input without articles).
    """
    per_article: list[list[Diagnostic]] = [[] for _ in articles]
    outside: list[Diagnostic] = []
    if not diagnostics:
        return per_article, outside
    from bisect import bisect_right

    starts = [article.line for article in articles]
    for diagnostic in diagnostics:
        index = bisect_right(starts, diagnostic.line) - 1
        if index < 0:
            outside.append(diagnostic)
        else:
            per_article[index].append(diagnostic)
    return per_article, outside


@dataclass(slots=True)
class Stats:
    """The running figures of a corpus; `add` one parse result, `merge` another Stats."""

    files: int = 0
    #: Inputs with at least one error (unreadable ones included), whatever the filters.
    files_with_errors: int = 0
    articles: int = 0
    articles_with_errors: int = 0
    filters: FilterCounts = field(default_factory=FilterCounts)
    first: _dt.date | None = None
    last: _dt.date | None = None
    #: The wall times of `first` and `last`, compared with each new date.
    first_key: _dt.datetime | None = None
    last_key: _dt.datetime | None = None
    undated: int = 0
    months: Counter[str] = field(default_factory=Counter)
    sources: NameCounter = field(default_factory=NameCounter)
    authors: NameCounter = field(default_factory=NameCounter)
    words: Histogram = field(default_factory=Histogram)
    paragraphs: Histogram = field(default_factory=Histogram)
    images: int = 0
    articles_with_images: int = 0
    diagnostics: Counter[str] = field(default_factory=Counter)
    severities: dict[str, str] = field(default_factory=dict)
    #: With --dedupe: what decides, in input order, which articles copy earlier ones (the
    #: copies are left out of every figure but the NP501/NP502 count).
    finder: DuplicateFinder | None = None

    def add_file(self) -> None:
        """Count one input."""
        self.files += 1

    def add(
        self, result: ParseResult, selector: ArticleFilter | None = None, *, new_file: bool = True
    ) -> None:
        """Add the articles RESULT holds that SELECTOR keeps, and their diagnostics.

        Diagnostics of articles the filters drop are left out; those outside every
        article are always counted. NEW_FILE is false for the pieces of a stream (the
        caller counts the stream as one input).
        """
        finder = self.finder
        for article, found in self.selected(result, selector, new_file=new_file):
            if finder is not None:  # among the articles selected: a copy in range is kept
                match = finder.check(article)
                if match is not None:
                    self._count_copy(match.kind)
                    continue
            self.add_article(article)
            if any(d.severity is Severity.ERROR for d in found):
                self.articles_with_errors += 1
            self._count_diagnostics(found)

    def selected(
        self, result: ParseResult, selector: ArticleFilter | None = None, *, new_file: bool = True
    ) -> Iterator[tuple[Article, list[Diagnostic]]]:
        """Count RESULT's input; yield the articles SELECTOR keeps, with their diagnostics.

        The input itself, and the diagnostics outside every article, are counted here;
        the articles are left to the caller (`add` counts them).
        """
        if new_file:
            self.files += 1
            if result.has_errors:
                self.files_with_errors += 1
        per_article, outside = split_diagnostics(result.articles, result.diagnostics)
        self._count_diagnostics(outside)
        selecting = selector is not None and selector.options.active
        for article, found in zip(result.articles, per_article, strict=True):
            if selecting and not selector.keep(article):  # type: ignore[union-attr]
                continue
            yield article, found

    def add_found(self, found: Iterable[FoundArticle]) -> None:
        """Add, in input order, the articles a worker read: those FINDER keeps count."""
        finder = self.finder
        for print_, file, line, figures, has_error, codes in found:
            if finder is not None:
                match = finder.add(print_, file, line)
                if match is not None:
                    self._count_copy(match.kind)
                    continue
            self.add_figures(figures)
            self.articles_with_errors += has_error
            for code, severity in codes:
                self.diagnostics[code] += 1
                self.severities.setdefault(code, severity)

    def _count_copy(self, kind: str) -> None:
        """Count the warning a later copy gets (its other diagnostics are left out)."""
        code = "NP501" if kind == "exact" else "NP502"
        self.diagnostics[code] += 1
        self.severities.setdefault(code, Severity.WARNING.value)

    def _count_diagnostics(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.diagnostics[diagnostic.code] += 1
            self.severities.setdefault(diagnostic.code, diagnostic.severity.value)

    def add_article(self, article: Article) -> None:
        """Count one article's date, names, words, paragraphs and images."""
        self.add_figures(article_figures(article))

    def add_figures(self, figures: ArticleFigures) -> None:
        """Count one article given by its `article_figures`."""
        published, source, author, paragraphs, words, images = figures
        self.articles += 1
        if published is None or isinstance(published, PartialDate):  # no day to place
            self.undated += 1
        else:
            self._extend_range(published)
            day = _day(published)
            self.months[f"{day.year:04d}-{day.month:02d}"] += 1
        self.sources.add(source)
        self.authors.add(author)
        self.paragraphs.add(paragraphs)
        self.words.add(words)
        self.images += images
        if images:
            self.articles_with_images += 1

    def _extend_range(self, value: _dt.date) -> None:
        key = _wall_time(value)
        if self.first_key is None or key < self.first_key:
            self.first, self.first_key = value, key
        if self.last_key is None or key > self.last_key:
            self.last, self.last_key = value, key

    def merge(self, other: Stats) -> None:
        """Add OTHER's figures to these (OTHER covers inputs read after these)."""
        self.files += other.files
        self.files_with_errors += other.files_with_errors
        self.articles += other.articles
        self.articles_with_errors += other.articles_with_errors
        self.filters.merge(other.filters)
        for value in (other.first, other.last):
            if value is not None:
                self._extend_range(value)
        self.undated += other.undated
        self.months.update(other.months)
        self.sources.merge(other.sources)
        self.authors.merge(other.authors)
        self.words.merge(other.words)
        self.paragraphs.merge(other.paragraphs)
        self.images += other.images
        self.articles_with_images += other.articles_with_images
        self.diagnostics.update(other.diagnostics)
        for code, severity in other.severities.items():
            self.severities.setdefault(code, severity)

    def monthly(self) -> list[tuple[str, int]]:
        """Return (`YYYY-MM`, articles) for each month from the first to the last, empty too."""
        if not self.months:
            return []
        return [
            (month, self.months.get(month, 0))
            for month in month_range(min(self.months), max(self.months))
        ]

    def to_dict(self, *, top: int = DEFAULT_TOP, filtered: bool = False) -> dict[str, Any]:
        """Return the figures as the JSON object `newsparse stats --format json` writes.

        The keys are documented in docs/show-stats.md. FILTERED adds the filter counts.
        """

        def named(counter: NameCounter) -> list[dict[str, Any]]:
            return [{"name": name, "articles": count} for name, count in counter.top(top)]

        return {
            "files": self.files,
            "files_with_errors": self.files_with_errors,
            "articles": self.articles,
            "articles_with_errors": self.articles_with_errors,
            "filters": self.filters.to_dict() if filtered else None,
            "dates": {
                "first": self.first.isoformat() if self.first is not None else None,
                "last": self.last.isoformat() if self.last is not None else None,
                "undated": self.undated,
            },
            "months": dict(self.monthly()),
            "sources": named(self.sources),
            "distinct_sources": len(self.sources.counts),
            "without_source": self.sources.missing,
            "authors": named(self.authors),
            "distinct_authors": len(self.authors.counts),
            "without_author": self.authors.missing,
            "words": self.words.summary(),
            "paragraphs": self.paragraphs.summary(),
            "images": {"total": self.images, "articles_with_images": self.articles_with_images},
            "diagnostics": {
                code: {"count": count, "severity": self.severities.get(code)}
                for code, count in sorted(self.diagnostics.items())
            },
            "duplicates": self.duplicates(),
        }

    def duplicates(self) -> dict[str, Any] | None:
        """Return what --dedupe found (None without it): the counts and every cluster.

        A cluster is an article kept and its later copies, in input order.
        """
        if self.finder is None:
            return None
        summary = self.finder.summary()
        return {
            "mode": summary["mode"],
            "threshold": summary["threshold"],
            "kept": summary["kept"],
            "left_out": summary["exact"] + summary["near"],
            "exact": summary["exact"],
            "near": summary["near"],
            "cluster_count": summary["clusters"],
            "clusters": [cluster.to_dict() for cluster in self.finder.clusters()],
        }


def month_range(first: str, last: str) -> list[str]:
    """Return every `YYYY-MM` from FIRST to LAST, both included."""
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True, slots=True, kw_only=True)
class StatsOptions:
    """How to gather the figures; passed by keyword."""

    parse: ParseOptions = field(default_factory=ParseOptions)
    filters: FilterOptions = field(default_factory=FilterOptions)
    #: File pattern used inside directories.
    pattern: str = "*.txt"
    #: Worker processes; 1 reads every input in this process.
    jobs: int = 1
    #: Leave out later copies of an article (`--dedupe`); None counts every article.
    dedupe: DedupeOptions | None = None


def _stats_of_files(paths: list[str], options: StatsOptions) -> Stats | _FoundBatch:
    """Read and count PATHS (in a worker process)."""
    if options.dedupe is not None:
        return _found_in_files(paths, options)
    stats = Stats()
    selector = ArticleFilter(options.filters, stats.filters)
    for path in paths:
        _count_path(stats, path, options, selector)
    return stats


@dataclass(slots=True)
class _FoundBatch:
    """What a worker read with --dedupe: figures of the files, and the articles selected.

    Whether an article is counted is decided in the parent, in input order.
    """

    stats: Stats
    found: list[FoundArticle]


def _found_in_files(paths: list[str], options: StatsOptions) -> _FoundBatch:
    """Read PATHS; count what belongs to the files, fingerprint each article selected."""
    stats = Stats()
    selector = ArticleFilter(options.filters, stats.filters)
    found, add = _finder_of_articles(stats, options)
    for path in paths:
        _count_path(stats, path, options, selector, add=add)
    return _FoundBatch(stats, found)


def _finder_of_articles(
    stats: Stats, options: StatsOptions
) -> tuple[list[FoundArticle], Callable[..., None]]:
    """Return a list, and a function that fills it as `stats.add` would count the articles.

    The function counts the input in STATS and appends each article selected, with its
    fingerprint, figures and diagnostics, for the parent to keep or leave out.
    """
    from .dedupe import article_fingerprint

    near = options.dedupe is not None and options.dedupe.mode == "near"
    found: list[FoundArticle] = []

    def add(result: ParseResult, selector: ArticleFilter, *, new_file: bool = True) -> None:
        for article, diagnostics in stats.selected(result, selector, new_file=new_file):
            found.append(
                (
                    article_fingerprint(article, near=near),
                    article.file,
                    article.line,
                    article_figures(article),
                    any(d.severity is Severity.ERROR for d in diagnostics),
                    tuple((d.code, d.severity.value) for d in diagnostics),
                )
            )

    return found, add


def _count_path(
    stats: Stats,
    path: str,
    options: StatsOptions,
    selector: ArticleFilter,
    *,
    add: Callable[[ParseResult, ArticleFilter], None] | None = None,
) -> None:
    """Parse the file at PATH into STATS; a parser bug becomes an NP108 error, not an exception.

    A plain dump is one input; a compressed file is one, an archive one per member. Each
    parse result goes to ADD (by default `stats.add`).
    """
    from .archives import parse_path

    add = add or stats.add
    try:
        for _, result in parse_path(path, options.parse, pattern=options.pattern):
            add(result, selector)
    except Exception as error:  # a parser bug must not stop the run
        stats.add(
            ParseResult(
                diagnostics=[
                    Diagnostic(
                        path,
                        1,
                        1,
                        "NP108",
                        Severity.ERROR,
                        f"internal error while parsing: {error!r}",
                    )
                ]
            ),
            selector,
        )


def _stats_of_stream(options: StatsOptions) -> Stats | _FoundBatch:
    """Read and count standard input, in pieces (with --dedupe, keep its articles)."""
    from .archives import parse_standard_input

    stats = Stats()
    selector = ArticleFilter(options.filters, stats.filters)
    found: list[FoundArticle] | None = None
    add: Callable[..., None] = stats.add
    if options.dedupe is not None:
        found, add = _finder_of_articles(stats, options)
    failed = False
    for piece in parse_standard_input(
        None if sys.stdin is None else sys.stdin.buffer, options.parse, pattern=options.pattern
    ):
        add(piece, selector, new_file=False)
        failed = failed or piece.has_errors
    stats.files += 1
    stats.files_with_errors += failed
    return stats if found is None else _FoundBatch(stats, found)


def collect_stats(
    inputs: Sequence[str],
    options: StatsOptions | None = None,
    *,
    progress: Callable[[Stats], None] | None = None,
) -> Stats:
    """Read every dump INPUTS name (files, directories, `-` for stdin) and count them.

    One pass: each input is parsed, counted and let go, so memory does not grow with
    the corpus. With OPTIONS.jobs > 1 files are parsed by worker processes, in
    batches. PROGRESS is called with the running figures as inputs are counted.
    Raise InvalidOption for options that cannot work.
    """
    from .api import check_options
    from .reading import discover

    options = options or StatsOptions()
    check_options(options.parse)
    ArticleFilter(options.filters)  # options that cannot work fail before any reading
    total = Stats(finder=options.dedupe.finder() if options.dedupe is not None else None)
    report = progress or (lambda stats: None)

    def merge(part: Stats | _FoundBatch) -> None:
        if isinstance(part, Stats):
            total.merge(part)
        else:  # the parent decides, in input order, which articles are copies
            total.merge(part.stats)
            total.add_found(part.found)

    def unreadable(path: str, message: str) -> Stats:
        stats = Stats()
        stats.add(
            ParseResult(diagnostics=[Diagnostic(path, 1, 1, "NP108", Severity.ERROR, message)])
        )
        return stats

    def batches() -> Iterator[list[str] | Stats | _FoundBatch]:
        batch: list[str] = []
        for entry in discover(list(inputs), pattern=options.pattern):
            if entry.error is not None or entry.path == "-":
                if batch:
                    yield batch
                    batch = []
                yield (
                    unreadable(entry.path, entry.error)
                    if entry.error is not None
                    else _stats_of_stream(options)
                )
                continue
            batch.append(entry.path)
            if len(batch) >= (_BATCH_FILES if options.jobs > 1 else 1):
                yield batch
                batch = []
        if batch:
            yield batch

    if options.jobs <= 1:
        selector = ArticleFilter(options.filters, total.filters)
        for item in batches():
            if isinstance(item, list):
                for path in item:
                    _count_path(total, path, options, selector)
            else:
                merge(item)
            report(total)
        return total
    for part in _in_pool(batches(), options):
        merge(part)
        report(total)
    return total


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _in_pool(
    items: Iterator[list[str] | Stats | _FoundBatch], options: StatsOptions
) -> Iterator[Stats | _FoundBatch]:
    """Count the batches of ITEMS on worker processes; yield the figures in input order.

    At most two batches per worker are in flight, so memory stays flat.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(_start_method())
    executor = ProcessPoolExecutor(options.jobs, mp_context=context, initializer=_ignore_interrupts)
    pending: deque[Future[Stats | _FoundBatch] | Stats | _FoundBatch] = deque()
    finished = False
    try:
        for item in items:
            if isinstance(item, list):
                pending.append(executor.submit(_stats_of_files, item, options))
            else:
                pending.append(item)
            while len(pending) > 2 * options.jobs:
                yield _done(pending.popleft())
        while pending:
            yield _done(pending.popleft())
        finished = True
    finally:
        executor.shutdown(wait=finished, cancel_futures=not finished)


def _start_method() -> str:
    """Fork while this process has one thread (quickest); else a clean fork server."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _done(item: Future[Stats | _FoundBatch] | Stats | _FoundBatch) -> Stats | _FoundBatch:
    return item if isinstance(item, (Stats, _FoundBatch)) else item.result()
