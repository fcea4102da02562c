"""Pretty JSON text for one small document, without loading the `json` package."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from typing import Any

__all__ = ["pretty_json"]

# What `json` writes for each character a JSON string cannot hold as it is.
_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x20)}
_ESCAPES.update(
    {ord(char): f"\\{escaped}" for char, escaped in zip('\\"\b\f\n\r\t', '\\"bfnrt', strict=True)}
)
# Deeper documents go to `json`, which says what is wrong with a circular one.
_MAX_DEPTH = 64


class _Unsupported(Exception):
    """A value this writer leaves to `json` (a float, a key that is not text...)."""


def pretty_json(value: Any) -> str:
    """Return VALUE as `json.dumps(value, ensure_ascii=False, indent=2)` writes it.

    Text, integers, booleans, None, lists, tuples and dicts with text keys are written
    here; a document holding anything else is handed to `json` whole. Loading `json`
    takes longer than writing one article, which is all a one-shot `newsparse parse FILE`
    writes.
    """
    parts: list[str] = []
    try:
        _write(value, "\n", parts)
    except _Unsupported:
        import json

        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append the text of VALUE to PARTS; NEWLINE starts a line at its depth."""
    if isinstance(value, str):
        parts.append(f'"{str.translate(value, _ESCAPES)}"')
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return
        inner = _deeper(newline)
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = _deeper(newline)
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Unsupported
            parts.append(f'{separator}"{str.translate(key, _ESCAPES)}": ')
            _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    else:
        raise _Unsupported


def _deeper(newline: str) -> str:
    """Return NEWLINE one level deeper; refuse a document deeper than `json` is left."""
    if len(newline) > 2 * _MAX_DEPTH:
        raise _Unsupported
    return newline + "  "
