"""The floor of creating a tree of output files: a plain loop writing given bytes to given names.

`python benchmarks/write_floor.py SRC_OUT DEST` reads every file under SRC_OUT (a finished
`convert` output tree) into memory first, untimed, then times writing the same bytes to the
same relative names under DEST, each through a temporary name and a rename as an atomic
writer must. It prints the seconds that took. What `convert` spends beyond this is its own.
"""

from __future__ import annotations

import os
import sys
import time

__all__ = ["load", "write_all"]


def load(root: str) -> list[tuple[str, bytes]]:
    """Return (relative name, bytes) for every file under ROOT but the manifest, sorted."""
    found = []
    for directory, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            if name.startswith(".newsparse-manifest"):
                continue
            path = os.path.join(directory, name)
            with open(path, "rb") as stream:
                found.append((os.path.relpath(path, root), stream.read()))
    return found


def write_all(outputs: list[tuple[str, bytes]], destination: str) -> None:
    """Write OUTPUTS under DESTINATION, each to a temporary name renamed into place."""
    made: set[str] = set()
    for relative, data in outputs:
        path = os.path.join(destination, relative)
        directory = os.path.dirname(path)
        if directory not in made:
            os.makedirs(directory, exist_ok=True)
            made.add(directory)
        temporary = os.path.join(directory, f".{os.path.basename(path)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temporary, path)


if __name__ == "__main__":
    outputs = load(sys.argv[1])
    started = time.perf_counter()
    write_all(outputs, sys.argv[2])
    print(f"{time.perf_counter() - started:.6f}")
