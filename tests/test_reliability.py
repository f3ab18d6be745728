"""Index lifecycle under load: version swaps while a server answers, builds
killed with SIGKILL at several points, corrupt files named at load."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from index import store
from index.backend import LocalHybridIndex
from index.builder import IndexConfig, build_index
from index.embedding import HashingEmbedder
from index.errors import IndexCorrupt
from qa.cli import main
from tests.conftest import ROOT, write_jsonl
from tests.serving import live_server

PLACES = ["Arlo", "Brisk", "Cobalt", "Dunmore", "Elstree", "Fenwick", "Garrow", "Hexham", "Ilkley", "Jarrow"]


def _story(prefix: str, i: int) -> dict[str, object]:
    name = f"{PLACES[i % len(PLACES)]}{prefix}{i}"
    return {
        "doc_id": f"{prefix}{i}",
        "title": f"The {name} bridge reopens",
        "source": f"Outlet {i % 4}",
        "published": f"2023-0{1 + i % 9}-15",
        "text": (
            f"The {name} bridge reopened on Monday after {i + 2} weeks of repairs, the council said. "
            f"Engineers replaced {i + 10} steel cables on the {name} bridge. "
            f"Traffic on the {name} bridge is expected to return to normal by the weekend."
        ),
    }


def _post(base: str, payload: dict[str, Any], timeout: float = 30) -> tuple[int, dict[str, Any]]:
    req = urllib.request.Request(
        base + "/ask", data=json.dumps(payload).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _qa(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "qa", *args], env=env, capture_output=True, text=True, timeout=300)


def test_swaps_under_load_fail_no_request_and_lose_no_article(tmp_path: Path) -> None:
    first = [_story("a", i) for i in range(40)]
    added = [_story("b", i) for i in range(15)]
    rebuilt_extra = [_story("c", i) for i in range(5)]
    a = write_jsonl(tmp_path / "a.jsonl", first)
    b = write_jsonl(tmp_path / "b.jsonl", added)
    c = write_jsonl(tmp_path / "c.jsonl", rebuilt_extra)
    index = tmp_path / "idx"
    assert main(["index", "build", str(a), "--index", str(index), "--model", "hashing-256", "--quiet"]) == 0

    with live_server(tmp_path, "--index", str(index)) as base:
        stop = threading.Event()
        results: list[int] = []
        lock = threading.Lock()

        def load(worker: int) -> None:
            n = 0
            while not stop.is_set() and n < 600:  # bounded in count (and in time by the caller)
                story = first[(worker * 7 + n) % len(first)]
                status, _ = _post(
                    base, {"question": f"How many weeks of repairs did the {str(story['title'])[4:-15]} bridge need?"}
                )
                with lock:
                    results.append(status)
                n += 1

        threads = [threading.Thread(target=load, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        started = time.time()
        try:
            add = _qa("index", "add", str(b), "--index", str(index), "--quiet")
            assert add.returncode == 0, add.stderr
            rebuild = _qa(
                "index", "build", str(a), str(b), str(c), "--index", str(index), "--model", "hashing-256", "--quiet"
            )
            assert rebuild.returncode == 0, rebuild.stderr
            time.sleep(2.5)  # the server checks for a new version at most once a second
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
        elapsed = time.time() - started

        failures = [s for s in results if s != 200]
        assert len(results) >= 20 and not failures, (len(results), failures[:5])
        health = json.loads(urllib.request.urlopen(base + "/healthz").read())
        assert health["index"]["articles"] == len(first) + len(added) + len(rebuilt_extra)
        for story in [*added, *rebuilt_extra, first[0], first[-1]]:
            name = str(story["title"])[4:-15]
            status, body = _post(base, {"question": f"How many steel cables were replaced on the {name} bridge?"})
            assert status == 200
            cited = {x["citation"]["doc_id"] for x in body["answers"]}
            assert story["doc_id"] in cited, (story["doc_id"], body["answers"][:2])
    figures = {"requests": len(results), "failures": len(failures), "seconds": round(elapsed, 1), "swaps": 2}
    if os.environ.get("QA_RECORD_FIGURES"):
        Path(os.environ["QA_RECORD_FIGURES"]).write_text(json.dumps(figures) + "\n")


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5, 2.5])
def test_sigkill_at_any_point_keeps_a_servable_index(tmp_path: Path, delay: float) -> None:
    emb = HashingEmbedder()
    index = tmp_path / "idx"
    old = write_jsonl(tmp_path / "old.jsonl", [_story("o", i) for i in range(5)])
    build_index([old], index, emb, IndexConfig(model=emb.name))
    before = store.current_version(index)
    big = write_jsonl(tmp_path / "big.jsonl", [_story("n", i) for i in range(4000)])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "qa", "index", "build", str(big), "--index", str(index), "--model", "hashing-256"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    was_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    live = LocalHybridIndex(index, embedder=emb)  # verifies every file's checksum
    if store.current_version(index) == before:
        assert live.info()["articles"] == 5
    else:  # the kill came after the swap: the new version is complete
        assert not was_running or live.info()["articles"] == 4000
        assert live.info()["articles"] == 4000
    assert live.search("bridge repairs", k=3)
    report = build_index([old], index, emb, IndexConfig(model=emb.name))  # the next build succeeds
    assert report.articles_indexed == 5
    assert not list((index / "versions").glob(".tmp-*"))


def test_truncated_files_are_detected_and_named(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index = tmp_path / "idx"
    build_index(
        [write_jsonl(tmp_path / "a.jsonl", [_story("a", i) for i in range(5)])], index, emb, IndexConfig(model=emb.name)
    )
    version = store.current_version(index)
    for name in ("store.sqlite", "bm25/params.index.json"):
        target = version / name
        saved = target.read_bytes()
        target.write_bytes(saved[: len(saved) // 2])
        with pytest.raises(IndexCorrupt, match=name.split("/")[-1].replace(".", r"\.")):
            LocalHybridIndex(index, embedder=emb)
        target.write_bytes(saved)
    assert LocalHybridIndex(index, embedder=emb).info()["articles"] == 5
