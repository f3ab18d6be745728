"""Benchmark: bm25s (the engine) against rank-bm25 (the reference), in one run.

    python -m bench.bm25 [--articles N] [--queries M] [--update N] [--out bench/results/bm25.json]

Same chunks, same tokenizer, same Lucene idf (see tests/test_bm25_parity.py).
Reports build time, per-query time and its ratio, and top-10 agreement.
``--articles 0`` uses the whole archive (rank-bm25 then needs minutes per query batch).

``--update N`` also times the BM25 rebuild of an ``index add`` of the last N
articles' chunks, both ways in the same run: tokenizing every passage again
and letting bm25s index the token strings (before session 15), against reading
the kept passage tokens back from disk, tokenizing only the new passages and
computing the matrix from the ids (``index.sparse.PassageTokens`` and
``lucene_matrix``, now); and checks that both give the same top 10 for every query.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np

from bench.common import emit, machine
from index.chunking import chunk_article
from index.sparse import EMPTY, K1, B, PassageTokens, SparseIndex, tokenize_passages
from index.tokenize import tokenize

DATA = Path(__file__).resolve().parent.parent.parent / "shared/data/realtimeqa"


def main() -> int:
    from rank_bm25 import BM25Okapi

    class LuceneBM25(BM25Okapi):
        def _calc_idf(self, nd: dict[str, int]) -> None:
            self.idf = {w: float(np.log(1 + (self.corpus_size - n + 0.5) / (n + 0.5))) for w, n in nd.items()}

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--update", type=int, default=0, help="also time an add of the last N articles (see above)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts: list[str] = []
    first_new = 0  # the first chunk of the last --update articles
    with gzip.open(DATA / "articles-2022-2024.jsonl.gz", "rt", encoding="utf-8") as f:
        lines = [line for i, line in enumerate(f) if not args.articles or i < args.articles]
    for i, line in enumerate(lines):
        if i == len(lines) - args.update:
            first_new = len(texts)
        texts.extend(c.text for c in chunk_article("x", json.loads(line)["text"]))
    with (DATA / "questions-2022-2024.jsonl").open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f][: args.queries]

    t0 = time.perf_counter()
    tokens = [tokenize(t) or [""] for t in texts]
    tokenize_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine = SparseIndex.build(texts)
    engine_build_s = time.perf_counter() - t0 - tokenize_s  # SparseIndex.build tokenizes again
    t0 = time.perf_counter()
    reference = LuceneBM25(tokens, k1=K1, b=B)
    reference_build_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    got = [[r for r, _ in engine.search(q, 10)] for q in questions]
    engine_q = (time.perf_counter() - t0) / len(questions)
    t0 = time.perf_counter()
    ref = []
    for q in questions:
        scores = reference.get_scores(tokenize(q))
        ref.append([int(i) for i in np.argsort(-scores, kind="stable")[:10] if scores[i] > 0])
    reference_q = (time.perf_counter() - t0) / len(questions)
    same_set = sum(set(a) == set(b) for a, b in zip(got, ref, strict=True))
    same_order = sum(a == b for a, b in zip(got, ref, strict=True))
    result = {
        "benchmark": "bm25",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "articles": args.articles or "all",
        "chunks": len(texts),
        "queries": len(questions),
        "tokenize_s": round(tokenize_s, 2),
        "build_s": {"bm25s": round(engine_build_s, 2), "rank_bm25": round(reference_build_s, 2)},
        "query_ms": {"bm25s": round(engine_q * 1000, 3), "rank_bm25": round(reference_q * 1000, 3)},
        "query_speedup": round(reference_q / engine_q, 1),
        "top10_same_set": round(same_set / len(questions), 4),
        "top10_same_order": round(same_order / len(questions), 4),
    }
    if args.update:
        result["update"] = time_update(texts, first_new, questions)
    emit(result, args.out)
    return 0


def time_update(texts: list[str], first_new: int, questions: list[str]) -> dict[str, object]:
    """The BM25 rebuild of an add of ``texts[first_new:]``, the old way and the new, one run."""
    import tempfile

    import bm25s

    t0 = time.perf_counter()
    old = bm25s.BM25(method="lucene", k1=K1, b=B)
    old.index([tokenize(t) or [EMPTY] for t in texts], show_progress=False)
    old_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        PassageTokens.of(texts[:first_new]).save(Path(tmp))  # what the live version keeps (not timed)
        t0 = time.perf_counter()
        kept = PassageTokens.load(Path(tmp))
        load_s = time.perf_counter() - t0
        vocab = dict(kept.vocab)
        new_part = tokenize_passages(texts[first_new:], vocab)
        tokens = PassageTokens.join(vocab, [(kept.ids, kept.lengths()), new_part])
        engine = SparseIndex.from_tokens(tokens)
        new_s = time.perf_counter() - t0
    vocab_old = old.vocab_dict
    same = 0
    for q in questions:
        ids = [vocab_old[t] for t in tokenize(q) if t in vocab_old]
        scores = np.asarray(old.get_scores_from_ids(ids)) if ids else np.zeros(len(texts))
        want = [int(i) for i in np.argsort(-scores, kind="stable")[:10] if scores[i] > 0]
        same += set(want) == {r for r, _ in engine.search(q, 10)}
    return {
        "new_chunks": len(texts) - first_new,
        "all_tokens_again_s": round(old_s, 2),
        "kept_tokens_s": round(new_s, 2),
        "of_which_loading_kept_s": round(load_s, 2),
        "speedup": round(old_s / new_s, 2),
        "kept_ids_and_offsets_mb": round((tokens.ids.nbytes + tokens.offsets.nbytes) / 1e6, 1),
        "top10_same_set": round(same / len(questions), 4),
    }


if __name__ == "__main__":
    raise SystemExit(main())
