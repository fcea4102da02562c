"""The code catalogue for people: `--explain`, `--statistics` and docs/diagnostics.md."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from ..codes import CODES, Code
from .base import FileResult

__all__ = ["explain", "find_code", "markdown_page", "statistics", "write_statistics"]

_SEVERITY_HEADINGS = (
    ("NP1", "Bytes, encodings and files"),
    ("NP2", "Bylines and dates"),
    ("NP3", "Article structure"),
    ("NP4", "Clean text"),
    ("NP5", "Duplicates"),
)


def find_code(text: str) -> Code | None:
    """Return the catalogue entry named by TEXT: a code (`NP201`) or a name (`missing-byline`)."""
    key = text.strip()
    if key.upper() in CODES:
        return CODES[key.upper()]
    for code in CODES.values():
        if code.name == key.lower():
            return code
    return None


def explain(code: Code) -> str:
    """Return the plain-text documentation of CODE, as `--explain` prints it."""
    return (
        f"{code.code} {code.name} ({code.severity.value})\n"
        f"\n{code.summary}\n"
        f"\n{code.explanation}\n"
        f"\nExample: {code.example}\n"
        f"\nFix: {code.fix}\n"
    )


def statistics(results: Sequence[FileResult]) -> list[dict[str, Any]]:
    """Count the diagnostics of RESULTS per code, most frequent first."""
    counts = Counter(d.code for result in results for d in result.diagnostics)
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        entry = CODES.get(code)
        rows.append(
            {
                "code": code,
                "name": entry.name if entry else "",
                "severity": entry.severity.value if entry else "",
                "count": count,
            }
        )
    return rows


def write_statistics(results: Sequence[FileResult], stream: TextIO, *, as_json: bool) -> None:
    """Write the per-code counts as aligned text lines or as a JSON list."""
    rows = statistics(results)
    if as_json:
        json.dump(rows, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(f"{row['count']:,}") for row in rows), default=1)
    for row in rows:
        stream.write(
            f"{row['count']:>{width},}  {row['code']}  {row['severity']:<7}  {row['name']}\n"
        )


def markdown_page() -> str:
    """Return docs/diagnostics.md, generated from the catalogue in newsparse/codes.py."""
    lines = [
        "# Diagnostic codes",
        "",
        "<!-- Generated from newsparse/codes.py by `python scripts/diagnostics_doc.py`;",
        "     edit the catalogue, not this page. -->",
        "",
        "Every problem newsparse reports has a stable code, a severity and a message. "
        "**Errors** make data wrong or missing and make `newsparse validate` exit with "
        "status 1; **warnings** are suspicious but readable (they fail the run only with "
        "`--strict`); **info** notes say what newsparse did for you. "
        "`newsparse validate --explain CODE` prints an entry of this page; "
        "`--select` and `--ignore` take codes or prefixes (`NP2` is every byline code).",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    for code in CODES.values():
        lines.append(
            f"| [{code.code}](#{code.code.lower()}) | `{code.name}` | "
            f"{code.severity.value} | {_cell(code.summary)} |"
        )
    for prefix, heading in _SEVERITY_HEADINGS:
        lines += ["", f"## {prefix}xx: {heading}"]
        for code in CODES.values():
            if not code.code.startswith(prefix):
                continue
            lines += [
                "",
                f"### {code.code}",
                "",
                f"`{code.name}` ({code.severity.value}): {code.summary}",
                "",
                f"**What it means.** {code.explanation}",
                "",
                f"**Example.** {code.example}",
                "",
                f"**How to fix.** {code.fix}",
            ]
    others = [
        c for c in CODES.values() if not c.code.startswith(tuple(p for p, _ in _SEVERITY_HEADINGS))
    ]
    if others:
        lines += ["", "## Other codes"]
        for code in others:
            lines += [
                "",
                f"### {code.code}",
                "",
                f"`{code.name}` ({code.severity.value}): {code.summary}",
                "",
                f"**What it means.** {code.explanation}",
                "",
                f"**Example.** {code.example}",
                "",
                f"**How to fix.** {code.fix}",
            ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
