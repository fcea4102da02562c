"""CSV exporter: one row per article, RFC 4180 quoting, safe to open in a spreadsheet.

Cells that a spreadsheet would run as a formula (they start with `=`, `+`, `-`, `@`, a
tab or a carriage return) get a leading `'`, as OWASP advises against CSV injection.
The guard is reversible: a cell that already starts with quotes before such a character
gets one more, so `unguard_formula` gives back every value exactly.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from typing import IO, Any

from ..errors import InvalidOption
from ..model import Article, format_timestamp
from .base import Exporter, ExportOptions

__all__ = ["COLUMNS", "CSVExporter", "guard_formula", "unguard_formula"]


def _images(article: Article) -> str:
    return json.dumps([image.file for image in article.images], ensure_ascii=False)


#: Every column, in the default order, with how its cell is made.
_CELLS: dict[str, Callable[[Article], Any]] = {
    "file": lambda a: a.file,
    "line": lambda a: a.line,
    "title": lambda a: a.title,
    "author": lambda a: a.author,
    "published": lambda a: format_timestamp(a.published),
    "published_text": lambda a: a.published_text,
    "updated": lambda a: format_timestamp(a.updated),
    "source": lambda a: a.source,
    "source_url": lambda a: a.source_url,
    "url": lambda a: a.url,
    "images": _images,
    "text": lambda a: a.text,
}
COLUMNS: tuple[str, ...] = tuple(_CELLS)

# Quotes, then a character that makes a spreadsheet read the cell as a formula.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def guard_formula(value: str) -> str:
    """Prefix VALUE with `'` when a spreadsheet would run it as a formula."""
    return "'" + value if _FORMULA.match(value) else value


def unguard_formula(value: str) -> str:
    """Undo `guard_formula`: give back the value as it was before guarding."""
    return value[1:] if _GUARDED.match(value) else value


class CSVExporter(Exporter):
    """One row per article after a header row; missing values are empty cells."""

    def __init__(self, stream: IO[str], *, options: ExportOptions | None = None) -> None:
        super().__init__(stream, options=options)
        columns = self.options.columns or COLUMNS
        self._cells = [_CELLS[name] for name in columns]
        self._columns = columns
        self._writer = csv.writer(self.stream, lineterminator="\r\n")
        self._started = False

    @classmethod
    def check_options(cls, options: ExportOptions) -> None:
        """Raise InvalidOption for an unknown, repeated or empty column list."""
        if options.columns is None:
            return
        if not options.columns:
            raise InvalidOption("no columns given; choose from " + ", ".join(COLUMNS))
        unknown = [name for name in options.columns if name not in _CELLS]
        if unknown:
            raise InvalidOption(f"unknown column {unknown[0]!r}; choose from " + ", ".join(COLUMNS))
        repeated = sorted({name for name in options.columns if options.columns.count(name) > 1})
        if repeated:
            raise InvalidOption(f"column {repeated[0]!r} is given twice")

    def _start(self) -> None:
        self._started = True
        if self.options.excel:
            self.stream.write("\ufeff")
        self._writer.writerow(self._columns)

    def write(self, article: Article) -> None:
        """Write one article as one row (the header first, once)."""
        if not self._started:
            self._start()
        self.count += 1
        guard = self.options.formula_guard
        row = []
        for cell in self._cells:
            value = cell(article)
            if value is None:
                value = ""
            elif guard and isinstance(value, str):
                value = guard_formula(value)
            row.append(value)
        if len(row) == 1 and isinstance(row[0], str) and row[0].isspace():
            # A lone cell of spaces or tabs, unquoted, is a blank line to most readers
            # (pandas' `read_csv` drops it by default): quoted, the row is kept.
            self.stream.write('"' + row[0].replace('"', '""') + '"\r\n')
            return
        self._writer.writerow(row)

    def close(self) -> None:
        """Write the header when no article came, so the file is still a valid table."""
        if not self._started:
            self._start()
