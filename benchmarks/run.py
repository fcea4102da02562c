"""Measure newsparse against a naive script and markdown-it-py, with start-up, dates and memory.

Run `python benchmarks/run.py` (after `pip install ".[bench]"`). Everything is measured in
the same run, in interleaved rounds, on the realistic corpus of `corpus.generate`, so that the
ratios hold even on a busy machine; the figures are medians, and each target is printed with
PASS or MISS. `--quick` is a smoke run; `--json OUT` also writes the results.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import naive  # noqa: E402

#: Each target: (key, what it compares, bound, "min" when the ratio must reach it, "max" when
#: it must stay below it).
TARGETS = [
    ("cli_vs_naive_cli", "parse -f jsonl DIR vs the regex script (speed)", 1.0, "min"),
    ("cli_vs_floor", "parse -f jsonl DIR vs the floor script (time)", 3.0, "max"),
    ("library_vs_naive", "newsparse library vs naive script", 0.6, "min"),
    ("library_vs_markdown_it", "newsparse library vs markdown-it-py", 3.0, "min"),
    ("convert_j2_vs_single_memory", "convert -j 2 vs -j 1, outputs on tmpfs", 1.7, "min"),
    ("convert_j2_vs_write_floor", "convert -j 2 on disk vs writing its files (time)", 1.2, "max"),
    ("startup_vs_python", "newsparse parse FILE vs python -c pass", 3.5, "max"),
    ("fast_dates_vs_dateutil", "fast date path vs dateutil parser.parse", 20.0, "min"),
    ("peak_rss_mb", "peak RSS streaming the large input (MB)", 100.0, "max"),
    ("rss_growth", "peak RSS large / small input", 1.1, "max"),
]


# --- timing helpers ---------------------------------------------------------------------


class Timed:
    """The wall and CPU seconds of each run of one contender."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []


def interleaved(
    contenders: dict[str, Callable[[], float | None]],
    runs: int,
    *,
    settle: Callable[[], None] | None = None,
) -> dict[str, Timed]:
    """Time each contender RUNS times, round-robin after one untimed warm-up round.

    Taking turns spreads the load of a shared machine over every contender alike, so
    their ratios are fairer than timing each in a block. A contender returns the CPU
    seconds of the child process it ran, or None to be charged this process's CPU time.
    SETTLE, when given, runs (untimed) before every run: `settle_disk` lets the kernel
    finish writing what earlier contenders left in the page cache first.
    """
    for function in contenders.values():
        prepare = getattr(function, "prepare", None)
        if prepare is not None:
            prepare()
        function()
    times = {name: Timed() for name in contenders}
    for _ in range(runs):
        for name, function in contenders.items():
            prepare = getattr(function, "prepare", None)
            if prepare is not None:
                prepare()  # untimed: clearing the last run's outputs, say
            if settle is not None:
                settle()
            wall, cpu = time.perf_counter(), time.process_time()
            child = function()
            times[name].wall.append(time.perf_counter() - wall)
            times[name].cpu.append(child if child is not None else time.process_time() - cpu)
    return times


def settle_disk() -> None:
    """Write the page cache's dirty data out now, and wait for it (untimed).

    The contenders that create files on disk leave thousands of them to be written back
    by the kernel's own threads, seconds later: on two cores that writing would fall on
    whichever contender runs next, tmpfs ones and other sections included.
    """
    if hasattr(os, "sync"):
        os.sync()


def run_quietly(command: list[str]) -> float:
    """Run COMMAND with its output thrown away; return the CPU seconds it used.

    Raise when it fails beyond exit status 1 (which only means the input had problems).
    """
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:  # pragma: no cover - Windows has no rusage of a child: wall time stands in
        child.wait()
        cpu = time.perf_counter() - start
    if child.returncode not in (0, 1):
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(
            f"{' '.join(command[:4])} ... exited {child.returncode}: " + " | ".join(tail)
        )
    return cpu


def newsparse_command() -> list[str]:
    """Return how to start the installed command line (the console script when there is one)."""
    script = Path(sys.executable).with_name("newsparse")
    if script.exists():
        return [str(script)]
    found = shutil.which("newsparse")
    return [found] if found else [sys.executable, "-m", "newsparse"]


def row(label: str, times: Timed | None = None, **extra: Any) -> dict[str, Any]:
    """Return one result row: a label, the medians and every run, and what was derived."""
    result: dict[str, Any] = {"label": label}
    if times is not None:
        result["median_s"] = statistics.median(times.wall)
        result["cpu_s"] = statistics.median(times.cpu)
        result["runs_s"] = [round(t, 6) for t in times.wall]
        result["runs_cpu_s"] = [round(t, 6) for t in times.cpu]
    result.update(extra)
    return result


# --- throughput on a corpus ---------------------------------------------------------------


class NaiveRunner:
    """The naive script, in-process, writing JSON Lines to the null device."""

    def __init__(self, files: list[str]) -> None:
        self.files = files

    def __call__(self) -> None:
        with open(os.devnull, "w", encoding="utf-8") as out:
            naive.run(self.files, out)


class LibraryRunner:
    """`parse_file` and the JSON Lines exporter, in-process, writing to the null device."""

    def __init__(self, files: list[str]) -> None:
        from newsparse import parse_file
        from newsparse.exporters import get_exporter

        self.files = files
        self.parse_file = parse_file
        self.exporter = get_exporter("jsonl")

    def __call__(self) -> None:
        # The stream the command line gives the exporter: bytes when it writes bytes.
        if self.exporter.binary:
            out: Any = open(os.devnull, "wb")  # noqa: SIM115
        else:
            out = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        with out:
            exporter = self.exporter(out)
            for path in self.files:
                for article in self.parse_file(path).articles:
                    exporter.write(article)
            exporter.close()


class MarkdownItRunner:
    """markdown-it-py tokenizing each file (what one might reach for instead)."""

    def __init__(self, files: list[str]) -> None:
        from markdown_it import MarkdownIt

        self.files = files
        self.markdown = MarkdownIt("commonmark")

    def __call__(self) -> None:
        for path in self.files:
            with open(path, encoding="utf-8", errors="replace") as stream:
                self.markdown.parse(stream.read())


def convert_available(command: list[str]) -> bool:
    """Tell whether this newsparse has the `convert` command."""
    done = subprocess.run([*command, "convert", "--help"], capture_output=True, check=False)
    return done.returncode == 0


def measure_corpus(
    directory: Path,
    stats: corpus.CorpusStats,
    runs: int,
    work: Path,
    log: Callable[[str], None],
    memory: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Time every contender over the corpus in DIRECTORY; return rows keyed by name."""
    files = list(naive.iter_files(str(directory)))
    command = newsparse_command()
    contenders: dict[str, Callable[[], float | None]] = {
        "naive": NaiveRunner(files),
        "library": LibraryRunner(files),
        "naive_cli": lambda: run_quietly([sys.executable, str(HERE / "naive.py"), str(directory)]),
        "cli": lambda: run_quietly([*command, "parse", "-f", "jsonl", str(directory)]),
        "floor_cli": lambda: run_quietly([sys.executable, str(HERE / "floor.py"), str(directory)]),
    }
    labels = {
        "naive": "naive script (in-process)",
        "library": "newsparse library (parse_file + JSON)",
        "naive_cli": "naive script (subprocess)",
        "cli": "newsparse parse -f jsonl DIR",
        "floor_cli": "floor script: read, split, orjson (subproc.)",
        "markdown_it": "markdown-it-py tokenize (peer)",
        "convert_j1": "newsparse convert -j 1",
        "convert_j2": "newsparse convert -j 2",
        "convert_j1_memory": "convert -j 1, outputs in memory (tmpfs)",
        "convert_j2_memory": "convert -j 2, outputs in memory (tmpfs)",
        "write_floor": "writing convert's files (write_floor.py)",
        "spin_one": "CPU-bound loop, 1 process (machine)",
        "spin_two": "the same loop halved, 2 processes at once",
    }
    notes: dict[str, str] = {}
    try:
        contenders["markdown_it"] = MarkdownItRunner(files)
    except ImportError:
        notes["markdown_it"] = (
            "skipped: markdown-it-py is not installed (pip install -e '.[bench]')"
        )
    if convert_available(command):
        # Outputs go beside the corpus (on disk), and to a memory file system when there is
        # one: the disk's own cost of creating files is part of the first figure only.
        places = {"": work}
        if memory is not None:
            places["_memory"] = memory
        for suffix, place in places.items():
            for jobs in (1, 2):
                name = f"convert_j{jobs}{suffix}"
                converter = Converter(
                    command, directory, place / f"out{jobs}", jobs, sync=not suffix
                )
                try:
                    converter.prepare()
                    converter()
                except RuntimeError as error:
                    notes[name] = f"failed: {error}"
                else:
                    contenders[name] = converter
                    if name == "convert_j2":
                        contenders["write_floor"] = WriteFloor(converter.out, work / "write-floor")
        if memory is None:
            notes["convert_j1_memory"] = notes["convert_j2_memory"] = (
                "skipped: no memory file system (/dev/shm) here"
            )
    else:
        for name in ("convert_j1", "convert_j2", "convert_j1_memory", "convert_j2_memory"):
            notes[name] = "skipped: this newsparse has no `convert` command"
    if "convert_j2" in contenders or "convert_j2_memory" in contenders:
        contenders["spin_one"], contenders["spin_two"] = Spinner(1), Spinner(2)
    log(f"corpus throughput: {', '.join(contenders)} x {runs} rounds")
    times = interleaved(contenders, runs, settle=settle_disk)
    settle_disk()  # what the last round wrote is not left for the next section
    rows = {}
    megabytes = stats.bytes / 1e6
    for name, label in labels.items():
        if name in times and name.startswith("spin_"):
            rows[name] = row(label, times[name])  # a loop, not the corpus: no article rates
        elif name in times:
            wall, cpu = statistics.median(times[name].wall), statistics.median(times[name].cpu)
            rows[name] = row(
                label,
                times[name],
                articles_per_s=stats.articles / wall,
                articles_per_cpu_s=stats.articles / cpu,
                mb_per_cpu_s=megabytes / cpu,
            )
        else:
            rows[name] = row(label, note=notes.get(name, "skipped"))
    return rows


class Converter:
    """`newsparse convert -j N` over the corpus, into a new directory at each run.

    The last run's outputs are removed before each run, untimed, and the removal is
    synced to disk: on a journaling file system, creating 2,000 files right where 2,000
    were just deleted costs several times more kernel time (and two processes contend
    for it), which would be charged to the run instead of to newsparse.
    """

    def __init__(
        self, command: list[str], directory: Path, out: Path, jobs: int, *, sync: bool = True
    ) -> None:
        self.command = [*command, "convert", "-f", "jsonl", "-j", str(jobs), str(directory)]
        self.base = out
        self.out = out
        self.count = 0
        self.sync = sync  # a memory file system has no journal to flush

    def prepare(self) -> None:
        """Remove the last run's outputs and pick a new directory, so nothing is skipped."""
        shutil.rmtree(self.out, ignore_errors=True)
        if self.sync and hasattr(os, "sync"):
            os.sync()
        self.count += 1
        self.out = self.base.with_name(f"{self.base.name}-{self.count}")

    def __call__(self) -> float | None:
        return run_quietly([*self.command, "-o", str(self.out)])


class Spinner:
    """This machine's own ceiling for `-j 2`: a CPU-bound loop, whole in one process or
    halved in two processes at once.

    Two processes finish in half the time only where the two CPUs are really free and
    independent. On a shared virtual machine they are often not: a pure-Python loop of
    fixed length then takes up to half as much CPU time again when another runs beside
    it. `2 processes` against `1 process` is the most that `convert -j 2` against
    `-j 1` could reach in the same minutes, with no planning or messages (each process's
    interpreter start-up, about 10 ms, is in both figures).
    """

    #: Loop iterations for the whole job: about half a second of one CPU.
    ITERATIONS = 6_000_000

    def __init__(self, processes: int) -> None:
        count = self.ITERATIONS // processes
        self.commands = [
            [sys.executable, "-S", "-c", f"x = 0\nfor i in range({count}):\n    x += i"]
        ] * processes

    def __call__(self) -> float | None:
        children: list[subprocess.Popen[bytes]] = []
        cpu: float | None = 0.0
        try:
            for command in self.commands:
                children.append(subprocess.Popen(command))
            for child in children:
                if not hasattr(os, "wait4"):  # pragma: no cover - no child rusage (Windows)
                    child.wait()
                    cpu = None
                    continue
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = os.waitstatus_to_exitcode(status)
                if cpu is not None:
                    cpu += usage.ru_utime + usage.ru_stime
        finally:
            for child in children:
                if child.returncode is None:  # interrupted: end it, never leave it running
                    child.kill()
                    child.wait()
        failed = [child.returncode for child in children if child.returncode != 0]
        if failed:
            raise RuntimeError(f"the CPU-bound loop exited {failed[0]}")
        return cpu


class WriteFloor:
    """The floor of creating convert's outputs: the same bytes to the same names, in-process.

    The outputs of one `convert -j 2` run are read into memory once, untimed; each run
    writes them into a new directory, prepared as `Converter` prepares its own.
    """

    def __init__(self, source: Path, out: Path) -> None:
        import write_floor

        self.write_all = write_floor.write_all
        self.outputs = write_floor.load(str(source))
        self.base = out
        self.out = out
        self.count = 0

    def prepare(self) -> None:
        """Remove the last run's files, sync, and pick a new directory."""
        shutil.rmtree(self.out, ignore_errors=True)
        if hasattr(os, "sync"):
            os.sync()
        self.count += 1
        self.out = self.base.with_name(f"{self.base.name}-{self.count}")

    def __call__(self) -> None:
        self.write_all(self.outputs, str(self.out))


#: The default path against each option the command line adds: (key, label, arguments).
OPTIONS = [
    ("normalize", "--normalize", ["--normalize"]),
    ("fix_text", "--fix-text", ["--fix-text"]),
    ("restore_diacritics", "--restore-diacritics", ["--restore-diacritics"]),
    ("dedupe", "--dedupe exact", ["--dedupe", "exact"]),
    ("dedupe_near", "--dedupe near", ["--dedupe", "near"]),
    ("source", "--source digi24 (a filter)", ["--source", "digi24"]),
    ("keep_boilerplate", "--keep-boilerplate", ["--keep-boilerplate"]),
]


def measure_options(
    directory: Path, stats: corpus.CorpusStats, runs: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Time `parse -f jsonl DIR` plain and with each option, in interleaved rounds."""
    import importlib.util

    command = newsparse_command()
    base = [*command, "parse", "-f", "jsonl", "-q", str(directory)]

    def runner(extra: list[str]) -> Callable[[], float]:
        return lambda: run_quietly([*base, *extra])

    # Options go through click, the plain command does not (the quick path): each option
    # is compared with the same command sent through click by a neutral option.
    contenders: dict[str, Callable[[], float | None]] = {
        "default": runner([]),
        "default_click": runner(["--no-color"]),
    }
    notes: dict[str, str] = {}
    for key, _, extra in OPTIONS:
        if key == "restore_diacritics" and importlib.util.find_spec("wordfreq") is None:
            notes[key] = "skipped: needs newsparse[diacritics]"
            continue
        contenders[key] = runner(extra)
    log(f"options: default and {len(contenders) - 2} options x {runs} rounds")
    times = interleaved(contenders, runs)
    rows = {
        "option_default": row(
            "parse -f jsonl -q DIR (default path)",
            times["default"],
            articles_per_cpu_s=stats.articles / statistics.median(times["default"].cpu),
        ),
        "option_default_click": row(
            "  the same through click (--no-color)",
            times["default_click"],
            articles_per_cpu_s=stats.articles / statistics.median(times["default_click"].cpu),
            vs_default=statistics.median(times["default_click"].cpu)
            / statistics.median(times["default"].cpu),
        ),
    }
    default_cpu = statistics.median(times["default_click"].cpu)
    for key, label, _ in OPTIONS:
        if key in notes:
            rows[f"option_{key}"] = row(f"  {label}", note=notes[key])
            continue
        cpu = statistics.median(times[key].cpu)
        rows[f"option_{key}"] = row(
            f"  {label}",
            times[key],
            articles_per_cpu_s=stats.articles / cpu,
            vs_default=cpu / default_cpu,
        )
    return rows


# --- start-up -------------------------------------------------------------------------------


def measure_startup(
    small_file: Path, runs: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Time `python -c pass` against `newsparse parse FILE` for one small article."""
    command = newsparse_command()
    log(f"start-up: python -c pass vs newsparse parse FILE x {runs} rounds")
    times = interleaved(
        {
            "python": lambda: run_quietly([sys.executable, "-c", "pass"]),
            "newsparse": lambda: run_quietly([*command, "parse", str(small_file)]),
            # A neutral option sends the same work through click's option parsing.
            "options": lambda: run_quietly([*command, "parse", "--no-color", str(small_file)]),
        },
        runs,
    )
    return {
        "startup_python": row("python -c pass", times["python"]),
        "startup_newsparse": row("newsparse parse FILE (one article)", times["newsparse"]),
        "startup_options": row("newsparse parse --no-color FILE (click)", times["options"]),
    }


# --- dates ----------------------------------------------------------------------------------


def common_dates(count: int, seed: int) -> list[str]:
    """Return byline dates in the shapes most dumps use (the fast path's business)."""
    rng = random.Random(seed)
    shapes = []
    for _ in range(count):
        year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(0, 23), rng.randint(0, 59)
        roll = rng.random()
        if roll < 0.75:
            shapes.append(f"{day} {corpus.MONTHS[month - 1]} {year}, {hour:02d}:{minute:02d}")
        elif roll < 0.85:
            shapes.append(
                f"{rng.choice(corpus.WEEKDAYS)}, {day} {corpus.MONTHS[month - 1]} "
                f"{year}, {hour:02d}:{minute:02d}"
            )
        elif roll < 0.95:
            shapes.append(f"{day} {corpus.SHORT_MONTHS[month - 1]} {year}, {hour}:{minute:02d}")
        else:
            shapes.append(f"{day:02d}.{month:02d}.{year}, {hour:02d}:{minute:02d}")
    return shapes


def measure_dates(
    count: int, runs: int, seed: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Time the fast date path, dateutil's parser.parse and our dateutil fallback."""
    from newsparse import dates

    texts = common_dates(count, seed)
    parser = dates._dateutil_parser()
    # What dateutil needs to read a Romanian date: folded and cleaned (done before timing).
    cleaned = [dates._clean_for_dateutil(dates.fold(text)) for text in texts]
    folded = [dates.fold(text.strip()) for text in texts]
    bylines = [f"Scris de Ion Popescu pe {text}" for text in texts]
    fast = [dates.parse_date(text) for text in texts]
    slow = [dates._parse_general(f, t) for f, t in zip(folded, texts, strict=True)]
    disagree = sum(1 for a, b in zip(fast, slow, strict=True) if a.value != b.value)
    missed = sum(1 for result in fast if not result.fast)
    log(f"dates: {count} dates x {runs} rounds")

    def fast_path() -> None:
        for text in texts:
            dates.parse_date(text)

    def dateutil_parse() -> None:
        for text in cleaned:
            parser.parse(text)

    # The fallback sits behind a cache, which would answer every round after the first:
    # time the function it wraps, so that each date really goes through dateutil.
    general = getattr(dates._parse_general, "__wrapped__", dates._parse_general)

    def fallback() -> None:
        for f, text in zip(folded, texts, strict=True):
            general(f, text)

    def byline() -> None:
        for text in bylines:
            dates.parse_byline(text)

    times = interleaved(
        {"fast": fast_path, "dateutil": dateutil_parse, "fallback": fallback, "byline": byline},
        runs,
    )
    labels = {
        "fast": "fast date path (dates.parse_date)",
        "dateutil": "dateutil parser.parse",
        "fallback": "newsparse dateutil fallback",
        "byline": "whole byline (dates.parse_byline)",
    }
    rows = {
        f"dates_{name}": row(
            label,
            times[name],
            per_s=count / statistics.median(times[name].wall),
            per_cpu_s=count / statistics.median(times[name].cpu),
        )
        for name, label in labels.items()
    }
    rows["dates_fast"].update(not_fast=missed, disagreements=disagree)
    return rows


# --- memory ---------------------------------------------------------------------------------


def peak_rss_mb(usage: Any) -> float:
    """Return the peak resident set size in a wait4() rusage, in MB."""
    return _rss_mb(usage.ru_maxrss)


def _rss_mb(maxrss: int) -> float:
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, kilobytes on Linux
    return float(maxrss * scale / 1e6)


#: Run the command in its arguments, its output thrown away, and print its exit status, peak
#: RSS and CPU seconds as JSON. On Linux a child's peak RSS starts at its parent's at the
#: fork and survives exec: measured from this benchmark, grown to tens of MB by then, every
#: process would seem as large. Started from this small interpreter, it starts from ~10 MB.
_LAUNCHER = """\
import json, os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss,
                  usage.ru_utime + usage.ru_stime]))
"""


def launched(command: list[str], stdin: Any = None) -> tuple[int, float, float]:
    """Run COMMAND from a fresh small interpreter; return its exit status, peak MB and CPU s."""
    launcher = subprocess.Popen(
        [sys.executable, "-c", _LAUNCHER, *command], stdin=stdin, stdout=subprocess.PIPE
    )
    if stdin is not None:
        stdin.close()  # the command holds the pipe now
    out, _ = launcher.communicate()
    status, maxrss, cpu = json.loads(out)
    return int(status), _rss_mb(maxrss), float(cpu)


def measure_stream(size: int, seed: int) -> dict[str, Any]:
    """Pipe SIZE bytes of concatenated dumps, made on the fly, through `newsparse parse -`."""
    generator = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "corpus.py"),
            "stream",
            "--size",
            str(size),
            "--seed",
            str(seed),
        ],
        stdout=subprocess.PIPE,
    )
    start = time.perf_counter()
    status, peak, cpu = launched(
        [*newsparse_command(), "parse", "-f", "jsonl", "-"], stdin=generator.stdout
    )
    elapsed = time.perf_counter() - start
    generator.wait()
    if status not in (0, 1):
        raise RuntimeError(f"newsparse parse - exited {status}")
    return {
        "bytes": size,
        "seconds": elapsed,
        "cpu_s": cpu,
        "peak_rss_mb": peak,
        "mb_per_s": size / 1e6 / elapsed,
        "mb_per_cpu_s": size / 1e6 / cpu,
    }


def measure_memory(
    small: int, large: int, seed: int, log: Callable[[str], None]
) -> dict[str, dict[str, Any]]:
    """Peak RSS of streaming a SMALL and a LARGE input, and of the bare interpreter."""
    if not hasattr(os, "wait4"):
        note = "skipped: needs os.wait4 (Linux or macOS)"
        return {
            "memory_small": row("stream small", note=note),
            "memory_large": row("stream large", note=note),
        }
    _, bare, _ = launched([sys.executable, "-c", "pass"])
    rows = {"memory_python": row("python -c pass", peak_rss_mb=bare)}
    for key, size in (("memory_small", small), ("memory_large", large)):
        log(f"memory: streaming {_size(size)} through newsparse parse -f jsonl -")
        rows[key] = row(f"stream {_size(size)} through parse -", **measure_stream(size, seed))
    return rows


def _size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} B"


# --- verdicts and the table -----------------------------------------------------------------


def ratios(rows: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Derive every ratio the targets and the table quote from the rows."""

    def rate(name: str, field: str = "articles_per_s") -> float | None:
        value = rows.get(name, {}).get(field)
        return float(value) if value is not None else None

    def divide(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    # One process against another: CPU time, which a busy machine disturbs far less than
    # wall time. Parallel runs and start-up: wall time, which is what they are about.
    cpu = "articles_per_cpu_s"
    single = rate("convert_j1") or rate("cli")
    large, small = rows.get("memory_large", {}), rows.get("memory_small", {})
    return {
        "library_vs_naive": divide(rate("library", cpu), rate("naive", cpu)),
        "cli_vs_naive_cli": divide(rate("cli", cpu), rate("naive_cli", cpu)),
        "cli_vs_floor": divide(rate("floor_cli", cpu), rate("cli", cpu)),
        "convert_j2_vs_write_floor": divide(rate("write_floor"), rate("convert_j2")),
        "library_vs_markdown_it": divide(rate("library", cpu), rate("markdown_it", cpu)),
        "convert_j2_vs_single": divide(rate("convert_j2"), single),
        "convert_j2_vs_cli": divide(rate("convert_j2"), rate("cli")),
        "convert_j2_vs_single_memory": divide(rate("convert_j2_memory"), rate("convert_j1_memory")),
        "machine_two_vs_one": divide(
            rows.get("spin_one", {}).get("median_s"), rows.get("spin_two", {}).get("median_s")
        ),
        "startup_vs_python": divide(
            rows.get("startup_newsparse", {}).get("median_s"),
            rows.get("startup_python", {}).get("median_s"),
        ),
        "startup_options_vs_python": divide(
            rows.get("startup_options", {}).get("median_s"),
            rows.get("startup_python", {}).get("median_s"),
        ),
        "fast_dates_vs_dateutil": divide(
            rate("dates_fast", "per_cpu_s"), rate("dates_dateutil", "per_cpu_s")
        ),
        "fast_dates_vs_fallback": divide(
            rate("dates_fast", "per_cpu_s"), rate("dates_fallback", "per_cpu_s")
        ),
        "peak_rss_mb": large.get("peak_rss_mb"),
        "rss_growth": divide(large.get("peak_rss_mb"), small.get("peak_rss_mb")),
    }


def verdicts(derived: dict[str, float | None]) -> list[dict[str, Any]]:
    """Compare each derived ratio with its target."""
    found = []
    for key, label, bound, kind in TARGETS:
        value = derived.get(key)
        ok = None if value is None else (value >= bound if kind == "min" else value <= bound)
        found.append(
            {"key": key, "label": label, "value": value, "target": bound, "kind": kind, "ok": ok}
        )
    return found


def _figure(value: float | None, unit: str = "x") -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    text = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    return f"{text} {unit}" if unit else text


def format_table(results: dict[str, Any]) -> str:
    """Render the results as the plain-text report the command prints."""
    rows = results["rows"]
    derived = results["ratios"]
    machine, setup = results["machine"], results["setup"]
    out = io.StringIO()
    write = out.write
    write(
        f"machine: {machine['cpus']} CPUs, {machine['python']} on {machine['platform']}, "
        f"load average {machine['load_before']} before, {machine['load_after']} after\n"
    )
    if "install" in machine:
        write(
            f"newsparse install: {machine['install']}; Python writes bytecode caches: "
            f"{'yes' if machine['bytecode_written'] else 'no (PYTHONDONTWRITEBYTECODE)'}\n"
        )
    if "build" in machine:
        write(f"newsparse build: {machine['build']}\n")
    if "corpus" in setup:
        c = setup["corpus"]
        write(
            f"corpus: {c['files']} files, {c['articles']} articles, {c['bytes'] / 1e6:.1f} MB"
            f" (seed {setup['seed']}); medians of {setup['runs']} interleaved rounds\n"
        )
    write("\n")

    def section(title: str, names: list[str], columns: list[tuple[str, str, str]]) -> None:
        present = [n for n in names if n in rows]
        if not present:
            return
        write(f"{title:<44}" + "".join(f"{h:>13}" for h, _, _ in columns) + "\n")
        for name in present:
            r = rows[name]
            if "note" in r:
                write(f"  {r['label']:<42}  {r['note']}\n")
                continue
            cells = []
            for _, field, unit in columns:
                value = r.get(field)
                if value is None:
                    cells.append("-")
                elif unit == "s":
                    cells.append(f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s")
                else:
                    cells.append(_figure(value, unit))
            write(f"  {r['label']:<42}" + "".join(f"{c:>13}" for c in cells) + "\n")
        write("\n")

    section(
        "throughput (one process unless -j)",
        [
            "naive",
            "library",
            "markdown_it",
            "naive_cli",
            "floor_cli",
            "cli",
            "convert_j1",
            "convert_j2",
            "write_floor",
            "convert_j1_memory",
            "convert_j2_memory",
            "spin_one",
            "spin_two",
        ],
        [
            ("wall", "median_s", "s"),
            ("CPU", "cpu_s", "s"),
            ("articles/s", "articles_per_s", ""),
            ("art./CPU-s", "articles_per_cpu_s", ""),
        ],
    )
    section(
        "options (informational; each against the default path through click)",
        ["option_default", "option_default_click", *(f"option_{key}" for key, _, _ in OPTIONS)],
        [
            ("wall", "median_s", "s"),
            ("CPU", "cpu_s", "s"),
            ("art./CPU-s", "articles_per_cpu_s", ""),
            ("vs default", "vs_default", "x"),
        ],
    )
    section(
        "start-up",
        ["startup_python", "startup_newsparse", "startup_options"],
        [("wall", "median_s", "s"), ("CPU", "cpu_s", "s")],
    )
    section(
        "dates",
        ["dates_fast", "dates_dateutil", "dates_fallback", "dates_byline"],
        [("wall", "median_s", "s"), ("CPU", "cpu_s", "s"), ("per CPU-s", "per_cpu_s", "")],
    )
    section(
        "memory (peak RSS)",
        ["memory_python", "memory_small", "memory_large"],
        [
            ("peak RSS", "peak_rss_mb", "MB"),
            ("wall", "seconds", "s"),
            ("CPU", "cpu_s", "s"),
            ("MB/CPU-s", "mb_per_cpu_s", ""),
        ],
    )
    dates_fast = rows.get("dates_fast", {})
    if dates_fast.get("not_fast") or dates_fast.get("disagreements"):
        write(
            f"  note: {dates_fast['not_fast']} dates left the fast path, "
            f"{dates_fast['disagreements']} disagree with the fallback\n\n"
        )

    write(
        "ratios (same run; one process against another by CPU time, -j and start-up by wall time)\n"
    )
    informative = {
        "convert_j2_vs_cli": "convert -j 2 vs newsparse parse CLI",
        "convert_j2_vs_single_memory": "convert -j 2 vs -j 1, outputs in memory (tmpfs)",
        "machine_two_vs_one": "this machine: a CPU-bound loop, 2 processes vs 1",
        "startup_options_vs_python": "newsparse parse --no-color FILE vs python -c pass",
        "fast_dates_vs_fallback": "fast date path vs newsparse dateutil fallback",
    }
    for verdict in results["targets"]:
        value = verdict["value"]
        unit = "MB" if verdict["key"] == "peak_rss_mb" else "x"
        sign = ">=" if verdict["kind"] == "min" else "<="
        target = f"{sign} {verdict['target']:g}{' MB' if unit == 'MB' else 'x'}"
        state = {True: "PASS", False: "MISS", None: "not measured"}[verdict["ok"]]
        write(f"  {verdict['label']:<58}{_figure(value, unit):>10}   target {target:<10} {state}\n")
    for key, label in informative.items():
        if derived.get(key) is not None:
            write(f"  {label:<58}{_figure(derived[key]):>10}\n")
    return out.getvalue()


# --- main -----------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    """Describe where the figures were taken."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    return {
        "cpus": usable,
        "python": f"Python {platform.python_version()}",
        "platform": platform.platform(terse=True),
        "load_before": _load(),
        "install": _install_kind(),
        "build": _build_kind(),
        "bytecode_written": not sys.dont_write_bytecode,
    }


def _build_kind() -> str:
    """Say which modules the measured newsparse runs compiled (NEWSPARSE_COMPILE=1 builds)."""
    try:
        from newsparse.compiled import compiled_modules
    except ImportError:  # a build older than the compiled option
        return "pure Python"
    found = compiled_modules()
    return f"compiled with mypyc: {', '.join(found)}" if found else "pure Python"


def _install_kind() -> str:
    """Say how newsparse is installed: start-up differs between an editable and a regular one."""
    from importlib import metadata

    try:
        distribution = metadata.distribution("newsparse")
    except metadata.PackageNotFoundError:
        return "not installed (run from the source tree)"
    direct = distribution.read_text("direct_url.json") or ""
    return "editable (pip install -e)" if '"editable": true' in direct else "regular"


def _load() -> str:
    with contextlib.suppress(OSError, AttributeError):
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "unknown"


@contextlib.contextmanager
def workspace(keep: str | None) -> Iterator[Path]:
    """Yield a scratch directory, removed at the end unless KEEP names one to use."""
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="newsparse-bench-") as directory:
        yield Path(directory)


@contextlib.contextmanager
def memory_workspace() -> Iterator[Path | None]:
    """Yield a scratch directory on a memory file system (/dev/shm), or None without one."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="newsparse-bench-", dir=shm) as directory:
        yield Path(directory)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; print the table and optionally write JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: small corpus, few rounds, small streams"
    )
    parser.add_argument("--files", type=int, help="dumps in the corpus (default 5000)")
    parser.add_argument("--runs", type=int, help="timed rounds per figure (default 5)")
    parser.add_argument("--startup-runs", type=int, help="rounds for start-up (default 20)")
    parser.add_argument("--dates", type=int, help="dates per round (default 20000)")
    parser.add_argument("--size", help="large stream for the memory figure (default 1G)")
    parser.add_argument("--small-size", help="small stream for the memory figure (default 250M)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument(
        "--only",
        action="append",
        choices=["corpus", "options", "startup", "dates", "memory"],
        help="run only these parts (repeatable)",
    )
    parser.add_argument("--work", help="keep the corpus and outputs in this directory")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON here")
    args = parser.parse_args(argv)
    quick = args.quick
    # 5,000 dumps, as the performance targets were set on: fixed costs (the interpreter,
    # starting workers) weigh on a smaller corpus more than on the piles users convert.
    files = args.files or (200 if quick else 5000)
    runs = args.runs or (3 if quick else 5)
    option_runs = args.runs or (2 if quick else 3)
    startup_runs = args.startup_runs or (5 if quick else 20)
    # 20,000: the fast path reads 5,000 in under 10 ms, too short a time to be steady.
    date_count = args.dates or (1000 if quick else 20000)
    large = corpus.parse_size(args.size or ("32M" if quick else "1G"))
    small = corpus.parse_size(args.small_size or ("8M" if quick else "250M"))
    parts = set(args.only or ["corpus", "options", "startup", "dates", "memory"])

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    results: dict[str, Any] = {
        "machine": machine_info(),
        "rows": {},
        "setup": {"seed": args.seed, "runs": runs},
    }
    rows = results["rows"]
    with workspace(args.work) as work:
        directory = work / "corpus"
        if parts & {"corpus", "options", "startup"}:
            shutil.rmtree(directory, ignore_errors=True)
            log(f"writing a realistic corpus of {files} dumps")
            stats = corpus.generate(directory, files, args.seed, realistic=True)
            results["setup"]["corpus"] = vars(stats)
        if "corpus" in parts:
            with memory_workspace() as memory:
                rows.update(measure_corpus(directory, stats, runs, work, log, memory))
        if "options" in parts:
            rows.update(measure_options(directory, stats, option_runs, log))
        if "startup" in parts:
            small_file = work / "one-article.txt"
            small_file.write_text(
                corpus.article(random.Random(args.seed), plain=False) + "\n", encoding="utf-8"
            )
            rows.update(measure_startup(small_file, startup_runs, log))
        if "dates" in parts:
            rows.update(measure_dates(date_count, runs, args.seed, log))
        if "memory" in parts:
            rows.update(measure_memory(small, large, args.seed, log))
    results["machine"]["load_after"] = _load()
    results["seconds"] = time.perf_counter() - began
    results["ratios"] = ratios(rows)
    results["targets"] = verdicts(results["ratios"])
    print(format_table(results), end="")
    print(f"\nwhole run: {results['seconds']:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
