"""End to end in a real browser: Debian's Chromium driven by Playwright
against a live `qa serve` that bootstraps the seed index with the real model."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT
from tests.serving import live_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("data")
    with live_server(data, env={"QA_DATA_DIR": str(data)}) as base:
        yield base


@contextmanager
def page_over(tmp_path: Path, docs: list[dict[str, str]]) -> Iterator[tuple[str, Page]]:
    """A live server over ``docs`` (hashing embedder) and a Chromium page: (base URL, page)."""
    from playwright.sync_api import sync_playwright

    from qa.cli import main
    from tests.conftest import write_jsonl

    src = write_jsonl(tmp_path / "docs.jsonl", docs)
    index = tmp_path / "idx"
    assert main(["index", "build", str(src), "--index", str(index), "--model", "hashing-256", "--quiet"]) == 0
    with live_server(tmp_path, "--index", str(index)) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield base, browser.new_page()
        finally:
            browser.close()


def test_chat_answers_cites_and_follows_up(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server + "/")
        box = page.get_by_label("Your question")
        expect(box).to_be_focused()
        box.fill("How many prisoners escaped?")
        box.press("Enter")
        answer = page.locator(".turn .answer-text strong").first
        expect(answer).to_have_text("More than 100", timeout=30_000)
        expect(page.locator(".turn .quote mark").first).to_have_text("More than 100")
        expect(page.locator(".turn .citation .outlet").first).to_have_text("Zimbabwe News and Internet Radio")
        expect(box).to_be_focused()
        assert "q=How+many+prisoners+escaped" in page.url  # permalink of the latest answer

        shot = tmp_path / "chat.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("QA_UPDATE_SCREENSHOT") == "1":
            shutil.copy(shot, ROOT / "docs" / "chat.png")

        # follow-up: the page sends the conversation as history
        box.fill("Who told Congress?")
        box.press("Enter")
        second = page.locator(".turn").nth(1)
        expect(second.locator(".resolved")).to_contain_text("prisoners", timeout=30_000)
        expect(second.locator(".answer-text strong").first).to_contain_text("official")

        # the citation link opens the article with the span highlighted and in view
        page.locator(".turn").first.locator(".citation a.headline").first.click()
        mark = page.locator("mark#hl")
        expect(mark).to_have_text("More than 100")
        expect(mark).to_be_in_viewport()
        assert "#hl" in page.url
        assert not errors, errors
        browser.close()


HOSTILE = [
    {
        "doc_id": "evil",
        "title": '<script>window.__pwned = "title"</script><img src=x onerror="window.__pwned=\'img\'"> Harbour',
        "source": "<b onmouseover=alert(1)>Evil Outlet</b>",
        "published": "2024-05-01",
        "url": "javascript:window.__pwned='url'",
        "text": (
            "The harbour reopened after 3 weeks of repairs, the mayor said. "
            "<script>window.__pwned = 'text'</script><svg onload=\"window.__pwned='svg'\"></svg> "
            "<a href=\"javascript:window.__pwned='link'\">click</a> More repairs are planned."
        ),
    }
]


def test_injected_markup_stays_inert_in_chat_and_article(tmp_path: Path) -> None:
    from playwright.sync_api import Dialog, expect

    with page_over(tmp_path, HOSTILE) as (base, page):
        dialogs: list[str] = []

        def on_dialog(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(base + "/")
        box = page.get_by_label("Your question")
        box.fill("How many weeks of repairs before the harbour reopened?")
        box.press("Enter")
        expect(page.locator(".turn .answer-text strong").first).to_have_text("3 weeks", timeout=30_000)
        expect(page.locator(".turn .citation .outlet").first).to_contain_text("<b onmouseover")  # shown as text
        page.locator(".turn .citation a.headline").first.click()
        expect(page.locator("mark#hl")).to_have_text("3 weeks")
        expect(page.locator(".article-text")).to_contain_text("<script>window.__pwned")  # text, not markup
        for url in (page.url, base + "/?q=harbour+repairs+weeks"):
            page.goto(url)
            assert page.evaluate("window.__pwned") is None
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
            assert page.locator("script:not([src])").count() == 0
        assert not dialogs


HARBOURS = [
    {"doc_id": "new", "title": "Harbour reopens", "source": "Coast Daily", "published": "2024-05-01",
     "text": "The harbour reopened after 3 weeks of repairs, the mayor said."},
    {"doc_id": "old", "title": "Old harbour", "source": "Port News", "published": "2020-01-01",
     "text": "The harbour reopened after 9 weeks of repairs, the mayor said."},
]  # fmt: skip


def test_the_search_narrowed_to_an_outlet_answers_from_it_and_keeps_it_in_the_permalink(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with page_over(tmp_path, HARBOURS) as (base, page):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/")
        page.get_by_text("Narrow the search").click()
        page.get_by_label("Outlet").fill("Port News")
        box = page.get_by_label("Your question")
        box.fill("How many weeks of repairs before the harbour reopened?")
        box.press("Enter")
        turn = page.locator(".turn").first
        expect(turn.locator(".answer-text strong").first).to_have_text("9 weeks", timeout=30_000)
        expect(turn.locator(".scope")).to_have_text("Searched only from Port News.")
        assert "source=Port+News" in page.url
        page.goto(page.url)  # the permalink renders the same narrowed answer, the form filled in
        expect(page.locator(".turn .answer-text strong").first).to_have_text("9 weeks")
        expect(page.get_by_label("Outlet")).to_have_value("Port News")
        page.get_by_label("Outlet").fill("")
        page.get_by_label("Your question").fill("How many weeks of repairs before the harbour reopened?")
        page.get_by_label("Your question").press("Enter")
        second = page.locator(".turn").nth(1)
        expect(second).to_contain_text("3 weeks", timeout=30_000)  # the other outlet's answer is back
        expect(second.locator(".scope")).to_have_count(0)
        assert "source=" not in page.url
        assert not errors, errors
