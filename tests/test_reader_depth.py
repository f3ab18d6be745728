"""A shallower reader: the shipped weights' bottom layers, distilled from the whole reader.

The loader builds as many encoder layers as ``reader.json`` says, on both runtimes, and the
training script refuses to mix depths; the distillation loss compares the real tokens only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.reader_losses import distill_loss
from bench.reader_weights import load_shipped
from bench.train_reader import main as train_main
from qa.reader import CONFIG_FILE, MODEL_DIR, ReaderUnavailable, SpanReader, build_model, keep_layers

LAYER0 = "encoder.encoder.layer.0.attention.self.query.weight"


def test_distillation_loss_is_zero_for_the_teachers_own_logits_and_ignores_padding() -> None:
    import torch

    torch.manual_seed(0)
    teacher = (torch.randn(3, 8), torch.randn(3, 8))
    mask = torch.ones(3, 8, dtype=torch.long)
    mask[:, 6:] = 0  # two padded positions per window
    assert float(distill_loss(torch, teacher, teacher, mask, 2.0)) == pytest.approx(0.0, abs=1e-6)
    student = (teacher[0].clone(), teacher[1].clone())
    student[0][:, 6:] += 50.0  # padding: whatever the student says there does not count
    assert float(distill_loss(torch, student, teacher, mask, 2.0)) == pytest.approx(0.0, abs=1e-6)
    student[0][0, 2] += 3.0  # a real token: it does
    assert float(distill_loss(torch, student, teacher, mask, 2.0)) > 0.01


def test_a_shallower_reader_is_exported_with_its_depth_and_read_on_both_runtimes(tmp_path: Path) -> None:
    from safetensors.torch import load_file

    out = tmp_path / "two-layers"
    # No training: the export of the shipped reader cut to its bottom two layers.
    cut = ["--init", str(MODEL_DIR), "--layers", "2", "--export", str(out)]
    assert train_main(["--ckpt", str(tmp_path / "ckpt"), *cut]) == 0
    meta = json.loads((out / CONFIG_FILE).read_text())
    assert meta["layers"] == 2
    saved = load_file(str(out / "reader.safetensors"))
    assert not any(".layer.2." in k for k in saved) and LAYER0 in saved
    assert (saved[LAYER0] == load_file(str(MODEL_DIR / "reader.safetensors"))[LAYER0]).all()

    on_torch = SpanReader(out, runtime="torch")
    assert len(on_torch.model.encoder.encoder.layer) == 2
    fresh = build_model(pooler=True)  # training starts from it the same way
    load_shipped(fresh, out)
    assert len(fresh.encoder.encoder.layer) == 2

    on_onnx = SpanReader(out, runtime="onnx", cache_dir=tmp_path / "cache")
    question, passages = "How many prisoners escaped?", ["More than 100 prisoners escaped from the jail on Sunday."]
    shallow = on_torch.read(question, passages)
    assert shallow
    for a, b in zip(shallow, on_onnx.read(question, passages), strict=True):
        assert (a.start, a.end) == (b.start, b.end) and a.score == pytest.approx(b.score, abs=1e-3)
    deep = SpanReader(MODEL_DIR, runtime="torch").read(question, passages)
    assert [g.score for g in deep] != pytest.approx([g.score for g in shallow], abs=1e-2)  # two layers are not six


def test_a_reader_cannot_be_deeper_than_its_encoder() -> None:
    with pytest.raises(ReaderUnavailable, match="7 layers"):
        keep_layers(build_model(), 7)


@pytest.mark.parametrize("layers", ["0", "7"])
def test_training_refuses_a_depth_the_encoder_cannot_give(tmp_path: Path, layers: str) -> None:
    with pytest.raises(SystemExit, match=f"--layers {layers}: a reader of {layers} layers cannot come"):
        train_main(["--ckpt", str(tmp_path), "--layers", layers])
    assert not any(tmp_path.iterdir())  # refused before anything was written


@pytest.mark.parametrize("bad", [["--distill", "1.5"], ["--distill", "-0.1"], ["--distill-temperature", "0"]])
def test_training_refuses_a_distillation_weight_or_temperature_out_of_range(tmp_path: Path, bad: list[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        train_main(["--ckpt", str(tmp_path), *bad])
    assert refused.value.code == 2 and not any(tmp_path.iterdir())


def test_training_refuses_a_checkpoint_of_another_depth(tmp_path: Path) -> None:
    import torch

    state = {"step": 0, "seen": 0, "seconds": 0.0, "loss": [], "stages": [], "layers": 2}
    torch.save({"model": {}, "optimizer": {}, "state": state}, tmp_path / "checkpoint.pt")
    with pytest.raises(SystemExit, match="--layers 4, but the checkpoint"):
        train_main(["--ckpt", str(tmp_path), "--layers", "4"])
