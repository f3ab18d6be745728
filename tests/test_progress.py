"""Progress lines for long work off a terminal (index.progress)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from index.progress import LineProgress
from qa.cli import main
from tests.conftest import write_jsonl


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_interval_with_counts_rate_and_eta() -> None:
    clock, out = FakeClock(), io.StringIO()
    bar = LineProgress(total=100, desc="indexing", unit="articles", stream=out, every=30, clock=clock)
    for _ in range(10):
        clock.now += 1
        bar.update(1)
    assert out.getvalue() == ""  # nothing before the first interval
    bar.set_postfix(chunks=1234)
    clock.now = 40
    bar.update(10)  # 20 articles in 40 s: 0.5/s, 80 left → 160 s
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0] == ("indexing: 20/100 articles (20%), chunks 1,234, 0.5 articles/s, elapsed 0:00:40, ETA 0:02:40")
    clock.now = 50
    bar.update(1)  # within the interval of the last line
    assert len(out.getvalue().splitlines()) == 1
    bar.close()
    assert out.getvalue().splitlines()[-1].startswith("indexing: 21/100 articles (21%)")


def test_a_quick_job_prints_nothing() -> None:
    clock, out = FakeClock(), io.StringIO()
    bar = LineProgress(total=5, desc="indexing", unit="articles", stream=out, every=30, clock=clock)
    bar.update(5)
    bar.close()
    assert out.getvalue() == ""


def test_build_off_a_terminal_logs_progress_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("index.progress.LINE_EVERY_S", 0.0)
    records = [
        {"doc_id": f"d{i}", "title": f"T{i}", "text": f"Article number {i} says {i} things happened."} for i in range(3)
    ]
    src = write_jsonl(tmp_path / "a.jsonl", records)
    assert main(["index", "build", str(src), "--index", str(tmp_path / "idx"), "--model", "hashing-256"]) == 0
    err = capsys.readouterr().err
    assert "indexing: 3/3 articles (100%)" in err
    assert "\r" not in err  # lines, not a redrawn bar
    capsys.readouterr()
    assert main(["index", "build", str(src), "--index", str(tmp_path / "idx2"), "--model", "hashing-256", "-q"]) == 0
    assert "indexing:" not in capsys.readouterr().err
