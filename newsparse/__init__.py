"""newsparse: turn raw Romanian news dumps into clean structured data."""

from __future__ import annotations

from .api import parse, parse_file
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
]
__version__ = "0.1.0"
