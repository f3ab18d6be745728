"""Benchmark: FAISS exact (IndexFlatIP) against approximate (HNSW) on a built index.

    python -m bench.dense --index bench/out/rtqa-index [--queries 300] [--out bench/results/dense.json]

Takes the index's own chunk vectors, builds both kinds over them, embeds news
quiz questions as queries, and reports recall@10 of HNSW against exact search
and the per-query latency of each (efSearch as configured in index/dense.py).
It also scores the index's own graph, grown by every ``index add`` since the
build, against the same exact search. Rows hidden by removals are hidden in all
three.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bench.common import emit, machine
from bench.query import QUESTIONS, percentiles
from index.backend import LocalHybridIndex
from index.dense import DenseIndex


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    backend = LocalHybridIndex(args.index)
    version = backend.pinned()._version
    live_graph = version.dense
    vectors = live_graph.vectors()
    hidden = np.setdiff1d(np.arange(len(vectors)), version.db.chunk_rows())
    with QUESTIONS.open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f][: args.queries]
    queries = backend.embedder.encode(questions)

    started = time.perf_counter()
    exact = DenseIndex.build(vectors, hnsw_threshold=len(vectors) + 1)
    exact_build = time.perf_counter() - started
    started = time.perf_counter()
    hnsw = DenseIndex.build(vectors, hnsw_threshold=0)
    hnsw_build = time.perf_counter() - started
    exact.hide(hidden)
    hnsw.hide(hidden)

    recalls, live_recalls, exact_ms, hnsw_ms = [], [], [], []
    for q in queries:
        t = time.perf_counter()
        truth = {r for r, _ in exact.search(q, 10)}
        exact_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        got = {r for r, _ in hnsw.search(q, 10)}
        hnsw_ms.append((time.perf_counter() - t) * 1000)
        recalls.append(len(truth & got) / max(len(truth), 1))
        live = {r for r, _ in live_graph.search(q, 10)}
        live_recalls.append(len(truth & live) / max(len(truth), 1))
    result = {
        "benchmark": "dense",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "vectors": len(vectors),
        "dim": int(vectors.shape[1]),
        "queries": len(questions),
        "build_s": {"flat": round(exact_build, 2), "hnsw": round(hnsw_build, 2)},
        "query_ms": {"flat": percentiles(exact_ms), "hnsw": percentiles(hnsw_ms)},
        "hnsw_recall_at_10": round(float(np.mean(recalls)), 4),
        "hidden_rows": len(hidden),
        "live_graph": {"kind": live_graph.kind, "recall_at_10": round(float(np.mean(live_recalls)), 4)},
    }
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
