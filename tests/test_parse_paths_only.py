"""`newsparse parse PATHS...` runs without click: it must do exactly what the click command does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import _only_paths_to_parse
from newsparse.cli import main as click_main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_c61b72992829a382.txt"
MALFORMED = ROOT / "samples" / "malformed" / "004_malformed.txt"
DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize(
    ("args", "quick"),
    [
        (["parse"], True),
        (["parse", "a.txt"], True),
        (["parse", "-"], True),
        (["parse", "a.txt", "dir", "-"], True),
        (["parse", "-f", "json", "a.txt"], False),
        (["parse", "a.txt", "--quiet"], False),
        (["parse", "--help"], False),
        (["parse", "-h"], False),
        (["parse", "--", "a.txt"], False),
        (["parse", ""], False),
        (["validate", "a.txt"], False),
        (["--version"], False),
        ([], False),
        (["Parse", "a.txt"], False),
    ],
)
def test_only_plain_paths_skip_click(args: list[str], quick: bool) -> None:
    assert _only_paths_to_parse(args) is quick


def test_shell_completion_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NEWSPARSE_COMPLETE", "bash_source")
    assert not _only_paths_to_parse(["parse", "a.txt"])


def _quick(args: list[str], stdin: bytes, cwd: Path) -> tuple[int, bytes, str]:
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", *args],
        input=stdin,
        capture_output=True,
        check=False,
        cwd=cwd,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr.decode("utf-8")


def _through_click(args: list[str], stdin: bytes, cwd: Path) -> tuple[int, bytes, str]:
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(click_main, args, input=stdin)
    finally:
        os.chdir(previous)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr


def _cases(tmp_path: Path) -> list[tuple[list[str], bytes]]:
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "tree" / "sub" / "b.txt").write_bytes(MALFORMED.read_bytes())
    (tmp_path / "tree" / "sub" / "notes.md").write_text("not a dump\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    seed = SEED.read_bytes()
    return [
        (["parse", str(SEED)], b""),
        (["parse", str(MALFORMED)], b""),
        (["parse", str(SEED), str(MALFORMED)], b""),
        (["parse", "tree"], b""),
        (["parse", str(tmp_path / "missing.txt"), str(SEED)], b""),
        (["parse", "empty.txt"], b""),
        (["parse", str(DATA)], b""),
        (["parse"], seed),
        (["parse", "-", str(SEED)], seed + seed),
        (["parse"], b"\xff\xfe not a dump \x00\x1b[31m"),
    ]


def test_same_output_status_and_diagnostics_as_the_click_command(tmp_path: Path) -> None:
    statuses = set()
    for args, stdin in _cases(tmp_path):
        assert _only_paths_to_parse(args), args
        quick = _quick(args, stdin, tmp_path)
        full = _through_click(args, stdin, tmp_path)
        assert quick == full, args
        statuses.add(quick[0])
    # The cases are not all alike: clean and failing runs are both compared.
    assert statuses == {0, 1}


def test_a_closed_pipe_ends_quietly() -> None:
    # Ten times the golden files: far more than a pipe holds, so the write does fail.
    paths = " ".join([str(DATA)] * 10)
    piped = subprocess.run(
        [
            "bash",
            "-c",
            f'{sys.executable} -m newsparse parse {paths} | head -c 5; echo " ${{PIPESTATUS[0]}}"',
        ],
        capture_output=True,
        check=False,
        timeout=60,
    )
    # The golden files hold errors: a closed pipe keeps the status they give (1).
    assert piped.stdout == b"[\n  { 1\n"
    assert b"Traceback" not in piped.stderr
    assert b"BrokenPipe" not in piped.stderr


@pytest.mark.parametrize("options", [[], ["-f", "jsonl"]])
def test_a_closed_standard_output_is_an_error_not_a_traceback(options: list[str]) -> None:
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m newsparse parse {' '.join(options)} {SEED} >&-"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "newsparse: cannot write standard output: standard output is closed" in done.stderr
