"""Kept BM25 tokens: an update tokenizes only its new passages, and its BM25 is
the one a fresh build over the same articles would have."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index import store
from index.backend import LocalHybridIndex
from index.builder import IndexConfig, add_to_index, build_index, remove_from_index
from index.embedding import HashingEmbedder
from index.sparse import PassageTokens, SparseIndex
from tests.conftest import write_jsonl
from tests.test_index import _articles

TEXTS = [
    "The council approved the river bridge budget on Monday.",
    "",
    "Storm damage closed the school; the council met again.",
    "Doctors at the hospital said 12 patients were treated.",
    "The bridge reopened after the storm.",
]
QUERIES = ["council budget", "storm school", "bridge", "hospital patients", "river", "harbour story number"]


def _words(tokens: PassageTokens) -> list[list[str]]:
    names = {i: w for w, i in tokens.vocab.items()}
    return [[names[int(i)] for i in doc] for doc in tokens.passages()]


def test_selected_passages_are_those_passages_tokenized_afresh() -> None:
    tokens = PassageTokens.of(TEXTS)
    assert len(tokens) == len(TEXTS) and tokens.offsets[-1] == len(tokens.ids)
    for order in ([4, 0, 1], [0, 1, 4], [1, 2, 3], [2], list(range(len(TEXTS)))):  # in order: a faster path
        picked = tokens.select(np.array(order))
        assert _words(picked) == _words(PassageTokens.of([TEXTS[r] for r in order]))
        assert picked.offsets[-1] == len(picked.ids) and picked.ids.dtype == np.int32
    rows = np.array([4, 0, 1])
    kept = SparseIndex.from_tokens(tokens.select(rows))
    fresh = SparseIndex.build([TEXTS[r] for r in rows])
    for q in QUERIES:
        got, want = kept.search(q, 3), fresh.search(q, 3)
        assert [r for r, _ in got] == [r for r, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-6)
    assert any(kept.search(q, 3) for q in QUERIES)


def test_join_continues_the_vocabulary() -> None:
    from index.sparse import EMPTY, tokenize_passages

    vocab = {EMPTY: 0}
    parts = [tokenize_passages(TEXTS[:2], vocab), tokenize_passages(TEXTS[2:], vocab)]
    assert _words(PassageTokens.join(vocab, parts)) == _words(PassageTokens.of(TEXTS))


def test_inconsistent_token_files_are_refused(tmp_path: Path) -> None:
    tokens = PassageTokens.of(TEXTS)
    tokens.save(tmp_path / "ok")
    assert _words(PassageTokens.load(tmp_path / "ok")) == _words(tokens)
    short = PassageTokens(tokens.vocab, tokens.ids[:-1], tokens.offsets)
    short.save(tmp_path / "short")
    with pytest.raises(ValueError, match="offsets"):
        PassageTokens.load(tmp_path / "short")
    unknown = PassageTokens({"": 0}, tokens.ids, tokens.offsets)
    unknown.save(tmp_path / "unknown")
    with pytest.raises(ValueError, match="vocabulary"):
        PassageTokens.load(tmp_path / "unknown")


def _bm25(index_dir: Path, emb: HashingEmbedder) -> list[list[tuple[str, int, float]]]:
    """Each query's BM25 matches as (article, passage start, score): rows may differ between builds."""
    version = LocalHybridIndex(index_dir, embedder=emb)._version
    result = []
    for q in QUERIES:
        hits = version.sparse.search(q, 10_000)  # every match: ties make a top k differ by row
        chunks = version.db.chunks([r for r, _ in hits])
        result.append(sorted((chunks[r].doc_id, chunks[r].start, round(s, 4)) for r, s in hits))
    return result


def _count_tokenized(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import index.writer

    counted: list[int] = []
    real = index.writer.tokenize_passages

    def counting(texts: Sequence[str], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        counted.append(len(texts))
        return real(texts, vocab)

    monkeypatch.setattr(index.writer, "tokenize_passages", counting)
    return counted


@pytest.mark.parametrize("max_hidden_share", [0.0, 1.0], ids=["compacted", "rows-hidden"])
def test_an_update_tokenizes_only_its_new_passages_and_matches_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_hidden_share: float
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, max_hidden_share=max_hidden_share)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(6))], index_dir, emb, cfg)
    counted = _count_tokenized(monkeypatch)

    def no_retokenizing(texts: Sequence[str]) -> PassageTokens:
        raise AssertionError("the live version's passages were tokenized again")

    monkeypatch.setattr(PassageTokens, "of", no_retokenizing)
    changed = _articles(6)
    changed[2]["text"] = "A rewritten report about a harbour strike and the tunnel budget. " * 15
    report = add_to_index(
        [write_jsonl(tmp_path / "b.jsonl", [*changed, *_articles(2, prefix="m")])], index_dir, emb, cfg
    )
    assert report.replaced == 1 and report.articles_indexed == 3
    assert sum(counted) == report.chunks_indexed  # the new and replaced passages only
    remove_from_index(["n4", "m0"], index_dir, emb, cfg)
    monkeypatch.undo()

    final = [a for a in [*changed, *_articles(2, prefix="m")] if a["doc_id"] not in ("n4", "m0")]
    build_index([write_jsonl(tmp_path / "c.jsonl", final)], tmp_path / "fresh", emb, cfg)
    assert _bm25(index_dir, emb) == _bm25(tmp_path / "fresh", emb)
    live = store.current_version(index_dir)
    manifest = store.read_manifest(live)
    assert len(PassageTokens.load(live / store.TOKENS_DIR)) == manifest["rows"]
    assert (manifest["rows"] > manifest["chunks"]) == (max_hidden_share == 1.0)


def test_an_index_without_kept_tokens_is_tokenized_once_and_then_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name)
    index_dir = tmp_path / "idx"
    build_index([write_jsonl(tmp_path / "a.jsonl", _articles(4))], index_dir, emb, cfg)

    def missing(directory: Path) -> PassageTokens:
        raise FileNotFoundError(directory)  # an index from before tokens were kept

    with monkeypatch.context() as m:
        m.setattr(PassageTokens, "load", missing)
        add_to_index([write_jsonl(tmp_path / "b.jsonl", _articles(2, prefix="m"))], index_dir, emb, cfg)
    build_index(
        [write_jsonl(tmp_path / "c.jsonl", [*_articles(4), *_articles(2, prefix="m")])], tmp_path / "f", emb, cfg
    )
    assert _bm25(index_dir, emb) == _bm25(tmp_path / "f", emb)
    live = store.current_version(index_dir)
    assert len(PassageTokens.load(live / store.TOKENS_DIR)) == store.read_manifest(live)["chunks"]


def test_the_reported_time_covers_the_bm25_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI prints report.seconds: it once stopped before the vectors and BM25 were written,
    reporting 12 s for an add that took 46 s."""
    import time

    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name)
    real = SparseIndex.from_tokens

    def slow(tokens: PassageTokens) -> SparseIndex:
        time.sleep(0.5)
        return real(tokens)

    monkeypatch.setattr(SparseIndex, "from_tokens", slow)
    report = build_index([write_jsonl(tmp_path / "a.jsonl", _articles(2))], tmp_path / "idx", emb, cfg)
    assert report.seconds >= 0.5
    manifest = store.read_manifest(store.current_version(tmp_path / "idx"))
    assert manifest["last_build"]["seconds"] >= 0.5
