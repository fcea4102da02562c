"""The exceptions newsparse raises: for bad options and calls, never for bad content."""

from __future__ import annotations

__all__ = ["InvalidOption", "MissingDependency", "NewsparseError"]


class NewsparseError(Exception):
    """Base class of every exception newsparse raises on purpose."""


class InvalidOption(NewsparseError, ValueError):
    """An option has a value newsparse cannot use (unknown time zone, unknown encoding)."""


class MissingDependency(NewsparseError, ImportError):
    """An optional feature needs a package that is not installed (the message says which)."""
