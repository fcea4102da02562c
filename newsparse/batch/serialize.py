"""Articles as one whole document of a format, and the header its documents share."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from ..exporters import ExportOptions
from ..model import Article

__all__ = ["stream_header"]


def _serialize(
    articles: Sequence[Article], exporter_class: type[Any], options: ExportOptions | None = None
) -> str | bytes:
    """Return ARTICLES as one whole document of the exporter's format."""
    buffer: io.BytesIO | io.StringIO = io.BytesIO() if exporter_class.binary else io.StringIO()
    _export(articles, exporter_class, buffer, options)
    return buffer.getvalue()


def _export(
    articles: Sequence[Article],
    exporter_class: type[Any],
    stream: Any,
    options: ExportOptions | None = None,
) -> None:
    """Write ARTICLES to STREAM as one whole document."""
    exporter = exporter_class(stream, options=options)
    for article in articles:
        exporter.write(article)
    exporter.close()


def _probe_article() -> Article:
    import datetime as dt

    from ..model import Block, Image

    zone = dt.timezone(dt.timedelta(hours=3))
    return Article(
        title="Titlu",
        author="autor",
        published=dt.datetime(2022, 8, 15, 9, 13, tzinfo=zone),
        updated=dt.datetime(2022, 8, 15, 10, 0, tzinfo=zone),
        blocks=(
            Block("paragraph", text="Text, cu „ghilimele”."),
            Block("image", image=Image("media-1 (1).png", "legenda")),
            Block("separator"),
            Block("paragraph", text="Al doilea."),
        ),
        source="sursa",
        source_url="#",
        url="http://crct.ro/nA18",
        file="a.txt",
        line=3,
        end_line=9,
    )


def stream_header(format_name: str, options: ExportOptions | None = None) -> str | bytes | None:
    """Return what a FORMAT document holds before its first article (a CSV header, say).

    Return None when documents of that format cannot be concatenated, that is when two
    articles are not written as header + one + other (JSON's list is not).
    """
    from ..exporters import get_exporter

    exporter_class = get_exporter(format_name)
    article = _probe_article()
    # str or bytes, the same type for all three: Any keeps the checks below type-agnostic.
    empty: Any = _serialize([], exporter_class, options)
    one: Any = _serialize([article], exporter_class, options)
    two: Any = _serialize([article, article], exporter_class, options)
    record = two[len(one) :]
    header = one[: len(one) - len(record)]
    if (
        not record
        or one != header + record
        or two != header + record + record
        or (empty not in (header, header[:0]))
    ):
        return None
    found: str | bytes = header
    return found
