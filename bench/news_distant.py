"""Reader training examples from real news quizzes, by distant supervision (as DrQA did).

    python -m bench.news_distant --index bench/out/rtqa-index --out bench/out/news-distant.jsonl

For every question of the ``dev-train`` split (bench.eval_news) the answerer
runs as it does in production (same retrieval, time window, chunk focus), but
with a reader that only records what it is given: the exact passages the
learned reader would read for that question. A passage that holds the gold
answer as whole words (case and quote style folded) becomes a positive
example, its first occurrence the target span; one that does not becomes a
"no answer" example. Questions whose answer is in no article give negatives
only. So the reader learns on the distribution it meets: news prose, ~80-word
windows, 15 passages of which most do not answer.

Writes one JSON line per example: ``{"id", "question", "context",
"answer_start" (-1: none), "answer_text"}``; a summary goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.eval_news import SPLITS, load_questions
from index.backend import LocalHybridIndex
from qa.answerer import AnswerConfig, answer
from qa.reader import SpanGuess

SHARED = Path(__file__).resolve().parent.parent.parent / "shared/data"
# One character for one, so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class RecordingReader:
    """Stands in for the learned reader: keeps the passages, proposes nothing."""

    def __init__(self) -> None:
        self.passages: list[str] = []

    def read(
        self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
    ) -> list[SpanGuess]:
        self.passages = list(passages)
        return []


def answer_span(passage: str, gold: str) -> tuple[int, str] | None:
    """The first whole-word occurrence of ``gold`` in ``passage`` (case and quotes folded)."""
    core = gold.translate(_FOLD).strip().strip("\"'.,;:!?").strip()
    if not core:
        return None
    pattern = r"(?<!\w)" + re.escape(core).replace(r"\ ", r"\s+") + r"(?!\w)"
    found = re.search(pattern, passage.translate(_FOLD), flags=re.IGNORECASE)
    return (found.start(), passage[found.start() : found.end()]) if found else None


def examples_for(question: dict[str, Any], passages: list[str], negatives: int, rng: random.Random) -> list[dict]:
    """All positives, and up to ``negatives`` passages without the answer (at random)."""
    pos, neg = [], []
    for passage in passages:
        span = answer_span(passage, question["answer"]) if question.get("answer_in_docs") else None
        row = {"id": question["id"], "question": question["question"], "context": passage}
        if span is None:
            neg.append({**row, "answer_start": -1, "answer_text": ""})
        else:
            pos.append({**row, "answer_start": span[0], "answer_text": span[1]})
    return pos + rng.sample(neg, min(negatives, len(neg)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--questions", type=Path, default=SHARED / "realtimeqa/questions-2022-2024.jsonl")
    p.add_argument("--split", choices=SPLITS, default="dev-train")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--negatives", type=int, default=4, help="passages without the answer kept per question")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument(
        "--reader-passages", type=int, default=AnswerConfig().reader_passages, help="passages read per question"
    )
    args = p.parse_args(argv)
    if args.split in ("test", "all", "dev"):
        p.error("train on dev-train only: dev-tune chooses settings and test stays untouched")

    backend = LocalHybridIndex(args.index)
    config = AnswerConfig(
        min_score=0.0, top_k=max(AnswerConfig().top_k, args.reader_passages), reader_passages=args.reader_passages
    )
    rng = random.Random(args.seed)
    questions = load_questions(args.questions, args.split, None)
    counts = {"questions": len(questions), "positive": 0, "negative": 0, "answerable_with_positive": 0}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for n, q in enumerate(questions, 1):
            reader = RecordingReader()
            today = dt.date.fromisoformat(q["date"].replace("/", "-"))  # "this week" = the quiz's week
            answer(q["question"], backend, replace(config, today=today), reader=reader)
            rows = examples_for(q, reader.passages, args.negatives, rng)
            positives = sum(r["answer_start"] >= 0 for r in rows)
            counts["positive"] += positives
            counts["negative"] += len(rows) - positives
            counts["answerable_with_positive"] += positives > 0
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"\r{n}/{len(questions)} questions", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
