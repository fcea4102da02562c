"""The byline fast path gives exactly what the general split gives, for every line.

`reference_byline` below is `parse_byline` as it was before the fast path: every split
point tried left to right, each date read by `parse_date`. The generated lines mix the
author words that could fool a shortcut (months, weekdays, `pe`/`la`, digits, hyphens,
both forms of the Romanian diacritics, any case, odd spaces) with the date shapes of the
benchmark and of the golden files.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse import dates, reading
from newsparse.parser import split_lines

from .test_fast_paths import starts_like_date_reference

DATA = Path(__file__).parent / "data"


def reference_split_points(rest: str) -> Iterator[int]:
    if rest[:3].lower() in ("pe ", "la "):
        yield 0
    for match in dates._SPLIT.finditer(rest):
        if match.end() > match.start():
            yield match.end()


def reference_split(rest: str, strong: bool) -> tuple[str, int, dates.DateResult] | None:
    """The leftmost split of REST into an author and a readable date, every split tried."""
    first_failure: tuple[str, int, dates.DateResult] | None = None
    before_frame: tuple[str, int, dates.DateResult] | None = None
    counts: dates._Counts | None = None
    for split in reference_split_points(rest):
        offset = split
        if first_failure is not None or not strong:
            counts = counts or dates._Counts.of(rest)
            if counts.countable and bisect_left(counts.numbers, offset) == len(counts.numbers):
                break
        date_text = rest[offset:]
        if date_text[:3].lower() in ("pe ", "la "):
            offset += 3
            date_text = rest[offset:]
        if not date_text or not starts_like_date_reference(date_text):
            continue
        author = rest[:offset].strip().rstrip(",").strip()
        if author.lower().endswith((" pe", " la")) or author.lower() in ("pe", "la"):
            author = author[:-2].strip().rstrip(",").strip()
        if len(date_text) > dates._LONGEST_DATE:
            counts = counts or dates._Counts.of(rest)
        if counts is not None and counts.too_many(offset):
            date = dates.DateResult(
                None, "NP203", f"cannot read the date {date_text.strip()!r}", fast=False
            )
        else:
            date = dates.parse_date(date_text)
        if date.value is not None:
            if first_failure is not None and isinstance(
                date.value, (dates.RelativeDate, dates.PartialDate)
            ):
                continue
            if rest[:offset].rstrip()[-1:].isalpha() and ends_a_name(date_text):
                before_frame = before_frame or (author, offset, date)
                continue
            return author, offset, date
        if first_failure is None and (strong or not author):
            first_failure = (author, offset, date)
    return before_frame or first_failure


def ends_a_name(date_text: str) -> bool:
    """Words with no digit, then ` pe ` and a digit: the date is what follows ` pe `."""
    words = date_text.split()
    for index, word in enumerate(words[1:-1], 1):
        if word.lower() == "pe" and words[index + 1][0].isdecimal():
            return not any(c.isdecimal() for c in " ".join(words[:index]))
    return False


def reference_byline(line: str) -> dates.Byline | None:
    if len(line) > dates.MAX_BYLINE:
        return None
    match = dates._STRONG_FRAME.match(line)
    strong = match is not None
    if match is None:
        match = dates._WEAK_FRAME.match(line)
        if match is None or dates._STRONG_FRAME_INSIDE.search(line, match.end()):
            return None
    start = match.end()
    rest = line[start:]
    updated_text = None
    updated_column = 0
    cut = dates._UPDATED.search(rest)
    if cut is not None:
        updated_text = rest[cut.end() :].strip()
        updated_column = start + cut.end()
        rest = rest[: cut.start()]
    found = reference_split(rest, strong)
    if found is None:
        return None
    author, date_offset, date = found
    if not strong and (
        date.value is None or isinstance(date.value, (dates.RelativeDate, dates.PartialDate))
    ):
        return None
    return dates.Byline(
        author=author,
        date_text=rest[date_offset:].strip(),
        date=date,
        date_column=start + date_offset,
        updated_text=updated_text,
        updated=dates.parse_date(updated_text) if updated_text else None,
        updated_column=updated_column,
        strong=strong,
    )


def assert_same(line: str) -> None:
    got, expected = dates.parse_byline(line), reference_byline(line)
    assert got == expected, line
    assert repr(got) == repr(expected), line
    if got is not None and expected is not None:
        assert hash(got) == hash(expected)


def golden_lines() -> list[str]:
    found = []
    for path in sorted(DATA.glob("*.txt")):
        text = reading.decode(path.read_bytes(), file=str(path)).text
        for raw in split_lines(text):
            line = raw.strip()
            if dates._STRONG_FRAME.match(line) or dates._WEAK_FRAME.match(line):
                found.append(line)
    return found


GOLDEN = golden_lines()


def golden_dates() -> list[str]:
    """The date part of each golden byline (what follows its last ` pe `, ` la ` or `, `)."""
    found = set()
    for line in GOLDEN:
        for separator in (" pe ", " la ", ", "):
            if separator in line:
                found.add(line.split(" / ")[0].rsplit(separator, 1)[-1])
    return sorted(found)


def benchmark_dates() -> list[str]:
    from benchmarks.run import common_dates

    return common_dates(60, seed=7)


FRAMES = st.sampled_from(
    [
        "Scris de ",
        "scris de ",
        "SCRIS DE ",
        "Scris  de ",
        "Scris de  ",
        " Scris de ",
        "Scris de\t",
        "Publicat de ",
        "publicat de ",
        "Articol de ",
        "Articol editat de ",
        "Articol  editat de ",
        "ARTICOL EDITAT DE ",
        "De ",
        "De  ",
        "de ",
        "DE ",
        "Scris ",
        "",
    ]
)
AUTHOR_WORD_LIST = [
    "Ion",
    "Popescu",
    "Ana",
    "Pop",
    "ana",
    "ION",
    "Mai",
    "mai",
    "MAI",
    "Luni",
    "Iunie",
    "Iun",
    "Marți",
    "Marţi",
    "Mar",
    "Sa",
    "Du",
    "Jo",
    "Vi",
    "Mi",
    "Noi",
    "Dec",
    "Ora",
    "h",
    "Augustin",
    "Septembrievici",
    "Ianuarievicescu",
    "Ștefan",
    "Ştefan",
    "Țăranu",
    "Ţăranu",
    "Mureșan",
    "Sâmbătă",
    "Duminică",
    "Ionescu-Popa",
    "Mai-Popa",
    "Ana-Iunie",
    "Pop-",
    "-Pop",
    "pe",
    "la",
    "Pe",
    "LA",
    "Deal",
    "de",
    "Scris",
    "3",
    "15",
    "3D",
    "2022",
    "09:13",
    "İlker",
    "x²",
    "Ⅻ",
    "O'Neil",
    "I.",
    "Redactia",
    "Stiri",
    "newsreporter",
    "a",
    "ş",
]
AUTHOR_WORDS = st.sampled_from(AUTHOR_WORD_LIST)
AUTHOR_GAPS = st.sampled_from([" ", " ", " ", "  ", "\t", "-", " - ", ", ", ",", "\xa0"])
SEPARATORS = st.sampled_from(
    [
        " pe ",
        " pe ",
        " la ",
        ", ",
        " Pe ",
        " LA ",
        " ",
        "  pe ",
        " pe  ",
        ",, ",
        " - ",
        ",",
        "",
        " la, ",
        " pe\t",
        ", pe ",
        "\xa0pe ",
    ]
)
MONTH_NAMES = st.sampled_from(
    [
        *dates.MONTHS,
        "August",
        "IANUARIE",
        "Noi",
        "mart.",
        "Iul.",
        "augustus",
        "lunie",
        "Mai",
        "dec.",
    ]
)
TIMES = st.sampled_from(["09:13", "9:13", "00:00", "23:59", "24:00", "25:61", "9.13", "09:1"])


@st.composite
def composed_dates(draw: st.DrawFn) -> str:
    day = draw(st.sampled_from(["1", "15", "09", "28", "29", "31", "0", "32", "123"]))
    year = draw(st.sampled_from(["2022", "2020", "2100", "1999", "0000", "022"]))
    date = f"{day} {draw(MONTH_NAMES)} {year}"
    if draw(st.booleans()):
        weekday = draw(st.sampled_from(["luni", "Marți", "vineri", "sambata", "xyz"]))
        # `luni, DATE`, and `luni pe DATE`: words a name may end in, before the frame.
        date = f"{weekday}{draw(st.sampled_from([', ', ' pe ', ' Pe ']))}{date}"
    if draw(st.booleans()):
        glue = draw(st.sampled_from([", ", ",, ", " ", " - ", ", ora ", " - ora ", ",", "  "]))
        date += glue + draw(TIMES)
    return date


DATES = (
    composed_dates()
    | st.sampled_from(benchmark_dates())
    | st.sampled_from(golden_dates())
    | st.sampled_from(
        [
            "",
            "ieri",
            "15 august",
            "1 2 3 4 5 6 7 8 9",
            "mai 2, 2010",
            "14:56, 31 Iul. 2012",
            "15.08.2022, 09:13",
            "31/02/2021",
        ]
    )
)
TAILS = st.sampled_from(
    [
        "",
        "",
        "",
        " ",
        "\t",
        " / Actualizat: 16 august 2022, 10:00",
        " / actualizat: ieri",
        " | actualizat 3 mai 2021",
        "/ Actualizat:",
        " / 3 mai",
        " extra",
        ".",
        ",",
    ]
)


@st.composite
def bylines(draw: st.DrawFn) -> str:
    words = draw(st.lists(AUTHOR_WORDS, max_size=4))
    author = ""
    for index, word in enumerate(words):
        author += (draw(AUTHOR_GAPS) if index else "") + word
    return draw(FRAMES) + author + draw(SEPARATORS) + draw(DATES) + draw(TAILS)


@settings(max_examples=3000, deadline=None)
@given(bylines())
def test_generated_bylines_equal_the_general_split(line: str) -> None:
    assert_same(line)


@settings(max_examples=1000, deadline=None)
@given(st.lists(AUTHOR_WORDS | SEPARATORS | DATES | TAILS, max_size=6).map("".join), FRAMES)
def test_shuffled_parts_equal_the_general_split(rest: str, frame: str) -> None:
    assert_same(frame + rest)


@settings(max_examples=1000, deadline=None)
@given(st.lists(AUTHOR_WORDS | SEPARATORS | DATES, min_size=1, max_size=6).map("".join))
def test_fast_split_agrees_for_strong_and_weak_frames(rest: str) -> None:
    # A weak frame only keeps a date that reads, which is all the fast split ever gives;
    # a relative or partial one (which may hold no digit) it refuses afterwards.
    fast = dates._split_plain_author(rest)
    if fast is not None:
        assert fast[2].value is not None
        assert fast == reference_split(rest, True)
        if not isinstance(fast[2].value, (dates.RelativeDate, dates.PartialDate)):
            assert fast == reference_split(rest, False)


@pytest.mark.parametrize("line", GOLDEN)
def test_golden_bylines_equal_the_general_split(line: str) -> None:
    assert_same(line)


def test_golden_and_benchmark_bylines_with_every_author_word() -> None:
    rng = random.Random(3)
    for date in golden_dates() + benchmark_dates():
        for word in AUTHOR_WORD_LIST:
            author = f"{rng.choice(AUTHOR_WORD_LIST)} {word}"
            for separator in (" pe ", " la ", ", "):
                assert_same(f"Scris de {author}{separator}{date}")
                assert_same(f"De {author}{separator}{date}")


@pytest.mark.parametrize(
    "line",
    [
        "Scris de Ion Popescu pe 15 august 2022, 09:13",
        "Publicat de Redactia Stiri, 15 ian. 2023, 10:00",
        "Articol de Maria Ionescu-Popa, 3 feb 2023",
        "Scris de Ștefan Țurcanu pe 5 martie 2015, 10:00",
        "Scris de Ion Ionescu pe vineri, 15 iulie 2022, 09:13",
        "De Andrei Popa la 12 noiembrie 2021, 08:00",
        "Scris de Ion Pepelea pe 1 martie 2021, 10:00 / actualizat: 2 martie 2021, 11:30",
    ],
)
def test_common_bylines_take_the_fast_split(line: str) -> None:
    frame = dates._STRONG_FRAME.match(line) or dates._WEAK_FRAME.match(line)
    assert frame is not None
    rest = dates._UPDATED.split(line[frame.end() :])[0]
    fast = dates._split_plain_author(rest)
    assert fast is not None and fast[2].value is not None
    assert fast == reference_split(rest, frame.re is dates._STRONG_FRAME)


@pytest.mark.parametrize(
    "line",
    [
        "Scris de Ion Mai pe 4 mai 2020, 10:00",
        "Scris de Vasile pe Deal pe 4 aprilie 2021, 10:00",
        "Scris de Ion Marţi pe 4 mai 2020",
        "Scris de Ion  Popescu pe 4 mai 2020",
        "Scris de Ion\tPopescu pe 4 mai 2020",
        "Scris de Ion 3 pe 4 mai 2020",
        "Scris de ana pe 31 februarie 2022, 10:00",
    ],
)
def test_doubtful_bylines_leave_the_fast_split(line: str) -> None:
    frame = dates._STRONG_FRAME.match(line)
    assert frame is not None
    assert dates._split_plain_author(line[frame.end() :]) is None
    assert_same(line)


PROSE_WORDS = st.sampled_from(
    [
        *AUTHOR_WORD_LIST,
        "asemenea,",
        "luni",
        "vineri.",
        "Scris de",
        "scris de ana",
        "la",
        "pe",
        "²",
        "٣",
        "٣ mai ٢٠٢٠",
        "Ⅻ",
        "15",
        "mai 2020",
        "2020",
        ",",
        " ",
        "\t",
        "ora",
        "/",
        "/ actualizat: 3 mai 2020",
        "|",
        "İ",
        "și",
        "ţară",
    ]
)


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(["De ", "De  ", " De ", "De\t"]),
    st.lists(PROSE_WORDS, min_size=1, max_size=10).map(" ".join),
)
def test_weak_frame_prose_equals_the_general_split(frame: str, prose: str) -> None:
    assert_same(frame + prose)
