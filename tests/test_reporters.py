"""Each report format, rendered from known results and parsed back with the format's own tools."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from newsparse.codes import CODES
from newsparse.model import Diagnostic, Severity
from newsparse.reporters import REPORTERS, FileResult, get_reporter, summarize
from newsparse.reporters.github import escape_data, escape_property, workflow_command
from newsparse.reporters.sarif import artifact_uri

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
# A message with every character the GitHub syntax needs escaped.
NASTY = "100% sure: a, b\r\nand c"


def diag(
    code: str,
    line: int,
    column: int,
    message: str = "msg",
    *,
    severity: Severity | None = None,
    end_line: int | None = None,
    end_column: int | None = None,
    file: str | None = "x",
) -> Diagnostic:
    return Diagnostic(
        file,
        line,
        column,
        code,
        severity or CODES[code].severity,
        message,
        end_line=end_line,
        end_column=end_column,
    )


RESULTS = [
    FileResult(
        "dumps/a b.txt",
        (
            diag(
                "NP202",
                1,
                17,
                "impossible date or time: '31 februarie 2022'",
                end_line=1,
                end_column=41,
            ),
            diag("NP306", 9, 1, NASTY),
        ),
        articles=1,
    ),
    FileResult("dumps/clean.txt", (), articles=2),
    FileResult(
        "dumps/warn.txt",
        (diag("NP305", 5, 30, "title repeats 'pentru'", end_line=5, end_column=43),),
        articles=1,
    ),
    FileResult(None, (diag("NP101", 1, 1, "input is empty or only whitespace"),)),
]


def render(name: str, results: list[FileResult] = RESULTS, **options: bool) -> str:
    stream = io.StringIO()
    get_reporter(name)(stream, **options).report(results)
    return stream.getvalue()


def test_registry_lists_every_format() -> None:
    assert list(REPORTERS) == ["text", "json", "github", "sarif", "junit", "gitlab"]
    for name in REPORTERS:
        assert render(name).endswith("\n")


def test_summary_counts_severities_and_files() -> None:
    summary = summarize(RESULTS)
    assert (summary.errors, summary.warnings, summary.files_with_problems, summary.files) == (
        2,
        2,
        3,
        4,
    )
    assert summary.line() == "2 errors, 2 warnings in 3 of 4 files"
    assert summarize([FileResult("a", ())]).line() == "no problems in 1 file"
    one = [FileResult("a", (diag("NP309", 1, 1),))]
    assert summarize(one).line() == "1 note in 1 of 1 file"


# --- text -------------------------------------------------------------------------------


def test_text_groups_per_file_and_ends_with_the_summary() -> None:
    lines = render("text").splitlines()
    assert lines == [
        "dumps/a b.txt:1:17: NP202 impossible date or time: '31 februarie 2022'",
        "dumps/a b.txt:9:1: NP306 100% sure: a, b\\x0d\\x0aand c",
        "",
        "dumps/warn.txt:5:30: NP305 title repeats 'pentru'",
        "",
        "<stdin>:1:1: NP101 input is empty or only whitespace",
        "",
        "2 errors, 2 warnings in 3 of 4 files",
    ]


def test_text_lines_have_the_form_of_parse_diagnostics() -> None:
    d = diag("NP202", 3, 5, "m")
    out = render("text", [FileResult("f.txt", (d,))])
    assert out.splitlines()[0] == d.format("f.txt")


def test_text_colours_only_when_asked() -> None:
    assert "\x1b[" not in render("text")
    coloured = render("text", color=True)
    assert "\x1b[1;31mNP202\x1b[0m" in coloured
    assert "\x1b[1;33mNP306\x1b[0m" in coloured
    # Colour codes never leak from the content: a message's ESC is still made visible.
    evil = [FileResult("f", (diag("NP105", 1, 1, "bad \x1b[31m"),))]
    assert "bad \\x1b[31m" in render("text", evil, color=True)


# --- json -------------------------------------------------------------------------------


def test_json_is_a_list_of_diagnostics() -> None:
    items = json.loads(render("json"))
    assert len(items) == 4
    assert items[0] == {
        "file": "dumps/a b.txt",
        "line": 1,
        "column": 17,
        "end_line": 1,
        "end_column": 41,
        "code": "NP202",
        "severity": "error",
        "message": "impossible date or time: '31 februarie 2022'",
    }
    assert items[1]["message"] == NASTY
    assert items[1]["end_line"] == 9 and items[1]["end_column"] == 1
    assert items[3]["file"] is None
    assert [list(item) for item in items] == [
        ["file", "line", "column", "end_line", "end_column", "code", "severity", "message"]
    ] * 4


def test_json_of_no_problems_is_an_empty_list() -> None:
    assert json.loads(render("json", [FileResult("a", ())])) == []


# --- github -----------------------------------------------------------------------------

_COMMAND = re.compile(r"::(?P<level>error|warning|notice) (?P<props>[^:]*)::(?P<message>[^\r\n]*)")


def unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.fullmatch(line)
    assert match, line
    props = dict(item.split("=", 1) for item in match.group("props").split(","))
    return (
        match.group("level"),
        {k: unescape(v) for k, v in props.items()},
        unescape(match.group("message")),
    )


def test_github_escapes_messages_and_properties() -> None:
    assert escape_data("100%\r\n:,") == "100%25%0D%0A:,"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # % is escaped first, so an escape-looking text survives a round trip.
    assert unescape(escape_data("%0A")) == "%0A"


def test_github_annotation_syntax() -> None:
    d = diag("NP202", 1, 17, "impossible", end_line=1, end_column=41)
    assert workflow_command(d, "dumps/a.txt") == (
        "::error file=dumps/a.txt,line=1,endLine=1,col=17,endColumn=41,"
        "title=NP202 impossible-date::impossible"
    )


def test_github_annotations_round_trip_with_nasty_text() -> None:
    d = diag("NP306", 9, 1, NASTY)
    line = workflow_command(d, "dir,with:odd%chars/a.txt")
    assert "\n" not in line and "\r" not in line
    level, props, message = parse_command(line)
    assert level == "warning"
    assert props["file"] == "dir,with:odd%chars/a.txt"
    assert message == NASTY
    assert props["title"] == "NP306 missing-source"
    assert "endColumn" not in props  # no known end: GitHub marks the column only


def test_github_drops_columns_on_multi_line_annotations() -> None:
    d = diag("NP302", 3, 1, "m", end_line=5, end_column=2)
    _, props, _ = parse_command(workflow_command(d, "a.txt"))
    assert props["line"] == "3" and props["endLine"] == "5"
    assert "col" not in props and "endColumn" not in props


def test_github_report_has_annotations_then_groups_then_summary() -> None:
    lines = render("github").splitlines()
    commands = [line for line in lines if _COMMAND.fullmatch(line)]
    assert len(commands) == 4
    levels = [parse_command(line)[0] for line in commands]
    assert levels == ["error", "warning", "warning", "error"]
    stdin_props = parse_command(commands[3])[1]
    assert "file" not in stdin_props  # standard input has no file to annotate
    assert lines[4] == "::group::dumps/a b.txt"
    assert lines[5].startswith("dumps/a b.txt:1:17: NP202")
    assert lines.count("::endgroup::") == 3
    assert lines[-1] == "2 errors, 2 warnings in 3 of 4 files"
    for line in lines:  # every line that looks like a command is a valid one
        if line.startswith("::") and not line.startswith(("::group::", "::endgroup::")):
            parse_command(line)


# --- sarif ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def test_sarif_validates_against_the_official_schema(sarif_validator) -> None:
    log = json.loads(render("sarif"))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert errors == []


def test_the_schema_check_rejects_a_broken_log(sarif_validator) -> None:
    log = json.loads(render("sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(sarif_validator.iter_errors(log))) == 2


def test_sarif_rules_cover_the_catalogue_and_results_point_at_them() -> None:
    run = json.loads(render("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(CODES)
    for rule in rules:
        code = CODES[rule["id"]]
        assert rule["name"] == code.name
        assert code.fix in rule["help"]["text"] and code.example in rule["help"]["text"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert run["columnKind"] == "unicodeCodePoints"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["NP202", "NP306", "NP305", "NP101"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert [r["level"] for r in results] == ["error", "warning", "warning", "error"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["artifactLocation"]["uri"] == "dumps/a%20b.txt"
    assert first["region"] == {"startLine": 1, "startColumn": 17, "endLine": 1, "endColumn": 41}
    assert results[1]["message"]["text"] == NASTY
    assert results[1]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 9,
        "startColumn": 1,
    }
    # Standard input has no file; GitHub still needs a location, so a placeholder.
    assert results[3]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "%3Cstdin%3E"
    }
    assert "partialFingerprints" not in results[0]


def test_sarif_of_no_problems_is_valid_and_empty(sarif_validator) -> None:
    log = json.loads(render("sarif", [FileResult("a", ())]))
    assert log["runs"][0]["results"] == []
    assert list(sarif_validator.iter_errors(log)) == []


def test_sarif_uris_are_relative_references_or_file_uris(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert artifact_uri("a/b c#1.txt") == "a/b%20c%231.txt"
    assert artifact_uri(str(tmp_path / "in" / "x.txt")) == "in/x.txt"
    assert artifact_uri("/elsewhere/x y.txt") == "file:///elsewhere/x%20y.txt"


# --- junit ------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_file_and_fails_files_with_errors() -> None:
    root = ET.fromstring(render("junit"))
    assert root.tag == "testsuites"
    assert root.attrib["tests"] == "4" and root.attrib["failures"] == "2"
    suite = root.find("testsuite")
    assert suite is not None and suite.attrib["name"] == "newsparse validate"
    assert suite.attrib["tests"] == "4" and suite.attrib["failures"] == "2"
    cases = suite.findall("testcase")
    assert [c.attrib["name"] for c in cases] == [
        "dumps/a b.txt",
        "dumps/clean.txt",
        "dumps/warn.txt",
        "<stdin>",
    ]
    assert {c.attrib["classname"] for c in cases} == {"newsparse"}  # no file names there
    assert all("file" not in c.attrib for c in cases)  # junit-10.xsd has no such attribute
    failure = cases[0].find("failure")
    assert failure is not None and failure.attrib["message"] == "2 problems"
    assert failure.text is not None
    assert (
        failure.text.splitlines()[0]
        == "dumps/a b.txt:1:17: NP202 impossible date or time: '31 februarie 2022'"
    )
    assert cases[1].find("failure") is None and cases[1].find("system-out") is None
    warned = cases[2]
    assert warned.find("failure") is None
    assert "NP305" in (warned.findtext("system-out") or "")
    assert cases[3].find("failure") is not None


def test_junit_strict_fails_warnings_too() -> None:
    root = ET.fromstring(render("junit", strict=True))
    assert root.attrib["failures"] == "3"


def test_junit_survives_characters_xml_cannot_hold() -> None:
    results = [
        FileResult("bad\x01name.txt", (diag("NP105", 1, 1, "ctl \x00\x1b \ud800"),)),
        FileResult("bad\x01name.txt", ()),
    ]
    root = ET.fromstring(render("junit", results))
    names = [case.attrib["name"] for case in root.iter("testcase")]
    assert names == ["bad\\x01name.txt", "bad\\x01name.txt (2)"]  # unique, as GitLab needs
    # A lone surrogate is shown as escape_control shows it, never written raw.
    assert "ctl \\x00\\x1b \\ud800" in (root.findtext(".//failure") or "")


# --- gitlab -----------------------------------------------------------------------------


def test_gitlab_code_quality_fields() -> None:
    items = json.loads(render("gitlab"))
    assert len(items) == 4
    first = items[0]
    assert first["description"] == "NP202 impossible date or time: '31 februarie 2022'"
    assert first["check_name"] == "NP202"
    assert first["severity"] == "major"
    assert first["location"] == {"path": "dumps/a b.txt", "lines": {"begin": 1, "end": 1}}
    assert [item["severity"] for item in items] == ["major", "minor", "minor", "major"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", item["fingerprint"]) for item in items)
    assert len({item["fingerprint"] for item in items}) == 4


def test_gitlab_fingerprints_are_stable_and_salted_on_collision() -> None:
    same = diag("NP105", 2, 3, "control character")
    results = [FileResult("a.txt", (same, same, same))]
    items = json.loads(render("gitlab", results))
    assert len({item["fingerprint"] for item in items}) == 3
    again = json.loads(render("gitlab", results))
    assert [i["fingerprint"] for i in items] == [i["fingerprint"] for i in again]
    # The first one does not depend on the others: it is the plain hash.
    alone = json.loads(render("gitlab", [FileResult("a.txt", (same,))]))
    assert alone[0]["fingerprint"] == items[0]["fingerprint"]
    raw = render("gitlab", results).encode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
