"""The JSON report: one list of every diagnostic, with its file, position, code and severity."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..console import neutralize_json
from .base import FileResult, Reporter

__all__ = ["JSONReporter"]


class JSONReporter(Reporter):
    """A JSON list of `{file, line, column, end_line, end_column, code, severity, message}`.

    `file` is the path as given on the command line, or null for standard input.
    """

    def report(self, results: Sequence[FileResult]) -> None:
        items = []
        for result in results:
            for diagnostic in result.diagnostics:
                item = diagnostic.to_dict()
                item["file"] = result.path
                items.append(item)
        self.stream.write(neutralize_json(json.dumps(items, ensure_ascii=False, indent=2)) + "\n")
