from pathlib import Path
from typing import Any

import numpy as np

from index.dense import DenseIndex


def _vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_flat_below_threshold_hnsw_above_and_they_agree(tmp_path: Path) -> None:
    vectors = _vectors(2000)
    flat = DenseIndex.build(vectors, hnsw_threshold=10_000)
    hnsw = DenseIndex.build(vectors, hnsw_threshold=1000)
    assert (flat.kind, hnsw.kind) == ("flat", "hnsw")
    queries = _vectors(50, seed=1)
    recall = np.mean(
        [len({r for r, _ in flat.search(q, 10)} & {r for r, _ in hnsw.search(q, 10)}) / 10 for q in queries]
    )
    assert recall >= 0.9
    hnsw.save(tmp_path / "h.faiss")
    loaded = DenseIndex.load(tmp_path / "h.faiss")
    assert loaded.kind == "hnsw" and loaded.size == 2000
    assert np.allclose(loaded.vectors()[5], vectors[5], atol=1e-6)


def test_allowed_rows_restrict_both_kinds() -> None:
    vectors = _vectors(1500)
    allowed = np.arange(0, 1500, 7, dtype=np.int64)
    for index in (DenseIndex.build(vectors, hnsw_threshold=10_000), DenseIndex.build(vectors, hnsw_threshold=100)):
        rows = [r for r, _ in index.search(vectors[3], 10, allowed=allowed)]
        assert rows and set(rows) <= set(allowed.tolist())
        assert index.search(vectors[3], 10, allowed=np.array([], dtype=np.int64)) == []
        assert index.search(vectors[14], 1, allowed=allowed)[0][0] == 14


def test_a_search_runs_on_one_thread_and_gives_the_thread_count_back() -> None:
    """A single query's exact search is not split over faiss's threads (slower on few cores), and
    the caller's OpenMP thread count (which an HNSW build uses) is left as it was."""
    import faiss

    vectors = _vectors(30_000)
    flat = DenseIndex.build(vectors, hnsw_threshold=10**6)
    before = faiss.omp_get_max_threads()
    seen: list[int] = []
    real_search: Any = flat._index.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(faiss.omp_get_max_threads())
        return real_search(*args, **kwargs)

    flat._index.search = spy  # type: ignore[method-assign]  # (an instance attribute: only this index)
    queries = _vectors(5, seed=3)
    found = [flat.search(q, 10) for q in queries]
    assert seen == [1] * 5 and faiss.omp_get_max_threads() == before
    exact = np.argsort(-(vectors @ queries.T), axis=0)[:10].T  # the same rows, in order, as numpy finds
    assert [[r for r, _ in hits] for hits in found] == exact.tolist()
