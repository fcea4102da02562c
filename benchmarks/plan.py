"""Benchmark the work `convert -j N` does in its parent for each input, against its floor.

    python benchmarks/plan.py                   # 5,000 realistic dumps, 9 rounds
    python benchmarks/plan.py --files 1000 --rounds 5 --corpus DIR

With more than one job the parent plans every input while the workers convert, on the same
cores: it finds the input, looks at its stat and its first bytes (an archive's members are
inputs of their own), claims its output name and checks the output's directory. Its CPU
time is taken from the workers. This times that plan alone, in this process, with nothing
converted, against a floor loop that does only the system calls any plan must make (a
sorted walk, one stat, and an open, a 512-byte read and a close per input) and joins each
output's path. The two take turns, and the figures are medians of CPU time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import corpus  # noqa: E402


def plan_only(source: str, destination: str) -> int:
    """Run `convert`'s plan over SOURCE into DESTINATION, converting nothing; count its items."""
    from newsparse.batch import run
    from newsparse.batch.options import ConvertOptions

    planned = 0

    def no_workers(plan: Iterator[Any], *rest: Any) -> Iterator[Any]:
        nonlocal planned
        for _ in plan:
            planned += 1
        yield from ()

    saved = run._execute
    run._execute = no_workers  # type: ignore[assignment]
    try:
        for _ in run.convert([source], ConvertOptions(destination=destination, jobs=2)):
            pass
    finally:
        run._execute = saved  # type: ignore[assignment]
    return planned


def floor(source: str, destination: str) -> int:
    """Look at every `.txt` file under SOURCE as any plan must; return how many there were."""
    count = 0
    for directory, folders, files in os.walk(source):
        folders.sort()
        relative = os.path.relpath(directory, source)
        for name in sorted(files):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(directory, name)
            os.stat(path)
            fd = os.open(path, os.O_RDONLY)
            try:
                os.read(fd, 512)
            finally:
                os.close(fd)
            os.path.join(destination, relative, name[:-4] + ".json")
            count += 1
    return count


def measure(source: str, rounds: int, work: str) -> dict[str, float]:
    """Return the median CPU seconds of the plan and of the floor over SOURCE."""
    contenders: dict[str, Callable[[str, str], int]] = {"plan": plan_only, "floor": floor}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    counts = {}
    for number in range(rounds + 1):  # the first round warms the caches, untimed
        for name, contender in contenders.items():
            destination = os.path.join(work, f"{name}-{number}")
            started = time.process_time()
            counts[name] = contender(source, destination)
            spent = time.process_time() - started
            shutil.rmtree(destination, ignore_errors=True)
            if number:
                times[name].append(spent)
    if counts["plan"] != counts["floor"]:
        raise SystemExit(f"the plan saw {counts['plan']} inputs, the floor {counts['floor']}")
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--corpus", help="a directory of dumps to use instead of a new one")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsparse-plan-") as work:
        source = args.corpus
        if source is None:
            source = os.path.join(work, "corpus")
            corpus.generate(Path(source), args.files, 2022, realistic=True)
        medians = measure(source, args.rounds, work)
        inputs = sum(1 for _, _, files in os.walk(source) for n in files if n.endswith(".txt"))
    print(f"inputs: {inputs}; medians of {args.rounds} rounds, CPU time")
    for name, label in (("plan", "convert's plan (parent)"), ("floor", "floor: walk, stat, head")):
        seconds = medians[name]
        print(f"  {label:<28}{seconds * 1000:8.1f} ms {seconds / inputs * 1e6:7.1f} us/input")
    print(f"  plan / floor{medians['plan'] / medians['floor']:28.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
