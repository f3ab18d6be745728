"""Benchmark: article recall of the hybrid retriever over a grid of fusion settings.

    python -m bench.fusion --index bench/out/rtqa-index \
        --questions ../shared/data/realtimeqa/questions-2022-2024.jsonl --split dev-tune \
        --out bench/results/fusion_dev-tune.json

For every question with ``answer_in_docs`` in the split, the dense and the BM25
ranked lists (50 and 100 rows, the candidate counts of the grid) of the question
as asked, without filters (the search behind ``bench.eval_news``'s recall@k), are
computed once; each grid point is then fused offline with ``index.fusion.reciprocal_rank_fusion``, as
``IndexReader.search`` fuses. Recall@k: a top-k passage comes from an answer
article. The shipped point is marked.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import emit, machine
from bench.eval_news import SPLITS, load_questions
from index.backend import LocalHybridIndex, SearchConfig
from index.fusion import reciprocal_rank_fusion
from index.progress import progress

RRF_K = (5.0, 10.0, 20.0, 30.0, 60.0, 100.0)
DENSE_WEIGHTS = (0.5, 0.75, 1.0, 1.5, 2.0)
CANDIDATES = (50, 100)
AT = (5, 10, 15, 20)


Ranking = tuple[list[str], list[str]]  # dense, BM25: "row:article" keys, best first


def _rankings(backend: LocalHybridIndex, question: str) -> dict[int, Ranking]:
    """Per candidate count, the dense and the BM25 ranking, searched at that depth as
    ``IndexReader.search`` does (HNSW's result depends on how many it is asked for)."""
    version = backend.pinned()._version
    vector = backend._query_vector(question)
    sparse = [r for r, _ in version.sparse.search(question, max(CANDIDATES))]
    dense = {n: [r for r, _ in version.dense.search(vector, n)] for n in CANDIDATES}
    chunks = version.db.chunks(sorted(set(sparse).union(*dense.values())))
    keys = {r: f"{r}:{chunks[r].doc_id}" for r in chunks}
    return {n: ([keys[r] for r in dense[n]], [keys[r] for r in sparse[:n]]) for n in CANDIDATES}


def recall(lists: Sequence[tuple[Ranking, set[str]]], rrf_k: float, dense_weight: float) -> dict[str, float]:
    found = dict.fromkeys(AT, 0)
    for (dense, sparse), gold in lists:
        fused = reciprocal_rank_fusion([dense, sparse], weights=[dense_weight, 1.0], k=rrf_k, limit=max(AT))
        articles = [key.split(":", 1)[1] for key, _ in fused]
        for k in AT:
            found[k] += any(a in gold for a in articles[:k])
    return {f"recall@{k}": round(100 * v / max(len(lists), 1), 2) for k, v in found.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--split", choices=SPLITS, default="dev-tune")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    backend = LocalHybridIndex(args.index)
    questions = [q for q in load_questions(args.questions, args.split, args.limit) if q.get("answer_in_docs")]
    started = time.perf_counter()
    rankings: list[tuple[dict[int, Ranking], set[str]]] = []
    bar = progress(len(questions), "retrieving", "questions", quiet=False)
    for q in questions:
        rankings.append((_rankings(backend, q["question"]), set(q["answer_in_docs"])))
        bar.update(1)
    bar.close()
    shipped = SearchConfig()
    grid: list[dict[str, Any]] = []
    for rrf_k, weight, candidates in itertools.product(RRF_K, DENSE_WEIGHTS, CANDIDATES):
        point: dict[str, Any] = {"rrf_k": rrf_k, "dense_weight": weight, "candidates": candidates}
        point["shipped"] = (rrf_k, weight, candidates) == (shipped.rrf_k, shipped.dense_weight, shipped.candidates)
        grid.append({**point, **recall([(r[candidates], gold) for r, gold in rankings], rrf_k, weight)})
    deepest = max(CANDIDATES)
    best = max(grid, key=lambda g: (g["recall@15"], g["recall@5"], -abs(g["rrf_k"] - 60) - abs(g["dense_weight"] - 1)))
    result = {
        "benchmark": "fusion",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "index": backend.info()["version"],
        "split": args.split,
        "questions": len(rankings),
        "seconds": round(time.perf_counter() - started, 1),
        "shipped": next(g for g in grid if g["shipped"]),
        "best": best,
        "dense_only": recall([((r[deepest][0], []), gold) for r, gold in rankings], 60.0, 1.0),
        "bm25_only": recall([(([], r[deepest][1]), gold) for r, gold in rankings], 60.0, 1.0),
        "grid": grid,
    }
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
