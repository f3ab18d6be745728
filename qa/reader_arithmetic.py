"""Which arithmetic runs the learned reader: precision, runtime, batch size.

``qa.reader`` asks this module three things: what ``auto`` means on this CPU
(bf16 autocast where the CPU has native bf16, else fp32 under ONNX Runtime when
it is installed), how many windows one forward pass reads, and what the chosen
arithmetic is called (``arithmetic``): the key under which ``reader.json`` may
hold an operating point fitted for that arithmetic (``qa.reader.read_ranker``).
Every choice here was measured (bench/RESULTS.md, the reader's cost sections).
"""

from __future__ import annotations

from typing import Any

from qa import reader_onnx
from qa.reader_onnx import DEFAULT_INT8_WEIGHT_BITS

PRECISIONS = ("auto", "bf16", "fp32", "int8")
RUNTIMES = ("auto", "torch", "onnx")
# ``auto`` precision on a CPU without native bf16 (bench/RESULTS.md, "The reader on ONNX Runtime").
AUTO_WITHOUT_BF16 = "fp32"


def resolve_precision(precision: str) -> str:
    """``auto``: bf16 autocast where the CPU has native bf16, else ``AUTO_WITHOUT_BF16``."""
    if precision not in PRECISIONS:
        raise ValueError(f"reader precision must be one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    from index.embedding import cpu_has_fast_bf16

    return "bf16" if cpu_has_fast_bf16() else AUTO_WITHOUT_BF16


def resolve_runtime(runtime: str, precision: str) -> str:
    """``auto``: ONNX Runtime for fp32 and int8 when it is installed, PyTorch for bf16 autocast."""
    if runtime not in RUNTIMES:
        raise ValueError(f"reader runtime must be one of {', '.join(RUNTIMES)}")
    if runtime == "onnx" and precision == "bf16":
        raise ValueError("the ONNX Runtime reader runs in fp32 or int8, not bf16 (use runtime torch)")
    if runtime != "auto":
        return runtime
    return "onnx" if precision != "bf16" and reader_onnx.available() else "torch"


def quantize_int8(model: Any) -> Any:
    """PyTorch's dynamic int8 (runtime torch): Linear weights int8 with one scale per tensor,
    activations quantized per batch. ONNX Runtime's per-channel int8 keeps more accuracy (qa.reader_onnx)."""
    import warnings

    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch marks its quantized tensor API as deprecated
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


# Windows per forward pass, by runtime (bench/RESULTS.md, "The reader on ONNX Runtime"): ONNX Runtime is
# fastest on small length-sorted batches (little padding, small per-call cost); PyTorch's per-call
# cost makes it prefer one batch.
BATCH = {"onnx": 4, "torch": 32}


def arithmetic(runtime: str, precision: str, int8_weight_bits: int = DEFAULT_INT8_WEIGHT_BITS) -> str:
    """The name of a resolved runtime and precision, e.g. ``torch-bf16`` or ``onnx-int8w7`` (ONNX
    Runtime's int8 graphs differ by weight width; PyTorch's dynamic int8 has one)."""
    bits = f"w{int8_weight_bits}" if runtime == "onnx" and precision == "int8" else ""
    return f"{runtime}-{precision}{bits}"


# Every name ``arithmetic`` gives (ONNX Runtime has no bf16 path).
ARITHMETICS = tuple(
    sorted(
        {
            arithmetic(r, p, b)
            for r in ("torch", "onnx")
            for p in ("bf16", "fp32", "int8")
            for b in reader_onnx.INT8_WEIGHT_BITS
        }
        - {"onnx-bf16"}
    )
)
