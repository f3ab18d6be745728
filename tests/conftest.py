"""Shared fixtures. Unit tests use the hashing embedder (no model, instant);
tests marked ``model`` use the real MiniLM model on the real seed article."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from index.backend import LocalHybridIndex
from index.builder import IndexConfig, build_index
from index.embedding import HashingEmbedder

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_df76217955ec7544.txt"
SEED_ID = "000_df76217955ec7544"
SHARED = ROOT.parent / "shared" / "data"
REALTIMEQA_ARTICLES = SHARED / "realtimeqa" / "articles-2022-2024.jsonl.gz"
REALTIMEQA_QUESTIONS = SHARED / "realtimeqa" / "questions-2022-2024.jsonl"
BBC = SHARED / "bbc" / "bbc-news-2225.jsonl.gz"


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Derived files (the reader's ONNX graphs) go to a cache of this run's own, never the user's."""
    cache = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("QA_CACHE_DIR")
    os.environ["QA_CACHE_DIR"] = str(cache)
    yield cache
    if saved is None:
        os.environ.pop("QA_CACHE_DIR", None)
    else:
        os.environ["QA_CACHE_DIR"] = saved


@pytest.fixture(scope="session")
def embedder() -> HashingEmbedder:
    return HashingEmbedder(256)


@pytest.fixture(scope="session")
def fake_config(embedder: HashingEmbedder) -> IndexConfig:
    return IndexConfig(model=embedder.name)


def build(paths: list[Path], index_dir: Path, embedder: HashingEmbedder) -> LocalHybridIndex:
    build_index(paths, index_dir, embedder, IndexConfig(model=embedder.name))
    return LocalHybridIndex(index_dir, embedder=embedder)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, embedder: HashingEmbedder) -> LocalHybridIndex:
    return build([SEEDS], tmp_path_factory.mktemp("seed") / "index", embedder)


def write_jsonl(path: Path, records: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def archive(tmp_path: Path, docs: Sequence[tuple[str, str, str, str]]) -> LocalHybridIndex:
    """A hashing-embedder index of hand-made articles, each ``(doc_id, source, published, text)``."""
    records = [
        {"doc_id": d, "title": f"Report {d}", "text": text, "source": source, "published": date}
        for d, source, date, text in docs
    ]
    return build([write_jsonl(tmp_path / "a.jsonl", records)], tmp_path / "idx", HashingEmbedder())


def read_jsonl_gz(path: Path, limit: int) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= limit:
                return
            yield json.loads(line)


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"shared data {path} not present")


# Web-layer tests over the hashing index use the rule-based span picker: fast and
# deterministic. The learned reader has its own tests (test_reader, test_real_model).
RULES = {"QA_READER": "rules"}
