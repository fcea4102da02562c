"""README's commands run as written, against a copy of samples/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
RUNNABLE = re.findall(r"^<!-- runnable -->\n```sh\n(.*?)^```$", README, flags=re.M | re.S)


def test_readme_marks_the_three_ways_as_runnable() -> None:
    assert len(RUNNABLE) >= 3
    assert any("newsparse parse" in block for block in RUNNABLE)
    assert any("newsparse convert" in block for block in RUNNABLE)
    assert any("newsparse validate" in block for block in RUNNABLE)


def test_readme_is_short_and_links_to_pages_that_exist() -> None:
    assert len(README.splitlines()) < 250
    for target in re.findall(r"\]\(((?:docs/)?[A-Za-z_./-]+\.md)(?:#[^)]*)?\)", README):
        assert (ROOT / target).is_file(), target


@pytest.mark.slow
@pytest.mark.parametrize("block", RUNNABLE, ids=[f"block{i}" for i in range(len(RUNNABLE))])
def test_readme_block_runs(block: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    scripts = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)
    for command in block.splitlines():
        command = command.split("  #", 1)[0].strip()
        if not command:
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr


def test_cli_reference_is_generated_from_the_commands() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_doc.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in ("parse", "convert", "validate", "schema"):
        assert f"## `newsparse {command}`" in page
