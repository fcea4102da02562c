"""Benchmark: Dask (processes, 2 workers) against the plain library loop and `convert -j 2`.

Run from the project root, with the dask extra installed:

    python benchmarks/dask_vs_convert.py              # 4,000 dumps, 3 runs each
    python benchmarks/dask_vs_convert.py --files 20000 --repeat 5

Prints the median time of each way on the same corpus, files per second, and the ratios:
the speed-up over one process, and the overhead of Dask against `newsparse convert -j 2`
(the same two cores without a scheduler). The corpus is generated once under
benchmarks/corpus/ and reused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _dask_corpus import write_corpus

HERE = Path(__file__).resolve().parent


def library_loop(paths: list[str]) -> int:
    """Parse every file in one process, as a script using the library would."""
    from newsparse import parse_file

    return sum(len([a.to_dict() for a in parse_file(path).articles]) for path in paths)


def library_loop_parquet(paths: list[str]) -> int:
    """Parse every file in one process and write one Parquet file."""
    from newsparse import parse_file
    from newsparse.exporters.parquet import ParquetExporter

    with tempfile.TemporaryFile() as stream:
        exporter = ParquetExporter(stream)
        for path in paths:
            for article in parse_file(path).articles:
                exporter.write(article)
        exporter.close()
        return exporter.count


def dask_run(directory: Path, scheduler: str, workers: int, per_partition: int,
             pool: object | None, *, parquet: bool = False) -> int:
    """Collect the articles in this process, or (PARQUET) have the workers write them."""
    import dask

    import newsparse.dask as nd

    bag = nd.read_dumps(str(directory), files_per_partition=per_partition)
    extra = {"pool": pool} if pool is not None else {}
    with dask.config.set(scheduler=scheduler, num_workers=workers, **extra):
        if not parquet:
            return len(bag.compute())
        with tempfile.TemporaryDirectory() as out:
            import pyarrow.parquet as pq

            return sum(pq.read_metadata(part).num_rows for part in nd.to_parquet(bag, out))


def convert_command() -> list[str] | None:
    """Return how to run `newsparse convert`, or None when this build has no such command."""
    command = [sys.executable, "-m", "newsparse", "convert"]
    probe = subprocess.run([*command, "--help"], capture_output=True, text=True)
    return command if probe.returncode == 0 else None


def convert_run(command: list[str], directory: Path, jobs: int) -> int:
    with tempfile.TemporaryDirectory() as out:
        combined = os.path.join(out, "all.jsonl")
        run = subprocess.run(
            [*command, str(directory), "--combine", combined, "-f", "jsonl", "-j", str(jobs),
             "--quiet"],
            capture_output=True, text=True,
        )
        if run.returncode not in (0, 1):
            raise RuntimeError(f"convert failed ({run.returncode}): {run.stderr.strip()}")
        with open(combined, encoding="utf-8") as stream:
            return sum(1 for _ in stream)


def timed(function: Callable[[], int], repeat: int) -> tuple[float, int]:
    """Return the median seconds of REPEAT runs (after one warm-up) and the article count."""
    count = function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        count = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000, help="dumps in the corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers and convert -j")
    parser.add_argument("--files-per-partition", type=int, default=100)
    args = parser.parse_args()

    directory = HERE / "corpus" / f"dask-{args.files}"
    paths = [str(p) for p in write_corpus(directory, args.files)]
    megabytes = sum(os.path.getsize(p) for p in paths) / 1e6
    print(f"corpus: {args.files:,} dumps, {megabytes:.1f} MB, {directory}")
    print(f"machine: {os.cpu_count()} cores; median of {args.repeat} runs after a warm-up\n")

    from concurrent.futures import ProcessPoolExecutor

    rows: dict[str, tuple[float, int]] = {}
    rows["library loop, 1 process"] = timed(lambda: library_loop(paths), args.repeat)
    rows["loop -> parquet, 1 process"] = timed(lambda: library_loop_parquet(paths),
                                               args.repeat)
    rows[f"dask threads, {args.workers} workers"] = timed(
        lambda: dask_run(directory, "threads", args.workers, args.files_per_partition, None),
        args.repeat)
    # One pool for every run, as a long-lived session or a cluster has: start-up is not timed.
    import multiprocessing

    with ProcessPoolExecutor(args.workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        rows[f"dask processes, {args.workers} workers"] = timed(
            lambda: dask_run(directory, "processes", args.workers, args.files_per_partition,
                             pool), args.repeat)
        rows[f"dask processes -> parquet, {args.workers}"] = timed(
            lambda: dask_run(directory, "processes", args.workers, args.files_per_partition,
                             pool, parquet=True), args.repeat)
    command = convert_command()
    convert_row = f"newsparse convert -j {args.workers}"
    if command is None:
        print(f"({convert_row}: skipped, this build has no `newsparse convert` command)\n")
    else:
        try:
            rows[convert_row] = timed(lambda: convert_run(command, directory, args.workers),
                                      args.repeat)
        except RuntimeError as error:
            print(f"({convert_row}: skipped, {error})\n")

    baseline = rows["library loop, 1 process"][0]
    print(f"{'way':<34}{'median s':>10}{'files/s':>10}{'articles':>10}{'speed-up':>10}")
    for name, (seconds, count) in rows.items():
        print(f"{name:<34}{seconds:>10.3f}{args.files / seconds:>10.0f}{count:>10,}"
              f"{baseline / seconds:>9.2f}x")
    counts = {count for _, count in rows.values()}
    if len(counts) != 1:
        print(f"\nwarning: the ways disagree on the number of articles: {sorted(counts)}")
    dask_seconds = rows[f"dask processes, {args.workers} workers"][0]
    parquet_seconds = rows[f"dask processes -> parquet, {args.workers}"][0]
    ideal = baseline / args.workers
    ideal_parquet = rows["loop -> parquet, 1 process"][0] / args.workers
    print(f"\nagainst a perfect {args.workers}-way split of the one-process loop "
          f"(1.00 = no overhead):")
    print(f"  dask processes, articles collected: {dask_seconds / ideal:.2f}x the time")
    print(f"  dask processes, parquet from workers: {parquet_seconds / ideal_parquet:.2f}x")
    if convert_row in rows:
        convert_seconds = rows[convert_row][0]
        print(f"  {convert_row}: {convert_seconds / ideal:.2f}x")
        print(f"overhead ratio, dask processes / {convert_row}: "
              f"{dask_seconds / convert_seconds:.2f}")
    print(f"per worker core, dask processes -> parquet: "
          f"{args.files / parquet_seconds / args.workers:.0f} files/s")
    shutil.rmtree(directory / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
