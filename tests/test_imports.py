"""Each module imports alone (no import cycle); `newsparse parse PATHS...` never loads click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEED

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsparse"


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__main__":
            continue  # runs the command line when imported
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


MODULES = _modules()


def test_the_module_list_is_complete() -> None:
    # The list comes from the files; a mistake in it would make the next test vacuous.
    assert {
        "newsparse",
        "newsparse.cli",
        "newsparse.cli.parse",
        "newsparse.batch.pool",
        "newsparse.parser",
        "newsparse.exporters.json",
    } <= set(MODULES)


def test_each_module_imports_alone_in_a_fresh_interpreter() -> None:
    # Started together: one interpreter per module, so a cycle shows whichever module
    # is imported first; in parallel, so the whole check takes a few seconds.
    children = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in MODULES
    }
    failed = {}
    for name, child in children.items():
        _, errors = child.communicate(timeout=120)
        if child.returncode != 0:
            failed[name] = errors.decode("utf-8", "replace").strip().splitlines()[-1:]
    assert failed == {}


def _imported(args: list[str]) -> set[str]:
    """Return the top-level modules `python -m newsparse ARGS` imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "newsparse", *args],
        capture_output=True,
        check=False,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    names = set()
    for line in done.stderr.decode("utf-8", "replace").splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.slow
def test_parse_of_paths_only_loads_neither_click_nor_rich() -> None:
    quick = _imported(["parse", str(SEED)])
    assert "newsparse" in quick  # the import log was read
    assert "click" not in quick and "rich" not in quick
    # The same check sees click when an option sends the command through it.
    assert "click" in _imported(["parse", "-f", "json", str(SEED)])
