"""How a batch is converted (`ConvertOptions`), checked before anything is written."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import InvalidOption
from ..model import ParseOptions
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
    #: Follow symbolic links inside the sources that stay inside them (False: none).
    follow_symlinks: bool = True
    #: A batch sent to a worker holds at most this many files ...
    batch_files: int = 64
    #: ... and at most about this many bytes of input.
    batch_bytes: int = 2 * 1024 * 1024

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
                    "name it with --format")
            return found
        return "json"



def default_jobs() -> int:
    """Return the number of CPUs this process may use."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1



def check_convert_options(options: ConvertOptions) -> None:
    """Raise InvalidOption when OPTIONS cannot describe a conversion."""
    from ..api import check_options

    if (options.destination is None) == (options.combine is None):
        raise InvalidOption("give either a destination directory or a file to combine into")
    if options.jobs < 1:
        raise InvalidOption(f"jobs must be at least 1, not {options.jobs}")
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
    if options.combine is None and os.path.exists(options.destination or "") and \
            not os.path.isdir(options.destination or ""):
        raise InvalidOption(f"destination {options.destination!r} is not a directory")



