"""Benchmark: question latency on a built index, in-process and over HTTP.

    python -m bench.query --index bench/out/rtqa-index [--questions N] [--out bench/results/query.json]

In-process: ``qa.answerer.answer`` on the loaded index (retrieval + answer
stage), one question at a time. HTTP: a live ``qa serve`` on loopback, POST
/ask at concurrency 1, 4 and 16, each level a bounded number of requests.
Reports p50/p95/p99 milliseconds and requests per second.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import emit, machine
from index.backend import LocalHybridIndex
from qa.answerer import AnswerConfig, answer
from qa.reader_arithmetic import PRECISIONS, RUNTIMES
from tests.serving import live_server

QUESTIONS = Path(__file__).resolve().parent.parent.parent / "shared/data/realtimeqa/questions-2022-2024.jsonl"


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {"p50": round(statistics.median(ordered), 1), "p95": at(0.95), "p99": at(0.99), "n": len(ordered)}


def ask_http(base: str, question: str) -> float:
    body = json.dumps({"question": question}).encode()
    req = urllib.request.Request(base + "/ask", data=body, headers={"content-type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"HTTP {r.status}")
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--http-requests", type=int, default=200, help="per concurrency level")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--reader", choices=["rules", "learned"], default="learned")
    parser.add_argument("--focus-words", type=int, default=AnswerConfig().reader_focus_words)
    parser.add_argument("--runtime", choices=RUNTIMES, default="auto", help="what runs the learned reader")
    parser.add_argument("--precision", choices=PRECISIONS, default="auto", help="the learned reader's arithmetic")
    parser.add_argument("--skip-http", action="store_true", help="in-process figures only")
    args = parser.parse_args()
    with QUESTIONS.open(encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f][: args.questions]

    backend = LocalHybridIndex(args.index)
    config = AnswerConfig(
        reader=args.reader,
        reader_focus_words=args.focus_words,
        reader_runtime=args.runtime,
        reader_precision=args.precision,
    )
    answer(questions[0], backend, config)  # warm-up (loads the reader)
    total, retrieval = [], []
    for q in questions:
        started = time.perf_counter()
        backend.search(q, k=config.top_k)
        retrieval.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answer(q, backend, config)
        total.append((time.perf_counter() - started) * 1000)
    answer_stage = [max(t - r, 0.0) for t, r in zip(total, retrieval, strict=True)]

    http: dict[str, Any] = {}
    env = {
        "QA_READER": args.reader,
        "QA_READER_FOCUS_WORDS": str(args.focus_words),
        "QA_READER_RUNTIME": args.runtime,
        "QA_READER_PRECISION": args.precision,
    }
    levels = () if args.skip_http else (1, 4, 16)
    if levels:
        with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp), "--index", str(args.index), env=env) as base:
            ask_http(base, questions[0])
            for concurrency in levels:
                batch = [questions[i % len(questions)] for i in range(args.http_requests)]
                started = time.perf_counter()
                with ThreadPoolExecutor(max_workers=concurrency) as pool:
                    latencies = list(pool.map(lambda q: ask_http(base, q), batch))
                wall = time.perf_counter() - started
                http[f"c{concurrency}"] = {**percentiles(latencies), "req_per_s": round(len(batch) / wall, 1)}

    result = {
        "benchmark": "query",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "index": backend.info(),
        "reader": args.reader,
        "focus_words": args.focus_words,
        "runtime": args.runtime,
        "precision": args.precision,
        "in_process_ms": {
            "total": percentiles(total),
            "retrieval": percentiles(retrieval),
            "answer_stage_estimate": percentiles(answer_stage),
        },
        "http_ms": http,
    }
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
