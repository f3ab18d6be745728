"""Hostile and malformed input: every case is skipped with a reason or handled
correctly; nothing crashes and no good article is silently dropped."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.backend import LocalHybridIndex
from index.builder import IndexConfig, build_index
from index.embedding import HashingEmbedder
from qa.answerer import answer
from qa.settings import load_settings
from tests.conftest import RULES, write_jsonl
from web.app import create_app

GOOD = {
    "doc_id": "good",
    "title": "Dam opens",
    "source": "Valley Post",
    "published": "2024-02-02",
    "text": "The new dam opened on Friday after 6 years of construction, officials said.",
}


def _build(tmp_path: Path, *paths: Path) -> tuple[LocalHybridIndex, object]:
    emb = HashingEmbedder()
    report = build_index(list(paths), tmp_path / "idx", emb, IndexConfig(model=emb.name))
    return LocalHybridIndex(tmp_path / "idx", embedder=emb), report


def test_invisible_control_and_bidi_characters_are_removed_offsets_stay_exact(tmp_path: Path) -> None:
    nasty = {
        **GOOD,
        "doc_id": "nasty",
        "text": "The\u200b old\x07 bridge\u202e closed on\u2066 Tuesday\u2069 after 9\u200d weeks\x00 of work.",
    }
    idx, _ = _build(tmp_path, write_jsonl(tmp_path / "a.jsonl", [GOOD, nasty]))
    article = idx.get_article("nasty")
    assert article is not None
    assert article.text == "The old bridge closed on Tuesday after 9 weeks of work."
    result = answer("How many weeks of work before the old bridge closed?", idx)
    best = result.answers[0]
    assert best.text == "9 weeks" and article.text[best.citation.start : best.citation.end] == "9 weeks"


def test_ten_megabyte_article_is_indexed(tmp_path: Path) -> None:
    sentence = "The river authority measured the water level again on the long embankment today. "
    huge = {
        **GOOD,
        "doc_id": "huge",
        "text": sentence * (10_000_000 // len(sentence)) + "The gate count was 4,321 gates.",
    }
    idx, report = _build(tmp_path, write_jsonl(tmp_path / "a.jsonl", [GOOD, huge]))
    assert report.articles_indexed == 2  # type: ignore[attr-defined]
    article = idx.get_article("huge")
    assert article is not None and len(article.text) > 9_900_000
    assert idx.info()["chunks"] > 50_000 // 10


def test_each_bad_input_is_skipped_with_a_reason_good_ones_kept(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_text("")
    (src / "blank.jsonl").write_text("\n\n")
    (src / "latin1.txt").write_bytes("Outlet\n\nTitle\n\nCaf\xe9 au lait.".encode("latin-1"))
    (src / "utf16.txt").write_bytes("Outlet\n\nTitle\n\nBody text.".encode("utf-16"))
    (src / "bom.txt").write_bytes("\ufeffBOM Outlet\n\nBOM title\n\nA body written with a byte order mark.".encode())
    write_jsonl(src / "mixed.jsonl", [GOOD, {"doc_id": "notext", "title": "x"}, {"doc_id": "e", "text": "   "}])
    with (src / "mixed.jsonl").open("a") as f:
        f.write('{"doc_id": "broken", "text": "unterminated\n')
        f.write('["not", "an", "object"]\n')
        f.write('{"doc_id": "after", "title": "Still here", "text": "A good line after broken ones."}\n')
    (src / "page.html").write_text("<html><body><nav>menu</nav></body></html>")
    idx, report = _build(tmp_path, src)
    ids = {a.doc_id for a in idx.pinned()._version.db.articles()}
    assert ids == {"good", "after", "bom"}
    reasons = sorted(p.reason for p in report.problems)  # type: ignore[attr-defined]
    assert len(reasons) == 8, reasons
    assert sum("UTF-8" in r for r in reasons) == 2
    assert any("malformed JSON" in r for r in reasons) and any("not a JSON object" in r for r in reasons)
    assert idx.get_article("bom").source == "BOM Outlet"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "question",
    [
        "Combien de prisonniers se sont évadés ?",
        "多少囚犯逃脱了？",
        "How many 🚨 prisoners escaped? 🤔",
        "'; DROP TABLE articles; --",
        "{{7*7}} ${7*7} <%= 7*7 %>",
        '" OR 1=1 --',
        "\u202eHow many\u200b?",
        "../../etc/passwd",
        "<script>alert(1)</script>",
    ],
)
def test_strange_questions_are_just_text(seed_index: LocalHybridIndex, question: str) -> None:
    with TestClient(create_app(load_settings(RULES), backend=seed_index)) as client:
        r = client.post("/ask", json={"question": question})
        assert r.status_code == 200 and r.json()["question"] == question.strip()
        page = client.get("/", params={"q": question})
        assert page.status_code == 200
        # {{7*7}} must never be evaluated: no 49 in the page's visible text (link offsets such as
        # start=3497 are attributes, not text), and no live script tag anywhere
        visible = re.sub(r"<[^>]*>", " ", page.text)
        assert not re.search(r"(?<!\d)49(?!\d)", visible) and "<script>alert(1)" not in page.text
    assert seed_index.info()["articles"] == 1  # nothing was dropped


def test_admin_reload_needs_the_token_and_never_logs_it(
    seed_index: LocalHybridIndex, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "s3cr3t-token-value"
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(load_settings(RULES), backend=seed_index)) as client:
        r = client.post("/admin/reload")
        assert r.status_code == 403 and "disabled" in r.json()["error"]["message"]
    settings = load_settings({**RULES, "QA_ADMIN_TOKEN": secret})
    assert secret not in repr(settings)
    with TestClient(create_app(settings, backend=seed_index)) as client:
        assert client.post("/admin/reload").status_code == 403
        assert client.post("/admin/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
        ok = client.post("/admin/reload", headers={"Authorization": f"Bearer {secret}"})
        assert ok.status_code == 200 and ok.json()["reloaded"] is False
        assert client.get("/healthz").status_code == 200  # read-only endpoints need no token
        html = client.get("/")
        assert html.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in html.headers["content-security-policy"]
        assert html.headers["referrer-policy"] == "no-referrer"
    assert secret not in caplog.text
