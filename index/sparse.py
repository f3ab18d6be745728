"""BM25 over chunks with bm25s (fast sparse scoring, numpy persistence).

Documents and queries go through ``index.tokenize.tokenize``; bm25s gets token
ids into our own vocabulary, so its own tokenizer is never used. Scoring is
Lucene's BM25 (k1=1.5, b=0.75, idf = log(1 + (N - n + 0.5) / (n + 0.5))), which
never gives negative weights to very common terms.

bm25s's matrix cannot be appended to (every score depends on N and the mean
length), so an update rebuilds it; but each passage's tokens are kept beside it
(``PassageTokens``), so the rebuild tokenizes only the new passages: tokenizing
was over half of a rebuild (bench/RESULTS.md). The matrix itself is computed by
``lucene_matrix`` in a few array operations, bit for bit the one bm25s's own
``index()`` builds in a Python loop per passage, 4x slower at 200k passages;
bm25s then scores, saves and loads it as its own.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from index.tokenize import tokenize

K1, B = 1.5, 0.75
EMPTY = ""  # the token of a passage with no words: keeps bm25s happy and rows aligned
logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import


def tokenize_passages(texts: Sequence[str], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (end to end) and each passage's length; words new to ``vocab`` are added to it."""
    docs = [[vocab.setdefault(t, len(vocab)) for t in (tokenize(text) or [EMPTY])] for text in texts]
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    ids = np.fromiter(itertools.chain.from_iterable(docs), dtype=np.int32, count=int(lengths.sum()))
    return ids, lengths


@dataclass(frozen=True)
class PassageTokens:
    """Every passage's tokens as ids into ``vocab``; passage i is ``ids[offsets[i]:offsets[i + 1]]``."""

    vocab: dict[str, int]
    ids: np.ndarray  # int32
    offsets: np.ndarray  # int64, one more than there are passages

    @classmethod
    def of(cls, texts: Sequence[str]) -> PassageTokens:
        vocab = {EMPTY: 0}
        return cls.join(vocab, [tokenize_passages(texts, vocab)])

    @classmethod
    def join(cls, vocab: dict[str, int], parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> PassageTokens:
        """Passages from ``(ids, lengths)`` parts, in order, all over ``vocab``."""
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
        lengths = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int64)
        return cls(vocab, ids.astype(np.int32, copy=False), np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def select(self, rows: np.ndarray) -> PassageTokens:
        """These passages, in this order (BM25 over the live rows; rows compacted after removals)."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) and np.all(rows[1:] > rows[:-1]):  # rows in order (the live rows): one masked copy,
            kept = np.zeros(len(self), dtype=bool)  # 20x faster than the gather below at 200k passages
            kept[rows] = True
            every = self.lengths()
            offsets = np.concatenate([[0], np.cumsum(every[rows])]).astype(np.int64)
            return PassageTokens(self.vocab, self.ids[np.repeat(kept, every)], offsets)
        starts, lengths = self.offsets[rows], self.offsets[rows + 1] - self.offsets[rows]
        new_starts = np.concatenate([[0], np.cumsum(lengths)])
        gather = np.repeat(starts - new_starts[:-1], lengths) + np.arange(new_starts[-1], dtype=np.int64)
        return PassageTokens(self.vocab, self.ids[gather], new_starts.astype(np.int64))

    def passages(self) -> list[np.ndarray]:
        """Each passage's ids, as views into ``ids``."""
        return np.split(self.ids, self.offsets[1:-1]) if len(self) else []

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "ids.npy", self.ids)
        np.save(directory / "offsets.npy", self.offsets)
        (directory / "vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> PassageTokens:
        """Raises ValueError (or OSError) unless the files are there and consistent."""
        ids = np.load(directory / "ids.npy", allow_pickle=False)
        offsets = np.load(directory / "offsets.npy", allow_pickle=False)
        vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        if not isinstance(vocab, dict) or vocab.get(EMPTY) != 0 or ids.dtype != np.int32 or offsets.dtype != np.int64:
            raise ValueError(f"{directory}: not passage tokens")
        if offsets.ndim != 1 or not len(offsets) or offsets[0] != 0 or offsets[-1] != len(ids):
            raise ValueError(f"{directory}: offsets do not cover the ids")
        if np.any(np.diff(offsets) < 0) or (len(ids) and not 0 <= int(ids.min()) <= int(ids.max()) < len(vocab)):
            raise ValueError(f"{directory}: ids outside the vocabulary")
        return cls(vocab, ids, offsets)


def lucene_matrix(tokens: PassageTokens, k1: float = K1, b: float = B) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BM25 (Lucene) score of every (passage, term) pair as a CSC matrix, passages × terms:
    (data, indices = passages, indptr over terms), in bm25s's layout and arithmetic (the
    idf rounded to float32, the product to float32 from float64)."""
    n_docs, n_vocab = len(tokens), len(tokens.vocab)
    lengths = tokens.lengths()
    stride = max(n_docs, 1)  # key = term × stride + passage
    # One key per token, (term, passage), sorted term-major as CSC wants; built and sorted in
    # place, since at 200k passages each of these arrays is 20 M long.
    keys = tokens.ids.astype(np.int64)
    keys *= stride
    keys += np.repeat(np.arange(n_docs, dtype=np.int32), lengths)
    keys.sort()
    new_pair = np.empty(len(keys), dtype=bool)
    new_pair[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new_pair[1:])
    starts = np.flatnonzero(new_pair)
    del new_pair
    tf = np.diff(np.append(starts, len(keys))).astype(np.float64)  # term frequency of each pair
    pairs = keys[starts]
    del keys, starts
    term, passage = (pairs // stride).astype(np.int32), (pairs % stride).astype(np.int32)
    del pairs
    df = np.bincount(term, minlength=n_vocab)
    idf = np.zeros(n_vocab, np.float32)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    norm = k1 * ((1 - b) + b * lengths[passage] / lengths.mean())
    norm += tf
    tf /= norm  # now the term-frequency component
    del norm
    tf *= idf[term]
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return tf.astype(np.float32), passage, indptr


class SparseIndex:
    """BM25 over the live passages. ``rows``: the index row of each BM25 passage, when
    removed articles left rows hidden (``index.dense``); None when they are the same."""

    def __init__(self, model: bm25s.BM25, size: int, rows: np.ndarray | None = None) -> None:
        self._model = model
        self.size = size
        self.rows = rows

    @classmethod
    def build(cls, texts: Sequence[str]) -> SparseIndex:
        return cls.from_tokens(PassageTokens.of(texts))

    @classmethod
    def from_tokens(cls, tokens: PassageTokens) -> SparseIndex:
        size = len(tokens)
        if not size:  # one empty passage keeps bm25s's files and arrays well formed
            tokens = PassageTokens.of([""])
        model = bm25s.BM25(method="lucene", k1=K1, b=B)
        data, indices, indptr = lucene_matrix(tokens)
        # What bm25s's own index() leaves behind (tests/test_bm25_parity.py compares the two):
        model.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": len(tokens)}
        model.vocab_dict = dict(tokens.vocab)
        model.unique_token_ids_set = set(model.vocab_dict.values())
        model.nonoccurrence_array = None  # Lucene's BM25 scores absent terms 0
        return cls(model, size)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top ``k`` (row, bm25 score > 0) for a query string.

        Scores come from bm25s's ``get_scores_from_ids`` and the top k from one
        ``argpartition``: 13.4 → 2.3 ms per query at 200k chunks against
        ``BM25.retrieve`` (bench/RESULTS.md), same ranking.
        """
        vocab = self._model.vocab_dict
        ids = [vocab[t] for t in tokenize(query) if t in vocab]
        if not ids or self.size == 0 or k <= 0:
            return []
        mask = None
        if allowed is not None:
            if self.rows is not None:  # index rows → BM25 passages (allowed rows are live ones)
                allowed = np.searchsorted(self.rows, allowed)
            if len(allowed) == 0:
                return []
            mask = np.zeros(self.size, dtype=np.float32)
            mask[allowed] = 1.0
        scores = np.asarray(self._model.get_scores_from_ids(ids, weight_mask=mask))[: self.size]
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]  # best first; ties by row, stable across runs
        rows = top if self.rows is None else self.rows[top]
        return [(int(r), float(scores[p])) for r, p in zip(rows, top, strict=True) if scores[p] > 0]

    def save(self, directory: Path) -> None:
        self._model.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int, rows: np.ndarray | None = None) -> SparseIndex:
        model = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
        return cls(model, size, rows)
