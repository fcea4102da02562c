"""`newsparse validate` reports read by their consumers: schemas, xmllint, pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from newsparse.cli import main
from newsparse.reporters.gitlab import project_path, project_root

from .conftest import ROOT

SCHEMAS = Path(__file__).parent / "schemas"
CLEAN = (
    "Scris de Mara Ionescu pe 3 martie 2021, 08:30\n\n## Un titlu limpede\n\n"
    "Un paragraf întreg.\n\n[sursa](#)\n\nADRESA: <http://crct.ro/t1>\n"
)
BAD_DATE = CLEAN.replace("3 martie", "30 februarie")  # NP202, an error
WARN_ONLY = CLEAN.replace("[sursa](#)\n\n", "")  # NP306, a warning


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "NEWSPARSE_OUTPUT_FORMAT", "NO_COLOR", "CI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


def validate(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["validate", *args], input=input)


# --- SARIF: the official schema and what GitHub code scanning requires --------------------


def github_problems(log: dict[str, Any]) -> list[str]:
    """Return what GitHub's ingestion rules of the SARIF validator would flag in LOG.

    GH1015 (a non-blank message and a non-empty `locations` on every result), GH1016
    (a `physicalLocation` in each location), GH1017 (an `artifactLocation` with a `uri`,
    and a region that starts at a line), GH1005 (relative or `file:` URIs) and GH2012
    (short and full descriptions and help text on every rule). GH1015's demand for
    `partialFingerprints` is left out on purpose: the upload action computes them.
    """
    problems = []
    for run in log["runs"]:
        for index, rule in enumerate(run["tool"]["driver"].get("rules", [])):
            for key in ("shortDescription", "fullDescription", "help"):
                if not (rule.get(key) or {}).get("text", "").strip():
                    problems.append(f"GH2012 rule {index} has no {key} text")
        for index, result in enumerate(run["results"]):
            if not (result.get("message") or {}).get("text", "").strip():
                problems.append(f"GH1015 result {index} has no message text")
            if not result.get("locations"):
                problems.append(f"GH1015 result {index} has no locations")
            for location in result.get("locations", []):
                physical = location.get("physicalLocation")
                if physical is None:
                    problems.append(f"GH1016 result {index} has no physicalLocation")
                    continue
                uri = (physical.get("artifactLocation") or {}).get("uri")
                if not uri:
                    problems.append(f"GH1017 result {index} has no artifactLocation uri")
                elif "://" in uri and not uri.startswith("file://"):
                    problems.append(f"GH1005 result {index} points at {uri}")
                region = physical.get("region") or {}
                if "startLine" not in region:
                    problems.append(f"GH1017 result {index} has no region startLine")
                elif region.get("endLine", region["startLine"]) < region["startLine"]:
                    problems.append(f"SARIF1007 result {index} ends before it starts")
    return problems


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("args", [("-",), ()])
def test_sarif_from_stdin_gives_every_result_a_placeholder_location(
    sarif_validator: jsonschema.Draft4Validator, args: tuple[str, ...]
) -> None:
    result = validate("--format", "sarif", *args, input=BAD_DATE + "\n" + WARN_ONLY)
    assert result.exit_code == 1
    assert result.stderr == "1 error, 1 warning in 1 of 1 file\n"
    log = json.loads(result.stdout)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["NP202", "NP306"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"%3Cstdin%3E"}
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert list(sarif_validator.iter_errors(log)) == []
    assert github_problems(log) == []


def test_sarif_from_stdin_uses_the_stdin_filename(
    sarif_validator: jsonschema.Draft4Validator,
) -> None:
    result = validate(
        "-f", "sarif", "--stdin-filename", "dumps/zi de luni.txt", "-", input=BAD_DATE
    )
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    (only,) = log["runs"][0]["results"]
    assert (
        only["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "dumps/zi%20de%20luni.txt"
    )
    assert list(sarif_validator.iter_errors(log)) == []
    assert github_problems(log) == []


def test_sarif_of_files_passes_the_github_rules(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    (tmp_path / "warn.txt").write_text(WARN_ONLY, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")  # NP101 at line 1
    log = json.loads(validate("-f", "sarif", str(tmp_path)).stdout)
    assert len(log["runs"][0]["results"]) == 3
    assert github_problems(log) == []


def test_the_github_rule_check_finds_what_it_looks_for() -> None:
    log = {
        "runs": [
            {
                "tool": {"driver": {"rules": [{"shortDescription": {"text": " "}}]}},
                "results": [
                    {"message": {"text": "x"}},
                    {
                        "message": {"text": "y"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {},
                                    "region": {"startLine": 2},
                                }
                            },
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "https://a.example/x"},
                                    "region": {"startLine": 3, "endLine": 1},
                                }
                            },
                        ],
                    },
                ],
            }
        ]
    }
    assert github_problems(log) == [
        "GH2012 rule 0 has no shortDescription text",
        "GH2012 rule 0 has no fullDescription text",
        "GH2012 rule 0 has no help text",
        "GH1015 result 0 has no locations",
        "GH1017 result 1 has no artifactLocation uri",
        "GH1005 result 1 points at https://a.example/x",
        "SARIF1007 result 1 ends before it starts",
    ]


# --- JUnit: Jenkins xunit's junit-10.xsd, and junitparser ----------------------------------


@pytest.fixture
def junit_report(tmp_path: Path) -> Path:
    dumps = tmp_path / "dumps"
    (dumps / "sub").mkdir(parents=True)
    (dumps / "sub" / "bad & <odd>.txt").write_text(BAD_DATE, encoding="utf-8")
    (dumps / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (dumps / "warn.txt").write_text(WARN_ONLY, encoding="utf-8")
    report = tmp_path / "report.xml"
    result = validate("-f", "junit", "-o", str(report), str(dumps))
    assert result.exit_code == 1
    assert result.stdout == ""
    return report


@pytest.mark.skipif(
    shutil.which("xmllint") is None,
    reason="xmllint is not installed (Debian: apt-get install libxml2-utils)",
)
def test_junit_validates_against_jenkins_xunit_schema(junit_report: Path, tmp_path: Path) -> None:
    xsd = SCHEMAS / "junit-10.xsd"
    done = subprocess.run(
        ["xmllint", "--noout", "--schema", str(xsd), str(junit_report)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("validates")
    # The check can fail: the `file` attribute newsparse used to write is rejected.
    broken = tmp_path / "broken.xml"
    broken.write_text(
        junit_report.read_text(encoding="utf-8").replace(
            "<testcase ", '<testcase file="x.txt" ', 1
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        ["xmllint", "--noout", "--schema", str(xsd), str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "file" in done.stderr


def test_junit_reads_back_with_junitparser(junit_report: Path) -> None:
    junitparser = pytest.importorskip(
        "junitparser", reason="junitparser is not installed (pip install -e '.[test]')"
    )
    xml = junitparser.JUnitXml.fromfile(str(junit_report))
    (suite,) = list(xml)
    assert suite.name == "newsparse validate"
    assert (suite.tests, suite.failures, suite.errors) == (3, 1, 0)
    cases = {case.name: case for case in suite}
    prefix = str(junit_report.parent / "dumps")
    assert sorted(cases) == [
        f"{prefix}/clean.txt",
        f"{prefix}/sub/bad & <odd>.txt",
        f"{prefix}/warn.txt",
    ]
    assert {case.classname for case in cases.values()} == {"newsparse"}
    bad = cases[f"{prefix}/sub/bad & <odd>.txt"]
    (failure,) = bad.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == "1 problem" and "NP202" in failure.text
    assert cases[f"{prefix}/clean.txt"].is_passed
    warned = cases[f"{prefix}/warn.txt"]
    assert warned.is_passed and "NP306" in warned.system_out


# --- GitLab Code Quality: categories, and paths as GitLab resolves them --------------------


def code_quality(*args: str) -> list[dict[str, Any]]:
    result = validate("-f", "gitlab", *args)
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def test_gitlab_issues_have_categories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    (tmp_path / "warn.txt").write_text(WARN_ONLY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    items = code_quality("bad.txt", "warn.txt")
    assert [(i["type"], i["check_name"], i["categories"]) for i in items] == [
        ("issue", "NP202", ["Bug Risk"]),
        ("issue", "NP306", ["Style"]),
    ]
    allowed = {
        "Bug Risk",
        "Clarity",
        "Compatibility",
        "Complexity",
        "Duplication",
        "Performance",
        "Security",
        "Style",
    }
    assert all(set(i["categories"]) <= allowed and i["categories"] for i in items)


def test_gitlab_paths_are_relative_to_the_git_work_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "dumps").mkdir(parents=True)
    (project / ".git").mkdir()  # what marks a work tree's root
    (project / "dumps" / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    (project / "tools").mkdir()
    monkeypatch.chdir(project / "tools")
    items = code_quality("../dumps/bad.txt")
    assert items[0]["location"]["path"] == "dumps/bad.txt"
    assert code_quality(str(project / "dumps"))[0]["location"]["path"] == "dumps/bad.txt"


def test_gitlab_paths_are_relative_to_ci_project_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    build = tmp_path / "repo" / "build"
    (build / "in").mkdir(parents=True)
    (build / "in" / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    monkeypatch.chdir(build / "in")
    monkeypatch.setenv("CI_PROJECT_DIR", str(build))
    assert code_quality("bad.txt")[0]["location"]["path"] == "in/bad.txt"
    # A file outside the project keeps the path the other reports show.
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(BAD_DATE, encoding="utf-8")
    assert code_quality(str(outside))[0]["location"]["path"] == str(outside)


def test_project_root_without_git_or_gitlab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    root = project_root()
    # tmp_path may itself lie inside some work tree; then that is the root found.
    assert root is None or str(tmp_path).startswith(root)
    assert project_path("a/b.txt", None) == "a/b.txt"
    assert project_path(str(tmp_path / "x" / "y.txt"), str(tmp_path)) == "x/y.txt"


# --- pre-commit: the hook as a repository that uses it runs it ------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.skipif(
    os.environ.get("NEWSPARSE_EXPECT_COMPILED") == "1",
    reason="pre-commit installs the repository's own sources, never a compiled build: "
    "the pure-Python run covers it",
)
def test_pre_commit_try_repo_shows_warnings_and_fails_on_errors(tmp_path: Path) -> None:
    pytest.importorskip(
        "pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')"
    )
    repo = tmp_path / "dumps-repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "warn.txt").write_text(WARN_ONLY, encoding="utf-8")
    (repo / "notes.md").write_text("not a dump\n", encoding="utf-8")
    git(repo, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    env.pop("NEWSPARSE_OUTPUT_FORMAT", None)
    env.pop("GITHUB_ACTIONS", None)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(ROOT),
                "newsparse-validate",
                "--all-files",
                "--color",
                "never",
            ],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )

    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "newsparse validate" in passed.stdout and "Passed" in passed.stdout
    # verbose: true in the manifest shows a passing hook's warnings without -v.
    assert "warn.txt:" in passed.stdout and "NP306" in passed.stdout
    assert "notes.md" not in passed.stdout

    (repo / "bad.txt").write_text(BAD_DATE, encoding="utf-8")
    git(repo, "add", "bad.txt")
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "bad.txt:1:" in failed.stdout
    assert "NP202" in failed.stdout
