"""Read exporter output back with the tools people use: csv, pandas, PyYAML, markdown-it."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt

from newsparse.exporters import ExportOptions, get_exporter
from newsparse.exporters.csv import unguard_formula
from newsparse.model import Article


def export(articles: list[Article], format_name: str, options: ExportOptions | None = None) -> str:
    """Return what exporter FORMAT_NAME writes for ARTICLES."""
    stream = io.StringIO(newline="")
    exporter = get_exporter(format_name)(stream, options=options)
    for article in articles:
        exporter.write(article)
    exporter.close()
    return stream.getvalue()


def csv_rows_python(text: str, *, guarded: bool = True) -> list[dict[str, str]]:
    """Read CSV text with Python's csv module, undoing the formula guard."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if guarded:
        rows = [{key: unguard_formula(value) for key, value in row.items()} for row in rows]
    return rows


def csv_rows_pandas(text: str, *, guarded: bool = True) -> list[dict[str, str]]:
    """Read CSV text with pandas (every cell as text), undoing the formula guard."""
    import pandas as pd

    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    rows: list[dict[str, str]] = frame.to_dict(orient="records")
    if guarded:
        rows = [{key: unguard_formula(value) for key, value in row.items()} for row in rows]
    return rows


def split_markdown(text: str) -> list[tuple[dict[str, Any], str]]:
    """Split a Markdown stream into (front matter read by PyYAML, body) per article.

    An article starts at a `---` line immediately followed by a `title:` line.
    """
    lines = text.split("\n")
    starts = [
        i for i in range(len(lines) - 1) if lines[i] == "---" and lines[i + 1].startswith("title: ")
    ]
    documents = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        close = lines.index("---", start + 1)
        front = yaml.safe_load("\n".join(lines[start + 1 : close]))
        documents.append((front, "\n".join(lines[close + 1 : end])))
    return documents


def _inline_text(children: list[Any]) -> str:
    parts = []
    for token in children:
        if token.type == "text":
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:  # anything else means some text was read as Markdown syntax
            parts.append(f"<{token.type}>")
    return "".join(parts)


def markdown_blocks(body: str) -> list[dict[str, Any]]:
    """Read a Markdown body with a CommonMark parser into block dictionaries."""
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[dict[str, Any]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1].children or [])
            blocks.append({"type": "heading", "level": int(token.tag[1]), "text": text})
            index += 3
        elif token.type == "paragraph_open":
            children = tokens[index + 1].children or []
            if len(children) == 1 and children[0].type == "image":
                image = children[0]
                blocks.append(
                    {
                        "type": "image",
                        "file": unquote(str(image.attrs["src"])),
                        "caption": _inline_text(image.children or []),
                    }
                )
            else:
                blocks.append({"type": "paragraph", "text": _inline_text(children)})
            index += 3
        elif token.type == "hr":
            blocks.append({"type": "separator"})
            index += 1
        else:
            blocks.append({"type": token.type})
            index += 1
    return blocks


def json_objects(text: str, format_name: str) -> list[dict[str, Any]]:
    """Read JSON (one object or a list) or JSON Lines into a list of objects."""
    if format_name == "jsonl":
        # str.splitlines also splits at U+2028 and friends: the exporter escapes them.
        return [json.loads(line) for line in text.splitlines()]
    data = json.loads(text)
    return data if isinstance(data, list) else [data]
