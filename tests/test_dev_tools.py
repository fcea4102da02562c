"""The contributors' checks: .pre-commit-config.yaml is valid and its hooks are the CI's checks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".pre-commit-config.yaml"


def _hooks() -> dict[str, dict[str, object]]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_the_hooks_run_what_ci_runs() -> None:
    hooks = _hooks()
    assert set(hooks) == {"ruff", "ruff-format", "mypy"}
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert hooks["mypy"]["entry"] in ci.splitlines()  # the same command, whole package
    assert "ruff check newsparse tests benchmarks fuzz scripts" in ci.splitlines()
    assert "ruff format --check newsparse tests benchmarks fuzz scripts" in ci.splitlines()
    for name in ("tests", "benchmarks", "fuzz", "scripts"):
        assert name in str(hooks["ruff"]["files"])


def _pre_commit(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)  # where this environment's ruff and mypy are
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
    }
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_pre_commit_accepts_the_config(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the consumers extra)")
    done = _pre_commit(["validate-config", str(CONFIG)], ROOT, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_the_ruff_hook_fails_a_commit_with_a_lint_error(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the consumers extra)")
    if shutil.which("ruff", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("ruff is not installed here (the lint extra)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    (repo / "newsparse").mkdir(parents=True)
    shutil.copy(CONFIG, repo / CONFIG.name)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    clean = repo / "newsparse" / "clean.py"
    clean.write_text('"""A module."""\n\nVALUE = 1\n', encoding="utf-8")
    unused = repo / "newsparse" / "unused.py"
    unused.write_text('"""A module."""\n\nimport os\n\nVALUE = 1\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    home = tmp_path / "home"

    passed = _pre_commit(["run", "ruff", "--files", "newsparse/clean.py"], repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = _pre_commit(["run", "ruff", "--files", "newsparse/unused.py"], repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "import os" not in unused.read_text(encoding="utf-8")  # fixed, left to review
