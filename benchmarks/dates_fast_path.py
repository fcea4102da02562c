"""Time the common byline date on its fast path: `Scris de X pe 15 august 2022, 09:13`.

Run `python benchmarks/dates_fast_path.py [--runs N] [--count N]`. It prints the median
CPU time per call, in nanoseconds, of `parse_byline` on the common byline, of `parse_date`
on the common date, and of `parse_text` on a one-article dump with that byline. Rounds are
interleaved and CPU time is measured (not wall time), so that the figures hold on a busy
machine. Run it against another checkout with `PYTHONPATH=that/checkout`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from newsparse.dates import parse_byline, parse_date
from newsparse.parser import parse_text

BYLINE = "Scris de Ion Popescu pe 15 august 2022, 09:13"
DATE = "15 august 2022, 09:13"
DUMP = (
    f"{BYLINE}\n\n## Un titlu oarecare\n\nPrimul paragraf al articolului.\n\n"
    "[Sursa](https://example.ro)\n\nADRESA: https://example.ro/a/1\n"
)


def _per_call(function: Callable[[], object], count: int) -> float:
    start = time.process_time_ns()
    for _ in range(count):
        function()
    return (time.process_time_ns() - start) / count


def main() -> None:
    """Print the median nanoseconds per call of each measured function."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--count", type=int, default=20000)
    args = parser.parse_args()
    cases: dict[str, Callable[[], object]] = {
        "parse_byline(common byline)": lambda: parse_byline(BYLINE),
        "parse_date(common date)": lambda: parse_date(DATE),
        "parse_text(one-article dump)": lambda: parse_text(DUMP),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, function in cases.items():
            count = args.count if "text" not in name else args.count // 10
            times[name].append(_per_call(function, count))
    for name, values in times.items():
        print(
            f"{name:32} {statistics.median(values):9.0f} ns CPU/call "
            f"(min {min(values):.0f}, {args.runs} rounds)"
        )


if __name__ == "__main__":
    main()
