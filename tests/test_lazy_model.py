"""The embedding model is loaded when something is embedded, not to list or remove articles
(its imports alone take seconds: `qa index info` on the full archive took 12 s, 68% of it that)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.backend import LocalHybridIndex
from index.builder import IndexConfig, build_index
from index.embedding import Embedder, HashingEmbedder
from index.errors import IndexMismatch
from qa.cli import main
from tests.conftest import write_jsonl
from tests.test_index import _articles


def _refuse(name: str = "", precision: str = "auto") -> Embedder:
    raise AssertionError("the embedding model was loaded")


def test_listing_and_removing_articles_never_load_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(3))], index_dir, emb, IndexConfig(model=emb.name))
    monkeypatch.setattr("index.backend.load_embedder", _refuse)
    backend = LocalHybridIndex(index_dir)
    assert backend.info()["articles"] == 3 and backend.sources()
    assert backend.get_article("n1") is not None
    assert backend.remove(["n1"]).removed == 1 and backend.info()["articles"] == 2
    with pytest.raises(AssertionError, match="model was loaded"):  # a search embeds the question
        backend.search("harbour story")
    loaded: list[str] = []

    def load(name: str, precision: str = "auto") -> Embedder:
        loaded.append(name)
        return emb

    monkeypatch.setattr("index.backend.load_embedder", load)
    assert backend.search("harbour story") and backend.search("election story")
    assert loaded == [emb.name]  # once, the index's own model


def test_a_model_that_does_not_fit_is_refused_when_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(2))], index_dir, emb, IndexConfig(model=emb.name))
    monkeypatch.setattr("index.backend.load_embedder", lambda name, precision="auto": HashingEmbedder(64))
    backend = LocalHybridIndex(index_dir)
    with pytest.raises(IndexMismatch, match="was built with"):
        backend.load_model()
    with pytest.raises(IndexMismatch):
        LocalHybridIndex(index_dir, embedder=HashingEmbedder(64))


def test_cli_info_and_remove_run_without_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index_dir = tmp_path / "idx"
    articles = write_jsonl(tmp_path / "a.jsonl", _articles(2))
    assert main(["index", "build", str(articles), "--index", str(index_dir), "--quiet", "--model", "hashing-256"]) == 0
    monkeypatch.setattr("index.backend.load_embedder", _refuse)
    assert main(["index", "remove", "n0", "--index", str(index_dir)]) == 0
    assert main(["index", "info", "--index", str(index_dir), "--json"]) == 0
    with pytest.raises(AssertionError, match="model was loaded"):  # asking does load it
        main(["ask", "harbour story", "--index", str(index_dir), "--json"])
