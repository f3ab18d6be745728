"""Dense vector search with FAISS, behind one small interface.

Row ``i`` of the index is chunk row ``i`` of the store. Small archives use an
exact ``IndexFlatIP``; above ``hnsw_threshold`` vectors an HNSW graph gives
approximate search at a fraction of the cost. Both keep the vectors, so an
update can re-read them instead of re-embedding (``vectors()``).

Removing an article leaves its rows in place, hidden from search (``hide``):
renumbering rows would mean rebuilding the whole graph, which cost 57% of a
20-article removal on the full archive (bench/RESULTS.md). The builder
compacts the rows once hidden ones pass a share of them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import faiss
import numpy as np

DEFAULT_HNSW_THRESHOLD = 50_000


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Run one query on the calling thread alone. faiss splits a single query's exact search
    over its OpenMP threads, which made it 3-5x slower on a 2-core machine (bench/RESULTS.md).
    OpenMP's thread count belongs to the calling thread, so builds elsewhere keep theirs."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


class DenseIndex:
    def __init__(self, index: faiss.Index, kind: str) -> None:
        self._index = index
        self.kind = kind
        self._hidden: Any = None  # faiss selectors of the rows search skips, if any
        self._visible: Any = None

    def hide(self, rows: np.ndarray) -> None:
        """Rows (of removed articles) that stay in the index but are never returned."""
        if len(rows):
            self._hidden = faiss.IDSelectorBatch(np.asarray(rows, dtype=np.int64))
            self._visible = faiss.IDSelectorNot(self._hidden)  # points into _hidden: keep both alive
        else:
            self._hidden = self._visible = None

    @classmethod
    def build(cls, vectors: np.ndarray, hnsw_threshold: int = DEFAULT_HNSW_THRESHOLD, hnsw_m: int = 32) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        index: faiss.Index
        if len(vectors) >= hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 128
            kind = "hnsw"
        else:
            index = faiss.IndexFlatIP(dim)
            kind = "flat"
        if len(vectors):
            index.add(vectors)
        return cls(index, kind)

    def add(self, vectors: np.ndarray) -> None:
        """Append rows (HNSW inserts them into the existing graph)."""
        if len(vectors):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def vectors(self) -> np.ndarray:
        if self.size == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._index.reconstruct_n(0, self.size), dtype=np.float32)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top ``k`` (row, cosine) for one normalized query vector.

        ``allowed``: optional sorted int64 array of rows the search may return
        (none of them hidden: the store lists only live rows).
        """
        if self.size == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params: Any = None
        selector: Any = self._visible
        if allowed is not None:
            if len(allowed) == 0:
                return []
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
        if selector is not None:
            if self.kind == "hnsw":
                # (faiss's type stubs lag behind its SWIG classes)
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(128, k))  # type: ignore[attr-defined]
            else:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        with _one_thread():  # (HNSW gives one query one thread anyway)
            scores, rows = self._index.search(q, min(k, self.size), params=params)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        index = faiss.read_index(str(path))
        kind = "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"
        return cls(index, kind)
