"""`--now` on the reading commands: the reference time relative dates are read against."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import ExitStatus, main

DUMP = (
    "Scris de Ana Pop pe acum 2 ore\n\n## Un titlu\n\nText scurt.\n\n[sursa](#)\n\n"
    "ADRESA: <http://a.ro/1>\n"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(DUMP, encoding="utf-8")
    stamp = dt.datetime(2023, 1, 10, 8, 0, tzinfo=dt.timezone.utc).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_parse_reads_against_now(dump: Path) -> None:
    result = run("parse", "--now", "2024-06-15T12:00:00+03:00", str(dump))
    assert result.exit_code == ExitStatus.OK
    article = json.loads(result.stdout)
    assert (article["published"], article["published_text"]) == (
        "2024-06-15T10:00:00+03:00",
        "acum 2 ore",
    )
    assert (
        "NP209 relative date 'acum 2 ore' read against 2024-06-15T12:00:00+03:00 (--now)"
        in result.stderr
    )


def test_parse_defaults_to_the_file_modification_time(dump: Path) -> None:
    result = run("parse", str(dump))
    assert result.exit_code == ExitStatus.OK
    assert json.loads(result.stdout)["published"] == "2023-01-10T08:00:00+02:00"
    assert "2023-01-10T10:00:00+02:00 (file modification time)" in result.stderr


def test_standard_input_defaults_to_the_current_time() -> None:
    result = run("parse", "-", input=DUMP)
    assert result.exit_code == ExitStatus.OK
    published = dt.datetime.fromisoformat(json.loads(result.stdout)["published"])
    assert abs(dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=2) - published) < dt.timedelta(
        minutes=5
    )
    assert "(current time)" in result.stderr


def test_now_without_an_offset_is_in_tz(dump: Path) -> None:
    result = run("parse", "--tz", "UTC", "--now", "2024-06-15T12:00", str(dump))
    assert result.exit_code == ExitStatus.OK
    assert json.loads(result.stdout)["published"] == "2024-06-15T10:00:00+00:00"
    zulu = run("parse", "--now", "2024-06-15T09:00:00Z", str(dump))
    assert json.loads(zulu.stdout)["published"] == "2024-06-15T10:00:00+03:00"


def test_bad_now_is_a_usage_error(dump: Path) -> None:
    result = run("parse", "--now", "ieri", str(dump))
    assert result.exit_code == ExitStatus.USAGE
    assert result.stdout == ""
    assert "'ieri' is not an ISO 8601 date-time" in result.stderr


def test_validate_and_convert_take_now(dump: Path, tmp_path: Path) -> None:
    checked = run("validate", "--now", "2024-06-15T12:00:00+03:00", str(dump))
    assert checked.exit_code == ExitStatus.OK
    assert "read against 2024-06-15T12:00:00+03:00 (--now)" in checked.stdout + checked.stderr
    out = tmp_path / "out"
    converted = run("convert", "--now", "2024-06-15T12:00:00+03:00", str(dump), "-o", str(out))
    assert converted.exit_code == ExitStatus.OK, converted.stderr
    written = out / "a.json"
    assert (
        json.loads(written.read_text(encoding="utf-8"))["published"] == "2024-06-15T10:00:00+03:00"
    )


def test_convert_again_with_another_now_rewrites_the_output(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run("convert", "--now", "2024-06-15T12:00:00+03:00", str(dump), "-o", str(out)).exit_code
        == ExitStatus.OK
    )
    again = run("convert", "--now", "2025-01-01T12:00:00+02:00", str(dump), "-o", str(out))
    assert again.exit_code == ExitStatus.OK
    assert (
        json.loads((out / "a.json").read_text(encoding="utf-8"))["published"]
        == "2025-01-01T10:00:00+02:00"
    )
