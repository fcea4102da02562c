"""Bylines taken apart: authors, frames and dates."""

from __future__ import annotations

import pytest

from newsparse.dates import parse_byline


@pytest.mark.parametrize(("line", "author", "date"), [
    ("Scris de newsreporter pe 15 august 2022, 09:13", "newsreporter", "2022-08-15 09:13:00"),
    ("Scris de Ion Pepe pe 3 Mai 2020, 10:00", "Ion Pepe", "2020-05-03 10:00:00"),
    ("Scris de Vasile pe Deal pe 4 aprilie 2021", "Vasile pe Deal", "2021-04-04"),
    ("Articol de Maria Ionescu-Popa, 3 feb 2023", "Maria Ionescu-Popa", "2023-02-03"),
    ("De Andrei Popa la 12 Noi 2021, 08:00", "Andrei Popa", "2021-11-12 08:00:00"),
])
def test_bylines(line: str, author: str, date: str) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert (byline.author, str(byline.date.value)) == (author, date)


@pytest.mark.parametrize("line", [
    "Scris de mână, documentul a fost semnat",
    "De asemenea, liderul nord-coreean i-a trimis la 3 mai",
    "De acolo a venit vestea. Scris de ana pe 1 mai 2020",
    "Scris de x pe " + "1 " * 300,
])
def test_prose_is_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None
