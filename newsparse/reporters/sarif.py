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
from .base import FileResult, Reporter, relative_path

__all__ = ["SARIFReporter", "artifact_uri", "sarif_log"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/newsparse/"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """Return PATH as a URI reference: relative with `/` and percent-escapes, or file://."""
    path = relative_path(path)
    if os.path.isabs(path):
        from pathlib import Path

        return Path(path).as_uri()
    return quote(path, safe="/")


def _rule(code: Code) -> dict[str, Any]:
    help_text = (f"{code.explanation}\n\nExample: {code.example}\n\nFix: {code.fix}")
    return {
        "id": code.code,
        "name": code.name,
        "shortDescription": {"text": code.summary},
        "fullDescription": {"text": code.explanation},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": _LEVEL[code.severity]},
        "properties": {"tags": ["newsparse", code.severity.value]},
    }


def _result(diagnostic: Diagnostic, uri: str | None, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": diagnostic.code}
    if diagnostic.code in index:
        result["ruleIndex"] = index[diagnostic.code]
    result["level"] = _LEVEL[diagnostic.severity]
    result["message"] = {"text": diagnostic.message or diagnostic.code}
    if uri is not None:  # standard input has no artifact to point at
        region: dict[str, int] = {"startLine": diagnostic.line,
                                  "startColumn": max(diagnostic.column, 1)}
        end_line = diagnostic.end_line if diagnostic.end_line is not None else diagnostic.line
        if diagnostic.end_column is not None and (
            end_line > diagnostic.line or diagnostic.end_column > diagnostic.column
        ):
            region["endLine"] = end_line
            region["endColumn"] = diagnostic.end_column
        result["locations"] = [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region,
            }
        }]
    return result


def sarif_log(results: Sequence[FileResult]) -> dict[str, Any]:
    """Return the SARIF log of RESULTS: one run, one rule per catalogued code."""
    rules = [_rule(code) for code in CODES.values()]
    index = {code: i for i, code in enumerate(CODES)}
    uris = [artifact_uri(r.path) if r.path is not None and r.diagnostics else None
            for r in results]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newsparse",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": [
                _result(diagnostic, uri, index)
                for result, uri in zip(results, uris, strict=True)
                for diagnostic in result.diagnostics
            ],
        }],
    }


class SARIFReporter(Reporter):
    """One SARIF 2.1.0 log with a run whose rules are the whole code catalogue."""

    def report(self, results: Sequence[FileResult]) -> None:
        text = json.dumps(sarif_log(results), ensure_ascii=False, indent=2)
        self.stream.write(neutralize_json(text) + "\n")
