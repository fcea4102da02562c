"""Exit statuses, and the one place library exceptions become messages and statuses.

Nothing here imports click at import time: the click-free `parse PATHS...` uses it too.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from enum import IntEnum

from ..console import escape_control
from ..errors import InvalidOption, MissingDependency
from ..reading import describe_os_error

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, TypeVar

    _Command = TypeVar("_Command", bound=Callable[..., None])

__all__ = [
    "ExitStatus",
    "RunStatus",
    "Terminated",
    "converting_cleanly",
    "describe_target",
    "describe_write_error",
    "say",
    "stopping_cleanly",
    "usage_errors",
]


class ExitStatus(IntEnum):
    """What the exit status of every newsparse command means."""

    OK = 0
    PROBLEMS = 1  # some input had errors (the good articles are still written)
    USAGE = 2  # bad options or arguments, or an internal error
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM (convert stops as for Ctrl-C)


def usage_errors(function: _Command) -> _Command:
    """Make the library's InvalidOption and MissingDependency usage errors (exit 2).

    Bad option values, an output that is also an input and a format whose optional
    package is missing all end here, whichever command meets them.
    """

    @functools.wraps(function)
    def command(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except (InvalidOption, MissingDependency) as error:
            import click

            raise click.UsageError(str(error)) from error

    return command  # type: ignore[return-value]


@contextlib.contextmanager
def stopping_cleanly(output: str, status: Callable[[], int] | None = None) -> Iterator[None]:
    """Turn a closed pipe, Ctrl-C or an unwritable OUTPUT into a message and an exit status.

    A closed pipe (`newsparse validate | head`) ends the run quietly with STATUS(), the
    status of what was found so far: 0 only when nothing was wrong, as grep and ruff do,
    so that a pipeline with `pipefail` still fails on problems.
    """
    try:
        yield
    except BrokenPipeError:
        _silence_broken_pipe(status() if status is not None else ExitStatus.OK)
    except KeyboardInterrupt:
        say("newsparse: interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except OSError as error:
        # The data read is lost, the inputs are not.
        say(
            escape_control(
                f"newsparse: cannot write {describe_target(output)}: "
                f"{describe_write_error(error, output)}"
            )
        )
        sys.exit(ExitStatus.PROBLEMS)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be so that the same clean-up runs."""


class RunStatus:
    """The exit status a long run ends with; `converting_cleanly` sets it when stopped."""

    def __init__(self) -> None:
        self.status = ExitStatus.OK
        #: The destination could not be made or written: nothing of the run is on disk.
        self.destination_failed = False


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated


@contextlib.contextmanager
def converting_cleanly() -> Iterator[RunStatus]:
    """Run a batch with SIGTERM raised like Ctrl-C; turn either into the run's status.

    A destination that cannot be made or written is reported and gives PROBLEMS. The
    exception ends here, so that the caller can still print what was done.
    """
    import signal
    import threading

    run = RunStatus()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
    try:
        yield run
    except Terminated:
        run.status = ExitStatus.TERMINATED
    except KeyboardInterrupt:
        run.status = ExitStatus.INTERRUPTED
    except OSError as error:  # the destination itself cannot be made or written
        where = f": {error.filename}" if error.filename else ""
        sys.stderr.write(
            escape_control(f"newsparse: cannot write{where}: {describe_write_error(error)}") + "\n"
        )
        run.status = ExitStatus.PROBLEMS
        run.destination_failed = True
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def describe_target(output: str) -> str:
    """Name OUTPUT as the user knows it: `-` is standard output."""
    return "standard output" if output == "-" else output


def describe_write_error(error: OSError, path: str | None = None) -> str:
    """Say why writing failed, naming the file that stands where a directory must be."""
    import errno

    filename = error.filename if isinstance(error.filename, str) else path
    if error.errno in (errno.EEXIST, errno.ENOTDIR) and filename:
        parent = os.path.dirname(os.path.abspath(filename))
        while parent and not os.path.isdir(parent):
            if os.path.lexists(parent):
                return f"{parent} is a file, not a directory"
            up = os.path.dirname(parent)
            if up == parent:
                break
            parent = up
        if (
            os.path.lexists(filename)
            and not os.path.isdir(filename)
            and error.errno == errno.EEXIST
        ):
            return f"{filename} is a file, not a directory"
    return describe_os_error(error)


def say(message: str) -> None:
    """Write MESSAGE on stderr at once."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _silence_broken_pipe(status: int) -> None:
    """Stop quietly with STATUS when the reader of our output went away (`parse | head`)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(status)
