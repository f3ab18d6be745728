"""A small news archive for runs that cannot afford the full one (reader speed, paired reader
comparisons): the evidence and answer articles of the first N questions of a split, plus random
other articles up to a size.

    python -m bench.mini_archive --out bench/out/mini/articles.jsonl     # 1,500 articles, dev-tune's first 200
    qa index build bench/out/mini/articles.jsonl --index bench/out/mini/index

Every question among those N finds its evidence in it, so its figures are far above the full
archive's: use it to compare readers or runtimes with each other, not to report the product.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

from bench.eval_news import SPLITS, load_questions

SHARED = Path(__file__).resolve().parent.parent.parent / "shared/data/realtimeqa"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, default=SHARED / "articles-2022-2024.jsonl.gz")
    parser.add_argument("--questions", type=Path, default=SHARED / "questions-2022-2024.jsonl")
    parser.add_argument("--split", choices=SPLITS, default="dev-tune")
    parser.add_argument("--first", type=int, default=200, help="questions whose articles are kept")
    parser.add_argument("--size", type=int, default=1500, help="articles in all")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    wanted: set[str] = set()
    for q in load_questions(args.questions, args.split, args.first):
        wanted.update(q.get("evidence_docs", []))
        wanted.update(q.get("answer_in_docs", []))
    kept: list[str] = []
    others: list[str] = []
    with gzip.open(args.articles, "rt", encoding="utf-8") as f:
        for line in f:
            (kept if json.loads(line)["doc_id"] in wanted else others).append(line)
    kept += random.Random(args.seed).sample(others, max(0, args.size - len(kept)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(kept), encoding="utf-8")
    print(json.dumps({"articles": len(kept), "evidence_articles": len(wanted), "out": str(args.out)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
