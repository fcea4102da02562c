"""Articles as typed table rows: the column layout Parquet files and Dask dataframes share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import SCHEMA_VERSION

__all__ = ["BLOCK_FIELDS", "COLUMNS", "instant", "to_record", "to_row"]

#: Columns in order: the JSON fields, with `published_local` / `updated_local` beside the
#: UTC instants. `*_local` keep the JSON text exactly (local time and its offset, or a
#: bare date, `YYYY-MM` or `YYYY`); the instants are null when the byline gave no time.
#: `published_text` is the byline's date text as written.
COLUMNS = (
    "title",
    "author",
    "published",
    "published_local",
    "published_text",
    "updated",
    "updated_local",
    "paragraphs",
    "images",
    "source",
    "source_url",
    "url",
    "file",
    "line",
    "blocks",
)
#: Fields of a block struct; those a block type does not have are null.
BLOCK_FIELDS = ("type", "text", "level", "file", "caption")
# Which fields each block type has in JSON (the rest are left out there).
_BLOCK_KEYS = {
    "paragraph": ("type", "text"),
    "image": ("type", "file", "caption"),
    "heading": ("type", "level", "text"),
    "separator": ("type",),
    "related": ("type", "text"),
    "credit": ("type", "text"),
    "boilerplate": ("type", "text"),
}


def instant(text: str | None) -> dt.datetime | None:
    """Return the UTC instant of an ISO date-time with offset; None for a date, `YYYY-MM`,
    `YYYY` or None."""
    if text is None or "T" not in text:
        return None
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:  # not produced by newsparse, but never guess a zone
        return None
    return value.astimezone(dt.timezone.utc)


def to_row(record: dict[str, Any]) -> dict[str, Any]:
    """Return the table row of an article's JSON object (`Article.to_dict()`)."""
    return {
        "title": record["title"],
        "author": record["author"],
        "published": instant(record["published"]),
        "published_local": record["published"],
        "published_text": record["published_text"],
        "updated": instant(record["updated"]),
        "updated_local": record["updated"],
        "paragraphs": record["paragraphs"],
        "images": record["images"],
        "source": record["source"],
        "source_url": record["source_url"],
        "url": record["url"],
        "file": record["file"],
        "line": record["line"],
        "blocks": [{name: block.get(name) for name in BLOCK_FIELDS} for block in record["blocks"]],
    }


def to_record(row: dict[str, Any]) -> dict[str, Any]:
    """Return the article JSON object of a table row read back (the inverse of `to_row`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": row["title"],
        "author": row["author"],
        "published": row["published_local"],
        "published_text": row["published_text"],
        "updated": row["updated_local"],
        "paragraphs": list(row["paragraphs"]),
        "images": [{"file": image["file"], "caption": image["caption"]} for image in row["images"]],
        "source": row["source"],
        "source_url": row["source_url"],
        "url": row["url"],
        "file": row["file"],
        "line": int(row["line"]),
        "blocks": [
            {key: _plain(block[key]) for key in _BLOCK_KEYS[block["type"]]}
            for block in row["blocks"]
        ],
    }


def _plain(value: Any) -> Any:
    """Turn a numpy scalar (what pandas gives for struct fields) into a Python value."""
    return value.item() if hasattr(value, "item") else value
