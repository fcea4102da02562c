"""The `newsparse` console script: `parse PATHS...` without click, every other command with it.

`run` is the entry point. `newsparse parse` given only paths, and at most `-f json`,
`-f jsonl` and `-q` (the quick start, every `cat dump.txt | newsparse parse`, and
`newsparse parse -f jsonl DIR > all.jsonl`), runs at once through `files.run_parse`;
anything else goes to the click group in `group` (`newsparse.cli.main`). Loading click
costs more than parsing an article, so nothing on the quick path imports it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from .errors import ExitStatus

__all__ = ["ExitStatus", "main", "run"]


def __getattr__(name: str) -> Any:
    """Load the click group (`main`) or `ExitStatus` only when asked for."""
    if name == "main":
        from .group import main

        return main
    if name == "ExitStatus":
        from .errors import ExitStatus

        return ExitStatus
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run() -> None:
    """The `newsparse` console script: run the command line given to the process.

    After `newsparse parse PATHS...` nothing is left to do but flush standard output and
    error: the interpreter's own shutdown (freeing every object of every module, one by
    one) would take a sixth of the whole run, so the process ends at once instead. Every
    other command, and any error, exits the usual way.

    While the quick path loads its modules the cycle collector is off (see `_loaded`).
    """
    quick = quick_parse(sys.argv[1:])
    if quick is not None:
        gc.disable()
    _defer_inspect()
    if quick is None:
        from .group import main

        main()  # click then names the program as it was started
        return
    try:
        status: int = _parse_paths(*quick)
    except SystemExit as stop:  # a closed pipe, Ctrl-C or an unwritable output
        if not isinstance(stop.code, int):
            raise
        status = stop.code
    except KeyboardInterrupt:  # Ctrl-C while the modules load, before the run takes it
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.write("newsparse: interrupted\n")
        status = 130
    for stream in (sys.stdout, sys.stderr):
        # Nothing of ours is left in them: the output was flushed, and checked, already.
        # (Either is None when the process was started with it closed.)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(status)


def _defer_inspect() -> None:
    """Let `dataclasses` load without `inspect` and `copy` (6 ms, a sixth of a quick run).

    dataclasses calls `inspect.signature` only to write a docstring for a class that has
    none, and `copy.deepcopy` only in `asdict` and `astuple`; any other use of either goes
    through its own `import`, which still gets the real module. The stand-ins dataclasses
    keeps import the real modules at their first attribute lookup. Done by the console
    script only, before anything imports dataclasses.
    """
    deferred = ("inspect", "copy")
    if "dataclasses" in sys.modules or any(name in sys.modules for name in deferred):
        return
    import types

    class _OnFirstUse(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            import dataclasses
            import importlib

            real = importlib.import_module(self.__name__)
            setattr(dataclasses, self.__name__, real)
            return getattr(real, name)

    for name in deferred:
        sys.modules[name] = _OnFirstUse(name)
    try:
        import dataclasses  # noqa: F401  (loaded now, with the stand-ins)
    finally:
        for name in deferred:
            del sys.modules[name]


def _parse_paths(paths: list[str], format_name: str, quiet: bool) -> ExitStatus:
    """`newsparse parse PATHS...` in FORMAT_NAME, every other option at its default."""
    with _loaded():
        from ..api import parse_path  # noqa: F401  (loaded here, with the collector off)
        from ..exporters import get_exporter
        from ..model import ParseOptions
        from .files import run_parse

        exporter_class = get_exporter(format_name)
    return run_parse(
        paths or ["-"], exporter_class=exporter_class, options=ParseOptions(), quiet=quiet
    )


@contextlib.contextmanager
def _loaded() -> Iterator[None]:
    """Load modules with the cycle collector off, then set what they made apart.

    Loading creates thousands of functions, classes and tables that live as long as the
    process; the collector would walk them several times while they load (about 0.5 ms of
    a quick run) and again at every later full collection. Frozen, they are left out of
    every collection; the articles parsed afterwards are collected as usual.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


#: The formats the quick path writes: those with no option and no optional package.
QUICK_FORMATS = ("json", "jsonl")


def quick_parse(args: list[str]) -> tuple[list[str], str, bool] | None:
    """Return the paths, format and quiet flag of ARGS if the quick path can run them.

    That is `parse`, then paths and at most `-f/--format` json or jsonl and `-q/--quiet`,
    each given once, in any order, as click would read them; None for anything else.
    Other options (`-h` included), `--`, an argument starting with `-` (but `-` itself)
    and empty arguments go to click, as do shell completion requests and Windows, where
    click expands wildcards itself.
    """
    if not args or args[0] != "parse" or os.name == "nt" or "_NEWSPARSE_COMPLETE" in os.environ:
        return None
    paths: list[str] = []
    format_name: str | None = None
    quiet = False
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or (arg and arg[0] != "-"):
            paths.append(arg)
        elif arg in ("-q", "--quiet") and not quiet:
            quiet = True
        elif arg in ("-f", "--format") and format_name is None:
            format_name = next(rest, None)
            if format_name not in QUICK_FORMATS:
                return None
        elif arg.startswith("--format=") and format_name is None:
            format_name = arg[len("--format=") :]
            if format_name not in QUICK_FORMATS:
                return None
        else:
            return None
    return paths, format_name or QUICK_FORMATS[0], quiet
