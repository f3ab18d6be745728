"""End to end in a real browser: Debian's Chromium driven by Playwright
against a live `qa serve` that bootstraps the seed index with the real model."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    data = tmp_path_factory.mktemp("data")
    env = {**os.environ, "QA_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            pytest.fail("qa serve exited: " + (data / "server.log").read_text())
    else:
        proc.kill()
        pytest.fail("qa serve did not become healthy: " + (data / "server.log").read_text())
    yield base
    proc.terminate()
    proc.wait(timeout=20)


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
