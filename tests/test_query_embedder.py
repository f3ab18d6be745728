"""Questions embedded on ONNX Runtime (``index.embedding_onnx``) get the vectors that
sentence-transformers gives in fp32, from a graph cached and checked like the reader's."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from index.backend import LocalHybridIndex
from index.builder import IndexConfig, build_index
from index.embedding import SentenceTransformerEmbedder
from index.embedding_onnx import OnnxEmbedder, onnx_query_embedder
from tests.conftest import SEED_FILE, SEEDS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seed_model_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed indexed with the real model (fp32)."""
    embedder = SentenceTransformerEmbedder(precision="fp32")
    path = tmp_path_factory.mktemp("seed") / "index"
    build_index([SEEDS], path, embedder, IndexConfig(model=embedder.name))
    return path


def _seed_sentences() -> list[str]:
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]
    return [*[line for line in lines if len(line) > 40][:12], "How many prisoners escaped?", "x" * 3000]


def test_onnx_question_vectors_are_sentence_transformers_fp32_vectors(tmp_path: Path) -> None:
    texts = _seed_sentences()  # a long text too: both truncate it to the model's 256 tokens
    reference = SentenceTransformerEmbedder(precision="fp32").encode(texts)
    ours = OnnxEmbedder("all-MiniLM-L6-v2", tmp_path).encode(texts)
    assert ours.shape == reference.shape == (len(texts), 384)
    assert float((ours * reference).sum(axis=1).min()) > 0.9999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_a_cached_graph_that_fails_its_checksum_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    question = ["How many prisoners escaped?"]
    first = OnnxEmbedder("all-MiniLM-L6-v2", tmp_path).encode(question)
    (graph,) = tmp_path.glob("embedder-*.onnx")
    graph.write_bytes(graph.read_bytes()[:1000])  # a torn write
    with caplog.at_level(logging.WARNING):
        again = OnnxEmbedder("all-MiniLM-L6-v2", tmp_path).encode(question)
    assert "fails its checksum" in caplog.text
    assert np.allclose(first, again, atol=1e-6)


def test_questions_go_to_onnx_and_additions_to_sentence_transformers(tmp_path: Path, seed_model_index: Path) -> None:
    backend = LocalHybridIndex(seed_model_index, precision="fp32", cache_dir=tmp_path)
    assert isinstance(backend.load_model(), OnnxEmbedder)
    assert isinstance(backend.embedder, SentenceTransformerEmbedder)  # what `index add` embeds with
    # without a cache directory (tests, benchmarks) nothing changes
    plain = LocalHybridIndex(seed_model_index, precision="fp32")
    assert isinstance(plain.load_model(), SentenceTransformerEmbedder)
    for question in ("How many prisoners escaped?", "Who told Congress?", "Where is al-Hol?"):
        ours, theirs = backend.search(question, k=6), plain.search(question, k=6)
        assert [(h.row, h.dense_rank) for h in ours] == [(h.row, h.dense_rank) for h in theirs]


def test_an_unwritable_cache_still_embeds_and_only_fp32_questions_take_this_path(tmp_path: Path) -> None:
    assert onnx_query_embedder("hashing-64", "fp32", tmp_path) is None  # the test fake
    assert onnx_query_embedder("all-MiniLM-L6-v2", "bf16", tmp_path) is None  # bf16 autocast stays torch
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    embedder = onnx_query_embedder("all-MiniLM-L6-v2", "fp32", blocker / "cache")
    assert embedder is not None  # exported for this process only
    assert embedder.encode(["How many prisoners escaped?"]).shape == (1, 384)
    assert not list(tmp_path.glob("embedder-*"))
