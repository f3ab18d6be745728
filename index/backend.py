"""The search interface the rest of the code uses, and its local implementation.

``SearchBackend`` is deliberately small (search, get article, add, remove,
info) so that a distributed engine can replace ``LocalHybridIndex`` without
touching ``qa/`` or ``web/``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index import store
from index.builder import IndexConfig, add_to_index, compact_index, remove_from_index
from index.database import ArticleDB
from index.dense import DenseIndex
from index.embedding import Embedder, NoEncoder, QueryVectors, load_embedder
from index.embedding_onnx import onnx_query_embedder
from index.errors import IndexCorrupt, IndexMismatch
from index.fusion import reciprocal_rank_fusion
from index.sparse import SparseIndex
from index.types import Article, BuildReport, Hit, SearchFilters


@dataclass(frozen=True)
class SearchConfig:
    candidates: int = 50  # per retriever, before fusion
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    sparse_weight: float = 1.0


class Searcher(Protocol):
    """What answering needs: hybrid search and article lookup."""

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]: ...

    def get_article(self, doc_id: str) -> Article | None: ...


class SearchBackend(Searcher, Protocol):
    """The whole storage-and-search interface (a distributed engine implements this)."""

    def add(self, paths: Sequence[Path], quiet: bool = True) -> BuildReport: ...

    def remove(self, doc_ids: Sequence[str]) -> BuildReport: ...

    def info(self) -> dict[str, Any]: ...


class _Version:
    """One opened, immutable index version."""

    def __init__(self, path: Path, verify: bool) -> None:
        self.path = path
        self.manifest = store.read_manifest(path, verify=verify)
        self.db = ArticleDB(path / store.STORE_FILE, readonly=True)
        self.db.check()
        self.dense = DenseIndex.load(path / store.DENSE_FILE)
        n_chunks = int(self.manifest["chunks"])
        n_rows = int(self.manifest.get("rows", n_chunks))  # more when removed articles left rows hidden
        self.hidden_rows = n_rows - n_chunks
        if self.dense.size != n_rows:
            raise IndexCorrupt(f"{path}: the dense index holds {self.dense.size} rows, the manifest {n_rows}")
        live = None
        if n_rows != n_chunks:
            live = self.db.chunk_rows()
            if len(live) != n_chunks or (n_chunks and not 0 <= live[0] <= live[-1] < n_rows):
                raise IndexCorrupt(f"{path}: the store's chunks do not match the manifest; rebuild the index")
            self.dense.hide(np.setdiff1d(np.arange(n_rows, dtype=np.int64), live, assume_unique=True))
        self.sparse = SparseIndex.load(path / store.SPARSE_DIR, size=n_chunks, rows=live)
        self._coverage: dict[str, Any] | None = None
        self._sources: list[tuple[str, int]] | None = None

    def coverage(self) -> dict[str, Any]:
        """Dates and outlets the version holds, read once (a version never changes)."""
        if self._coverage is None:
            first, last, undated, outlets = self.db.coverage()
            self._coverage = {"published_from": first, "published_to": last, "undated": undated, "outlets": outlets}
        return self._coverage

    def sources(self) -> list[tuple[str, int]]:
        """(outlet, articles), most articles first, read once: the chat page lists them on every load."""
        if self._sources is None:
            self._sources = self.db.sources()
        return list(self._sources)  # a copy: callers may sort or trim it


class IndexReader:
    """Read operations pinned to one version: a request sees one consistent index
    even if a new version is published while it runs."""

    def __init__(
        self, version: _Version, query_vector: Callable[[str], np.ndarray], search_config: SearchConfig
    ) -> None:
        self._version = version
        self.query_vector = query_vector
        self.search_config = search_config

    @property
    def manifest(self) -> dict[str, Any]:
        return self._version.manifest

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        version, cfg = self._version, self.search_config
        allowed = None if filters is None or filters.is_empty() else version.db.rows_matching(filters)
        n = max(k, cfg.candidates)
        vector = self.query_vector(query)
        dense = version.dense.search(vector, n, allowed)
        sparse = version.sparse.search(query, n, allowed)
        fused = reciprocal_rank_fusion(
            [[r for r, _ in dense], [r for r, _ in sparse]],
            weights=[cfg.dense_weight, cfg.sparse_weight],
            k=cfg.rrf_k,
            limit=k,
        )
        dense_rank = {r: i for i, (r, _) in enumerate(dense, start=1)}
        sparse_rank = {r: i for i, (r, _) in enumerate(sparse, start=1)}
        chunks = version.db.chunks([r for r, _ in fused])
        return [
            Hit(row=r, chunk=chunks[r], score=s, dense_rank=dense_rank.get(r), sparse_rank=sparse_rank.get(r))
            for r, s in fused
            if r in chunks
        ]

    def get_article(self, doc_id: str) -> Article | None:
        return self._version.db.article(doc_id)

    def info(self) -> dict[str, Any]:
        m = self._version.manifest
        return {
            "version": self._version.path.name,
            "model": m["model"],
            "dim": m["dim"],
            "dense_index": m["dense_index"],
            "articles": m["articles"],
            "chunks": m["chunks"],
            "hidden_rows": self._version.hidden_rows,  # of removed articles, until compacted
            "built_at": m["built_at"],
            "format_version": m["format_version"],
            **self._version.coverage(),
        }

    def sources(self) -> list[tuple[str, int]]:
        return self._version.sources()


class LocalHybridIndex:
    """FAISS + BM25 + SQLite in one directory; hybrid search by RRF.

    Reads go to the live version; ``maybe_reload`` (called by the server between
    requests) switches to a newly published version without a restart.
    """

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder | None = None,
        search_config: SearchConfig | None = None,
        precision: str = "auto",
        verify: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        self.index_dir = index_dir
        self.search_config = search_config or SearchConfig()
        self._verify = verify
        self._lock = threading.Lock()
        self._version = _Version(store.current_version(index_dir), verify)
        self._pointer_seen = store.pointer_state(index_dir)
        self._stale = False  # this object published a version it has not opened yet
        self._checked_at = time.monotonic()
        # The model is the same in every version (reload refuses another). It is loaded on first
        # use, since listing and removing articles need none (its imports alone take seconds).
        self.model = str(self._version.manifest["model"])
        self._precision = precision
        # Given a cache directory, questions are embedded on ONNX Runtime where that gives the same
        # vectors sooner (index.embedding_onnx); additions are always embedded by load_embedder's model.
        self._cache_dir = cache_dir
        self._given = embedder
        self._model_lock = threading.Lock()
        self._query_vectors: QueryVectors | None = None
        if embedder is not None:
            self._use(embedder)

    def _use(self, embedder: Embedder) -> QueryVectors:
        if embedder.name != self.model or embedder.dim != self._version.manifest["dim"]:
            raise IndexMismatch(
                f"the index at {self.index_dir} was built with {self.model!r}; the embedder is {embedder.name!r}"
            )
        self._query_vectors = QueryVectors(embedder)
        return self._query_vectors

    def _queries(self) -> QueryVectors:
        with self._model_lock:
            if self._query_vectors is None:
                fast = onnx_query_embedder(self.model, self._precision, self._cache_dir) if self._cache_dir else None
                self._use(fast or load_embedder(self.model, self._precision))
            assert self._query_vectors is not None
            return self._query_vectors

    def load_model(self) -> Embedder:
        """The index's embedding model, loaded now if it was not yet (a server does it at start)."""
        return self._queries().embedder

    @property
    def embedder(self) -> Embedder:
        """What ``add`` embeds passages with."""
        if self._given is not None or self._cache_dir is None:
            return self.load_model()
        return load_embedder(self.model, self._precision)

    def _query_vector(self, query: str) -> np.ndarray:
        return self._queries()(query)

    # -- reading ---------------------------------------------------------
    def _current(self) -> _Version:
        """The version reads go to: after this object's own update, the one it published
        (opened on the first read, so an update in a process about to exit never opens it)."""
        if self._stale:
            self.reload()
        return self._version

    def pinned(self) -> IndexReader:
        return IndexReader(self._current(), self._query_vector, self.search_config)

    @property
    def manifest(self) -> dict[str, Any]:
        return self._current().manifest

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        return self.pinned().search(query, k, filters)

    def get_article(self, doc_id: str) -> Article | None:
        return self.pinned().get_article(doc_id)

    def info(self) -> dict[str, Any]:
        return {"path": str(self.index_dir), **self.pinned().info()}

    def sources(self) -> list[tuple[str, int]]:
        return self.pinned().sources()

    # -- writing ---------------------------------------------------------
    def _config(self) -> IndexConfig:
        # the builder reads the rest of the build settings back from the manifest
        return IndexConfig(model=self.manifest["model"])

    def add(self, paths: Sequence[Path], quiet: bool = True) -> BuildReport:
        report = add_to_index(paths, self.index_dir, self.embedder, self._config(), quiet=quiet)
        self._stale = True
        return report

    def remove(self, doc_ids: Sequence[str]) -> BuildReport:
        # Nothing is embedded: the model's name and dimension are all the builder needs.
        report = remove_from_index(doc_ids, self.index_dir, NoEncoder(self.model, self.manifest["dim"]), self._config())
        self._stale = True
        return report

    def compact(self) -> BuildReport:
        """Drop the hidden rows of removed and replaced articles now (nothing is embedded)."""
        report = compact_index(self.index_dir, NoEncoder(self.model, self.manifest["dim"]), self._config())
        self._stale = True
        return report

    # -- switching versions ------------------------------------------------
    def reload(self) -> bool:
        """Switch to the live version if it changed; requests in flight keep theirs.

        A new version that fails to load (corrupt, mismatched) raises, and the
        current one stays in service.
        """
        with self._lock:
            state = store.pointer_state(self.index_dir)
            path = store.current_version(self.index_dir)
            if path == self._version.path:
                self._pointer_seen, self._stale = state, False
                return False
            version = _Version(path, self._verify)
            if version.manifest["model"] != self.model:
                raise IndexMismatch(f"the new index version {path.name} uses another model; restart to switch")
            self._version = version
            self._pointer_seen, self._stale = state, False
            return True

    def maybe_reload(self, min_interval: float = 1.0) -> bool:
        """Cheap check (one stat at most every ``min_interval`` seconds) for a new version."""
        now = time.monotonic()
        if now - self._checked_at < min_interval:
            return False
        self._checked_at = now
        if store.pointer_state(self.index_dir) == self._pointer_seen:
            return False
        return self.reload()
