"""Fit the answer ranker (``qa.ranking``) on news evidence and score it.

    python -m bench.fit_ranker --train bench/out/s9/evidence-dev-tune.jsonl \
        [--extra MORE-EVIDENCE.jsonl] [--eval bench/out/s9/evidence-test.jsonl] \
        [--write-to qa/reader_model] [--out RESULT.json]

The evidence files come from ``bench.eval_news --evidence`` (every answer the
answerer found for a question, its features, and whether it is a hit). The
ranker is an L2-regularised logistic regression of "this answer is a hit" on
the features, fitted by Newton's method on standardised features. Everything
chosen is chosen on the training questions by 5-fold cross-validation (folds
by question, so no question is both fitted and scored):

* the L2 strength: the best out-of-fold top-1 (then top-5) never abstaining;
* the operating point: the lowest fitted probability at which the ranker
  declines at least as many no-answer questions as the formula does at
  ``--min-score``; the shipped ``offset`` then maps that probability to
  ``--min-score``, so the answerer's threshold settings keep their meaning.

``--extra`` evidence (e.g. questions whose passages the reader trained on)
joins the training rows of every fold and of the final fit, but is never
scored, so every choice above still rests on the ``--train`` questions.

The summary holds those out-of-fold figures beside the formula's on the same
questions, then, with ``--eval``, both on held-out files. ``--write-to DIR``
stores the fitted ranker in that reader directory's ``reader.json``, replacing
the old one with any operating points fitted for it per arithmetic
(``bench.fit_offset``: refit those on the new ranker).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import emit
from bench.eval_news import Outcome, score_at
from index.store import file_digest
from qa.ranking import FEATURES, AnswerRanker
from qa.reader import CONFIG_FILE

L2_GRID = (0.01, 0.1, 1.0, 10.0, 100.0)
THRESHOLDS = tuple(round(t / 100, 2) for t in range(0, 100, 5))
FINE = tuple(round(t / 1000, 3) for t in range(1, 1000))  # operating points searched
FOLDS = 5

Scores = list[list[float]]  # per question, per answer


def load_evidence(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def matrix(questions: Sequence[dict[str, Any]], features: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = [[a[f] for f in features] for q in questions for a in q["answers"]]
    hits = [float(a["hit"]) for q in questions for a in q["answers"]]
    return np.asarray(rows, dtype=np.float64).reshape(-1, len(features)), np.asarray(hits)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Weights and intercept minimising mean log-loss + l2/(2n) × |w|² (intercept unpenalised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2 / n)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (p - y) / n + penalty * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb / n + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def fit_ranker(questions: Sequence[dict[str, Any]], features: Sequence[str], l2: float) -> AnswerRanker:
    x, y = matrix(questions, features)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0  # a constant feature: nothing to learn from it
    coef, intercept = fit_logistic((x - mean) / scale, y, l2)
    return AnswerRanker(tuple(features), tuple(mean), tuple(scale), tuple(coef), intercept)


def ranker_scores(questions: Sequence[dict[str, Any]], ranker: AnswerRanker) -> Scores:
    return [[ranker.probability(a) for a in q["answers"]] for q in questions]


def formula_scores(questions: Sequence[dict[str, Any]]) -> Scores:
    return [[a["confidence"] for a in q["answers"]] for q in questions]


def outcomes(questions: Sequence[dict[str, Any]], scores: Scores) -> list[Outcome]:
    """Each question's answers ranked by ``scores``, the top 5, as ``bench.eval_news`` scores them."""
    result = []
    for q, row in zip(questions, scores, strict=True):
        top = sorted(zip(row, (a["text"] for a in q["answers"]), strict=True), key=lambda t: -t[0])[:5]
        result.append(Outcome(q["gold"], q["answerable"], tuple(s for s, _ in top), tuple(t for _, t in top)))
    return result


def cross_validated(
    questions: Sequence[dict[str, Any]],
    features: Sequence[str],
    l2: float,
    extra: Sequence[dict[str, Any]] = (),
) -> Scores:
    """Out-of-fold probabilities: each fifth of the questions scored by a ranker fitted on the rest.

    ``extra`` questions join every fold's training rows and are never scored.
    """
    result: Scores = [[] for _ in questions]
    for k in range(FOLDS):
        ranker = fit_ranker([*extra, *(q for i, q in enumerate(questions) if i % FOLDS != k)], features, l2)
        for i, q in enumerate(questions):
            if i % FOLDS == k:
                result[i] = ranker_scores([q], ranker)[0]
    return result


def operating_point(ranked: Sequence[Outcome], declines: float) -> float:
    """The lowest threshold at which ``ranked`` declines at least ``declines`` % of no-answer questions."""
    for t in FINE:
        if score_at(ranked, t)["abstained_on_others"] >= declines:
            return t
    return FINE[-1]


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def shift(scores: Scores, offset: float) -> Scores:
    """Probabilities moved by ``offset`` in logit, as ``AnswerRanker.offset`` moves them."""

    def moved(p: float) -> float:
        return 1.0 / (1.0 + math.exp(-(logit(min(max(p, 1e-12), 1 - 1e-12)) + offset)))

    return [[moved(p) for p in row] for row in scores]


def sweep(ranked: Sequence[Outcome], alternative: float) -> dict[str, dict[str, float]]:
    return {str(t): score_at(ranked, t, min(alternative, t)) for t in THRESHOLDS}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, required=True, nargs="+")
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[],
        help="evidence fitted on in every fold and in the final fit, never scored (choices rest on --train alone)",
    )
    parser.add_argument("--eval", type=Path, nargs="*", default=[])
    parser.add_argument("--features", nargs="+", default=list(FEATURES), choices=list(FEATURES))
    parser.add_argument("--l2", type=float, help="fix the L2 strength (default: chosen by cross-validation)")
    parser.add_argument("--min-score", type=float, default=0.25, help="the answerer's threshold (default 0.25)")
    parser.add_argument("--alternative", type=float, default=0.1, help="min_alternative_score (default 0.1)")
    parser.add_argument("--write-to", type=Path, help="a reader directory whose reader.json gets the ranker")
    parser.add_argument("--out", type=Path, help="also write the summary here")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    train = [q for path in args.train for q in load_evidence(path)]
    extra = [q for path in args.extra for q in load_evidence(path)]
    grid = (args.l2,) if args.l2 is not None else L2_GRID
    cv_scores = {l2: cross_validated(train, args.features, l2, extra) for l2 in grid}
    cv = {l2: outcomes(train, scores) for l2, scores in cv_scores.items()}
    chosen = max(grid, key=lambda l2: (score_at(cv[l2], 0.0)["top1"], score_at(cv[l2], 0.0)["top5"]))
    formula = outcomes(train, formula_scores(train))
    declines = score_at(formula, args.min_score)["abstained_on_others"]
    point = operating_point(cv[chosen], declines)
    offset = logit(args.min_score) - logit(point)
    oof = outcomes(train, shift(cv_scores[chosen], offset))
    ranker = replace(fit_ranker([*extra, *train], args.features, chosen), offset=offset)

    def compared(ranked: list[Outcome], baseline: list[Outcome]) -> dict[str, Any]:
        return {
            "at_min_score": {
                "ranker": score_at(ranked, args.min_score, args.alternative),
                "formula": score_at(baseline, args.min_score, args.alternative),
            },
            "never_abstain": {"ranker": score_at(ranked, 0.0), "formula": score_at(baseline, 0.0)},
            "sweep": {"ranker": sweep(ranked, args.alternative), "formula": sweep(baseline, args.alternative)},
        }

    summary: dict[str, Any] = {
        "train": [str(p) for p in args.train],
        "train_questions": len(train),
        "extra": [str(p) for p in args.extra],
        "extra_questions": len(extra),
        "train_answers": sum(len(q["answers"]) for q in train),
        "features": list(args.features),
        "l2": chosen,
        "cv_never_abstain_by_l2": {str(l2): score_at(o, 0.0) for l2, o in cv.items()},
        "operating_point": {"probability": point, "offset": round(offset, 4), "formula_declines": declines},
        "cv": compared(oof, formula),
        "ranker": ranker.to_dict(),
    }
    for path in args.eval:
        held_out = load_evidence(path)
        ranked = outcomes(held_out, ranker_scores(held_out, ranker))
        summary[f"eval:{path}"] = {
            "questions": len(held_out),
            **compared(ranked, outcomes(held_out, formula_scores(held_out))),
        }
    if args.write_to:
        meta_path = args.write_to / CONFIG_FILE
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        fitted_on = [{"file": p.name, "sha256": file_digest(p)} for p in [*args.train, *args.extra]]
        meta["ranker"] = {
            **ranker.to_dict(),
            "weights_sha256": meta.get("sha256"),
            "fitted_on": fitted_on,
            "l2": chosen,
        }
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    summary["seconds"] = round(time.perf_counter() - started, 1)
    emit(summary, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
