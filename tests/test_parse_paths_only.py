"""`newsparse parse [-f json|jsonl] [-q] PATHS...` runs without click, exactly as through click."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import QUICK_FORMATS, quick_parse
from newsparse.cli import main as click_main
from newsparse.cli.files import DEFAULT_FORMAT

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_c61b72992829a382.txt"
MALFORMED = ROOT / "samples" / "malformed" / "004_malformed.txt"
DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize(
    ("args", "quick"),
    [
        (["parse"], ([], "json", False)),
        (["parse", "a.txt"], (["a.txt"], "json", False)),
        (["parse", "-"], (["-"], "json", False)),
        (["parse", "a.txt", "dir", "-"], (["a.txt", "dir", "-"], "json", False)),
        (["parse", "-f", "json", "a.txt"], (["a.txt"], "json", False)),
        (["parse", "-f", "jsonl", "a.txt"], (["a.txt"], "jsonl", False)),
        (["parse", "a.txt", "--format", "jsonl"], (["a.txt"], "jsonl", False)),
        (["parse", "--format=jsonl", "a.txt"], (["a.txt"], "jsonl", False)),
        (["parse", "a.txt", "--quiet"], (["a.txt"], "json", True)),
        (["parse", "-q", "a", "-f", "jsonl", "b"], (["a", "b"], "jsonl", True)),
        # Anything click must decide, or that only click reads this way, goes to click.
        (["parse", "-f", "csv", "a.txt"], None),
        (["parse", "-f", "JSON", "a.txt"], None),
        (["parse", "-f"], None),
        (["parse", "-f", "-q", "a.txt"], None),
        (["parse", "-fjsonl", "a.txt"], None),
        (["parse", "--format=", "a.txt"], None),
        (["parse", "-f", "json", "-f", "jsonl", "a.txt"], None),
        (["parse", "-q", "-q", "a.txt"], None),
        (["parse", "-qf", "jsonl", "a.txt"], None),
        (["parse", "-o", "out.json", "a.txt"], None),
        (["parse", "--help"], None),
        (["parse", "-h"], None),
        (["parse", "--", "a.txt"], None),
        (["parse", ""], None),
        (["validate", "a.txt"], None),
        (["--version"], None),
        ([], None),
        (["Parse", "a.txt"], None),
    ],
)
def test_only_paths_and_the_plain_options_skip_click(
    args: list[str], quick: tuple[list[str], str, bool] | None
) -> None:
    assert quick_parse(args) == quick


def test_the_quick_default_format_is_the_commands() -> None:
    assert QUICK_FORMATS[0] == DEFAULT_FORMAT


def test_shell_completion_goes_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NEWSPARSE_COMPLETE", "bash_source")
    assert quick_parse(["parse", "a.txt"]) is None


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
        (["parse", "-f", "jsonl", "tree"], b""),
        (["parse", "--format=jsonl", str(SEED), str(MALFORMED)], b""),
        (["parse", str(DATA), "--format", "json", "-q"], b""),
        (["parse", "-q", "-f", "jsonl", "-", str(MALFORMED)], seed),
        (["parse", "-q", str(tmp_path / "missing.txt")], b""),
    ]


def test_same_output_status_and_diagnostics_as_the_click_command(tmp_path: Path) -> None:
    statuses = set()
    for args, stdin in _cases(tmp_path):
        assert quick_parse(args) is not None, args
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
