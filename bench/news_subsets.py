"""Rescore saved news predictions, overall and on the questions a news-trained reader never saw near.

    python -m bench.news_subsets --pred bench/out/news-test.jsonl [--min-score 0.25]

The reader's news stage trains on the ``dev-train`` questions (bench.news_distant).
Test questions from the same weeks may ask about the same articles, which would
flatter a reader that learnt those articles' answers. So besides the whole
split, this scores the questions that share **no** article (evidence or
answer-bearing) with any dev-train question, and those that share one. Reads
an eval_news predictions file (answers best first with their scores) and scores
it at any threshold exactly as the answerer would keep answers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.eval_news import Outcome, in_split, score_at
from qa.answerer import AnswerConfig

SHARED = Path(__file__).resolve().parent.parent.parent / "shared/data"


def articles_of(question: dict[str, Any]) -> set[str]:
    return set(question.get("evidence_docs") or []) | set(question.get("answer_in_docs") or [])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pred", type=Path, required=True)
    p.add_argument("--questions", type=Path, default=SHARED / "realtimeqa/questions-2022-2024.jsonl")
    p.add_argument("--min-score", type=float, default=AnswerConfig().min_score)
    p.add_argument("--min-alternative-score", type=float, default=AnswerConfig().min_alternative_score)
    args = p.parse_args(argv)

    with args.questions.open(encoding="utf-8") as f:
        questions = [json.loads(line) for line in f if line.strip()]
    # Ids are not unique in the data (RealTimeQA reuses 20230414_20 for two questions), and
    # eval_news writes predictions in question order: the n-th prediction for an id is the n-th
    # question with it.
    by_id: dict[str, list[dict[str, Any]]] = {}
    for q in questions:
        by_id.setdefault(q["id"], []).append(q)
    trained_on = set().union(*(articles_of(q) for q in questions if in_split(q["id"], "dev-train")))
    groups: dict[str, list[Outcome]] = {"all": [], "no_article_shared": [], "article_shared": []}
    with args.pred.open(encoding="utf-8") as f:
        for row in map(json.loads, filter(str.strip, f)):
            q = by_id[row["id"]].pop(0)
            if in_split(q["id"], "dev-train"):
                continue  # never score training questions
            answers = row["answers"]
            outcome = Outcome(
                gold=q["answer"],
                answerable=bool(q.get("answer_in_docs")),
                scores=tuple(a["score"] for a in answers),
                texts=tuple(a["text"] for a in answers),
            )
            groups["all"].append(outcome)
            groups["article_shared" if articles_of(q) & trained_on else "no_article_shared"].append(outcome)
    summary = {
        name: {
            "questions": len(group),
            "answerable": sum(o.answerable for o in group),
            "shipped": score_at(group, args.min_score, args.min_alternative_score),
            "never_abstain": score_at(group, 0.0, 0.0),
        }
        for name, group in groups.items()
    }
    print(json.dumps({"pred": str(args.pred), **summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
