"""Every golden input parses to exactly its expected articles and diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .golden import case_options, cases, dumps, expected_path, render


def _available(case: Path) -> bool:
    """Tell whether the optional packages CASE's options need are installed."""
    if not case_options(case).restore_diacritics:
        return True
    import importlib.util

    return importlib.util.find_spec("wordfreq") is not None


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
def test_golden(case: Path) -> None:
    if not _available(case):
        pytest.skip("--restore-diacritics needs newsparse[diacritics] (wordfreq)")
    expected = json.loads(expected_path(case).read_text(encoding="utf-8"))
    assert dumps(render(case)) == dumps(expected)


def test_every_case_has_an_expected_file() -> None:
    assert cases(), "no golden inputs found"
    missing = [c.name for c in cases() if not expected_path(c).exists()]
    assert missing == []
