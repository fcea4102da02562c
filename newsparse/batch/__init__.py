"""Convert many dumps at once: worker processes, safe output names, a manifest, the run report.

`convert` (in `run`) is the entry point. The work is split by concern: `naming` finds the
inputs and names their outputs, `options` says how a batch is converted, `manifest`
remembers what was written, `worker` converts one input, `pool` runs the workers and
stops them cleanly, `serialize` makes whole documents, and `report` holds the results.
"""

from __future__ import annotations

from .manifest import MANIFEST_NAME
from .naming import UnsafeOutputPath, check_sources, count_inputs, format_for_path, output_name
from .options import ConvertOptions, check_convert_options, default_jobs
from .report import FileResult, Outcome, Report, Results
from .run import convert
from .serialize import stream_header
from .worker import MAX_DIAGNOSTICS_PER_FILE

__all__ = [
    "MANIFEST_NAME",
    "MAX_DIAGNOSTICS_PER_FILE",
    "ConvertOptions",
    "FileResult",
    "Outcome",
    "Report",
    "Results",
    "UnsafeOutputPath",
    "check_convert_options",
    "check_sources",
    "convert",
    "count_inputs",
    "default_jobs",
    "format_for_path",
    "output_name",
    "stream_header",
]
