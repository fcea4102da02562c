"""Every malformed case of the format is caught by `newsparse validate` on the right line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

from .conftest import SAMPLES, SEED

BYLINE = "Scris de ana pe 15 august 2022, 09:13"
FOOTER = "[sursa](#)\n\nADRESA: <http://crct.ro/x>\n"


def dump(
    byline: str = BYLINE,
    title: str | None = "## Un titlu bun",
    body: str = "Un paragraf complet.",
    footer: str = FOOTER,
) -> str:
    """A dump that starts with two blank lines, like the reference, so the byline is line 3."""
    parts = ["\n\n" + byline + "\n"]
    if title is not None:
        parts.append(title + "\n")
    if body:
        parts.append(body + "\n")
    if footer:
        parts.append(footer)
    return "\n".join(parts)


# (case, bytes, code, line, column); column None when any column will do.
CASES = [
    ("empty file", b"", "NP101", 1, 1),
    ("whitespace only", b"  \n\t\n\r\n   ", "NP101", 1, 1),
    ("no byline", dump(byline="").lstrip("\n").encode(), "NP201", 1, 1),
    (
        "31 februarie 2022",
        dump(byline="Scris de ana pe 31 februarie 2022, 09:13").encode(),
        "NP202",
        3,
        17,
    ),
    (
        "15 augustus 2022",
        dump(byline="Scris de ana pe 15 augustus 2022, 09:13").encode(),
        "NP203",
        3,
        17,
    ),
    ("25:61", dump(byline="Scris de ana pe 15 august 2022, 25:61").encode(), "NP202", 3, 17),
    ("no title", dump(title=None).encode(), "NP301", 3, 1),
    ("title with no body", dump(body="", footer="").encode(), "NP302", 5, 1),
    (
        "cut off mid-sentence",
        dump(body="Un paragraf complet.\n\nIar aici textul se opreste in", footer="").encode(),
        "NP303",
        9,
        30,
    ),
    ("NUL bytes", dump(body="Un para\x00graf complet.").encode(), "NP103", 7, 8),
    (
        "undecodable bytes",
        dump(title="## Știri din țară", body="Un paragraf în care s-a pierdut ceva.")
        .encode()
        .replace(b"pierdut", b"pier\xffdut"),
        "NP102",
        7,
        29,
    ),
    ("binary junk", dump(body="Un \x1b[31mparagraf\x07 complet.").encode(), "NP105", 7, 4),
    ("very long line", dump(body="x" * 100_001 + ".").encode(), "NP107", 7, 1),
]


@pytest.mark.parametrize(
    ("data", "code", "line", "column"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_malformed_case_is_reported_on_its_line(
    tmp_path: Path, data: bytes, code: str, line: int, column: int
) -> None:
    path = tmp_path / "case.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["validate", "-f", "json", "--strict", str(path)])
    assert result.exit_code == 1, result.output
    found = [(d["code"], d["line"], d["column"]) for d in json.loads(result.stdout)]
    assert (code, line, column) in found, found


def test_very_long_line_is_a_warning_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(dump(body="x" * 100_001 + "."), encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0


def test_what_can_be_read_is_still_read_after_a_bad_article(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    good = dump()
    bad = dump(byline="Scris de ana pe 31 februarie 2022, 09:13")
    path.write_text(bad + good, encoding="utf-8")
    items = json.loads(CliRunner().invoke(main, ["validate", "-f", "json", str(path)]).stdout)
    assert [(d["code"], d["line"]) for d in items] == [("NP202", 3)]


def test_stray_byte_in_an_ascii_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ascii.txt"
    path.write_bytes(
        dump(body="Un paragraf complet.").encode().replace(b"paragraf", b"para\xffgraf")
    )
    result = CliRunner().invoke(main, ["validate", "-f", "json", str(path)])
    assert ("NP102", 7) in [(d["code"], d["line"]) for d in json.loads(result.stdout)]


def seed_variants() -> dict[str, bytes]:
    seed = SEED.read_bytes()
    return {
        "as shipped": seed,
        "CRLF": seed.replace(b"\n", b"\r\n"),
        "BOM": b"\xef\xbb\xbf" + seed,
        "concatenated": seed + seed,
        "windows-1250": seed.decode("utf-8")
        .replace("Presedintele", "Preşedintele")
        .encode("cp1250"),
    }


@pytest.mark.parametrize("name", list(seed_variants()))
def test_clean_dumps_never_fail(tmp_path: Path, name: str) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes(seed_variants()[name])
    result = CliRunner().invoke(main, ["validate", "-f", "json", str(path)])
    assert result.exit_code == 0, result.stdout
    assert all(d["severity"] != "error" for d in json.loads(result.stdout))


def test_no_bundled_sample_has_an_error() -> None:
    samples = sorted(SAMPLES.glob("*.txt"))
    assert samples
    # samples/malformed/ is broken on purpose; the top-level samples must be clean.
    result = CliRunner().invoke(main, ["validate", "-f", "json", *map(str, samples)])
    assert result.exit_code == 0
    assert [d for d in json.loads(result.stdout) if d["severity"] == "error"] == []
