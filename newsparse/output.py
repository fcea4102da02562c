"""Safe output: files appear whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import stat

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import IO, Any

__all__ = [
    "Terminated",
    "descriptor_named",
    "make_directories",
    "temporary_prefix",
    "write_atomically",
    "write_bytes_atomically",
]


@contextlib.contextmanager
def write_atomically(path: str, *, binary: bool = False, bom: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file beside PATH; rename it onto PATH only if the block succeeds.

    An exception, Ctrl-C or SIGTERM inside the block removes the temporary file, so PATH
    is never left half-written: it keeps its old content, or does not appear. A symbolic
    link is followed: the temporary file is made beside its target, which is replaced,
    and the link stays. What cannot be replaced (a device, a FIFO, a socket, or a
    descriptor named as `/dev/fd/N` or `/dev/stdout`) is written through directly.
    """
    fd, temporary = _open_output(path)
    try:
        with _terminated_as_interrupt():
            if binary:
                stream: IO[Any] = os.fdopen(fd, "wb")
            else:
                stream = os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
            with stream:
                yield stream
            if temporary is not None:
                os.replace(temporary, _replaced(path))
    except BaseException as error:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(error, Terminated):
            _die_of_sigterm()
        raise


class Terminated(KeyboardInterrupt):
    """SIGTERM while an output is written: raised where Ctrl-C would be, to clean up."""


@contextlib.contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` inside the block, unless someone handles it already.

    Only the main thread can set a handler; a program that set its own (`convert` does)
    keeps it.
    """
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def terminated(signum: int, frame: Any) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _die_of_sigterm(signum: int | None = None) -> None:
    """End the process by SIGTERM (or SIGNUM), as it would have ended without the clean-up."""
    import signal
    import sys

    number = signal.SIGTERM if signum is None else signum
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)


def _open_output(path: str) -> tuple[int, str | None]:
    """Return a descriptor to write PATH's new content to, and the temporary file's path.

    The temporary path is None when PATH is written through directly (see
    `write_atomically`).
    """
    descriptor = descriptor_named(path)
    if descriptor is not None:
        return os.dup(descriptor), None
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        # O_NONBLOCK is not used: a FIFO without a reader waits for one, as `>` does.
        return os.open(
            path, os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        ), None
    return _create_temporary(_replaced(path))


def _replaced(path: str) -> str:
    """Return the file that writing PATH replaces: PATH, or the target of its links."""
    return os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path)


def descriptor_named(path: str) -> int | None:
    """Return N when PATH names this process's descriptor N (`/dev/fd/N`, `/dev/stdout`).

    Opening such a name anew would start at offset 0 of a regular file (or replace it,
    renamed onto); writing goes through the descriptor the process already has.
    """
    own = f"/proc/{os.getpid()}/fd"
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on links followed
        directory, name = os.path.split(current)
        if name.isdigit() and os.path.realpath(directory) == own:
            return int(name)
        if not os.path.islink(current):
            return None
        try:
            current = os.path.normpath(os.path.join(directory, os.readlink(current)))
        except OSError:
            return None
    return None


def write_bytes_atomically(path: str, data: bytes | memoryview) -> os.stat_result:
    """Write DATA to PATH whole or not at all, as `write_atomically` does; return its stat.

    For an output made in memory: one temporary file, one write, one rename.
    """
    fd, temporary = _create_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
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


_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


#: The longest file name most file systems take, in bytes, and what a temporary name adds
#: to its prefix: ten random hex digits and `.tmp`.
_NAME_MAX = 255
_RANDOM_PART = len("0123456789.tmp")


def temporary_prefix(name: str) -> str:
    """Return how the temporary files of an output named NAME start: `.NAME.`.

    NAME is cut short (from its end) when the whole temporary name would be too long for
    the file system, so that an output with a name of 255 bytes can still be written.
    """
    while len(os.fsencode(f".{name}.")) > _NAME_MAX - _RANDOM_PART and name:
        name = name[:-1]
    return f".{name}."


def _create_temporary(path: str) -> tuple[int, str]:
    """Create `.NAME.RANDOM.tmp` beside PATH; return its descriptor and path.

    It gets the permissions any new file gets (0666 less the umask, or what the
    directory's default ACL says), so the output has them too once renamed.
    """
    directory, name = os.path.split(path)
    while True:
        temporary = os.path.join(directory, f"{temporary_prefix(name)}{os.urandom(5).hex()}.tmp")
        try:
            return os.open(temporary, _FLAGS, 0o666), temporary
        except FileExistsError:
            continue


def make_directories(path: str) -> None:
    """Make the directory PATH and the ones above it that are missing, as
    `os.makedirs(path, exist_ok=True)` does, but without recursion: a tree can be deeper
    than Python's recursion limit (4,096 characters of path hold 2,000 directories).

    Raise FileExistsError when something other than a directory stands at PATH, and
    NotADirectoryError when a file stands where a directory above it should be.
    """
    missing = []
    head = path
    # lexists: a link whose target is missing, or a loop of links, stops the walk up, so
    # that the mkdir below it fails with the error os.makedirs gives (ENOENT, ELOOP).
    while head and not os.path.lexists(head):
        missing.append(head)
        parent = os.path.dirname(head)
        if parent == head:  # a root or a drive that is not there: mkdir says why
            break
        head = parent
    if not missing and not os.path.isdir(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), path)
    for directory in reversed(missing):
        try:
            os.mkdir(directory)
        except FileExistsError:
            if not os.path.isdir(directory):
                raise
