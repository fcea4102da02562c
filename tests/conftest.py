"""Shared fixtures: paths to the bundled samples and test data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# In CI (CI=true) the property tests draw the same examples on every run, so that a result
# depends on the change and not on the draw; elsewhere each run explores new ones, and a
# failure it finds is kept in .hypothesis/ and tried first the next time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")

# The diacritics model is cached per user; tests build theirs in a folder of their own.
os.environ.setdefault("NEWSPARSE_CACHE_DIR", tempfile.mkdtemp(prefix="newsparse-cache-"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"
SEED = SAMPLES / "000_c61b72992829a382.txt"


@pytest.fixture
def seed_path() -> Path:
    return SEED
