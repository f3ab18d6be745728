"""Fit the shipped answer ranker's operating point for one reader arithmetic.

    python -m bench.fit_offset --arithmetic onnx-int8w7 \
        --evidence bench/out/s12/evidence-dev-tune-int8.jsonl \
        --match bench/out/s12/evidence-dev-tune-bf16.jsonl [--reader-dir DIR] [--write] [--out RESULT.json]

Another arithmetic (int8 instead of bf16) moves the reader's scores a little,
so the ranker fitted on one arithmetic's evidence declines at another rate on
another's. This keeps the ranker's coefficients and moves only its offset for
``--arithmetic``: scored by the shipped ranker, ``--evidence`` (that
arithmetic's answers, from ``bench.eval_news --evidence``) must decline at
``--min-score`` at least the share of no-answer questions that ``--match``
(the reference arithmetic's answers to the same questions) declines with the
shipped offset. The threshold is found by ``bench.fit_ranker``'s own
``operating_point`` and mapped to ``--min-score``, as the shipped offset was.
``--write`` stores it in ``reader.json`` under ``ranker.offsets``, which
``qa.reader.read_ranker`` reads for that arithmetic (a full refit by
``bench.fit_ranker`` drops them: they belong to the coefficients they were fitted with).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import emit
from bench.eval_news import score_at
from bench.fit_ranker import FINE, load_evidence, logit, operating_point, outcomes, ranker_scores
from index.store import file_digest
from qa.ranking import AnswerRanker
from qa.reader import CONFIG_FILE, MODEL_DIR, read_meta, read_ranker
from qa.reader_arithmetic import ARITHMETICS


def fit_offset(
    ranker: AnswerRanker, evidence: Sequence[dict[str, Any]], declines: float, min_score: float
) -> float | None:
    """The offset at which ``ranker`` declines at least ``declines`` % of ``evidence``'s no-answer
    questions at ``min_score`` (None when no threshold below 1 does)."""
    ranked = outcomes(evidence, ranker_scores(evidence, ranker))
    threshold = operating_point(ranked, declines)
    if score_at(ranked, threshold)["abstained_on_others"] < declines:
        return None
    return ranker.offset + logit(min_score) - logit(threshold)


def figures(evidence: Sequence[dict[str, Any]], ranker: AnswerRanker, min_score: float, alternative: float) -> Any:
    ranked = outcomes(evidence, ranker_scores(evidence, ranker))
    return {"at_min_score": score_at(ranked, min_score, alternative), "never_abstain": score_at(ranked, 0.0)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arithmetic", required=True, choices=ARITHMETICS, help="whose operating point to fit")
    parser.add_argument("--evidence", type=Path, required=True, help="that arithmetic's evidence")
    parser.add_argument("--match", type=Path, required=True, help="the reference arithmetic's, same questions")
    parser.add_argument("--reader-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--min-score", type=float, default=0.25, help="the answerer's threshold (default 0.25)")
    parser.add_argument("--alternative", type=float, default=0.1, help="min_alternative_score (default 0.1)")
    parser.add_argument("--write", action="store_true", help="store the offset in --reader-dir's reader.json")
    parser.add_argument("--out", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)

    meta = read_meta(args.reader_dir)
    ranker = read_ranker(meta, args.reader_dir)
    if ranker is None:
        parser.error(f"{args.reader_dir / CONFIG_FILE} holds no answer ranker (fit one: bench.fit_ranker)")
    evidence, match = load_evidence(args.evidence), load_evidence(args.match)
    if sorted(q["id"] for q in evidence) != sorted(q["id"] for q in match):
        parser.error("--evidence and --match must answer the same questions")
    target = figures(match, ranker, args.min_score, args.alternative)
    declines = target["at_min_score"]["abstained_on_others"]
    offset = fit_offset(ranker, evidence, declines, args.min_score)
    if offset is None:
        parser.error(f"no threshold below {FINE[-1]} declines {declines}% of the no-answer questions")
    summary = {
        "arithmetic": args.arithmetic,
        "questions": len(evidence),
        "reference": {"file": str(args.match), **target},
        "shared_offset": {"offset": ranker.offset, **figures(evidence, ranker, args.min_score, args.alternative)},
        "own_offset": {
            "offset": round(offset, 6),
            **figures(evidence, replace(ranker, offset=offset), args.min_score, args.alternative),
        },
    }
    if args.write:
        path = args.reader_dir / CONFIG_FILE
        stored = json.loads(path.read_text(encoding="utf-8"))
        stored["ranker"].setdefault("offsets", {})[args.arithmetic] = round(offset, 6)
        stored["ranker"].setdefault("offsets_fitted_on", {})[args.arithmetic] = {
            "evidence": {"file": args.evidence.name, "sha256": file_digest(args.evidence)},
            "match": {"file": args.match.name, "sha256": file_digest(args.match)},
            "declines": declines,
        }
        path.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    emit(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
