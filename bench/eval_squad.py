"""Reader-only evaluation on official SQuAD v1.1 / v2.0 JSON: every question is
answered from its own paragraph. Writes the official prediction format
{question_id: answer_text} ("" = no answer) and prints the scores as JSON on
its last line.

    python -m bench.eval_squad --data ../shared/data/squad/dev-v1.1-a.json.gz --out bench/out/pred-v11.json
    python -m bench.eval_squad --reader learned --data ../shared/data/squad/dev-v2.0-a.json.gz \
        --out bench/out/pred-v20.json --sweep

Every question's best candidate and its confidence are kept, so ``--sweep``
scores a range of abstention thresholds from one pass (calibration).

The answer ranker weighs how the retrievers ranked a passage (qa.ranking's
``dense`` and ``sparse`` features). So the given paragraph carries the ranks the
project's own retriever gives it for the question over an index of all the file's
paragraphs (``--ranks index``, built once into ``--ranks-index``); the reader
still reads that paragraph alone. ``--ranks none`` leaves them unset, which the
ranker reads as "in neither list", a state no passage is in when the product
reads it (bench/results/squad_ranks_rule_s27.txt); it reproduces earlier figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.squad_metrics import best_over_golds, exact_match, f1
from index import store
from index.backend import LocalHybridIndex, SearchConfig
from index.builder import IndexConfig, build_index
from index.embedding import DEFAULT_MODEL, Embedder, load_embedder
from index.types import Article, Chunk, Hit, SearchFilters
from qa.answerer import AnswerConfig, answer
from qa.learned import Reader
from qa.reader_arithmetic import PRECISIONS, RUNTIMES


class PassageSearcher:
    """A one-passage 'archive': the reader sees exactly the given paragraph."""

    def __init__(self, article: Article, dense_rank: int | None = None, sparse_rank: int | None = None) -> None:
        self.article = article
        chunk = Chunk(article.doc_id, 0, len(article.text), article.text)
        self.hit = Hit(row=0, chunk=chunk, score=1.0, dense_rank=dense_rank, sparse_rank=sparse_rank)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        return [self.hit]

    def get_article(self, doc_id: str) -> Article | None:
        return self.article if doc_id == self.article.doc_id else None


Ranks = Callable[[str, str], tuple[int | None, int | None]]


def paragraph_id(article: dict[str, Any], p_i: int) -> str:
    return f"{article['title']}-{p_i}"


def paragraph_index(data: list[dict[str, Any]], index_dir: Path, embedder: Embedder | None = None) -> LocalHybridIndex:
    """Every paragraph of the file as one article of an index, built into ``index_dir`` unless it
    holds one already (the shipped embedder, chunking and BM25, as ``qa index build`` makes them;
    tests pass a fake embedder). The build shows its progress."""
    if not store.has_index(index_dir):
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "paragraphs.jsonl"
            with source.open("w", encoding="utf-8") as fh:
                for article in data:
                    for p_i, para in enumerate(article["paragraphs"]):
                        fh.write(json.dumps({"id": paragraph_id(article, p_i), "text": para["context"]}) + "\n")
            embedder = embedder or load_embedder(DEFAULT_MODEL)
            build_index([source], index_dir, embedder, IndexConfig(model=embedder.name), quiet=False)
    return LocalHybridIndex(index_dir, embedder=embedder)


def retrieval_ranks(index: LocalHybridIndex, candidates: int | None = None) -> Ranks:
    """(dense rank, BM25 rank) of a paragraph for a question, as ``index.search`` reports them to the
    answerer: 1-based ranks in each retriever's candidate list, the best over the paragraph's chunks,
    None when absent from that list. Where some chunk of the paragraph is fused below the list's
    ``candidates`` (yet may be in one of the lists), full-length lists are searched, so the ranks
    are exact."""
    limit = candidates or index.search_config.candidates
    everything = int(index.info()["chunks"])
    # chunks per paragraph: an exact dense list as long as the index holds every chunk (a SQuAD file's
    # few thousand chunks stay far below the size where the index switches to HNSW)
    chunks_of = Counter(h.chunk.doc_id for h in index.search("paragraph", k=everything))

    def ranks(question: str, doc_id: str) -> tuple[int | None, int | None]:
        mine = [h for h in index.search(question, k=limit) if h.chunk.doc_id == doc_id]
        if len(mine) < chunks_of[doc_id]:
            mine = [h for h in index.search(question, k=max(limit, everything)) if h.chunk.doc_id == doc_id]
        dense = [h.dense_rank for h in mine if h.dense_rank is not None and h.dense_rank <= limit]
        sparse = [h.sparse_rank for h in mine if h.sparse_rank is not None and h.sparse_rank <= limit]
        return (min(dense) if dense else None, min(sparse) if sparse else None)

    return ranks


def load(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return list(json.load(f)["data"])


def read_all(
    data: list[dict[str, Any]],
    config: AnswerConfig,
    limit: int | None = None,
    reader: Reader | None = None,
    ranks: Ranks | None = None,
    rank_log: list[tuple[int | None, int | None]] | None = None,
) -> tuple[list[tuple[str, str, float, list[str], bool]], list[float]]:
    """(id, best text, its score, gold answers, impossible) per question, with no threshold.
    ``ranks``: the given paragraph's retrieval ranks per question (none: unset); each is
    appended to ``rank_log``."""
    config = replace(config, min_score=0.0)
    rows: list[tuple[str, str, float, list[str], bool]] = []
    latencies: list[float] = []
    for article in data:
        for p_i, para in enumerate(article["paragraphs"]):
            passage = Article(doc_id=paragraph_id(article, p_i), title="", text=para["context"])
            for qa in para["qas"]:
                if limit is not None and len(rows) >= limit:
                    return rows, latencies
                golds = [a["text"] for a in qa.get("answers", [])]
                dense, sparse = ranks(qa["question"], passage.doc_id) if ranks else (None, None)
                if rank_log is not None:
                    rank_log.append((dense, sparse))
                searcher = PassageSearcher(passage, dense, sparse)
                started = time.perf_counter()
                result = answer(qa["question"], searcher, config, reader=reader)
                latencies.append((time.perf_counter() - started) * 1000)
                best = result.answers[0] if result.answers else None
                impossible = bool(qa.get("is_impossible", False))
                rows.append((qa["id"], best.text if best else "", best.score if best else 0.0, golds, impossible))
    return rows, latencies


def score(
    rows: list[tuple[str, str, float, list[str], bool]], min_score: float, v2: bool
) -> tuple[dict[str, str], dict[str, Any]]:
    predictions: dict[str, str] = {}
    em: list[float] = []
    f1s: list[float] = []
    has_f1: list[float] = []
    no_acc: list[float] = []
    for qid, best, confidence, golds, impossible in rows:
        text = best if confidence >= min_score else ""
        predictions[qid] = text
        refs = [""] if impossible else golds
        em.append(best_over_golds(exact_match, text, refs))
        f1s.append(best_over_golds(f1, text, refs))
        if v2 and impossible:
            no_acc.append(float(text == ""))
        elif v2:
            has_f1.append(f1s[-1])
    scores: dict[str, Any] = {
        "questions": len(predictions),
        "exact_match": round(100 * statistics.fmean(em), 2),
        "f1": round(100 * statistics.fmean(f1s), 2),
        "answered": round(100 * sum(1 for t in predictions.values() if t) / len(predictions), 2),
    }
    if v2:
        scores["HasAns_f1"] = round(100 * statistics.fmean(has_f1), 2) if has_f1 else None
        scores["NoAns_accuracy"] = round(100 * statistics.fmean(no_acc), 2) if no_acc else None
    return predictions, scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--min-score", type=float, default=AnswerConfig().min_score)
    parser.add_argument("--min-coverage", type=float, default=AnswerConfig().min_coverage)
    parser.add_argument("--reader", choices=["rules", "learned"], default="rules")
    parser.add_argument("--reader-dir", type=Path, help="weights to evaluate (default: the shipped ones)")
    parser.add_argument("--sweep", action="store_true", help="also print scores over a range of min-score values")
    parser.add_argument("--precision", choices=PRECISIONS, default="auto", help="learned reader")
    parser.add_argument("--runtime", choices=RUNTIMES, default="auto", help="learned reader: torch or onnx")
    parser.add_argument(
        "--answer-ranker", choices=["auto", "formula"], default="auto", help="auto: the reader's ranker, if it has one"
    )
    parser.add_argument("--rows", type=Path, help="also write every question's best answer and confidence (JSONL)")
    parser.add_argument(
        "--ranks",
        choices=["index", "none"],
        default="index",
        help="the paragraph's retrieval ranks: from an index of the file's paragraphs, or unset (before session 27)",
    )
    parser.add_argument(
        "--ranks-index", type=Path, help="where that index is kept (default: bench/out/squad-ranks/<data file's name>)"
    )
    args = parser.parse_args()
    config = AnswerConfig(
        top_k=1,
        max_answers=1,
        min_score=args.min_score,
        min_coverage=args.min_coverage,
        reader=args.reader,
        answer_ranker=args.answer_ranker,
    )
    reader = None
    if args.reader == "learned":
        from qa.reader import MODEL_DIR, load_reader

        reader = load_reader(str(args.reader_dir or MODEL_DIR), args.precision, args.runtime)
    data = load(args.data)
    v2 = any("is_impossible" in qa for a in data for p in a["paragraphs"] for qa in p["qas"])
    ranks: Ranks | None = None
    rank_log: list[tuple[int | None, int | None]] = []
    if args.ranks == "index":
        index_dir = args.ranks_index or Path("bench/out/squad-ranks") / args.data.name.split(".json")[0]
        ranks = retrieval_ranks(paragraph_index(data, index_dir), SearchConfig().candidates)
    rows, latencies = read_all(data, config, args.limit, reader, ranks, rank_log)
    if args.rows:
        with args.rows.open("w", encoding="utf-8") as fh:
            for qid, text, confidence, golds, impossible in rows:
                record = {"id": qid, "text": text, "score": confidence, "golds": golds, "impossible": impossible}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.sweep:
        for threshold in [i / 20 for i in range(20)]:
            print(json.dumps({"min_score": threshold, **score(rows, threshold, v2)[1]}))
    predictions, scores = score(rows, args.min_score, v2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(predictions, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = {"data": args.data.name, "reader": args.reader, "min_score": args.min_score}
    if args.reader == "learned":
        summary["answer_ranker"] = args.answer_ranker
    if reader is not None:
        summary.update(reader.describe())
    if args.reader == "rules":
        summary["min_coverage"] = args.min_coverage
    summary["median_ms"] = round(statistics.median(latencies), 2)
    summary["ranks"] = args.ranks
    if ranks is not None and rank_log:
        summary["paragraph_first"] = {
            name: round(100 * sum(1 for r in rank_log if r[i] == 1) / len(rank_log), 2)
            for i, name in enumerate(("dense", "sparse"))
        }
        summary["paragraph_in_neither"] = round(100 * sum(1 for r in rank_log if r == (None, None)) / len(rank_log), 2)
    print(json.dumps({**summary, **scores}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
