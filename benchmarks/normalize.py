"""What --normalize costs over the default parse, in-process, on the synthetic corpus.

The dumps come from benchmarks/corpus.py (`realistic=True`: cedilla and comma-below
letters mixed as real scrapes mix them, plain-ASCII dumps, broken articles). Each round
parses every dump with the default options and with `normalize=True`, interleaved, and
the figure is the median CPU time of the rounds.

    python benchmarks/normalize.py [--files N] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

import corpus

import newsparse


def _texts(files: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(files):
        data, _articles = corpus.dump(rng, realistic=True)
        texts.append(data.decode("utf-8", errors="replace"))
    return texts


def _cpu(texts: list[str], options: newsparse.ParseOptions) -> float:
    started = time.process_time()
    for text in texts:
        newsparse.parse(text, options=options)
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    texts = _texts(args.files, args.seed)
    size = sum(len(t.encode("utf-8")) for t in texts)
    kinds = {
        "ASCII only": sum(t.isascii() for t in texts),
        "with a cedilla letter": sum(any(c in t for c in "şţŞŢ\u0327") for t in texts),
    }
    print(
        f"{len(texts)} dumps, {size / 1e6:.1f} MB; "
        + ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    )
    default, normalize = newsparse.ParseOptions(), newsparse.ParseOptions(normalize=True)
    _cpu(texts, default)  # warm up: imports, caches
    _cpu(texts, normalize)
    plain: list[float] = []
    normalized: list[float] = []
    for _ in range(args.rounds):
        plain.append(_cpu(texts, default))
        normalized.append(_cpu(texts, normalize))
    base, with_option = statistics.median(plain), statistics.median(normalized)
    print(f"default      {size / 1e6 / base:6.1f} MB/s CPU  (median of {args.rounds})")
    print(f"--normalize  {size / 1e6 / with_option:6.1f} MB/s CPU")
    print(f"ratio        {with_option / base:.2f}x the default path's CPU time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
