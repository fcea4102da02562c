"""benchmarks/archives.py builds archives that read as its corpus does (behaviour, not timings)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import newsparse
from newsparse.archives import open_inputs, parse_inputs

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import archives as bench
import corpus


@pytest.mark.parametrize("codec", ["gz", "zst"])
def test_the_archives_hold_the_corpus_in_reading_order(tmp_path: Path, codec: str) -> None:
    root = tmp_path / "corpus"
    corpus.generate(root, 40, seed=3)
    names = bench.walk_order(str(root))
    assert [str(Path(i.name).relative_to(root)) for i in open_inputs([str(root)])] == names
    path = tmp_path / f"c.tar.{codec}"
    bench.write_tar([(str(root / name), name) for name in names], str(path), codec)
    options = newsparse.ParseOptions()
    from_dir = [
        (a.title, a.line)
        for r in parse_inputs(open_inputs([str(root)]), options)
        for a in r.articles
    ]
    from_tar = [
        (a.title, a.line)
        for r in parse_inputs(open_inputs([str(path)]), options)
        for a in r.articles
    ]
    assert from_tar == from_dir and len(from_dir) >= 40
