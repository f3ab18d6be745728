"""Value objects of the question-answering layer.

Offsets are character offsets into ``Article.text`` of the cited article:
``article.text[citation.start:citation.end] == answer.text`` and
``article.text[citation.quote_start:citation.quote_end] == answer.quote``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.types import Article


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    source: str
    published: str
    url: str
    start: int  # answer span in the article text
    end: int
    quote_start: int  # the quoted sentence in the article text
    quote_end: int

    @property
    def as_of(self) -> str:
        """'as of 2019-10-23, per Outlet': news answers expire."""
        parts = []
        if self.published:
            parts.append(f"as of {self.published}")
        if self.source:
            parts.append(f"per {self.source}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Answer:
    text: str  # the answer span, verbatim
    quote: str  # the sentence that contains it, verbatim
    score: float  # confidence in [0, 1]
    citation: Citation
    supporting: tuple[Citation, ...] = ()  # other articles that give the same answer
    kind: str = ""  # the answer type found: quantity, date, person, place, entity, phrase
    # What the score was computed from (qa.grouping.answer_evidence): for evaluation and
    # for fitting the answer ranker; not part of the API.
    evidence: dict[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def articles(self) -> int:
        return 1 + len({c.doc_id for c in self.supporting} - {self.citation.doc_id})

    @property
    def outlets(self) -> int:
        """Distinct outlets named by the citations (0 when the articles name none)."""
        return len({c.source for c in (self.citation, *self.supporting) if c.source})

    @property
    def corroboration(self) -> str:
        """'3 articles, 2 outlets agree'; outlets are left out when no article names one."""
        if not self.supporting:
            return ""
        outlets = f", {self.outlets} outlet{'s' if self.outlets != 1 else ''}" if self.outlets else ""
        return f"{self.articles} articles{outlets} agree"

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "quote": self.quote,
            "score": round(self.score, 4),
            "kind": self.kind,
            "as_of": self.citation.as_of,
            "citation": asdict(self.citation),
            "supporting": [asdict(c) for c in self.supporting],
            "corroboration": {"articles": self.articles, "outlets": self.outlets},
        }


@dataclass(frozen=True)
class Passage:
    """A retrieved passage shown when there is no answer ("related")."""

    text: str
    score: float
    citation: Citation

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": round(self.score, 4), "citation": asdict(self.citation)}


@dataclass(frozen=True)
class TimeWindow:
    """The publication window a question names ("last week", "in 2022"), and what the
    archive held from it: news answers expire, so a user must see when the answer
    given comes from another time than the one asked about."""

    phrase: str
    start: str  # ISO date, inclusive
    end: str  # ISO date, inclusive
    archive_has_it: bool  # a search restricted to the window found passages
    answered_from_it: bool  # some answer shown cites an article dated in it

    @property
    def note(self) -> str:
        span = f'dated {self.start} to {self.end} ("{self.phrase}")'
        if not self.archive_has_it:
            return f"The archive has no article {span}; what is shown is from another time (or undated)."
        if not self.answered_from_it:
            return f"No article {span} gave an answer; any answer shown is from another time (or undated)."
        return ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.phrase,
            "from": self.start,
            "to": self.end,
            "archive_has_it": self.archive_has_it,
            "answered_from_it": self.answered_from_it,
            "note": self.note,
        }


@dataclass(frozen=True)
class AnswerSet:
    question: str
    answers: tuple[Answer, ...]
    related: tuple[Passage, ...] = ()
    resolved_question: str = ""
    took_ms: float = 0.0
    time_window: TimeWindow | None = None  # only when the question names one

    @property
    def no_answer(self) -> bool:
        return not self.answers

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_question": self.resolved_question or self.question,
            "answers": [a.to_dict() for a in self.answers],
            "no_answer": self.no_answer,
            "related": [p.to_dict() for p in self.related],
            "time_window": self.time_window.to_dict() if self.time_window else None,
            "took_ms": round(self.took_ms, 1),
        }


def make_citation(article: Article, start: int, end: int, quote_start: int, quote_end: int) -> Citation:
    return Citation(
        doc_id=article.doc_id,
        title=article.title,
        source=article.source,
        published=article.published,
        url=article.url,
        start=start,
        end=end,
        quote_start=quote_start,
        quote_end=quote_end,
    )
