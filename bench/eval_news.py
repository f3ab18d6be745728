"""Open-domain evaluation on real news quizzes (RealTimeQA 2022-2024).

    python -m bench.eval_news --articles ../shared/data/realtimeqa/articles-2022-2024.jsonl.gz \
        --questions ../shared/data/realtimeqa/questions-2022-2024.jsonl --index bench/out/rtqa-index \
        --out bench/out/news-pred.jsonl [--limit N] [--split dev|test|all]

Builds the index from the articles into --index unless one is there, then asks
every question over the whole archive (no gold article given). Writes one JSON
line per question and prints, as JSON on the last line, top-1 / top-5 hit rates
over the questions whose answer occurs verbatim in some article
(`answer_in_docs`), and retrieval recall@k (a top-k chunk comes from such an
article). A hit: the normalized gold answer occurs, as whole words, in the
normalized answer text, and the answer is at most about twice as long as the gold.

Split: questions are split into dev and test by a hash of their id, so any
tuning on dev leaves test untouched. dev is halved again (dev-train: the
reader's news training questions, dev-tune: for tuning after that training).

``--sweep``: the answerer keeps nothing unless the best answer reaches
``min_score``, then the answers down to ``min_alternative_score``; a run at
``--min-score 0`` keeps all five, so every higher threshold can be scored
exactly from it (the same ranked list, filtered); the summary then holds
top-1/top-5/abstention per threshold, for calibrating in one pass.

``--evidence FILE``: also writes, per question, every answer the answerer
found (not just the five shown) with its evidence and whether it is a hit:
the data ``bench.fit_ranker`` fits the answer ranker on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import statistics
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.squad_metrics import normalize_answer
from index import store
from index.backend import LocalHybridIndex, SearchConfig
from index.builder import IndexConfig, build_index
from index.embedding import load_embedder
from qa.answerer import AnswerConfig, answer, confident_indices
from qa.reader_arithmetic import PRECISIONS, RUNTIMES

RECALL_AT = (1, 5, 10, 20)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalize(text: str) -> str:
    """Quote style and Unicode form folded, then the official SQuAD normalization."""
    return normalize_answer(unicodedata.normalize("NFKC", text).translate(_QUOTES))


def is_hit(prediction: str, gold: str) -> bool:
    """Whole words: "100" is in "more than 100" but not in "1000"."""
    pred, ref = normalize(prediction), normalize(gold)
    return bool(ref) and f" {ref} " in f" {pred} " and len(pred) <= 2 * len(ref) + 10


SPLITS = ("dev", "test", "all", "dev-train", "dev-tune")


def split_of(question_id: str) -> str:
    """dev or test, by a hash of the id (half each)."""
    return "dev" if int(hashlib.sha1(question_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def dev_part(question_id: str) -> str:
    """dev-train or dev-tune: the dev half halved again by the same hash's next bit. dev-train
    is what the reader's news stage trains on (bench.news_distant); dev-tune is for choosing
    settings after it; test stays untouched."""
    return "dev-train" if (int(hashlib.sha1(question_id.encode()).hexdigest(), 16) >> 1) % 2 == 0 else "dev-tune"


def in_split(question_id: str, split: str) -> bool:
    if split == "all":
        return True
    if split in ("dev", "test"):
        return split_of(question_id) == split
    return split_of(question_id) == "dev" and dev_part(question_id) == split


@dataclass(frozen=True)
class Outcome:
    """One question's answers (best first) and the gold, enough to score any threshold."""

    gold: str
    answerable: bool
    scores: tuple[float, ...]
    texts: tuple[str, ...]


def score_at(outcomes: Sequence[Outcome], threshold: float, alternative: float | None = None) -> dict[str, float]:
    """top-1/top-5 over answerable questions and abstention rates, as the answerer would
    keep answers at ``min_score=threshold``, ``min_alternative_score=alternative`` (default: the same)."""
    alternative = threshold if alternative is None else alternative
    top1 = top5 = abstained = abstained_other = answerable = 0
    for o in outcomes:
        texts = [o.texts[i] for i in confident_indices(o.scores, threshold, alternative)]
        if not o.answerable:
            abstained_other += not texts
            continue
        answerable += 1
        abstained += not texts
        top1 += bool(texts) and is_hit(texts[0], o.gold)
        top5 += any(is_hit(t, o.gold) for t in texts[:5])
    n, others = max(answerable, 1), max(len(outcomes) - answerable, 1)
    return {
        "top1": round(100 * top1 / n, 2),
        "top5": round(100 * top5 / n, 2),
        "abstained_on_answerable": round(100 * abstained / n, 2),
        "abstained_on_others": round(100 * abstained_other / others, 2),
    }


def load_questions(path: Path, split: str, limit: int | None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        questions = [json.loads(line) for line in f if line.strip()]
    questions = [q for q in questions if in_split(q["id"], split)]
    return questions[:limit] if limit else questions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--model", default="all-MiniLM-L6-v2", help="for building only")
    parser.add_argument("--top-k", type=int, default=AnswerConfig().top_k)
    parser.add_argument("--min-score", type=float, default=AnswerConfig().min_score)
    parser.add_argument("--min-alternative-score", type=float, default=AnswerConfig().min_alternative_score)
    parser.add_argument("--min-coverage", type=float, default=AnswerConfig().min_coverage)
    parser.add_argument("--reader", choices=["rules", "learned"], default="rules")
    parser.add_argument("--reader-dir", type=Path, help="learned reader weights (default: the shipped ones)")
    parser.add_argument("--precision", choices=PRECISIONS, default="auto", help="learned reader's arithmetic")
    parser.add_argument("--runtime", choices=RUNTIMES, default="auto", help="learned reader: torch or onnx")
    parser.add_argument("--reader-passages", type=int, default=AnswerConfig().reader_passages)
    parser.add_argument("--focus-words", type=int, default=AnswerConfig().reader_focus_words)
    parser.add_argument("--reader-spans", type=int, default=AnswerConfig().reader_spans, help="spans per passage")
    parser.add_argument("--recent-days", type=int, default=AnswerConfig().recent_days)
    parser.add_argument("--recent-passages", type=int, default=AnswerConfig().recent_passages)
    parser.add_argument("--outside-recent", type=float, default=AnswerConfig().outside_recent)
    parser.add_argument(
        "--answer-ranker", choices=["auto", "formula"], default="auto", help="auto: the reader's ranker, if it has one"
    )
    parser.add_argument("--evidence", type=Path, help="write every answer's evidence here (JSON lines)")
    parser.add_argument(
        "--sweep", action="store_true", help="also score every threshold from --min-score up (see above)"
    )
    parser.add_argument(
        "--question-date", action="store_true", help="'this week' etc. mean the week the quiz was published"
    )
    fusion = SearchConfig()
    parser.add_argument("--rrf-k", type=float, default=fusion.rrf_k, help="hybrid fusion: RRF's constant")
    parser.add_argument("--dense-weight", type=float, default=fusion.dense_weight, help="the dense list's RRF weight")
    parser.add_argument("--candidates", type=int, default=fusion.candidates, help="per retriever, before fusion")
    args = parser.parse_args(argv)

    if not store.has_index(args.index):
        build_index([args.articles], args.index, load_embedder(args.model), IndexConfig(model=args.model), quiet=False)
    search = SearchConfig(candidates=args.candidates, rrf_k=args.rrf_k, dense_weight=args.dense_weight)
    backend = LocalHybridIndex(args.index, search_config=search)
    # Every answer comes back (thresholds 0, no cap); the shown ones are then picked by the
    # answerer's own rule, so the evidence file can hold all of them.
    config = AnswerConfig(
        top_k=args.top_k,
        max_answers=1000,
        min_score=0.0,
        min_alternative_score=0.0,
        min_coverage=args.min_coverage,
        reader=args.reader,
        reader_passages=args.reader_passages,
        reader_focus_words=args.focus_words,
        reader_spans=args.reader_spans,
        recent_days=args.recent_days,
        recent_passages=args.recent_passages,
        outside_recent=args.outside_recent,
        answer_ranker=args.answer_ranker,
    )
    reader = None
    if args.reader == "learned":
        from qa.reader import MODEL_DIR, load_reader

        reader = load_reader(str(args.reader_dir or MODEL_DIR), args.precision, args.runtime)
    questions = load_questions(args.questions, args.split, args.limit)

    outcomes: list[Outcome] = []
    recall = dict.fromkeys(RECALL_AT, 0)
    latencies: list[float] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as files:
        out = files.enter_context(args.out.open("w", encoding="utf-8"))
        evidence = files.enter_context(args.evidence.open("w", encoding="utf-8")) if args.evidence else None
        for q in questions:
            started = time.perf_counter()
            if args.question_date:
                config = replace(config, today=dt.date.fromisoformat(q["date"].replace("/", "-")))
            result = answer(q["question"], backend, config, reader=reader)
            latencies.append((time.perf_counter() - started) * 1000)
            ranked = [a.score for a in result.answers]
            shown = [result.answers[i] for i in confident_indices(ranked, args.min_score, args.min_alternative_score)]
            answers = [
                {"text": a.text, "quote": a.quote, "score": round(a.score, 4), "citation": a.to_dict()["citation"]}
                for a in shown[:5]
            ]
            out.write(json.dumps({"id": q["id"], "answers": answers, "no_answer": not answers}) + "\n")
            gold_docs = set(q.get("answer_in_docs") or [])
            if evidence is not None:
                found = [{"text": a.text, "hit": is_hit(a.text, q["answer"]), **a.evidence} for a in result.answers]
                row = {"id": q["id"], "gold": q["answer"], "answerable": bool(gold_docs), "answers": found}
                evidence.write(json.dumps(row) + "\n")
            outcomes.append(
                Outcome(
                    gold=q["answer"],
                    answerable=bool(gold_docs),
                    scores=tuple(a.score for a in result.answers[:5]),
                    texts=tuple(a.text for a in result.answers[:5]),
                )
            )
            if gold_docs:
                hits = backend.search(q["question"], k=max(RECALL_AT))
                for k in RECALL_AT:
                    recall[k] += any(h.chunk.doc_id in gold_docs for h in hits[:k])
    answerable = sum(o.answerable for o in outcomes)
    n = max(answerable, 1)
    summary: dict[str, Any] = {
        "questions": len(questions),
        "split": args.split,
        "with_answer_in_docs": answerable,
        **score_at(outcomes, args.min_score, args.min_alternative_score),
        **{f"recall@{k}": round(100 * v / n, 2) for k, v in recall.items()},
        "median_ms": round(statistics.median(latencies), 1) if latencies else None,
        "index": backend.info()["version"],
        "reader": args.reader,
        "fusion": {"rrf_k": args.rrf_k, "dense_weight": args.dense_weight, "candidates": args.candidates},
        "settings": {
            "top_k": args.top_k,
            "min_score": args.min_score,
            "min_alternative_score": args.min_alternative_score,
            "reader_passages": args.reader_passages,
            "focus_words": args.focus_words,
            "reader_spans": args.reader_spans,
            "question_date": args.question_date,
            "recent_days": args.recent_days,
            "recent_passages": args.recent_passages,
            "outside_recent": args.outside_recent,
            "answer_ranker": args.answer_ranker,
            **(reader.describe() if reader is not None else {}),
        },
    }
    if args.sweep:
        grid = sorted({round(t / 100, 2) for t in range(0, 100, 5)} | {args.min_score})
        alt = args.min_alternative_score
        summary["sweep"] = {str(t): score_at(outcomes, t, alt) for t in grid if t >= args.min_score}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
