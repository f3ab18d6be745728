"""Reader-only evaluation on official SQuAD v1.1 / v2.0 JSON: every question is
answered from its own paragraph. Writes the official prediction format
{question_id: answer_text} ("" = no answer) and prints the scores as JSON on
its last line.

    python -m bench.eval_squad --data ../shared/data/squad/dev-v1.1-a.json.gz --out bench/out/pred-v11.json
    python -m bench.eval_squad --reader learned --data ../shared/data/squad/dev-v2.0-a.json.gz \
        --out bench/out/pred-v20.json --sweep

Every question's best candidate and its confidence are kept, so ``--sweep``
scores a range of abstention thresholds from one pass (calibration).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.squad_metrics import best_over_golds, exact_match, f1
from index.types import Article, Chunk, Hit, SearchFilters
from qa.answerer import AnswerConfig, answer
from qa.learned import Reader
from qa.reader_arithmetic import PRECISIONS, RUNTIMES


class PassageSearcher:
    """A one-passage 'archive': the reader sees exactly the given paragraph."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.hit = Hit(row=0, chunk=Chunk(article.doc_id, 0, len(article.text), article.text), score=1.0)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        return [self.hit]

    def get_article(self, doc_id: str) -> Article | None:
        return self.article if doc_id == self.article.doc_id else None


def load(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return list(json.load(f)["data"])


def read_all(
    data: list[dict[str, Any]], config: AnswerConfig, limit: int | None = None, reader: Reader | None = None
) -> tuple[list[tuple[str, str, float, list[str], bool]], list[float]]:
    """(id, best text, its score, gold answers, impossible) per question, with no threshold."""
    config = replace(config, min_score=0.0)
    rows: list[tuple[str, str, float, list[str], bool]] = []
    latencies: list[float] = []
    for article in data:
        for p_i, para in enumerate(article["paragraphs"]):
            searcher = PassageSearcher(Article(doc_id=f"{article['title']}-{p_i}", title="", text=para["context"]))
            for qa in para["qas"]:
                if limit is not None and len(rows) >= limit:
                    return rows, latencies
                golds = [a["text"] for a in qa.get("answers", [])]
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
    rows, latencies = read_all(data, config, args.limit, reader)
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
    print(json.dumps({**summary, **scores}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
