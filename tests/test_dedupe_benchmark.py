"""The planted-duplicates corpus and the dedupe benchmark's scoring (behaviour, not timings)."""

from __future__ import annotations

import sys
from pathlib import Path

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus
import dedupe as bench


def test_planted_corpus_is_deterministic_and_says_what_it_planted(tmp_path: Path) -> None:
    first = corpus.generate_with_duplicates(tmp_path / "a", 80, seed=5)
    again = corpus.generate_with_duplicates(tmp_path / "b", 80, seed=5)
    assert (first.exact, first.near, first.same_topic) == (
        again.exact,
        again.near,
        again.same_topic,
    )
    for name in (tmp_path / "a").rglob("*.txt"):
        assert name.read_bytes() == (tmp_path / "b" / name.relative_to(tmp_path / "a")).read_bytes()
    assert first.stats.files == 80 and first.exact and first.near and first.same_topic
    planted = {*first.exact, *first.near, *first.same_topic}
    assert len(planted) == len(first.exact) + len(first.near) + len(first.same_topic)
    for name, source in first.exact.items():
        assert source < name and source not in planted  # copies of earlier originals
    assert {kind for _, kind in first.near.values()} <= set(corpus.NEAR_KINDS)


def test_the_default_existing_corpus_is_unchanged(tmp_path: Path) -> None:
    """generate() writes what it wrote before duplicates were added to the module."""
    stats = corpus.generate(tmp_path, 30, seed=2022)
    # The figures of the generator as it was before planted copies were added to it.
    assert (stats.files, stats.articles, stats.bytes) == (30, 38, 107_866)


def test_scores_and_the_sweep(tmp_path: Path) -> None:
    row = bench.scores({"a", "b", "x"}, {"a", "b", "c"}, {"x"})
    assert (row["precision"], row["recall"]) == (2 / 3, 2 / 3)
    assert (row["false_positives"], row["missed"], row["same_topic_left_out"]) == (1, 1, 1)
    planted = corpus.generate_with_duplicates(tmp_path, 60, seed=6, exact=0.2, near=0.2)
    sweep = {row["threshold"]: row for row in bench.threshold_sweep(tmp_path, planted)}
    assert sweep[0.5]["precision"] == 1.0 and sweep[0.5]["recall"] == 1.0
    assert sweep[0.9]["recall"] < sweep[0.5]["recall"]
