"""Time each exporter on the same articles, and check that memory does not grow with their number.

Usage: python benchmarks/exporters.py [--articles N] [--repeat R]

Prints, per format, the median time to write N articles (to a stream that discards
its input), the microseconds per article, the ratio to JSON Lines measured in the same
run, the peak memory traced while writing N/10 and N articles (flat when nothing grows
with the number of articles), and what is still held after writing N.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import newsparse  # noqa: E402
from newsparse.exporters import exporter_names, get_exporter  # noqa: E402
from newsparse.model import Article  # noqa: E402

SEED = ROOT / "samples" / "000_c61b72992829a382.txt"


class Discard:
    """A text stream that throws away what it is given."""

    def write(self, text: str) -> int:
        return len(text)


def articles(count: int) -> Iterator[Article]:
    """Yield COUNT copies of the seed article, each with its own line number."""
    seed = _seed()
    for number in range(count):
        yield replace(seed, line=number + 1)


@lru_cache(maxsize=1)
def _seed() -> Article:
    return newsparse.parse_file(SEED).articles[0]


def write_all(format_name: str, count: int) -> None:
    exporter = get_exporter(format_name)(Discard())
    for article in articles(count):
        exporter.write(article)
    exporter.close()


def timed(format_name: str, count: int, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        write_all(format_name, count)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def peak_memory(format_name: str, count: int) -> int:
    """Return the peak traced memory while writing COUNT articles.

    Pretty JSON goes through the json module's pure-Python encoder, whose closures form
    reference cycles: its peak grows until the cyclic collector runs, although no
    article is kept (compare `kept KiB`, measured after a collection).
    """
    tracemalloc.start()
    write_all(format_name, count)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def kept_memory(format_name: str, count: int) -> int:
    """Return the memory still held after writing COUNT articles and collecting cycles."""
    gc.collect()
    tracemalloc.start()
    write_all(format_name, count)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    count = args.articles
    formats = exporter_names(aliases=False)
    medians = {name: timed(name, count, args.repeat) for name in formats}
    baseline = medians["jsonl"]
    print(f"{count} articles of {SEED.stat().st_size} bytes, median of {args.repeat} runs")
    print(
        f"{'format':<10}{'median s':>10}{'us/article':>12}{'x jsonl':>9}"
        f"{'peak KiB N/10':>15}{'peak KiB N':>12}{'kept KiB N':>12}"
    )
    for name in formats:
        peak_memory(name, 1)  # first-use allocations (imports, caches) are not per article
        small = peak_memory(name, count // 10 or 1)
        large = peak_memory(name, count)
        kept = kept_memory(name, count)
        print(
            f"{name:<10}{medians[name]:>10.3f}{medians[name] / count * 1e6:>12.1f}"
            f"{medians[name] / baseline:>9.2f}{small / 1024:>15.0f}{large / 1024:>12.0f}"
            f"{kept / 1024:>12.0f}"
        )


if __name__ == "__main__":
    main()
