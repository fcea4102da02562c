"""The script a user could write in ten minutes: the floor for a Python dump parser.

A few regular expressions for byline, title, paragraphs and footer, and `json.dumps` per
article. No repair of broken paragraphs, no diagnostics, no encodings other than UTF-8,
no time zones: dates are left as the text found. Run it as
`python benchmarks/naive.py DIR > out.jsonl`.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

__all__ = ["iter_files", "parse_text", "run"]

BYLINE = re.compile(
    r"^(?:Scris|Publicat|Articol(?: editat)?) de (.+?),? (?:pe )?(\d.*)$", re.MULTILINE
)
TITLE = re.compile(r"^## (.+)$", re.MULTILINE)
FOOTER = re.compile(r"^ADRESA: <?([^>\s]+)>?", re.MULTILINE)
SOURCE = re.compile(r"^\[([^\]]+)\]\(([^)]*)\)$", re.MULTILINE)
BLOCKS = re.compile(r"\n\s*\n")
NOT_TEXT = re.compile(r"^(?:#|---|\[|!\[|ADRESA:|media-|Scris de|Publicat de|Articol )")


def parse_text(text: str, file: str) -> list[dict[str, Any]]:
    """Return one dict per byline found in TEXT."""
    starts = [m.start() for m in BYLINE.finditer(text)] or [0]
    articles = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[start:end]
        byline = BYLINE.search(chunk)
        title = TITLE.search(chunk)
        footer = FOOTER.search(chunk)
        source = SOURCE.search(chunk)
        paragraphs = [
            " ".join(block.split())
            for block in BLOCKS.split(chunk)
            if block.strip() and not NOT_TEXT.match(block.strip())
        ]
        articles.append(
            {
                "title": title.group(1).strip() if title else None,
                "author": byline.group(1) if byline else None,
                "published": byline.group(2).strip() if byline else None,
                "paragraphs": paragraphs,
                "source": source.group(1) if source else None,
                "url": footer.group(1) if footer else None,
                "file": file,
            }
        )
    return articles


def iter_files(root: str) -> Iterator[str]:
    """Yield the *.txt files under ROOT, sorted."""
    for directory, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            if name.endswith(".txt"):
                yield os.path.join(directory, name)


def run(paths: list[str], out: TextIO) -> int:
    """Parse every file in PATHS and write JSON Lines to OUT; return the article count."""
    count = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as stream:
            text = stream.read()
        for article in parse_text(text, path):
            out.write(json.dumps(article, ensure_ascii=False))
            out.write("\n")
            count += 1
    return count


if __name__ == "__main__":
    files = [
        f for root in sys.argv[1:] for f in (iter_files(root) if os.path.isdir(root) else [root])
    ]
    run(files, sys.stdout)
