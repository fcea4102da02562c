"""The JSON Schema of the article object, shipped inside the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["load_schema", "schema_text"]

SCHEMA_FILE = "article.schema.json"


def schema_text() -> str:
    """Return the article schema (JSON Schema draft 2020-12) as text."""
    return resources.files("newsparse").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """Return the article schema as a dictionary."""
    schema: dict[str, Any] = json.loads(schema_text())
    return schema
