"""What `convert` does per output file: a new output is written without looking for an old one."""

from __future__ import annotations

import os
import stat
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


def test_an_output_left_by_someone_else_is_found_and_compared(
    tmp_path: Path, compared: list[str]
) -> None:
    # No manifest records it: the plan's listing of the directory must still find it.
    source = _tree(tmp_path)
    out = tmp_path / "out"
    list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    (out / ".newsparse-manifest.json").unlink()
    os.utime(out / "two.jsonl", ns=(1_000_000_000, 1_000_000_000))
    results = list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    assert [r.outcome for r in results] == [Outcome.CONVERTED, Outcome.CONVERTED]
    assert sorted(compared) == ["one.jsonl", "two.jsonl"]
    assert (out / "two.jsonl").stat().st_mtime_ns == 1_000_000_000  # same bytes: kept


def test_a_name_that_differs_only_in_case_or_normalization_is_looked_at(tmp_path: Path) -> None:
    from newsparse.batch.run import _NamesPresent

    (tmp_path / "Știre.JSON").write_bytes(b"[]")  # precomposed Ș
    (tmp_path / "\u015b.json").write_bytes(b"[]")  # ś
    present = _NamesPresent()
    # A file system that ignores case or normalization would give these names those files.
    assert present.may_hold(str(tmp_path / "s\u0326tire.json"))  # S + combining comma
    assert present.may_hold(str(tmp_path / "ȘTIRE.json"))
    assert present.may_hold(str(tmp_path / "\u017f\u0301.json"))  # long s + acute: ś folded
    assert not present.may_hold(str(tmp_path / "alta.json"))
    assert not present.may_hold(str(tmp_path / "missing" / "a.json"))


def test_only_the_last_few_listings_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import run

    monkeypatch.setattr(run._NamesPresent, "KEPT", 2)
    present = run._NamesPresent()
    for name in "abc":
        (tmp_path / name).mkdir()
        present.may_hold(str(tmp_path / name / "x.json"))
    assert list(present._listed) == [str(tmp_path / "b"), str(tmp_path / "c")]


def test_a_fifo_made_after_the_listing_is_still_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import run

    source = _tree(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    real_list = run._NamesPresent._list.__func__  # type: ignore[attr-defined]

    def list_then_mkfifo(cls: Any, directory: str) -> Any:
        listed = real_list(cls, directory)
        if directory == str(out):
            os.mkfifo(out / "two.jsonl")  # appears once the plan has looked
        return listed

    monkeypatch.setattr(run._NamesPresent, "_list", classmethod(list_then_mkfifo))
    results = list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    failed = [r for r in results if r.outcome is Outcome.FAILED]
    assert [os.path.basename(r.path) for r in failed] == ["two.txt"]
    assert "a FIFO stands there; it is left as it is" in (failed[0].message or "")
    assert stat.S_ISFIFO(os.lstat(out / "two.jsonl").st_mode)


def test_a_rerun_looks_at_each_output_without_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import run

    source = _tree(tmp_path)
    out = tmp_path / "out"
    list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    (source / "three.txt").write_bytes(SEED.read_bytes())
    listed: list[str] = []
    real_list = run._NamesPresent._list.__func__  # type: ignore[attr-defined]

    def recording(cls: Any, directory: str) -> Any:
        listed.append(directory)
        return real_list(cls, directory)

    monkeypatch.setattr(run._NamesPresent, "_list", classmethod(recording))
    results = list(convert([str(source)], ConvertOptions(destination=str(out), format="jsonl")))
    assert sorted(r.outcome for r in results) == [
        Outcome.CONVERTED,
        Outcome.SKIPPED,
        Outcome.SKIPPED,
    ]
    assert listed == []  # the manifest knows the outputs: one stat for the new one


def test_a_directory_that_cannot_be_listed_has_each_output_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import run

    def refused(directory: str) -> Any:
        raise PermissionError(13, "Permission denied", directory)

    monkeypatch.setattr(run.os, "scandir", refused)
    assert run._NamesPresent().may_hold(str(tmp_path / "a.json"))


def test_a_directory_of_many_names_is_not_kept_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparse.batch import run

    monkeypatch.setattr(run._NamesPresent, "LIMIT", 3)
    for name in "abcd":
        (tmp_path / f"{name}.json").write_bytes(b"[]")
    present = run._NamesPresent()
    assert present.may_hold(str(tmp_path / "other.json"))  # not listed: stat decides
    assert present._listed[str(tmp_path)] is None


@pytest.mark.parametrize("output", [["-o", "out"], ["--combine", "all.jsonl"]])
def test_a_fifo_named_on_the_command_line_is_refused_without_waiting(
    tmp_path: Path, output: list[str]
) -> None:
    import subprocess
    import sys

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    output[1] = str(tmp_path / output[1])
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "convert", str(fifo), *output],
        capture_output=True,
        text=True,
        timeout=60,  # opening it to look for an archive's magic bytes used to wait forever
    )
    assert done.returncode == 1, done.stderr
    assert f"{fifo}:1:1: NP108 cannot read file: not a regular file" in done.stderr
