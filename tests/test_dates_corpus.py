"""The date corpus keeps its score: every absolute date, every dateline, and the relative
phrases but the two left unread on purpose."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.dates_corpus import score

from .dates_corpus import DATELINES, DATES

ROOT = Path(__file__).resolve().parent.parent
#: Left unread, each for its reason (docs/dates.md, "Left unread").
KNOWN_MISSES = {"2 ore", "10.02, 07:23"}


def test_corpus_size() -> None:
    assert len({text for text, _, _ in DATES}) >= 150
    assert len(DATES) == len({text for text, _, _ in DATES})
    assert len({line for line, _, _ in DATELINES}) >= 100


def test_corpus_score_holds() -> None:
    parts, misses = score()
    assert parts["absolute"][0] == parts["absolute"][1]
    assert parts["datelines"][0] == parts["datelines"][1]
    right, total = parts["relative"]
    assert right / total >= 0.9
    assert {miss.text for miss in misses} == KNOWN_MISSES


def test_the_script_prints_the_score() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/dates_corpus.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "datelines   103/103" in result.stdout
    assert result.stdout.count("miss [") == len(KNOWN_MISSES)
