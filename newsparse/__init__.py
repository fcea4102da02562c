"""newsparse: turn raw Romanian news dumps into clean structured data."""

from __future__ import annotations

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


def __getattr__(name: str) -> object:
    """Import the `schema` submodule on first use: `newsparse.schema` after `import newsparse`."""
    if name == "schema":
        import importlib

        return importlib.import_module(".schema", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
