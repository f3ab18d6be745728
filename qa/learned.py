"""Answer candidates from the learned span reader (``qa.reader``).

The reader proposes spans in each retrieved passage with a span score and
the passage's "no answer" score. The answer's confidence combines both with
the retriever's rank (``reader_confidence``, documented and tested):

    confidence = sigmoid((span - no_answer - bias) / temperature)
                 × (0.8 + 0.2 / (1 + 0.1 × rank))
                 × type prior (0.5 when a "how many"/"when" question gets no quantity/date)

The first factor is the reader's belief that this passage answers the
question with this span (SQuAD 2.0 style margin over [CLS]); the second is a
mild preference for passages the retriever ranked higher, so that a tie in
reading goes to the better-matching article. ``bias`` and ``temperature``
ship with the weights (``reader.json``), calibrated so that the default
``min_score`` abstains well on the news dev-tune split without giving up
answerable questions (bench/RESULTS.md, the model card).

Spans that are no answer (a photo credit, the question's own words, a span whose
quote says nothing beyond it: ``qa.span_edges.is_bare_quote``) are dropped.
(Letting the passage's next span stand in was tried and reverted: bench/RESULTS.md,
session 22.)
"""

from __future__ import annotations

import math
import re
from typing import Protocol

from index.chunking import split_sentences
from index.tokenize import tokenize
from index.types import Article, Hit
from qa import spans
from qa.grouping import NAME_KINDS, Candidate
from qa.places import not_of_level
from qa.reader import Calibration, SpanGuess
from qa.rules import is_media_credit
from qa.span_edges import is_bare_quote, tidy_edges, without_date_preposition, without_leading_word
from qa.types import make_citation


class Reader(Protocol):
    def read(
        self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
    ) -> list[SpanGuess]: ...


def reader_confidence(span: float, no_answer: float, rank: int, calibration: Calibration) -> float:
    margin = (span - no_answer - calibration.bias) / calibration.temperature
    reading = 1.0 / (1.0 + math.exp(-max(min(margin, 50.0), -50.0)))
    return reading * (0.8 + 0.2 / (1.0 + 0.1 * rank))


def kind_of(text: str, question_kind: str) -> str:
    """The answer type of a reader span, by the typed pattern that covers most of it."""
    if question_kind == "date" and spans.TIME_EXPRESSION.fullmatch(text.strip()):
        return "date"  # "September", "last fall", "Thanksgiving", "8 a.m. ET" answer "when"
    best, covered = "phrase", 0
    for s, e, kind in spans.candidates(text):
        if e - s > covered and e - s >= 0.6 * len(text.strip()):
            best, covered = kind, e - s
    if best == "entity" and question_kind in ("person", "place"):
        return question_kind  # a name answering "who"/"where" is a person/place
    return best


Sentences = list[tuple[int, int]]


# The optional ``sentences`` below is ``split_sentences(text)`` when the caller already has it:
# reader_candidates splits each chunk once for its focus window and all of its guesses.


def crosses_sentence(start: int, end: int, sentences: Sentences) -> bool:
    """True when a sentence of the chunk starts strictly inside [start, end)."""
    return any(start < s < end for s, _ in sentences)


def quote_bounds(text: str, start: int, end: int, sentences: Sentences | None = None) -> tuple[int, int]:
    """The sentence (or sentences) of ``text`` that hold [start, end)."""
    sentences = (split_sentences(text) if sentences is None else sentences) or [(0, len(text))]
    q_start = max((s for s, _ in sentences if s <= start), default=0)
    q_end = min((e for _, e in sentences if e >= end), default=len(text))
    return q_start, max(q_end, end)


def coverage(text: str, weights: dict[str, float]) -> float:
    """How much of the question (the summed weights of its words) ``text`` contains."""
    return sum(weights.get(t, 0.0) for t in set(tokenize(text)))


def focus(text: str, weights: dict[str, float], max_words: int, sentences: Sentences | None = None) -> tuple[int, int]:
    """The part of a chunk worth reading: the sentence sharing the most question
    words (by weight), widened with its neighbours up to ``max_words`` words.
    Reading ~80 words instead of ~200 makes the reader several times cheaper."""
    sentences = split_sentences(text) if sentences is None else sentences
    if max_words <= 0 or len(sentences) <= 1:
        return 0, len(text)

    def overlap(span: tuple[int, int]) -> float:
        return coverage(text[span[0] : span[1]], weights)

    def size(span: tuple[int, int]) -> int:
        return len(text[span[0] : span[1]].split())

    best = max(range(len(sentences)), key=lambda i: (overlap(sentences[i]), -i))
    lo = hi = best
    used = size(sentences[best])
    while True:
        grown = False
        for j in (hi + 1, lo - 1):  # the sentence after first: answers tend to follow their cue
            if 0 <= j < len(sentences) and not lo <= j <= hi and used + size(sentences[j]) <= max_words:
                used += size(sentences[j])
                lo, hi = min(lo, j), max(hi, j)
                grown = True
        if not grown:
            return sentences[lo][0], sentences[hi][1]


# A "how many" or "when" question answered by a span that is no quantity or date is usually
# wrong (news dev-tune, stage-3 reader: 1 of 14 such top answers was right), so its confidence
# is scaled by this. The reader alone misses it: SQuAD taught it spans, not answer types.
TYPE_MISMATCH = 0.5


def type_prior(question_kind: str, answer_kind: str) -> float:
    """1, or ``TYPE_MISMATCH`` when a quantity/date question gets another kind of span."""
    return TYPE_MISMATCH if question_kind in ("quantity", "date") and answer_kind != question_kind else 1.0


def echoes_question(text: str, question_words: set[str]) -> bool:
    """A span made only of ``question_words`` (or of no content word: "what", "its name")
    answers nothing. For a question that offers choices ("A or B?") the caller passes no
    words: naming one of its own words is then the answer."""
    content = set(tokenize(text))
    return not content or content <= question_words


_TWO_ITEMS = re.compile(r"^(.+?)\s+(?:and|or)\s+(.+)$")


def drop_echoed_item(text: str, start: int, end: int, question_words: set[str]) -> tuple[int, int]:
    """A two-item span one of whose items only echoes the question ("Fox News and Tucker
    Carlson" for "Which Fox News host …?") is trimmed to the other item, a verbatim slice."""
    found = _TWO_ITEMS.match(text[start:end])
    if not found or "," in found.group(0):
        return start, end
    first, second = ((start + found.start(i), start + found.end(i)) for i in (1, 2))
    echoed = [echoes_question(text[a:b], question_words) for a, b in (first, second)]
    if echoed == [True, False]:
        return second
    if echoed == [False, True]:
        return first
    return start, end


# Question kinds that ask for a thing, which may be a title; a person, place, number or date in
# a title stays itself ("Who ...?": "Serena Williams" of "The Misconceptions of Ambition with Serena Williams").
TITLE_KINDS = ("entity", "phrase")


def snap_to_typed(
    text: str, start: int, end: int, sentences: Sentences | None = None, titles: bool = False
) -> tuple[int, int]:
    """Widen a reader span to the smallest typed span of its sentence that holds it:
    "100" → "More than 100", "Jeffrey" → "James Jeffrey", "2019" → "October 2019".
    A number without its modifier or unit is a worse answer than the phrase. With ``titles``
    (the question asks for a thing), a quoted title (or its part between colons) holding the
    span wins over a shorter name: capitalised-word runs stop at a title's small words
    ("Everything Everywhere All" of "... All at Once")."""
    q_start, q_end = quote_bounds(text, start, end, sentences)
    sentence = text[q_start:q_end]
    quoted = [(s + q_start, e + q_start) for s, e, _ in spans.quoted_titles(sentence)] if titles else []
    holding = [(s, e) for s, e in quoted if s <= start and end <= e]
    if holding:
        return min(holding, key=lambda t: t[1] - t[0])
    best: tuple[int, int] | None = None
    for s, e, _ in spans.candidates(sentence):
        s, e = s + q_start, e + q_start
        if s <= start and end <= e and (s, e) != (start, end) and (best is None or e - s < best[1] - best[0]):
            best = (s, e)
    return best or (start, end)


def reader_candidates(
    reader: Reader,
    question: str,
    hits: list[Hit],
    articles: dict[str, Article],
    calibration: Calibration,
    weights: dict[str, float] | None = None,
    focus_words: int = 0,
    question_kind: str = "",
    spans_per_passage: int = 3,
    place_level: str = "",
) -> list[Candidate]:
    readable = [(rank, h) for rank, h in enumerate(hits) if h.chunk.doc_id in articles]
    splits = [split_sentences(h.chunk.text) for _, h in readable]  # once per chunk, for all below
    windows = [
        focus(h.chunk.text, weights or {}, focus_words, split) for (_, h), split in zip(readable, splits, strict=True)
    ]
    texts = [h.chunk.text[a:b] for (_, h), (a, b) in zip(readable, windows, strict=True)]
    guesses = reader.read(question, texts, per_passage=spans_per_passage)
    out: list[Candidate] = []
    # Stems of the question, so "What percentage" or "its name" never come back as answers.
    echo_words = set() if re.search(r"\bor\b", question, re.I) else set(tokenize(question))
    total = sum((weights or {}).values()) or 1.0
    titles = question_kind in TITLE_KINDS
    for g in guesses:
        rank, hit = readable[g.passage]
        article = articles[hit.chunk.doc_id]
        shift = windows[g.passage][0]
        split = splits[g.passage]
        start, end = snap_to_typed(hit.chunk.text, g.start + shift, g.end + shift, split, titles)
        if echo_words:
            start, end = drop_echoed_item(hit.chunk.text, start, end, echo_words)
        tidy = tidy_edges(hit.chunk.text, start, end, *quote_bounds(hit.chunk.text, start, end, split))
        if tidy is None:
            continue  # a photo credit line
        start, end = tidy
        if question_kind in NAME_KINDS:  # "Which company ...?": "company Meta" → "Meta"; the quote shows the rest
            start = without_leading_word(hit.chunk.text, start, end, echo_words)
        start = without_date_preposition(hit.chunk.text, start, end)  # "in 1995" → "1995"; "since 1995" stays
        text = hit.chunk.text[start:end]
        if not text.strip() or is_media_credit(text, article):
            continue
        if echoes_question(text, echo_words) or not_of_level(place_level, text):
            continue  # "What percentage"; "New York" for "which country" (the gazetteer is exact), or a long span
        if crosses_sentence(start, end, split):
            continue  # "Arizona. Texas Republican Gov. Greg Abbott ... and Arizona": no one answer
        q_start, q_end = quote_bounds(hit.chunk.text, start, end, split)
        if is_bare_quote(hit.chunk.text, start, end, q_start, q_end):
            continue  # a quiz option, a byline or a heading: nothing a reader could check
        base = hit.chunk.start
        kind = kind_of(text, question_kind)
        prior = type_prior(question_kind, kind)
        out.append(
            Candidate(
                text=text,
                kind=kind,
                score=reader_confidence(g.score, g.null_score, rank, calibration) * prior,
                quote=hit.chunk.text[q_start:q_end],
                citation=make_citation(article, base + start, base + end, base + q_start, base + q_end),
                margin=g.score - g.null_score,
                span=g.score,
                rank=rank,
                dense_rank=hit.dense_rank,
                sparse_rank=hit.sparse_rank,
                coverage=coverage(hit.chunk.text[q_start:q_end], weights or {}) / total,
                mismatch=prior < 1.0,
            )
        )
    return out
