"""Answer candidates from the learned span reader (``qa.reader``).

The reader proposes spans in each retrieved passage with a span score and
the passage's "no answer" score. The answer's confidence combines both with
the retriever's rank (``reader_confidence``, documented and tested):

    confidence = sigmoid((span - no_answer - bias) / temperature)
                 × (0.8 + 0.2 / (1 + 0.1 × rank))

The first factor is the reader's belief that this passage answers the
question with this span (SQuAD 2.0 style margin over [CLS]); the second is a
mild preference for passages the retriever ranked higher, so that a tie in
reading goes to the better-matching article. ``bias`` and ``temperature``
are calibrated on SQuAD 2.0 dev half A and on the news dev split
(bench/RESULTS.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from index.chunking import split_sentences
from index.types import Article, Hit
from qa.grouping import Candidate
from qa.reader import SpanGuess
from qa.rules import is_media_credit
from qa.types import make_citation


class Reader(Protocol):
    def read(self, question: str, passages: list[str], per_passage: int = 3, batch: int = 32) -> list[SpanGuess]: ...


@dataclass(frozen=True)
class Calibration:
    bias: float = 0.0
    temperature: float = 2.0


def reader_confidence(span: float, no_answer: float, rank: int, calibration: Calibration) -> float:
    margin = (span - no_answer - calibration.bias) / calibration.temperature
    reading = 1.0 / (1.0 + math.exp(-max(min(margin, 50.0), -50.0)))
    return reading * (0.8 + 0.2 / (1.0 + 0.1 * rank))


def quote_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) of ``text`` that hold [start, end)."""
    sentences = split_sentences(text) or [(0, len(text))]
    q_start = max((s for s, _ in sentences if s <= start), default=0)
    q_end = min((e for _, e in sentences if e >= end), default=len(text))
    return q_start, max(q_end, end)


def reader_candidates(
    reader: Reader,
    question: str,
    hits: list[Hit],
    articles: dict[str, Article],
    calibration: Calibration,
) -> list[Candidate]:
    readable = [(rank, h) for rank, h in enumerate(hits) if h.chunk.doc_id in articles]
    guesses = reader.read(question, [h.chunk.text for _, h in readable])
    out: list[Candidate] = []
    for g in guesses:
        rank, hit = readable[g.passage]
        article = articles[hit.chunk.doc_id]
        text = hit.chunk.text[g.start : g.end]
        if not text.strip() or is_media_credit(text, article):
            continue
        q_start, q_end = quote_bounds(hit.chunk.text, g.start, g.end)
        base = hit.chunk.start
        out.append(
            Candidate(
                text=text,
                kind="span",
                score=reader_confidence(g.score, g.null_score, rank, calibration),
                quote=hit.chunk.text[q_start:q_end],
                citation=make_citation(article, base + g.start, base + g.end, base + q_start, base + q_end),
            )
        )
    return out
