"""Any file name, through every output and report format: no crash, no forged CI command."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsparse.cli import main
from newsparse.exporters import exporter_names, get_exporter
from newsparse.reporters import reporter_names
from tests.runner_commands import forged_commands

DUMP = (
    Path(__file__).resolve().parent.parent / "samples" / "000_c61b72992829a382.txt"
).read_bytes()
#: Formats whose output escapes what a CI runner would obey, without changing the data.
GUARDED_FORMATS = ("json", "jsonl")
#: Data formats written exactly (see SECURITY.md): checked for crashes and for the name.
EXACT_FORMATS = ("csv", "markdown", "dump")

_PIECES = st.sampled_from(
    [
        b"::",
        b"##[",
        b"]",
        b"%",
        b"%25",
        b",",
        b":",
        b"=",
        b" ",
        b"\t",
        b"\r",
        b"\n",
        b"\x1b",
        b"\x07",
        b"\x7f",
        b"\xc2\x85",
        "\u2028".encode(),
        "\u202e".encode(),
        b"\xff",
        b"\xaa",
        b"\xc3",
        b"error",
        b"warning title=X::",
        b"add-mask]",
        b"a",
        b"\xc8\x99",
    ]
)
NAMES = st.lists(_PIECES | st.binary(min_size=1, max_size=3), min_size=1, max_size=8).map(
    lambda parts: b"".join(parts).replace(b"/", b"_").replace(b"\0", b"_")[:200] + b".txt"
)


def _invoke(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    # The bytes, not `result.stdout`: click's text turns every CRLF into LF, and a CSV
    # cell holding a name's CRLF would lose its CR there, not in newsparse.
    return result.exit_code, result.stdout_bytes.decode(), result.stderr_bytes.decode()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
@example(b"-.txt")  # read as options unless it comes after `--`
@example(b"\r\n.txt")  # a CSV cell keeps the CR of its CRLF
def test_any_file_name_through_every_format(name: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        previous = os.getcwd()
        os.chdir(directory)
        try:
            with open(name, "wb") as dump:
                dump.write(DUMP)
            # A bare name, as pre-commit passes it, after `--`: a name may start with `-`.
            path = os.fsdecode(name)
            # The one documented way: each byte that is not UTF-8 as \xNN.
            shown = name.decode("utf-8", errors="backslashreplace")
            for format_name in exporter_names(aliases=False):
                if not get_exporter(format_name).stdout:  # a file format (Parquet, SQLite)
                    status, stdout, stderr = _invoke(
                        ["parse", "-f", format_name, "-o", f"out.{format_name}", "--", path]
                    )
                else:
                    status, stdout, stderr = _invoke(["parse", "-f", format_name, "--", path])
                assert status == 0, (format_name, stderr)
                assert forged_commands(stderr) == [], (format_name, stderr)
                if format_name in GUARDED_FORMATS:
                    assert forged_commands(stdout) == [], (format_name, stdout)
                    # One article: JSON writes the object alone.
                    records = (
                        [json.loads(stdout)]
                        if format_name == "json"
                        else [json.loads(line) for line in stdout.splitlines()]
                    )
                    assert [r["file"] for r in records] == [shown]
                elif format_name == "csv":
                    [row] = list(csv.DictReader(io.StringIO(stdout, newline="")))
                    # The formula guard prefixes a cell a spreadsheet would run with '.
                    guarded = (
                        "'" + shown if shown[:1] in ("=", "+", "-", "@", "\t", "\r") else shown
                    )
                    assert row["file"] == guarded, (row["file"], shown)
            for report in reporter_names():
                status, stdout, stderr = _invoke(["validate", "-f", report, "--", path])
                assert status == 0, (report, stderr)
                assert forged_commands(stdout) == [], (report, stdout)
                assert forged_commands(stderr) == [], (report, stderr)
        finally:
            os.chdir(previous)


def test_the_checker_sees_what_the_runner_would_run() -> None:
    assert forged_commands("ok\n::error title=x::forged\n") == ["::error title=x::forged"]
    assert forged_commands("a\r  ::warning::b") == ["  ::warning::b"]
    assert forged_commands("text ##[add-mask]secret") == ["text ##[add-mask]secret"]
    assert forged_commands("::error file=a.txt,line=1::ours") == []  # one of ours
    assert forged_commands("##\\[error] \\::error x::y a::b::c") == []
