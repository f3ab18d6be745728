"""Which arithmetic runs the learned reader: precision, runtime, batch size.

``qa.reader`` asks this module two questions: what ``auto`` means on this CPU
(bf16 autocast where the CPU has native bf16, else fp32 under ONNX Runtime when
it is installed), and how many windows one forward pass reads.
Every choice here was measured (bench/RESULTS.md, the reader's cost sections).
"""

from __future__ import annotations

from typing import Any

from qa import reader_onnx

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
