"""Benchmark `newsparse convert`: files/s, MB/s and peak memory with -j 1 and -j 2.

    python benchmarks/convert.py                  # 20,000 dumps, 3 runs each
    python benchmarks/convert.py --files 2000 --runs 1 --json out.json

The corpus is generated once per (files, seed) under benchmarks/corpus/ and reused. Each
run converts the whole corpus into a fresh directory with the real command line in a
subprocess (`--force --quiet`); the figures are medians over the runs. Peak memory is the
largest resident set of any one process of the run (the parent or a worker), read with
getrusage(RUSAGE_CHILDREN) in a small wrapper process per run (benchmarks/timing.py),
which also gives the CPU seconds all processes of the run used (user + system): on a busy
machine the wall-clock speed-up says little, the CPU seconds show what parallelism costs.
The load average is printed too: compare the figures of one run, not absolute figures
across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import timing  # noqa: E402
from corpus import generate  # noqa: E402


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_ceiling(jobs: int, runs: int) -> float:
    """Return how much faster JOBS processes do JOBS equal pure-CPU tasks than one does.

    The best speed-up this machine can give right now, measured in the same run: on a
    machine shared with other work it can be far below JOBS.
    """
    import multiprocessing

    n = 3_000_000
    ratios = []
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        pool.map(_burn, [1] * jobs)  # start the workers before timing
        for _ in range(runs):
            started = time.perf_counter()
            for _ in range(jobs):
                _burn(n)
            serial = time.perf_counter() - started
            started = time.perf_counter()
            pool.map(_burn, [n] * jobs)
            ratios.append(serial / (time.perf_counter() - started))
    return statistics.median(ratios)


def run_once(corpus: str, jobs: int, output: str, extra: list[str]) -> dict[str, float]:
    command = [
        sys.executable,
        "-m",
        "newsparse",
        "convert",
        corpus,
        "-o",
        output,
        "-j",
        str(jobs),
        "--quiet",
        *extra,
    ]
    return timing.run_once(command, "convert")


def corpus_for(files: int, seed: int, root: str) -> tuple[str, int]:
    """Return the corpus directory for FILES and SEED, generating it the first time."""
    directory = os.path.join(root, f"{files}-seed{seed}")
    marker = os.path.join(directory, ".complete")
    if os.path.exists(marker):
        with open(marker) as stream:
            return directory, int(stream.read())
    shutil.rmtree(directory, ignore_errors=True)
    started = time.perf_counter()
    total = generate(directory, files, seed).bytes
    with open(marker, "w") as stream:
        stream.write(str(total))
    print(
        f"generated {files:,} dumps ({total / 1e6:.1f} MB) in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return directory, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="dumps to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (median)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated -j values")
    parser.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"))
    parser.add_argument("--json", metavar="OUT", help="also write the figures here")
    args = parser.parse_args()

    corpus, total_bytes = corpus_for(args.files, args.seed, args.corpus_dir)
    jobs_list = [int(j) for j in args.jobs.split(",")]
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    results: dict[str, dict[str, float]] = {}
    scratch = tempfile.mkdtemp(prefix="newsparse-bench-")
    try:
        for jobs in jobs_list:
            runs = []
            for _ in range(args.runs):
                output = os.path.join(scratch, f"out-j{jobs}")
                shutil.rmtree(output, ignore_errors=True)
                runs.append(run_once(corpus, jobs, output, []))
            seconds = statistics.median(r["seconds"] for r in runs)
            results[f"j{jobs}"] = {
                "jobs": jobs,
                "seconds_median": seconds,
                "seconds_all": [round(r["seconds"], 3) for r in runs],
                "files_per_second": args.files / seconds,
                "mb_per_second": total_bytes / 1e6 / seconds,
                "peak_rss_mb": max(r["peak_kb"] for r in runs) / 1024,
                "cpu_seconds_median": statistics.median(r["cpu_seconds"] for r in runs),
            }
        # An incremental rerun over the last output: every input is skipped.
        rerun = run_once(corpus, jobs_list[-1], os.path.join(scratch, f"out-j{jobs_list[-1]}"), [])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_after = os.getloadavg() if hasattr(os, "getloadavg") else None

    ceiling = cpu_ceiling(max(jobs_list), args.runs)
    base = results[f"j{jobs_list[0]}"]["seconds_median"]
    print(
        f"newsparse convert: {args.files:,} dumps, {total_bytes / 1e6:.1f} MB, "
        f"{os.cpu_count()} CPUs, load average {load_before and load_before[0]:.2f} -> "
        f"{load_after and load_after[0]:.2f}, median of {args.runs}"
    )
    print(
        f"{'jobs':>4} {'seconds':>8} {'files/s':>9} {'MB/s':>6} {'peak MB':>8} "
        f"{'CPU s':>6} {'speed-up':>8}"
    )
    for figures in results.values():
        figures["speedup"] = base / figures["seconds_median"]
        print(
            f"{figures['jobs']:>4} {figures['seconds_median']:>8.2f} "
            f"{figures['files_per_second']:>9,.0f} {figures['mb_per_second']:>6.2f} "
            f"{figures['peak_rss_mb']:>8.1f} {figures['cpu_seconds_median']:>6.1f} "
            f"{figures['speedup']:>7.2f}x"
        )
    print(f"rerun with nothing to do (-j {jobs_list[-1]}): {rerun['seconds']:.2f} s")
    print(
        f"baseline: {max(jobs_list)} processes of pure CPU work run {ceiling:.2f}x faster "
        "than one on this machine right now (the ceiling for the speed-up above)"
    )
    if args.json:
        with open(args.json, "w") as stream:
            json.dump(
                {
                    "files": args.files,
                    "seed": args.seed,
                    "bytes": total_bytes,
                    "runs": args.runs,
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average_before": load_before,
                    "load_average_after": load_after,
                    "results": results,
                    "rerun_seconds": rerun["seconds"],
                    "cpu_speedup_ceiling": ceiling,
                },
                stream,
                indent=2,
            )
            stream.write("\n")


if __name__ == "__main__":
    main()
