"""Golden files: `tests/data/<case>.txt` beside the `<case>.expected.json` it must give.

Run `python -m tests.golden` from the project root to rewrite the expected files after a
deliberate change, then review the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import newsparse

DATA = Path(__file__).resolve().parent / "data"
#: The reference time relative dates in the golden files are read against (`--now`).
NOW = dt.datetime(2024, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def cases() -> list[Path]:
    """Return every golden input, sorted."""
    return sorted(DATA.glob("*.txt"))


def expected_path(case: Path) -> Path:
    return case.with_suffix(".expected.json")


def case_options(case: Path) -> newsparse.ParseOptions:
    """Return the options of CASE: the fields of `<case>.options.json`, when there is one."""
    path = case.with_suffix(".options.json")
    fields = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    fields.setdefault("now", NOW)
    fields.setdefault("now_source", "--now")
    return newsparse.ParseOptions(**fields)


def render(case: Path) -> dict[str, Any]:
    """Parse CASE and return what its expected file holds."""
    result = newsparse.parse(case.read_bytes(), path=case.name, options=case_options(case))
    return {
        "encoding": result.encoding,
        "articles": [article.to_dict() for article in result.articles],
        "diagnostics": [
            f"{d.line}:{d.column}: {d.code} {d.severity.value}: {d.message}"
            for d in result.diagnostics
        ],
    }


def dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    for case in cases():
        expected_path(case).write_text(dumps(render(case)), encoding="utf-8")
        print(f"wrote {expected_path(case).relative_to(DATA.parent.parent)}")
