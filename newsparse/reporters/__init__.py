"""Reporters: one module per report format for `newsparse validate`, found through a registry.

A reporter renders the diagnostics of a whole run (the files, their problems, how many
articles each held) to a stream. Modules are imported only when their format is used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import FileResult, Reporter, Summary, summarize

__all__ = [
    "REPORTERS",
    "FileResult",
    "Reporter",
    "ReporterInfo",
    "Summary",
    "get_reporter",
    "reporter_names",
    "summarize",
]


@dataclass(frozen=True, slots=True)
class ReporterInfo:
    """Where a report format's reporter lives and what it is for."""

    name: str
    target: str  # "module:Class", relative to this package
    description: str = ""
    machine: bool = True  # True when the report is data for a program, not text for people


REPORTERS: dict[str, ReporterInfo] = {
    info.name: info
    for info in (
        ReporterInfo(
            "text",
            "text:TextReporter",
            "path:line:col: CODE message, grouped per file, and a summary",
            machine=False,
        ),
        ReporterInfo("json", "json:JSONReporter", "a JSON list of diagnostics"),
        ReporterInfo(
            "github",
            "github:GitHubReporter",
            "GitHub Actions annotations, then the text report in groups",
            machine=False,
        ),
        ReporterInfo("sarif", "sarif:SARIFReporter", "SARIF 2.1.0 (GitHub code scanning)"),
        ReporterInfo("junit", "junit:JUnitReporter", "JUnit XML, one test case per file"),
        ReporterInfo("gitlab", "gitlab:GitLabReporter", "GitLab Code Quality JSON"),
    )
}


def reporter_names() -> list[str]:
    """Return the report format names in registry order."""
    return list(REPORTERS)


def get_reporter(name: str) -> type[Reporter]:
    """Import and return the reporter class for format NAME (KeyError if unknown)."""
    info = REPORTERS[name.lower()]
    module_name, _, class_name = info.target.partition(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    reporter: type[Reporter] = getattr(module, class_name)
    return reporter


_LAZY = ("FileResult", "Reporter", "Summary", "summarize")


def __getattr__(name: str) -> Any:
    """Import the shared reporter classes on first use: `newsparse parse` never needs them."""
    if name in _LAZY:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
