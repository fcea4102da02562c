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


@pytest.mark.parametrize(
    "content",
    [
        '{"words": {}, "suffixes": {}, "source": "x", "pairs": []}',
        '{"words": {}, "suffixes": {}, "source": "x", "pairs": {"a": ["b"]}}',
        '{"words": [], "suffixes": {}, "source": "x", "pairs": {}}',
        '{"words": {"a": 1}, "suffixes": {}, "source": "x", "pairs": {}}',
        "[1, 2]",
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
    assert isinstance(rebuilt["pairs"], dict) and rebuilt["words"]
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
