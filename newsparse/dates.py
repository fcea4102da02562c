"""Romanian bylines and dates: `Scris de AUTHOR pe 15 august 2022, 09:13` to aware datetimes.

Most bylines have one shape (`15 august 2022, 09:13`), read by a regular expression in a
few microseconds. Everything else goes to python-dateutil with Romanian month and
weekday names, imported only when first needed: it costs tens of microseconds a call
and a noticeable import.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any
    from zoneinfo import ZoneInfo

__all__ = [
    "MAX_BYLINE",
    "Byline",
    "DateResult",
    "localize",
    "parse_byline",
    "parse_date",
]

# Diacritics folded to ASCII, one character for one so that offsets stay valid.
_FOLD = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")

MONTHS = {
    "ianuarie": 1, "ian": 1,
    "februarie": 2, "feb": 2, "febr": 2,
    "martie": 3, "mar": 3, "mart": 3,
    "aprilie": 4, "apr": 4, "apri": 4,
    "mai": 5,
    "iunie": 6, "iun": 6,
    "iulie": 7, "iul": 7,
    "august": 8, "aug": 8,
    "septembrie": 9, "sep": 9, "sept": 9,
    "octombrie": 10, "oct": 10,
    "noiembrie": 11, "noi": 11, "nov": 11, "noiem": 11,
    "decembrie": 12, "dec": 12,
}
WEEKDAYS = {
    "luni": 0, "lun": 0,
    "marti": 1, "mar": 1,
    "miercuri": 2, "mie": 2, "mi": 2,
    "joi": 3, "jo": 3,
    "vineri": 4, "vin": 4, "vi": 4,
    "sambata": 5, "simbata": 5, "sam": 5, "sa": 5,
    "duminica": 6, "dum": 6, "du": 6,
}
_DATE_INITIALS = frozenset(name[0] for name in (*MONTHS, *WEEKDAYS))
# Words that may stand in a date besides months and weekdays.
_FILLER = {"ora", "orele", "pe", "la", "h"}

# The common shape, on folded lower-case text:
# [weekday[,]] D month[.][,] YYYY [[,]* [-] [ora] H:MM]
_FAST_DATE = re.compile(
    r"(?:(?P<wd>[a-z]{2,9}),?\s+)?"
    r"(?P<d>\d{1,2})\.?\s+(?P<mon>[a-z]{3,10})\.?\s*,*\s*(?P<y>\d{4})"
    r"(?:\s*,*\s*(?:-\s*)?(?:ora\s+|orele\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2}))?"
)
# Numeric dates: D.M.YYYY or D/M/YYYY, optionally followed by a time.
_FAST_NUMERIC = re.compile(
    r"(?:(?P<wd>[a-z]{2,9}),?\s+)?"
    r"(?P<d>\d{1,2})[./](?P<mon>\d{1,2})[./](?P<y>\d{4})"
    r"(?:\s*,*\s*(?:-\s*)?(?:ora\s+|orele\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2}))?"
)
# Two shapes some sites print, read here in what dateutil would give for them (tested so);
# only plausible numbers, so that anything odd still goes to dateutil: `14:56, 31 iul. 2012`
# and `mart. 18, 2025[, 10:20]`.
_FAST_TIME_FIRST = re.compile(
    r"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d),\s*(?P<d>0?[1-9]|[12]\d|3[01])\s+"
    r"(?P<mon>[a-z]{3,10})\.?\s+(?P<y>[12]\d{3})"
)
_FAST_MONTH_FIRST = re.compile(
    r"(?P<mon>[a-z]{3,10})\.?\s+(?P<d>0?[1-9]|[12]\d|3[01]),\s*(?P<y>[12]\d{3})"
    r"(?:,\s*(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d))?"
)
_WORD = re.compile(r"[a-z]+")
# Weekday, month, `ora`, `pe`, `la`, `h`: the most words a date holds besides numbers, and
# day, month, year, hour, minute, second and a fraction: the most numbers.
_MAX_WORDS = 6
_MAX_NUMBERS = 7
# Longer than any date this module reads (`duminica, 31 decembrie 2022, ora 23:59:59`).
_LONGEST_DATE = 60
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class DateResult:
    """A naive local date-time (or date), or the reason there is none."""

    value: dt.datetime | dt.date | None
    code: str | None = None  # NP202, NP203 or NP208 when value is None
    message: str | None = None
    fast: bool = True


_new = object.__new__
_set_value, _set_code, _set_message, _set_fast = (
    getattr(DateResult, name).__set__ for name in ("value", "code", "message", "fast")
)


def _found(value: dt.datetime | dt.date) -> DateResult:
    """Return `DateResult(value)`, built in half the time on the fast path.

    A frozen dataclass sets each field through `object.__setattr__`; the slots'
    own descriptors do the same work without the lookups.
    """
    result: DateResult = _new(DateResult)
    _set_value(result, value)
    _set_code(result, None)
    _set_message(result, None)
    _set_fast(result, True)
    return result


def fold(text: str) -> str:
    """Lower-case TEXT and drop Romanian diacritics (cedilla and comma forms alike)."""
    return text.lower().translate(_FOLD)


def parse_date(text: str) -> DateResult:
    """Read a Romanian date with an optional time, without a time zone."""
    stripped = text.strip()
    # Folding only changes non-ASCII letters; most dates have none.
    folded = stripped.lower() if stripped.isascii() else fold(stripped)
    match = _FAST_DATE.fullmatch(folded)
    if match is not None:
        weekday, day, month_name, year, hour, minute = match.groups()
        month = MONTHS.get(month_name)
        if month is not None and (weekday is None or weekday in WEEKDAYS):
            if hour is None:
                return _build(year, month, day, hour, minute, text)
            # `_build` inlined for the shape most bylines have: a time holds its minutes.
            try:
                value = dt.datetime(int(year), month, int(day), int(hour), int(minute))
            except ValueError:
                return _impossible(text)
            return _found(value)
    else:
        match = _FAST_NUMERIC.fullmatch(folded)
        if match is not None:
            weekday, day, month_text, year, hour, minute = match.groups()
            if weekday is None or weekday in WEEKDAYS:
                return _build(year, int(month_text), day, hour, minute, text)
    match = _FAST_TIME_FIRST.fullmatch(folded) or _FAST_MONTH_FIRST.fullmatch(folded)
    if match is not None:
        month = MONTHS.get(match["mon"])
        if month is not None:
            return _build(match["y"], month, match["d"], match["h"], match["mi"], text)
    return _parse_general(folded, text)


def _build(year: str, month: int, day: str, hour: str | None, minute: str | None,
           original: str) -> DateResult:
    try:
        if hour is None:
            return _found(dt.date(int(year), month, int(day)))
        return _found(dt.datetime(int(year), month, int(day), int(hour), int(minute or 0)))
    except ValueError:
        return _impossible(original)


def _impossible(original: str) -> DateResult:
    return DateResult(None, "NP202", f"impossible date or time: {original.strip()!r}")


# Pure and slow (dateutil), and asked the same text again for every byline frame tried on
# one line; the fast shapes above cost less than a cache look-up.
@lru_cache(maxsize=4096)
def _parse_general(folded: str, original: str) -> DateResult:
    """Read the shapes the fast path does not know, through dateutil."""
    words = _WORD.findall(folded)
    unknown = [w for w in words if w not in MONTHS and w not in WEEKDAYS and w not in _FILLER]
    shown = original.strip()
    numbers = len(_DIGITS.findall(folded))
    # No date has more words or numbers than this; longer text would cost a dateutil call
    # for every word of a byline-like line (hundreds of milliseconds a line).
    if unknown or not numbers or numbers > _MAX_NUMBERS or len(words) > _MAX_WORDS:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    cleaned = _clean_for_dateutil(folded)
    parser = _dateutil_parser()
    try:
        first = parser.parse(cleaned, default=dt.datetime(2000, 1, 1, 0, 0))
        second = parser.parse(cleaned, default=dt.datetime(2004, 2, 2, 1, 1))
    except Exception:
        # dateutil fails on malformed text with ValueError, OverflowError and also
        # decimal.InvalidOperation, TypeError or IndexError: a dump must not crash us.
        return DateResult(None, "NP202", f"impossible date or time: {shown!r}", fast=False)
    if first.year != second.year:
        return DateResult(None, "NP208", f"the date has no year: {shown!r}", fast=False)
    if first.month != second.month or first.day != second.day:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    if first.hour != second.hour or first.minute != second.minute:
        return DateResult(first.date(), fast=False)
    return DateResult(first.replace(second=0, microsecond=0), fast=False)


_CLEAN_STEPS = (
    (re.compile(r"\b(?:ora|orele|h)\b"), " "),
    (re.compile(r"(?<=[a-z])\."), " "),  # "ian." -> "ian"
    (re.compile(r",+"), ", "),
    (re.compile(r"\s+-\s+"), " "),
)


def _clean_for_dateutil(folded: str) -> str:
    for pattern, replacement in _CLEAN_STEPS:
        folded = pattern.sub(replacement, folded)
    return " ".join(folded.split())


# Typed loosely: dateutil's stubs expect fixed-length tuples of aliases.
_DATEUTIL_WEEKDAYS: list[Any] = [
    ("luni", "lun"), ("marti",), ("miercuri", "mie", "mi"), ("joi", "jo"),
    ("vineri", "vin", "vi"), ("sambata", "simbata", "sam", "sa"), ("duminica", "dum", "du"),
]
_DATEUTIL_MONTHS: list[Any] = [
    ("ian", "ianuarie"), ("feb", "febr", "februarie"), ("mar", "mart", "martie"),
    ("apr", "apri", "aprilie"), ("mai",), ("iun", "iunie"), ("iul", "iulie"),
    ("aug", "august"), ("sep", "sept", "septembrie"), ("oct", "octombrie"),
    ("noi", "nov", "noiem", "noiembrie"), ("dec", "decembrie"),
]


@lru_cache(maxsize=1)
def _dateutil_parser() -> Any:
    """Build dateutil's parser with Romanian names (imported on first use only)."""
    from dateutil import parser as du

    class RomanianParserInfo(du.parserinfo):
        """Romanian month and weekday names, folded to ASCII."""

        # dateutil reads these class attributes.
        JUMP = [" ", ".", ",", ";", "-", "/", "'", "pe", "la", "si"]  # noqa: RUF012
        WEEKDAYS = _DATEUTIL_WEEKDAYS
        MONTHS = _DATEUTIL_MONTHS

        def __init__(self) -> None:
            super().__init__(dayfirst=True, yearfirst=False)

    return du.parser(RomanianParserInfo())


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


_UTC = dt.timezone.utc


def localize(value: dt.datetime, tz: str) -> tuple[dt.datetime, str | None]:
    """Attach zone TZ to a local time; say NP204 or NP205 when the time is not unique.

    A time in the spring gap keeps the offset in force before the jump; a time in the
    repeated autumn hour takes the first (summer) occurrence.
    """
    zone = _zone(tz)
    aware = value.replace(tzinfo=zone)
    # Both readings of an ordinary time agree; only a gap or a repeated hour tells them apart.
    if aware.utcoffset() == value.replace(tzinfo=zone, fold=1).utcoffset():
        return aware, None
    back = aware.astimezone(_UTC).astimezone(zone).replace(tzinfo=None)
    if back != value:
        return aware, "NP204"
    return aware, "NP205"


# --- Bylines ---------------------------------------------------------------------------

# `Scris de`, `Publicat de`, `Articol de`, `Articol editat de`: strong frames, any case.
_STRONG_FRAME = re.compile(r"\s*(?:scris|publicat|articol(?:\s+editat)?)\s+de\s+", re.IGNORECASE)
# `De AUTHOR la DATE`: weak, since ordinary sentences start with "De"; the date must read.
_WEAK_FRAME = re.compile(r"\s*De\s+(?=\S)")
_STRONG_FRAME_INSIDE = re.compile(r"\b(?:scris|publicat|articol)\s+de\s", re.IGNORECASE)
# Where an author may end and a date begin.
_SPLIT = re.compile(r"\s*,+\s*|\s+(?:-\s+)?")
_UPDATED = re.compile(r"\s*[/|]\s*actualizat\s*:?\s*", re.IGNORECASE)
# A byline is a short line; anything longer is prose (and never worth a date search).
MAX_BYLINE = 400


@dataclass(frozen=True, slots=True)
class Byline:
    """A byline line taken apart; columns are 0-based offsets into the line."""

    author: str
    date_text: str
    date: DateResult
    date_column: int
    updated_text: str | None = None
    updated: DateResult | None = None
    updated_column: int = 0
    strong: bool = True


_new_byline = object.__new__
(_set_author, _set_date_text, _set_date, _set_date_column, _set_updated_text, _set_updated,
 _set_updated_column, _set_strong) = (
    getattr(Byline, name).__set__ for name in (
        "author", "date_text", "date", "date_column", "updated_text", "updated",
        "updated_column", "strong")
)

# The common author: letters, one space or hyphen between words, then ` pe `, ` la ` or
# `, ` before the date. Lazily: the first such separator ends the author. The date's
# most common shape (`15 august 2022, 09:13`) is read here too, in what parse_date()
# gives for it.
_LETTERS = "A-Za-zăâîșşțţĂÂÎȘŞȚŢ"
_PLAIN_AUTHOR = re.compile(
    rf"([{_LETTERS}]+(?:[ -][{_LETTERS}]+)*?)(?: pe | la |, )"
    r"(?:(\d{1,2}) ([a-z]{3,10}) (\d{4}), (\d{1,2}):(\d{2})\Z)?"
)
# An author word the general split would try as a date (or as `pe`/`la` before one).
_DATE_WORDS = frozenset((*MONTHS, *WEEKDAYS, "pe", "la"))


def parse_byline(line: str) -> Byline | None:
    """Take a byline apart, or return None when LINE is not shaped like one.

    A strong frame (`Scris de`...) gives a Byline even when its date cannot be read,
    so that the caller can report it; a weak frame (`De ... la ...`) needs a good date.
    """
    if len(line) > MAX_BYLINE:
        return None
    match = _STRONG_FRAME.match(line)
    strong = match is not None
    if match is None:
        match = _WEAK_FRAME.match(line)
        if match is None or _DIGITS.search(line, match.end()) is None \
                or _STRONG_FRAME_INSIDE.search(line, match.end()):
            # A weak frame needs a date that reads, and no date reads without a digit:
            # prose such as "De asemenea, ..." most often. And "De acolo ... Scris de ana
            # pe 1 mai 2020" is prose ending in a byline, not a byline by "acolo ... ".
            return None
    start = match.end()
    rest = line[start:]
    updated_text = None
    updated_column = 0
    if "/" in rest or "|" in rest:
        cut = _UPDATED.search(rest)
        if cut is not None:
            updated_text = rest[cut.end():].strip()
            updated_column = start + cut.end()
            rest = rest[: cut.start()]
    found = _split_plain_author(rest) or _split_author_date(rest, strong)
    if found is None:
        return None
    author, date_offset, date = found
    if not strong and date.value is None:
        return None
    # Byline(...) through the slots' own setters, as _found() builds a DateResult.
    byline: Byline = _new_byline(Byline)
    _set_author(byline, author)
    _set_date_text(byline, rest[date_offset:].strip())
    _set_date(byline, date)
    _set_date_column(byline, start + date_offset)
    _set_updated_text(byline, updated_text)
    _set_updated(byline, parse_date(updated_text) if updated_text else None)
    _set_updated_column(byline, updated_column)
    _set_strong(byline, strong)
    return byline


def _split_plain_author(rest: str) -> tuple[str, int, DateResult] | None:
    """Split `Ion Popescu pe DATE` as `_split_author_date` would, or return None.

    Only when no split inside the author can start a date: every split point before the
    separator starts an author word, and none of those words is a month, a weekday, `pe`
    or `la` (the only words `_starts_like_date` takes, letters being no digits). The
    first split the general code tries is then the one after the separator, and its
    answer is taken when the date reads; anything else goes to the general code.
    """
    match = _PLAIN_AUTHOR.match(rest)
    if match is None:
        return None
    author, day, month_name, year, hour, minute = match.groups()
    words = (author.lower() if author.isascii() else fold(author)).replace("-", " ").split()
    if not _DATE_WORDS.isdisjoint(words):
        return None
    offset = match.start(2)
    if offset < 0:
        # Not the common shape: the date starts right after the separator (or the general
        # code finds another split) and parse_date() reads it.
        offset = match.end()
        date_text = rest[offset:]
        if len(date_text) > _LONGEST_DATE or not _starts_like_date(date_text):
            return None
        date = parse_date(date_text)
        if date.value is None:
            return None
        return author, offset, date
    # What parse_date() gives for `D month YYYY, H:MM`: _FAST_DATE reads it with these
    # groups and no weekday.
    month = MONTHS.get(month_name)
    if month is None:
        return None
    try:
        value = dt.datetime(int(year), month, int(day), int(hour), int(minute))
    except ValueError:
        return None
    return author, offset, _found(value)


def _split_author_date(rest: str, strong: bool) -> tuple[str, int, DateResult] | None:
    """Find the leftmost split of REST into author and a readable date."""
    first_failure: tuple[str, int, DateResult] | None = None
    counts: _Counts | None = None
    for offset in _split_points(rest):
        # Long byline-like lines have hundreds of splits: past the first failure, stop
        # when no digit is left, since no date can be read from there on.
        if first_failure is not None or not strong:
            counts = counts or _Counts.of(rest)
            if counts.countable and bisect_left(counts.numbers, offset) == len(counts.numbers):
                break
        date_text = rest[offset:]
        lowered = date_text[:3].lower()
        if lowered in ("pe ", "la "):
            offset += 3
            date_text = rest[offset:]
        if not date_text or not _starts_like_date(date_text):
            continue
        author_end = offset
        author = rest[:author_end].strip().rstrip(",").strip()
        if author.lower().endswith((" pe", " la")) or author.lower() in ("pe", "la"):
            author = author[:-2].strip()
        if len(date_text) > _LONGEST_DATE:
            counts = counts or _Counts.of(rest)
        if counts is not None and counts.too_many(offset):
            # What parse_date() would say, without reading the text again.
            date = DateResult(None, "NP203", f"cannot read the date {date_text.strip()!r}",
                              fast=False)
        else:
            date = parse_date(date_text)
        if date.value is not None:
            return author, offset, date
        if first_failure is None and (strong or not author):
            first_failure = (author, offset, date)
    return first_failure


@dataclass(frozen=True, slots=True)
class _Counts:
    """Where the words and numbers of a byline's rest start (when folding keeps offsets)."""

    countable: bool
    words: list[int]
    numbers: list[int]

    @classmethod
    def of(cls, rest: str) -> _Counts:
        folded = fold(rest)
        if len(folded) != len(rest):
            return cls(False, [], [])
        return cls(True, [m.start() for m in _WORD.finditer(folded)],
                   [m.start() for m in _DIGITS.finditer(folded)])

    def too_many(self, offset: int) -> bool:
        """Tell whether the text from OFFSET holds more words or numbers than a date can."""
        return self.countable and (
            len(self.words) - bisect_left(self.words, offset) > _MAX_WORDS
            or len(self.numbers) - bisect_left(self.numbers, offset) > _MAX_NUMBERS
        )


def _split_points(rest: str) -> Iterator[int]:
    """Yield, left to right, the offsets where an author may end and a date begin.

    Lazily: the first good split usually comes early, and the rest is never searched.
    """
    if rest[:3].lower() in ("pe ", "la "):
        yield 0
    for match in _SPLIT.finditer(rest):
        end = match.end()
        if end > match.start():
            yield end


def _starts_like_date(text: str) -> bool:
    if text[:1].isdigit():
        return True
    if fold(text[:1])[:1] not in _DATE_INITIALS:
        return False  # a name, most often: no month or weekday starts with this letter
    head = fold(text[:12])
    if head[:1].isdigit():
        return True
    word = _WORD.match(head)
    return word is not None and (word.group() in MONTHS or word.group() in WEEKDAYS)
