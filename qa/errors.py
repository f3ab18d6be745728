"""Domain errors and their one mapping to exit codes and HTTP statuses.

Every error a user can cause is a ``QAError`` (or an ``index.errors``
error) with a one-line message. The CLI and the web app both call
``describe`` and never format errors themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from index import errors as index_errors


class QAError(Exception):
    """A user-facing error: the message is shown as is."""


class BadQuestion(QAError):
    pass


class BadSetting(QAError):
    pass


class ArticleNotFound(QAError):
    pass


class IndexNotLoaded(QAError):
    pass


class Forbidden(QAError):
    """An admin action without the right token."""


class BadSource(QAError):
    """--strict build with skipped inputs."""


class ReaderUnavailable(QAError):
    """The learned reader's weights are missing or do not match their checksum."""


@dataclass(frozen=True)
class ErrorInfo:
    code: str  # stable machine-readable code
    http_status: int
    exit_code: int
    message: str


# (exception type, code, HTTP status, CLI exit code); first match wins.
_TABLE: list[tuple[type[BaseException], str, int, int]] = [
    (BadQuestion, "bad_question", 422, 2),
    (BadSetting, "bad_setting", 422, 2),
    (ArticleNotFound, "article_not_found", 404, 4),
    (Forbidden, "forbidden", 403, 7),
    (index_errors.UnknownArticle, "article_not_found", 404, 4),
    (IndexNotLoaded, "index_not_loaded", 503, 3),
    (index_errors.IndexNotFound, "index_not_found", 503, 3),
    (index_errors.IndexCorrupt, "index_corrupt", 503, 3),
    (index_errors.IndexMismatch, "index_mismatch", 503, 3),
    (index_errors.IndexLocked, "index_locked", 409, 5),
    (index_errors.NothingToIndex, "nothing_to_index", 422, 6),
    (ReaderUnavailable, "reader_unavailable", 503, 3),
    (BadSource, "bad_source", 422, 6),
]


def describe(exc: BaseException) -> ErrorInfo | None:
    """The user-facing description of a domain error, or None for a bug."""
    for kind, code, status, exit_code in _TABLE:
        if isinstance(exc, kind):
            return ErrorInfo(code=code, http_status=status, exit_code=exit_code, message=str(exc))
    return None
