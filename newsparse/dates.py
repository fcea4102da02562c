"""Romanian bylines and dates: `Scris de AUTHOR pe 15 august 2022, 09:13` to aware datetimes.

Most bylines have one shape (`15 august 2022, 09:13`), read by a few string operations
in a microsecond or two; its neighbours by a regular expression in a few. Everything else
goes to python-dateutil with Romanian month and weekday names, imported only when first
needed: it costs tens of microseconds a call and a noticeable import.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from .model import PartialDate, Severity
from .patterns import compile_lazily

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any, ClassVar
    from zoneinfo import ZoneInfo

__all__ = [
    "MAX_BYLINE",
    "Byline",
    "DateResult",
    "DateValue",
    "Reference",
    "RelativeDate",
    "localize",
    "parse_byline",
    "parse_date",
    "place",
]

# Diacritics folded to ASCII, one character for one so that offsets stay valid.
_FOLD = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")

MONTHS = {
    # English names too: some Romanian sites print them (`3 June 2023`, `Oct 2, 2023`).
    "january": 1,
    "jan": 1,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "february": 2,
    "ianuarie": 1,
    "ian": 1,
    "februarie": 2,
    "feb": 2,
    "febr": 2,
    "martie": 3,
    "mar": 3,
    "mart": 3,
    "aprilie": 4,
    "apr": 4,
    "apri": 4,
    "mai": 5,
    "iunie": 6,
    "iun": 6,
    "iulie": 7,
    "iul": 7,
    "august": 8,
    "aug": 8,
    "septembrie": 9,
    "sep": 9,
    "sept": 9,
    "octombrie": 10,
    "oct": 10,
    "noiembrie": 11,
    "noi": 11,
    "nov": 11,
    "noiem": 11,
    "decembrie": 12,
    "dec": 12,
}
WEEKDAYS = {
    "luni": 0,
    "lun": 0,
    "marti": 1,
    "mar": 1,
    "miercuri": 2,
    "mie": 2,
    "mi": 2,
    "joi": 3,
    "jo": 3,
    "vineri": 4,
    "vin": 4,
    "vi": 4,
    "sambata": 5,
    "simbata": 5,
    "sam": 5,
    "sa": 5,
    "duminica": 6,
    "dum": 6,
    "du": 6,
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
# Words that start a relative date (`acum 2 ore`, `azi, 10:30`, `saptamana trecuta`).
RELATIVE_STARTS = frozenset(
    (
        "acum",
        "in",
        "azi",
        "astazi",
        "ieri",
        "alaltaieri",
        "alalta",
        "saptamana",
        "luna",
        "anul",
        "lunea",
        "martea",
        "miercurea",
        "joia",
        "vinerea",
        "chiar",
        "today",
        "yesterday",
        "last",
    )
)
_DATE_INITIALS = frozenset(name[0] for name in (*MONTHS, *WEEKDAYS, *RELATIVE_STARTS))
# Words that may stand in a date besides months and weekdays.
_FILLER = {"ora", "orele", "pe", "la", "h"}

# The shape most bylines have, `15 august 2022, 09:13` or `luni, 15 aug 2022, 9:13`, is
# read without a regular expression (`_read_common`): month names (and weekdays) to what
# `_FAST_DATE` would take for them, the month as two ISO digits.
_COMMON_MONTHS = {
    name: f"{month:02d}"
    for name, month in MONTHS.items()
    if 2 < len(name) < 11 and name.isascii() and name.isalpha() and name.islower()
}
_COMMON_WEEKDAYS = frozenset(
    name
    for name in WEEKDAYS
    if 1 < len(name) < 10 and name.isascii() and name.isalpha() and name.islower()
)

# The common shape, on folded lower-case text:
# [weekday[,]] D month[.][,] YYYY [[,]* [-] [ora] H:MM]
_FAST_DATE = compile_lazily(
    r"(?:(?P<wd>[a-z]{2,9}),?\s+)?"
    r"(?P<d>\d{1,2})\.?\s+(?P<mon>[a-z]{3,10})\.?\s*,*\s*(?P<y>\d{4})"
    r"(?:\s*,*\s*(?:-\s*)?(?:ora\s+|orele\s+)?(?P<h>\d{1,2})[:.](?P<mi>\d{2}))?"
)
# Numeric dates: D.M.YYYY or D/M/YYYY, optionally followed by a time.
_FAST_NUMERIC = compile_lazily(
    r"(?:(?P<wd>[a-z]{2,9}),?\s+)?"
    r"(?P<d>\d{1,2})[./](?P<mon>\d{1,2})[./](?P<y>\d{4})"
    r"(?:\s*,*\s*(?:-\s*)?(?:ora\s+|orele\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2}))?"
)
# Two shapes some sites print, read here in what dateutil would give for them (tested so);
# only plausible numbers, so that anything odd still goes to dateutil: `14:56, 31 iul. 2012`
# and `mart. 18, 2025[, 10:20]`.
_FAST_TIME_FIRST = compile_lazily(
    r"(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d),\s*(?P<d>0?[1-9]|[12]\d|3[01])\s+"
    r"(?P<mon>[a-z]{3,10})\.?\s+(?P<y>[12]\d{3})"
)
_FAST_MONTH_FIRST = compile_lazily(
    r"(?P<mon>[a-z]{3,10})\.?\s+(?P<d>0?[1-9]|[12]\d|3[01]),\s*(?P<y>[12]\d{3})"
    r"(?:,\s*(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d))?"
)
_WORD = compile_lazily(r"[a-z]+")
# Weekday, month, `ora`, `pe`, `la`, `h`: the most words a date holds besides numbers, and
# day, month, year, hour, minute, second, a fraction and an offset's hours and minutes:
# the most numbers.
_MAX_WORDS = 6
_MAX_NUMBERS = 9
# Longer than any date this module reads (`duminica, 31 decembrie 2022, ora 23:59:59`).
_LONGEST_DATE = 60
_DIGITS = compile_lazily(r"\d+")


#: What `published` may hold once read: a date-time (naive when local, aware when the
#: text stated its offset), a date, or a partial date.
DateValue = dt.datetime | dt.date | PartialDate


class _Value:
    """Compare, hash and show a class by its `__slots__` (in field order), as a dataclass would.

    Plain classes with slots cost less to create at import than dataclasses, a measurable
    share of a quick run's start-up.
    """

    #: The field names, in order: each class's `__slots__` (which a class compiled by
    #: mypyc does not keep as an attribute).
    _FIELDS: ClassVar[tuple[str, ...]] = ()
    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[object, ...]:
        """Return the values of the fields, in order."""
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Value) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{self.__class__.__qualname__}({shown})"


class RelativeDate(_Value):
    """A date that needs a reference time to be placed: `acum 2 ore`, `ieri`, `15 mai`.

    KIND is `ago` (AMOUNT units before the reference), `day` (AMOUNT days back, at TIME
    if given), `weekday` (the last WEEKDAY not after the reference; with AMOUNT 1 the last
    one before the reference's day), `last` (the week,
    month or year before the reference's), `no_year` (DAY and MONTH in the latest year
    that puts them not after the reference) or `century` (a two-digit YEAR read as the
    latest year not after the reference's year).
    """

    # In field order, which `_Value` follows (hence unsorted).
    _FIELDS = ("kind", "amount", "unit", "time", "weekday", "year", "month", "day", "offset")
    __slots__ = _FIELDS

    def __init__(
        self,
        kind: str,
        amount: int = 0,
        unit: str = "",
        time: tuple[int, int, int] | None = None,
        weekday: int = 0,
        year: int = 0,
        month: int = 0,
        day: int = 0,
        offset: dt.timezone | None = None,
    ) -> None:
        self.kind = kind
        self.amount = amount
        self.unit = unit
        self.time = time
        self.weekday = weekday
        self.year = year
        self.month = month
        self.day = day
        self.offset = offset

    def resolve(self, now: dt.datetime) -> DateValue | None:
        """Place this date against NOW, an aware time in the byline's zone.

        Return None when the result falls outside the calendar (`acum 9999 ani`).
        """
        try:
            return self._resolve(now)
        except (ValueError, OverflowError):
            return None

    def _resolve(self, now: dt.datetime) -> DateValue:
        if self.offset is not None:
            now = now.astimezone(self.offset)
        now = now.replace(microsecond=0)
        today = now.date()
        kind = self.kind
        if kind == "ago":
            unit, amount = self.unit, self.amount
            if unit in _CLOCK_UNITS:
                # In UTC: wall-clock arithmetic would be an hour off across a clock change.
                back = now.astimezone(_UTC) - dt.timedelta(seconds=amount * _CLOCK_UNITS[unit])
                return back.astimezone(now.tzinfo)
            if unit == "days":
                return today - dt.timedelta(days=amount)
            if unit == "weeks":
                return today - dt.timedelta(weeks=amount)
            if unit == "months":
                return _months_before(today, amount)
            return _months_before(today, 12 * amount)
        if kind == "day":
            day = today - dt.timedelta(days=self.amount)
            return self._at(day, now)
        if kind == "weekday":
            day = today - dt.timedelta(days=(today.weekday() - self.weekday) % 7)
            if self.amount and day == today:  # `joia trecuta` said on a Thursday
                day -= dt.timedelta(days=7)
            value = self._at(day, now)
            if _after(value, now):
                return self._at(day - dt.timedelta(days=7), now)
            return value
        if kind == "last":
            if self.unit == "weeks":
                return today - dt.timedelta(weeks=1)
            if self.unit == "months":
                previous = today.replace(day=1) - dt.timedelta(days=1)
                return PartialDate(previous.year, previous.month)
            return PartialDate(today.year - 1)
        if kind == "no_year":
            year = today.year
            for _ in range(9):  # 29 February: back to the last leap year
                try:
                    value = self._at(dt.date(year, self.month, self.day), now)
                except ValueError:
                    year -= 1
                    continue
                if _after(value, now):
                    year -= 1
                    continue
                return value
            raise ValueError("no such day")
        # century: the latest year not after the reference's year.
        century = now.year // 100 * 100
        if self.year > now.year % 100:
            century -= 100
        return self._at(dt.date(century + self.year, self.month, self.day), now)

    def _at(self, day: dt.date, now: dt.datetime) -> dt.date | dt.datetime:
        if self.time is None:
            return day
        hour, minute, second = self.time
        value = dt.datetime(day.year, day.month, day.day, hour, minute, second)
        # Local (naive) unless the text stated an offset: the caller attaches the zone.
        return value if self.offset is None else value.replace(tzinfo=self.offset)


_CLOCK_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600}


def _after(value: DateValue, now: dt.datetime) -> bool:
    """Tell whether VALUE lies after NOW (a local time given naive is read in NOW's zone)."""
    if isinstance(value, PartialDate):
        return (value.year, value.month or 1) > (now.year, now.month if value.month else 1)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value > now.replace(tzinfo=None)
        return value > now
    return value > now.date()


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        if day.day <= last:
            try:
                return dt.date(year, month, min(day.day, last))
            except ValueError:
                continue
    return dt.date(year, month, 28)  # pragma: no cover - every month has 28 days


class DateResult(_Value):
    """A date read from text, or the reason there is none.

    VALUE is a naive local date-time, an aware one (the text stated its offset), a
    date, a PartialDate, or a RelativeDate to place against a reference time. With a
    value, CODE and MESSAGE are a warning to report (NP210 for a two-digit year);
    without one, they say why (NP202, NP203 or NP208).
    """

    _FIELDS = ("value", "code", "message", "fast")  # in field order
    __slots__ = _FIELDS

    def __init__(
        self,
        value: DateValue | RelativeDate | None,
        code: str | None = None,
        message: str | None = None,
        fast: bool = True,
    ) -> None:
        self.value = value
        self.code = code
        self.message = message
        self.fast = fast


def _found(value: dt.datetime | dt.date) -> DateResult:
    """Return `DateResult(value)`: a date the fast path read.

    A plain class with slots: its own `__init__` is the quickest way to build one, in
    pure Python (about half the time of setting each slot through its descriptor) as in
    the compiled build.
    """
    return DateResult(value)


def fold(text: str) -> str:
    """Lower-case TEXT and drop Romanian diacritics (cedilla and comma forms alike)."""
    if text.isascii():
        return text.lower()  # translating costs a table look-up per character
    return text.lower().translate(_FOLD)


def _fold_aligned(text: str) -> str:
    """Fold TEXT as `fold` does, but keep each character whose lower case is longer.

    `İ` lower-cases to two characters: the offsets of the folded text are TEXT's again.
    """
    kept = []
    for character in text:
        lower = character.lower()
        kept.append(lower if len(lower) == 1 else character)
    return "".join(kept).translate(_FOLD)


def parse_date(text: str, *, dateutil: bool = True) -> DateResult:
    """Read a Romanian date with an optional time, without a time zone.

    Without DATEUTIL, text that only python-dateutil would read gives no value.
    """
    hour: str | None
    minute: str | None
    stripped = text.strip()
    # Folding only changes non-ASCII letters; most dates have none.
    if stripped.isascii():
        folded = stripped.lower()
        common = _read_common(folded, text)
        if common is not None:
            return common
    else:
        folded = fold(stripped)
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
    return _parse_general(folded, text, dateutil)


def _read_common(folded: str, original: str) -> DateResult | None:
    """Read `[weekday, ]D month YYYY, H:MM` in FOLDED, ASCII text; None for any other shape.

    What `_FAST_DATE` gives for the same text, in a third of the time: a few string
    operations, and `fromisoformat`, which costs half what the constructor's keyword
    parsing does. Anything it is unsure of (two spaces, an hour past 23) is left to it.
    """
    parts = folded.split(" ")
    if len(parts) == 5:
        weekday = parts[0]
        if weekday[-1:] != "," or weekday[:-1] not in _COMMON_WEEKDAYS:
            return None
        del parts[0]
    elif len(parts) != 4:
        return None
    day, name, year, clock = parts
    month = _COMMON_MONTHS.get(name)
    size = len(clock)
    if (
        month is None
        or not 0 < len(day) < 3
        or len(year) != 5
        or year[4] != ","
        or not 3 < size < 6
        or clock[size - 3] != ":"
    ):
        return None
    year = year[:4]
    hour = clock[: size - 3]
    minute = clock[size - 2 :]
    if not (day.isdigit() and year.isdigit() and hour.isdigit() and minute.isdigit()):
        return None
    if size == 4:
        hour = "0" + hour
    elif hour > "23":
        return None
    if len(day) == 1:
        day = "0" + day
    try:
        value = _from_iso(year + "-" + month + "-" + day + "T" + hour + ":" + minute)
    except ValueError:  # 31 June, 10:61
        return _impossible(original)
    return _found(value)


_from_iso = dt.datetime.fromisoformat


def _build(
    year: str, month: int, day: str, hour: str | None, minute: str | None, original: str
) -> DateResult:
    try:
        if hour is None:
            return _found(dt.date(int(year), month, int(day)))
        return _found(dt.datetime(int(year), month, int(day), int(hour), int(minute or 0)))
    except ValueError:
        return _impossible(original)


def _impossible(original: str) -> DateResult:
    return DateResult(None, "NP202", f"impossible date or time: {original.strip()!r}")


# --- Shapes beyond the fast path ------------------------------------------------------

_UNITS = {
    "secunda": "seconds",
    "secunde": "seconds",
    "sec": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "minut": "minutes",
    "minute": "minutes",
    "min": "minutes",
    "minutes": "minutes",
    "m": "minutes",
    "ora": "hours",
    "ore": "hours",
    "h": "hours",
    "hour": "hours",
    "hours": "hours",
    "zi": "days",
    "zile": "days",
    "day": "days",
    "days": "days",
    "saptamana": "weeks",
    "saptamani": "weeks",
    "sapt": "weeks",
    "week": "weeks",
    "weeks": "weeks",
    "luna": "months",
    "luni": "months",
    "month": "months",
    "months": "months",
    "an": "years",
    "ani": "years",
    "year": "years",
    "years": "years",
}
#: `acum cateva minute`: how many `cateva` ("a few") is taken to mean.
A_FEW = 3
_AMOUNT = r"(?:(?P<n>\d{1,5})|(?P<one>o|un|una|a|an|one)|(?P<few>cateva|citeva))"
_RELATIVE = (
    compile_lazily(
        rf"(?:chiar\s+)?acum\s+{_AMOUNT}\s*(?:de\s+)?(?P<unit>[a-z]+)\.?"
        r"(?:\s+in\s+urma)?"
    ),
    compile_lazily(rf"{_AMOUNT}\s*(?:de\s+)?(?P<unit>[a-z]+)\.?\s+(?:in\s+urma|ago)"),
    compile_lazily(rf"in\s+urma\s+cu\s+{_AMOUNT}\s*(?:de\s+)?(?P<unit>[a-z]+)\.?"),
)
_NOW_WORDS = compile_lazily(r"(?:chiar\s+)?acum|just\s+now|now")
_DAY_WORDS = {
    "azi": 0,
    "astazi": 0,
    "today": 0,
    "ieri": 1,
    "yesterday": 1,
    "alaltaieri": 2,
    "alalta ieri": 2,
    "alalta-ieri": 2,
}
_DAY_PHRASE = compile_lazily(
    r"(?P<day>azi|astazi|today|ieri|yesterday|alalta[- ]?ieri)\b\s*(?P<rest>.*)"
)
_LAST_PHRASE = compile_lazily(
    r"(?:(?P<ro>saptamana|luna|anul)\s+trecut[a]?|last\s+(?P<en>week|month|year))"
)
_ARTICLED_WEEKDAYS = {
    "lunea": 0,
    "martea": 1,
    "miercurea": 2,
    "joia": 3,
    "vinerea": 4,
    "sambata": 5,
    "duminica": 6,
}
_LAST_WEEKDAY = compile_lazily(
    r"(?P<day>lunea|martea|miercurea|joia|vinerea|sambata|duminica)\s+trecuta\b\s*(?P<rest>.*)"
)
_LAST_UNITS = {
    "saptamana": "weeks",
    "luna": "months",
    "anul": "years",
    "week": "weeks",
    "month": "months",
    "year": "years",
}

# Zones printed in bylines, by abbreviation (offsets in minutes).
ZONE_NAMES = {
    "z": 0,
    "utc": 0,
    "gmt": 0,
    "ut": 0,
    "wet": 0,
    "west": 60,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "est": -300,
    "edt": -240,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
}
# Words that may stand in a date and say nothing: `la ora 10`, `pe 5 mai`, `at 10:00`.
_SKIP_WORDS = frozenset(
    ("la", "ora", "orele", "pe", "h", "de", "si", "in", "data", "at", "on", "the", "of", "ziua")
)
_HOUR_WORDS = frozenset(("ora", "orele"))
_SHAPE_TOKEN = compile_lazily(
    r"\s*(?:"
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"(?:[t ](?P<isotime>\d{2}:\d{2}(?::\d{2})?)(?:(?<=:\d\d:\d\d)[.,]\d+)?)?"
    r"|(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:(?<=:\d\d:\d\d)[.,]\d+)?(?:\s*(?P<ampm>am|pm)\b)?"
    r"|(?P<hour>\d{1,2})\s*(?P<hampm>am|pm)\b"
    r"|(?P<offset>[+-]\d{2}:?\d{2}|[+-]\d{1,2})(?!\d)"
    r"|(?P<numdate>\d{1,2})[./-](?P<nummonth>\d{1,2})[./-](?P<numyear>\d{4}|\d{2})(?!\d)\.?"
    r"|(?P<ymonth>\d{1,2})[./-](?P<yyear>\d{4})(?!\d)"
    r"|(?P<dmday>\d{1,2})[-/](?P<dmmonth>\d{1,2})(?![\d./-])"
    r"|(?P<dot>\d{1,2})\.(?P<dotmin>\d{2})(?![\d./-])"
    r"|(?P<number>\d{1,4})(?:st|nd|rd|th)?\.?(?![\d:])"
    r"|(?P<word>[a-z]+)\.?"
    r"|\((?P<paren>[a-z]{1,5})\)"
    r"|(?P<sep>[,;/\u2013\u2014-]+)"  # `|`, `·`, `•` end a date: what follows is not of it
    r")"
)
_AMPM = compile_lazily(r"\b([ap])\.\s?m\.?(?![a-z])")


def _offset(minutes: int) -> dt.timezone:
    return _UTC if minutes == 0 else dt.timezone(dt.timedelta(minutes=minutes))


def _read_relative(text: str) -> RelativeDate | None:
    """Read `acum 2 ore`, `ieri, 18:45`, `saptamana trecuta`; None for anything else."""
    for pattern in _RELATIVE:
        match = pattern.fullmatch(text)
        if match is not None:
            unit = _UNITS.get(match["unit"])
            if unit is None:
                return None
            amount = int(match["n"]) if match["n"] else 1 if match["one"] else A_FEW
            return RelativeDate("ago", amount=amount, unit=unit)
    if _NOW_WORDS.fullmatch(text):
        return RelativeDate("ago", amount=0, unit="seconds")
    match = _LAST_PHRASE.fullmatch(text)
    if match is not None:
        return RelativeDate("last", unit=_LAST_UNITS[match["ro"] or match["en"]])
    match = _LAST_WEEKDAY.fullmatch(text)
    if match is not None:  # `joia trecuta`: before today, even on a Thursday
        ok, time, zone = _time_only(match["rest"])
        if not ok:
            return None
        return RelativeDate(
            "weekday", amount=1, weekday=_ARTICLED_WEEKDAYS[match["day"]], time=time, offset=zone
        )
    match = _DAY_PHRASE.fullmatch(text)
    if match is not None:
        back = _DAY_WORDS[match["day"].replace("-", " ")]
        ok, time, zone = _time_only(match["rest"])
        if not ok:
            return None
        return RelativeDate("day", amount=back, time=time, offset=zone)
    return None


def _time_only(rest: str) -> tuple[bool, tuple[int, int, int] | None, dt.timezone | None]:
    """Read REST after `ieri` as a time: (whether it is one or nothing, time, offset)."""
    rest = rest.strip(" ,-")
    if not rest:
        return True, None, None
    parts = _read_parts(rest)
    if parts is None or parts.time is None or parts.has_date or parts.weekday is not None:
        return False, None, None
    return True, parts.time, parts.zone


class _Parts:
    """The pieces of a date as read, before they are checked and put together.

    A plain class, not a dataclass: it is created at import, and never compared or shown.
    """

    __slots__ = (
        "ampm",
        "day",
        "hour",
        "minute",
        "month",
        "numbers",
        "numeric_zone",
        "second",
        "two_digit_year",
        "weekday",
        "year",
        "zone",
    )

    def __init__(self) -> None:
        self.weekday: int | None = None
        self.day: int | None = None
        self.month: int | None = None
        self.year: int | None = None
        self.two_digit_year = False
        self.hour: int | None = None
        self.minute = 0
        self.second = 0
        self.ampm: str | None = None
        self.zone: dt.timezone | None = None
        self.numeric_zone = False
        #: (value, digits, after month) of each number read.
        self.numbers: list[tuple[int, int, bool]] = []

    @property
    def has_date(self) -> bool:
        return (
            self.day is not None
            or self.month is not None
            or self.year is not None
            or bool(self.numbers)
        )

    @property
    def time(self) -> tuple[int, int, int] | None:
        return None if self.hour is None else (self.hour, self.minute, self.second)


def _read_parts(text: str) -> _Parts | None:
    """Split folded TEXT into date pieces; None when a piece is not part of a date."""
    parts = _Parts()
    position, end = 0, len(text)
    after_hour_word = False
    dot_time: tuple[int, int] | None = None
    while position < end:
        match = _SHAPE_TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip() == "":
                break
            return None
        position = match.end()
        hour_word, after_hour_word = after_hour_word, False
        if match["iso"] is not None:
            year, month, day = (int(x) for x in match["iso"].split("-"))
            if parts.has_date:
                return None
            parts.year, parts.month, parts.day = year, month, day
            if match["isotime"] is not None and not _set_time(parts, match["isotime"], None):
                return None
        elif match["time"] is not None:
            if not _set_time(parts, match["time"], match["ampm"]):
                return None
        elif match["hour"] is not None:
            if parts.hour is not None:
                return None
            parts.hour, parts.ampm = int(match["hour"]), match["hampm"]
        elif match["offset"] is not None:
            # A bare sign and number is an offset only after a time or GMT/UTC.
            raw = match["offset"]
            if (parts.hour is None and parts.zone is None) or parts.numeric_zone:
                return None
            sign = -1 if raw[0] == "-" else 1
            digits = raw[1:].replace(":", "")
            hours, minutes = (
                (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
            )
            if hours > 14 or minutes > 59:
                return None
            parts.zone = _offset(sign * (hours * 60 + minutes))
            parts.numeric_zone = True
        elif match["numdate"] is not None:
            if parts.has_date:
                return None
            parts.day, parts.month = int(match["numdate"]), int(match["nummonth"])
            year_text = match["numyear"]
            parts.year = int(year_text)
            parts.two_digit_year = len(year_text) == 2
        elif match["ymonth"] is not None:
            if parts.has_date:
                return None
            parts.month, parts.year = int(match["ymonth"]), int(match["yyear"])
        elif match["dmday"] is not None:
            if parts.has_date:
                return None
            parts.day, parts.month = int(match["dmday"]), int(match["dmmonth"])
        elif match["dot"] is not None:
            if dot_time is not None:
                return None
            dot_time = (int(match["dot"]), int(match["dotmin"]))
        elif match["number"] is not None:
            value = match["number"]
            if hour_word and parts.hour is None and len(value) <= 2:
                parts.hour = int(value)
                continue
            parts.numbers.append((int(value), len(value), parts.month is not None))
        elif match["word"] is not None:
            word = match["word"]
            if word in ("am", "pm"):
                if parts.hour is None or parts.ampm is not None:
                    return None
                parts.ampm = word
            elif word in MONTHS and (word not in WEEKDAYS or _month_here(parts, text, position)):
                if parts.month is not None:
                    return None
                parts.month = MONTHS[word]
            elif word in WEEKDAYS:
                if parts.weekday is not None:
                    return None
                parts.weekday = WEEKDAYS[word]
            elif word in ZONE_NAMES:
                if parts.zone is not None:
                    return None
                parts.zone = _offset(ZONE_NAMES[word])
            elif word in _SKIP_WORDS:
                after_hour_word = word in _HOUR_WORDS or (hour_word and word == "la")
            else:
                return None
        elif match["paren"] is not None:
            name = match["paren"]
            if name not in ZONE_NAMES:
                return None
            if not parts.numeric_zone:  # a numeric offset beats the name beside it
                if parts.zone is not None:
                    return None
                parts.zone = _offset(ZONE_NAMES[name])
    if dot_time is not None:
        # `15 august 2022, 09.13`: a time once a date is there; alone it is ambiguous.
        if parts.hour is not None or not parts.has_date:
            return None
        parts.hour, parts.minute = dot_time
    return parts


def _month_here(parts: _Parts, text: str, position: int) -> bool:
    """Tell whether `mar` (Tuesday or March) at POSITION is the month."""
    if parts.month is not None:
        return False
    following = text[position:].lstrip()
    if following.startswith(","):
        return bool(parts.numbers)  # `mar, 3 mai 2020` is Tuesday; `3 mar, 2021` March
    return True


def _set_time(parts: _Parts, text: str, ampm: str | None) -> bool:
    if parts.hour is not None:
        return False
    pieces = [int(x) for x in text.split(":")]
    parts.hour, parts.minute = pieces[0], pieces[1]
    parts.second = pieces[2] if len(pieces) > 2 else 0
    parts.ampm = ampm
    return True


def _read_shapes(folded: str, original: str) -> DateResult | None:
    """Read what the fast path does not; None when the text has no date shape known here."""
    text = " ".join(_AMPM.sub(r"\1m", folded).split())
    shown = original.strip()
    relative = _read_relative(text)
    if relative is not None:
        return DateResult(relative, fast=False)
    parts = _read_parts(text)
    if parts is None:
        return None
    # Bare numbers: with a month word, the day and the year; without, day month year.
    numbers = parts.numbers
    if not numbers:
        pass
    elif parts.month is None and parts.day is None:
        if len(numbers) == 3 and numbers[2][1] == 4:
            parts.day, parts.month, parts.year = (n[0] for n in numbers)
        elif (
            len(numbers) == 1
            and numbers[0][1] == 4
            and parts.weekday is None
            and parts.hour is None
        ):
            parts.year = numbers[0][0]
        else:
            return None
    elif parts.month is not None and parts.day is None and parts.year is None:
        for value, digits, after_month in numbers:
            if digits == 4 and parts.year is None:
                parts.year = value
            elif digits <= 2 and parts.day is None and value <= 31:
                parts.day = value
            elif digits == 2 and after_month and parts.year is None:
                parts.year, parts.two_digit_year = value, True
            else:
                return None
    else:
        return None
    return _assemble(parts, shown)


def _assemble(parts: _Parts, shown: str) -> DateResult:
    """Check the pieces and put them together as a value, relative or not."""
    impossible = DateResult(None, "NP202", f"impossible date or time: {shown!r}", fast=False)
    if parts.hour is not None:
        if parts.ampm is not None and 1 <= parts.hour <= 12:
            # `12:30 am` is just after midnight; `15:00 pm` is read as written.
            parts.hour = parts.hour % 12 + (12 if parts.ampm == "pm" else 0)
        if parts.hour > 23 or parts.minute > 59 or parts.second > 59:
            return impossible
    zone = parts.zone
    if parts.month is not None and not 1 <= parts.month <= 12:
        return impossible
    if parts.day is not None and not 1 <= parts.day <= 31:
        return impossible
    if parts.year is None:
        if parts.month is None:
            if parts.day is not None:
                return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
            if parts.weekday is not None:
                return DateResult(
                    RelativeDate("weekday", weekday=parts.weekday, time=parts.time, offset=zone),
                    fast=False,
                )
            # A time alone (`10:00`) is not read as today: in a byline it is most often
            # the tail of a date that did not read.
            return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
        if parts.day is None:
            return DateResult(
                None, "NP208", f"the date has neither a day nor a year: {shown!r}", fast=False
            )
        try:
            dt.date(2000, parts.month, parts.day)  # a leap year: 29 February is a day
        except ValueError:
            return impossible
        return DateResult(
            RelativeDate("no_year", month=parts.month, day=parts.day, time=parts.time, offset=zone),
            fast=False,
        )
    if parts.day is None:
        if parts.hour is not None or parts.weekday is not None:
            return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
        if not 1000 <= parts.year <= 2999:
            return impossible
        return DateResult(PartialDate(parts.year, parts.month), fast=False)
    assert parts.month is not None
    if parts.two_digit_year:
        try:
            dt.date(2000 + parts.year, parts.month, parts.day)
            dt.date(1900 + parts.year, parts.month, parts.day)
        except ValueError:
            # 29 February in a two-digit year: one of the two centuries may have it.
            if not _leap_in_either(parts.year, parts.month, parts.day):
                return impossible
        return DateResult(
            RelativeDate(
                "century",
                year=parts.year,
                month=parts.month,
                day=parts.day,
                time=parts.time,
                offset=zone,
            ),
            "NP210",
            f"two-digit year in {shown!r}",
            fast=False,
        )
    try:
        if parts.hour is None:
            return DateResult(dt.date(parts.year, parts.month, parts.day), fast=False)
        value = dt.datetime(
            parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, tzinfo=zone
        )
    except ValueError:
        return impossible
    return DateResult(value, fast=False)


def _leap_in_either(year: int, month: int, day: int) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


# Pure and slow, and asked the same text again for every byline frame tried on one line;
# the fast shapes above cost less than a cache look-up.
@lru_cache(maxsize=4096)
def _parse_general(folded: str, original: str, dateutil: bool = True) -> DateResult:
    """Read the shapes the fast path does not know, then through dateutil (if DATEUTIL)."""
    words = _WORD.findall(folded)
    shown = original.strip()
    numbers = len(_DIGITS.findall(folded))
    # No date has more words or numbers than this; longer text would cost a dateutil call
    # for every word of a byline-like line (hundreds of milliseconds a line).
    if numbers > _MAX_NUMBERS or len(words) > _MAX_WORDS:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    shaped = _read_shapes(folded, original)
    if shaped is not None:
        return shaped
    unknown = [w for w in words if w not in MONTHS and w not in WEEKDAYS and w not in _FILLER]
    if unknown or not numbers:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    cleaned = _clean_for_dateutil(folded)
    if _impossible_clock(cleaned):
        return DateResult(None, "NP202", f"impossible date or time: {shown!r}", fast=False)
    if not dateutil:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    parser = _dateutil_parser()
    try:
        first = parser.parse(cleaned, default=dt.datetime(2000, 1, 1, 0, 0))
        second = parser.parse(cleaned, default=dt.datetime(2004, 2, 2, 1, 1))
    except Exception:
        # dateutil fails on malformed text with ValueError, OverflowError and also
        # decimal.InvalidOperation, TypeError or IndexError: a dump must not crash us.
        return DateResult(None, "NP202", f"impossible date or time: {shown!r}", fast=False)
    if first.tzinfo is not None:
        # Every zone a byline prints is read above; dateutil's guess at another is not
        # worth keeping (it takes `+103003` for an offset of days).
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    if first.year != second.year:
        return DateResult(None, "NP208", f"the date has no year: {shown!r}", fast=False)
    if first.month != second.month or first.day != second.day:
        return DateResult(None, "NP203", f"cannot read the date {shown!r}", fast=False)
    if first.hour != second.hour or first.minute != second.minute:
        return DateResult(first.date(), fast=False)
    return DateResult(first.replace(microsecond=0), fast=False)


_CLEAN_STEPS = (
    (compile_lazily(r"\b(?:ora|orele|h)\b"), " "),
    (compile_lazily(r"(?<=[a-z])\."), " "),  # "ian." -> "ian"
    (compile_lazily(r",+"), ", "),
    (compile_lazily(r"\s+-\s+"), " "),
)


# One clock time, `25:61`: dateutil takes its hour and minute as written and fails to build
# the datetime; telling so here spares importing dateutil (tens of milliseconds).
_CLOCK = compile_lazily(r"(?<![\d.])(\d{1,2}):(\d{2})(?![\d.])")


def _impossible_clock(cleaned: str) -> bool:
    """Tell whether CLEANED holds one clock time alone whose hour or minute cannot be."""
    if cleaned.count(":") != 1:
        return False
    match = _CLOCK.search(cleaned)
    return match is not None and (int(match[1]) > 24 or int(match[2]) > 59)


def _clean_for_dateutil(folded: str) -> str:
    for pattern, replacement in _CLEAN_STEPS:
        folded = pattern.sub(replacement, folded)
    return " ".join(folded.split())


# Typed loosely: dateutil's stubs expect fixed-length tuples of aliases.
_DATEUTIL_WEEKDAYS: list[Any] = [
    ("luni", "lun"),
    ("marti",),
    ("miercuri", "mie", "mi"),
    ("joi", "jo"),
    ("vineri", "vin", "vi"),
    ("sambata", "simbata", "sam", "sa"),
    ("duminica", "dum", "du"),
]
_DATEUTIL_MONTHS: list[Any] = [
    ("ian", "ianuarie"),
    ("feb", "febr", "februarie"),
    ("mar", "mart", "martie"),
    ("apr", "apri", "aprilie"),
    ("mai",),
    ("iun", "iunie"),
    ("iul", "iulie"),
    ("aug", "august"),
    ("sep", "sept", "septembrie"),
    ("oct", "octombrie"),
    ("noi", "nov", "noiem", "noiembrie"),
    ("dec", "decembrie"),
]


@lru_cache(maxsize=1)
def _dateutil_parser() -> Any:
    """Build dateutil's parser with Romanian names (imported on first use only)."""
    from dateutil import parser as du

    # Romanian month and weekday names, folded to ASCII: dateutil reads these class
    # attributes. (Made by type(): the compiled build has no class statement in a function.)
    names = type(
        "RomanianParserInfo",
        (du.parserinfo,),
        {
            "JUMP": [" ", ".", ",", ";", "-", "/", "'", "pe", "la", "si"],
            "WEEKDAYS": _DATEUTIL_WEEKDAYS,
            "MONTHS": _DATEUTIL_MONTHS,
        },
    )
    return du.parser(names(dayfirst=True, yearfirst=False))


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
_STRONG_FRAME = compile_lazily(
    r"\s*(?:scris|publicat|articol(?:\s+editat)?)\s+de\s+", re.IGNORECASE
)
# `De AUTHOR la DATE`: weak, since ordinary sentences start with "De"; the date must read.
_WEAK_FRAME = compile_lazily(r"\s*De\s+(?=\S)")
_NOT_ON_WEAK_FRAME = (RelativeDate, PartialDate)
_STRONG_FRAME_INSIDE = compile_lazily(r"\b(?:scris|publicat|articol)\s+de\s", re.IGNORECASE)
# Where an author may end and a date begin.
_SPLIT = compile_lazily(r"\s*,+\s*|\s+(?:-\s+)?")
_UPDATED = compile_lazily(r"\s*[/|]\s*actualizat\s*:?\s*", re.IGNORECASE)
# A byline is a short line; anything longer is prose (and never worth a date search).
MAX_BYLINE = 400


class Byline(_Value):
    """A byline line taken apart; columns are 0-based offsets into the line."""

    _FIELDS = (  # in field order
        "author",
        "date_text",
        "date",
        "date_column",
        "updated_text",
        "updated",
        "updated_column",
        "strong",
    )
    __slots__ = _FIELDS

    def __init__(
        self,
        author: str,
        date_text: str,
        date: DateResult,
        date_column: int,
        updated_text: str | None = None,
        updated: DateResult | None = None,
        updated_column: int = 0,
        strong: bool = True,
    ) -> None:
        self.author = author
        self.date_text = date_text
        self.date = date
        self.date_column = date_column
        self.updated_text = updated_text
        self.updated = updated
        self.updated_column = updated_column
        self.strong = strong


# The common author: letters, one space or hyphen between words, then ` pe `, ` la ` or
# `, ` before the date. Lazily: the first such separator ends the author. The date's
# most common shape (`15 august 2022, 09:13`) is read here too, in what parse_date()
# gives for it.
_LETTERS = "A-Za-zăâîșşțţĂÂÎȘŞȚŢ"
_PLAIN_AUTHOR = compile_lazily(
    rf"([{_LETTERS}]+(?:[ -][{_LETTERS}]+)*?)(?: pe | la |, )"
    r"(?:(\d{1,2}) ([a-z]{3,10}) (\d{4}), (\d{1,2}):(\d{2})\Z)?"
)
# An author word the general split would try as a date (or as `pe`/`la` before one).
_DATE_WORDS = frozenset((*MONTHS, *WEEKDAYS, *RELATIVE_STARTS, "pe", "la"))


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
        if (
            match is None
            or _DIGITS.search(line, match.end()) is None
            or _STRONG_FRAME_INSIDE.search(line, match.end())
        ):
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
            updated_text = rest[cut.end() :].strip()
            updated_column = start + cut.end()
            rest = rest[: cut.start()]
    found = _split_plain_author(rest) or _split_author_date(rest, strong)
    if found is None:
        return None
    author, date_offset, date = found
    if not strong and (date.value is None or date.value.__class__ in _NOT_ON_WEAK_FRAME):
        # `De asemenea, ... la 3 mai`: prose. A weak frame needs a date with its year.
        return None
    return Byline(
        author,
        rest[date_offset:].strip(),
        date,
        start + date_offset,
        updated_text,
        parse_date(updated_text) if updated_text else None,
        updated_column,
        strong,
    )


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
        if _ends_a_name(rest, offset):
            return None  # `Ion pe Marti pe 3 mai`: the general split takes a later one
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
    """Find the leftmost split of REST into author and a readable date.

    A date read from words that stand before a later ` pe ` with no digit among them,
    right after a name (`Dan Marti pe 3 mai 2023`: `Marti pe 3 mai 2023` reads, as a
    weekday and a date), is taken only when no split after them reads: those words end
    the author's name, and ` pe ` is the frame between name and date.
    """
    first_failure: tuple[str, int, DateResult] | None = None
    before_frame: tuple[str, int, DateResult] | None = None
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
            author = author[:-2].strip().rstrip(",").strip()
        if len(date_text) > _LONGEST_DATE:
            counts = counts or _Counts.of(rest)
        if counts is not None and counts.too_many(offset):
            # What parse_date() would say, without reading the text again.
            date = DateResult(
                None, "NP203", f"cannot read the date {date_text.strip()!r}", fast=False
            )
        else:
            date = parse_date(date_text)
        if date.value is not None:
            if first_failure is not None and date.value.__class__ in _NOT_ON_WEAK_FRAME:
                # `31 februarie 2023` failed: its tail `februarie 2023` is no date of its own.
                continue
            if _ends_a_name(rest, offset):
                before_frame = before_frame or (author, offset, date)
                continue
            return author, offset, date
        if first_failure is None and (strong or not author):
            first_failure = (author, offset, date)
    return before_frame or first_failure


def _ends_a_name(rest: str, offset: int) -> bool:
    """Tell whether the date REST holds from OFFSET starts with the last words of a name.

    So it does when it starts with words that hold no digit, then ` pe ` and a digit, and
    only a space stands between those words and the name before them: `Dan Marti pe 3
    mai`. After a comma, a dash or a bracket (`Ana Pop, luni pe 3 mai`) they are the date's.
    """
    return rest[:offset].rstrip()[-1:].isalpha() and (
        _WORDS_BEFORE_FRAME.match(rest, offset) is not None
    )


# Words with no digit, then ` pe ` and a digit: the end of a name and the byline's frame.
_WORDS_BEFORE_FRAME = compile_lazily(r"[^\d]*?[^\d\s]\s+[Pp][Ee]\s+\d")


class _Counts:
    """Where the words and numbers of a byline's rest start (when folding keeps offsets)."""

    __slots__ = ("countable", "numbers", "words")

    def __init__(self, countable: bool, words: list[int], numbers: list[int]) -> None:
        self.countable = countable
        self.words = words
        self.numbers = numbers

    @classmethod
    def of(cls, rest: str) -> _Counts:
        folded = fold(rest)
        if len(folded) != len(rest):
            return cls(False, [], [])
        return cls(
            True,
            [m.start() for m in _WORD.finditer(folded)],
            [m.start() for m in _DIGITS.finditer(folded)],
        )

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
    return word is not None and (
        word.group() in MONTHS or word.group() in WEEKDAYS or word.group() in RELATIVE_STARTS
    )


# --- Placing a date read from a byline -------------------------------------------------


class Reference(_Value):
    """The time relative dates are read against, and what it is (`--now`, `current time`)."""

    _FIELDS = ("now", "source")
    __slots__ = _FIELDS

    def __init__(self, now: dt.datetime, source: str) -> None:
        self.now = now
        self.source = source

    def describe(self, tz: str) -> str:
        """Return `2024-06-15T12:00:00+03:00 (file modification time)` in zone TZ."""
        local = self.now.astimezone(_zone(tz)).replace(microsecond=0)
        return f"{local.isoformat()} ({self.source})"


#: (code, severity, message) of what placing a date found worth saying.
Note = tuple[str, Severity, str]


_NO_NOTES: Sequence[Note] = ()


def place(
    result: DateResult, text: str, tz: str, reference: Callable[[], Reference]
) -> tuple[DateValue | None, Sequence[Note]]:
    """Turn a read date into the value `published` holds, with what to report about it.

    A local date-time gets zone TZ; one whose text stated an offset keeps it; a relative
    date is placed against REFERENCE(), asked for only then. RESULT must hold a value.
    """
    value = result.value
    if value.__class__ is dt.datetime and result.code is None:
        # The common byline: a local date-time, most often not near a clock change.
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            aware, problem = localize(value, tz)
            if problem is None:
                return aware, _NO_NOTES
    notes: list[Note] = []
    shown = text.strip()
    if isinstance(value, RelativeDate):
        ref = reference()
        zone = _zone(tz)
        placed = value.resolve(ref.now.astimezone(zone))
        against = ref.describe(tz)
        if placed is None:
            return None, [
                (
                    "NP202",
                    Severity.ERROR,
                    f"impossible date or time: {shown!r} read against {against}",
                )
            ]
        if value.kind == "no_year":
            notes.append(
                (
                    "NP211",
                    Severity.WARNING,
                    f"the date {shown!r} has no year: taken as {placed.isoformat()[:10]}, "
                    f"the latest such day not after {against}",
                )
            )
        elif value.kind == "century":
            notes.append(
                (
                    "NP210",
                    Severity.WARNING,
                    f"two-digit year in {shown!r}: read as {placed.isoformat()[:10]}, "
                    f"the latest year not after that of {against}",
                )
            )
        else:
            notes.append(
                ("NP209", Severity.INFO, f"relative date {shown!r} read against {against}")
            )
        if isinstance(placed, dt.datetime) and placed.tzinfo is None:
            placed, local_notes = _localize_noted(placed, tz)
            notes += local_notes
        if _after(placed, ref.now.astimezone(zone)):
            notes.append(
                (
                    "NP212",
                    Severity.WARNING,
                    f"the date {shown!r} lies after the reference time {against}",
                )
            )
        return placed, notes
    if result.code is not None and result.message is not None:
        notes.append((result.code, Severity.WARNING, result.message))
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return _localize_noted(value, tz)
    return value, notes


def _localize_noted(value: dt.datetime, tz: str) -> tuple[dt.datetime, list[Note]]:
    aware, problem = localize(value, tz)
    if problem == "NP204":
        return aware, [
            (
                "NP204",
                Severity.WARNING,
                f"{value:%Y-%m-%d %H:%M} does not exist in {tz} (daylight-saving "
                f"gap); kept with offset {aware.isoformat()[-6:]}",
            )
        ]
    if problem == "NP205":
        return aware, [
            (
                "NP205",
                Severity.WARNING,
                f"{value:%Y-%m-%d %H:%M} happens twice in {tz}; the first "
                f"({aware.isoformat()[-6:]}) is used",
            )
        ]
    return aware, []


# --- The byline slot: a date anywhere in the line before a title --------------------------

_SLOT_TOKEN = compile_lazily(r"[0-9]+|[^\W\d_]+")
_INSIDE_NUMBER = compile_lazily(r"[:./-]?\d")
# Tokens after which a date may end (besides numbers): the last word of a date shape.
_DATE_ENDS = frozenset(
    (
        *MONTHS,
        *WEEKDAYS,
        *ZONE_NAMES,
        *_UNITS,
        "am",
        "pm",
        "m",
        "urma",
        "trecuta",
        "trecut",
        "azi",
        "astazi",
        "ieri",
        "alaltaieri",
        "acum",
        "today",
        "yesterday",
        "ago",
        "now",
        "week",
        "month",
        "year",
    )
)
# The most tokens a date spans (`duminica, 31 decembrie 2022, ora 23:59:59 +03:00`).
_MAX_DATE_TOKENS = 14
# How much a kind of reading is worth when several spans of one line read.
_RANK = {dt.datetime: 4, dt.date: 3, RelativeDate: 2, PartialDate: 1}
# Where a slot line names its author: `de Ana Pop`, `Autor: Ana Pop`, `by ana`.
_AUTHOR_MARK = compile_lazily(
    r"(?:^|(?<=[\s,;|(\u00b7\u2022]))(?:(?:articol\s+)?(?:scris|publicat|postat|semnat|realizat|"
    r"redactat|editat|posted|written)\s+(?:de|by)|autor(?:ul|i)?|author|de|by)\s*:?\s+",
    re.IGNORECASE,
)
_AUTHOR_END = compile_lazily(
    r"\s*(?:[,;|(\u00b7\u2022]|\s-\s|\s\u2013\s|\s(?:pe|la|in|în|on|at|din)\s|$)", re.IGNORECASE
)


_BEST_RANK = max(_RANK.values())
# A span of digits, spaces and `( ) . ,` alone (`7`, `2014`, `4202406550 (4).`).
_NUMBERS_ONLY = re.compile(r"[0-9 ().,]+")
# Digit runs that dateutil splits into a whole date (YYMMDD, YYYYMMDD[hhmm[ss]]).
_WHOLE_DATE_LENGTHS = frozenset((6, 8, 12, 14))


def _cannot_be_whole_date(span: str) -> bool:
    """Tell that dateutil cannot read SPAN as a date with a day, a month and a year.

    Only spans of digits and `( ) . ,` are judged (False for any other). Each run of
    digits gives dateutil at most one of the three, unless it is as long as a
    whole date; two runs cannot give all three, and the defaults fill the rest. A lone run
    of six digits is split in three pairs: without a pair from 01 to 12 it has no month.
    """
    if not _NUMBERS_ONLY.fullmatch(span):
        return False
    runs = _DIGITS.findall(span)
    if len(runs) == 1 and len(runs[0]) == 6:
        # Read as YYMMDD in some order: one of its three pairs would be the month.
        return not any(1 <= int(runs[0][i : i + 2]) <= 12 for i in (0, 2, 4))
    return len(runs) <= 2 and not any(len(run) in _WHOLE_DATE_LENGTHS for run in runs)


def find_date(
    line: str, *, clean_head: bool = False, last_start: int | None = None
) -> tuple[int, int, DateResult] | None:
    """Find the date in a byline-slot LINE, whatever words surround it.

    Return its start and end offsets and what it reads as: the best reading (a
    date-time over a date over a relative date over a partial one), then the longest,
    then the leftmost. None when no span of LINE reads as a date. With CLEAN_HEAD, also
    None when the first span worth reading comes after a `.`, `!` or `?` (any date found
    would then have one before it, which `is_dateline` refuses): no span is read then.
    With LAST_START, only the spans that start at that offset or before it are read.
    """
    if len(line) > MAX_BYLINE:
        return None
    # With LAST_START only the head of the line is looked at: no span longer than
    # _LONGEST_DATE reads, so a token past it (or cut short by it) ends no span.
    scope = line if last_start is None else line[: last_start + _LONGEST_DATE + 2]
    folded = fold(scope)
    if len(folded) != len(scope):  # folding keeps offsets for every Romanian letter
        folded = _fold_aligned(scope)
    tokens = [(m.start(), m.end(), m.group()) for m in _SLOT_TOKEN.finditer(folded)]
    best: tuple[tuple[int, int, int], int, int, DateResult] | None = None
    first_mark = min((i for i in map(line.find, ".!?") if i >= 0), default=len(line))
    for first, (start, _, word) in enumerate(tokens):
        if not (word[0].isdigit() or word in MONTHS or word in WEEKDAYS or word in RELATIVE_STARTS):
            continue
        if start >= 2 and line[start - 1] in ":./-" and line[start - 2].isdigit():
            continue  # inside a number: `13` of `09:13`
        if clean_head and best is None and start > first_mark:
            return None
        if last_start is not None and start > last_start:
            break
        last = min(len(tokens) - 1, first + _MAX_DATE_TOKENS)
        for index in range(last, first - 1, -1):
            _, end, final = tokens[index]
            if not (final[0].isdigit() or final in _DATE_ENDS):
                continue
            if _INSIDE_NUMBER.match(line, end):
                continue  # `09` of `09:13`
            while end < len(line) and line[end] in ".)":
                end += 1
            if end - start > _LONGEST_DATE:
                continue
            if best is not None and best[0][0] == _BEST_RANK and end - start <= best[0][1]:
                break  # a later, no longer span cannot beat a date-time found already
            span = line[start:end]
            # dateutil cannot read a whole date in some spans of digits: not imported for them.
            result = parse_date(span, dateutil=not _cannot_be_whole_date(span))
            if result.value is None:
                continue
            rank = (_RANK.get(result.value.__class__, 0), end - start, -start)
            if best is None or rank > best[0]:
                best = (rank, start, end, result)
            break
    if best is None:
        return None
    _, start, end, result = best
    return start, end, result


def _slot_author(line: str, start: int, end: int) -> str:
    """Return the author a slot LINE names (`de Ana Pop`), outside its date at START:END."""
    for mark in _AUTHOR_MARK.finditer(line):
        begin = mark.end()
        if start <= mark.start() < end or start <= begin < end:
            continue
        stop = _AUTHOR_END.search(line, begin)
        finish = stop.start() if stop is not None else len(line)
        if begin < start < finish:
            finish = start
        name = line[begin:finish].strip(" .:-")
        if name and not name[0].isdigit() and len(name) <= 80:
            return name
    return ""


def _slot_byline(
    author: str, date_text: str, date: DateResult, column: int, strong: bool
) -> Byline:
    return Byline(author=author, date_text=date_text, date=date, date_column=column, strong=strong)


def parse_slot(line: str) -> Byline:
    """Read the line just before an article's `#` title as its byline, whatever its frame.

    The frames `parse_byline` knows come first; otherwise the date is found anywhere in
    the line (`Publicat: 14 mai 2024, 17:30, de Ana Pop, în OPINII`, `Social joi, 12
    martie 2026`) and the author where a word marks one. A frame whose date does not read
    keeps its author (with the `pe` frame the author ends at ` pe `); a line with neither
    a date nor a frame gives a byline with no author and the date diagnostic NP213.
    """
    byline = parse_byline(line)
    if byline is not None:
        # A frame says where its date is: one that does not read keeps its diagnostic,
        # and no other span of the line (`februarie 2022` of `31 februarie 2022`) is
        # read in its place.
        return byline
    found = find_date(line)
    if found is not None:
        start, end, date = found
        return _slot_byline(_slot_author(line, start, end), line[start:end], date, start, False)
    frame = _STRONG_FRAME.match(line)
    if frame is not None:
        rest = line[frame.end() :]
        cut = re.search(r"\s+pe\s+|,\s*", rest)
        author = (rest[: cut.start()] if cut is not None else rest).strip()
        date_text = rest[cut.end() :].strip() if cut is not None else ""
        message = f"cannot read the date {date_text!r}" if date_text else "byline has no date"
        column = frame.end() + (cut.end() if cut is not None else len(rest))
        return _slot_byline(
            author, date_text, DateResult(None, "NP203", message, fast=False), column, True
        )
    author = _slot_author(line, len(line), len(line))
    return _slot_byline(
        author,
        "",
        DateResult(
            None, "NP213", f"the line before the title holds no date: {line.strip()!r}", fast=False
        ),
        0,
        False,
    )


# Words a dateline puts before its date: `Publicat:`, `Data publicarii:`, `Actualizat`.
_LABEL_WORDS = frozenset(
    (
        "publicat",
        "data",
        "publicarii",
        "postarii",
        "postat",
        "posted",
        "actualizat",
        "actualizare",
        "ultima",
        "ora",
        "si",
        "la",
        "pe",
        "in",
        "on",
        "editia",
        "din",
        "arhiva",
        "autor",
        "de",
        "by",
        "scris",
        "articol",
        "redactor",
    )
)
_WORDS = compile_lazily(r"[^\W\d_]+|\d+")


def is_dateline(line: str) -> bool:
    """Tell whether LINE, met inside an article before a heading, is the next one's byline.

    It is when it has a byline frame, or when its date stands at its head: after at most
    three words or a label (`Publicat:`, `Social`, `Sursa.ro,`), with at most six words
    after it (`· 17 materiale`, `| Politică`) and no sentence around it. `Conferinta a
    avut loc pe 3 mai 2020` before a subheading stays text.
    """
    if len(line) > MAX_BYLINE:
        return False
    if _STRONG_FRAME.match(line):
        return True
    # Most lines met here are prose before a subheading, whose words would each be tried
    # as a date. The date must start before the fourth word that is no label, so it ends
    # within _LONGEST_DATE of it: with more than six words after that, or with no date
    # read before it, the date found in the whole line (if any) would be refused below.
    fourth = _fourth_word(line)
    if fourth is not None:
        for after, _ in enumerate(_WORDS.finditer(line, fourth + _LONGEST_DATE), 1):
            if after > 6:
                return False
        if find_date(line, clean_head=True, last_start=fourth) is None:
            return False
    found = find_date(line, clean_head=True)
    if found is None:
        return False
    start, end, _ = found
    head, tail = line[:start], line[end:]
    if any(mark in head for mark in ".!?") or any(mark in tail for mark in "!?"):
        return False
    head_words = [w for w in _WORDS.findall(fold(head)) if w not in _LABEL_WORDS]
    return len(head_words) <= 3 and len(_WORDS.findall(tail)) <= 6


def _fourth_word(line: str) -> int | None:
    """Return where the fourth word of LINE that is no label word starts, if it has one.

    The words are those `is_dateline` counts before a date. None also when folding LINE
    changes its length (its offsets would not be LINE's).
    """
    for scope in (line[:120], line) if len(line) > 120 else (line,):
        folded = fold(scope)
        if len(folded) != len(scope):
            return None
        count = 0
        for word in _WORDS.finditer(folded):
            if word.end() == len(scope) < len(line):
                break  # cut short by the scope: read the whole line
            if word.group() not in _LABEL_WORDS:
                count += 1
                if count == 4:
                    return word.start()
    return None
