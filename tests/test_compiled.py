"""The optional compiled build: what it compiles, and that a compiled test run really is one."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from newsparse.compiled import COMPILABLE, compiled_modules

ROOT = Path(__file__).resolve().parent.parent


def _setup_list() -> list[str]:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "COMPILED" for target in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError("setup.py has no COMPILED list")


def test_setup_compiles_the_modules_the_package_names() -> None:
    names = [path.removesuffix(".py").replace("/", ".") for path in _setup_list()]
    assert names == list(COMPILABLE)
    for path in _setup_list():
        assert (ROOT / path).is_file(), path


@pytest.mark.skipif(
    os.environ.get("NEWSPARSE_EXPECT_COMPILED") != "1",
    reason="only the compiled test run (NEWSPARSE_EXPECT_COMPILED=1 in .ci/run) checks this",
)
def test_the_compiled_test_run_uses_the_compiled_modules() -> None:
    # Without this, a compiled run that silently fell back would test pure Python twice.
    assert compiled_modules() == list(COMPILABLE)


def test_the_pure_test_run_uses_the_sources() -> None:
    if os.environ.get("NEWSPARSE_EXPECT_COMPILED") == "1":
        pytest.skip("the compiled run checks the opposite")
    assert compiled_modules() == []


def test_the_date_records_name_their_fields_as_their_slots() -> None:
    from newsparse import dates

    for cls in (dates.RelativeDate, dates.DateResult, dates.Byline, dates.Reference):
        if "newsparse.dates" not in compiled_modules():  # a compiled class keeps no __slots__
            assert cls.__slots__ == cls._FIELDS, cls
        assert len(set(cls._FIELDS)) == len(cls._FIELDS) > 0, cls
    shown = repr(dates.DateResult(None, "NP202", "impossible date"))
    assert shown == "DateResult(value=None, code='NP202', message='impossible date', fast=True)"
