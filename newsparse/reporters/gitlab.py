"""GitLab Code Quality: a JSON array of findings with unique fingerprints."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence

from ..console import neutralize_json
from ..model import Severity
from .base import STDIN_NAME, FileResult, Reporter, relative_path

__all__ = ["CATEGORIES", "SEVERITY", "GitLabReporter", "project_path", "project_root"]

#: Code Quality severities are info, minor, major, critical and blocker.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
#: Code Climate's spec requires `categories` on every `type: "issue"`: an error makes the
#: articles wrong or lost (a bug risk), a warning or note is about how the dump is written.
CATEGORIES = {Severity.ERROR: ["Bug Risk"], Severity.WARNING: ["Style"], Severity.INFO: ["Style"]}


def project_root() -> str | None:
    """Return the directory GitLab resolves report paths against, or None if unknown.

    That is `CI_PROJECT_DIR` inside a GitLab job, else the root of the git work tree
    holding the working directory (the nearest parent with a `.git` entry).
    """
    configured = os.environ.get("CI_PROJECT_DIR")
    if configured:
        return os.path.abspath(configured)
    directory = os.getcwd()
    while True:
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def project_path(path: str, root: str | None) -> str:
    """Return PATH relative to ROOT with `/` when it lies under ROOT, else as reports show it."""
    if root is not None:
        absolute = os.path.abspath(path)
        for base, target in (
            (root, absolute),
            (os.path.realpath(root), os.path.realpath(absolute)),
        ):
            try:
                inside = os.path.commonpath([base, target]) == base
            except ValueError:  # different drives on Windows
                inside = False
            if inside:
                return os.path.relpath(target, base).replace(os.sep, "/")
    return relative_path(path)


class GitLabReporter(Reporter):
    """Code Quality JSON: one issue per diagnostic, paths relative to the project directory."""

    def report(self, results: Sequence[FileResult]) -> None:
        seen: set[str] = set()
        items = []
        root = project_root()
        for result in results:
            path = project_path(result.path, root) if result.path is not None else STDIN_NAME
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
                items.append(
                    {
                        "type": "issue",
                        "description": f"{diagnostic.code} {diagnostic.message}",
                        "check_name": diagnostic.code,
                        "categories": CATEGORIES[diagnostic.severity],
                        "fingerprint": fingerprint,
                        "severity": SEVERITY[diagnostic.severity],
                        "location": {
                            "path": path,
                            "lines": {"begin": diagnostic.line, "end": end_line},
                        },
                    }
                )
        self.stream.write(neutralize_json(json.dumps(items, ensure_ascii=False, indent=2)) + "\n")
