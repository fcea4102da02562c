"""Every sample and golden input, exported to each format, reads back the same values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import newsparse
from newsparse.exporters import ExportOptions
from newsparse.exporters.dump import render_dump
from newsparse.model import Article
from newsparse.schema import load_schema

from .conftest import DATA, SAMPLES
from .readback import csv_rows_pandas, csv_rows_python, export, json_objects, split_markdown
from .test_exporters_dump import content

HERE = Path(__file__).resolve().parent
INPUTS = sorted(
    [*SAMPLES.glob("*.txt"), *DATA.glob("*.txt"), *(HERE / "exporter_inputs").glob("*.txt")]
)
IDS = [str(path.relative_to(HERE.parent)) for path in INPUTS]
COMPARED = ("title", "author", "published", "url")


def read_articles(path: Path) -> list[Article]:
    """Return the articles of PATH; an empty or malformed input may give none."""
    return newsparse.parse_file(path).articles


def expected_cells(record: dict[str, Any]) -> dict[str, str]:
    """Return what the CSV cells of a JSON record must read back as."""
    cells = {key: record[key] or "" for key in COMPARED}
    cells["text"] = "\n\n".join(record["paragraphs"])
    return cells


def test_inputs_are_found() -> None:
    assert len(INPUTS) >= 3
    assert SAMPLES / "000_c61b72992829a382.txt" in INPUTS
    assert sum(len(read_articles(path)) for path in INPUTS) >= 4


@pytest.fixture(params=INPUTS, ids=IDS)
def articles(request: pytest.FixtureRequest) -> list[Article]:
    return read_articles(request.param)


@pytest.mark.parametrize("reader", [csv_rows_python, csv_rows_pandas], ids=["csv", "pandas"])
def test_csv_reads_back_as_the_json(articles: list[Article], reader: Any) -> None:
    records = json_objects(export(articles, "json"), "json")
    rows = reader(export(articles, "csv"))
    assert [{key: row[key] for key in [*COMPARED, "text"]} for row in rows] == [
        expected_cells(record) for record in records
    ]
    assert [json.loads(row["images"]) for row in rows] == [
        [image["file"] for image in record["images"]] for record in records
    ]


def test_excel_csv_reads_back_with_its_byte_order_mark(articles: list[Article]) -> None:
    data = export(articles, "csv", ExportOptions(excel=True)).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    records = json_objects(export(articles, "json"), "json")
    for reader in (csv_rows_python, csv_rows_pandas):
        rows = reader(text)
        assert [row["title"] for row in rows] == [record["title"] or "" for record in records]


def test_markdown_front_matter_reads_back_with_pyyaml(articles: list[Article]) -> None:
    records = json_objects(export(articles, "jsonl"), "jsonl")
    documents = split_markdown(export(articles, "markdown"))
    assert len(documents) == len(records)
    for (front, _body), record in zip(documents, records, strict=True):
        assert front == {
            "title": record["title"],
            "author": record["author"],
            # A month or a year alone is no date to a site generator.
            "date": None
            if re.fullmatch(r"\d{4}(-\d{2})?", record["published"] or "")
            else record["published"],
            "published_text": record["published_text"],
            "updated": record["updated"],
            "source": record["source"],
            "source_url": record["source_url"],
            "article_url": record["url"],
            "images": [image["file"] for image in record["images"]],
        }


def test_json_lines_validate_against_the_schema(articles: list[Article]) -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    records = json_objects(export(articles, "jsonl"), "jsonl")
    assert len(records) == len(articles)
    for record, article in zip(records, articles, strict=True):
        validator.validate(record)
        assert record == article.to_dict()


def test_dump_parses_back_to_the_same_articles(articles: list[Article]) -> None:
    for article in articles:
        expected = content(article)
        if article.published is None:
            # No readable date, no byline: the dump cannot say who wrote the article.
            expected["author"] = None
        back = newsparse.parse(render_dump(article)).articles
        assert [content(a) for a in back] == [expected]
    canonical = export(articles, "dump")
    assert export(newsparse.parse(canonical).articles, "dump") == canonical
