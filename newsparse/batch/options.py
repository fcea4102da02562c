"""How a batch is converted (`ConvertOptions`), checked before anything is written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..cpus import default_jobs
from ..errors import InvalidOption
from ..exporters import ExportOptions
from ..filters import FilterOptions
from ..model import DEFAULT_DEDUPE_THRESHOLD, ParseOptions
from .naming import format_for_path

__all__ = ["ConvertOptions", "check_convert_options", "default_jobs"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvertOptions:
    """How to convert a batch; exactly one of DESTINATION and COMBINE is set."""

    #: Format name or alias from the exporters registry; None picks it from COMBINE's
    #: extension, or "json" for one file per input.
    format: str | None = None
    #: Directory receiving one output per input (the input tree mirrored).
    destination: str | None = None
    #: Single file receiving every article, in input order.
    combine: str | None = None
    parse: ParseOptions = field(default_factory=ParseOptions)
    #: How the output format is written (CSV columns, Excel BOM, formula guard).
    export: ExportOptions | None = None
    #: File pattern used inside directories.
    pattern: str = "*.txt"
    #: Worker processes; 1 converts in this process.
    jobs: int = 1
    #: Convert even the inputs whose output is up to date.
    force: bool = False
    #: Write nothing for an input that has errors.
    strict: bool = False
    #: Stop at the first input that fails.
    fail_fast: bool = False
    #: Send back warnings and notes too, not only errors (the counts are always complete).
    all_diagnostics: bool = False
    #: Which articles to write, with --combine (newsparse.filters).
    filters: FilterOptions = field(default_factory=FilterOptions)
    #: Compress the outputs with this codec ("gz", "bz2", "xz", "zst"); a --combine file
    #: is also compressed when its name ends in one of their extensions.
    compress: str | None = None
    #: Follow symbolic links inside the sources that stay inside them (False: none).
    follow_symlinks: bool = True
    #: A batch sent to a worker holds at most this many files ...
    batch_files: int = 256
    #: ... and at most about this many bytes of input.
    batch_bytes: int = 2 * 1024 * 1024
    #: With COMBINE: leave out later copies of an article ("exact" or "near"), or None.
    dedupe: str | None = None
    #: With dedupe "near": the similarity from which two bodies are copies.
    dedupe_threshold: float = DEFAULT_DEDUPE_THRESHOLD

    @property
    def format_name(self) -> str:
        """The canonical name of the output format."""
        from ..exporters import resolve_format

        if self.format is not None:
            return resolve_format(self.format).name
        if self.combine is not None:
            found = format_for_path(self.combine)
            if found is None:
                raise InvalidOption(
                    f"cannot tell the format of {self.combine!r} from its extension; "
                    "name it with --format"
                )
            return found
        return "json"


def check_convert_options(options: ConvertOptions) -> None:
    """Raise InvalidOption when OPTIONS cannot describe a conversion."""
    from ..api import check_options

    if (options.destination is None) == (options.combine is None):
        raise InvalidOption("give either a destination directory or a file to combine into")
    if options.jobs < 1:
        raise InvalidOption(f"jobs must be at least 1, not {options.jobs}")
    from ..compression import CODECS

    if options.compress is not None and options.compress not in CODECS:
        raise InvalidOption(
            f"unknown compression {options.compress!r}: choose one of {', '.join(CODECS)}"
        )
    if options.filters.active:
        if options.combine is None:
            raise InvalidOption(
                "the article filters (--since, --author ...) work with "
                "--combine FILE, not with -o DIR"
            )
        from ..filters import ArticleFilter

        ArticleFilter(options.filters)  # raises for filters that cannot work
    check_options(options.parse)
    try:
        name = options.format_name
    except KeyError as error:
        raise InvalidOption(f"unknown format: {options.format!r}") from error
    from ..errors import MissingDependency
    from ..exporters import get_exporter

    try:
        get_exporter(name)  # an optional dependency missing is a usage error, up front
    except MissingDependency as error:
        raise InvalidOption(str(error)) from error
    if options.dedupe is not None:
        from ..dedupe import check_mode

        if options.combine is None:
            raise InvalidOption(
                "dedupe works when combining into one file (--combine), "
                "where the first copy can be kept and the others left out"
            )
        check_mode(options.dedupe, options.dedupe_threshold)
    if options.export is not None:
        from ..exporters import check_export_options

        check_export_options(name, options.export)
    if (
        options.combine is None
        and os.path.exists(options.destination or "")
        and not os.path.isdir(options.destination or "")
    ):
        raise InvalidOption(f"destination {options.destination!r} is not a directory")
