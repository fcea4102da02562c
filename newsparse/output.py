"""Safe output: files appear whole or not at all."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any

__all__ = ["write_atomically", "write_bytes_atomically"]


@contextlib.contextmanager
def write_atomically(path: str, *, binary: bool = False, bom: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file beside PATH; rename it onto PATH only if the block succeeds.

    An exception (or Ctrl-C) inside the block removes the temporary file, so PATH is
    never left half-written: it keeps its old content, or does not appear.
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
    )
    try:
        if binary:
            stream: IO[Any] = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        with stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    """Read the process's umask once: reading it means setting it, briefly, for every thread."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomically(path: str, data: bytes) -> os.stat_result:
    """Write DATA to PATH whole or not at all, as `write_atomically` does; return its stat.

    For an output made in memory: the temporary file is created with the permissions the
    umask allows (no chmod), written at once and renamed, and the stat is read from it
    while open, so a conversion of many small files makes no other system call.
    """
    directory, name = os.path.split(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = os.path.join(directory, f".{name}.{os.urandom(5).hex()}.tmp")
        try:
            fd = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            info = os.fstat(fd)  # renaming the file changes neither its size nor its mtime
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return info
