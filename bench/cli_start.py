"""Benchmark: how long `qa` commands take to start and finish, end to end, per code tree.

    python -m bench.cli_start --index bench/out/mini/index --trees /tmp/old . --runs 7

Runs ``python -m qa index info --index DIR``, ``python -m qa index compact --index
DIR`` (an update that embeds nothing; with no hidden rows it rewrites only the
store and the manifest, and links the rest) and ``python -m qa --help`` from each
tree in turn (round-robin, so drift hits every tree alike) and reports the median
wall time of each. What it measures is mostly imports and opening the index:
the process start a user waits for before anything is printed. ``--ask QUESTION``
adds a one-shot ``qa ask``, which loads the embedding model and the reader too;
``--serve`` adds ``qa serve``: the time until ``/healthz`` first answers 200, which
its lifespan gives only once the index and the reader are loaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import emit, machine, wait_for_200


def _env() -> dict[str, str]:
    """Every timed command runs offline, as a user's would."""
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _time_to_ready(command: list[str], cwd: Path, url: str, limit_s: float = 120.0) -> float:
    """Seconds from starting a server to its first 200 at ``url``; the server is stopped after."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_200(proc, url, limit_s, interval=0.02)
        return time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--trees", type=Path, nargs="+", default=[Path(".")], help="code trees to run `qa` from")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--ask", help="also time `qa ask QUESTION --json` (loads the models; one untimed run first)")
    parser.add_argument("--serve", action="store_true", help="also time `qa serve` until /healthz answers 200")
    parser.add_argument("--port", type=int, default=8765, help="--serve: a free local port")
    args = parser.parse_args(argv)

    commands = {
        "index info": [sys.executable, "-m", "qa", "index", "info", "--index", str(args.index.resolve())],
        "index compact": [sys.executable, "-m", "qa", "index", "compact", "--index", str(args.index.resolve())],
        "--help": [sys.executable, "-m", "qa", "--help"],
    }
    if args.ask:
        commands["ask"] = [sys.executable, "-m", "qa", "ask", args.ask, "--index", str(args.index.resolve()), "--json"]
        for tree in args.trees:  # first use exports and caches the ONNX graphs
            _timed(commands["ask"], tree.resolve())
    serve = [sys.executable, "-m", "qa", "serve", "--port", str(args.port), "--index", str(args.index.resolve())]
    url = f"http://127.0.0.1:{args.port}/healthz"
    times: dict[str, dict[str, list[float]]] = {str(t): {name: [] for name in commands} for t in args.trees}
    for _ in range(args.runs):
        for tree in args.trees:
            for name, command in commands.items():
                times[str(tree)][name].append(_timed(command, tree.resolve()))
            if args.serve:
                times[str(tree)].setdefault("serve", []).append(_time_to_ready(serve, tree.resolve(), url))
    result = {
        "benchmark": "cli_start",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "index": str(args.index),
        "runs": args.runs,
        "median_s": {t: {n: round(statistics.median(v), 3) for n, v in by.items()} for t, by in times.items()},
    }
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
