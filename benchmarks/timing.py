"""Time one command in a subprocess: wall time, CPU seconds and peak memory, as JSON.

    from timing import run_once
    figures = run_once([sys.executable, "-m", "newsparse", "parse", "-q", corpus])

Each run goes through a small wrapper process (this file run as a script) so that
getrusage(RUSAGE_CHILDREN) there counts that command alone: the largest resident set of
any one of its processes (the parent or a worker) and the CPU seconds all of them used
(user + system). benchmarks/convert.py, stats.py and archives.py time their runs this way.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

__all__ = ["measure", "run_once"]


def measure(command: list[str]) -> None:
    """Run COMMAND; print its wall time, exit status, peak RSS and CPU times as JSON."""
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)  # bytes on macOS
    figures = {
        "seconds": seconds,
        "returncode": completed.returncode,
        "peak_kb": peak,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "user_seconds": usage.ru_utime,
        "stderr": completed.stderr.decode()[-2000:],
    }
    print(json.dumps(figures))


def run_once(command: list[str], name: str | None = None) -> dict[str, float]:
    """Run COMMAND through the wrapper; return its figures (see `measure`).

    Exit status 1 is accepted (corpora hold broken dumps on purpose); any other stops
    the benchmark, naming the command (or NAME) with the end of its stderr.
    """
    wrapper = [sys.executable, os.path.abspath(__file__), *command]
    completed = subprocess.run(wrapper, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(completed.stdout)
    if figures["returncode"] not in (0, 1):
        raise SystemExit(
            f"{name or command} failed ({figures['returncode']}):\n{figures['stderr']}"
        )
    return figures


if __name__ == "__main__":
    measure(sys.argv[1:])
