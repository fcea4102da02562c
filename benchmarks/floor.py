"""The floor of any dump parser in Python: read each file, decode it, split its lines, write them.

No parsing at all: each file becomes one JSON Lines record holding its lines, encoded with
orjson. Nothing written in Python that reads every file and writes every line can be much
faster. Run it as `python benchmarks/floor.py DIR > out.jsonl`.
"""

from __future__ import annotations

import os
import sys
from typing import BinaryIO

import orjson
from naive import iter_files

__all__ = ["run"]


def run(paths: list[str], out: BinaryIO) -> int:
    """Write one record per file in PATHS to OUT; return the number of lines written."""
    count = 0
    for path in paths:
        with open(path, "rb") as stream:
            lines = stream.read().decode("utf-8", errors="replace").splitlines()
        out.write(orjson.dumps({"file": path, "lines": lines}))
        out.write(b"\n")
        count += len(lines)
    return count


if __name__ == "__main__":
    files = [
        f for root in sys.argv[1:] for f in (iter_files(root) if os.path.isdir(root) else [root])
    ]
    run(files, sys.stdout.buffer)
