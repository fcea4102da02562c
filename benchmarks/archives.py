"""Benchmark reading a corpus as a directory, as a .tar.gz and as a .tar.zst.

    python benchmarks/archives.py                     # 20,000 dumps, 3 runs each
    python benchmarks/archives.py --files 2000 --runs 1 --json out.json

The corpus is `benchmarks/corpus.py`'s (generated once under benchmarks/corpus/, shared with
benchmarks/convert.py); the archives are made from it once, beside it, in the order
`newsparse parse DIR` reads the files, in GNU tar's format (no pax header per member). Each
run is the real command line in a subprocess: `parse -q -f jsonl INPUT` (standard output
thrown away) and `convert INPUT -o OUT -j 2 --force --quiet`, the three inputs taking turns
so that a change in the machine's load touches them alike. The figures are medians; peak
memory is the largest resident set of any one process of the run (getrusage in a wrapper
process, benchmarks/timing.py). Decompression is included: the archive is read as
given. Memory is flat when the archive of twice as many members (`--flat`, on by default)
peaks no higher. CPU seconds (user + system, every process of the run) are printed beside
the wall-clock time, and the user seconds alone: on a machine shared with other work they
say more about the cost. Each convert run writes into a fresh directory, and the outputs are
removed only after the last run: on ext4, creating files just after thousands were deleted
costs much system time (new inodes skip the recently deleted ones), which would land on
whichever run comes next.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from convert import corpus_for  # noqa: E402
from timing import run_once  # noqa: E402

#: How close to the directory an archive must come (time with / time without).
TARGET = 1.3


def walk_order(root: str) -> list[str]:
    """Return the files under ROOT as `newsparse parse ROOT` reads them, relative to it."""
    found: list[str] = []

    def visit(directory: str, prefix: str) -> None:
        for entry in sorted(os.scandir(directory), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                visit(entry.path, prefix + entry.name + "/")
            elif entry.name.endswith(".txt"):
                found.append(prefix + entry.name)

    visit(root, "")
    return found


def write_tar(members: list[tuple[str, str]], path: str, codec: str) -> None:
    """Write MEMBERS (file, name in the archive) into the tar at PATH, compressed with CODEC."""
    temporary = path + ".partial"
    with open(temporary, "wb") as raw:
        if codec == "gz":
            import gzip

            packed = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0)
        else:
            import zstandard

            packed = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)
        with packed, tarfile.open(fileobj=packed, mode="w|", format=tarfile.GNU_FORMAT) as tar:
            for source, name in members:
                tar.add(source, arcname=name, recursive=False)
    os.replace(temporary, path)


def archives_for(corpus: str, flat: bool) -> dict[str, str]:
    """Return the inputs to compare, making the archives the first time."""
    members = [(os.path.join(corpus, name), name) for name in walk_order(corpus)]
    inputs = {"directory": corpus}
    wanted = [("tar.gz", "gz", members), ("tar.zst", "zst", members)]
    if flat:  # every dump twice: the second time under again/
        wanted.append(
            ("tar.gz x2", "gz", members + [(source, f"again/{name}") for source, name in members])
        )
    for label, codec, pairs in wanted:
        suffix = label.split()[0]
        path = f"{corpus}{'-x2' if label.endswith('x2') else ''}.{suffix}"
        if not os.path.exists(path):
            write_tar(pairs, path, codec)
            print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)", file=sys.stderr)
        inputs[label] = path
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000, help="dumps to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (median)")
    parser.add_argument("--corpus-dir", default=os.path.join(HERE, "corpus"))
    parser.add_argument(
        "--no-flat",
        dest="flat",
        action="store_false",
        help="skip the archive of twice as many members",
    )
    parser.add_argument("--json", metavar="OUT", help="also write the figures here")
    args = parser.parse_args()

    corpus, total_bytes = corpus_for(args.files, args.seed, args.corpus_dir)
    inputs = archives_for(corpus, args.flat)
    python = [sys.executable, "-m", "newsparse"]
    commands = {
        "parse -f jsonl": lambda path, out: [*python, "parse", "-q", "-f", "jsonl", path],
        "convert -j 2": lambda path, out: [
            *python,
            "convert",
            path,
            "-o",
            out,
            "-j",
            "2",
            "--force",
            "--quiet",
        ],
    }
    load_before = os.getloadavg()
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    scratch = tempfile.mkdtemp(prefix="newsparse-bench-")
    try:
        for round_ in range(args.runs):
            for name, make in commands.items():
                for number, (label, path) in enumerate(inputs.items()):  # taking turns
                    out = os.path.join(scratch, f"out-{round_}-{number}")  # removed at the end
                    runs.setdefault((name, label), []).append(run_once(make(path, out)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_after = os.getloadavg()

    print(
        f"{args.files:,} dumps, {total_bytes / 1e6:.1f} MB, {os.cpu_count()} CPUs, load "
        f"average {load_before[0]:.2f} -> {load_after[0]:.2f}, median of {args.runs}"
    )
    print(
        f"{'command':<16} {'input':<11} {'size MB':>8} {'seconds':>8} {'files/s':>8} "
        f"{'MB/s':>6} {'peak MB':>8} {'vs dir':>7} {'CPU s':>6} {'CPU vs dir':>10} "
        f"{'user s':>6} {'user vs dir':>11}"
    )
    results = []
    for name in commands:
        base = statistics.median(r["seconds"] for r in runs[(name, "directory")])
        base_cpu = statistics.median(r["cpu_seconds"] for r in runs[(name, "directory")])
        base_user = statistics.median(r["user_seconds"] for r in runs[(name, "directory")])
        for label, path in inputs.items():
            measured = runs[(name, label)]
            seconds = statistics.median(r["seconds"] for r in measured)
            cpu = statistics.median(r["cpu_seconds"] for r in measured)
            user = statistics.median(r["user_seconds"] for r in measured)
            files = args.files * (2 if label.endswith("x2") else 1)
            size = (os.path.getsize(path) if os.path.isfile(path) else total_bytes) / 1e6
            figures = {
                "command": name,
                "input": label,
                "size_mb": size,
                "seconds_median": seconds,
                "seconds_all": [round(r["seconds"], 3) for r in measured],
                "files_per_second": files / seconds,
                "mb_per_second": total_bytes * files / args.files / 1e6 / seconds,
                "peak_rss_mb": max(r["peak_kb"] for r in measured) / 1024,
                "vs_directory": seconds / base if not label.endswith("x2") else None,
                "cpu_seconds_median": cpu,
                "cpu_vs_directory": cpu / base_cpu if not label.endswith("x2") else None,
                "user_seconds_median": user,
                "user_vs_directory": user / base_user if not label.endswith("x2") else None,
            }
            results.append(figures)
            ratio = f"{figures['vs_directory']:.2f}x" if figures["vs_directory"] else "-"
            cpu_ratio = (
                f"{figures['cpu_vs_directory']:.2f}x" if figures["cpu_vs_directory"] else "-"
            )
            user_ratio = (
                f"{figures['user_vs_directory']:.2f}x" if figures["user_vs_directory"] else "-"
            )
            print(
                f"{name:<16} {label:<11} {size:>8.1f} {seconds:>8.2f} "
                f"{figures['files_per_second']:>8,.0f} {figures['mb_per_second']:>6.1f} "
                f"{figures['peak_rss_mb']:>8.1f} {ratio:>7} {cpu:>6.1f} {cpu_ratio:>10} "
                f"{user:>6.1f} {user_ratio:>11}"
            )
    for key, what in (
        ("vs_directory", "wall-clock time"),
        ("cpu_vs_directory", "CPU time"),
        ("user_vs_directory", "user CPU time"),
    ):
        worst = max(f[key] for f in results if f[key])
        print(
            f"slowest archive run, {what}: {worst:.2f}x the directory "
            f"({'within' if worst <= TARGET else 'over'} the {TARGET}x target)"
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
                },
                stream,
                indent=2,
            )
            stream.write("\n")


if __name__ == "__main__":
    main()
