"""The extractive answerer: question → retrieved chunks → verbatim, cited spans.

Two span pickers propose candidates from the retrieved chunks: the learned
reader (``qa.learned`` over ``qa.reader``; the default when its weights are
shipped) or the rule-based picker (``qa.rules``: typed spans scored by
question coverage). Either way, candidates from articles outside a time
window the question names are down-weighted, candidates are grouped across
articles (``qa.grouping``) and scored (by the reader's learned answer ranker,
``qa.ranking``, when it ships one), and when the best answer is below
``min_score`` the answerer abstains and returns the closest passages instead.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.backend import Searcher
from index.types import Article, Hit, SearchFilters
from qa.errors import BadQuestion
from qa.grouping import Candidate, group_candidates
from qa.learned import Reader, reader_candidates
from qa.questions import analyze
from qa.reader import Calibration
from qa.rules import question_weights, sentence_candidates
from qa.timeframe import Window, find_window
from qa.types import Answer, AnswerSet, Passage, TimeWindow, make_citation


@dataclass(frozen=True)
class AnswerConfig:
    top_k: int = 15
    max_answers: int = 5
    min_score: float = 0.25
    # Once the best answer clears min_score, the others are listed down to this (never above min_score):
    # abstaining is about the best answer; a plausible runner-up is worth showing with its score.
    min_alternative_score: float = 0.1
    # A sentence must contain this share of what the question is about (idf-weighted).
    min_coverage: float = 0.4
    max_question_chars: int = 1000
    related: int = 3
    # "Today" for questions like "last week" (None: the real date).
    today: dt.date | None = None
    # Candidates from articles outside a window the question names are scaled by this.
    outside_window: float = 0.75
    # A question that names no time prefers the last ``recent_days`` before today (news answers
    # expire: "Who leads the party?" means now): that window's best ``recent_passages`` chunks are
    # read too, and candidates outside it are scaled by ``outside_recent``. Only when some
    # candidate is that recent, so an old archive is unaffected. 0 days: off.
    recent_days: int = 0
    recent_passages: int = 5
    outside_recent: float = 0.85
    # "learned": the trained span reader; "rules": the rule-based picker.
    reader: str = "rules"
    # The learned reader's arithmetic: auto (bf16 where the CPU has it, else fp32), bf16, fp32 or int8.
    reader_precision: str = "auto"
    # What runs it: auto (ONNX Runtime for fp32/int8, PyTorch for bf16), torch or onnx.
    reader_runtime: str = "auto"
    # Where the reader's derived ONNX graphs are cached (None: index.derived_cache.default_cache_dir()).
    reader_cache_dir: str | None = None
    # The reader reads this many of the top chunks (its cost grows with each).
    reader_passages: int = 15
    # The reader reads this many words around the best-matching sentence of each chunk (0: all of it).
    reader_focus_words: int = 80
    # Spans the reader proposes per passage (the ranker chooses among them all).
    reader_spans: int = 3
    # None: the calibration shipped with the reader's weights.
    calibration: Calibration | None = None
    # "auto": the answer ranker shipped with the reader's weights, when there is one;
    # "formula": reader confidence plus a corroboration bonus (qa.grouping.combined_score).
    answer_ranker: str = "auto"


def _window_hits(backend: Searcher, query: str, window: Window, k: int, filters: SearchFilters | None) -> list[Hit]:
    """The best ``k`` passages from a time window (so they are read even if outranked)."""
    if k <= 0:
        return []
    base = filters or SearchFilters()
    start = max(window.start.isoformat(), base.published_from) if base.published_from else window.start.isoformat()
    end = min(window.end.isoformat(), base.published_to) if base.published_to else window.end.isoformat()
    return backend.search(query, k=k, filters=replace(base, published_from=start, published_to=end))


def preferred_window(question: str, config: AnswerConfig) -> tuple[Window | None, int, float]:
    """The window whose articles the answer prefers, how many of its best passages to
    read besides the top ones, and the weight of candidates outside it: the one the
    question names, else (when ``recent_days``) the days just before today."""
    today = config.today or dt.date.today()
    named = find_window(question, today)
    if named is not None:
        return named, max(config.top_k // 2, 3), config.outside_window
    if config.recent_days > 0:
        recent = Window(today - dt.timedelta(days=config.recent_days), today, "recently", named=False)
        return recent, config.recent_passages, config.outside_recent
    return None, 0, 1.0


def _plus(hits: list[Hit], more: list[Hit]) -> list[Hit]:
    seen = {h.row for h in hits}
    return hits + [h for h in more if h.row not in seen]


def confident_indices(scores: Sequence[float], min_score: float, min_alternative_score: float) -> list[int]:
    """Which of a ranked list of answers are shown: none unless the best (first) clears
    ``min_score``; then every one at or above ``min_alternative_score`` (capped at
    ``min_score``). The one rule, shared with the evaluation's threshold sweep."""
    if not scores or scores[0] < min_score:
        return []
    floor = min(min_alternative_score, min_score)
    return [i for i, s in enumerate(scores) if s >= floor]


def keep_confident(ranked: list[Answer], config: AnswerConfig) -> list[Answer]:
    """The answers ``confident_indices`` keeps, at most ``max_answers``."""
    keep = confident_indices([a.score for a in ranked], config.min_score, config.min_alternative_score)
    return [ranked[i] for i in keep][: config.max_answers]


def validate_question(question: str, max_chars: int) -> str:
    question = question.strip()
    if not question:
        raise BadQuestion("the question is empty")
    if len(question) > max_chars:
        raise BadQuestion(f"the question is too long ({len(question)} characters; at most {max_chars})")
    return question


def answer(
    question: str,
    backend: Searcher,
    config: AnswerConfig | None = None,
    filters: SearchFilters | None = None,
    resolved_question: str = "",
    reader: Reader | None = None,
) -> AnswerSet:
    """Answer ``question`` (or its standalone rewrite) from the archive.

    ``reader`` overrides the learned reader ``config.reader`` would load.
    """
    started = time.perf_counter()
    config = config or AnswerConfig()
    question = validate_question(question, config.max_question_chars)
    asked = resolved_question or question
    info = analyze(question)
    context = analyze(asked) if asked != question else None
    hits = backend.search(asked, k=config.top_k, filters=filters)
    window, window_reads, outside = preferred_window(question, config)
    windowed = _window_hits(backend, asked, window, window_reads, filters) if window is not None else []
    read = _plus(hits[: config.reader_passages], windowed)  # the reader's share, plus the window's best
    hits = _plus(hits, windowed)
    articles: dict[str, Article] = {}
    candidates: list[Candidate] = []
    weights = question_weights(info, context)
    for hit in hits:
        article = articles.get(hit.chunk.doc_id) or backend.get_article(hit.chunk.doc_id)
        if article is not None:
            articles[article.doc_id] = article
    if reader is None and config.reader == "learned":
        from qa.reader import load_reader

        reader = load_reader(
            precision=config.reader_precision, runtime=config.reader_runtime, cache_dir=config.reader_cache_dir
        )
    if reader is not None:
        candidates = reader_candidates(
            reader,
            asked,
            read,
            articles,
            config.calibration or getattr(reader, "calibration", None) or Calibration(),
            weights,
            config.reader_focus_words,
            info.kind,
            config.reader_spans,
            info.place_level,
        )
    else:
        for rank, hit in enumerate(hits):
            if hit.chunk.doc_id in articles:
                article = articles[hit.chunk.doc_id]
                candidates.extend(sentence_candidates(info, weights, hit, rank, article, config.min_coverage))
    if window is not None and any(window.contains(c.citation.published) for c in candidates):
        candidates = [
            c if window.contains(c.citation.published) else replace(c, score=c.score * outside, outside=True)
            for c in candidates
        ]
    ranker = getattr(reader, "ranker", None) if config.answer_ranker == "auto" else None
    answers = keep_confident(
        group_candidates(candidates, ranker, config.today or dt.date.today(), info.place_level), config
    )
    related: tuple[Passage, ...] = ()
    if not answers:
        related = tuple(
            Passage(
                text=h.chunk.text,
                score=h.score,
                citation=make_citation(articles[h.chunk.doc_id], *(h.chunk.start, h.chunk.end) * 2),
            )
            for h in hits[: config.related]
            if h.chunk.doc_id in articles
        )
    return AnswerSet(
        question=question,
        answers=tuple(answers),
        related=related,
        resolved_question=asked,
        took_ms=(time.perf_counter() - started) * 1000,
        time_window=window_report(window, windowed, answers),
    )


def window_report(window: Window | None, windowed: list[Hit], answers: list[Answer]) -> TimeWindow | None:
    """What the archive held from the window the question names (None when it names none)."""
    if window is None or not window.named:
        return None
    cited = [c.published for a in answers for c in (a.citation, *a.supporting)]
    return TimeWindow(
        phrase=window.phrase,
        start=window.start.isoformat(),
        end=window.end.isoformat(),
        archive_has_it=bool(windowed),
        answered_from_it=any(window.contains(published) for published in cited),
    )
