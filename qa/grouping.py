"""Grouping candidate spans into answers (pure functions).

The same answer from several articles is one answer with supporting
citations (corroboration); answers that differ stay separate, each with its
own citations and dates, so a conflict is visible to the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.clean import fold_for_matching
from qa.types import Answer, Citation


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str
    score: float
    quote: str
    citation: Citation


def answer_key(text: str) -> str:
    """Two spans are the same answer when equal up to case, quotes and punctuation."""
    return fold_for_matching(text)


def _overlaps(a: Citation, b: Citation) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def group_candidates(candidates: list[Candidate]) -> list[Answer]:
    """Best first. Combined score = best + a bonus per other corroborating article."""
    ordered = sorted(candidates, key=lambda c: (-c.score, c.citation.doc_id, c.citation.start))
    chosen: list[Candidate] = []  # non-overlapping spans, best first
    for cand in ordered:
        if any(_overlaps(cand.citation, c.citation) and answer_key(c.text) != answer_key(cand.text) for c in chosen):
            continue  # a better, different span already covers this text
        chosen.append(cand)
    groups: dict[str, list[Candidate]] = {}
    for cand in chosen:
        groups.setdefault(answer_key(cand.text), []).append(cand)
    answers = []
    for members in groups.values():
        best = members[0]
        per_doc: dict[str, Candidate] = {}
        for m in members:
            per_doc.setdefault(m.citation.doc_id, m)
        others = [m for d, m in per_doc.items() if d != best.citation.doc_id]
        # Each independent article adds evidence, with diminishing returns.
        bonus = sum(0.1 * m.score / (i + 1) for i, m in enumerate(others))
        answers.append(
            Answer(
                text=best.text,
                quote=best.quote,
                score=min(1.0, best.score + bonus),
                citation=best.citation,
                supporting=tuple(m.citation for m in others),
                kind=best.kind,
            )
        )
    return sorted(answers, key=lambda a: (-a.score, a.citation.doc_id, a.citation.start))
