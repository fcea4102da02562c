"""The code catalogue: every code is documented, emitted somewhere, listed in the docs."""

from __future__ import annotations

import json
import re

import newsparse
from newsparse.codes import CODES

from .conftest import ROOT
from .golden import cases, expected_path

# Codes that need a real file system or a huge input; each has its own test below or in
# test_cli_parse.py, named here so that a new code cannot go untested unnoticed.
# NP109 (a file name that is not UTF-8): tests/test_hostile.py, no golden file can have one.
TESTED_ELSEWHERE = {
    "NP106",
    "NP107",
    "NP108",
    "NP109",
    "NP501",
    "NP502",  # duplicates span articles: tests/test_dedupe.py
    # Archives and compressed inputs: tests/test_archives.py builds them.
    "NP120",
    "NP121",
    "NP122",
    "NP123",
    "NP124",
    "NP125",
    "NP126",
    "NP127",
}


def golden_codes() -> set[str]:
    found = set()
    for case in cases():
        for line in json.loads(expected_path(case).read_text(encoding="utf-8"))["diagnostics"]:
            found.add(line.split()[1])
    return found


def test_every_code_is_emitted_by_a_golden_case_or_a_named_test() -> None:
    assert set(CODES) - golden_codes() == TESTED_ELSEWHERE


def test_codes_are_well_formed() -> None:
    for code in CODES.values():
        assert re.fullmatch(r"NP[1-5]\d\d", code.code)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code.name)
        assert code.summary and code.explanation and code.example and code.fix
    assert len({c.name for c in CODES.values()}) == len(CODES)


def test_readme_points_to_the_generated_code_list() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/diagnostics.md)" in readme
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in CODES.values():
        row = f"| [{code.code}](#{code.code.lower()}) | `{code.name}` | {code.severity.value} |"
        assert row in page


def test_long_line_is_a_warning_and_still_read() -> None:
    long_paragraph = "cuvant " * 20_000 + "final."
    text = f"Scris de ana pe 1 mai 2020\n\n## T\n\n{long_paragraph}\n\n[s](#)\n\nADRESA: <http://a.ro/1>"
    result = newsparse.parse(text)
    assert [(d.code, d.line) for d in result.diagnostics] == [("NP107", 5)]
    assert result.articles[0].paragraphs == [long_paragraph.strip()]
