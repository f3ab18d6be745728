"""Building and updating an index: read → clean → dedupe → chunk → embed.

Streaming: articles are read one at a time and chunks are embedded in
bounded batches, so memory grows only with the vectors themselves. Every
write goes to a fresh version directory (``index.writer.VersionWriter``) that
is published atomically at the end (``index.store.publish``); any failure
removes it and leaves the live index untouched. An update never moves a row:
removed and replaced articles leave hidden rows (``IndexConfig.max_hidden_share``),
so the dense graph is extended, and files left unchanged are linked from the
live version.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from index import store
from index.embedding import Embedder
from index.errors import IndexMismatch
from index.types import BuildReport
from index.writer import IndexConfig, VersionWriter, ingest

__all__ = ["IndexConfig", "add_to_index", "build_index", "compact_index", "remove_from_index"]


def _write(
    index_dir: Path,
    embedder: Embedder,
    config: IndexConfig,
    paths: Sequence[Path],
    remove: Iterable[str] = (),
    incremental: bool = False,
    quiet: bool = True,
    compact: bool = False,
) -> BuildReport:
    report = BuildReport()
    started = time.perf_counter()
    with store.writer_lock(index_dir):
        base = store.current_version(index_dir) if incremental else None
        if base is not None:
            manifest = store.read_manifest(base, verify=False)
            if manifest.get("model") != config.model:
                raise IndexMismatch(
                    f"the index was built with model {manifest.get('model')!r}, not {config.model!r}; rebuild it"
                )
            # an update keeps the settings the index was built with (not the batch size: not a format matter)
            known = set(IndexConfig.__dataclass_fields__) - {"embed_batch"}
            config = replace(config, **{k: v for k, v in manifest.get("config", {}).items() if k in known})
        version = store.new_version_dir(index_dir)
        try:
            writer = VersionWriter(version, embedder, config, report, compact)
            if base is not None:
                writer.start_from(base, set(remove))
            ingest(writer, paths, quiet)
            writer.finish(started)
            store.publish(index_dir, version)
            report.seconds = round(time.perf_counter() - started, 3)  # what the caller waited, all of it
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
    return report


def build_index(
    paths: Sequence[Path], index_dir: Path, embedder: Embedder, config: IndexConfig, quiet: bool = True
) -> BuildReport:
    """Build a fresh index from ``paths`` and make it live."""
    return _write(index_dir, embedder, config, paths, quiet=quiet)


def add_to_index(
    paths: Sequence[Path], index_dir: Path, embedder: Embedder, config: IndexConfig, quiet: bool = True
) -> BuildReport:
    """Add articles; only new or changed articles are embedded."""
    return _write(index_dir, embedder, config, paths, incremental=True, quiet=quiet)


def remove_from_index(doc_ids: Sequence[str], index_dir: Path, embedder: Embedder, config: IndexConfig) -> BuildReport:
    """Remove articles by id (no embedding at all)."""
    return _write(index_dir, embedder, config, (), remove=doc_ids, incremental=True)


def compact_index(index_dir: Path, embedder: Embedder, config: IndexConfig) -> BuildReport:
    """Drop the hidden rows of removed and replaced articles now (no embedding; the
    dense graph is rebuilt), instead of when they pass ``max_hidden_share``."""
    return _write(index_dir, embedder, config, (), incremental=True, compact=True)
