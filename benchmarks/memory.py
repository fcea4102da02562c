"""Peak memory (RSS) of `newsparse parse` on hostile inputs; the figures SECURITY.md quotes.

Each case runs `python -m newsparse parse ...` in a child process, its output thrown
away, and reads that child's own peak resident set size from `os.wait4` (what
`/usr/bin/time -v` calls "Maximum resident set size"), through a small interpreter
that starts it (see `peak_rss`):

    python benchmarks/memory.py                       # every case
    python benchmarks/memory.py --case legacy_bytes_50mb
    cd /other/checkout && python /this/checkout/benchmarks/memory.py   # another version

The child runs `python -m newsparse` in the current directory, so the newsparse it
imports is the one there (or the installed one).

Cases: files of bytes 0x80-0xFF (20 MB, 50 MB: under the default --max-size), 500,000
bylines each starting an article (14 MB), and 20, 100 and 200 MB of lines ended by CR
only, read from standard input (flat memory shows as the same peak at each size), and
100 MB of one-letter lines on standard input (`yes`: the costliest text per byte).
The inputs are written to a temporary directory and removed afterwards.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MB = 1_000_000


def legacy_bytes(size: int) -> Callable[[Path], bytes]:
    """Bytes 0x80-0xFF over and over: invalid UTF-8, and no Romanian text either."""

    def make(directory: Path) -> bytes:
        unit = bytes(range(0x80, 0x100))
        return (unit * (size // len(unit) + 1))[:size]

    return make


def byline_lines(directory: Path) -> bytes:
    """500,000 bylines, each starting an article of its own, 14 MB."""
    return b"Scris de Ana pe 1 mai 2020\n\n" * 500_000


def cr_only(size: int) -> Callable[[Path], bytes]:
    """Short prose lines ended by a lone CR (old Mac line endings)."""

    def make(directory: Path) -> bytes:
        line = b"Un rand de text care se termina doar cu CR.\r"
        return (line * (size // len(line) + 1))[:size]

    return make


def one_letter_lines(size: int) -> Callable[[Path], bytes]:
    """`y` and a line feed, over and over (what `yes` prints): no article, no footer."""

    def make(directory: Path) -> bytes:
        return b"y\n" * (size // 2)

    return make


# name -> (input maker, read from standard input?)
CASES: dict[str, tuple[Callable[[Path], bytes], bool]] = {
    "legacy_bytes_20mb": (legacy_bytes(20 * MB), False),
    "legacy_bytes_50mb": (legacy_bytes(50 * MB), False),
    "byline_lines_14mb": (byline_lines, False),
    "cr_only_stdin_20mb": (cr_only(20 * MB), True),
    "cr_only_stdin_100mb": (cr_only(100 * MB), True),
    "cr_only_stdin_200mb": (cr_only(200 * MB), True),
    "one_letter_lines_stdin_100mb": (one_letter_lines(100 * MB), True),
}


# Runs COMMAND and prints its peak RSS (KiB). A child's peak RSS on Linux starts from the
# high-water mark of the process it was forked from, so the measured command is started
# by this small interpreter rather than by the benchmark, which holds the input in memory.
_MEASURER = (
    "import os, subprocess, sys\n"
    "stdin = open(sys.argv[1], 'rb') if sys.argv[1] != '-' else subprocess.DEVNULL\n"
    "with open(os.devnull, 'wb') as sink:\n"
    "    child = subprocess.Popen(sys.argv[2:], stdin=stdin, stdout=sink,\n"
    "                             stderr=subprocess.DEVNULL)\n"
    "    _, status, usage = os.wait4(child.pid, 0)\n"
    "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def peak_rss(command: list[str], stdin: str = "-") -> tuple[int, int]:
    """Return (peak RSS in KiB, exit status) of COMMAND, STDIN a file name or `-`."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURER, stdin, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    rss, status = done.stdout.split()
    return int(rss), int(status)


def measure(name: str, directory: Path) -> tuple[int, float, int, int]:
    """Run case NAME; return (input bytes, seconds, peak RSS in KiB, exit status)."""
    make, stdin = CASES[name]
    path = directory / f"{name}.txt"
    data = make(directory)
    size = len(data)
    path.write_bytes(data)
    del data
    command = [sys.executable, "-m", "newsparse", "parse", "-q", "-f", "jsonl", "--max-size", "0"]
    if not stdin:
        command.append(str(path))
    started = time.monotonic()
    rss, status = peak_rss(command, str(path) if stdin else "-")
    elapsed = time.monotonic() - started
    path.unlink()
    return size, elapsed, rss, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case", action="append", choices=sorted(CASES), help="run only this case (repeatable)"
    )
    args = parser.parse_args()
    names = args.case or list(CASES)
    print(
        f"{'case':<22} {'input MB':>9} {'peak RSS MB':>12} {'RSS/input':>10} "
        f"{'seconds':>8} {'exit':>5}"
    )
    with tempfile.TemporaryDirectory() as temporary:
        for name in names:
            size, seconds, rss_kib, status = measure(name, Path(temporary))
            rss = rss_kib * 1024 / MB
            print(
                f"{name:<22} {size / MB:>9.1f} {rss:>12.0f} {rss / (size / MB):>10.2f} "
                f"{seconds:>8.1f} {status:>5}",
                flush=True,
            )


if __name__ == "__main__":
    main()
