"""Write docs/diagnostics.md from the code catalogue (run after editing newsparse/codes.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from newsparse.reporters.catalogue import markdown_page

PAGE = Path(__file__).resolve().parent.parent / "docs" / "diagnostics.md"


def main() -> int:
    """Write the page, or with --check tell whether it is up to date (exit 1 if not)."""
    text = markdown_page()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run python scripts/diagnostics_doc.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
