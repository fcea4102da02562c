"""`newsparse parse` through click's runner: stdout, stderr and exit status apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import ExitStatus, main

from .conftest import DATA, SEED

GOOD = DATA / "months_and_case.txt"
BAD = DATA / "malformed_dates.txt"


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "a.txt").write_bytes(GOOD.read_bytes())
    (tmp_path / "ignored.md").write_text("## not a dump")
    result = run("parse", "-f", "jsonl", str(tmp_path))
    assert result.exit_code == ExitStatus.OK
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["file"]).name for r in rows] == ["a.txt"] * 9 + ["z.txt"]


def test_several_articles_in_json_make_a_list() -> None:
    result = run("parse", str(GOOD))
    assert result.exit_code == 0
    articles = json.loads(result.stdout)
    assert isinstance(articles, list) and len(articles) == 9
    assert articles[8]["published"] == "2021-12-24T18:30:00+02:00"


def test_no_article_in_json_is_an_empty_list() -> None:
    result = run("parse", str(DATA / "malformed_empty.txt"))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert json.loads(result.stdout) == []
    assert "NP101" in result.stderr


def test_errors_exit_1_and_still_write_the_good_articles() -> None:
    result = run("parse", "-f", "jsonl", str(SEED), str(BAD))
    assert result.exit_code == ExitStatus.PROBLEMS
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4
    assert rows[1]["published"] is None and rows[1]["title"] == "Data imposibila"
    lines = result.stderr.splitlines()
    assert f"{BAD}:1:17: NP202 impossible date or time: '31 februarie 2022, 10:00'" in lines


def test_quiet_hides_diagnostics_but_not_the_status() -> None:
    result = run("parse", "-q", str(BAD))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert result.stderr == ""


def test_missing_input_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    result = run("parse", "-f", "jsonl", str(tmp_path / "nope.txt"), str(SEED))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert len(result.stdout.splitlines()) == 1
    assert "nope.txt:1:1: NP108 no such file or directory" in result.stderr


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = run("parse", str(SEED), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["author"] == "newsreporter"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "dump.txt"
    dump.write_bytes(SEED.read_bytes())
    result = run("parse", str(dump), "-o", str(dump))
    assert result.exit_code == ExitStatus.USAGE
    assert "is also an input" in result.stderr
    assert dump.read_bytes() == SEED.read_bytes()


def test_usage_errors_exit_2() -> None:
    assert run("parse", "-f", "yaml", str(SEED)).exit_code == ExitStatus.USAGE
    bad_zone = run("parse", "--tz", "Europe/Nowhere", str(SEED))
    assert bad_zone.exit_code == ExitStatus.USAGE
    assert "unknown time zone" in bad_zone.stderr
    assert run("parse", "--encoding", "klingon", str(SEED)).exit_code == ExitStatus.USAGE
    assert run("parse", "--max-size", "lots", str(SEED)).exit_code == ExitStatus.USAGE
    assert bad_zone.stdout == ""


def test_tz_changes_the_offset() -> None:
    result = run("parse", "--tz", "UTC", str(SEED))
    assert json.loads(result.stdout)["published"] == "2022-08-15T09:13:00+00:00"


def test_max_size_refuses_large_files() -> None:
    result = run("parse", "--max-size", "1k", str(SEED))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert "NP106" in result.stderr
    assert json.loads(result.stdout) == []


def test_legacy_encoding_is_decoded_and_said() -> None:
    result = run("parse", str(DATA / "windows_1250.txt"))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "Şedinţă la Ministerul Învăţământului"
    assert "NP104 not UTF-8: decoded as windows-1250" in result.stderr


def test_control_characters_never_reach_the_terminal_raw() -> None:
    dump = b"Scris de x pe 1 mai 2020\n\n## T\x1b[31m\n\nText.\n"
    result = run("parse", input=dump)
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr or "U+001B" in result.stderr


def test_python_dash_m_and_a_closed_pipe() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    whole = subprocess.run(
        [sys.executable, "-m", "newsparse", "parse", str(SEED)],
        capture_output=True,
        check=False,
        env=env,
    )
    assert whole.returncode == 0
    assert json.loads(whole.stdout.decode("utf-8"))["url"] == "http://crct.ro/nA18"
    piped = subprocess.run(
        f"{sys.executable} -m newsparse parse -f jsonl {DATA} | head -c 10",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert piped.stdout == b'{"schema_v'
    assert b"Traceback" not in piped.stderr


def test_fifo_in_a_directory_is_reported_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(tmp_path / "b.txt")
    result = run("parse", "-f", "jsonl", str(tmp_path))
    assert result.exit_code == ExitStatus.PROBLEMS
    assert len(result.stdout.splitlines()) == 1
    assert "b.txt:1:1: NP108 cannot read file: not a regular file" in result.stderr


def test_a_directory_reached_twice_is_not_a_loop(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "link").symlink_to("../real")
    (tmp_path / "real" / "up").symlink_to("..")  # a real loop
    result = run("parse", "-f", "jsonl", str(tmp_path))
    files = [json.loads(line)["file"] for line in result.stdout.splitlines()]
    assert files == [str(tmp_path / "other" / "link" / "a.txt"), str(tmp_path / "real" / "a.txt")]
    loops = [line for line in result.stderr.splitlines() if "directory loop" in line]
    assert len(loops) == 2  # real/up seen under other/link and under real
    assert all(line.split(":")[0].endswith("up") for line in loops)


def test_an_output_found_among_directory_inputs_is_refused(tmp_path: Path) -> None:
    dump = tmp_path / "x.txt"
    dump.write_bytes(SEED.read_bytes())
    for command in (["parse", "-f", "dump"], ["validate"]):
        result = run(*command, str(tmp_path), "-o", str(dump))
        assert result.exit_code == ExitStatus.USAGE, (command, result.stderr)
        assert "is also an input" in result.stderr
        assert dump.read_bytes() == SEED.read_bytes()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_the_temporary_output_is_never_read_as_an_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    result = run(
        "parse", str(tmp_path), "--glob", "*", "-f", "jsonl", "-o", str(tmp_path / "out.jsonl")
    )
    assert result.exit_code == ExitStatus.OK, result.stderr
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_an_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    # A missing directory is made (as convert makes its destination); a file in the way
    # of one cannot be written through.
    (tmp_path / "afile").write_text("x")
    for command in (["parse"], ["validate"]):
        result = run(*command, str(SEED), "-o", str(tmp_path / "afile" / "out.json"))
        assert result.exit_code == ExitStatus.PROBLEMS
        assert result.stderr.startswith("newsparse: cannot write ")
        assert f"{tmp_path / 'afile'} is a file, not a directory" in result.stderr
        assert "Traceback" not in result.stderr
        made = run(*command, str(SEED), "-o", str(tmp_path / "new" / command[0] / "o.json"))
        assert made.exit_code == ExitStatus.OK, made.stderr
        assert (tmp_path / "new" / command[0] / "o.json").stat().st_size > 0


@pytest.mark.parametrize("size", ["inf", "-5", "0.1", "1e400", "nan"])
def test_max_size_refuses_sizes_that_mean_nothing(size: str) -> None:
    result = run("parse", "--max-size", size, str(SEED))
    assert result.exit_code == ExitStatus.USAGE, result.stderr
    assert "Traceback" not in result.stderr
