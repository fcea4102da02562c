"""Safe output: files appear whole or not at all."""

from __future__ import annotations

import contextlib
import os

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any

__all__ = ["write_atomically", "write_bytes_atomically"]


@contextlib.contextmanager
def write_atomically(path: str, *, binary: bool = False, bom: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file beside PATH; rename it onto PATH only if the block succeeds.

    An exception (or Ctrl-C) inside the block removes the temporary file, so PATH is
    never left half-written: it keeps its old content, or does not appear.
    """
    fd, temporary = _create_temporary(os.path.abspath(path))
    try:
        if binary:
            stream: IO[Any] = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
        with stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_bytes_atomically(path: str, data: bytes | memoryview) -> os.stat_result:
    """Write DATA to PATH whole or not at all, as `write_atomically` does; return its stat.

    For an output made in memory: one temporary file, one write, one rename.
    """
    fd, temporary = _create_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        # Read once the file is closed (a network file system may set its mtime then);
        # the rename changes neither its size nor its mtime.
        info = os.stat(temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return info


_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | \
    getattr(os, "O_CLOEXEC", 0)


def _create_temporary(path: str) -> tuple[int, str]:
    """Create `.NAME.RANDOM.tmp` beside PATH; return its descriptor and path.

    It gets the permissions any new file gets (0666 less the umask, or what the
    directory's default ACL says), so the output has them too once renamed.
    """
    directory, name = os.path.split(path)
    while True:
        temporary = os.path.join(directory, f".{name}.{os.urandom(5).hex()}.tmp")
        try:
            return os.open(temporary, _FLAGS, 0o666), temporary
        except FileExistsError:
            continue
