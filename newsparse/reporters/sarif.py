"""SARIF 2.1.0, as GitHub code scanning and many editors read it."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..codes import CODES, Code
from ..console import neutralize_json
from ..model import Diagnostic, Severity
from .base import STDIN_NAME, FileResult, Reporter, relative_path

__all__ = ["STDIN_URI", "SARIFReporter", "artifact_uri", "sarif_log"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/newsparse/"
#: Where results read from standard input point without --stdin-filename: `<stdin>` as a
#: relative URI reference. GitHub code scanning wants a location on every result.
STDIN_URI = quote(STDIN_NAME, safe="")
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """Return PATH as a URI reference: relative with `/` and percent-escapes, or file://."""
    path = relative_path(path)
    if os.path.isabs(path):
        from pathlib import Path

        uri = Path(path).as_uri()
    else:
        uri = quote(path, safe="/")
    # "!" may stand unescaped in a URI path; archive members keep their `ARCHIVE!/member`.
    return uri.replace("%21", "!")


def _rule(code: Code) -> dict[str, Any]:
    help_text = f"{code.explanation}\n\nExample: {code.example}\n\nFix: {code.fix}"
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.explanation},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[code.severity]},
        "properties": {"tags": ["newsparse", code.severity.value]},
    }


def _result(diagnostic: Diagnostic, uri: str, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    result["level"] = _LEVEL[diagnostic.severity]
    result["message"] = {"text": diagnostic.message or diagnostic.code}
    start_line = max(diagnostic.line, 1)
    start_column = max(diagnostic.column, 1)
    region: dict[str, int] = {"startLine": start_line, "startColumn": start_column}
    end_line = diagnostic.end_line if diagnostic.end_line is not None else start_line
    if diagnostic.end_column is not None and (
        end_line > start_line or (end_line == start_line and diagnostic.end_column > start_column)
    ):
        region["endLine"] = end_line
        region["endColumn"] = diagnostic.end_column
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region,
            }
        }
    ]
    return result


def sarif_log(results: Sequence[FileResult]) -> dict[str, Any]:
    """Return the SARIF log of RESULTS: one run, one rule per catalogued code.

    Every result has one location; results of standard input read without a file name
    point at STDIN_URI.
    """
    rules = [_rule(code) for code in CODES.values()]
    index = {code: i for i, code in enumerate(CODES)}
    uris = [artifact_uri(r.path) if r.path is not None else STDIN_URI for r in results]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "newsparse",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": [
                    _result(diagnostic, uri, index)
                    for result, uri in zip(results, uris, strict=True)
                    for diagnostic in result.diagnostics
                ],
            }
        ],
    }


class SARIFReporter(Reporter):
    """One SARIF 2.1.0 log with a run whose rules are the whole code catalogue."""

    def report(self, results: Sequence[FileResult]) -> None:
        text = json.dumps(sarif_log(results), ensure_ascii=False, indent=2)
        self.stream.write(neutralize_json(text) + "\n")
