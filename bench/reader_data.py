"""Training data for the span reader: examples, token windows with their labels, batch plans.

Pure functions of their inputs (and a seed), so a resumed or repeated run sees
exactly the same windows in the same order. Used by ``bench.train_reader``.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.chunking import split_sentences
from qa.reader_windows import WindowConfig, encode_windows

TRAIN = Path(__file__).resolve().parents[2] / "shared/data/squad/train-v1.1.json.gz"


def without_answer(context: str, a_start: int, a_text: str) -> str | None:
    """The paragraph minus every sentence overlapping the answer; None when the answer survives."""
    a_end = a_start + len(a_text)
    kept = [context[s:e] for s, e in split_sentences(context) if e <= a_start or s >= a_end]
    rest = " ".join(kept)
    if len(rest.split()) < 20 or a_text.casefold() in rest.casefold():
        return None
    return rest


def load_examples(
    path: Path, negatives: float, seed: int, hard_negatives: float = 0.0
) -> list[tuple[str, str, int, str]]:
    """(question, context, answer_start, answer_text); answer_start -1 = no answer."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)["data"]
    rng = random.Random(seed)
    hard_rng = random.Random(seed + 1)  # its own stream: stage-1 examples stay identical
    out: list[tuple[str, str, int, str]] = []
    for article in data:
        paragraphs = [p["context"] for p in article["paragraphs"]]
        for pi, para in enumerate(article["paragraphs"]):
            for qa in para["qas"]:
                ans = qa["answers"][0]
                out.append((qa["question"], para["context"], ans["answer_start"], ans["text"]))
                if rng.random() < negatives and len(paragraphs) > 1:
                    other = rng.choice([c for i, c in enumerate(paragraphs) if i != pi])
                    if ans["text"].casefold() not in other.casefold():
                        out.append((qa["question"], other, -1, ""))
                if hard_negatives and hard_rng.random() < hard_negatives:
                    rest = without_answer(para["context"], ans["answer_start"], ans["text"])
                    if rest is not None:
                        out.append((qa["question"], rest, -1, ""))
    return out


def load_news(path: Path, repeat: int) -> tuple[list[tuple[str, str, int, str]], list[str]]:
    """Distantly supervised news examples (bench.news_distant), each ``repeat`` times, and
    the group of each: its question and repeat. One group is every passage one question's
    answerer read, trained together under ``--shared-norm``."""
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    examples = [(r["question"], r["context"], r["answer_start"], r["answer_text"]) for r in rows] * repeat
    groups = [f"{r['id']}#{k}" for k in range(repeat) for r in rows]
    return examples, groups


def make_features(tokenizer: Any, examples: list[tuple[str, str, int, str]], cfg: WindowConfig) -> list[tuple]:
    """(input_ids, token_type_ids, start_token, end_token, example index) per window."""
    feats: list[tuple] = []
    step = 2000
    for lo in range(0, len(examples), step):
        part = examples[lo : lo + step]
        for w in encode_windows(tokenizer, [e[0] for e in part], [e[1] for e in part], cfg):
            _, _, a_start, a_text = part[w.owner]
            offsets = w.offsets
            ctx = [t for t, s in enumerate(w.sequence_ids) if s == 1]
            start_tok = end_tok = 0
            if a_start >= 0 and ctx:
                a_end = a_start + len(a_text)
                if offsets[ctx[0]][0] <= a_start and offsets[ctx[-1]][1] >= a_end:
                    start_tok = next(t for t in ctx if offsets[t][1] > a_start)
                    end_tok = next(t for t in reversed(ctx) if offsets[t][0] < a_end)
            feats.append((w.input_ids, w.type_ids, start_tok, end_tok, lo + w.owner))
        print(f"\rtokenized {min(lo + step, len(examples)):,}/{len(examples):,} examples", end="", file=sys.stderr)
    print(file=sys.stderr)
    return feats


def batches(feats: list[tuple], size: int, seed: int, only: list[int] | None = None) -> list[list[int]]:
    """Shuffled once; within blocks of 50 batches sorted by length (less padding)."""
    order = list(range(len(feats))) if only is None else list(only)
    random.Random(seed).shuffle(order)
    out: list[list[int]] = []
    block = size * 50
    for lo in range(0, len(order), block):
        chunk = sorted(order[lo : lo + block], key=lambda i: len(feats[i][0]))
        group = [chunk[i : i + size] for i in range(0, len(chunk), size)]
        random.Random(seed + lo).shuffle(group)
        out.extend(group)
    return out


def grouped_batches(feats: list[tuple], groups: list[str | None], size: int, seed: int) -> list[list[int]]:
    """``batches`` for windows without a group; windows of one group (one question's passages)
    always share a batch, groups packed up to ``size`` windows. All batches shuffled together."""
    members: dict[str, list[int]] = {}
    loose: list[int] = []
    for i, f in enumerate(feats):
        key = groups[f[4]]
        if key is None:
            loose.append(i)
        else:
            members.setdefault(key, []).append(i)
    plan = batches(feats, size, seed, only=loose)
    packed: list[list[int]] = []
    keys = sorted(members)
    random.Random(seed + 7).shuffle(keys)
    for key in keys:
        if packed and len(packed[-1]) + len(members[key]) <= size:
            packed[-1].extend(members[key])
        else:
            packed.append(list(members[key]))
    plan += packed
    random.Random(seed + 8).shuffle(plan)
    return plan


def plan_passes(one_pass: Callable[[int], list[list[int]]], seed: int, steps: int) -> list[list[int]]:
    """At least ``steps`` batches: ``one_pass(seed)``, then further passes over the same
    windows, each shuffled afresh, so a stage may be longer than its pool (epochs)."""
    plan, passes = one_pass(seed), 1
    while len(plan) < steps:
        plan += one_pass(seed + 100_003 * passes)
        passes += 1
    return plan
