"""Reciprocal rank fusion (Cormack et al. 2009): a pure function.

RRF ignores raw scores, which live on incomparable scales for BM25 and
cosine similarity, and rewards items ranked well by several retrievers.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[K]],
    weights: Sequence[float] | None = None,
    k: float = 60.0,
    limit: int | None = None,
) -> list[tuple[K, float]]:
    """Fuse ranked lists (best first) into one list of (item, score), best first.

    score(item) = sum over lists of weight / (k + rank), rank starting at 1.
    Ties are broken by first appearance across the lists, so the output is
    deterministic.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is required")
    if k < 0:
        raise ValueError("k must be non-negative")
    scores: dict[K, float] = {}
    first_seen: dict[K, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            first_seen.setdefault(item, len(first_seen))
    fused = sorted(scores.items(), key=lambda kv: (-kv[1], first_seen[kv[0]]))
    return fused[:limit] if limit is not None else fused
