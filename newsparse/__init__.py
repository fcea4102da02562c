"""newsparse: turn raw Romanian news dumps into clean structured data."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from .api import parse, parse_file, parse_stream
    from .errors import InvalidOption, NewsparseError
    from .model import Article, Block, Diagnostic, Image, ParseOptions, ParseResult, Severity

__all__ = [
    "Article",
    "Block",
    "Diagnostic",
    "Image",
    "InvalidOption",
    "NewsparseError",
    "ParseOptions",
    "ParseResult",
    "Severity",
    "parse",
    "parse_file",
    "parse_stream",
]
__version__ = "0.1.0"

#: Where each public name is defined. They are imported on first use, so that a program
#: importing one submodule (the command line, `newsparse --version`) loads only that one.
_PUBLIC = {
    "parse": "api",
    "parse_file": "api",
    "parse_stream": "api",
    "InvalidOption": "errors",
    "NewsparseError": "errors",
    "Article": "model",
    "Block": "model",
    "Diagnostic": "model",
    "Image": "model",
    "ParseOptions": "model",
    "ParseResult": "model",
    "Severity": "model",
}


def __getattr__(name: str) -> object:
    """Import a public name, or a submodule (`newsparse.schema`), on first use."""
    import importlib

    if name in _PUBLIC:
        value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
        globals()[name] = value
        return value
    if name.startswith("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .errors import MissingDependency

    try:
        return importlib.import_module(f".{name}", __name__)
    except MissingDependency as error:
        # hasattr() and getattr(..., default) catch only AttributeError: a submodule whose
        # optional package is missing is an absent attribute, whose message says what to
        # install (`import newsparse.dask` still raises MissingDependency itself).
        raise AttributeError(
            f"module {__name__!r} has no attribute {name!r}: {error}", name=name
        ) from error
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
