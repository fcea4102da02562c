"""Clean Romanian text: comma-below letters, matching keys, mojibake, diacritics, boilerplate."""

from __future__ import annotations

from .normalize import fold, has_diacritic, strip_diacritics, to_comma_below

__all__ = ["fold", "has_diacritic", "strip_diacritics", "to_comma_below"]
