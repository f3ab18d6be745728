"""The answer ranker: how likely a grouped answer is right, from its evidence.

``qa.grouping`` clusters a question's candidate spans into answers and
describes each answer by a few numbers (its *evidence*, ``FEATURES`` below):
the reader's margin and span score, the retriever's rank, how many articles
agree, how far it leads the other answers, its type, its age. The ranker is a
logistic model over them,

    score = sigmoid(intercept + offset + Σ coef_i × (x_i − mean_i) / scale_i),

fitted by ``bench/fit_ranker.py`` on news questions the reader never trained on
and shipped with the reader's weights (``reader.json``, key ``ranker``),
because its features are on the reader's scale. Without ``offset`` the score
is the fitted probability that the answer is right; ``offset`` moves the
operating point chosen on the dev split (abstain as often on questions the
archive cannot answer as the formula does) to the shipped ``min_score``, so
one threshold setting serves both scorers. Without a ranker, answers keep the
documented formula (``qa.learned.reader_confidence`` plus a corroboration
bonus, ``qa.grouping.combined_score``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FEATURES: dict[str, str] = {
    "confidence": "the formula's score: reader confidence × rank prior × type prior, plus corroboration",
    "margin": "the best span's score over its passage's no-answer score (clipped to ±20)",
    "span": "the best span's start + end logit (clipped to ±30)",
    "rank": "log(1 + the retrieval rank of the best span's passage)",
    "articles": "log(1 + the number of other articles giving the same answer)",
    "mentions": "log(number of spans, in any article, that give this answer)",
    "dense": "log(1 + the passage's rank in the dense list; 100 when absent from it)",
    "sparse": "log(1 + the passage's rank in the BM25 list; 100 when absent from it)",
    "coverage": "the share of the question's words (names weigh double) found in the quoted sentence",
    "in_title": "1 when the answer occurs, as whole words, in its article's title",
    "position": "log(1 + where the quoted sentence starts in the article, in hundreds of characters)",
    "lead": "this answer's formula score minus the best other answer's (0 when alone)",
    "mismatch": "1 when a how-many/when question gets a span that is no quantity/date",
    "outside": "1 when the article lies outside the time window the question names",
    "words": "log(1 + words in the answer)",
    "typed": "1 when the span is a typed one (quantity, date, person, place, entity)",
    "age": "log(1 + days between the article and the newest dated candidate or today, the earlier)",
    "future": "1 when the article is dated after today (possible only when 'today' is set in the past)",
}


@dataclass(frozen=True)
class AnswerRanker:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    offset: float = 0.0  # added to the logit: see the module's docstring

    def __post_init__(self) -> None:
        unknown = [f for f in self.features if f not in FEATURES]
        if unknown:
            raise ValueError(f"unknown ranker features: {', '.join(unknown)}")
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n):
            raise ValueError("the ranker's features, mean, scale and coef differ in length")
        if any(not s > 0 for s in self.scale):
            raise ValueError("the ranker's scales must be positive")

    def logit(self, evidence: Mapping[str, float]) -> float:
        z = self.intercept + self.offset
        for name, mean, scale, coef in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z += coef * (evidence.get(name, 0.0) - mean) / scale
        return z

    def probability(self, evidence: Mapping[str, float]) -> float:
        z = max(min(self.logit(evidence), 50.0), -50.0)
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnswerRanker:
        return cls(
            features=tuple(str(f) for f in data["features"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            coef=tuple(float(v) for v in data["coef"]),
            intercept=float(data["intercept"]),
            offset=float(data.get("offset", 0.0)),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "coef": [round(v, 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
            "offset": round(self.offset, 6),
        }
