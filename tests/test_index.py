import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index import store
from index.backend import LocalHybridIndex
from index.builder import IndexConfig, add_to_index, build_index, remove_from_index
from index.embedding import HashingEmbedder, ProgressFn
from index.errors import IndexCorrupt, IndexLocked, NothingToIndex, UnknownArticle
from index.types import SearchFilters
from tests.conftest import ROOT, SEED_ID, SEEDS, build, write_jsonl


class CountingEmbedder(HashingEmbedder):
    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__(256)
        self.texts = 0
        self.fail_after = fail_after

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        if self.fail_after is not None and self.texts + len(texts) > self.fail_after:
            raise KeyboardInterrupt  # like Ctrl-C in the middle of a build
        self.texts += len(texts)
        return super().encode(texts)


VOCAB = [
    "council",
    "budget",
    "river",
    "bridge",
    "storm",
    "school",
    "doctor",
    "market",
    "police",
    "court",
    "farmer",
    "museum",
    "airport",
    "minister",
    "strike",
    "harvest",
    "bank",
    "tunnel",
    "concert",
    "hospital",
]


def _text(seed: str, sentences: int = 30) -> str:
    rng = random.Random(seed)
    return " ".join(
        f"The {rng.choice(VOCAB)} {rng.choice(VOCAB)} report {seed} said {rng.randint(2, 999)} {rng.choice(VOCAB)}s "
        f"were seen near the {rng.choice(VOCAB)} on day {k}."
        for k in range(sentences)
    )


def _articles(n: int, prefix: str = "n") -> list[dict[str, object]]:
    topics = ["harbour", "election", "vaccine", "drought", "railway", "festival", "satellite", "orchestra"]
    return [
        {
            "doc_id": f"{prefix}{i}",
            "title": f"Story {i} about the {topics[i % len(topics)]}",
            "text": f"The {topics[i % len(topics)]} story number {i} happened in town {i}. " + _text(f"{prefix}{i}"),
            "source": f"Outlet {i % 3}",
            "published": f"2023-0{1 + i % 9}-1{i % 10}",
        }
        for i in range(n)
    ]


def test_seed_index_manifest_and_search(seed_index: LocalHybridIndex) -> None:
    info = seed_index.info()
    assert info["articles"] == 1 and info["chunks"] > 3 and info["format_version"] == store.FORMAT_VERSION
    hits = seed_index.search("How many prisoners escaped?", k=3)
    assert hits and hits[0].chunk.doc_id == SEED_ID
    article = seed_index.get_article(SEED_ID)
    assert article is not None
    for hit in hits:
        assert article.text[hit.chunk.start : hit.chunk.end] == hit.chunk.text
        assert hit.dense_rank is not None or hit.sparse_rank is not None
    assert seed_index.get_article("nope") is None
    version = store.current_version(seed_index.index_dir)
    assert not list(version.rglob("*.pkl")) and not list(version.rglob("*.pickle"))


def test_add_and_remove_embed_only_what_changed(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cfg = IndexConfig(model=emb.name)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(6))], index_dir, emb, cfg)
    first = emb.texts
    before = LocalHybridIndex(index_dir, embedder=emb)
    chunks_before = before.info()["chunks"]

    emb.texts = 0
    new = _articles(2, prefix="m")
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", new), tmp_path / "a.jsonl"], index_dir, emb, cfg)
    assert report.articles_indexed == 2 and report.unchanged == 6
    added_chunks = report.chunks_indexed
    assert emb.texts == added_chunks < first  # only the new articles were embedded
    after = LocalHybridIndex(index_dir, embedder=emb)
    assert after.info()["articles"] == 8 and after.info()["chunks"] == chunks_before + added_chunks
    assert any(h.chunk.doc_id == "m1" for h in after.search("election story number 1 town 1", k=5))

    emb.texts = 0
    remove_from_index(["n1", "m0"], index_dir, emb, cfg)
    assert emb.texts == 0
    final = LocalHybridIndex(index_dir, embedder=emb)
    assert final.info()["articles"] == 6
    assert final.get_article("n1") is None and final.get_article("m1") is not None
    for hit in final.search("story number", k=50):
        art = final.get_article(hit.chunk.doc_id)
        assert art is not None and art.text[hit.chunk.start : hit.chunk.end] == hit.chunk.text
    # vectors stayed aligned with rows: each chunk's best dense match is itself
    v = final._version
    vectors = v.dense.vectors()
    for row in range(0, len(vectors), 7):
        assert v.dense.search(vectors[row], 1)[0][0] == row or np.allclose(
            vectors[row], vectors[v.dense.search(vectors[row], 1)[0][0]]
        )
    with pytest.raises(UnknownArticle):
        remove_from_index(["no-such-id"], index_dir, emb, cfg)


def test_changed_article_with_same_id_is_replaced(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    build([write_jsonl(tmp_path / "a.jsonl", _articles(3))], index_dir, emb)
    changed = _articles(3)
    changed[1]["text"] = "A completely rewritten report about a volcano eruption near the coast. " * 20
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", changed)], index_dir, emb, IndexConfig(model=emb.name))
    assert report.replaced == 1 and report.unchanged == 2
    idx = LocalHybridIndex(index_dir, embedder=emb)
    assert idx.info()["articles"] == 3
    assert idx.search("volcano eruption coast", k=1)[0].chunk.doc_id == "n1"


def test_new_metadata_for_unchanged_text_is_rewritten_without_embedding(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    cfg = IndexConfig(model=emb.name)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(3))], index_dir, emb, cfg)
    corrected = _articles(3)
    corrected[2].update(published="2031-05-06", url="https://www.example.org/n2", source="")
    emb.texts = 0
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", corrected)], index_dir, emb, cfg)
    assert (report.updated, report.unchanged, report.replaced, report.articles_indexed) == (1, 2, 0, 0)
    assert emb.texts == 0  # nothing re-embedded
    idx = LocalHybridIndex(index_dir, embedder=emb)
    article = idx.get_article("n2")
    assert article is not None and article.published == "2031-05-06"
    assert article.source == "example.org"  # no outlet given: the URL's host
    # the date window sees the new date: only n2's chunks are from 2031
    window = idx.search("story", k=50, filters=SearchFilters(published_from="2031-01-01"))
    assert window and {h.chunk.doc_id for h in window} == {"n2"}
    assert add_to_index([write_jsonl(tmp_path / "c.jsonl", corrected)], index_dir, emb, cfg).unchanged == 3


def test_an_update_that_changes_no_chunk_shares_bm25_instead_of_rebuilding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(4))], index_dir, emb, cfg)
    before = [(h.row, h.score) for h in LocalHybridIndex(index_dir, embedder=emb).search("harbour story", k=5)]

    def no_rebuild(tokens: object) -> None:
        raise AssertionError("BM25 rebuilt")

    monkeypatch.setattr("index.writer.SparseIndex.from_tokens", no_rebuild)
    again = _articles(4)
    again[0]["published"] = "2030-01-01"  # new metadata, same text
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", again)], index_dir, emb, cfg)
    assert (report.updated, report.unchanged, report.chunks_indexed) == (1, 3, 0)
    after = LocalHybridIndex(index_dir, embedder=emb)
    assert [(h.row, h.score) for h in after.search("harbour story", k=5)] == before
    versions = sorted(p for p in (index_dir / "versions").iterdir() if not p.name.startswith("."))
    for part in (store.SPARSE_DIR, store.TOKENS_DIR):
        old, new = (v / part for v in versions[-2:])
        assert sorted(f.name for f in old.iterdir()) == sorted(f.name for f in new.iterdir())
        assert all((old / f.name).read_bytes() == f.read_bytes() for f in new.iterdir())
    with pytest.raises(AssertionError, match="BM25 rebuilt"):  # a new article does need a new BM25
        add_to_index([write_jsonl(tmp_path / "c.jsonl", _articles(1, prefix="m"))], index_dir, emb, cfg)


def test_interrupted_build_leaves_old_index_working(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    good = build([SEEDS], index_dir, emb)
    version_before = store.current_version(index_dir)
    failing = CountingEmbedder(fail_after=5)
    many = write_jsonl(tmp_path / "many.jsonl", _articles(40))
    with pytest.raises(KeyboardInterrupt):
        build_index([many], index_dir, failing, IndexConfig(model=emb.name, embed_batch=2))
    assert store.current_version(index_dir) == version_before
    assert not list((index_dir / "versions").glob(".tmp-*"))
    reopened = LocalHybridIndex(index_dir, embedder=emb)
    assert reopened.search("prisoners escaped", k=1)[0].chunk.doc_id == SEED_ID
    assert good.info() == reopened.info()


def test_build_killed_with_sigkill_leaves_old_index(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    build([SEEDS], index_dir, emb)
    before = store.current_version(index_dir)
    many = write_jsonl(tmp_path / "many.jsonl", _articles(3000))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "qa", "index", "build", str(many), "--index", str(index_dir), "--model", "hashing-256"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((index_dir / "versions").glob(".tmp-*")):
        time.sleep(0.02)
    time.sleep(0.3)  # let it write part of the new version
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert store.current_version(index_dir) == before
    assert LocalHybridIndex(index_dir, embedder=emb).info()["articles"] == 1
    # the next build succeeds and cleans the leftovers
    build_index([SEEDS], index_dir, emb, IndexConfig(model=emb.name))
    assert not list((index_dir / "versions").glob(".tmp-*"))


def test_second_writer_is_locked_out(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    with store.writer_lock(index_dir), pytest.raises(IndexLocked, match="another build"):
        build_index([SEEDS], index_dir, emb, IndexConfig(model=emb.name))


def test_corrupt_index_file_is_named(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index_dir = tmp_path / "idx"
    build([SEEDS], index_dir, emb)
    faiss_file = store.current_version(index_dir) / store.DENSE_FILE
    data = bytearray(faiss_file.read_bytes())
    data[-10] ^= 0xFF
    faiss_file.write_bytes(bytes(data))
    with pytest.raises(IndexCorrupt, match=r"dense\.faiss"):
        LocalHybridIndex(index_dir, embedder=emb)
    manifest = store.current_version(index_dir) / store.MANIFEST
    manifest.write_text("{broken")
    with pytest.raises(IndexCorrupt, match=r"manifest\.json"):
        LocalHybridIndex(index_dir, embedder=emb)
    assert (index_dir / "CURRENT").read_text().strip() == store.current_version(index_dir).name  # nothing moved


def test_nothing_to_index_keeps_no_version(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(NothingToIndex):
        build_index([tmp_path / "empty.txt"], tmp_path / "idx", HashingEmbedder(), IndexConfig(model="hashing-256"))
    assert not store.has_index(tmp_path / "idx")


def test_filters_restrict_sources_and_dates(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    idx = build([write_jsonl(tmp_path / "a.jsonl", _articles(9))], tmp_path / "idx", emb)
    hits = idx.search("story", k=20, filters=SearchFilters(sources=("outlet 1",)))
    assert hits and {idx.get_article(h.chunk.doc_id).source for h in hits} == {"Outlet 1"}  # type: ignore[union-attr]
    hits = idx.search("story", k=20, filters=SearchFilters(published_from="2023-05-01", published_to="2023-06-30"))
    dates = {idx.get_article(h.chunk.doc_id).published for h in hits}  # type: ignore[union-attr]
    assert dates and all("2023-05-01" <= d <= "2023-06-30" for d in dates)
    assert idx.search("story", k=5, filters=SearchFilters(sources=("nobody",))) == []


def test_near_duplicates_are_folded_with_their_outlets(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    base = _articles(1)[0]
    copy = {
        **base,
        "doc_id": "copy",
        "source": "Wire Reprint",
        "url": "https://example.org/x",
        "text": "By Staff. " + str(base["text"]),
    }
    idx = build([write_jsonl(tmp_path / "a.jsonl", [base, copy])], tmp_path / "idx", emb)
    assert idx.info()["articles"] == 1
    art = idx.get_article("n0")
    assert art is not None and art.also_in[0]["source"] == "Wire Reprint"
    # the copy read again with a corrected outlet replaces its entry instead of adding a second
    fixed = write_jsonl(tmp_path / "b.jsonl", [base, {**copy, "source": "Wire Service"}])
    add_to_index([fixed], tmp_path / "idx", emb, IndexConfig(model=emb.name))
    again = LocalHybridIndex(tmp_path / "idx", embedder=emb).get_article("n0")
    assert again is not None and [c["source"] for c in again.also_in] == ["Wire Service"]


def test_add_extends_the_hnsw_graph_and_reuses_stored_signatures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.clean import NearDuplicateFinder
    from index.dense import DenseIndex

    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, hnsw_threshold=1)  # HNSW from the first vector
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(6))], index_dir, emb, cfg)
    builds: list[int] = []
    signed: list[str] = []
    real_build, real_signature = DenseIndex.build, NearDuplicateFinder._signature

    def counted_build(*args: Any, **kwargs: Any) -> DenseIndex:
        builds.append(1)
        return real_build(*args, **kwargs)

    def counted_signature(self: NearDuplicateFinder, article: Any) -> object:
        signed.append(article.doc_id)
        return real_signature(self, article)

    monkeypatch.setattr(DenseIndex, "build", counted_build)
    monkeypatch.setattr(NearDuplicateFinder, "_signature", counted_signature)
    first = _articles(1)[0]
    copy = {**first, "doc_id": "copy", "source": "Wire Reprint", "text": f"By Staff. {first['text']}"}
    new = [*_articles(2, prefix="m"), copy]
    report = add_to_index([write_jsonl(tmp_path / "b.jsonl", new)], index_dir, emb, cfg)
    assert builds == []  # the live graph was extended, not rebuilt
    assert sorted(signed) == ["copy", "m0", "m1"]  # existing articles came from stored signatures
    assert report.articles_indexed == 2 and report.near_duplicates == 1  # and still catch a reprint
    idx = LocalHybridIndex(index_dir, embedder=emb)
    dense = idx._version.dense
    assert dense.kind == "hnsw" and dense.size == idx.info()["chunks"]
    vectors = dense.vectors()
    assert all(dense.search(vectors[row], 1)[0][0] == row for row in range(len(vectors)))
    # a removal past the share of hidden rows allowed (a tenth) compacts them, so the graph is rebuilt
    remove_from_index(["m0"], index_dir, emb, cfg)
    assert builds == [1]


def test_date_windows_match_the_sql_filter_row_for_row(tmp_path: Path) -> None:
    from index.database import ArticleDB

    emb = HashingEmbedder()
    build([write_jsonl(tmp_path / "a.jsonl", _articles(9))], tmp_path / "idx", emb)
    path = store.current_version(tmp_path / "idx") / store.STORE_FILE
    fast, sql = ArticleDB(path, readonly=True), ArticleDB(path, readonly=False)
    windows = [("2023-05-01", "2023-06-30"), ("2023-03-15", ""), ("", "2023-04-01"), ("2030-01-01", "")]
    for start, end in windows:
        f = SearchFilters(published_from=start, published_to=end)
        assert fast.rows_matching(f).tolist() == sql.rows_matching(f).tolist()
    assert len(fast.rows_matching(SearchFilters(published_from="2023-05-01", published_to="2023-06-30"))) > 0


def test_query_vectors_are_cached_read_only_and_bounded() -> None:
    from index.embedding import HashingEmbedder, QueryVectors

    class Counting(HashingEmbedder):
        calls = 0

        def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
            Counting.calls += 1
            return super().encode(texts, progress)

    queries = QueryVectors(Counting(64), size=2)
    first = queries("who won the election?")
    assert np.array_equal(first, HashingEmbedder(64).encode(["who won the election?"])[0])
    assert queries("who won the election?") is first and Counting.calls == 1
    with pytest.raises(ValueError):
        first[0] = 1.0  # shared between requests: nobody may change it
    queries("b")
    queries("c")  # evicts the least recently used: the first question
    queries("who won the election?")
    assert Counting.calls == 4


def test_versions_published_in_one_second_keep_the_live_and_the_previous_one(tmp_path: Path) -> None:
    """Pruning keeps the newest versions by name: names made within one second must sort as made
    (they once ended in a random-looking counter, and the previous version could be deleted)."""
    index_dir = tmp_path / "idx"
    published: list[Path] = []
    for i in range(12):
        version = store.new_version_dir(index_dir)
        (version / "marker").write_text(str(i), encoding="utf-8")
        published.append(store.publish(index_dir, version))
        assert store.current_version(index_dir) == published[-1]
        kept = sorted(p for p in (index_dir / "versions").iterdir())
        assert kept == published[-2:]  # the live one and the one before it, nothing else
