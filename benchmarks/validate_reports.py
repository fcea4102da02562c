"""Time each report format against parsing alone, on a generated corpus (prints medians and ratios).

python benchmarks/validate_reports.py [FILES] [REPEATS]
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsparse import parse_file
from newsparse.reporters import FileResult, get_reporter, reporter_names

SEED = Path(__file__).resolve().parent.parent / "samples" / "000_c61b72992829a382.txt"


def make_corpus(directory: Path, count: int) -> list[Path]:
    """Write COUNT dumps: copies of the seed, every third with an impossible date."""
    seed = SEED.read_text(encoding="utf-8")
    bad = seed.replace("15 august 2022", "31 februarie 2022")
    paths = []
    for i in range(count):
        path = directory / f"{i:05}.txt"
        path.write_text(bad if i % 3 == 0 else seed, encoding="utf-8")
        paths.append(path)
    return paths


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_corpus(Path(tmp), count)

        def parse_all() -> list[FileResult]:
            results = []
            for path in paths:
                result = parse_file(path)
                results.append(
                    FileResult(str(path), tuple(result.diagnostics), len(result.articles))
                )
            return results

        results = parse_all()
        baseline = median_time(parse_all, repeats)
        diagnostics = sum(len(r.diagnostics) for r in results)
        print(f"{count} files, {diagnostics} diagnostics, median of {repeats} runs")
        print(f"{'parse (baseline)':<18} {baseline * 1000:9.1f} ms   1.00x")
        for name in reporter_names():
            reporter = get_reporter(name)
            seconds = median_time(lambda r=reporter: r(io.StringIO()).report(results), repeats)
            print(
                f"{'report ' + name:<18} {seconds * 1000:9.1f} ms   "
                f"{seconds / baseline:.2f}x of parsing"
            )


if __name__ == "__main__":
    main()
