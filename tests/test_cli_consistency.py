"""The commands agree with each other: empty inputs, --glob, honest summaries, shared options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.batch import ConvertOptions, convert
from newsparse.batch.manifest import MANIFEST_NAME
from newsparse.cli import main

from .conftest import ROOT

SEED = ROOT / "samples" / "000_c61b72992829a382.txt"
SEED_BYTES = SEED.read_bytes()
BROKEN = b"Scris de Ana Pop pe 1 mai 2020, 10:00\n\n## Titlu\n"  # NP302: no body


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env=env)


# 1. Empty input: one rule for every command.


@pytest.mark.parametrize("command", [["parse"], ["validate"], ["convert", "-o", "OUT"]])
def test_a_directory_without_matching_files_is_one_warning_and_exit_0(
    command: list[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("x")
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = run(*args, str(empty), "--glob", "*.txt")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"newsparse: warning: no input files found in '{empty}' matching --glob '*.txt'"
    ]
    # The data of each command stays what it is: an empty list, an empty report, nothing.
    expected = {"parse": "[]\n", "validate": "no problems in 0 files\n", "convert": ""}
    assert result.stdout == expected[command[0]]


# 2. --glob on relative paths, and case-only mismatches counted.


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "t"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / "top.txt").write_bytes(SEED_BYTES)
    (root / "sub" / "a.txt").write_bytes(SEED_BYTES)
    (root / "sub" / "deep" / "b.txt").write_bytes(SEED_BYTES)
    (root / "C.TXT").write_bytes(SEED_BYTES)
    return root


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("*.txt", ["sub/a.txt", "sub/deep/b.txt", "top.txt"]),
        ("**/*.txt", ["sub/a.txt", "sub/deep/b.txt", "top.txt"]),
        ("sub/*.txt", ["sub/a.txt"]),
        ("sub/**/*.txt", ["sub/a.txt", "sub/deep/b.txt"]),
        ("*/deep/*.txt", ["sub/deep/b.txt"]),
    ],
)
def test_glob_matches_paths_relative_to_the_directory(
    pattern: str, expected: list[str], tmp_path: Path
) -> None:
    root = _tree(tmp_path)
    result = run("parse", "-f", "jsonl", "--glob", pattern, str(root))
    assert result.exit_code == 0
    files = [json.loads(line)["file"] for line in result.stdout.splitlines()]
    assert files == [str(root / name) for name in expected]


def test_files_matching_only_when_case_is_ignored_are_counted(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = run("validate", "--glob", "*.txt", str(root))
    assert result.exit_code == 0
    assert (
        f"newsparse: warning: 1 file skipped that matches --glob '*.txt' only when "
        f"case is ignored: {root / 'C.TXT'} (--glob is case-sensitive)"
    ) in result.stderr
    taken = run("parse", "-f", "jsonl", "--glob", "*.[tT][xX][tT]", str(root))
    assert len(taken.stdout.splitlines()) == 4
    assert "warning" not in taken.stderr


def test_a_pattern_with_a_slash_that_matches_nothing_says_how_it_is_read(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    result = run("parse", "--glob", "nope/*.txt", str(root))
    assert result.exit_code == 0
    assert "matched against the path relative to the directory given" in result.stderr


# 3. Summaries say what is on disk.


def test_convert_under_a_file_says_nothing_was_written(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    for args in (
        ["-o", str(tmp_path / "afile" / "out")],
        ["--combine", str(tmp_path / "afile" / "x.jsonl")],
    ):
        result = run("convert", str(SEED), *args)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert f"{tmp_path / 'afile'} is a file, not a directory" in result.stderr
        assert "nothing written" in result.stderr
        assert ": done" not in result.stderr


def test_combine_with_fail_fast_reports_the_file_it_did_not_write(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED_BYTES)
    (src / "b.txt").write_bytes(BROKEN)
    combined = tmp_path / "all.jsonl"
    result = run("convert", str(src), "--combine", str(combined), "--fail-fast", "-j", "1")
    assert result.exit_code == 1
    assert not combined.exists()
    assert "newsparse convert: nothing written" in result.stderr
    words = " ".join(result.stderr.replace("│", " ").split())  # the table may wrap the cell
    assert "was not written (--fail-fast stopped at a failed input)" in words
    assert "good articles written" not in result.stderr
    row = next(line for line in result.stderr.splitlines() if "articles written" in line)
    assert row.rstrip(" │").endswith(" 0")


# 4. An interrupted parallel run counts what was recorded.


def test_interrupted_parallel_run_reports_every_output_it_recorded(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for index in range(60):
        (src / f"d{index:03}.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"
    recorded = []
    results = convert(
        [str(src)],
        ConvertOptions(destination=str(out), jobs=2, batch_files=4),
        on_recorded=recorded.append,
    )
    next(results)
    results.close()  # what Ctrl-C does to the loop that consumes the results
    on_disk = sorted(p.name for p in out.glob("*.json") if p.name != MANIFEST_NAME)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    counted = sorted(os.path.basename(r.output) for r in recorded if r.output)
    assert counted == on_disk == sorted(manifest["outputs"])
    assert len(set(id(r) for r in recorded)) == len(recorded) == len(counted)


# 5. An input with no article gets no output (and a rerun rewrites nothing).


def test_an_input_without_articles_gets_no_output(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "good.txt").write_bytes(SEED_BYTES)
    out = tmp_path / "out"
    first = run("convert", str(src), "-o", str(out), "-j", "1")
    assert first.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "good.json"]
    assert "nothing written: no article could be read" in first.stderr


# 6. The same options everywhere.


def test_convert_takes_the_csv_options(tmp_path: Path) -> None:
    combined = tmp_path / "a.csv"
    result = run(
        "convert",
        str(SEED),
        "--combine",
        str(combined),
        "--columns",
        "title,url",
        "--excel",
        "-j",
        "1",
    )
    assert result.exit_code == 0, result.stderr
    data = combined.read_bytes()
    assert data.startswith(b"\xef\xbb\xbftitle,url\r\n")
    assert data.count(b"\r\n") == 2
    tree = run(
        "convert",
        str(SEED),
        "-o",
        str(tmp_path / "out"),
        "-f",
        "csv",
        "--columns",
        "url",
        "-j",
        "1",
    )
    assert tree.exit_code == 0
    assert (
        tmp_path / "out" / SEED.with_suffix(".csv").name
    ).read_bytes() == b"url\r\nhttp://crct.ro/nA18\r\n"
    refused = run("convert", str(SEED), "-o", str(tmp_path / "o2"), "--no-formula-guard")
    assert refused.exit_code == 2
    assert "--no-formula-guard does not apply to format 'json'" in refused.stderr


def test_combine_knows_every_extension_of_the_registry(tmp_path: Path) -> None:
    combined = tmp_path / "all.ndjson"
    result = run("convert", str(SEED), "--combine", str(combined), "-j", "1")
    assert result.exit_code == 0, result.stderr
    assert json.loads(combined.read_text().splitlines()[0])["line"] == 3


def test_parse_infers_the_format_from_the_output_and_makes_its_directory(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "dir" / "x.csv"
    result = run("parse", str(SEED), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("file,line,title,")
    explicit = run("parse", str(SEED), "-f", "jsonl", "-o", str(tmp_path / "y.csv"))
    assert json.loads((tmp_path / "y.csv").read_text())["line"] == 3
    assert explicit.exit_code == 0


def test_select_takes_code_names_like_explain(tmp_path: Path) -> None:
    result = run("validate", "--select", "doubled-word", str(SEED))
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if ": NP" in line]
    assert lines and all(" NP305 " in line for line in lines)


@pytest.mark.parametrize(
    ("size", "accepted"),
    [
        ("1KB", False),
        ("1000", False),
        ("4KB", True),
        ("1KiB", False),
        ("4KiB", True),
        ("1MiB", True),
        ("1MB", True),
        ("0.5 MiB", True),
        ("2k", False),
        ("3k", True),
    ],
)
def test_max_size_units(size: str, accepted: bool, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(SEED_BYTES + b" " * (3000 - len(SEED_BYTES)))
    result = run("parse", "--max-size", size, str(big))
    assert result.exit_code == (0 if accepted else 1), result.stderr
    assert ("NP106" in result.stderr) is not accepted


def test_max_size_refuses_words_with_a_message_listing_the_units() -> None:
    result = run("parse", "--max-size", "lots", str(SEED))
    assert result.exit_code == 2
    assert "'lots' is not a size like 50MB, 50MiB, 512k or 1000000" in result.stderr


# 7. A hint when standard input is a terminal.


@pytest.mark.slow
@pytest.mark.parametrize("command", ["parse", "validate"])
def test_reading_a_terminal_says_how_to_end(command: str) -> None:
    import pty

    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsparse", command],
            stdin=secondary,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.write(primary, b"\x04")  # Ctrl-D on an empty line: end of input
        _, stderr = process.communicate(timeout=30)
    finally:
        os.close(primary)
        os.close(secondary)
    assert b"newsparse: reading standard input; Ctrl-D to end, --help for usage" in stderr
    assert b"Traceback" not in stderr


# 8. Colours: the same switch everywhere.


def test_color_switch_on_parse_and_validate(tmp_path: Path) -> None:
    plain = run("parse", str(SEED), "-o", str(tmp_path / "a.json"))
    assert "\x1b[" not in plain.stderr and "NP305" in plain.stderr
    colored = run("parse", "--color", str(SEED), "-o", str(tmp_path / "b.json"))
    assert "\x1b[1;33mNP305\x1b[0m" in colored.stderr
    for command in ("validate", "parse"):
        off = run(command, "--no-color", str(SEED), "-o", str(tmp_path / "c.json"))
        assert "\x1b[" not in off.stderr + off.stdout
    help_texts = {name: run(name, "--help").stdout for name in ("parse", "convert", "validate")}
    assert all("--color / --no-color" in text for text in help_texts.values())


def test_no_color_wins_on_a_terminal() -> None:
    from newsparse.console import wants_color

    class Terminal:
        def isatty(self) -> bool:
            return True

    assert wants_color(Terminal()) is (not os.environ.get("NO_COLOR"))
    os.environ["NO_COLOR"] = "1"
    try:
        assert wants_color(Terminal()) is False
        assert wants_color(Terminal(), True) is True
    finally:
        del os.environ["NO_COLOR"]


# 9. Errors in the words the user typed.


def test_jobs_that_are_not_a_number(tmp_path: Path) -> None:
    result = run("convert", str(SEED), "-o", str(tmp_path / "out"), "-j", "abc")
    assert result.exit_code == 2
    assert "'abc' is not a number of processes (a whole number, 1 or more)" in result.stderr
    assert "integer range" not in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="making a character device needs root")
def test_full_standard_output_is_called_standard_output(tmp_path: Path) -> None:
    full = tmp_path / "full"
    os.mknod(full, 0o666 | 0o020000, os.makedev(1, 7))  # a /dev/full of our own
    with open(full, "wb") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "newsparse", "parse", str(SEED)],
            stdout=stdout,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 1
    assert b"newsparse: cannot write standard output: no space left on device" in done.stderr
    assert b"Traceback" not in done.stderr


# 12. Help that tells, and is not cut.


def test_top_level_help_has_examples_completion_and_whole_descriptions() -> None:
    result = run("--help")
    assert result.exit_code == 0
    text = result.stdout
    assert "Examples:" in text and "newsparse convert dumps/ -o out/" in text
    assert "_NEWSPARSE_COMPLETE=bash_source" in text and "fish_source" in text
    assert "..." not in text.split("Commands:")[1]
    for name in ("parse", "convert", "validate", "schema"):
        first_line = (main.commands[name].help or "").strip().splitlines()[0]
        assert " ".join(first_line.split()) in " ".join(text.split())


# Outputs that commands write beside their reading: never an input found in a directory.


def test_combined_file_and_html_report_that_are_inputs_found_in_a_directory(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED_BYTES)
    (src / "b.txt").write_bytes(SEED_BYTES.replace(b"## ", b"## Alt: "))
    for args in (
        ["convert", str(src), "--combine", str(src / "a.txt"), "-j", "1"],
        ["stats", str(src), "--html", str(src / "b.txt")],
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "is also an input" in result.stderr and "inputs are never written" in result.stderr
    assert (src / "a.txt").read_bytes() == SEED_BYTES
    assert (src / "b.txt").read_bytes() == SEED_BYTES.replace(b"## ", b"## Alt: ")
    fresh = run("convert", str(src), "--combine", str(src / "all.jsonl"), "-j", "1")
    assert fresh.exit_code == 0, fresh.stderr  # a new file cannot be an input


def test_a_reference_time_out_of_range_is_a_usage_error() -> None:
    import datetime as dt

    import newsparse

    result = run("parse", "--now", "0001-01-01T00:00+14:00", str(SEED))
    assert result.exit_code == 2
    assert "out of range: give a year from 2 to 9998" in result.stderr
    zone = dt.timezone(dt.timedelta(hours=14))
    with pytest.raises(newsparse.InvalidOption, match="years 2 to 9998"):
        newsparse.parse("x", options=newsparse.ParseOptions(now=dt.datetime(1, 1, 1, tzinfo=zone)))


@pytest.mark.slow
@pytest.mark.parametrize("command", ["show", "stats"])
def test_an_ascii_only_terminal_gets_escapes_not_a_traceback(command: str) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "newsparse", command, str(SEED)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"\\x" in done.stdout or b"\\u" in done.stdout  # the letters ASCII lacks, escaped


def test_junit_report_holds_no_runner_command_and_the_same_names() -> None:
    from xml.etree import ElementTree as ET

    from newsparse.console import neutralize_xml

    from .runner_commands import forged_commands

    xml = '<a name="##[add-mask]x.txt">\n::error title=x::y\n  ::warning::z</a>'
    safe = neutralize_xml(xml)
    assert forged_commands(safe) == []
    parsed, original = ET.fromstring(safe), ET.fromstring(xml)
    assert parsed.attrib == original.attrib and parsed.text == original.text
