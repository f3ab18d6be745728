"""Writing one index version: clean, dedupe, chunk, embed and store articles, then
the vectors, BM25 and the manifest.

``VersionWriter`` fills a fresh version directory (``index.builder`` owns the
transaction around it: the writer lock, publishing, removing a failed version).
On an update it starts from the live version's store, vectors and BM25 tokens;
rows never move, so removed articles leave hidden rows and the dense graph is
extended, not rebuilt.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index import store
from index.chunking import chunk_article
from index.clean import Deduplicator, clean_article, content_hash, copy_record
from index.database import ArticleDB
from index.dense import DEFAULT_HNSW_THRESHOLD, DenseIndex
from index.embedding import DEFAULT_MODEL, Embedder
from index.errors import NothingToIndex, UnknownArticle
from index.progress import progress
from index.sources import count_records, read_sources
from index.sparse import EMPTY, PassageTokens, SparseIndex, tokenize_passages
from index.types import Article, BuildReport, Chunk, SourceProblem


@dataclass(frozen=True)
class IndexConfig:
    """Build-time settings; recorded in the manifest of every version."""

    model: str = DEFAULT_MODEL
    chunk_words: int = 150
    chunk_max_words: int = 200
    hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD
    near_duplicate_threshold: float = 0.8
    embed_batch: int = 256
    # Removed and replaced articles leave their rows in place, hidden from search, until they
    # pass this share of all rows; then rows are renumbered and the dense graph rebuilt.
    max_hidden_share: float = 0.1


def passage_text(title: str, chunk_text: str) -> str:
    """What gets embedded and BM25-indexed for a chunk: the headline gives
    every passage its story's context ("the escapes" → which escapes)."""
    return f"{title}\n{chunk_text}" if title else chunk_text


def _metadata(article: Article) -> tuple[str, str, str, str]:
    """What an article carries besides its title and text (which ``content_hash`` covers)."""
    return article.source, article.published, article.url, article.credit


class VersionWriter:
    def __init__(
        self, version: Path, embedder: Embedder, config: IndexConfig, report: BuildReport, compact: bool = False
    ) -> None:
        self.version = version
        self.embedder = embedder
        self.config = config
        self.report = report
        self.db = ArticleDB(version / store.STORE_FILE)
        self.dedupe = Deduplicator(config.near_duplicate_threshold)
        self.vectors: list[np.ndarray] = []
        self.base_dense: DenseIndex | None = None  # the live graph, extended in place when rows are unchanged
        self.base: Path | None = None  # the live version an update starts from
        self.compact = compact  # drop every hidden row now, whatever their share
        self.tokens_from_base = False  # the live version's tokens/ read back as they are
        self.next_row = 0
        self._pending: list[tuple[str, Chunk]] = []
        # Every row's BM25 tokens, in row order (the live version's first, on an update):
        self.vocab: dict[str, int] = {EMPTY: 0}
        self.token_parts: list[tuple[np.ndarray, np.ndarray]] = []

    def start_from(self, base: Path, remove: set[str]) -> None:
        """Copy the live version's store and vectors, minus removed articles."""
        self.base = base
        self.db.close()
        shutil.copyfile(base / store.STORE_FILE, self.db.path)
        self.db = ArticleDB(self.db.path)
        # Rows never move on an update (removed ones are hidden), so the live graph is extended.
        self.base_dense = DenseIndex.load(base / store.DENSE_FILE)
        self.vectors.append(self.base_dense.vectors())
        self.next_row = len(self.vectors[0])
        self._seed_tokens(base)
        existing = set(self.db.digests())
        unknown = sorted(remove - existing)
        if unknown:
            raise UnknownArticle(f"no article with id {', '.join(map(repr, unknown[:5]))} in the index")
        gone = sorted(remove)
        self.db.delete_articles(gone)
        self.report.removed += len(gone)
        # Stored signatures make this a lookup; indexes from before they were
        # stored compute them once here and keep them for the next update.
        signatures = self.db.signatures()
        for doc_id, digest in self.db.digests().items():
            if doc_id in signatures:
                self.dedupe.seed(doc_id, digest, signature=signatures[doc_id])
            else:
                self.dedupe.seed(doc_id, digest, self.db.article(doc_id))
                self._keep_signature(doc_id)

    def _seed_tokens(self, base: Path) -> None:
        """The live version's passage tokens: read back, or (an index from before they
        were kept, or unreadable ones) tokenized once from its passages."""
        n_rows = self.next_row  # hidden rows included
        try:
            tokens = PassageTokens.load(base / store.TOKENS_DIR)
            if len(tokens) != n_rows:
                raise ValueError("passage tokens do not match the rows")
            self.tokens_from_base = True
        except (OSError, ValueError):
            texts = [""] * n_rows  # a hidden row's text is gone; it is never searched
            for row, title, text in self.db.all_chunk_texts():
                texts[row] = passage_text(title, text)
            tokens = PassageTokens.of(texts)
        self.vocab = dict(tokens.vocab)
        self.token_parts = [(tokens.ids, tokens.lengths())]

    def _keep_signature(self, doc_id: str) -> None:
        blob = self.dedupe.near.signature_bytes(doc_id)
        if blob is not None:
            self.db.put_signature(doc_id, blob)

    def add(self, article: Article) -> None:
        self.report.articles_in += 1
        article, dropped = clean_article(article)
        self.report.repeated_paragraphs += dropped
        if not article.text:
            self.report.problems.append(SourceProblem(article.doc_id, "empty after cleaning"))
            return
        existing = self.db.article(article.doc_id)
        if existing is not None and content_hash(existing) == content_hash(article):
            if _metadata(existing) != _metadata(article):  # a corrected date or outlet needs no re-embedding
                self.db.update_metadata(article)
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            return
        if existing is not None:  # the same id with new content replaces the old one
            self.db.delete_articles([article.doc_id])
            self.dedupe.forget(article.doc_id, content_hash(existing))
            self.report.replaced += 1
        kind, canonical = self.dedupe.check(article)
        if canonical is not None:
            if kind == "exact":
                self.report.exact_duplicates += 1
            else:
                self.report.near_duplicates += 1
            if canonical != article.doc_id:
                self.db.add_copy(canonical, copy_record(article))
            return
        self.db.put_article(article, content_hash(article))
        self._keep_signature(article.doc_id)
        self.report.articles_indexed += 1
        for chunk in chunk_article(article.doc_id, article.text, self.config.chunk_words, self.config.chunk_max_words):
            self._pending.append((article.title, chunk))
        if len(self._pending) >= self.config.embed_batch * 4:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        texts = [passage_text(title, chunk.text) for title, chunk in self._pending]
        self.vectors.append(self.embedder.encode(texts))
        self.token_parts.append(tokenize_passages(texts, self.vocab))
        rows = range(self.next_row, self.next_row + len(self._pending))
        self.db.put_chunks(zip(rows, (chunk for _, chunk in self._pending), strict=True))
        self.next_row += len(self._pending)
        self.report.chunks_indexed += len(self._pending)
        self._pending.clear()

    def finish(self, started: float) -> None:
        """Write the vectors, BM25 and the manifest; ``started``: when the build began, for its report."""
        self.flush()
        vectors = np.concatenate(self.vectors) if self.vectors else np.zeros((0, self.embedder.dim), np.float32)
        tokens = PassageTokens.join(self.vocab, self.token_parts)
        live = self.db.chunk_rows()  # removed and replaced articles leave hidden rows between these
        hidden = len(vectors) - len(live)
        if hidden > self.config.max_hidden_share * len(vectors) or (self.compact and hidden):
            self.report.compacted = hidden
            self.db.renumber_chunks(live)  # rows live[i] → i
            vectors, tokens = vectors[live], tokens.select(live)
            live = np.arange(len(live), dtype=np.int64)
            self.base_dense = None  # rows moved: the graph is rebuilt
        self.db.commit()
        n_chunks = len(live)
        if n_chunks == 0:
            raise NothingToIndex("nothing to index: no readable article with text in the given sources")
        assert len(vectors) == len(tokens) >= n_chunks, (len(vectors), len(tokens), n_chunks)
        dense = self._dense(vectors)
        # What would be byte for byte the live version's is linked from it, not written again:
        # the vectors and tokens when no row was added or moved (a removal only hides rows),
        # and BM25 when no passage changed at all.
        base, r = self.base, self.report
        same_rows_as = base if dense is self.base_dense and r.chunks_indexed == r.compacted == 0 else None
        if same_rows_as is not None:
            store.link_file(same_rows_as / store.DENSE_FILE, self.version / store.DENSE_FILE)
        else:
            dense.save(self.version / store.DENSE_FILE)
        if base is not None and self._same_chunks():
            store.link_tree(base / store.SPARSE_DIR, self.version / store.SPARSE_DIR)
        else:  # BM25 over the live rows only, so its statistics are those of a fresh build
            live_tokens = tokens if n_chunks == len(tokens) else tokens.select(live)
            SparseIndex.from_tokens(live_tokens).save(self.version / store.SPARSE_DIR)
        if same_rows_as is not None and self.tokens_from_base:
            store.link_tree(same_rows_as / store.TOKENS_DIR, self.version / store.TOKENS_DIR)
        else:
            tokens.save(self.version / store.TOKENS_DIR)
        manifest = {
            "model": self.config.model,
            "dim": self.embedder.dim,
            "dense_index": dense.kind,
            "articles": self.db.count("articles"),
            "chunks": n_chunks,
            "rows": len(vectors),  # chunks plus hidden rows of removed articles
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "config": asdict(self.config),
        }
        self.report.seconds = round(time.perf_counter() - started, 3)  # all but checksumming the files
        manifest["last_build"] = _report_dict(self.report)
        self.db.close()
        store.write_manifest(self.version, manifest, base=base)

    def _same_chunks(self) -> bool:
        """An update that added, replaced, removed and compacted nothing (unchanged articles,
        new metadata, folded duplicates) leaves every chunk's passage text where it was."""
        r = self.report
        return r.chunks_indexed == 0 and r.replaced == 0 and r.removed == 0 and r.compacted == 0

    def _dense(self, vectors: np.ndarray) -> DenseIndex:
        """Extend the live graph with the new rows when nothing before them moved
        (any update that does not compact); build afresh otherwise (a first build, a
        compaction, or an archive that just crossed the exact → HNSW threshold)."""
        base = self.base_dense
        wanted = "hnsw" if len(vectors) >= self.config.hnsw_threshold else "flat"
        if base is not None and base.kind == wanted and base.size <= len(vectors):
            base.add(vectors[base.size :])
            return base
        return DenseIndex.build(vectors, hnsw_threshold=self.config.hnsw_threshold)


def ingest(writer: VersionWriter, paths: Sequence[Path], quiet: bool) -> None:
    writer.report.files_read, total = count_records(paths)
    bar = progress(total, "indexing", "articles", quiet)
    try:
        for item in read_sources(paths):
            bar.update(1)
            if isinstance(item, SourceProblem):
                writer.report.problems.append(item)
            else:
                writer.add(item)
            bar.set_postfix(chunks=writer.report.chunks_indexed + len(writer._pending), refresh=False)
        writer.flush()
        bar.set_postfix(chunks=writer.report.chunks_indexed)
    finally:
        bar.close()


def _report_dict(report: BuildReport) -> dict[str, Any]:
    data = asdict(report)
    data["problems"] = len(report.problems)
    return data
