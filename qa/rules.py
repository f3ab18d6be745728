"""The rule-based span picker: typed candidates scored by question coverage.

For every sentence of a retrieved chunk it measures how much of the
question the sentence covers (names weigh double), proposes typed candidate spans
inside it (``qa.spans``) and scores each by coverage, type fit, closeness to
the matched question words and retrieval rank. A date's answer leaves out a
leading "in" or "on" (``qa.span_edges.without_date_preposition``, as the learned
reader's does) after it is scored as found. Used when the learned reader
is off or its weights are missing, and as the fast, explainable baseline.
"""

from __future__ import annotations

import re

from index.chunking import split_sentences
from index.tokenize import _stem, words
from index.types import Article, Hit
from qa import spans
from qa.grouping import Candidate
from qa.places import not_of_level
from qa.questions import UNIT_WORDS, QuestionInfo
from qa.span_edges import without_date_preposition
from qa.types import make_citation

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _stems_with_positions(text: str) -> list[tuple[str, int]]:
    """(stem, word index) for every word of ``text``."""
    return [(_stem(w), i) for i, w in enumerate(words(text))]


def question_weights(info: QuestionInfo, context: QuestionInfo | None = None) -> dict[str, float]:
    # Names carry the topic ("Kurdish", "Congress") and weigh double; terms only
    # from earlier turns weigh half. (Weighing by the archive's idf as well was
    # measured worse with the learned reader: bench/RESULTS.md, session 13.)
    weights = {t: 2.0 if t in info.proper_terms else 1.0 for t in info.terms}
    if context is not None:
        for t in context.terms:
            weights.setdefault(t, 0.5)
    return weights


# Names of news organizations appear in bylines and datelines, not as answers.
_MEDIA = frozenset(
    {
        "cnn",
        "cnn business",
        "cnn sport",
        "cnn politics",
        "reuters",
        "ap",
        "afp",
        "usa today",
        "bbc",
        "bbc news",
        "nbc",
        "nbc news",
        "cbs",
        "cbs news",
        "abc news",
        "fox news",
        "upi",
        "xinhua",
        "dpa",
        "bloomberg",
        "getty images",
        "associated press",
        "the associated press",
    }
)


def is_media_credit(text: str, article: Article) -> bool:
    folded = text.casefold().strip(" .()")  # "(CNN)"
    return folded in _MEDIA or (bool(article.source) and folded == article.source.casefold())


def _coverage(weights: dict[str, float], sentence_stems: set[str], context_stems: set[str]) -> float:
    total = sum(weights.values())
    if total == 0:
        return 0.0
    found = sum(w for t, w in weights.items() if t in sentence_stems)
    # Words found only in the headline or the rest of the passage count half.
    found += 0.5 * sum(w for t, w in weights.items() if t not in sentence_stems and t in context_stems)
    return found / total


def _type_fit(info: QuestionInfo, kind: str, text: str, before: str) -> float:
    """How well a candidate of ``kind`` fits the question's expected type (0-1)."""
    if info.kind == "quantity":
        if kind != "quantity":
            return 0.0
        unit_words = {w.lower() for w in text.split()} & UNIT_WORDS
        if unit_words and info.counted_noun and not info.unit:
            return 0.1  # "how many fighters" answered with "18 miles"
        return 1.0
    if info.kind == "date":
        if kind != "date":
            return 0.0
        if info.unit == "year" and not re.search(r"\b(1[5-9]|20)\d\d", text):
            return 0.2  # "what year ..." answered with "on Wednesday"
        return 1.0
    if info.kind == "person":
        if kind == "entity" and re.search(r"\b(in|at|from|to|into|near|across)\s*$", before):
            return 0.4  # "escaped in Syria": a place, not who did it
        return {"person": 1.0, "entity": 0.8}.get(kind, 0.0)
    if info.kind == "place":
        if kind != "entity":
            return 0.0
        fit = 1.0 if re.search(r"\b(in|at|from|near|to|of)\s*$", before) else 0.6
        return 0.0 if not_of_level(info.place_level, text) else fit  # "Ohio" for "which city"
    if info.kind == "entity":
        return {"entity": 0.9, "person": 0.8, "quantity": 0.6, "date": 0.6, "phrase": 0.5}.get(kind, 0.5)
    return {"entity": 0.8, "person": 0.8, "quantity": 0.8, "date": 0.8}.get(kind, 0.5)


def _proximity(cand_start: int, cand_end: int, matched_positions: list[int], sentence: str) -> float:
    """1 when the candidate sits next to a matched question word, falling with distance."""
    if not matched_positions:
        return 0.0
    first = len(_TOKEN.findall(sentence[:cand_start]))
    last = first + max(len(_TOKEN.findall(sentence[cand_start:cand_end])) - 1, 0)
    distance = min(max(first - p, p - last, 0) for p in matched_positions)
    return 1.0 / (1.0 + distance / 4.0)


def sentence_candidates(
    info: QuestionInfo, weights: dict[str, float], hit: Hit, rank: int, article: Article, min_coverage: float
) -> list[Candidate]:
    out: list[Candidate] = []
    context = {s for s, _ in _stems_with_positions(article.title + " " + hit.chunk.text)}
    rank_prior = 1.0 / (1.0 + 0.1 * rank)
    for s, e in split_sentences(hit.chunk.text):
        sentence = hit.chunk.text[s:e]
        stems = _stems_with_positions(sentence)
        stem_set = {st for st, _ in stems}
        coverage = _coverage(weights, stem_set, context)
        if coverage < min_coverage:
            continue
        matched = [i for st, i in stems if st in weights]
        for cs, ce, kind in spans.candidates(sentence, phrases=info.kind in ("entity", "phrase")):
            # A date answers without a leading "in" or "on" ("in 1995" → "1995"), as the learned reader's
            # do; it is scored as found, so the cut changes no candidate's score, and the quote keeps the word.
            answer_start = without_date_preposition(sentence, cs, ce) if kind == "date" else cs
            text = sentence[answer_start:ce]
            if is_media_credit(text, article):
                continue
            cand_stems = {_stem(w) for w in words(text)}
            if not cand_stems or len(cand_stems & set(weights)) / len(cand_stems) > 0.5:
                continue  # the answer must add something the question does not say
            fit = _type_fit(info, kind, sentence[cs:ce], sentence[:cs])
            if fit < 0.5:
                continue
            prox = _proximity(cs, ce, matched, sentence)
            score = coverage**1.5 * (0.55 + 0.25 * fit + 0.2 * prox) * (0.8 + 0.2 * rank_prior)
            if info.counted_noun and info.counted_noun not in stem_set:
                score *= 0.5  # a number that does not count what was asked about
            start = hit.chunk.start + s + answer_start
            quote_start = hit.chunk.start + s
            out.append(
                Candidate(
                    text=text,
                    kind=kind,
                    score=score,
                    quote=sentence,
                    citation=make_citation(article, start, start + len(text), quote_start, quote_start + len(sentence)),
                )
            )
    return out
