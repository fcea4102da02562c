"""Time `newsparse.parse` on hostile inputs at 1x, 4x and 16x their size; print the ratios.

Parsing must grow linearly with the input: the ratios should be close to 4 and 16. A ratio
near 16 for 4x (or 256 for 16x) means quadratic work somewhere.

    python benchmarks/scaling.py                 # every case; 3+ runs at each size
    python benchmarks/scaling.py --case blank_lines --case brackets --repeat 5
    python benchmarks/scaling.py --stream        # through parse_stream, as stdin is read

Times are CPU seconds of this process, so that other work on a shared machine does not
count. Each size runs at least 3 times and until half a second is spent (at most 50 runs);
the table gives median seconds, the ratios of the medians and the ratios of the best runs.
Figures on a shared machine are noisy: compare ratios taken in the same run, not seconds
across runs, and trust the best-run ratios for cases whose 1x takes a millisecond.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import newsparse  # noqa: E402
from newsparse.api import parse_stream  # noqa: E402

SCALES = (1, 4, 16)
HEAD = "Scris de ana pe 1 mai 2020, 10:00\n\n## Titlu\n\n"
REFERENCE = (ROOT / "samples" / "000_c61b72992829a382.txt").read_text(encoding="utf-8")
PROSE = "Presedintele a transmis un mesaj de felicitare, potrivit agentiei. "


def single_line(k: int) -> str:
    """A 10 MB line at 16x (0.625 MB at 1x), in an article body."""
    size = 625_000 * k
    return HEAD + (PROSE * (size // len(PROSE) + 1))[:size]


def single_line_alone(k: int) -> str:
    """The same line with nothing around it: it is read as text without a byline."""
    size = 625_000 * k
    return (PROSE * (size // len(PROSE) + 1))[:size]


def blank_lines(k: int) -> str:
    """A million blank lines at 16x, between two paragraphs."""
    return HEAD + "Primul paragraf" + "\n" * (62_500 * k) + "al doilea.\n"


def crlf_blank_lines(k: int) -> str:
    """The same with CRLF line endings and trailing spaces."""
    return HEAD + "Primul paragraf" + " \t\r\n" * (62_500 * k) + "al doilea.\r\n"


def separators(k: int) -> str:
    """100,000 `---` lines at 16x."""
    return HEAD + "Text.\n" + "---\n" * (6_250 * k)


def brackets(k: int) -> str:
    """A line of a million `[` at 16x."""
    return HEAD + "[" * (62_500 * k) + "\n"


def image_brackets(k: int) -> str:
    """A line of a million `![` pairs at 16x: a Markdown image that never closes."""
    return HEAD + "![" * (31_250 * k) + "\n"


def image_title_spaces(k: int) -> str:
    """A Markdown image whose target holds a run of a million spaces at 16x."""
    return HEAD + "![c](a" + " " * (62_500 * k) + 'b "titlu")\n'


def impossible_bylines(k: int) -> str:
    """`Scris de x pe 31 februarie 2022` repeated, nothing between (body text)."""
    return "Scris de x pe 31 februarie 2022\n" * (2_000 * k)


def impossible_bylines_titled(k: int) -> str:
    """The same, each followed by a `##` line, so every one is read as a byline."""
    return "Scris de x pe 31 februarie 2022\n## T\n" * (250 * k)


def handwritten(k: int) -> str:
    """`Scris de mână ...` prose lines repeated (they look like bylines, are not)."""
    return HEAD + "Scris de mână, documentul a fost semnat pe 3 mai 2020 la Iasi.\n" * (2_000 * k)


def handwritten_titled(k: int) -> str:
    """The same, each followed by a `##` line."""
    return HEAD + "Scris de mână, documentul a fost semnat pe 3 mai 2020.\n## Sub\n" * (250 * k)


def long_bylines(k: int) -> str:
    """400-character lines of `Scris de 1 1 1 ...` followed by `##`: many splits to try."""
    line = ("Scris de " + "1 " * 200)[:399]
    return (line + "\n## T\n") * (40 * k)


def glued_tails(k: int) -> str:
    """Long paragraph lines whose tails are full of byline frames, each before a heading."""
    line = PROSE * 150 + "De " * 130
    return HEAD + (line + "\n### Sub\n") * (20 * k)


def glued_tails_digit(k: int) -> str:
    """The same with a digit at the end, so every frame in the tail must be tried."""
    line = PROSE * 150 + "De " * 130 + "1"
    return HEAD + (line + "\n### Sub\n") * (20 * k)


def strong_frames(k: int) -> str:
    """400-character lines of `Scris de ` repeated, ending in a digit, each before `##`."""
    line = ("Scris de " * 45)[:398] + " 1"
    return HEAD + ("Text " + line + "\n## T\n") * (20 * k)


def corpus(k: int) -> str:
    """The reference dump repeated: ordinary work."""
    return (REFERENCE + "\n") * (500 * k)


CASES: dict[str, Callable[[int], str]] = {
    f.__name__: f
    for f in (
        single_line,
        single_line_alone,
        blank_lines,
        crlf_blank_lines,
        separators,
        brackets,
        image_brackets,
        image_title_spaces,
        impossible_bylines,
        impossible_bylines_titled,
        handwritten,
        handwritten_titled,
        long_bylines,
        glued_tails,
        glued_tails_digit,
        strong_frames,
        corpus,
    )
}


def time_once(data: bytes, stream: bool) -> float:
    """Return the CPU seconds one parse takes (waiting for a busy CPU is not counted)."""
    start = time.process_time()
    if stream:
        for _ in parse_stream(io.BytesIO(data)):
            pass
    else:
        newsparse.parse(data)
    return time.process_time() - start


def run_times(data: bytes, repeat: int, stream: bool) -> list[float]:
    """Time at least REPEAT runs, and enough runs to fill half a second (at most 50)."""
    times: list[float] = []
    while len(times) < repeat or (sum(times) < 0.5 and len(times) < 50):
        times.append(time_once(data, stream))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--case", action="append", choices=sorted(CASES), help="run only this case (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="least runs per size")
    parser.add_argument("--stream", action="store_true", help="time parse_stream instead")
    args = parser.parse_args()
    newsparse.parse(REFERENCE + "Scris de x pe ieri, 31 feb 2022\n## T\n")  # warm imports
    # Medians are what a user waits; the best run is the least disturbed by other work on
    # the machine, so its ratios are the steadier measure of growth for sub-10 ms sizes.
    print(
        f"{'case':<26} {'1x bytes':>10} {'1x med s':>9} {'4x med s':>9} {'16x med s':>9} "
        f"{'4x/1x':>6} {'16x/1x':>7} {'best 4x/1x':>10} {'best 16x/1x':>11} {'MB/s':>6}"
    )
    for name in args.case or list(CASES):
        medians, bests = [], []
        for k in SCALES:
            data = CASES[name](k).encode("utf-8")
            times = run_times(data, args.repeat, args.stream)
            medians.append(statistics.median(times))
            bests.append(min(times))
            if k == 1:
                size = len(data)
        print(
            f"{name:<26} {size:>10,} {medians[0]:>9.4f} {medians[1]:>9.4f} {medians[2]:>9.4f} "
            f"{medians[1] / medians[0]:>6.1f} {medians[2] / medians[0]:>7.1f} "
            f"{bests[1] / bests[0]:>10.1f} {bests[2] / bests[0]:>11.1f} "
            f"{size * 16 / medians[2] / 1e6:>6.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
