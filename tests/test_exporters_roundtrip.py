"""Any article, written by each exporter and read back by a real tool, keeps its fields."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsparse.exporters import ExportOptions
from newsparse.exporters.csv import COLUMNS
from newsparse.model import Article, PartialDate, format_timestamp
from newsparse.schema import load_schema

from .article_strategies import articles
from .readback import (
    csv_rows_pandas,
    csv_rows_python,
    export,
    json_objects,
    markdown_blocks,
    split_markdown,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALIDATOR = jsonschema.Draft202012Validator(load_schema())
many = st.lists(articles, min_size=1, max_size=3)


@SETTINGS
@given(many, st.sampled_from(["json", "jsonl"]))
def test_json_reads_back_exactly(items: list[Article], format_name: str) -> None:
    records = json_objects(export(items, format_name), format_name)
    assert records == [article.to_dict() for article in items]
    for record in records:
        VALIDATOR.validate(record)


def csv_cells(article: Article) -> dict[str, str]:
    """Return the text every CSV cell of ARTICLE must read back as."""
    return {
        "file": article.file or "",
        "line": str(article.line),
        "title": article.title or "",
        "author": article.author or "",
        "published": format_timestamp(article.published) or "",
        "published_text": article.published_text or "",
        "updated": format_timestamp(article.updated) or "",
        "source": article.source or "",
        "source_url": article.source_url or "",
        "url": article.url or "",
        "images": json.dumps([image.file for image in article.images]),
        "text": "\n\n".join(article.paragraphs),
    }


def read_images(row: dict[str, str]) -> dict[str, Any]:
    return {**row, "images": json.dumps(json.loads(row["images"]))}


@SETTINGS
@given(many, st.booleans())
def test_csv_reads_back_with_csv_and_pandas(items: list[Article], excel: bool) -> None:
    text = export(items, "csv", ExportOptions(excel=excel))
    assert text.startswith("\ufeff") == excel
    text = text.removeprefix("\ufeff")
    expected = [csv_cells(article) for article in items]
    assert [read_images(row) for row in csv_rows_python(text)] == expected
    assert [read_images(row) for row in csv_rows_pandas(text)] == expected


_FORMULA_START = tuple("=+-@\t\r")


@SETTINGS
@given(many)
def test_guarded_csv_has_no_cell_a_spreadsheet_would_run(items: list[Article]) -> None:
    for row in csv_rows_python(export(items, "csv"), guarded=False):
        for value in row.values():
            assert not value.startswith(_FORMULA_START), value


@SETTINGS
@given(many, st.lists(st.sampled_from(COLUMNS), min_size=1, unique=True))
def test_csv_columns_pick_and_order(items: list[Article], columns: list[str]) -> None:
    text = export(items, "csv", ExportOptions(columns=tuple(columns), formula_guard=False))
    assert text.split("\r\n", 1)[0] == ",".join(columns)
    rows = csv_rows_pandas(text, guarded=False)
    assert [list(row) for row in rows] == [columns] * len(items)
    expected = [{key: csv_cells(a)[key] for key in columns} for a in items]
    assert [{k: read_images(r)[k] if k == "images" else r[k] for k in r} for r in rows] == expected


def _lines(text: str | None) -> str:
    """Return TEXT as Markdown keeps it: lines stripped, empty lines dropped."""
    lines = (line.strip() for line in re.split(r"\r\n|\r|\n", text or ""))
    return "\n".join(line for line in lines if line)


def markdown_expected(article: Article) -> list[dict[str, Any]]:
    """Return the blocks a CommonMark reader must find in ARTICLE's body."""
    blocks: list[dict[str, Any]] = []
    title = _lines(article.title).replace("\n", " ")
    if title:
        blocks.append({"type": "heading", "level": 1, "text": title})
    for block in article.blocks:
        data = block.to_dict()
        if block.kind == "paragraph":
            text = _lines(block.text)
            if text:
                blocks.append({"type": "paragraph", "text": text})
        elif block.kind == "heading":
            data["text"] = _lines(block.text).replace("\n", " ")
            blocks.append(data)
        elif block.kind == "image":
            data["caption"] = _lines(data["caption"]).replace("\n", " ")
            blocks.append(data)
        else:
            blocks.append(data)
    return blocks


@SETTINGS
@given(many)
def test_markdown_reads_back_with_pyyaml_and_commonmark(items: list[Article]) -> None:
    documents = split_markdown(export(items, "markdown"))
    assert len(documents) == len(items)
    for (front, body), article in zip(documents, items, strict=True):
        assert front == {
            "title": article.title,
            "author": article.author,
            "date": None
            if isinstance(article.published, PartialDate)
            else format_timestamp(article.published),
            "published_text": article.published_text,
            "updated": format_timestamp(article.updated),
            "source": article.source,
            "source_url": article.source_url,
            "article_url": article.url,
            "images": [image.file for image in article.images],
        }
        assert markdown_blocks(body) == markdown_expected(article)
