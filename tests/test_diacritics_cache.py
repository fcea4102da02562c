"""A damaged diacritics model cache is built anew, never a traceback, never left half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("wordfreq", reason="the diacritics model needs newsparse[diacritics]")

from newsparse.text import diacritics


@pytest.fixture(autouse=True)
def _without_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the model from wordfreq alone: these tests are about the cache, not the model."""
    monkeypatch.setattr(diacritics, "_lexicon", list)
    monkeypatch.setattr(diacritics, "_simplemma_version", lambda: None)


@pytest.mark.parametrize(
    "content",
    [
        '{"words": {}, "suffixes": {}, "source": "x", "pairs": []}',
        '{"words": {}, "suffixes": {}, "source": "x", "pairs": {"a": ["b"]}}',
        '{"words": [], "suffixes": {}, "source": "x", "pairs": {}}',
        '{"words": {"a": 1}, "suffixes": {}, "source": "x", "pairs": {}}',
        # the tables' own shape: a count that does not match, a column that is no text
        '{"words": {"count": 2, "columns": ["a", "b"]}, "suffixes": {}, "source": "x",'
        ' "pairs": {"count": 0, "columns": ["", "", ""]}}',
        '{"words": {"count": 1, "columns": ["a", 1]}, "suffixes": {}, "source": "x",'
        ' "pairs": {"count": 0, "columns": ["", "", ""]}}',
        '{"words": {"count": 1, "columns": ["a", "b"]}, "suffixes": {}, "source": "x",'
        ' "pairs": {"count": 1, "columns": ["a", "b"]}}',
        "[1, 2]",
        "[" * 100_000,  # nested deeper than the JSON reader recurses
        "not json",
        "",
    ],
)
def test_a_damaged_cache_is_rebuilt(
    content: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    path = diacritics.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    model = diacritics.load_model()
    assert model.words and isinstance(next(iter(model.words.values())), str)
    rebuilt = json.loads(path.read_text(encoding="utf-8"))
    assert rebuilt["pairs"]["count"] == len(model.pairs)
    assert rebuilt["words"]["count"] == len(model.words) > 1000
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_well_formed_cache_is_read_back_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    path = diacritics.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "source": "made up",
                "words": {"count": 2, "columns": ["tara\nsi", "țara\nși"]},
                "suffixes": {"atie": "ație"},
                "pairs": {"count": 1, "columns": ["tara", "țara", "țară"]},
                "capital": {"count": 2, "columns": ["si\ntara"]},
                "known": {"count": 1, "columns": ["lista"]},
                "names": {"count": 1, "columns": ["maria"]},
                "nouns": {"count": 1, "columns": ["tara"]},
                "lexicon": "",
            }
        ),
        encoding="utf-8",
    )
    model = diacritics.load_model()
    assert model.source == "made up"
    assert model.words == {"tara": "țara", "si": "și"}
    assert model.pairs == {"tara": ("țara", "țară")}
    assert model.suffixes == {"atie": "ație"}
    assert model.capital == {"si", "tara"}
    assert model.known == {"lista"} and model.names == {"maria"} and model.nouns == {"tara"}


def test_without_simplemma_the_model_is_built_from_wordfreq_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    monkeypatch.undo()  # the real _lexicon, not the autouse stand-in
    monkeypatch.setitem(sys.modules, "simplemma.strategies", None)  # import fails
    assert diacritics._lexicon() == []


def test_a_model_built_without_the_lexicon_is_not_cached_under_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # simplemma is installed, but loading its dictionary fails this once
    monkeypatch.setattr(diacritics, "_simplemma_version", lambda: "9.9.9")
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    assert diacritics.cache_path().name.endswith("-simplemma-9.9.9.json")
    model = diacritics.load_model()
    assert model.lexicon == "" and "simplemma" not in model.source
    assert list(tmp_path.iterdir()) == []  # nothing kept: the next run tries the lexicon again
    # once the lexicon loads, the model is cached under the simplemma name, saying so
    monkeypatch.setattr(diacritics, "_lexicon", lambda: ["sintaxă", "sintaxa"])
    monkeypatch.setattr(diacritics, "_loaded", None)
    model = diacritics.load_model()
    assert model.lexicon == "9.9.9"
    [cached] = tmp_path.iterdir()
    assert cached == diacritics.cache_path()
    data = json.loads(cached.read_text(encoding="utf-8"))
    assert data["lexicon"] == "9.9.9" and "simplemma 9.9.9" in data["source"]


def test_a_model_built_without_simplemma_is_cached_under_the_wordfreq_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    diacritics.load_model()
    [cached] = tmp_path.iterdir()
    assert "simplemma" not in cached.name and cached == diacritics.cache_path()
    assert json.loads(cached.read_text(encoding="utf-8"))["lexicon"] == ""
