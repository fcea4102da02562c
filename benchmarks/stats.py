"""Benchmark `newsparse stats` against `newsparse parse -f jsonl`: time and peak memory.

    python benchmarks/stats.py                       # 20,000 dumps, 3 runs each
    python benchmarks/stats.py --files 2000 --runs 1 --json out.json

Both commands read the same corpus (benchmarks/corpus.py, generated once under
benchmarks/corpus/ and reused) in a subprocess, their output thrown away; the runs of
the commands alternate, so that a change in the machine's load falls on all of them.
Times are medians. Peak memory is the largest resident set of any one process of a run
(getrusage(RUSAGE_CHILDREN) in a wrapper process, benchmarks/timing.py).
To show that memory is flat, `stats -j 1` also reads a corpus a tenth as large: its peak
should be the same.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from convert import corpus_for  # noqa: E402
from timing import run_once  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="dumps to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"))
    parser.add_argument("--json", metavar="OUT", help="also write the figures here")
    args = parser.parse_args()

    corpus, total_bytes = corpus_for(args.files, args.seed, args.corpus_dir)
    small, small_bytes = corpus_for(max(1, args.files // 10), args.seed, args.corpus_dir)
    newsparse = [sys.executable, "-m", "newsparse"]
    commands = {
        "parse -f jsonl": [*newsparse, "parse", "-f", "jsonl", "-q", corpus],
        "stats -j 1": [*newsparse, "stats", "-j", "1", "-q", "-f", "json", corpus],
        "stats -j 2": [*newsparse, "stats", "-j", "2", "-q", "-f", "json", corpus],
        f"stats -j 1 ({args.files // 10:,} files)": [
            *newsparse,
            "stats",
            "-j",
            "1",
            "-q",
            "-f",
            "json",
            small,
        ],
    }
    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            runs[name].append(run_once(command))
    load_after = os.getloadavg()

    results = {}
    for name, measured in runs.items():
        results[name] = {
            "seconds_median": statistics.median(r["seconds"] for r in measured),
            "seconds_all": [round(r["seconds"], 3) for r in measured],
            "peak_rss_mb": max(r["peak_kb"] for r in measured) / 1024,
            "cpu_seconds_median": statistics.median(r["cpu_seconds"] for r in measured),
        }
    base = results["parse -f jsonl"]["seconds_median"]
    print(
        f"newsparse stats vs parse -f jsonl: {args.files:,} dumps, {total_bytes / 1e6:.1f} MB, "
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} -> {load_after[0]:.2f}, "
        f"median of {args.runs}"
    )
    print(f"{'command':<28} {'seconds':>8} {'vs parse':>8} {'peak MB':>8} {'CPU s':>6}")
    for name, figures in results.items():
        figures["ratio_to_parse"] = figures["seconds_median"] / base
        print(
            f"{name:<28} {figures['seconds_median']:>8.2f} "
            f"{figures['ratio_to_parse']:>7.2f}x {figures['peak_rss_mb']:>8.1f} "
            f"{figures['cpu_seconds_median']:>6.1f}"
        )
    if args.json:
        with open(args.json, "w") as stream:
            json.dump(
                {
                    "files": args.files,
                    "seed": args.seed,
                    "bytes": total_bytes,
                    "small_bytes": small_bytes,
                    "runs": args.runs,
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average_before": load_before,
                    "load_average_after": load_after,
                    "results": results,
                },
                stream,
                indent=2,
            )
            stream.write("\n")


if __name__ == "__main__":
    main()
