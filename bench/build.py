"""Benchmark: full index build of an archive, then `index add` of held-out articles.

    python -m bench.build --articles ../shared/data/realtimeqa/articles-2022-2024.jsonl.gz \
        --index bench/out/rtqa-index --hold-out 500 --out bench/results/build.json

Builds from all but the last ``--hold-out`` records, then adds those with
``add_to_index`` (only they are embedded). Reports chunks/s end to end,
embedding chunks/s (time inside the embedder alone), peak RSS, and the index
size on disk. The held-out file is written next to the index.

``--add-only`` skips the full build and re-measures the add against the
index already in ``--index``: the held-out articles are removed first
(timed apart, not counted) if a previous run added them. ``--readd`` keeps
them and adds them again: nothing to embed, so it times the fixed cost of an
update that changes no chunk (the daily re-run over an unchanged folder).
"""

from __future__ import annotations

import argparse
import gzip
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.common import emit, machine
from index import store
from index.builder import IndexConfig, add_to_index, build_index, remove_from_index
from index.embedding import Embedder, ProgressFn, load_embedder
from index.types import BuildReport


class TimedEmbedder:
    """Wraps an embedder and accumulates the time spent embedding."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        started = time.perf_counter()
        out = self.inner.encode(texts, progress)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return out


def split_archive(
    articles: Path, workdir: Path, hold_out: int, limit: int | None = None, write_base: bool = True
) -> tuple[Path, Path]:
    with gzip.open(articles, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    if limit:
        lines = lines[:limit]
    base, extra = workdir / "base.jsonl", workdir / "held-out.jsonl"
    if write_base:  # --add-only needs only the held-out articles
        base.write_text("".join(lines[: len(lines) - hold_out]), encoding="utf-8")
    extra.write_text("".join(lines[len(lines) - hold_out :]), encoding="utf-8")
    return base, extra


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _timed(run: Callable[[], BuildReport]) -> tuple[BuildReport, float]:
    started = time.perf_counter()
    report = run()
    return report, time.perf_counter() - started


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--hold-out", type=int, default=500)
    parser.add_argument("--limit", type=int, help="use only the first N articles (a partial run)")
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--add-only", action="store_true", help="measure only the add, on the existing index")
    parser.add_argument("--readd", action="store_true", help="with --add-only: add them again without removing them")
    args = parser.parse_args(argv)

    args.index.parent.mkdir(parents=True, exist_ok=True)
    workdir = args.index.parent
    base, extra = split_archive(args.articles, workdir, args.hold_out, args.limit, write_base=not args.add_only)
    embedder = TimedEmbedder(load_embedder(args.model, args.precision))
    config = IndexConfig(model=args.model)
    precision = getattr(embedder.inner, "precision", "n/a")

    if args.add_only:
        return _add_only(args, extra, embedder, config)
    report, build_s = _timed(lambda: build_index([base], args.index, embedder, config, quiet=False))
    build = {
        "articles": report.articles_indexed,
        "chunks": report.chunks_indexed,
        "seconds": round(build_s, 1),
        "chunks_per_s": round(report.chunks_indexed / build_s, 1),
        "embed_seconds": round(embedder.seconds, 1),
        "embed_chunks_per_s": round(embedder.texts / max(embedder.seconds, 1e-9), 1),
        "peak_rss_mb": _peak_rss_mb(),
        "index_mb": round(dir_size(store.current_version(args.index)) / 2**20, 1),
        "exact_duplicates": report.exact_duplicates,
        "near_duplicates": report.near_duplicates,
        "skipped": len(report.problems),
    }
    embedder.seconds, embedder.texts = 0.0, 0
    result = {
        "benchmark": "build",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "model": args.model,
        "limit": args.limit,
        "precision": precision,
        "build": build,
        "add": _measure_add(args.index, extra, embedder, config),
    }
    emit(result, args.out)
    return 0


def _measure_add(index: Path, extra: Path, embedder: TimedEmbedder, config: IndexConfig) -> dict[str, object]:
    add, add_s = _timed(lambda: add_to_index([extra], index, embedder, config, quiet=False))
    return {
        "articles": add.articles_indexed,
        "unchanged": add.unchanged,
        "chunks": add.chunks_indexed,
        "seconds": round(add_s, 1),
        "embed_seconds": round(embedder.seconds, 1),
        "embedded_chunks": embedder.texts,
        "other_seconds": round(add_s - embedder.seconds, 1),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _add_only(args: argparse.Namespace, extra: Path, embedder: TimedEmbedder, config: IndexConfig) -> int:
    import json

    from index.database import ArticleDB

    held = [json.loads(line)["doc_id"] for line in extra.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = ArticleDB(store.current_version(args.index) / store.STORE_FILE, readonly=True)
    present = [] if args.readd else [d for d in held if db.article(d) is not None]
    db.close()
    removed_s = _timed(lambda: remove_from_index(present, args.index, embedder, config))[1] if present else 0.0
    embedder.seconds, embedder.texts = 0.0, 0
    result = {
        "benchmark": "build --add-only" + (" --readd" if args.readd else ""),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "model": args.model,
        "precision": getattr(embedder.inner, "precision", "n/a"),
        "removed_first": {"articles": len(present), "seconds": round(removed_s, 1)},
        "add": _measure_add(args.index, extra, embedder, config),
    }
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
