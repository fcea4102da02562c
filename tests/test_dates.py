"""Bylines taken apart: authors, frames and dates; relative dates against a reference."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.dates import Reference, RelativeDate, parse_byline, parse_date, place
from newsparse.errors import InvalidOption
from newsparse.model import PartialDate, Severity


@pytest.mark.parametrize(
    ("line", "author", "date"),
    [
        ("Scris de newsreporter pe 15 august 2022, 09:13", "newsreporter", "2022-08-15 09:13:00"),
        ("Scris de Ion Pepe pe 3 Mai 2020, 10:00", "Ion Pepe", "2020-05-03 10:00:00"),
        ("Scris de Vasile pe Deal pe 4 aprilie 2021", "Vasile pe Deal", "2021-04-04"),
        ("Articol de Maria Ionescu-Popa, 3 feb 2023", "Maria Ionescu-Popa", "2023-02-03"),
        ("De Andrei Popa la 12 Noi 2021, 08:00", "Andrei Popa", "2021-11-12 08:00:00"),
        # A name ending in a weekday, a month or a filler word, then ` pe ` and the date:
        # read before as a date of its own (`Mai pe 04 05. 2018` gave 4 May 2005).
        ("Scris de Dan Marți pe 3 mai 2023, 10:00", "Dan Marți", "2023-05-03 10:00:00"),
        ("Scris de Ion Vineri pe 3 mai 2023", "Ion Vineri", "2023-05-03"),
        ("Scris de ION Mai pe 04 05. 2018, 12:08", "ION Mai", "2018-05-04 12:08:00"),
        ("Scris de Ana In pe 1 ianuarie 2000, 00:00", "Ana In", "2000-01-01 00:00:00"),
        # A comma before the frame word is no part of the name.
        ("Scris de Ana M. Pop, pe 3 mai 2023", "Ana M. Pop", "2023-05-03"),
        ("De Ana Pop , la 3 mai 2023, 10:00", "Ana Pop", "2023-05-03 10:00:00"),
        # After a comma, a dash or a bracket the weekday is the date's, as before.
        ("Scris de Ana M. Pop, luni pe 3 mai 2023", "Ana M. Pop", "2023-05-03"),
        ("Scris de Ana Pop, luni pe 3 mai 2023", "Ana Pop", "2023-05-03"),
        (
            "De Ana Pop, Ion Pop, vineri pe 5 mai 2023, 10:00",
            "Ana Pop, Ion Pop",
            "2023-05-05 10:00:00",
        ),
        ("Scris de Ion Pop (Reporter) luni pe 3 mai 2023", "Ion Pop (Reporter)", "2023-05-03"),
        # ... while a date that holds ` pe ` after its digits is still one date.
        ("Scris de Ion Pop ieri la 10:30", "Ion Pop", "RelativeDate"),
    ],
)
def test_bylines(line: str, author: str, date: str) -> None:
    byline = parse_byline(line)
    assert byline is not None
    value = byline.date.value
    shown = type(value).__name__ if isinstance(value, RelativeDate) else str(value)
    assert (byline.author, shown) == (author, date)


@pytest.mark.parametrize(
    "line",
    [
        "Scris de mână, documentul a fost semnat",
        "De asemenea, liderul nord-coreean i-a trimis la 3 mai",
        "De acolo a venit vestea. Scris de ana pe 1 mai 2020",
        "Scris de x pe " + "1 " * 300,
    ],
)
def test_prose_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


# --- Relative dates, zones and the reference time ----------------------------------------

TZ = "Europe/Bucharest"
UTC = dt.timezone.utc

#: Relative phrases as sites print them; none names a time of day that may lie ahead.
NEVER_AHEAD = [
    "acum 2 ore",
    "Acum o oră",
    "acum un minut",
    "acum câteva minute",
    "acum 30 de secunde",
    "3 ore în urmă",
    "acum 2 de ore",
    "acum 5 zile",
    "acum 2 săptămâni",
    "acum 3 luni",
    "acum 2 ani",
    "azi",
    "astăzi",
    "ieri",
    "alaltăieri",
    "ieri, 18:45",
    "ieri la ora 22:22",
    "alaltaieri la 23:59",
    "săptămâna trecută",
    "luna trecută",
    "anul trecut",
    "luni",
    "Vineri, 18:00",
    "duminica la 23:59",
    "15 mai",
    "29 februarie",
    "31 decembrie, 23:59",
    "ACUM 7 ORE",
    "acum 1 luna",
    "chiar acum",
    "acum 12 ore",
]
# 1990 to 2040, across both clock changes of every year.
REFERENCES = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2040, 1, 1), timezones=st.just(UTC)
)


def _instant_or_day(value: object) -> tuple[str, object]:
    if isinstance(value, dt.datetime):
        return "instant", value
    if isinstance(value, dt.date):
        return "day", value
    assert isinstance(value, PartialDate)
    return "month", (value.year, value.month or 1)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NEVER_AHEAD), REFERENCES)
def test_relative_phrase_never_lies_after_its_reference(text: str, now: dt.datetime) -> None:
    result = parse_date(text)
    assert isinstance(result.value, RelativeDate), text
    value, notes = place(result, text, TZ, lambda: Reference(now, "--now"))
    assert value is not None, text
    local_now = now.astimezone(ZoneInfo(TZ))
    kind, placed = _instant_or_day(value)
    if kind == "instant":
        assert placed <= now, (text, now, value)
    elif kind == "day":
        assert placed <= local_now.date(), (text, now, value)
    else:
        assert placed <= (local_now.year, local_now.month), (text, now, value)
    assert all(code != "NP212" for code, _, _ in notes)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["azi, 23:59", "azi la 0:00", "luni, 12:00", "20:30 azi"]), REFERENCES)
def test_a_time_of_day_ahead_is_kept_and_flagged(text: str, now: dt.datetime) -> None:
    result = parse_date(text)
    if result.value is None:  # `20:30 azi` is not a shape sites print
        assert result.code == "NP203"
        return
    value, notes = place(result, text, TZ, lambda: Reference(now, "--now"))
    assert isinstance(value, dt.datetime)
    assert (value > now) == any(code == "NP212" for code, _, _ in notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acum 2 ore", "2024-06-15T10:00:00+03:00"),
        ("ieri", "2024-06-14"),
        ("săptămâna trecută", "2024-06-08"),
        ("luna trecută", "2024-05"),
        ("anul trecut", "2023"),
        ("luni, 18:00", "2024-06-10T18:00:00+03:00"),
        ("15 mai", "2024-05-15"),
        ("20 iulie", "2023-07-20"),
        ("10.12.65", "1965-12-10"),
        ("10.12.24", "2024-12-10"),
        # Across the spring clock change (31 March 2024, 03:00 became 04:00): two hours before
        # 04:30 is 01:30, not the wall clock's 02:30.
        ("acum 2 ore", "2024-03-31T01:30:00+02:00"),
    ],
)
def test_relative_values(text: str, expected: str) -> None:
    now = dt.datetime(2024, 6, 15, 9, 0, tzinfo=UTC)
    if expected.startswith("2024-03-31"):
        now = dt.datetime(2024, 3, 31, 1, 30, tzinfo=UTC)  # 04:30 +03:00
    value, _ = place(parse_date(text), text, TZ, lambda: Reference(now, "--now"))
    assert value is not None and value.isoformat() == expected


def test_stated_offset_is_kept_and_tz_ignored() -> None:
    text = "Scris de ana pe Luni, 19 ian 1998 08:11:34 +1030\n\n## T\n\nText.\n"
    for tz in ("Europe/Bucharest", "America/New_York"):
        result = newsparse.parse(text, options=newsparse.ParseOptions(tz=tz))
        assert result.articles[0].to_dict()["published"] == "1998-01-19T08:11:34+10:30"


def test_reference_defaults_to_file_modification_time(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Scris de ana pe acum 2 ore\n\n## T\n\nText.\n", encoding="utf-8")
    stamp = dt.datetime(2024, 6, 15, 9, 0, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    result = newsparse.parse_file(path)
    assert result.articles[0].to_dict()["published"] == "2024-06-15T10:00:00+03:00"
    assert result.articles[0].published_text == "acum 2 ore"
    [note] = [d for d in result.diagnostics if d.code == "NP209"]
    assert note.severity is Severity.INFO
    assert note.message == (
        "relative date 'acum 2 ore' read against 2024-06-15T12:00:00+03:00 (file modification time)"
    )
    given = newsparse.ParseOptions(now=dt.datetime(2020, 1, 1, 12, tzinfo=UTC), now_source="--now")
    result = newsparse.parse_file(path, options=given)
    assert result.articles[0].to_dict()["published"] == "2020-01-01T12:00:00+02:00"


def test_text_without_a_file_is_read_against_the_current_time() -> None:
    before = dt.datetime.now(UTC).replace(microsecond=0)
    result = newsparse.parse("Scris de ana pe acum 1 minut\n\n## T\n\nText.\n")
    after = dt.datetime.now(UTC)
    published = result.articles[0].published
    assert isinstance(published, dt.datetime)
    assert before - dt.timedelta(minutes=1) <= published <= after - dt.timedelta(minutes=1)
    assert any(d.code == "NP209" and "(current time)" in d.message for d in result.diagnostics)


def test_a_naive_reference_time_is_refused() -> None:
    with pytest.raises(InvalidOption, match="aware datetime"):
        newsparse.parse("x", options=newsparse.ParseOptions(now=dt.datetime(2024, 1, 1)))


@pytest.mark.parametrize("text", ["acum 99999 ani", "acum 99999 luni"])
def test_a_phrase_past_the_calendar_is_impossible_not_a_crash(text: str) -> None:
    value, notes = place(
        parse_date(text), text, TZ, lambda: Reference(dt.datetime(2024, 1, 1, tzinfo=UTC), "--now")
    )
    assert value is None and [code for code, _, _ in notes] == ["NP202"]


def test_a_stream_reads_every_piece_against_one_reference_time() -> None:
    from newsparse.api import parse_stream

    article = "Scris de ana pe acum 30 de secunde\n\n## T\n\nText.\n\nADRESA: http://a.ro/1\n\n"
    from newsparse.reading import DETECT_WINDOW

    copies = DETECT_WINDOW // len(article) + 200  # past the encoding window: several pieces
    pieces = list(parse_stream(io.BytesIO((article * copies).encode()), chunk_size=4096))
    published = {a.published for piece in pieces for a in piece.articles}
    assert len(pieces) > 1 and len(published) == 1
