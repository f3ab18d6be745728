"""The /ask API and the HTML pages, through FastAPI's TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.backend import LocalHybridIndex
from qa.settings import load_settings
from tests.conftest import RULES, SEED_ID, build, write_jsonl
from web.app import create_app


@pytest.fixture(scope="module")
def client(seed_index: LocalHybridIndex) -> Iterator[TestClient]:
    with TestClient(create_app(load_settings(RULES), backend=seed_index)) as c:
        yield c


def test_ask_happy_path(client: TestClient) -> None:
    r = client.post("/ask", json={"question": "  How many prisoners escaped?  "})
    assert r.status_code == 200
    body = r.json()
    assert body["question"] == "How many prisoners escaped?" and body["no_answer"] is False
    best = body["answers"][0]
    assert best["text"] == "More than 100"
    c = best["citation"]
    article = client.get(f"/articles/{c['doc_id']}").json()
    assert article["text"][c["start"] : c["end"]] == "More than 100"
    assert article["text"][c["quote_start"] : c["quote_end"]] == best["quote"]
    assert body["took_ms"] >= 0


def test_ask_no_answer_gives_related(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "How many Kurdish fighters died?"}).json()
    assert body["no_answer"] is True and body["answers"] == [] and body["related"]


def test_history_resolves_follow_up(client: TestClient) -> None:
    body = client.post(
        "/ask", json={"question": "Who told Congress?", "history": [{"question": "How many prisoners escaped?"}]}
    ).json()
    assert "prisoners" in body["resolved_question"]
    assert body["answers"][0]["kind"] == "person"


@pytest.mark.parametrize(
    "payload",
    [
        {"question": ""},
        {"question": "   "},
        {"question": "x" * 1001},
        {"question": "q?", "top_k": 0},
        {"question": "q?", "top_k": 21},
        {"question": "q?", "history": [{"question": "a"}] * 11},
        {"question": "q?", "unknown": 1},
        {"question": "q?", "filters": {"published_from": "yesterday"}},
        {},
    ],
)
def test_validation_errors_are_422_with_one_shape(client: TestClient, payload: dict[str, object]) -> None:
    r = client.post("/ask", json=payload)
    assert r.status_code == 422
    assert set(r.json()["error"]) == {"code", "message"}


def test_a_blank_question_is_called_empty_not_a_pattern_mismatch(client: TestClient) -> None:
    for payload in ({"question": " \t\n "}, {"question": ""}):
        error = client.post("/ask", json=payload).json()["error"]
        assert error["code"] == "validation_error" and "the question is empty" in error["message"]
        assert "pattern" not in error["message"]


def test_malformed_json_and_oversized_body(client: TestClient) -> None:
    r = client.post("/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "malformed_json"
    r = client.post(
        "/ask", content=b'{"question": "' + b"a" * 70_000 + b'"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"


def test_unknown_article_is_404(client: TestClient) -> None:
    r = client.get("/articles/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "article_not_found"


def test_article_page_highlights_span(client: TestClient) -> None:
    r = client.get(f"/articles/{SEED_ID}", params={"format": "html", "start": 0, "end": 13})
    assert r.status_code == 200
    assert '<mark id="hl">More than 100</mark>' in r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_healthz_and_openapi(client: TestClient) -> None:
    h = client.get("/healthz").json()
    assert h["status"] == "ok" and h["index"]["articles"] == 1
    assert h["reader"] == {"picker": "rules"}
    schema = client.get("/openapi.json").json()
    assert "/ask" in schema["paths"] and "AskRequest" in schema["components"]["schemas"]


def test_a_time_the_archive_lacks_is_reported_in_json_and_on_the_page(tmp_path: Path) -> None:
    from index.embedding import HashingEmbedder

    camp = {
        "doc_id": "camp",
        "title": "Camp",
        "source": "Outlet A",
        "published": "2019-10-23",
        "text": "More than 100 prisoners escaped from the camp in October 2019, an official told Congress.",
    }
    idx = build([write_jsonl(tmp_path / "a.jsonl", [camp])], tmp_path / "idx", HashingEmbedder())
    with TestClient(create_app(load_settings(RULES), backend=idx)) as c:
        body = c.post("/ask", json={"question": "How many prisoners escaped from the camp in 2018?"}).json()
        w = body["time_window"]
        assert (w["phrase"], w["from"], w["to"]) == ("in 2018", "2018-01-01", "2018-12-31")
        assert w["archive_has_it"] is False and w["answered_from_it"] is False and "no article dated" in w["note"]
        on_time = c.post("/ask", json={"question": "How many prisoners escaped from the camp in 2019?"}).json()[
            "time_window"
        ]
        assert on_time["answered_from_it"] is True and on_time["note"] == ""
        assert (
            c.post("/ask", json={"question": "How many prisoners escaped from the camp?"}).json()["time_window"] is None
        )
        page = c.get("/", params={"q": "How many prisoners escaped from the camp in 2018?"}).text
        assert 'class="window-note"' in page and "2018-01-01 to 2018-12-31 (&#34;in 2018&#34;)" in page
        assert (
            'class="window-note"'
            not in c.get("/", params={"q": "How many prisoners escaped from the camp in 2019?"}).text
        )
        schema = c.get("/openapi.json").json()["components"]["schemas"]
        assert "from" in schema["TimeWindowOut"]["properties"]
        # the page says which dates the archive covers, so "last week" can be judged against it
        assert "articles dated 2019-10-23 to 2019-10-23" in c.get("/").text
        assert c.get("/healthz").json()["index"]["published_to"] == "2019-10-23"


def test_chat_page_permalink_and_form_post(client: TestClient) -> None:
    r = client.get("/", params={"q": "How many prisoners escaped?"})
    assert r.status_code == 200 and "<mark>More than 100</mark>" in r.text
    assert 'aria-live="polite"' in r.text and '<label for="question">' in r.text
    r = client.post("/", data={"question": "Who told Congress?", "h": ["How many prisoners escaped?"]})
    assert r.status_code == 200 and "Understood as:" in r.text


def test_page_header_states_the_archive_with_readable_counts(client: TestClient) -> None:
    assert "1 article · 6 passages" in client.get("/").text  # the seed: singular, as counted
    from web.pages import templates

    header = templates.env.get_template("base.html").render(
        info={"articles": 19218, "chunks": 199852, "built_at": "2026-12-03T02:23:05Z", "published_from": ""}
    )
    assert "19,218 articles · 199,852 passages · built 2026-12-03" in header


def test_no_index_gives_503(tmp_path: Path) -> None:
    settings = load_settings({**RULES, "QA_INDEX": str(tmp_path / "none")})
    with TestClient(create_app(settings)) as c:
        r = c.post("/ask", json={"question": "How many prisoners escaped?"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "index_not_loaded"
        assert "no index" in r.json()["error"]["message"]
        assert c.get("/healthz").status_code == 503


def test_filters_and_untrusted_article_text_is_escaped(tmp_path: Path) -> None:
    from index.embedding import HashingEmbedder

    evil = {
        "doc_id": "evil",
        "title": "<script>alert(1)</script> Harbour news",
        "source": "Evil <b>Outlet</b>",
        "published": "2024-05-01",
        "url": "javascript:alert(2)",
        "text": "The harbour reopened after 3 weeks. <img src=x onerror=alert(3)> More text follows here.",
    }
    other = {
        "doc_id": "other",
        "title": "Old harbour",
        "source": "Port News",
        "published": "2020-01-01",
        "text": "The harbour reopened after 9 weeks of repairs.",
    }
    idx = build([write_jsonl(tmp_path / "a.jsonl", [evil, other])], tmp_path / "idx", HashingEmbedder())
    with TestClient(create_app(load_settings(RULES), backend=idx)) as c:
        page = c.get("/", params={"q": "How many weeks until the harbour reopened?"}).text
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
        assert "<img src=x" not in page and "javascript:" not in page
        art = c.get("/articles/evil", params={"format": "html", "start": 0, "end": 3}).text
        assert "<img src=x" not in art and "javascript:" not in art and "<b>Outlet" not in art
        body = c.post(
            "/ask",
            json={"question": "How many weeks until the harbour reopened?", "filters": {"published_to": "2021-12-31"}},
        ).json()
        assert {a["citation"]["doc_id"] for a in body["answers"]} == {"other"}
        body = c.post(
            "/ask",
            json={
                "question": "How many weeks until the harbour reopened?",
                "filters": {"sources": ["Port News"], "published_from": "2024-01-01"},
            },
        ).json()
        assert body["no_answer"] is True


HARBOURS = [
    {
        "doc_id": "new",
        "title": "Harbour reopens",
        "source": "Coast Daily",
        "published": "2024-05-01",
        "text": "The harbour reopened after 3 weeks of repairs.",
    },
    {
        "doc_id": "old",
        "title": "Old harbour",
        "source": "Port News",
        "published": "2020-01-01",
        "text": "The harbour reopened after 9 weeks of repairs.",
    },
]
HARBOUR_Q = "How many weeks until the harbour reopened?"


def test_the_chat_page_narrows_by_outlet_and_dates_and_links_the_narrowed_answer(tmp_path: Path) -> None:
    from index.embedding import HashingEmbedder

    idx = build([write_jsonl(tmp_path / "a.jsonl", HARBOURS)], tmp_path / "idx", HashingEmbedder())
    with TestClient(create_app(load_settings(RULES), backend=idx)) as c:
        page = c.get("/").text
        assert '<option value="Coast Daily">' in page and '<option value="Port News">' in page
        assert 'min="2020-01-01" max="2024-05-01"' in page  # the date pickers span the archive
        narrowed = c.get("/", params={"q": HARBOUR_Q, "to": "2021-12-31"})
        assert narrowed.status_code == 200 and "<mark>9 weeks</mark>" in narrowed.text
        assert "3 weeks" not in narrowed.text and "Searched published … to 2021-12-31." in narrowed.text
        assert "&amp;to=2021-12-31" in narrowed.text  # the permalink keeps the filter
        assert 'name="to" type="date" value="2021-12-31"' in narrowed.text  # and so does the form
        # the no-JavaScript form, by outlet (in any case, as the API matches it)
        form = c.post("/", data={"question": HARBOUR_Q, "source": "coast daily"})
        assert form.status_code == 200 and "<mark>3 weeks</mark>" in form.text and "9 weeks" not in form.text
        assert "Searched only from coast daily." in form.text and '<details class="filters" open>' in form.text
        assert "No article in the archive is from" not in form.text  # a known outlet, in another case
        typo = c.post("/", data={"question": HARBOUR_Q, "source": "Coast Dialy"}).text
        assert "No article in the archive is from Coast Dialy." in typo and "No passage matches this search." in typo
        # the script's fragment says what it searched too
        fragment = c.post("/ui/answer", json={"question": HARBOUR_Q, "filters": {"sources": ["Port News"]}})
        assert "Searched only from Port News." in fragment.text and "&amp;source=Port+News" in fragment.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-13-01"}, "expected a date as YYYY-MM-DD"),
        ({"from": "yesterday"}, "expected a date as YYYY-MM-DD"),
        ({"from": "2024-02-01", "to": "2024-01-01"}, "published_from (2024-02-01) is after published_to (2024-01-01)"),
    ],
)
def test_bad_filter_dates_are_explained_on_the_page_and_by_the_api(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    page = client.get("/", params={"q": "How many prisoners escaped?", **params})
    shown = message if "after" in message else f"from: {message}"  # the form's label names the field
    assert page.status_code == 422 and shown in page.text and 'class="answer"' not in page.text
    filters = {{"from": "published_from", "to": "published_to"}[k]: v for k, v in params.items()}
    r = client.post("/ask", json={"question": "How many prisoners escaped?", "filters": filters})
    field = "filters" if "after" in message else "filters.published_from"
    assert r.status_code == 422 and r.json()["error"]["message"].startswith(f"{field}: {message}")


def test_page_shows_conflicts_side_by_side_and_alternatives_compactly(tmp_path: Path) -> None:
    from index.embedding import HashingEmbedder

    docs = [
        {
            "doc_id": "early",
            "title": "Escape",
            "source": "Outlet A",
            "published": "2019-10-23",
            "text": "More than 100 prisoners escaped from the camp, the envoy said.",
        },
        {
            "doc_id": "later",
            "title": "Escape update",
            "source": "Outlet B",
            "published": "2019-11-02",
            "text": "About 800 prisoners escaped from the camp, the envoy said.",
        },
    ]
    idx = build([write_jsonl(tmp_path / "a.jsonl", docs)], tmp_path / "idx", HashingEmbedder())
    with TestClient(create_app(load_settings(RULES), backend=idx)) as c:
        page = c.get("/", params={"q": "How many prisoners escaped from the camp?"}).text
        assert "The sources disagree" in page
        assert page.count('class="answer"') == 2
        assert "2019-10-23" in page and "2019-11-02" in page


def test_same_article_alternatives_are_secondary(client: TestClient) -> None:
    page = client.get("/", params={"q": "Who told Congress about the escapes?"}).text
    assert page.count('class="answer"') == 1
    assert "The sources disagree" not in page


def test_a_removal_published_while_serving_hides_the_article_everywhere(tmp_path: Path) -> None:
    """`qa index remove` in another process leaves hidden rows; the server switches to that
    version, never cites the removed article, and answers as a fresh build without it does."""
    from index.builder import IndexConfig, build_index, remove_from_index
    from index.embedding import HashingEmbedder
    from tests.test_index import _articles

    emb = HashingEmbedder()
    cfg = IndexConfig(model=emb.name, max_hidden_share=1.0)  # rows stay hidden, never compacted here
    ferries = [{**a, "text": f"Ferry number {i} sailed at {i} pm. {a['text']}"} for i, a in enumerate(_articles(8))]
    build_index([write_jsonl(tmp_path / "a.jsonl", ferries)], tmp_path / "idx", emb, cfg)
    kept = [a for a in ferries if a["doc_id"] != "n2"]
    build_index([write_jsonl(tmp_path / "b.jsonl", kept)], tmp_path / "fresh", emb, cfg)
    settings = load_settings({**RULES, "QA_ADMIN_TOKEN": "t0ken"})
    questions = [f"What time did ferry number {i} sail?" for i in range(8)] + ["harbour election story"]

    def cited(client: TestClient, question: str) -> list[tuple[str, int, int]]:
        body = client.post("/ask", json={"question": question}).json()  # answers first, then related passages
        return [
            (x["citation"]["doc_id"], x["citation"]["start"], x["citation"]["end"])
            for x in [*body["answers"], *body["related"]]
        ]

    with TestClient(create_app(settings, backend=LocalHybridIndex(tmp_path / "idx", embedder=emb))) as c:
        assert cited(c, questions[2])[0][0] == "n2"
        remove_from_index(["n2"], tmp_path / "idx", emb, cfg)
        switched = c.post("/admin/reload", headers={"Authorization": "Bearer t0ken"}).json()
        assert switched["reloaded"] is True and switched["index"]["hidden_rows"] > 0
        served = [cited(c, q) for q in questions]
        assert c.get("/articles/n2").status_code == 404
        assert c.get("/healthz").json()["index"]["articles"] == 7
    with TestClient(create_app(settings, backend=LocalHybridIndex(tmp_path / "fresh", embedder=emb))) as c:
        assert served == [cited(c, q) for q in questions]
    assert all(served) and all(doc != "n2" for hits in served for doc, _, _ in hits)
