"""The search interface the rest of the code uses, and its local implementation.

``SearchBackend`` is deliberately small (search, get article, add, remove,
info) so that a distributed engine can replace ``LocalHybridIndex`` without
touching ``qa/`` or ``web/``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from index import store
from index.builder import IndexConfig, add_to_index, remove_from_index
from index.database import ArticleDB
from index.dense import DenseIndex
from index.embedding import Embedder, load_embedder
from index.errors import IndexMismatch
from index.fusion import reciprocal_rank_fusion
from index.sparse import SparseIndex
from index.types import Article, BuildReport, Hit, SearchFilters


@dataclass(frozen=True)
class SearchConfig:
    candidates: int = 50  # per retriever, before fusion
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    sparse_weight: float = 1.0


class SearchBackend(Protocol):
    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]: ...

    def get_article(self, doc_id: str) -> Article | None: ...

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
        self.sparse = SparseIndex.load(path / store.SPARSE_DIR, size=int(self.manifest["chunks"]))


class LocalHybridIndex:
    """FAISS + BM25 + SQLite in one directory; hybrid search by RRF."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder | None = None,
        search_config: SearchConfig | None = None,
        precision: str = "auto",
        verify: bool = True,
    ) -> None:
        self.index_dir = index_dir
        self.search_config = search_config or SearchConfig()
        self._verify = verify
        self._lock = threading.Lock()
        self._version = _Version(store.current_version(index_dir), verify)
        model = self._version.manifest["model"]
        self.embedder = embedder or load_embedder(model, precision)
        if self.embedder.name != model or self.embedder.dim != self._version.manifest["dim"]:
            raise IndexMismatch(
                f"the index at {index_dir} was built with {model!r}; the embedder is {self.embedder.name!r}"
            )

    # -- reading ---------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        return self._version.manifest

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        version = self._version  # one consistent version for the whole request
        cfg = self.search_config
        allowed = None if filters is None or filters.is_empty() else version.db.rows_matching(filters)
        n = max(k, cfg.candidates)
        vector = self.embedder.encode([query])[0]
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
            "path": str(self.index_dir),
            "version": self._version.path.name,
            "model": m["model"],
            "dim": m["dim"],
            "dense_index": m["dense_index"],
            "articles": m["articles"],
            "chunks": m["chunks"],
            "built_at": m["built_at"],
            "format_version": m["format_version"],
        }

    def sources(self) -> list[tuple[str, int]]:
        return self._version.db.sources()

    # -- writing ---------------------------------------------------------
    def _config(self) -> IndexConfig:
        fields = IndexConfig.__dataclass_fields__
        return IndexConfig(**{k: v for k, v in self.manifest.get("config", {}).items() if k in fields})

    def add(self, paths: Sequence[Path], quiet: bool = True) -> BuildReport:
        report = add_to_index(paths, self.index_dir, self.embedder, self._config(), quiet=quiet)
        self.reload()
        return report

    def remove(self, doc_ids: Sequence[str]) -> BuildReport:
        report = remove_from_index(doc_ids, self.index_dir, self.embedder, self._config())
        self.reload()
        return report

    def reload(self) -> bool:
        """Switch to the live version if it changed; requests in flight keep theirs."""
        with self._lock:
            path = store.current_version(self.index_dir)
            if path == self._version.path:
                return False
            self._version = _Version(path, self._verify)
            return True
