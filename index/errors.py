"""Errors of the index layer. ``qa.errors`` maps them to exit codes and HTTP."""

from __future__ import annotations


class IndexError_(Exception):
    """Base class: a problem with an index directory (message is user-facing)."""


class IndexNotFound(IndexError_):
    pass


class IndexCorrupt(IndexError_):
    pass


class IndexLocked(IndexError_):
    pass


class IndexMismatch(IndexError_):
    """The index was built with another embedding model or format."""


class NothingToIndex(IndexError_):
    pass


class UnknownArticle(IndexError_):
    pass
