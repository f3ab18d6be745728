"""Removed and replaced articles leave their rows in place, hidden from search, so
an update extends the dense graph instead of rebuilding it; past a share of hidden
rows the builder compacts them. Either way, search must answer as a fresh build
over the same articles would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import store
from index.backend import LocalHybridIndex
from index.builder import IndexConfig, add_to_index, build_index, remove_from_index
from index.dense import DenseIndex
from index.embedding import HashingEmbedder
from index.errors import IndexCorrupt
from index.sparse import PassageTokens
from index.types import SearchFilters
from tests.conftest import write_jsonl
from tests.test_index import _articles
from tests.test_passage_tokens import QUERIES, _bm25

REWRITTEN = "A rewritten report about a volcano eruption near the harbour, with 40 people evacuated. " * 12
FILTERS = [
    None,
    SearchFilters(published_from="2023-03-01", published_to="2023-07-31"),
    SearchFilters(sources=("Outlet 1",)),
]


def _count_dense_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    builds: list[int] = []
    real = DenseIndex.build

    def counted(*args: Any, **kwargs: Any) -> DenseIndex:
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(DenseIndex, "build", counted)
    return builds


def _results(index_dir: Path, emb: HashingEmbedder, filters: SearchFilters | None) -> list[list[tuple[Any, ...]]]:
    """Each query's fused hits as (article, start, score, dense rank, BM25 rank): rows differ between builds."""
    idx = LocalHybridIndex(index_dir, embedder=emb)
    found = []
    for q in [*QUERIES, "volcano eruption evacuated", "story number 7 happened in town 7"]:
        hits = idx.search(q, k=20, filters=filters)
        found.append([(h.chunk.doc_id, h.chunk.start, round(h.score, 6), h.dense_rank, h.sparse_rank) for h in hits])
    return found


def _hidden(tmp_path: Path, n: int, removed: list[str]) -> tuple[HashingEmbedder, IndexConfig, Path]:
    """An index of ``n`` articles that never compacts, with ``removed`` removed: their rows hidden."""
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, max_hidden_share=1.0)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(n))], index_dir, emb, cfg)
    remove_from_index(removed, index_dir, emb, cfg)
    return emb, cfg, index_dir


def test_a_small_update_hides_rows_and_searches_as_a_fresh_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name)  # exact search: results comparable to the last digit
    index_dir = tmp_path / "idx"
    articles = _articles(30)
    build_index([write_jsonl(tmp_path / "a.jsonl", articles)], index_dir, emb, cfg)
    rows_before = store.read_manifest(store.current_version(index_dir))["rows"]
    builds = _count_dense_builds(monkeypatch)

    changed = [dict(a) for a in articles]
    changed[3]["text"] = REWRITTEN
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", changed)], index_dir, emb, cfg)
    assert report.replaced == 1
    remove_from_index(["n7"], index_dir, emb, cfg)
    assert builds == []  # neither the replacement nor the removal rebuilt the dense index

    idx = LocalHybridIndex(index_dir, embedder=emb)
    info = idx.info()
    assert info["articles"] == 29 and 0 < info["hidden_rows"] <= 0.1 * (info["chunks"] + info["hidden_rows"])
    assert info["chunks"] + info["hidden_rows"] == rows_before + report.chunks_indexed  # no row moved or vanished
    assert all(h.chunk.doc_id != "n7" for q in ["story number 7 happened in town 7"] for h in idx.search(q, k=50))

    # A fresh build of the same articles, in the updated index's row order (the rewrite last):
    final = [a for a in changed if a["doc_id"] not in ("n3", "n7")] + [changed[3]]
    build_index([write_jsonl(tmp_path / "c.jsonl", final)], tmp_path / "fresh", emb, cfg)
    assert LocalHybridIndex(tmp_path / "fresh", embedder=emb).info()["hidden_rows"] == 0
    for filters in FILTERS:
        assert _results(index_dir, emb, filters) == _results(tmp_path / "fresh", emb, filters)
    assert _bm25(index_dir, emb) == _bm25(tmp_path / "fresh", emb)


def test_hidden_rows_never_come_back_and_compaction_rebuilds_the_graph_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, hnsw_threshold=1)  # an HNSW graph from the first vector
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(30))], index_dir, emb, cfg)
    builds = _count_dense_builds(monkeypatch)

    remove_from_index(["n1"], index_dir, emb, cfg)
    assert builds == []
    version = LocalHybridIndex(index_dir, embedder=emb)._version
    live = set(version.db.chunk_rows().tolist())
    vectors = version.dense.vectors()
    hidden = sorted(set(range(len(vectors))) - live)
    assert hidden and len(vectors) == int(version.manifest["rows"])
    for row in hidden:  # a removed passage's own vector finds only live passages
        assert {r for r, _ in version.dense.search(vectors[row], 10)} <= live
    for row in sorted(live)[::5]:  # and every live passage still finds itself
        assert version.dense.search(vectors[row], 1)[0][0] == row
    assert {r for r, _ in version.sparse.search("story number 1 happened in town 1", 10_000)} <= live
    window = version.db.rows_matching(SearchFilters(published_from="2023-01-01"))
    assert len(window) and set(window.tolist()) <= live

    remove_from_index(["n2", "n4", "n5"], index_dir, emb, cfg)  # past a tenth of the rows hidden
    assert builds == [1]
    version = LocalHybridIndex(index_dir, embedder=emb)._version
    assert version.manifest["rows"] == version.manifest["chunks"] == version.dense.size
    assert version.db.chunk_rows().tolist() == list(range(version.dense.size))
    assert len(PassageTokens.load(version.path / store.TOKENS_DIR)) == version.dense.size


def test_an_update_over_hidden_rows_without_kept_tokens_matches_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb, cfg, index_dir = _hidden(tmp_path, 6, ["n1", "n4"])
    assert LocalHybridIndex(index_dir, embedder=emb).info()["hidden_rows"] > 0

    def unreadable(directory: Path) -> PassageTokens:
        raise ValueError(f"{directory}: offsets do not cover the ids")

    with monkeypatch.context() as m:
        m.setattr(PassageTokens, "load", unreadable)
        add_to_index([write_jsonl(tmp_path / "b.jsonl", _articles(2, prefix="m"))], index_dir, emb, cfg)
    final = [a for a in [*_articles(6), *_articles(2, prefix="m")] if a["doc_id"] not in ("n1", "n4")]
    build_index([write_jsonl(tmp_path / "c.jsonl", final)], tmp_path / "fresh", emb, cfg)
    assert _bm25(index_dir, emb) == _bm25(tmp_path / "fresh", emb)
    for filters in FILTERS:
        assert _results(index_dir, emb, filters) == _results(tmp_path / "fresh", emb, filters)


def test_a_manifest_that_disagrees_with_the_dense_rows_is_refused(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(3))], index_dir, emb, cfg)
    path = store.current_version(index_dir) / store.MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["rows"] += 5
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="rows"):
        LocalHybridIndex(index_dir, embedder=emb)


def test_a_window_over_hidden_rows_returns_live_rows_only(tmp_path: Path) -> None:
    """The date array is indexed by row: hidden rows sit in it as undated."""
    emb, _, index_dir = _hidden(tmp_path, 9, ["n0", "n5"])
    db = LocalHybridIndex(index_dir, embedder=emb)._version.db
    live = db.chunk_rows()
    got = db.rows_matching(SearchFilters(published_from="2023-01-01", published_to="2023-12-31"))
    assert np.array_equal(got, live)  # every live article is dated 2023; n0's and n5's rows are not there


def test_compact_drops_hidden_rows_without_embedding_and_answers_as_before(tmp_path: Path) -> None:
    emb, _, index_dir = _hidden(tmp_path, 8, ["n1", "n4"])
    hidden = LocalHybridIndex(index_dir, embedder=emb).info()["hidden_rows"]
    before = {str(f): _results(index_dir, emb, f) for f in FILTERS}

    report = LocalHybridIndex(index_dir).compact()  # no embedder given: none is loaded
    assert report.compacted == hidden > 0 and report.chunks_indexed == 0
    version = LocalHybridIndex(index_dir, embedder=emb)._version
    assert version.manifest["rows"] == version.manifest["chunks"] == version.dense.size
    assert len(PassageTokens.load(version.path / store.TOKENS_DIR)) == version.dense.size
    assert {str(f): _results(index_dir, emb, f) for f in FILTERS} == before
    assert LocalHybridIndex(index_dir).compact().compacted == 0  # nothing left to drop


def test_a_removal_links_the_unchanged_vectors_and_tokens_and_carries_their_digests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, max_hidden_share=1.0)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(8))], index_dir, emb, cfg)
    hashed: list[str] = []
    real_digest = store.file_digest

    def counted(path: Path) -> str:
        hashed.append(path.name)
        return real_digest(path)

    monkeypatch.setattr(store, "file_digest", counted)
    old = store.current_version(index_dir)
    remove_from_index(["n2"], index_dir, emb, cfg)
    new = store.current_version(index_dir)
    unchanged = [store.DENSE_FILE, f"{store.TOKENS_DIR}/ids.npy", f"{store.TOKENS_DIR}/offsets.npy"]
    assert all((old / f).samefile(new / f) for f in unchanged)
    assert not (old / store.SPARSE_DIR).samefile(new / store.SPARSE_DIR)  # BM25 over fewer passages
    assert store.DENSE_FILE not in hashed and "ids.npy" not in hashed and "store.sqlite" in hashed
    files = store.read_manifest(new, verify=True)["files"]  # the carried digests hold
    assert all(files[f] == store.read_manifest(old)["files"][f] for f in unchanged)

    add_to_index([write_jsonl(tmp_path / "b.jsonl", _articles(1, prefix="m"))], index_dir, emb, cfg)
    newer = store.current_version(index_dir)
    assert not (new / store.DENSE_FILE).samefile(newer / store.DENSE_FILE)  # new rows: written anew
    assert not (new / store.TOKENS_DIR / "ids.npy").samefile(newer / store.TOKENS_DIR / "ids.npy")
    store.read_manifest(newer, verify=True)


def test_a_linked_file_corrupted_after_publishing_is_caught_not_blessed(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, max_hidden_share=1.0)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(8))], index_dir, emb, cfg)
    dense = store.current_version(index_dir) / store.DENSE_FILE
    data = bytearray(dense.read_bytes())
    data[len(data) // 2] ^= 0x01  # bit rot in a stored vector, after the live version's digest was recorded
    dense.write_bytes(bytes(data))
    remove_from_index(["n2"], index_dir, emb, cfg)  # links the vectors: the recorded digest goes with them
    with pytest.raises(IndexCorrupt, match=r"dense\.faiss .*checksum"):
        LocalHybridIndex(index_dir, embedder=emb)


def test_an_update_opens_the_version_it_published_only_when_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`qa index remove` exits after writing: opening (and checksumming) the new version then
    was a fifth of a removal. The object still reads the new version on its next read."""
    import index.backend

    emb, _, index_dir = _hidden(tmp_path, 6, ["n1"])
    idx = LocalHybridIndex(index_dir, embedder=emb)
    opened: list[Path] = []
    real = index.backend._Version

    def counted(path: Path, verify: bool) -> Any:
        opened.append(path)
        return real(path, verify)

    monkeypatch.setattr(index.backend, "_Version", counted)
    idx.remove(["n2"])
    idx.compact()
    assert len(opened) == 1  # compact read the manifest of remove's version; nothing else was opened
    assert idx.info()["articles"] == 4 and idx.info()["hidden_rows"] == 0
    assert opened == [opened[0], store.current_version(index_dir)]
    assert idx.get_article("n2") is None and all(h.chunk.doc_id != "n2" for h in idx.search("story number 2", k=20))
