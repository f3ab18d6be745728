"""bm25s (the engine) against rank-bm25 (the reference) on real news.

Both get the same tokens from ``index.tokenize``. rank-bm25's BM25Okapi uses
the Robertson idf with an epsilon floor; our bm25s index uses Lucene's idf,
log(1 + (N - n + 0.5) / (n + 0.5)). The reference is given the same idf (a
two-line subclass) so that the test compares scoring, not formula choices.
Lucene also drops BM25's constant (k1 + 1) factor from the numerator, which
scales every score alike and cannot change a ranking; we divide it out.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from index.chunking import chunk_article
from index.sparse import K1, B, PassageTokens, SparseIndex
from index.tokenize import tokenize
from tests.conftest import REALTIMEQA_ARTICLES, REALTIMEQA_QUESTIONS, needs_shared, read_jsonl_gz


class LuceneBM25(BM25Okapi):
    def _calc_idf(self, nd: dict[str, int]) -> None:
        self.idf = {w: math.log(1 + (self.corpus_size - n + 0.5) / (n + 0.5)) for w, n in nd.items()}


@needs_shared(REALTIMEQA_ARTICLES)
def test_bm25s_matches_rank_bm25_top10_on_news_sample() -> None:
    texts: list[str] = []
    for record in read_jsonl_gz(REALTIMEQA_ARTICLES, 300):
        text = str(record["text"])
        texts.extend(c.text for c in chunk_article("x", text))
    with REALTIMEQA_QUESTIONS.open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for _, line in zip(range(60), f, strict=False)]
    engine = SparseIndex.build(texts)
    reference = LuceneBM25([tokenize(t) or [""] for t in texts], k1=K1, b=B)
    agree = 0
    for q in questions:
        ref_scores = reference.get_scores(tokenize(q)) / (K1 + 1)
        ref_top = [int(i) for i in np.argsort(-ref_scores, kind="stable")[:10] if ref_scores[i] > 0]
        got = engine.search(q, 10)
        got_top = [row for row, _ in got]
        # scores agree to float32 precision, so rankings agree except for exact ties
        for row, score in got:
            assert abs(score - ref_scores[row]) < 1e-3 * max(1.0, ref_scores[row])
        if set(got_top) == set(ref_top):
            agree += 1
    assert len(texts) > 1000
    assert agree >= 0.95 * len(questions), f"top-10 agreement {agree}/{len(questions)}"


@needs_shared(REALTIMEQA_ARTICLES)
def test_our_bm25_matrix_is_the_one_bm25s_builds_itself(tmp_path: Path) -> None:
    """index.sparse computes bm25s's matrix with array operations instead of bm25s's Python
    loop per passage; it must be bm25s's own, bit for bit, and survive bm25s's save and load."""
    import bm25s

    texts = [""]  # an empty passage too: it gets the empty token, as in bm25s
    for record in read_jsonl_gz(REALTIMEQA_ARTICLES, 150):
        texts.extend(c.text for c in chunk_article("x", str(record["text"])))
    tokens = PassageTokens.of(texts)
    ours = SparseIndex.from_tokens(tokens)
    theirs = bm25s.BM25(method="lucene", k1=K1, b=B)
    theirs.index(bm25s.tokenization.Tokenized(ids=tokens.passages(), vocab=dict(tokens.vocab)), show_progress=False)
    for key in ("data", "indices", "indptr"):
        assert ours._model.scores[key].dtype == theirs.scores[key].dtype, key
        assert np.array_equal(ours._model.scores[key], theirs.scores[key]), key
    assert ours._model.scores["num_docs"] == theirs.scores["num_docs"] == len(texts)
    assert ours._model.vocab_dict == theirs.vocab_dict
    assert ours._model.unique_token_ids_set == theirs.unique_token_ids_set
    assert ours._model.nonoccurrence_array is None and theirs.nonoccurrence_array is None
    ours.save(tmp_path)
    loaded = SparseIndex.load(tmp_path, size=len(texts))
    with REALTIMEQA_QUESTIONS.open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for _, line in zip(range(30), f, strict=False)]
    assert any(ours.search(q, 10) for q in questions)
    for q in questions:
        assert loaded.search(q, 10) == ours.search(q, 10)
