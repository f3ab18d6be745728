"""Value objects shared by the whole index layer.

Every object that refers to article text carries character offsets into
``Article.text`` (the cleaned text that is stored), so that a quote can always
be re-found verbatim: ``article.text[chunk.start:chunk.end] == chunk.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One cleaned news article, as stored in the index."""

    doc_id: str
    title: str
    text: str
    source: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) when known, else ""
    url: str = ""
    credit: str = ""  # agency credit such as "AFP", kept out of the body text
    # Other copies of the same story (near-duplicates folded into this one):
    # each entry is {"doc_id", "source", "url", "published"}.
    also_in: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage of an article: a few whole sentences with their offsets."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    row: int  # the chunk's row in the index (stable within one index version)
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    sparse_rank: int | None = None


def parse_day(value: object) -> dt.date:
    """A filter date given exactly as YYYY-MM-DD (RFC 3339 full-date), or ValueError with a
    message for the user: "20240101", "2024-1-5" and "2024-13-01" are refused, as are numbers
    (which a lenient parser would read as Unix timestamps)."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # "2024-13-01" has the form but is no day
    raise ValueError(f"expected a date as YYYY-MM-DD, not {value!r}")


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on which articles a search may return."""

    sources: tuple[str, ...] = ()
    published_from: str = ""  # inclusive ISO date
    published_to: str = ""  # inclusive ISO date

    def is_empty(self) -> bool:
        return not (self.sources or self.published_from or self.published_to)


@dataclass(frozen=True)
class SourceProblem:
    """An input that was skipped, and why (reported in the build summary)."""

    path: str
    reason: str


@dataclass
class BuildReport:
    """What a build or update did; printed by the CLI, stored in the manifest."""

    files_read: int = 0
    articles_in: int = 0
    articles_indexed: int = 0
    chunks_indexed: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    repeated_paragraphs: int = 0
    removed: int = 0
    replaced: int = 0
    unchanged: int = 0
    updated: int = 0  # same text, new metadata (outlet, date, URL, credit): rewritten, not re-embedded
    compacted: int = 0  # hidden rows of removed or replaced articles dropped (index.builder)
    problems: list[SourceProblem] = field(default_factory=list)
    seconds: float = 0.0
