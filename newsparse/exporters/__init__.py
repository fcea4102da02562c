"""Exporters: one module per output format, found through a small registry.

Every exporter writes articles one at a time to a stream it is given, so memory does
not grow with the number of articles. Modules are imported only when their format is
used, which keeps `newsparse parse` fast to start.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields

from ..errors import InvalidOption
from .base import DEFAULT_OPTIONS, Exporter, ExportOptions

__all__ = [
    "EXPORTERS",
    "ExportOptions",
    "Exporter",
    "ExporterInfo",
    "check_export_options",
    "exporter_names",
    "format_for_path",
    "get_exporter",
]


@dataclass(frozen=True, slots=True)
class ExporterInfo:
    """Where a format's exporter lives and what its files are called."""

    name: str
    target: str  # "module:Class", relative to this package
    extension: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    #: The ExportOptions fields this format reads; others must keep their defaults.
    options: frozenset[str] = frozenset()


_CSV_OPTIONS = frozenset({"columns", "excel", "formula_guard"})

EXPORTERS: dict[str, ExporterInfo] = {
    info.name: info
    for info in (
        ExporterInfo(
            "json",
            "json:JSONExporter",
            ".json",
            description="one object for one article, else a list",
        ),
        ExporterInfo(
            "jsonl",
            "json:JSONLinesExporter",
            ".jsonl",
            aliases=("ndjson",),
            description="one object per line",
        ),
        ExporterInfo(
            "csv",
            "csv:CSVExporter",
            ".csv",
            options=_CSV_OPTIONS,
            description="one row per article, with a header",
        ),
        ExporterInfo(
            "markdown",
            "markdown:MarkdownExporter",
            ".md",
            aliases=("md",),
            description="YAML front matter and the body, per article",
        ),
        ExporterInfo(
            "dump",
            "dump:DumpExporter",
            ".txt",
            description="the canonical dump layout newsparse reads",
        ),
        ExporterInfo(
            "parquet",
            "parquet:ParquetExporter",
            ".parquet",
            description="columnar table (needs newsparse[parquet])",
        ),
        ExporterInfo(
            "sqlite",
            "sqlite:SQLiteExporter",
            ".db",
            aliases=("sqlite3",),
            description="tables with a full-text index, for Datasette",
        ),
    )
}

_ALIASES = {alias: info.name for info in EXPORTERS.values() for alias in info.aliases}


def exporter_names(*, aliases: bool = True) -> list[str]:
    """Return the format names (and aliases) in registry order."""
    names = list(EXPORTERS)
    if aliases:
        names += list(_ALIASES)
    return names


def resolve_format(name: str) -> ExporterInfo:
    """Return the registry entry for NAME or an alias of it (KeyError if unknown)."""
    key = name.lower()
    return EXPORTERS[_ALIASES.get(key, key)]


def format_for_path(path: str) -> str | None:
    """Return the format whose extension PATH has (`.ndjson`, `.md`, `.csv.zst` too), or None."""
    import os

    from ..compression import strip_extension

    extension = os.path.splitext(strip_extension(path))[1].lower()  # all.csv.zst is csv
    if not extension:
        return None
    for info in EXPORTERS.values():
        if extension == info.extension or extension[1:] in info.aliases:
            return info.name
    return None


def get_exporter(name: str) -> type[Exporter]:
    """Import and return the exporter class for format NAME."""
    info = resolve_format(name)
    module_name, _, class_name = info.target.partition(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    exporter: type[Exporter] = getattr(module, class_name)
    return exporter


def check_export_options(name: str, options: ExportOptions) -> None:
    """Raise InvalidOption when OPTIONS set something format NAME cannot use."""
    info = resolve_format(name)
    for option in fields(ExportOptions):
        key = option.name
        if key not in info.options and getattr(options, key) != getattr(DEFAULT_OPTIONS, key):
            users = sorted(i.name for i in EXPORTERS.values() if key in i.options)
            raise InvalidOption(
                f"option {key!r} does not apply to format {info.name!r} "
                f"(only to {', '.join(users)})"
            )
    get_exporter(name).check_options(options)
