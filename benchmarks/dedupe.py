"""Measure duplicate detection and SQLite output on a corpus with planted copies.

Run `python benchmarks/dedupe.py` (20,000 files; `--files N` for another size, `--quick` for
a smoke run, `--json OUT` to keep the figures). It writes a corpus where 10% of the files are
exact copies of earlier ones (another byline, source line and address; diacritics, cedillas,
case, spacing or punctuation changed), 10% near copies (a paragraph added or removed, the
intro rewritten, the title changed, typos fixed) and 5% unrelated articles on a few shared
topics, then measures:

- precision and recall of `--dedupe exact` and `--dedupe near` (the files left out against
  the planted copies), and of near matching over a range of thresholds;
- the throughput of `newsparse parse -f jsonl` with and without `--dedupe`, and of
  `-f sqlite` against `-f jsonl`, as the median of interleaved runs of the installed
  command (wall and CPU seconds: on a busy machine the CPU time is the steadier figure;
  SQLite's CPU time includes its writer thread), with each run's peak memory (maximum
  resident set size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

#: (key, what, bound): each ratio of seconds must stay at or below its bound.
TARGETS = [
    ("exact_vs_plain", "parse --dedupe exact vs parse -f jsonl", 1.1),
    ("near_vs_plain", "parse --dedupe near vs parse -f jsonl", 2.0),
    ("sqlite_vs_jsonl", "parse -f sqlite vs parse -f jsonl", 1.5),
]
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def newsparse_command() -> list[str]:
    """Return the installed console script (what users run), or `python -m newsparse`."""
    found = shutil.which("newsparse", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "newsparse"]


def timed_run(args: list[str]) -> tuple[float, float, float, str]:
    """Run ARGS; return wall and CPU seconds, peak RSS in MB and stdout (stderr is quiet).

    The peak is read by GNU time when it is installed: a child started straight from this
    process would count this process's own memory in its peak (Linux keeps the high-water
    mark across exec).
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapper = (
            ["/usr/bin/time", "-f", "%M", "-o", rss.name] if os.path.exists("/usr/bin/time") else []
        )
        started = time.perf_counter()
        process = subprocess.Popen(
            [*wrapper, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert process.stdout is not None
        output = process.stdout.read().decode("utf-8")
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise RuntimeError(f"{args} exited {code}")
        peak_kb = float(rss.read().strip() or 0) if wrapper else float(usage.ru_maxrss)
    return elapsed, usage.ru_utime + usage.ru_stime, peak_kb / 1024, output


def kept_files(jsonl: str, root: Path) -> set[str]:
    return {
        Path(json.loads(line)["file"]).relative_to(root).as_posix() for line in jsonl.splitlines()
    }


def scores(left_out: set[str], copies: set[str], same_topic: set[str]) -> dict[str, Any]:
    """Return precision, recall and the counts behind them."""
    true = len(left_out & copies)
    return {
        "left_out": len(left_out),
        "planted": len(copies),
        "true_positives": true,
        "false_positives": len(left_out - copies),
        "missed": len(copies - left_out),
        "same_topic_left_out": len(left_out & same_topic),
        "precision": true / len(left_out) if left_out else 1.0,
        "recall": true / len(copies) if copies else 1.0,
    }


def threshold_sweep(root: Path, planted: corpus.PlantedCorpus) -> list[dict[str, Any]]:
    """Return precision and recall of near matching at each threshold (in process)."""
    import newsparse
    from newsparse.dedupe import DuplicateFinder, article_fingerprint

    prints = []
    for path in sorted(root.rglob("*.txt")):
        name = path.relative_to(root).as_posix()
        for article in newsparse.parse_file(str(path)).articles:
            prints.append((name, article_fingerprint(article, near=True), article.line))
    copies = set(planted.exact) | set(planted.near)
    rows = []
    for threshold in THRESHOLDS:
        finder = DuplicateFinder("near", threshold=threshold)
        left_out = {
            name for name, print_, line in prints if finder.add(print_, name, line) is not None
        }
        row = scores(left_out, copies, set(planted.same_topic))
        row["threshold"] = threshold
        rows.append(row)
    return rows


def measure(files: int, runs: int, seed: int, log: Any) -> dict[str, Any]:
    """Write the corpus, run every contender RUNS times interleaved, and score the modes."""
    results: dict[str, Any] = {"files": files, "runs": runs, "seed": seed}
    with tempfile.TemporaryDirectory(prefix="newsparse-dedupe-") as scratch:
        root = Path(scratch) / "dumps"
        log(f"writing {files:,} dumps ...")
        planted = corpus.generate_with_duplicates(root, files, seed)
        results["corpus"] = {
            **vars(planted.stats),
            "exact_copies": len(planted.exact),
            "near_copies": len(planted.near),
            "same_topic": len(planted.same_topic),
        }
        command = newsparse_command()
        jsonl = [*command, "parse", "-q", "-f", "jsonl", str(root)]
        database = Path(scratch) / "corpus.db"
        contenders = {
            "plain": jsonl,
            "exact": [*jsonl, "--dedupe", "exact"],
            "near": [*jsonl, "--dedupe", "near"],
            "jsonl_file": [*jsonl, "-o", str(Path(scratch) / "out.jsonl")],
            "sqlite_file": [
                *command,
                "parse",
                "-q",
                "-f",
                "sqlite",
                str(root),
                "-o",
                str(database),
            ],
        }
        seconds: dict[str, list[float]] = {name: [] for name in contenders}
        cpu: dict[str, list[float]] = {name: [] for name in contenders}
        memory: dict[str, list[float]] = {name: [] for name in contenders}
        outputs: dict[str, str] = {}
        for round_ in range(runs + 1):  # round 0 warms the page cache and is not counted
            for name, args in contenders.items():
                if database.exists():
                    database.unlink()  # each SQLite run writes a new database
                elapsed, used, peak, output = timed_run(args)
                if round_:
                    seconds[name].append(elapsed)
                    cpu[name].append(used)
                    memory[name].append(peak)
                outputs.setdefault(name, output)
            log(
                f"round {round_}: "
                + ", ".join(
                    f"{name} {seconds[name][-1]:.2f}s" for name in contenders if seconds[name]
                )
            )
        articles = planted.stats.articles
        results["timings"] = {
            name: {
                "median_s": statistics.median(values),
                "median_cpu_s": statistics.median(cpu[name]),
                "articles_per_s": articles / statistics.median(values),
                "peak_rss_mb": max(memory[name]),
            }
            for name, values in seconds.items()
        }
        median = {name: statistics.median(values) for name, values in seconds.items()}
        ratios = {
            "exact_vs_plain": median["exact"] / median["plain"],
            "near_vs_plain": median["near"] / median["plain"],
            "sqlite_vs_jsonl": median["sqlite_file"] / median["jsonl_file"],
        }
        results["ratios"] = ratios
        cpu_median = {name: statistics.median(values) for name, values in cpu.items()}
        results["cpu_ratios"] = {
            "exact_vs_plain": cpu_median["exact"] / cpu_median["plain"],
            "near_vs_plain": cpu_median["near"] / cpu_median["plain"],
            "sqlite_vs_jsonl": cpu_median["sqlite_file"] / cpu_median["jsonl_file"],
        }
        results["targets"] = [
            {
                "key": key,
                "what": what,
                "bound": bound,
                "ratio": ratios[key],
                "ok": ratios[key] <= bound,
            }
            for key, what, bound in TARGETS
        ]
        everything = {Path(p).relative_to(root).as_posix() for p in map(str, root.rglob("*.txt"))}
        copies = {"exact": set(planted.exact), "near": set(planted.exact) | set(planted.near)}
        results["quality"] = {
            mode: scores(
                everything - kept_files(outputs[mode], root), copies[mode], set(planted.same_topic)
            )
            for mode in ("exact", "near")
        }
        log("threshold sweep ...")
        results["sweep"] = threshold_sweep(root, planted)
    return results


def format_table(results: dict[str, Any]) -> str:
    """Return the figures as a text table."""
    lines = [
        f"corpus: {results['corpus']['files']:,} files, "
        f"{results['corpus']['articles']:,} articles, "
        f"{results['corpus']['exact_copies']:,} exact and "
        f"{results['corpus']['near_copies']:,} near copies planted, "
        f"{results['corpus']['same_topic']:,} same-topic articles; "
        f"median of {results['runs']} runs",
        "",
    ]
    lines.append(f"{'run':<14}{'wall s':>9}{'CPU s':>8}{'articles/s':>12}{'peak RSS MB':>13}")
    for name, row in results["timings"].items():
        lines.append(
            f"{name:<14}{row['median_s']:>9.2f}{row['median_cpu_s']:>8.2f}"
            f"{row['articles_per_s']:>12,.0f}{row['peak_rss_mb']:>13.1f}"
        )
    lines.append("")
    for target in results["targets"]:
        verdict = "ok" if target["ok"] else "MISSED"
        lines.append(
            f"{target['what']:<42} {target['ratio']:.3f}x wall, "
            f"{results['cpu_ratios'][target['key']]:.3f}x CPU "
            f"(target <= {target['bound']}x) {verdict}"
        )
    lines.append("")
    lines.append(
        f"{'mode':<14}{'precision':>10}{'recall':>8}{'left out':>10}{'missed':>8}"
        f"{'false +':>9}{'same-topic +':>14}"
    )
    for mode, row in results["quality"].items():
        lines.append(
            f"{mode:<14}{row['precision']:>10.4f}{row['recall']:>8.4f}"
            f"{row['left_out']:>10,}{row['missed']:>8,}{row['false_positives']:>9,}"
            f"{row['same_topic_left_out']:>14,}"
        )
    lines.append("")
    lines.append("near threshold sweep (exact and near copies together):")
    for row in results["sweep"]:
        lines.append(
            f"  J >= {row['threshold']:.1f}: precision {row['precision']:.4f}, "
            f"recall {row['recall']:.4f}, false + {row['false_positives']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Measure and print; exit 1 when a throughput target is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--quick", action="store_true", help="1,000 files, one run")
    parser.add_argument("--json", metavar="OUT", help="also write the figures here")
    args = parser.parse_args(argv)
    files, runs = (1000, 1) if args.quick else (args.files, args.runs)
    results = measure(files, runs, args.seed, log=lambda m: print(m, file=sys.stderr))
    print(format_table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if all(t["ok"] for t in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
