"""`pretty_json` writes exactly what `json.dumps(..., ensure_ascii=False, indent=2)` does."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsparse.jsontext import pretty_json

# Every character class that matters to JSON strings: controls, quotes, backslashes,
# separators, lone surrogates and letters beyond the Basic Multilingual Plane.
_TEXT = st.text(
    st.one_of(
        st.sampled_from('\x00\x01\x08\t\n\x0b\x0c\r\x1f"\\/\x7f\x85\u2028\ud800\udfffăș🙂'),
        st.characters(),
    )
)
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _TEXT)
_VALUES = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(_TEXT, inner, max_size=4),
        # Keys that are not text: `json` turns them into text, and does it here too.
        st.dictionaries(st.one_of(st.integers(), st.booleans(), st.none()), inner, max_size=2),
    ),
    max_leaves=20,
)


@given(_VALUES)
def test_pretty_json_writes_what_json_writes(value: Any) -> None:
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_an_article_record_is_written_without_json() -> None:
    record = {
        "title": 'Un "titlu"\t\\',
        "line": 3,
        "paragraphs": ["Primul.", "Al doilea\nrand."],
        "images": [],
        "blocks": [{"type": "separator"}, {"type": "image", "file": "a.jpg", "caption": None}],
        "source": None,
        "flag": True,
        "empty": {},
    }
    assert pretty_json(record) == json.dumps(record, ensure_ascii=False, indent=2)


def test_deep_and_circular_documents_are_left_to_json() -> None:
    deep: Any = 1
    for _ in range(200):
        deep = [deep]
    assert pretty_json(deep) == json.dumps(deep, ensure_ascii=False, indent=2)
    circular: list[Any] = []
    circular.append(circular)
    try:
        pretty_json(circular)
    except ValueError as error:  # what json says: "Circular reference detected"
        assert "ircular" in str(error)
    else:
        raise AssertionError("a circular list was written")
