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


def dask_run(
    directory: Path,
    scheduler: str,
    workers: int,
    per_partition: int,
    pool: object | None,
    *,
    parquet: bool = False,
) -> int:
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
            [
                *command,
                str(directory),
                "--combine",
                combined,
                "-f",
                "jsonl",
                "-j",
                str(jobs),
                "--quiet",
            ],
            capture_output=True,
            text=True,
        )
        if run.returncode not in (0, 1):
            raise RuntimeError(f"convert failed ({run.returncode}): {run.stderr.strip()}")
        with open(combined, encoding="utf-8") as stream:
            return sum(1 for _ in stream)


class Measure:
    """Wall time and CPU time of this process, its pool workers and its waited-for children.

    CPU seconds are what a run costs whatever else the machine is doing, so they compare
    fairly on a shared machine where wall times are noisy.
    """

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids

    def cpu(self) -> float:
        import resource

        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = time.process_time() + children.ru_utime + children.ru_stime
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in self.pids:  # live pool workers: not in RUSAGE_CHILDREN until they exit
            try:
                with open(f"/proc/{pid}/stat") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def run(self, function: Callable[[], int], repeat: int) -> tuple[float, float, int]:
        """Return median wall and CPU seconds of REPEAT runs after a warm-up, and the count."""
        count = function()
        walls, cpus = [], []
        for _ in range(repeat):
            cpu, start = self.cpu(), time.perf_counter()
            count = function()
            walls.append(time.perf_counter() - start)
            cpus.append(self.cpu() - cpu)
        return statistics.median(walls), statistics.median(cpus), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000, help="dumps in the corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row")
    parser.add_argument("--workers", type=int, default=2, help="Dask workers and convert -j")
    parser.add_argument("--files-per-partition", type=int, default=500)
    args = parser.parse_args()

    directory = HERE / "corpus" / f"dask-{args.files}"
    paths = [str(p) for p in write_corpus(directory, args.files)]
    megabytes = sum(os.path.getsize(p) for p in paths) / 1e6
    print(f"corpus: {args.files:,} dumps, {megabytes:.1f} MB, {directory}")
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
        f"median of {args.repeat} runs after a warm-up\n"
    )

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers, per_partition = args.workers, args.files_per_partition
    alone = Measure([])
    rows: dict[str, tuple[float, float, int]] = {}
    loop, loop_parquet = "library loop, 1 process", "loop -> parquet, 1 process"
    rows[loop] = alone.run(lambda: library_loop(paths), args.repeat)
    rows[loop_parquet] = alone.run(lambda: library_loop_parquet(paths), args.repeat)
    rows[f"dask threads, {workers} workers"] = alone.run(
        lambda: dask_run(directory, "threads", workers, per_partition, None), args.repeat
    )
    # One pool for every run, as a long-lived session or a cluster has: start-up is not timed.
    processes = f"dask processes, {workers} workers"
    processes_parquet = f"dask processes -> parquet, {workers}"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(abs, range(workers * 4)))  # start every worker
        pooled = Measure(list(pool._processes))
        rows[processes] = pooled.run(
            lambda: dask_run(directory, "processes", workers, per_partition, pool), args.repeat
        )
        rows[processes_parquet] = pooled.run(
            lambda: dask_run(directory, "processes", workers, per_partition, pool, parquet=True),
            args.repeat,
        )
    command = convert_command()
    convert_row = f"newsparse convert -j {workers}"
    if command is None:
        print(f"({convert_row}: skipped, this build has no `newsparse convert` command)\n")
    else:
        try:
            rows[convert_row] = alone.run(
                lambda: convert_run(command, directory, workers), args.repeat
            )
        except RuntimeError as error:
            print(f"({convert_row}: skipped, {error})\n")

    print(f"{'way':<34}{'wall s':>8}{'files/s':>9}{'cpu s':>8}{'files/cpu s':>12}{'articles':>9}")
    for name, (wall, cpu, count) in rows.items():
        print(
            f"{name:<34}{wall:>8.3f}{args.files / wall:>9.0f}{cpu:>8.3f}"
            f"{args.files / cpu:>12.0f}{count:>9,}"
        )
    counts = {count for _, _, count in rows.values()}
    if len(counts) != 1:
        print(f"\nwarning: the ways disagree on the number of articles: {sorted(counts)}")

    def ratio(name: str, base: str) -> str:
        (wall, cpu, _), (base_wall, base_cpu, _) = rows[name], rows[base]
        return f"wall {wall / base_wall:.2f}x, cpu {cpu / base_cpu:.2f}x"

    print("\ncost against the one-process loop doing the same work (cpu 1.00x = no overhead):")
    print(f"  {processes}, articles collected: {ratio(processes, loop)}")
    print(f"  {processes_parquet}: {ratio(processes_parquet, loop_parquet)}")
    if convert_row in rows:
        print(f"  {convert_row}: {ratio(convert_row, loop)}")
        print(f"overhead ratio, {processes} / {convert_row}: {ratio(processes, convert_row)}")
    shutil.rmtree(directory / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
