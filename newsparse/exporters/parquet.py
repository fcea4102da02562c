"""Parquet exporter: a fixed Arrow schema, written in row groups so memory stays flat."""

from __future__ import annotations

from typing import IO, Any

from ..errors import InvalidOption, MissingDependency
from ..model import Article
from ..tabular import to_row
from .base import Exporter

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as error:  # pragma: no cover - exercised by the missing-extra test
    raise MissingDependency(
        "the parquet format needs pyarrow: pip install 'newsparse[parquet]'"
    ) from error

__all__ = ["DEFAULT_ROW_GROUP_SIZE", "SCHEMA", "ParquetExporter"]

#: Articles per row group: a few MB of text, small enough to keep memory flat.
DEFAULT_ROW_GROUP_SIZE = 1000

_INSTANT = pa.timestamp("us", tz="UTC")
_IMAGE = pa.struct(
    [pa.field("file", pa.string(), nullable=False), pa.field("caption", pa.string())]
)
_BLOCK = pa.struct(
    [
        pa.field("type", pa.string(), nullable=False),
        pa.field("text", pa.string()),
        pa.field("level", pa.int8()),
        pa.field("file", pa.string()),
        pa.field("caption", pa.string()),
    ]
)

#: The one schema every newsparse Parquet file has (see README, "Output fields").
SCHEMA = pa.schema(
    [
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),
        pa.field("published", _INSTANT),
        pa.field("published_local", pa.string()),
        pa.field("published_text", pa.string()),
        pa.field("updated", _INSTANT),
        pa.field("updated_local", pa.string()),
        pa.field(
            "paragraphs", pa.list_(pa.field("item", pa.string(), nullable=False)), nullable=False
        ),
        pa.field("images", pa.list_(pa.field("item", _IMAGE, nullable=False)), nullable=False),
        pa.field("source", pa.string()),
        pa.field("source_url", pa.string()),
        pa.field("url", pa.string()),
        pa.field("file", pa.string()),
        pa.field("line", pa.int64(), nullable=False),
        pa.field("blocks", pa.list_(pa.field("item", _BLOCK, nullable=False)), nullable=False),
    ]
)


class ParquetExporter(Exporter):
    """Articles as rows of one Parquet file, a row group every `row_group_size` articles.

    Needs a binary stream; it is written front to back (no seeking), and `close()` writes
    the footer, so a file with no articles is still a valid, empty table.
    """

    binary = True
    stdout = False

    def __init__(
        self, stream: IO[bytes], *, row_group_size: int = DEFAULT_ROW_GROUP_SIZE, **options: Any
    ) -> None:
        super().__init__(stream, **options)
        if row_group_size < 1:
            raise InvalidOption(f"row_group_size must be at least 1, not {row_group_size}")
        self.row_group_size = row_group_size
        self._rows: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(stream, SCHEMA, compression="snappy")

    def write(self, article: Article) -> None:
        """Add one article; a full row group is written out."""
        self.write_record(article.to_dict())

    def write_record(self, record: dict[str, Any]) -> None:
        """Add one article given as its JSON object (`Article.to_dict()`)."""
        self.count += 1
        self._rows.append(to_row(record))
        if len(self._rows) >= self.row_group_size:
            self._flush()

    def close(self) -> None:
        """Write the last row group and the footer; the stream stays open."""
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=SCHEMA))
            self._rows = []
