"""The reader's ONNX Runtime path (qa.reader_onnx) on a tiny random BERT: no model files,
a second or two per export. The shipped reader through it is in test_real_model.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from qa import reader_onnx
from qa.reader import span_model
from qa.reader_arithmetic import resolve_runtime

SHA = "ab" * 32


def tiny_span_model() -> Any:
    """The reader's own network class around a small random BERT."""
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=120,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    return span_model(BertModel(config, add_pooling_layer=False)).eval()


@pytest.fixture(scope="module")
def tiny() -> Any:
    return tiny_span_model()


def _batch() -> tuple[Any, Any, Any]:
    """Three windows of other lengths than the export's example, the last two padded."""
    gen = torch.Generator().manual_seed(1)
    ids = torch.randint(1, 120, (3, 23), generator=gen)
    mask = torch.ones_like(ids)
    mask[1, 15:] = 0
    mask[2, 7:] = 0
    ids = ids * mask
    types = torch.zeros_like(ids)
    types[:, 5:] = 1
    return ids, mask, types


def _torch_logits(model: Any, batch: tuple[Any, Any, Any]) -> np.ndarray:
    with torch.inference_mode():
        start, end = model(*batch)
    return np.stack([start.numpy(), end.numpy()])


def _onnx_logits(graph: bytes, batch: tuple[Any, Any, Any]) -> np.ndarray:
    start, end = reader_onnx.OnnxSpanModel(graph)(*(t.numpy() for t in batch))  # numpy in, numpy out
    return np.stack([start, end])


def test_fp32_graph_computes_what_the_torch_module_does(tiny: Any, tmp_path: Path) -> None:
    graph = reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path)
    batch = _batch()
    expected, got = _torch_logits(tiny, batch), _onnx_logits(graph, batch)
    assert got.shape == expected.shape == (2, 3, 23)
    valid = batch[1].numpy().astype(bool)  # padded positions are never decoded
    assert np.abs(got - expected)[:, valid].max() < 1e-4


def test_int8_graph_stays_close_and_is_smaller(tiny: Any, tmp_path: Path) -> None:
    fp32 = reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path)
    int8 = reader_onnx.graph_bytes(lambda: tiny, SHA, "int8", tmp_path)
    batch = _batch()
    expected, got = _torch_logits(tiny, batch), _onnx_logits(int8, batch)
    valid = batch[1].numpy().astype(bool)
    assert np.corrcoef(got[:, valid].ravel(), expected[:, valid].ravel())[0, 1] > 0.99
    assert not np.array_equal(got, expected)  # it really is another arithmetic
    assert len(int8) < len(fp32)


def test_int8_weight_bits_make_distinct_graphs(tiny: Any, tmp_path: Path) -> None:
    seven = reader_onnx.graph_bytes(lambda: tiny, SHA, "int8", tmp_path, weight_bits=7)
    eight = reader_onnx.graph_bytes(lambda: tiny, SHA, "int8", tmp_path, weight_bits=8)
    assert seven != eight  # reduce_range really changed the quantized weights
    names = {reader_onnx.cache_name(SHA, "int8", bits) for bits in (7, 8)}
    assert len(names) == 2 and names <= {p.name for p in tmp_path.iterdir()}
    # Each is reused from its own entry, not confused with the other.
    assert reader_onnx.graph_bytes(object, SHA, "int8", tmp_path, weight_bits=8) == eight
    assert reader_onnx.graph_bytes(object, SHA, "int8", tmp_path, weight_bits=7) == seven
    batch = _batch()
    valid = batch[1].numpy().astype(bool)
    expected = _torch_logits(tiny, batch)[:, valid].ravel()
    assert np.corrcoef(_onnx_logits(eight, batch)[:, valid].ravel(), expected)[0, 1] > 0.99
    with pytest.raises(ValueError, match="7 or 8"):
        reader_onnx.graph_bytes(object, SHA, "int8", tmp_path, weight_bits=4)


def test_a_cached_graph_is_reused_and_named_for_its_weights(
    tiny: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path)
    assert (tmp_path / reader_onnx.cache_name(SHA, "fp32")).is_file()

    def no_build(*args: object) -> None:
        raise AssertionError("rebuilt although the cache is valid")

    def no_model() -> Any:
        raise AssertionError("built the torch module although the cache is valid")

    monkeypatch.setattr(reader_onnx, "_build", no_build)
    assert reader_onnx.graph_bytes(no_model, SHA, "fp32", tmp_path) == first
    with pytest.raises(AssertionError):  # other weights never meet this graph
        reader_onnx.graph_bytes(lambda: tiny, "cd" * 32, "fp32", tmp_path)


def test_a_corrupt_cached_graph_is_rebuilt(tiny: Any, tmp_path: Path) -> None:
    good = reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path)
    path = tmp_path / reader_onnx.cache_name(SHA, "fp32")
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    assert reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path) == good
    assert path.read_bytes() == good


def test_a_failed_export_leaves_no_entry(tiny: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(model: object, precision: str, target: Path, weight_bits: int) -> None:
        target.write_bytes(b"half a graph")
        raise KeyboardInterrupt

    monkeypatch.setattr(reader_onnx, "_build", crash)
    with pytest.raises(KeyboardInterrupt):
        reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_still_gives_a_graph(tiny: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    graph = reader_onnx.graph_bytes(lambda: tiny, SHA, "fp32", blocker / "cache")
    assert np.abs(_onnx_logits(graph, _batch()) - _torch_logits(tiny, _batch())).max() < 1e-3


def test_runtime_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_runtime("auto", "bf16") == "torch"
    assert resolve_runtime("auto", "fp32") == "onnx"
    assert resolve_runtime("auto", "int8") == "onnx"
    assert resolve_runtime("torch", "int8") == "torch"
    with pytest.raises(ValueError, match="bf16"):
        resolve_runtime("onnx", "bf16")
    with pytest.raises(ValueError, match="runtime"):
        resolve_runtime("tensorrt", "fp32")
    with pytest.raises(ValueError, match="fp32 or int8"):
        reader_onnx.graph_bytes(object, SHA, "bf16", None)
    monkeypatch.setattr(reader_onnx, "available", lambda: False)
    assert resolve_runtime("auto", "fp32") == "torch"  # without ONNX Runtime, PyTorch runs it
