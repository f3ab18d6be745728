"""End to end with the real all-MiniLM-L6-v2 model and the real seed article:
the default index is bootstrapped from seeds/ on first use, exactly as a new
user's first `qa ask` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa import reader_onnx
from qa.reader import CONFIG_FILE, MODEL_DIR
from tests.conftest import ROOT, SEED_FILE

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


def _qa(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _qa_env(data_dir, {}, *args)


def _qa_env(data_dir: Path, extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QA_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), **extra}
    return subprocess.run([sys.executable, "-m", "qa", *args], env=env, capture_output=True, text=True, timeout=600)


def test_first_ask_builds_seed_index_and_answers(data_dir: Path) -> None:
    proc = _qa(data_dir, "ask", "How many prisoners escaped?", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    best = out["answers"][0]
    assert best["text"] == "More than 100"
    manifest = json.loads(_qa(data_dir, "index", "info", "--json").stdout)
    assert manifest["model"] == "all-MiniLM-L6-v2" and manifest["dim"] == 384
    # offsets point at exactly that text in the stored article, which is the seed's body
    article_text = _stored_text(data_dir, best["citation"]["doc_id"])
    c = best["citation"]
    assert article_text[c["start"] : c["end"]] == "More than 100"
    assert article_text[c["quote_start"] : c["quote_end"]] == best["quote"]
    assert best["quote"] in SEED_FILE.read_text(encoding="utf-8")


def test_real_model_who_and_abstain(data_dir: Path) -> None:
    who = json.loads(_qa(data_dir, "ask", "Who told Congress about the escapes?", "--json").stdout)
    assert who["answers"][0]["kind"] == "person"
    none = json.loads(_qa(data_dir, "ask", "How many Kurdish fighters died?", "--json").stdout)
    assert none["no_answer"] is True and none["related"]


def test_bf16_embeddings_agree_with_fp32() -> None:
    from index.embedding import SentenceTransformerEmbedder

    texts = ["More than 100 ISIS prisoners have escaped in Syria.", "The harbour reopened on Monday."]
    a = SentenceTransformerEmbedder(precision="fp32").encode(texts)
    b = SentenceTransformerEmbedder(precision="bf16").encode(texts)
    assert a.shape == (2, 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-4)
    assert float((a * b).sum(axis=1).min()) > 0.99


def _stored_text(data_dir: Path, doc_id: str) -> str:
    from index.database import ArticleDB
    from index.store import STORE_FILE, current_version

    db = ArticleDB(current_version(data_dir / "index") / STORE_FILE, readonly=True)
    article = db.article(doc_id)
    assert article is not None
    return article.text


@pytest.mark.parametrize("runtime", ["torch", "onnx"])
@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_shipped_reader_in_each_precision_finds_the_seed_answer_verbatim(
    data_dir: Path, precision: str, runtime: str, private_cache: Path
) -> None:
    settings = {"QA_READER_PRECISION": precision, "QA_READER_RUNTIME": runtime}
    env_answer = _qa_env(data_dir, settings, "ask", "How many prisoners escaped?", "--json")
    assert env_answer.returncode == 0, env_answer.stderr
    best = json.loads(env_answer.stdout)["answers"][0]
    assert best["text"] == "More than 100"
    c = best["citation"]
    assert _stored_text(data_dir, c["doc_id"])[c["start"] : c["end"]] == best["text"]
    if runtime == "onnx":  # it really ran the graph derived from the shipped weights
        sha = json.loads((MODEL_DIR / CONFIG_FILE).read_text(encoding="utf-8"))["sha256"]
        assert (private_cache / reader_onnx.cache_name(sha, precision)).is_file()


def test_onnx_fp32_reader_reads_exactly_as_torch_fp32(private_cache: Path) -> None:
    from qa.reader import SpanReader

    body = SEED_FILE.read_text(encoding="utf-8")
    passages = [p for p in body.split("\n") if len(p.split()) > 15][:6]
    question = "How many prisoners escaped?"
    torch_reader = SpanReader(precision="fp32", runtime="torch")
    torch_guesses = torch_reader.read(question, passages)
    onnx_reader = SpanReader(precision="fp32", runtime="onnx", cache_dir=private_cache)
    assert isinstance(onnx_reader.model, reader_onnx.OnnxSpanModel)
    assert (torch_reader.describe()["arithmetic"], onnx_reader.describe()["arithmetic"]) == ("torch-fp32", "onnx-fp32")
    onnx_guesses = onnx_reader.read(question, passages)
    assert [(g.passage, g.start, g.end) for g in onnx_guesses] == [(g.passage, g.start, g.end) for g in torch_guesses]
    assert max(abs(a.score - b.score) for a, b in zip(onnx_guesses, torch_guesses, strict=True)) < 1e-3


def test_healthz_names_the_readers_arithmetic_and_operating_point(data_dir: Path, private_cache: Path) -> None:
    from fastapi.testclient import TestClient

    from qa.settings import load_settings
    from web.app import create_app

    env = {"QA_DATA_DIR": str(data_dir), "QA_READER_PRECISION": "fp32", "QA_READER_RUNTIME": "torch"}
    with TestClient(create_app(load_settings({**env, "QA_CACHE_DIR": str(private_cache)}))) as client:
        reader = client.get("/healthz").json()["reader"]
    shipped = json.loads((MODEL_DIR / CONFIG_FILE).read_text(encoding="utf-8"))["ranker"]
    assert reader == {
        "picker": "learned",
        "precision": "fp32",
        "runtime": "torch",
        "arithmetic": "torch-fp32",
        "ranker_offset": shipped.get("offsets", {}).get("torch-fp32", shipped["offset"]),
    }
