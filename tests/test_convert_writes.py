"""What `convert` does per output file: a new output is written without looking for an old one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from newsparse.batch import ConvertOptions, Outcome, convert, worker

from .conftest import SEED


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each output that the worker compares with the file already there."""
    calls: list[str] = []
    real = worker._unchanged_output

    def counting(path: str, data: Any) -> os.stat_result | None:
        calls.append(os.path.basename(path))
        return real(path, data)

    monkeypatch.setattr(worker, "_unchanged_output", counting)
    return calls


def _tree(root: Path) -> Path:
    source = root / "src"
    for name in ("a/one.txt", "two.txt"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(SEED.read_bytes())
    return source


def test_new_outputs_are_not_compared_with_anything(tmp_path: Path, compared: list[str]) -> None:
    source = _tree(tmp_path)
    options = ConvertOptions(destination=str(tmp_path / "out"), format="jsonl")
    results = list(convert([str(source)], options))
    assert sorted(r.outcome for r in results) == [Outcome.CONVERTED, Outcome.CONVERTED]
    assert compared == []
    assert (tmp_path / "out" / "a" / "one.jsonl").read_bytes().startswith(b'{"schema_version"')


def test_a_forced_rerun_compares_and_keeps_unchanged_outputs_as_they_were(
    tmp_path: Path, compared: list[str]
) -> None:
    source = _tree(tmp_path)
    out = tmp_path / "out"
    list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    os.utime(out / "two.jsonl", ns=(1_000_000_000, 1_000_000_000))
    first = (out / "a" / "one.jsonl").read_bytes()
    (out / "a" / "one.jsonl").write_bytes(b"stale\n")
    forced = ConvertOptions(destination=str(out), format="jsonl", force=True)
    results = list(convert([str(source)], forced))
    assert [r.outcome for r in results] == [Outcome.CONVERTED, Outcome.CONVERTED]
    assert sorted(compared) == ["one.jsonl", "two.jsonl"]
    assert (out / "two.jsonl").stat().st_mtime_ns == 1_000_000_000  # same bytes: not rewritten
    assert (out / "a" / "one.jsonl").read_bytes() == first  # other bytes: written again
