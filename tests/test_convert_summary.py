"""The summary `convert` prints off a terminal: the same text with or without rich."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsparse.cli import progress

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent


def drawn_by_rich(title: str, rows: list[tuple[str, str]], lines: list[str]) -> str:
    """Return what the summary prints when rich draws it, on a stream that is no terminal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(progress, "plain_table", lambda *args: None)
        stream = io.StringIO()
        patch.setattr(sys, "stderr", stream)
        progress._print_table(title, rows, lines, None)
    return stream.getvalue()


def written_plain(title: str, rows: list[tuple[str, str]], lines: list[str]) -> str | None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stderr", io.StringIO())
        return progress.plain_table(title, rows, lines)


TYPICAL = (
    "newsparse convert: done",
    [
        ("files converted", "1,998"),
        ("files skipped (up to date)", "0"),
        ("files failed", "2 (1 with their good articles written)"),
        ("articles written", "2,311"),
        ("warnings", "763 (NP206 12, NP304 751)"),
        ("errors", "3 (NP202 2, NP303 1)"),
        ("time", "0.61 s (3,270 files/s)"),
    ],
    [
        "renamed: src/A.txt -> A-1.jsonl (a.jsonl belongs to another input)",
        "failed (2):",
        "  src/b.txt: 1 error, first NP202 at line 1: impossible date or time: '25:61'",
        "  src/ș.txt: cannot write out/ș.jsonl: no space left on device",
        "  src/c.txt: 2 errors, first NP203 at line 3: cannot read the date 'ieri, \\x1f[18:45'",
    ],
)


def test_a_typical_summary_is_written_as_rich_draws_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    plain = written_plain(*TYPICAL)
    assert plain is not None
    assert plain == drawn_by_rich(*TYPICAL)
    assert (
        plain.splitlines()[2]
        == "│ files converted            │                                  1,998 │"
    )


@pytest.mark.parametrize("width", range(20, 121))
def test_the_typical_summary_is_rich_s_at_every_width(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # Narrow consoles make rich share out columns wider than the whole table may be.
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    plain = written_plain(*TYPICAL)
    if width >= 24:  # narrower, rich cuts `(NP206` across lines: left to rich
        assert plain is not None
    if plain is not None:
        assert plain == drawn_by_rich(*TYPICAL)


# Mostly what summaries hold; now and then what only rich can draw (markup, emoji codes,
# tabs, wide or non-ASCII cells), for which the plain writer must step aside.
SAFE = st.text(st.sampled_from("abc xyz019,.()-_/'%"), min_size=1, max_size=30)
CELL = st.one_of(SAFE, SAFE, SAFE, st.text(st.sampled_from("a [b]:\\ă\t"), min_size=1, max_size=8))
LINE = st.text(st.sampled_from("abc xyz019,.()-_/'ăș: "), min_size=1, max_size=60) | CELL


@settings(max_examples=60, deadline=None)
@given(
    title=CELL,
    rows=st.lists(st.tuples(CELL, CELL), min_size=1, max_size=6),
    lines=st.lists(LINE, max_size=3),
    width=st.integers(min_value=20, max_value=120),
)
def test_whatever_the_text_the_plain_summary_is_rich_s_or_none(
    title: str, rows: list[tuple[str, str]], lines: list[str], width: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        patch.delenv("FORCE_COLOR", raising=False)
        patch.delenv("TTY_COMPATIBLE", raising=False)
        plain = written_plain(title, rows, lines)
        if plain is not None:
            assert plain == drawn_by_rich(title, rows, lines)


def test_rich_draws_what_only_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    title, rows, lines = TYPICAL
    assert written_plain(title, [("output", "[bold]x[/bold] was not written")], []) is None
    assert written_plain(title, rows, ["  :thumbs_up:.txt: empty"]) is None
    monkeypatch.setenv("COLUMNS", "16")  # so narrow that rich cuts words across lines
    assert written_plain(title, rows, lines) is None
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich then draws as on a terminal
    assert written_plain(title, rows, lines) is None


def test_convert_prints_its_summary_without_loading_rich(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "one.txt").write_bytes(SEED.read_bytes())
    script = (
        "import sys\n"
        "from newsparse.cli import main\n"
        "try:\n"
        f"    main(['convert', {str(source)!r}, '-o', {str(tmp_path / 'out')!r}, '-j', '1'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules, file=sys.__stdout__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.stdout == "False\n"
    assert "newsparse convert: done" in done.stderr and "│ files converted" in done.stderr


def test_a_summary_wider_than_the_console_is_wrapped_as_rich_wraps_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    title, rows, lines = TYPICAL
    codes = ", ".join(f"NP{number} {number % 97}" for number in range(201, 214))
    wide = [*rows[:4], ("warnings", f"826 ({codes})"), *rows[5:]]
    plain = written_plain(title, wide, lines)
    assert plain is not None and max(len(line) for line in plain.splitlines()[:12]) == 80
    assert plain == drawn_by_rich(title, wide, lines)


@pytest.mark.parametrize("color", [[], ["--color"]])
def test_a_failed_input_is_named_as_it_is_not_read_as_an_emoji_code(
    tmp_path: Path, color: list[str]
) -> None:
    import os

    source = tmp_path / "src"
    source.mkdir()
    (source / "one.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(source / ":smile: y.txt")  # named like a dump, cannot be read as one
    out = str(tmp_path / "out")
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", "convert", *color, str(source), "-o", out],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert ":smile: y.txt: cannot read file" in done.stderr
    assert "\N{SMILING FACE WITH SMILING EYES}" not in done.stderr


def test_a_result_crosses_to_the_parent_whole() -> None:
    # Workers send FileResult through pickle, as its fields in order: every field, set to
    # something other than its default, comes back.
    import dataclasses
    import pickle

    from newsparse.batch.report import FileResult, Outcome
    from newsparse.model import Diagnostic, Severity

    result = FileResult(
        "in/a.txt",
        Outcome.FAILED,
        output="out/a.jsonl",
        articles=3,
        counts=(("NP301", "error", 1),),
        diagnostics=(Diagnostic("in/a.txt", 2, 1, "NP301", Severity.ERROR, "fără titlu"),),
        message="1 error",
        renamed_from="out/A.jsonl",
        written=True,
        payload=b'{"title":"x"}\n',
        stamp=(1, 2, 3, 4),
        fingerprints=(),
        duplicates=2,
        dropped=(1, 0),
    )
    defaults = FileResult("x", Outcome.CONVERTED)
    changed = [
        f.name
        for f in dataclasses.fields(FileResult)
        if getattr(result, f.name) != getattr(defaults, f.name)
    ]
    assert set(changed) == {f.name for f in dataclasses.fields(FileResult)} - {"fingerprints"}
    assert len(result.__reduce__()[1]) == len(dataclasses.fields(FileResult))
    assert pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)) == result


def test_a_task_crosses_to_the_worker_whole() -> None:
    # The parent sends each _Task through pickle, as its fields in order: every field, set
    # to something other than its default, comes back.
    import dataclasses
    import pickle

    from newsparse.batch.worker import _Task
    from newsparse.model import Diagnostic, Severity

    task = _Task(
        "in/a.tar!/b.txt",
        "out/a.tar/b.jsonl",
        120,
        renamed_from="out/a.tar/B.jsonl",
        member=(
            b"Scris de Ana Pop",
            (Diagnostic("b.txt", 1, 1, "NP201", Severity.ERROR, "x"),),
            (5, 6),
        ),
        output_exists=False,
    )
    defaults = _Task("x", None, 0)
    changed = [
        f.name
        for f in dataclasses.fields(_Task)
        if getattr(task, f.name) != getattr(defaults, f.name)
    ]
    assert set(changed) == {f.name for f in dataclasses.fields(_Task)}
    assert len(task.__reduce__()[1]) == len(dataclasses.fields(_Task))
    assert pickle.loads(pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)) == task
