"""The article record built in one pass, and the JSON written from it, are what they were.

The reference below is the record as three passes over the blocks built it; the parser's
article builder is checked against the constructor.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings

from newsparse import parser
from newsparse.exporters.json import _encode
from newsparse.model import SCHEMA_VERSION, Article, format_timestamp
from tests.article_strategies import articles

SETTINGS = settings(max_examples=300, deadline=None)


def record_reference(article: Article) -> dict[str, Any]:
    """Build the record of ARTICLE as the plain code did."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": article.title,
        "author": article.author,
        "published": format_timestamp(article.published),
        "published_text": article.published_text,
        "updated": format_timestamp(article.updated),
        "paragraphs": article.paragraphs,
        "images": [image.to_dict() for image in article.images],
        "source": article.source,
        "source_url": article.source_url,
        "url": article.url,
        "file": article.file,
        "line": article.line,
        "blocks": [block.to_dict() for block in article.blocks],
    }


@SETTINGS
@given(articles)
def test_the_record_is_built_as_before(article: Article) -> None:
    record = article._record()
    assert record == record_reference(article)
    assert list(record) == list(record_reference(article))
    assert [list(block) for block in record["blocks"]] == [
        list(block) for block in record_reference(article)["blocks"]
    ]


@SETTINGS
@given(articles)
def test_workflow_commands_are_still_neutralised(article: Article) -> None:
    encoded = _encode(article.to_dict(), newline=True)
    data = encoded if isinstance(encoded, bytes) else encoded.encode("utf-8", "surrogatepass")
    assert b"##[" not in data


def test_a_workflow_command_in_a_title_is_escaped() -> None:
    encoded = _encode(Article(title="##[error]x").to_dict(), newline=True)
    assert isinstance(encoded, bytes)
    assert b"##\\u005b" in encoded
    assert b"##[" not in encoded


@SETTINGS
@given(articles)
def test_the_parsers_article_builder_builds_what_the_constructor_builds(article: Article) -> None:
    values = [getattr(article, name) for name in parser._ARTICLE_FIELDS]
    built = parser._article(*values)
    assert built == article
    assert repr(built) == repr(article)
    assert type(built) is Article
    assert [f.name for f in dataclasses.fields(Article)] == list(parser._ARTICLE_FIELDS)
