"""`newsparse convert` and the batch library: trees, bad inputs, names, reruns, --combine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse.batch import (
    MANIFEST_NAME,
    ConvertOptions,
    FileResult,
    Outcome,
    Report,
    UnsafeOutputPath,
    convert,
    output_name,
)
from newsparse.cli import main

from .conftest import SEED

SEED_BYTES = SEED.read_bytes()
TITLE = "Vladimir Putin, scrisoare pentru pentru Kim Jong Un"
# The seed plus a second article with no byline: one good article and an NP201 error.
MIXED = SEED_BYTES + b"\n\n## Titlu fara semnatura\n\nCorp de text.\n"
# UTF-8 with diacritics and one stray byte: read as UTF-8, NP102 error, article kept.
UNDECODABLE = SEED_BYTES.replace(
    b"Presedintele", "Președintele țării, în ședință".encode() + b"\xff", 1
)
GOOD = ["a/b/one.txt", "a/two.txt", "top.txt"]


def build_tree(root: Path) -> Path:
    """Make a source tree with nested good files and every kind of bad entry."""
    src = root / "src"
    for name in GOOD:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(SEED_BYTES)
    (src / "bad.txt").write_bytes(b"")  # NP101, no article
    (src / "mixed.txt").write_bytes(MIXED)
    (src / "undecodable.txt").write_bytes(UNDECODABLE)
    (src / "unreadable.txt").write_bytes(SEED_BYTES)  # refused by the patched os.open
    os.mkfifo(src / "fifo.txt")  # matches *.txt but is no file: must not hang
    (src / "a" / "loop").symlink_to("..", target_is_directory=True)
    (src / "notes.md").write_bytes(SEED_BYTES)  # not matched by *.txt
    return src


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `unreadable.txt` fail to open, as a mode-000 file does for a normal user.

    Tests run as root in CI, where permission bits do not stop reads, so the refusal is
    simulated by patching os.open (the batch reads through it) in an in-process run.
    """
    real_open = os.open

    def fake_open(path: str, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(path).endswith("unreadable.txt"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, ["convert", *args])


def temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.tmp")]


def stamps(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): p.stat().st_mtime_ns
        for p in root.rglob("*.json")
        if p.name != MANIFEST_NAME
    }


@pytest.mark.usefixtures("unreadable")
def test_tree_with_bad_entries_converts_the_good_ones(tmp_path: Path) -> None:
    src = build_tree(tmp_path)
    out = src / "out"  # DEST inside SRC: never read back as input
    (out / "old").mkdir(parents=True)
    (out / "old" / "stale.txt").write_bytes(SEED_BYTES)

    result = invoke(str(src), "-o", str(out), "-j", "1")

    assert result.exit_code == 1
    assert result.stdout == ""
    written = sorted(
        str(p.relative_to(out)) for p in out.rglob("*.json") if p.name != MANIFEST_NAME
    )
    # bad.txt is empty (NP101): no article could be read, so it gets no output at all.
    assert written == sorted(
        ["a/b/one.json", "a/two.json", "top.json", "mixed.json", "undecodable.json"]
    )
    for name in GOOD:
        article = json.loads((out / name).with_suffix(".json").read_text())
        assert article["title"].startswith(TITLE)
        assert article["file"] == str(src / name)
    assert json.loads((out / "mixed.json").read_text())[0]["title"].startswith(TITLE)
    assert "Președintele țării" in (out / "undecodable.json").read_text()
    stderr = result.stderr
    assert "bad.txt:1:1: NP101" in stderr
    assert "mixed.txt" in stderr and "NP201" in stderr
    assert "undecodable.txt" in stderr and "NP102" in stderr
    assert "unreadable.txt:1:1: NP108 cannot read file: permission denied" in stderr
    assert "fifo.txt:1:1: NP108 cannot read file: not a regular file" in stderr
    assert "directory loop" in stderr
    assert "stale" not in stderr  # DEST was not searched
    assert "files failed" in stderr and "failed (6):" in stderr
    assert temporaries(tmp_path) == []
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert sorted(manifest["outputs"]) == ["a/b/one.json", "a/two.json", "top.json"]


@pytest.mark.usefixtures("unreadable")
def test_rerun_skips_up_to_date_outputs_and_force_redoes_them(tmp_path: Path) -> None:
    src = build_tree(tmp_path)
    out = tmp_path / "out"
    assert invoke(str(src), "-o", str(out), "-j", "1").exit_code == 1
    before = stamps(out)

    again = invoke(str(src), "-o", str(out), "-j", "1")

    assert again.exit_code == 1  # the failed inputs are tried, and reported, again
    assert _row(again.stderr, "files skipped") == "3"
    assert _row(again.stderr, "files converted") == "0"
    after = stamps(out)
    for name in ("a/b/one.json", "a/two.json", "top.json"):
        assert after[name] == before[name]
    # The failed input is converted again, but its output holds the same bytes: not rewritten.
    assert after["mixed.json"] == before["mixed.json"]

    forced = invoke(str(src), "-o", str(out), "-j", "1", "--force")

    assert forced.exit_code == 1
    assert _row(forced.stderr, "files skipped") == "0"
    assert _row(forced.stderr, "files converted") == "3"
    # Converted again, and the same bytes came out: the files are left as they were.
    for name in ("a/b/one.json", "a/two.json", "top.json"):
        assert stamps(out)[name] == before[name]
    assert temporaries(tmp_path) == []
    (src / "top.txt").write_bytes((src / "top.txt").read_bytes().replace(b"## ", b"## Nou: "))
    changed = invoke(str(src), "-o", str(out), "-j", "1")
    assert _row(changed.stderr, "files converted") == "1"
    assert stamps(out)["top.json"] != before["top.json"]
    assert json.loads((out / "top.json").read_text())["title"].startswith("Nou: ")


def _row(stderr: str, label: str) -> str:
    """Return the value cell of the summary row whose label starts with LABEL."""
    for line in stderr.splitlines():
        cells = [cell.strip() for cell in line.strip("│|").split("│")]
        if cells and cells[0].startswith(label):
            return cells[-1]
    raise AssertionError(f"no {label!r} row in:\n{stderr}")


def test_parallel_run_matches_in_process_run(tmp_path: Path) -> None:
    src = build_tree(tmp_path)
    (src / "unreadable.txt").unlink()
    one, two = tmp_path / "one", tmp_path / "two"

    first = invoke(str(src), "-o", str(one), "-j", "1")
    second = invoke(str(src), "-o", str(two), "-j", "2")

    assert first.exit_code == second.exit_code == 1
    assert second.stdout == ""
    files = sorted(p.relative_to(one) for p in one.rglob("*.json") if p.name != MANIFEST_NAME)
    assert files == sorted(
        p.relative_to(two) for p in two.rglob("*.json") if p.name != MANIFEST_NAME
    )
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert _row(second.stderr, "files converted") == "3"
    assert _row(second.stderr, "files failed").startswith("5")
    assert temporaries(tmp_path) == []
    rerun = invoke(str(src), "-o", str(two), "-j", "2")
    assert _row(rerun.stderr, "files skipped") == "3"


def test_a_changed_input_or_other_settings_are_converted_again(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_bytes(SEED_BYTES)
    out = tmp_path / "out"
    assert invoke(str(src), "-o", str(out), "-j", "1").exit_code == 0
    os.utime(src / "a.txt", ns=(10**18, 10**18))  # touched (even into the future)

    rerun = invoke(str(src), "-o", str(out), "-j", "1")
    assert (_row(rerun.stderr, "files converted"), _row(rerun.stderr, "files skipped")) == (
        "1",
        "1",
    )

    other_zone = invoke(str(src), "-o", str(out), "-j", "1", "--tz", "UTC")
    assert _row(other_zone.stderr, "files converted") == "2"
    assert json.loads((out / "a.json").read_text())["published"] == "2022-08-15T09:13:00+00:00"

    (out / "b.json").write_text("edited by hand\n")
    edited = invoke(str(src), "-o", str(out), "-j", "1", "--tz", "UTC")
    assert _row(edited.stderr, "files converted") == "1"
    assert json.loads((out / "b.json").read_text())["title"].startswith(TITLE)


def test_colliding_output_names_get_a_suffix(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for name in ("x.txt", "x.md", "X.TXT"):
        (src / name).write_bytes(SEED_BYTES)
    out = tmp_path / "out"

    result = invoke(str(src), "-o", str(out), "--glob", "*", "-j", "1")

    assert result.exit_code == 0, result.stderr
    produced = {
        p.name: json.loads(p.read_text())["file"]
        for p in out.glob("*.json")
        if p.name != MANIFEST_NAME
    }
    assert produced == {
        "X.json": str(src / "X.TXT"),
        "x.md.json": str(src / "x.md"),
        "x.txt.json": str(src / "x.txt"),
    }
    assert f"renamed: {src / 'x.md'} -> {out / 'x.md.json'} ({out / 'x.json'}" in result.stderr
    assert _row(result.stderr, "outputs renamed") == "2"


def test_output_names_stay_inside_the_destination() -> None:
    assert output_name("a/./b.txt", ".json") == os.path.join("a", "b.json")
    assert output_name(".txt", ".json") == ".txt.json"
    assert output_name("dump.2022.txt", ".jsonl") == "dump.2022.jsonl"
    for unsafe in ("../a.txt", "a/../../b.txt", "/etc/passwd", "", ".", "a/.."):
        with pytest.raises(UnsafeOutputPath):
            output_name(unsafe, ".json")


@given(
    st.lists(
        st.sampled_from(["a", "B.txt", ".", "..", "", ".h", "x.gz", "y.tar.gz", "~2", "ț"]),
        min_size=1,
        max_size=4,
    ).map(os.sep.join)
)
@settings(max_examples=300, deadline=None)
def test_a_claimed_name_is_the_name_the_mended_path_gives(relative: str) -> None:
    # The quick split of a plain name must agree with the path that mends any name.
    from newsparse.batch.naming import _OutputNames, _safe_parts

    try:
        parts = _safe_parts(relative)
    except UnsafeOutputPath:
        with pytest.raises(UnsafeOutputPath):
            _OutputNames(".json").claim(relative)
        return
    wanted = output_name(relative, ".json")
    # Taken, the natural name gives way to the input's own name, then to a counter.
    fallbacks = [os.path.join(*parts[:-1], parts[-1] + end) for end in (".json", "~2.json")]
    expected = [wanted] + [name for name in fallbacks if name != wanted]
    names = _OutputNames(".json")
    claims = [names.claim(relative) for _ in expected]
    assert claims == [(expected[0], None)] + [(name, wanted) for name in expected[1:]]


@given(
    st.lists(
        st.sampled_from(["a", "B", ".", ".txt", ".gz", ".GZ", ".Tgz", ".tar", ".zst", ".xz", ".x"]),
        min_size=1,
        max_size=4,
    ).map("".join)
)
@settings(max_examples=500, deadline=None)
def test_an_output_stem_is_what_the_extensions_give(name: str) -> None:
    # The quick stem of a name with one extension must agree with stripping the
    # compression extension, then the extension (`a.txt.gz` -> `a`, `.gz` -> `.gz`).
    from newsparse.batch.naming import _stem
    from newsparse.compression import strip_extension

    assert _stem(name) == (os.path.splitext(strip_extension(name))[0] or name)


def test_combine_streams_every_article_in_input_order(tmp_path: Path) -> None:
    src = build_tree(tmp_path)
    (src / "unreadable.txt").unlink()
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"

    first = invoke(str(src), "--combine", str(one), "-j", "1")
    second = invoke(str(src), "--combine", str(two), "-j", "2")

    assert first.exit_code == second.exit_code == 1
    assert one.read_bytes() == two.read_bytes()
    files = [json.loads(line)["file"] for line in one.read_text().splitlines()]
    assert files == [
        str(src / name)
        for name in (
            "a/b/one.txt",
            "a/two.txt",
            "mixed.txt",
            "mixed.txt",
            "top.txt",
            "undecodable.txt",
        )
    ]
    assert not list(tmp_path.glob("*.tmp"))

    strict = invoke(str(src), "--combine", str(one), "-j", "2", "--strict")
    assert strict.exit_code == 1
    assert len(one.read_text().splitlines()) == 3


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_combine_into_formats_that_do_not_concatenate(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED_BYTES)
    (src / "b.txt").write_bytes(SEED_BYTES + b"\n" + SEED_BYTES)
    lines = invoke(str(src), "--combine", str(tmp_path / "all.jsonl"), "-j", jobs)
    expected = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert lines.exit_code == 0 and len(expected) == 3
    whole = invoke(str(src), "--combine", str(tmp_path / "all.json"), "-j", jobs)
    assert whole.exit_code == 0, whole.stderr
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8")) == expected
    unknown = invoke(str(src), "--combine", str(tmp_path / "all.xyz"))
    assert unknown.exit_code == 2
    assert "cannot tell the format" in unknown.stderr


def test_combine_into_parquet_equals_json_lines(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs the parquet extra (pyarrow)")
    from newsparse.tabular import to_record

    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_bytes(SEED_BYTES)
    invoke(str(src), "--combine", str(tmp_path / "all.jsonl"), "-j", "2")
    result = invoke(str(src), "--combine", str(tmp_path / "all.parquet"), "-j", "2")
    assert result.exit_code == 0, result.stderr
    rows = pq.read_table(tmp_path / "all.parquet").to_pylist()
    expected = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert [to_record(row) for row in rows] == expected
    assert not temporaries(tmp_path)


def test_strict_writes_nothing_for_inputs_with_errors(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_bytes(SEED_BYTES)
    (src / "mixed.txt").write_bytes(MIXED)
    out = tmp_path / "out"

    result = invoke(str(src), "-o", str(out), "--strict", "-j", "1")

    assert result.exit_code == 1
    assert (out / "good.json").exists()
    assert not (out / "mixed.json").exists()
    assert "not written: --strict" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fail_fast_stops_at_the_first_failure(tmp_path: Path, jobs: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a_bad.txt").write_bytes(b"")
    for index in range(200):
        (src / f"b{index:03}.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"

    result = invoke(str(src), "-o", str(out), "--fail-fast", "-j", jobs)

    assert result.exit_code == 1
    assert _row(result.stderr, "files failed").startswith("1")
    converted = int(_row(result.stderr, "files converted"))
    assert converted < 200
    # Batches already handed to workers are finished and kept: the summary counts them.
    assert converted == len(list(out.glob("b*.json")))
    assert temporaries(tmp_path) == []


def test_output_that_is_the_input_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "src" / "a.txt").write_bytes(SEED_BYTES)
    os.link(tmp_path / "src" / "a.txt", tmp_path / "out" / "a.json")  # one file, two names
    result = invoke(str(tmp_path / "src"), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1
    assert "is the input itself" in result.stderr
    assert (tmp_path / "src" / "a.txt").read_bytes() == SEED_BYTES


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "give either -o DIR or --combine FILE"),
        (["-o", "out", "--combine", "all.jsonl"], "give either -o DIR or --combine FILE"),
        (["-o", "out", "-"], "not standard input"),
        (["-o", "out", "--tz", "Mars/Olympus"], "unknown time zone"),
        (["-o", "out", "-j", "0"], "Invalid value for '-j'"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    monkeypatch.chdir(tmp_path)
    result = invoke("a.txt", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


def test_destination_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    result = invoke(str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.txt"))
    assert result.exit_code == 2
    assert "is not a directory" in result.stderr


def test_quiet_lists_only_failures(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(SEED_BYTES)
    (tmp_path / "bad.txt").write_bytes(b"")
    result = invoke(str(tmp_path), "-o", str(tmp_path / "out"), "-q", "-j", "1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'bad.txt'}: 1 error, first NP101 at line 1: input is empty or only "
        "whitespace (nothing written: no article could be read)"
    ]
    assert not (tmp_path / "out" / "bad.json").exists()


def test_clean_run_exits_0_and_verbose_shows_warnings(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(SEED_BYTES)
    result = invoke(str(tmp_path / "good.txt"), "-o", str(tmp_path / "out"), "-v", "-j", "1")
    assert result.exit_code == 0
    assert "good.txt:5:30: NP305" in result.stderr
    assert _row(result.stderr, "warnings") == "2 (NP304 1, NP305 1)"
    quiet = invoke(str(tmp_path / "good.txt"), "-o", str(tmp_path / "out2"), "-j", "1")
    assert "NP305" not in quiet.stderr.split("newsparse convert")[0]


def test_library_report_counts_each_outcome(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_bytes(SEED_BYTES)
    (tmp_path / "bad.txt").write_bytes(b"")
    options = ConvertOptions(destination=str(tmp_path / "out"), jobs=1)
    report = Report()
    for result in convert([str(tmp_path)], options):
        assert isinstance(result, FileResult)
        report.record(result)
    assert (report.converted_count, report.failure_count, report.skipped_count) == (1, 1, 0)
    assert report.errors == {"NP101": 1}
    assert str(report) == "1 converted, 1 failed (1 articles)"
    outcomes = [r.outcome for r in convert([str(tmp_path)], options)]
    assert sorted(outcomes) == sorted([Outcome.FAILED, Outcome.SKIPPED])


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads mode-000 files")
def test_mode_000_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "locked.txt").write_bytes(SEED_BYTES)
    (tmp_path / "locked.txt").chmod(0)
    result = invoke(str(tmp_path), "-o", str(tmp_path / "out"), "-j", "1")
    assert result.exit_code == 1
    assert "permission denied" in result.stderr


def test_fail_fast_with_combine_writes_no_partial_file(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED_BYTES)
    (src / "b.txt").write_bytes(b"")
    (src / "c.txt").write_bytes(SEED_BYTES)
    combined = tmp_path / "all.jsonl"

    result = invoke(str(src), "--combine", str(combined), "--fail-fast", "-j", "1")

    assert result.exit_code == 1
    assert not combined.exists()
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def kill_the_worker_on(monkeypatch: pytest.MonkeyPatch, names: set[str]) -> None:
    """Make a worker die, as if the kernel killed it, when it reaches an input named NAMES."""
    import threading
    from concurrent.futures.process import _ExecutorManagerThread

    import newsparse.batch.worker as batch
    from newsparse.batch.pool import _start_method

    # A pool an earlier test broke is shut down without waiting: its threads may still be
    # ending, and with a thread running convert would not fork.
    for thread in threading.enumerate():
        if isinstance(thread, _ExecutorManagerThread) or thread.name == "QueueFeederThread":
            thread.join(timeout=10)
    if _start_method() != "fork":
        pytest.skip("the patched worker reaches the pool only through fork")
    real_convert_file = batch._convert_file

    def dying(task: object, settings: object) -> FileResult:
        if os.path.basename(str(getattr(task, "path", ""))) in names:
            os._exit(9)
        return real_convert_file(task, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "_convert_file", dying)


def test_a_worker_that_dies_fails_its_files_without_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kill_the_worker_on(monkeypatch, {"die.txt"})
    for index in range(12):
        (tmp_path / f"a{index:02}.txt").write_bytes(SEED_BYTES)
    (tmp_path / "die.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"

    report = Report()
    for result in convert([str(tmp_path)], ConvertOptions(destination=str(out), jobs=2)):
        report.record(result)

    # The files of the dead worker's batch are converted again, each alone in a fresh
    # worker: only the one that kills its worker again fails.
    assert [(os.path.basename(path), reason) for path, reason in report.failures] == [
        ("die.txt", "worker process died while converting it (BrokenProcessPool)")
    ]
    assert report.total == 13
    assert report.converted_count == 12
    assert temporaries(tmp_path) == []


def test_files_retried_after_a_worker_died_never_share_its_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A retried file must be alone in its process: another input that kills its worker
    # at the same time must not fail it (nor leave its output unrecorded).
    killers = {"a010.txt", "a300.txt", "a590.txt"}
    kill_the_worker_on(monkeypatch, killers)
    src = tmp_path / "src"
    src.mkdir()
    for index in range(600):
        (src / f"a{index:03}.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"

    report = Report()
    for result in convert([str(src)], ConvertOptions(destination=str(out), jobs=2)):
        report.record(result)

    assert sorted(os.path.basename(path) for path, _ in report.failures) == sorted(killers)
    assert report.converted_count == 597
    manifest = json.loads((out / MANIFEST_NAME).read_text())["outputs"]
    assert len(manifest) == 597
    assert temporaries(tmp_path) == []


def test_destination_that_cannot_be_made_exits_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    result = invoke(str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.txt" / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"newsparse: cannot write: {tmp_path / 'a.txt' / 'out'}")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "output",
    [["--combine", "blocker/all.jsonl"], ["--combine", "blocker/all.db"], ["-o", "blocker/out"]],
    ids=["combine-jsonl", "combine-sqlite", "tree"],
)
def test_an_unwritable_destination_is_the_only_error_shown(
    tmp_path: Path, output: list[str]
) -> None:
    sources = tmp_path / "dumps"
    sources.mkdir()
    (sources / "a.txt").write_bytes(SEED_BYTES)
    blocker = tmp_path / "blocker"  # a file where the output's directory should be
    blocker.write_text("not a directory\n")
    flag, target = output
    result = invoke(str(sources), flag, str(tmp_path / target), "-j", "1")
    assert (result.exit_code, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[0].startswith("newsparse: cannot write: ")
    assert lines[0].endswith(f"{blocker} is a file, not a directory")
    assert "nothing written" in lines[1]
    assert "the destination could not be written" in result.stderr
    assert "no input files found" not in result.stderr  # the inputs were never looked for
    assert not any(line.startswith("newsparse:") for line in lines[2:])
    assert blocker.read_text() == "not a directory\n"


def test_combine_makes_the_directory_of_its_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    combined = tmp_path / "new" / "dir" / "all.jsonl"
    result = invoke(str(tmp_path / "a.txt"), "--combine", str(combined), "-j", "1")
    assert result.exit_code == 0
    assert json.loads(combined.read_text())["title"].startswith(TITLE)


@pytest.mark.parametrize("source", ["out", "out/sub"])
def test_source_inside_the_destination_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    (tmp_path / "out" / "sub").mkdir(parents=True)
    (tmp_path / "out" / "sub" / "a.txt").write_bytes(SEED_BYTES)
    monkeypatch.chdir(tmp_path)
    result = invoke(source, "-o", "out")
    assert result.exit_code == 2
    assert "is inside the destination" in result.stderr


def test_the_last_batches_go_to_the_workers_in_small_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ProcessPoolExecutor

    sent: list[int] = []
    real_submit = ProcessPoolExecutor.submit

    def recorded(self: ProcessPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        sent.append(len(args[0]))  # the batch
        return real_submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", recorded)
    src = tmp_path / "src"
    src.mkdir()
    for index in range(144):
        (src / f"d{index:03}.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"
    options = ConvertOptions(destination=str(out), jobs=2, batch_files=32)
    results = list(convert([str(src)], options))

    # Small first batches at once; then each full one once the next is full; the last
    # two, 32 and a partial 20, in three pieces (of 16 at least) for the workers to share.
    assert sent == [4, 8, 16, 32, 32, 18, 17, 17]
    assert [Path(r.path).name for r in results] == [f"d{index:03}.txt" for index in range(144)]
    assert all(r.outcome is Outcome.CONVERTED for r in results)
    assert len([p for p in out.glob("*.json") if p.name != MANIFEST_NAME]) == 144


def test_a_stuck_worker_is_ended_and_its_temporary_file_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import newsparse.batch.pool as pool
    import newsparse.batch.worker as batch
    from newsparse.output import write_atomically

    if pool._start_method() != "fork":
        pytest.skip("the patched worker reaches the pool only through fork")

    def stuck_write(
        path: str, articles: object, exporter_class: object, *settings: object
    ) -> os.stat_result:
        with write_atomically(path) as stream:
            stream.write("[partial")
            stream.flush()
            time.sleep(60)  # until the parent gives up and ends this worker
        raise AssertionError("not reached")

    monkeypatch.setattr(batch, "_write_whole", stuck_write)
    monkeypatch.setattr(pool, "_GRACE_SECONDS", 0.5)
    for index in range(4):  # the first batch, sent as soon as it has four files
        (tmp_path / f"a{index}.txt").write_bytes(SEED_BYTES)
    os.mkfifo(tmp_path / "b.txt")  # then a result the plan gives at once
    out = tmp_path / "out"
    results = convert([str(tmp_path)], ConvertOptions(destination=str(out), jobs=2))
    assert next(results).path.endswith("b.txt")
    deadline = time.monotonic() + 30
    while not any(out.rglob("*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)  # until a worker is inside its write
    assert any(out.rglob("*.tmp"))

    started = time.monotonic()
    results.close()  # what Ctrl-C does to the loop that consumes the results

    assert time.monotonic() - started < 30
    assert temporaries(tmp_path) == []
    assert [p.name for p in out.iterdir()] in ([], [MANIFEST_NAME])


def test_combined_output_inside_the_source_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED_BYTES)
    result = invoke(
        str(tmp_path), "--glob", "*", "--combine", str(tmp_path / "all.jsonl"), "-j", "2"
    )
    assert result.exit_code == 0, result.stderr
    assert len((tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_a_full_disk_fails_that_output_only_and_leaves_nothing_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from newsparse.exporters.json import JSONExporter

    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_bytes(SEED_BYTES)
    real_write = JSONExporter.write

    def write(self: JSONExporter, article: object) -> None:
        if str(getattr(article, "file", "")).endswith("b.txt"):
            self.stream.write('{"partial": ')  # something reached the file before the disk filled
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, article)  # type: ignore[arg-type]

    monkeypatch.setattr(JSONExporter, "write", write)
    out = tmp_path / "out"
    result = invoke(str(src), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    # Once as it happens, once in the closing list of failed inputs.
    assert result.stderr.count("no space left on device") == 2, result.stderr
    assert "failed (1):" in result.stderr
    assert sorted(p.name for p in out.glob("*.json") if p.name != MANIFEST_NAME) == [
        "a.json",
        "c.json",
    ]
    assert not temporaries(tmp_path)
    rerun = invoke(str(src), "-o", str(out), "-j", "1")  # b is tried again, a and c skipped
    assert rerun.exit_code == 1
    assert "files skipped (up to date)" in rerun.stderr


def test_ctrl_c_while_recording_a_batch_loses_no_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsparse.batch.manifest as batch
    from newsparse.batch.pool import _start_method

    if _start_method() != "fork":
        pytest.skip("the patched manifest reaches the pool's parent only as forked")
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for index in range(40):
        (src / f"a{index:02}.txt").write_bytes(SEED_BYTES)
    real_record = batch._Manifest.record
    calls = []

    def record(self: object, key: str, stamp: tuple[int, int, int, int]) -> None:
        calls.append(key)
        if len(calls) == 6:  # inside the second batch's results (batches of 4, then 8)
            raise KeyboardInterrupt
        real_record(self, key, stamp)  # type: ignore[arg-type]

    monkeypatch.setattr(batch._Manifest, "record", record)
    results = convert([str(src)], ConvertOptions(destination=str(out), jobs=2))
    with pytest.raises(KeyboardInterrupt):
        for _ in results:
            pass
    results.close()
    written = {p.name for p in out.glob("*.json") if p.name != MANIFEST_NAME}
    recorded = set(json.loads((out / MANIFEST_NAME).read_text())["outputs"])
    assert len(written) >= 8
    assert recorded == written
    assert temporaries(tmp_path) == []
