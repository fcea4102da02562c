"""`newsparse validate` through click: exit codes, formats, filters, explain, statistics, stdin."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from newsparse.cli import main
from newsparse.codes import CODES

from .conftest import SEED

CLEAN = (
    "Scris de ana pe 15 august 2022, 09:13\n\n## Un titlu bun\n\nUn paragraf complet.\n\n"
    "[sursa](#)\n\nADRESA: <http://crct.ro/x>\n"
)
BAD_DATE = CLEAN.replace("15 august", "31 februarie")
WARN_ONLY = CLEAN.replace("[sursa](#)\n\n", "")  # NP306 missing-source


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "NEWSPARSE_OUTPUT_FORMAT", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def dumps(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "sub" / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    (tmp_path / "warn.txt").write_text(WARN_ONLY, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a dump", encoding="utf-8")
    return tmp_path


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["validate", *args], input=input, env=env)


def test_clean_file_exits_0_with_a_summary() -> None:
    result = run(str(SEED))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2 warnings in 1 of 1 file"
    assert f"{SEED}:5:30: NP305 " in result.stdout
    assert result.stderr == ""


def test_errors_exit_1_and_point_at_the_line(dumps: Path) -> None:
    result = run(str(dumps))
    assert result.exit_code == 1
    bad = dumps / "sub" / "bad.txt"
    assert (
        f"{bad}:1:17: NP202 impossible date or time: '31 februarie 2022, 09:13'"
        in result.stdout.splitlines()
    )
    assert "notes.md" not in result.stdout  # directories give their *.txt files only
    assert result.stdout.splitlines()[-1] == "1 error, 1 warning in 2 of 3 files"
    assert result.stderr == ""


def test_strict_fails_on_warnings_and_exit_zero_never_fails(dumps: Path) -> None:
    warn = str(dumps / "warn.txt")
    assert run(warn).exit_code == 0
    assert run("--strict", warn).exit_code == 1
    assert run("--exit-zero", str(dumps)).exit_code == 0


def test_quiet_keeps_only_failing_problems(dumps: Path) -> None:
    result = run("--quiet", str(dumps))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if ": NP" in line]
    assert [line.split(": ")[1].split()[0] for line in lines] == ["NP202"]
    assert all(": NP" in line for line in result.stdout.splitlines())  # no summary line
    strict = run("--quiet", "--strict", str(dumps))
    assert "NP306" in strict.stdout
    assert run("--quiet", str(dumps / "clean.txt")).stdout == ""


def test_select_and_ignore_take_codes_and_prefixes(dumps: Path) -> None:
    only_dates = run("--select", "NP2", str(dumps))
    assert "NP202" in only_dates.stdout and "NP306" not in only_dates.stdout
    assert only_dates.exit_code == 1
    ignored = run("--ignore", "NP202,np30", str(dumps))
    assert "NP202" not in ignored.stdout and "NP306" not in ignored.stdout
    assert ignored.exit_code == 0  # the only error is ignored
    both = run("--select", "NP3", "--select", "NP202", "--ignore", "NP306", str(dumps))
    assert "NP202" in both.stdout and "NP306" not in both.stdout


def test_unknown_code_is_a_usage_error(dumps: Path) -> None:
    result = run("--select", "XY1", str(dumps))
    assert result.exit_code == 2
    assert "'XY1' is not a diagnostic code" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("code", list(CODES))
def test_explain_prints_the_catalogue_entry(code: str) -> None:
    entry = CODES[code]
    result = run("--explain", code.lower())
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{code} {entry.name} ({entry.severity.value})\n")
    for part in (entry.summary, entry.explanation, entry.example, entry.fix):
        assert part in result.stdout
    assert result.stderr == ""


def test_explain_takes_a_name_and_refuses_unknown_codes() -> None:
    assert run("--explain", "missing-byline").stdout.startswith("NP201 missing-byline")
    result = run("--explain", "NP999")
    assert result.exit_code == 2
    assert "NP999" in result.stderr and result.stdout == ""


def test_statistics_counts_per_code(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD_DATE + "\n" + BAD_DATE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(WARN_ONLY, encoding="utf-8")
    result = run("--statistics", str(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "2  NP202  error    impossible-date",
        "1  NP306  warning  missing-source",
    ]
    assert result.stderr == "2 errors, 1 warning in 2 of 2 files\n"
    as_json = json.loads(run("--statistics", "-f", "json", str(tmp_path)).stdout)
    assert as_json[0] == {
        "code": "NP202",
        "name": "impossible-date",
        "severity": "error",
        "count": 2,
    }
    assert run("--statistics", "-f", "sarif", str(tmp_path)).exit_code == 2


def test_stdin_is_read_with_dash_or_no_path() -> None:
    for args in ((), ("-",)):
        result = run(*args, input=BAD_DATE.encode())
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0].startswith("<stdin>:1:17: NP202")
    named = run("--stdin-filename", "dumps/x.txt", input=BAD_DATE.encode())
    assert named.stdout.startswith("dumps/x.txt:1:17: NP202")
    assert run(input=CLEAN.encode()).exit_code == 0


def test_json_format_keeps_stdout_pure_data(dumps: Path) -> None:
    result = run("-f", "json", str(dumps))
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {item["code"] for item in items} == {"NP202", "NP306"}
    assert result.stderr == "1 error, 1 warning in 2 of 3 files\n"
    assert run("-f", "json", "-q", str(dumps)).stderr == ""


def test_format_comes_from_the_environment(dumps: Path) -> None:
    result = run(str(dumps), env={"NEWSPARSE_OUTPUT_FORMAT": "junit"})
    root = ET.fromstring(result.stdout)
    assert root.attrib["tests"] == "3" and root.attrib["failures"] == "1"
    assert run(str(dumps), env={"NEWSPARSE_OUTPUT_FORMAT": "nope"}).exit_code == 2


def test_auto_format_is_github_inside_github_actions(dumps: Path) -> None:
    inside = run(str(dumps), env={"GITHUB_ACTIONS": "true"})
    assert inside.stdout.startswith("::error file=")
    assert "::group::" in inside.stdout
    outside = run(str(dumps))
    assert "::" not in outside.stdout


def test_every_format_runs_on_the_samples() -> None:
    for name in ("text", "json", "github", "sarif", "junit", "gitlab"):
        result = run("-f", name, *map(str, sorted(SEED.parent.glob("*.txt"))))
        assert result.exit_code == 0, (name, result.output)
        assert result.stdout


def test_output_file_is_written_whole(dumps: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    result = run("-f", "sarif", "-o", str(target), str(dumps))
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads(target.read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 2


def test_output_never_overwrites_an_input(dumps: Path) -> None:
    target = dumps / "clean.txt"
    result = run("-o", str(target), str(target))
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == CLEAN


def test_missing_file_is_an_error_and_the_others_are_still_read(dumps: Path) -> None:
    result = run(str(dumps / "nope.txt"), str(dumps / "sub" / "bad.txt"))
    assert result.exit_code == 1
    assert f"{dumps / 'nope.txt'}:1:1: NP108 no such file or directory" in result.stdout
    assert "NP202" in result.stdout


def test_colour_only_when_asked_or_on_a_terminal(dumps: Path) -> None:
    assert "\x1b[" not in run(str(dumps)).stdout  # CliRunner's stdout is not a terminal
    assert "\x1b[1;31mNP202" in run("--color", str(dumps)).stdout


def test_bad_parse_option_is_a_usage_error(dumps: Path) -> None:
    result = run("--tz", "Mars/Olympus", str(dumps))
    assert result.exit_code == 2
    assert "unknown time zone" in result.stderr


def test_internal_error_exits_2_and_other_files_are_still_reported(
    dumps: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsparse.archives as opening

    real = opening.parse_path

    def flaky(path, *args, **kwargs):
        if str(path).endswith("clean.txt"):
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(opening, "parse_path", flaky)
    result = run(str(dumps))
    assert result.exit_code == 2
    assert "internal error while reading" in result.stderr and "boom" in result.stderr
    assert "Traceback" not in result.output
    assert "NP202" in result.stdout


def test_empty_directory_says_so(tmp_path: Path) -> None:
    result = run(str(tmp_path))
    assert result.exit_code == 0
    assert "no input files found" in result.stderr


def test_help_names_the_exit_codes_and_formats() -> None:
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    for word in (
        "standard output",
        "NEWSPARSE_OUTPUT_FORMAT",
        "sarif",
        "junit",
        "gitlab",
        "github",
        "--strict",
        "Exit status",
    ):
        assert word in result.stdout
