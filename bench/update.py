"""Benchmark: what correcting and retracting stories costs on a large index.

    python -m bench.update --index bench/out/rtqa-index --articles 20 --out bench/results/update.json

Works on a hard-linked copy of ``--index`` (published versions are never written
again, so the benchmark index itself is left as it was), and on it:

1. removes ``--articles`` indexed articles (a seeded sample), timed;
2. indexes corrected versions of as many others (the same id, one sentence
   appended: each is replaced), timed, with the time inside the embedder apart;
3. times dense search (``--queries`` stored vectors, top 50) on the copy before
   and after, since removed rows may stay in the graph, hidden;
4. with ``--compact``, times ``qa index compact``: dropping those hidden rows now
   (the graph rebuilt), and dense search after it.

Peak RSS is the process's, after both updates.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.build import TimedEmbedder
from bench.common import emit, machine
from index import store
from index.builder import IndexConfig, add_to_index, remove_from_index
from index.database import ArticleDB
from index.dense import DenseIndex
from index.embedding import load_embedder

CORRECTION = "\n\nCorrection: an earlier version of this story misstated the day of the vote."


def _dense_ms(index_dir: Path, probes: np.ndarray) -> float:
    """Median ms of a top-50 dense search, as the live version searches (hidden rows skipped)."""
    from index.backend import _Version  # the version as a server opens it

    version = _Version(store.current_version(index_dir), verify=False)
    dense: DenseIndex = version.dense
    for vector in probes[:20]:  # warm up: the first searches page the index in
        dense.search(vector, 50)
    times = []
    for vector in probes:
        started = time.perf_counter()
        dense.search(vector, 50)
        times.append(time.perf_counter() - started)
    return round(float(np.median(times)) * 1000, 3)


def _timed_update(run: Any, embedder: TimedEmbedder) -> dict[str, Any]:
    embedder.seconds, embedder.texts = 0.0, 0
    started = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - started
    return {
        "removed": report.removed,
        "replaced": report.replaced,
        "chunks_embedded": embedder.texts,
        "seconds": round(seconds, 1),
        "embed_seconds": round(embedder.seconds, 1),
        "other_seconds": round(seconds - embedder.seconds, 1),
    }


def _info(index_dir: Path) -> dict[str, Any]:
    manifest = store.read_manifest(store.current_version(index_dir), verify=False)
    return {
        "articles": manifest["articles"],
        "chunks": manifest["chunks"],
        "rows": manifest.get("rows", manifest["chunks"]),  # indexes from before hidden rows had none
        "dense_index": manifest["dense_index"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=20, help="articles removed, and as many corrected")
    parser.add_argument("--queries", type=int, default=200, help="dense searches timed before and after")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--compact", action="store_true", help="then compact the hidden rows, timed")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    live = store.current_version(args.index)
    db = ArticleDB(live / store.STORE_FILE, readonly=True)
    ids = sorted(db.digests())
    picked = random.Random(args.seed).sample(ids, 2 * args.articles)
    gone, corrected = picked[: args.articles], picked[args.articles :]
    records = []
    for doc_id in corrected:
        a = db.article(doc_id)
        assert a is not None
        records.append({"doc_id": a.doc_id, "title": a.title, "text": a.text + CORRECTION, "source": a.source})
        records[-1].update(published=a.published, url=a.url)
    db.close()
    model = str(store.read_manifest(live, verify=False)["model"])
    embedder = TimedEmbedder(load_embedder(model, args.precision))
    config = IndexConfig(model=model)

    with tempfile.TemporaryDirectory(prefix="bench-update-", dir=args.index.parent) as tmp:
        copy = Path(tmp) / "index"
        store.link_tree(args.index, copy)
        rng = np.random.default_rng(args.seed)
        vectors = DenseIndex.load(store.current_version(copy) / store.DENSE_FILE).vectors()
        probes = vectors[rng.choice(len(vectors), size=args.queries, replace=False)]
        del vectors
        result: dict[str, Any] = {
            "benchmark": "update",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": machine(),
            "precision": getattr(embedder.inner, "precision", "n/a"),
            "before": {**_info(copy), "dense_search_ms": _dense_ms(copy, probes)},
        }
        result["remove"] = _timed_update(lambda: remove_from_index(gone, copy, embedder, config), embedder)
        fixes = Path(tmp) / "corrections.jsonl"
        fixes.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        result["correct"] = _timed_update(lambda: add_to_index([fixes], copy, embedder, config), embedder)
        result["after"] = {**_info(copy), "dense_search_ms": _dense_ms(copy, probes)}
        if args.compact:
            from index.builder import compact_index  # (not in the code before hidden rows)

            result["compact"] = _timed_update(lambda: compact_index(copy, embedder, config), embedder)
            result["compact"]["rows_dropped"] = result["after"]["rows"] - _info(copy)["rows"]
            result["after_compact"] = {**_info(copy), "dense_search_ms": _dense_ms(copy, probes)}
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        shutil.rmtree(copy, ignore_errors=True)
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
