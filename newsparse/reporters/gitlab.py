"""GitLab Code Quality: a JSON array of findings with unique fingerprints."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from ..console import neutralize_json
from ..model import Severity
from .base import STDIN_NAME, FileResult, Reporter, relative_path

__all__ = ["SEVERITY", "GitLabReporter"]

#: Code Quality severities are info, minor, major, critical and blocker.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitLabReporter(Reporter):
    """Code Quality JSON: description, check_name, fingerprint, severity, location."""

    def report(self, results: Sequence[FileResult]) -> None:
        seen: set[str] = set()
        items = []
        for result in results:
            path = relative_path(result.path) if result.path is not None else STDIN_NAME
            for diagnostic in result.diagnostics:
                key = f"{path}\0{diagnostic.code}\0{diagnostic.line}\0{diagnostic.message}"
                fingerprint = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
                salt = 0
                # The same problem twice on one line still needs two fingerprints.
                while fingerprint in seen:
                    salt += 1
                    fingerprint = hashlib.sha256(
                        f"{key}\0{salt}".encode("utf-8", "surrogatepass")
                    ).hexdigest()
                seen.add(fingerprint)
                end_line = diagnostic.end_line or diagnostic.line
                items.append({
                    "type": "issue",
                    "description": f"{diagnostic.code} {diagnostic.message}",
                    "check_name": diagnostic.code,
                    "fingerprint": fingerprint,
                    "severity": SEVERITY[diagnostic.severity],
                    "location": {
                        "path": path,
                        "lines": {"begin": diagnostic.line, "end": end_line},
                    },
                })
        self.stream.write(neutralize_json(json.dumps(items, ensure_ascii=False, indent=2)) + "\n")
