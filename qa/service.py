"""Wiring from settings to a ready backend: shared by the CLI and the web app."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from index import store
from index.backend import LocalHybridIndex, SearchConfig
from index.builder import IndexConfig, build_index
from index.embedding import load_embedder
from index.errors import IndexNotFound
from index.types import BuildReport
from qa.answerer import AnswerConfig
from qa.settings import Settings

log = logging.getLogger("qa")


def index_config(settings: Settings) -> IndexConfig:
    return IndexConfig(model=settings.model)


def search_config(settings: Settings) -> SearchConfig:
    return SearchConfig(
        candidates=settings.candidates,
        rrf_k=settings.rrf_k,
        dense_weight=settings.dense_weight,
        sparse_weight=settings.sparse_weight,
    )


@lru_cache(maxsize=4)
def reader_mode(choice: str, precision: str = "auto", runtime: str = "auto", cache_dir: str | None = None) -> str:
    """'learned' or 'rules'. ``auto`` falls back to rules (with a warning) when the
    shipped weights are missing or fail their checksum; ``learned`` raises instead."""
    if choice == "rules":
        return "rules"
    from qa.reader import ReaderUnavailable, load_reader

    try:
        load_reader(precision=precision, runtime=runtime, cache_dir=cache_dir)
    except ReaderUnavailable as exc:
        if choice == "learned":
            raise
        log.warning("the learned reader is unavailable (%s); answering with the rule-based picker", exc)
        return "rules"
    return "learned"


def reader_status(settings: Settings) -> dict[str, Any]:
    """Which span picker answers and, for the learned reader, the arithmetic it runs and its
    operating point (what ``auto`` chose on this CPU), for operators (``/healthz``)."""
    cache_dir = str(settings.cache_dir)
    if reader_mode(settings.reader, settings.reader_precision, settings.reader_runtime, cache_dir) == "rules":
        return {"picker": "rules"}
    from qa.reader import load_reader

    reader = load_reader(precision=settings.reader_precision, runtime=settings.reader_runtime, cache_dir=cache_dir)
    return {"picker": "learned", **reader.describe()}


def answer_config(settings: Settings) -> AnswerConfig:
    return AnswerConfig(
        top_k=settings.top_k,
        max_answers=settings.max_answers,
        min_score=settings.min_score,
        min_alternative_score=settings.min_alternative_score,
        max_question_chars=settings.max_question_chars,
        reader=reader_mode(
            settings.reader, settings.reader_precision, settings.reader_runtime, str(settings.cache_dir)
        ),
        reader_precision=settings.reader_precision,
        reader_runtime=settings.reader_runtime,
        reader_cache_dir=str(settings.cache_dir),
        reader_passages=settings.reader_passages,
        reader_focus_words=settings.reader_focus_words,
        answer_ranker=settings.answer_ranker,
        recent_days=settings.recent_days,
    )


def build_seed_index(settings: Settings, quiet: bool = True) -> BuildReport:
    """Index the built-in demo archive into the default index."""
    embedder = load_embedder(settings.model, settings.precision)
    return build_index([settings.seeds_dir], settings.index_dir, embedder, index_config(settings), quiet=quiet)


def open_index(
    settings: Settings, bootstrap: bool = True, quiet: bool = True, load_model: bool = True
) -> LocalHybridIndex:
    """Open the configured index; build the seed index on first use of the default one.
    ``load_model``: load its embedding model now (asking, serving) rather than on first use
    (listing and removing articles never use it)."""
    if not store.has_index(settings.index_dir):
        if not (bootstrap and settings.uses_default_index):
            where = settings.index_dir
            raise IndexNotFound(f"no index at {where} (build one with: qa index build SOURCES --index {where})")
        log.info("no index yet: building the demo index from %s into %s", settings.seeds_dir, settings.index_dir)
        build_seed_index(settings, quiet=quiet)
    # The embedder is the one named in the index's manifest.
    backend = LocalHybridIndex(
        settings.index_dir,
        precision=settings.precision,
        search_config=search_config(settings),
        verify=settings.verify_index,
        cache_dir=settings.cache_dir,
    )
    if load_model:
        backend.load_model()
    return backend
