"""Benchmark: the learned reader's cost per question and its accuracy, per precision.

    python -m bench.reader_speed --index bench/out/rtqa-index [--questions 100] [--squad-limit 1000]

Workload: real news-quiz questions (dev split), each with the 10 chunks the
retriever returns for it, focused as the answerer focuses them (80 words
around the best-matching sentence). For each variant (PyTorch: bf16 autocast, fp32,
dynamic int8 of every Linear layer, the whole network cast to bf16; ONNX Runtime: fp32 and
per-channel dynamic int8) the reader reads the same passages; the
variants take turns question by question, so they share the machine's state,
each after a pause (``--pause-ms``): ONNX Runtime's worker threads spin for a while after a
call, and without the pause they slow whichever variant comes next (session 11 measured the
same int8 graph at 155 and 98 ms depending on its neighbour). ``NAME@N`` reads N windows per
forward pass instead of the runtime's default (``qa.reader_arithmetic.BATCH``), and
``LABEL:NAME`` runs other weights, named by ``--also LABEL=DIR`` (a distilled reader beside the
shipped one, both in one run).
Accuracy: SQuAD v1.1 dev half A F1 through the same answer path as
``bench.eval_squad`` (first ``--squad-limit`` questions), and how often each
variant's best span on the news workload equals a reference's (``--compare-to``, fp32 by default).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import emit, machine
from bench.eval_news import load_questions
from bench.eval_squad import load, read_all, score
from index.backend import LocalHybridIndex
from qa.answerer import AnswerConfig
from qa.learned import focus
from qa.questions import analyze
from qa.reader import MODEL_DIR, SpanReader
from qa.rules import question_weights

SHARED = Path(__file__).resolve().parent.parent.parent / "shared/data"
# "bf16-weights": the whole network stored in bf16 (LayerNorm, GELU and residual adds too),
# not only the matmuls autocast runs in bf16; a candidate for `bf16` if it keeps the accuracy.
# "onnx-fp32", "onnx-int8": the same weights run by ONNX Runtime (qa.reader_onnx); the plain names run PyTorch.
# "onnx-int8w8": int8 with full 8-bit weights instead of the 7-bit ones of "onnx-int8" (a VNNI CPU has no
# saturating u8 x s8 path for 7 bits to avoid).
VARIANTS = ("bf16", "fp32", "int8", "bf16-weights", "onnx-fp32", "onnx-int8", "onnx-int8w8")


def make_reader(model_dir: Path, variant: str) -> SpanReader:
    if variant == "onnx-int8w8":
        return SpanReader(model_dir, precision="int8", runtime="onnx", int8_weight_bits=8)
    if variant.startswith("onnx-"):
        return SpanReader(model_dir, precision=variant.removeprefix("onnx-"), runtime="onnx")
    if variant != "bf16-weights":
        return SpanReader(model_dir, precision=variant, runtime="torch")
    import torch

    reader = SpanReader(model_dir, precision="bf16", runtime="torch")
    reader.model = reader.model.to(torch.bfloat16)
    return reader


def split_variant(variant: str) -> tuple[str, int | None]:
    """``bf16@4`` -> ("bf16", 4): that reader, 4 windows per forward pass; a plain name reads at
    the runtime's default batch (qa.reader_arithmetic.BATCH)."""
    name, _, batch = variant.partition("@")
    return name, int(batch) if batch else None


def weight_dirs(shipped: Path, also: list[str]) -> dict[str, Path]:
    """The weights each variant label reads: "" (no label) the shipped ones, LABEL those of ``LABEL=DIR``."""
    dirs = {"": shipped}
    for item in also:
        label, sep, path = item.partition("=")
        if not sep or not label or not path or ":" in label:
            raise SystemExit(f"error: --also {item!r}: expected LABEL=DIR, LABEL without ':'")
        dirs[label] = Path(path)
    return dirs


def labelled_reader(dirs: dict[str, Path], name: str) -> SpanReader:
    """The reader a variant name asks for: ``student:onnx-fp32`` is ``onnx-fp32`` over the weights labelled
    "student" (``weight_dirs``); a name without a label reads the shipped weights."""
    label, _, variant = name.rpartition(":")
    return make_reader(dirs[label], variant)


def news_workload(index: Path, n: int, focus_words: int) -> list[tuple[str, list[str]]]:
    backend = LocalHybridIndex(index)
    questions = load_questions(SHARED / "realtimeqa/questions-2022-2024.jsonl", "dev", n)
    work = []
    for q in questions:
        info = analyze(q["question"])
        weights = question_weights(info)
        hits = backend.search(q["question"], k=10)
        passages = []
        for h in hits:
            a, b = focus(h.chunk.text, weights, focus_words)
            passages.append(h.chunk.text[a:b])
        work.append((q["question"], passages))
    return work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--focus-words", type=int, default=AnswerConfig().reader_focus_words)
    parser.add_argument("--squad", type=Path, default=SHARED / "squad/dev-v1.1-a.json.gz")
    parser.add_argument("--squad-limit", type=int, default=1000)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="names from VARIANTS, each optionally @BATCH")
    parser.add_argument("--reader-dir", type=Path, default=MODEL_DIR)
    parser.add_argument(
        "--also", action="append", default=[], metavar="LABEL=DIR", help="other weights, for variants named LABEL:NAME"
    )
    parser.add_argument(
        "--pause-ms",
        type=float,
        default=50.0,
        help="idle time before each timed read: ONNX Runtime's threads spin on after a call and would slow the next",
    )
    parser.add_argument("--compare-to", default="fp32", help="variants whose best news spans the others are matched to")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    dirs = weight_dirs(args.reader_dir, args.also)
    plan = {v: split_variant(v) for v in args.variants.split(",")}
    # One reader per name: "bf16" and "bf16@8" share the model, and its SQuAD pass below.
    readers = {name: labelled_reader(dirs, name) for name, _ in plan.values()}
    work = news_workload(args.index, args.questions, args.focus_words)
    for name, batch in plan.values():  # warm-up: first calls allocate and pick kernels
        for question, passages in work[:3]:
            readers[name].read(question, passages, batch=batch)
    ms: dict[str, list[float]] = {v: [] for v in plan}
    best: dict[str, list[tuple[int, int, int]]] = {v: [] for v in plan}
    for question, passages in work:
        for v, (name, batch) in plan.items():
            time.sleep(args.pause_ms / 1000)  # let the last variant's idle threads stop spinning (not timed)
            started = time.perf_counter()
            guesses = readers[name].read(question, passages, batch=batch)
            ms[v].append((time.perf_counter() - started) * 1000)
            best[v].append((guesses[0].passage, guesses[0].start, guesses[0].end) if guesses else (-1, 0, 0))
    data = load(args.squad)
    config = AnswerConfig(top_k=1, max_answers=1, reader="learned")
    squad: dict[str, dict[str, float]] = {}  # by reader name: SQuAD reads at the default batch
    for name, reader in readers.items():
        rows, squad_ms = read_all(data, config, args.squad_limit, reader)
        f1 = score(rows, 0.0, False)[1]["f1"]
        squad[name] = {"squad_f1": f1, "squad_ms_p50": round(statistics.median(squad_ms), 1)}
    results: dict[str, Any] = {}
    for v, (name, _) in plan.items():
        results[v] = {
            "news_ms_p50": round(statistics.median(ms[v]), 1),
            "news_ms_mean": round(statistics.fmean(ms[v]), 1),
            **squad[name],
        }
        for ref in args.compare_to.split(","):  # how often this variant's best news span is the reference's
            if ref in best:
                same = sum(a == b for a, b in zip(best[v], best[ref], strict=True))
                results[v][f"same_best_span_as_{ref}"] = round(100 * same / len(work), 1)
    for ref in args.compare_to.split(","):
        if ref in results:
            for v in results:
                results[v][f"speedup_vs_{ref}"] = round(results[ref]["news_ms_p50"] / results[v]["news_ms_p50"], 2)
    sizes = [len(p) for _, ps in work for p in ps]
    emit(
        {
            "benchmark": "reader_speed",
            "machine": machine(),
            "questions": len(work),
            "passages_per_question": round(len(sizes) / max(len(work), 1), 1),
            "mean_passage_chars": round(statistics.fmean(sizes), 0) if sizes else 0,
            "squad_questions": args.squad_limit,
            "pause_ms": args.pause_ms,
            "weights": {label or "shipped": str(path) for label, path in dirs.items()},
            "variants": results,
        },
        args.out,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
