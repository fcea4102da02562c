"""Comma-below normalisation and the folded matching key."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsparse.text import fold, has_diacritic, strip_diacritics, to_comma_below
from newsparse.text.normalize import needs_normalizing


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ("Braşov", "Brașov"),
        ("Ţara Bârsei, Şcoala", "Țara Bârsei, Școala"),
        ("Timis\u0327oara", "Timișoara"),  # s + combining cedilla
        ("T\u0327epes\u0327", "Țepeș"),
        ("a\u0306ngerul", "ăngerul"),  # decomposed breve composes under NFC
        ("Brașov", "Brașov"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_to_comma_below_writes_the_romanian_letters(found: str, expected: str) -> None:
    assert to_comma_below(found) == expected


def test_to_comma_below_leaves_other_languages_alone() -> None:
    assert to_comma_below("Çağlar façade İstanbul") == "Çağlar façade İstanbul"


@pytest.mark.parametrize(
    "spelling", ["Braşov", "Brașov", "BRASOV", " brasov ", "Bras\u0327ov", "BRAȘOV"]
)
def test_fold_gives_every_spelling_of_a_name_one_key(spelling: str) -> None:
    assert fold(spelling) == "brasov"


def test_fold_collapses_whitespace_and_strips_all_marks() -> None:
    assert fold("  Ștefan\t cel\n\nMare ") == "stefan cel mare"
    assert fold("Îngheţată ÎN Râşnov") == "inghetata in rasnov"
    assert fold("Straße") == "strasse"
    assert fold("İzmir") == "izmir"


def test_fold_keeps_different_words_apart() -> None:
    assert fold("Cluj") != fold("Iași")


def test_strip_diacritics_keeps_case() -> None:
    assert strip_diacritics("Președintele ÎȘI") == "Presedintele ISI"


def test_has_diacritic() -> None:
    assert has_diacritic("și")
    assert has_diacritic("Braşov")
    assert has_diacritic("A\u0306")
    assert not has_diacritic("Presedintele rus")
    assert not has_diacritic("café")


@given(st.text())
def test_to_comma_below_is_idempotent_and_nfc(text: str) -> None:
    once = to_comma_below(text)
    assert to_comma_below(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not set(once) & set("şţŞŢ")


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    key = fold(text)
    assert fold(key) == key
    assert key == key.strip()


def _reference_comma_below(text: str) -> str:
    """The plain spelling of the rule: combining cedillas, then letters, then NFC."""
    for letter, comma in (("s", "ș"), ("S", "Ș"), ("t", "ț"), ("T", "Ț")):
        text = text.replace(letter + "\u0327", comma)
    table = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
    return unicodedata.normalize("NFC", text.translate(table))


_ROMANIAN_LIKE = st.text(
    alphabet=st.sampled_from(
        [*"aăâeiîsștțSȘTȚ ,.", "ş", "ţ", "Ş", "Ţ", "\u0327", "\u0306", "\u0302", "Å", "\u212b"]
    )
)


@given(st.one_of(st.text(), _ROMANIAN_LIKE))
def test_the_fast_paths_change_nothing(text: str) -> None:
    assert to_comma_below(text) == _reference_comma_below(text)
    if not needs_normalizing(text):
        assert to_comma_below(text) == text
    elif to_comma_below(text) == text:  # only a combining cedilla on a letter without one
        assert "\u0327" in text


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("plain ascii", False),
        ("Brașov și Țara", False),  # already comma-below and NFC
        ("„Ghilimele” – linie", False),
        ("Braşov", True),
        ("Timis\u0327oara", True),
        ("a\u0306ngerul", True),  # decomposed breve
        ("\u212b", True),  # the Ångström sign is not NFC
    ],
)
def test_needs_normalizing(text: str, needed: bool) -> None:
    assert needs_normalizing(text) is needed
