"""The documentation of codes and CI stays in step with the code."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from newsparse.codes import CODES
from newsparse.reporters.catalogue import markdown_page

from .conftest import ROOT

PAGE = ROOT / "docs" / "diagnostics.md"


def test_diagnostics_page_is_generated_from_the_catalogue() -> None:
    assert PAGE.read_text(encoding="utf-8") == markdown_page(), (
        "docs/diagnostics.md is stale: run python scripts/diagnostics_doc.py"
    )


def test_every_code_has_an_entry_with_meaning_example_and_fix() -> None:
    text = PAGE.read_text(encoding="utf-8")
    headings = re.findall(r"^### (NP\d{3})$", text, flags=re.MULTILINE)
    assert headings == list(CODES)
    for code in CODES.values():
        section = text.split(f"### {code.code}\n", 1)[1].split("\n### ", 1)[0]
        assert code.example in section and code.fix in section
        assert "**What it means.**" in section and "**How to fix.**" in section


def test_catalogue_entries_are_complete_and_stable() -> None:
    for key, code in CODES.items():
        assert key == code.code and re.fullmatch(r"NP[1-9]\d\d", key)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.name)
        assert code.summary and code.explanation and code.example and code.fix
    names = [code.name for code in CODES.values()]
    assert len(set(names)) == len(names)


def test_doc_script_check_mode_agrees() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "diagnostics_doc.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr


def test_pre_commit_manifest_runs_validate_on_txt_files() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert text.startswith("- id: newsparse-validate\n")
    fields = dict(
        line.strip().lstrip("- ").split(": ", 1) for line in text.splitlines() if ": " in line
    )
    assert fields["entry"] == "newsparse validate"
    assert fields["language"] == "python"
    assert fields["files"] == r"\.txt$" and re.search(fields["files"], "dumps/a.txt")
    assert fields["name"]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'newsparse = "newsparse.cli:run"' in pyproject  # the entry is our console script


def test_readme_and_ci_docs_show_the_snippets() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for text in (readme, ci):
        assert "id: newsparse-validate" in text
        assert "newsparse validate" in text and "--format sarif" in text
    assert "## Validate in CI" in readme
    for format_name in ("text", "json", "github", "sarif", "junit", "gitlab"):
        assert f"`{format_name}`" in readme
