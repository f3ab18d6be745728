"""Benchmark: embedding throughput fp32 vs bf16 autocast on this CPU, in one run.

    python -m bench.embed [--chunks 512] [--out bench/results/embed.json]

Chunks are ~800-character passages from the shared news archive (the size the
indexer produces). Reports chunks/s per precision, their ratio, and the
minimum cosine between fp32 and bf16 embeddings of the same text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import emit, machine
from index.chunking import chunk_article
from index.embedding import SentenceTransformerEmbedder, cpu_has_fast_bf16

ARTICLES = Path(__file__).resolve().parent.parent.parent / "shared/data/realtimeqa/articles-2022-2024.jsonl.gz"


def sample_chunks(n: int) -> list[str]:
    texts: list[str] = []
    with gzip.open(ARTICLES, "rt", encoding="utf-8") as f:
        for line in f:
            texts.extend(c.text for c in chunk_article("x", json.loads(line)["text"]))
            if len(texts) >= n:
                return texts[:n]
    return texts


def onnx_int8_rate(texts: list[str], reference: np.ndarray, workdir: Path) -> dict[str, float] | None:
    """ONNX Runtime with dynamic int8 quantization (only when onnxruntime is installed)."""
    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        return None
    import torch
    from transformers import AutoModel, AutoTokenizer

    from index.embedding import model_path

    tok = AutoTokenizer.from_pretrained(model_path())
    model = AutoModel.from_pretrained(model_path()).eval()

    class Wrapped(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tok(["a b", "c"], return_tensors="pt", padding=True)
    fp32, int8 = workdir / "minilm.onnx", workdir / "minilm-int8.onnx"
    torch.onnx.export(
        Wrapped(),
        tuple(sample[n] for n in names),
        str(fp32),
        input_names=names,
        output_names=["h"],
        dynamic_axes={n: {0: "b", 1: "s"} for n in [*names, "h"]},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(str(int8), options, providers=["CPUExecutionProvider"])
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros_like(reference)
    started = time.perf_counter()
    for b in range(0, len(order), 64):
        idx = order[b : b + 64]
        enc = tok([texts[i] for i in idx], return_tensors="np", padding=True, truncation=True, max_length=256)
        hidden = session.run(None, {n: enc[n].astype(np.int64) for n in names})[0]
        mask = enc["attention_mask"][..., None]
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
    rate = len(texts) / (time.perf_counter() - started)
    return {"chunks_per_s": round(rate, 1), "min_cosine_vs_fp32": round(float((out * reference).sum(1).min()), 5)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=512)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    texts = sample_chunks(args.chunks)
    rates: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    for precision in ("fp32", "bf16"):
        emb = SentenceTransformerEmbedder(precision=precision)
        emb.encode(texts[:32])  # warm-up
        started = time.perf_counter()
        vectors[precision] = emb.encode(texts)
        rates[precision] = len(texts) / (time.perf_counter() - started)
    result: dict[str, object] = {
        "benchmark": "embed",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": {**machine(), "native_bf16": cpu_has_fast_bf16()},
        "chunks": len(texts),
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
        "chunks_per_s": {k: round(v, 1) for k, v in rates.items()},
        "bf16_speedup": round(rates["bf16"] / rates["fp32"], 2),
        "min_cosine_bf16_vs_fp32": round(float((vectors["fp32"] * vectors["bf16"]).sum(axis=1).min()), 5),
    }
    with tempfile.TemporaryDirectory() as tmp:
        result["onnx_int8"] = onnx_int8_rate(texts, vectors["fp32"], Path(tmp))
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
