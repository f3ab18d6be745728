"""The MiniLM embedder on ONNX Runtime, for questions on CPUs without fast bf16.

sentence-transformers takes about 6 s to import on a 2-core CPU (it pulls in scikit-learn,
SciPy and transformers' model loading), against 0.03 s to embed a question, so a one-shot
``qa ask`` spent half its time importing it. Where the query embedder runs in fp32 anyway,
this class gives the same vectors (mean pooling over the encoder's last hidden state, then
L2 normalization: cosine 1.0000 to sentence-transformers fp32) from ONNX Runtime and the
``tokenizers`` library alone, which import in a fraction of a second.

The graph is exported from the packaged weights once (that needs torch and transformers),
cached under ``cache_dir`` by the weights' SHA-256 (``index.derived_cache``, as the reader's
graphs are: checksummed, written atomically, rebuilt when corrupt). Index builds and updates keep
sentence-transformers (``embedding.SentenceTransformerEmbedder``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.derived_cache import derived_bytes
from index.embedding import ProgressFn, _normalize, cpu_has_fast_bf16, model_path
from index.store import file_digest

log = logging.getLogger(__name__)
EXPORT_VERSION = 1
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def _export(model_dir: str, target: Path) -> None:
    """Trace the encoder (ids, mask, types) -> last hidden state, free batch and length."""
    import warnings

    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(model_dir).eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.encoder(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state

    example = torch.ones((1, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(
            Hidden(),
            (example, example, torch.zeros_like(example)),
            str(target),
            input_names=list(INPUTS),
            output_names=["hidden"],
            dynamic_axes={name: axes for name in (*INPUTS, "hidden")},
            opset_version=17,
            dynamo=False,
        )


def graph_bytes(model_dir: str, cache_dir: Path) -> bytes:
    """The encoder's ONNX graph: from the cache when it passes its checksum, else exported now."""
    weights = file_digest(Path(model_dir) / "model.safetensors")
    path = cache_dir / f"embedder-{weights[:16]}-v{EXPORT_VERSION}.onnx"
    record = {"weights": weights, "export_version": EXPORT_VERSION}
    return derived_bytes(path, lambda target: _export(model_dir, target), record, "embedder graph")


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or a local model directory of its kind) on ONNX Runtime, fp32."""

    precision = "fp32"

    def __init__(self, name: str, cache_dir: Path, batch_size: int = 64) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        directory = model_path(name)
        config = json.loads((Path(directory) / "sentence_bert_config.json").read_text())
        self.name = name
        self.batch_size = batch_size
        self._tokenizer = Tokenizer.from_file(str(Path(directory) / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        self._tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        graph = graph_bytes(directory, cache_dir)
        self._session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
        self.dim = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches pad to similar lengths
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            types = np.array([e.type_ids for e in encoded], dtype=np.int64)
            (hidden,) = self._session.run(["hidden"], dict(zip(INPUTS, (ids, mask, types), strict=True)))
            weights = mask[..., None].astype(np.float32)
            out[idx] = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            if progress:
                progress(len(idx))
        return _normalize(out)


@lru_cache(maxsize=4)
def onnx_query_embedder(name: str, precision: str, cache_dir: Path) -> OnnxEmbedder | None:
    """The embedder for questions where the model would run in fp32 anyway (no fast bf16, or
    ``precision`` fp32); None elsewhere, and, with a warning, when anything stops it (no ONNX
    Runtime, a model without a tokenizer.json): the caller then loads the usual one."""
    fp32 = precision == "fp32" or (precision == "auto" and not cpu_has_fast_bf16())
    if not fp32 or name.startswith("hashing-"):
        return None
    try:
        return OnnxEmbedder(name, cache_dir)
    except Exception as exc:  # the usual embedder still answers the question, only slower to load
        log.warning("questions are embedded with sentence-transformers instead of ONNX Runtime: %s", exc)
        return None
