"""The date search of byline slots skips only spans that cannot read, and finds what it did.

`find_date` leaves out spans of digits alone that cannot be a whole date, and stops early
when no later span can win; `is_dateline` gives up on a line whose first date-like span
follows a full stop. The plain search is kept here as the reference.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsparse import dates
from newsparse.dates import (
    _DATE_ENDS,
    _INSIDE_NUMBER,
    _LONGEST_DATE,
    _MAX_DATE_TOKENS,
    _RANK,
    _SLOT_TOKEN,
    MAX_BYLINE,
    MONTHS,
    RELATIVE_STARTS,
    WEEKDAYS,
    DateResult,
    find_date,
    fold,
    is_dateline,
    parse_date,
)
from newsparse.parser import parse_text

SETTINGS = settings(max_examples=400, deadline=None)


def find_date_reference(line: str) -> tuple[int, int, DateResult] | None:
    """Find the date as the plain search did: every start, every end, no shortcut."""
    if len(line) > MAX_BYLINE:
        return None
    folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in line).translate(dates._FOLD)
    tokens = [(m.start(), m.end(), m.group()) for m in _SLOT_TOKEN.finditer(folded)]
    best: tuple[tuple[int, int, int], int, int, DateResult] | None = None
    for first, (start, _, word) in enumerate(tokens):
        if not (word[0].isdigit() or word in MONTHS or word in WEEKDAYS or word in RELATIVE_STARTS):
            continue
        if start >= 2 and line[start - 1] in ":./-" and line[start - 2].isdigit():
            continue
        last = min(len(tokens) - 1, first + _MAX_DATE_TOKENS)
        for index in range(last, first - 1, -1):
            _, end, final = tokens[index]
            if not (final[0].isdigit() or final in _DATE_ENDS):
                continue
            if _INSIDE_NUMBER.match(line, end):
                continue
            while end < len(line) and line[end] in ".)":
                end += 1
            if end - start > _LONGEST_DATE:
                continue
            result = parse_date(line[start:end])
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


def is_dateline_reference(line: str) -> bool:
    """Tell a dateline as its definition says, on the plain search and with no shortcut."""
    if len(line) > MAX_BYLINE:
        return False
    if dates._STRONG_FRAME.match(line):
        return True
    found = find_date_reference(line)
    if found is None:
        return False
    start, end, _ = found
    head, tail = line[:start], line[end:]
    if any(mark in head for mark in ".!?") or any(mark in tail for mark in "!?"):
        return False
    head_words = [w for w in dates._WORDS.findall(fold(head)) if w not in dates._LABEL_WORDS]
    return len(head_words) <= 3 and len(dates._WORDS.findall(tail)) <= 6


def _key(found: tuple[int, int, DateResult] | None) -> object:
    if found is None:
        return None
    start, end, result = found
    return start, end, result.value, result.code


NUMBERS = st.text(alphabet="0123456789 ().,", min_size=1, max_size=16)
WORDS = st.sampled_from(
    [
        "3",
        "15",
        "2014",
        "09:13",
        "9:13",
        "25:61",
        "13.08.2022",
        "160501",
        "154731",
        "20220815",
        "7b1a6",
        "mai",
        "Mai",
        "iunie",
        "IULIE",
        "dec.",
        "sept",
        "Sambata",
        "joi",
        "acum",
        "2",
        "ore",
        "ieri",
        "Publicat:",
        "de",
        "Ana",
        "Pop",
        "pe",
        "ora",
        "-",
        ",",
        ".",
        "!",
        "|",
        "ADRESA:",
        "<http://crct.ro/41446>Scris",
        "crct.ro",
        "(4).jpg",
        "media-4202406550",
        "Actualizat:",
        "Social",
        "June",
    ]
)
LINES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
# Prose before a subheading: long lines, weekdays and months among ordinary words, label
# words, letters whose folding or lower case changes length or offsets.
PROSE = st.lists(
    st.one_of(
        WORDS,
        st.sampled_from(
            [
                "Ministrul",
                "școlile",
                "ȚĂRII",
                "vineri",
                "Marți",
                "luni",
                "în",
                "la",
                "data",
                "si",
                "de",
                "İstanbul",
                "ΣΟΦΙΑ",
                "٣",
                "a",
                "anunțat",
                "ore.",
                "2023,",
                "12:30",
                "(3)",
                "miercuri,",
                "2",
            ]
        ),
        st.text(alphabet="abcdefghăîșț", min_size=1, max_size=14),
    ),
    min_size=1,
    max_size=60,
).map(" ".join)


@SETTINGS
@given(NUMBERS)
@example("7")
@example("2014")
@example("154731")
@example("160501")
@example("4202406550 (4).")
@example("0")
def test_spans_read_without_dateutil_read_the_same(span: str) -> None:
    if dates._cannot_be_whole_date(span):
        with_dateutil = parse_date(span).value
        assert with_dateutil == parse_date(span, dateutil=False).value
        assert not isinstance(with_dateutil, (dt.date, dt.datetime))


def test_a_whole_date_of_digits_is_still_judged_by_dateutil() -> None:
    assert not dates._cannot_be_whole_date("20220815")
    assert not dates._cannot_be_whole_date("160501")
    assert not dates._cannot_be_whole_date("15 08 2022")
    assert not dates._cannot_be_whole_date("3 mai")
    assert dates._cannot_be_whole_date("154731")
    assert dates._cannot_be_whole_date("2014, 13")
    assert parse_date("2014", dateutil=False).value == parse_date("2014").value


@SETTINGS
@given(LINES)
@example("Data publicării: Sambata, 18 decembrie 2014, 13:01")
@example("ADRESA: <http://crct.ro/7b1a6>Scris de Andrei Mureşan pe 26 decembrie 2010, 09:56")
@example("ADRESA: http://crct.ro/184740Scris de Ion Popescu pe 15 dec. 2016, 7:33")
@example("Data publicării: 28 IULIE 2021 - ora 14:05")
@example("media-4202406550 (4).jpg")
@example("mai bine. 3 mai 2020, 10:00")
@example("İstanbul İstanbul 3")
def test_find_date_and_is_dateline_agree_with_the_plain_search(line: str) -> None:
    assert _key(find_date(line)) == _key(find_date_reference(line))
    assert is_dateline(line) == is_dateline_reference(line)


@SETTINGS
@given(PROSE)
@example("Luni ploi înainte victimele miercuri ninsori prețurilor vremea caniculă bancile a fost")
@example("Data publicării: 12 martie 2017, 06:52")
@example("Economie 4 ianuarie 2013, 21:05")
@example("de de de de de de de de de de de de de de de de de de de de 3 mai 2020, 10:00 a b")
@example("Ana Pop Ion Dan 3 mai 2020, 10:00 vineri luni marti joi")
@example("Social joi, 12 martie 2026 " + "a " * 30)
@example("İ a b c d e f g h 3 mai 2020")
def test_is_dateline_of_prose_agrees_with_its_definition(line: str) -> None:
    assert is_dateline(line) == is_dateline_reference(line)


def test_a_letter_whose_lower_case_is_longer_keeps_the_offsets() -> None:
    # `İ` lower-cases to two characters: the offsets of the folded line were past its end.
    assert find_date("İstanbul İstanbul 3") is None
    found = find_date("İzvor, 3 mai 2020, 10:00")
    assert found is not None
    start, end, result = found
    assert "İzvor, 3 mai 2020, 10:00"[start:end] == "3 mai 2020, 10:00"
    assert result.value == dt.datetime(2020, 5, 3, 10, 0)
    articles, _ = parse_text("İstanbul İstanbul 3\n## Titlu\n\nText scris aici.\n")
    assert [article.title for article in articles] == ["Titlu"]
