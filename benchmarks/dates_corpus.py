"""Score the date reader on the corpus of Romanian date strings and dateline lines.

Run `python benchmarks/dates_corpus.py` from the project root. It reads every string of
`tests/dates_corpus.py` as a byline date and every dateline line as a byline slot (the line
before a title), places each against the corpus' reference time, and prints the score of
each part and every miss with what was read instead. `--json` prints the same as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsparse.dates import DateResult, Reference, parse_date, parse_slot, place
from tests.dates_corpus import DATELINES, DATES, NOW, TZ


@dataclass(frozen=True)
class Miss:
    """One corpus entry read wrong: what was expected and what was read."""

    part: str
    text: str
    expected: str
    got: str


def _placed(result: DateResult, text: str) -> str:
    if result.value is None:
        return f"unread ({result.code})"
    value, _ = place(result, text, TZ, lambda: Reference(NOW, "corpus"))
    return value.isoformat() if value is not None else "impossible"


def score() -> tuple[dict[str, tuple[int, int]], list[Miss]]:
    """Return (right, total) for each part of the corpus, and the misses."""
    counts: dict[str, list[int]] = {"absolute": [0, 0], "relative": [0, 0], "datelines": [0, 0]}
    misses: list[Miss] = []
    for text, kind, expected in DATES:
        got = _placed(parse_date(text), text)
        counts[kind][1] += 1
        if got == expected:
            counts[kind][0] += 1
        else:
            misses.append(Miss(kind, text, expected, got))
    for line, expected, author in DATELINES:
        byline = parse_slot(line)
        got = _placed(byline.date, byline.date_text)
        counts["datelines"][1] += 1
        right = got == expected and (author is None or byline.author == author)
        if right:
            counts["datelines"][0] += 1
        else:
            misses.append(
                Miss("datelines", line, f"{expected} by {author!r}", f"{got} by {byline.author!r}")
            )
    return {part: (right, total) for part, (right, total) in counts.items()}, misses


def main() -> int:
    """Print the score and the misses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    parts, misses = score()
    if args.json:
        print(
            json.dumps(
                {
                    "parts": {k: {"right": r, "total": t} for k, (r, t) in parts.items()},
                    "misses": [miss.__dict__ for miss in misses],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    distinct = len({text for text, _, _ in DATES})
    print(
        f"corpus: {distinct} distinct date strings, {len(DATELINES)} dateline lines, "
        f"read against {NOW.isoformat()} in {TZ}"
    )
    for part, (right, total) in parts.items():
        print(f"  {part:10} {right:4}/{total:<4} {100 * right / total:5.1f}%")
    for miss in misses:
        print(f"  miss [{miss.part}] {miss.text!r}: expected {miss.expected}, got {miss.got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
