"""The `qa` command end to end (hashing embedder via --model, so no model load)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qa.cli import main
from tests.conftest import SEED_ID, SEEDS, write_jsonl

FAKE = ["--model", "hashing-256"]


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "idx"
    assert main(["index", "build", str(SEEDS), "--index", str(path), "--quiet", *FAKE]) == 0
    return path


def test_build_info_ask_json(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["index", "info", "--index", str(index_dir), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] == 1 and info["model"] == "hashing-256"
    assert main(["ask", "How many prisoners escaped?", "--index", str(index_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"question", "answers", "no_answer"}
    best = out["answers"][0]
    assert best["text"] == "More than 100"
    assert set(best["citation"]) >= {
        "doc_id",
        "title",
        "source",
        "published",
        "url",
        "start",
        "end",
        "quote_start",
        "quote_end",
    }
    text = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert best["text"] in text and best["quote"] in text


def test_plain_output_names_the_source(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["ask", "How many prisoners escaped?", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "More than 100" in out and "Zimbabwe News and Internet Radio" in out and SEED_ID in out


def test_plain_output_notes_a_time_the_archive_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    camp = {"doc_id": "camp", "title": "Camp", "published": "2019-10-23", "text": "More than 100 prisoners escaped."}
    path = tmp_path / "idx"
    source = str(write_jsonl(tmp_path / "a.jsonl", [camp]))
    assert main(["index", "build", source, "--index", str(path), "-q", *FAKE]) == 0
    capsys.readouterr()
    assert main(["ask", "How many prisoners escaped in 2018?", "--index", str(path)]) == 0
    assert 'Note: The archive has no article dated 2018-01-01 to 2018-12-31 ("in 2018")' in capsys.readouterr().out
    assert main(["ask", "How many prisoners escaped in 2019?", "--index", str(path)]) == 0
    assert "Note:" not in capsys.readouterr().out


def test_info_names_the_dates_and_outlets_an_archive_covers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = [
        {"doc_id": "a", "title": "A", "text": "One.", "published": "2021-03-04", "url": "https://www.cnn.com/a"},
        {"doc_id": "b", "title": "B", "text": "Two.", "published": "2023-05-06", "source": "Daily Planet"},
        {"doc_id": "c", "title": "C", "text": "Three.", "url": "https://www.cnn.com/c"},
        {"doc_id": "d", "title": "D", "text": "Four.", "published": "2019-01-02"},
    ]
    path = tmp_path / "idx"
    source = str(write_jsonl(tmp_path / "a.jsonl", records))
    assert main(["index", "build", source, "--index", str(path), "-q", *FAKE]) == 0
    capsys.readouterr()
    assert main(["index", "info", "--index", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["published_from"], info["published_to"], info["undated"]) == ("2019-01-02", "2023-05-06", 1)
    assert info["outlets"] == 2
    assert info["by_outlet"] == {"cnn.com": 2, "(none named)": 1, "Daily Planet": 1}
    assert main(["index", "info", "--index", str(path)]) == 0
    out = capsys.readouterr().out
    assert "published_from: 2019-01-02" in out and "top outlets: cnn.com (2), (none named) (1), Daily Planet (1)" in out


def test_exit_codes_for_bad_input(tmp_path: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "   ", "--index", str(index_dir)]) == 2
    assert main(["ask", "q?", "--index", str(tmp_path / "missing")]) == 3
    assert main(["index", "remove", "no-such-doc", "--index", str(index_dir)]) == 4
    (tmp_path / "empty.txt").write_text("")
    assert main(["index", "build", str(tmp_path / "empty.txt"), "--index", str(tmp_path / "new"), *FAKE]) == 6
    assert main(["ask", "q?", "--index", str(index_dir), "--top-k", "0"]) == 2
    # a filter that could never match: reported before any index or model loads
    assert main(["ask", "q?", "--index", str(tmp_path / "missing"), "--from", "2024-02-01", "--to", "2024-01-01"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 6 and all(len(line) < 300 for line in lines)
    assert "--from 2024-02-01 is after --to 2024-01-01" in lines[-1]


@pytest.mark.parametrize("day", ["2024-13-01", "yesterday", "20240101", "2024-1-5"])
def test_a_filter_date_not_an_iso_day_exits_2(day: str, index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["ask", "q?", "--index", str(index_dir), "--from", day])
    assert stop.value.code == 2
    assert f"argument --from: expected a date as YYYY-MM-DD, not '{day}'" in capsys.readouterr().err


def test_strict_turns_skips_into_failure_but_keeps_good_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "good.jsonl", [{"doc_id": "g", "title": "Good", "text": "A good article about the harbour."}])
    (src / "bad.txt").write_bytes(b"\xff\xfe not utf-8 \x80")
    args = ["index", "build", str(src), "--index", str(tmp_path / "idx"), *FAKE]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "warning: skipped" in err and "bad.txt" in err and "UTF-8" in err
    assert main([*args, "--strict"]) == 6
    assert main(["index", "info", "--index", str(tmp_path / "idx")]) == 0  # still a working index


def test_add_then_remove(tmp_path: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = write_jsonl(
        tmp_path / "more.jsonl",
        [
            {
                "doc_id": "x1",
                "title": "Harbour",
                "text": "The harbour reopened on Monday after 3 weeks of repairs.",
                "source": "Port News",
                "published": "2024-02-01",
            }
        ],
    )
    assert main(["index", "add", str(extra), "--index", str(index_dir), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["ask", "When did the harbour reopen?", "--index", str(index_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    best = out["answers"][0]
    assert best["citation"]["doc_id"] == "x1" and best["text"] == "Monday"  # the date, without its "on"
    assert "reopened on Monday" in best["quote"]
    assert main(["index", "remove", "x1", "--index", str(index_dir)]) == 0
    assert main(["index", "info", "--index", str(index_dir), "--json"]) == 0
    assert '"articles": 1' in capsys.readouterr().out


def test_unwritable_index_directory_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["index", "build", str(SEEDS), "--index", str(blocker / "idx"), *FAKE]) == 74
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1 and "error:" in err


def test_removal_leaves_hidden_rows_until_compact(
    tmp_path: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    briefs = [
        {"doc_id": f"b{i}", "title": f"Brief {i}", "text": f"Brief number {i}: the ferry {i} sailed at {i} pm."}
        for i in range(10)
    ]
    assert main(["index", "add", str(write_jsonl(tmp_path / "b.jsonl", briefs)), "--index", str(index_dir), "-q"]) == 0
    assert main(["index", "remove", "b3", "--index", str(index_dir)]) == 0  # 1 row of 16: hidden, not compacted
    capsys.readouterr()
    assert main(["index", "info", "--index", str(index_dir), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["articles"], info["chunks"], info["hidden_rows"]) == (10, 15, 1)

    assert main(["index", "compact", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("compacted: 0 articles, 0 chunks embedded") and "; 1 hidden rows compacted)" in out
    assert main(["index", "info", "--index", str(index_dir), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["articles"], info["chunks"], info["hidden_rows"]) == (10, 15, 0)
    assert main(["ask", "What time did ferry number 7 sail?", "--index", str(index_dir), "--json"]) == 0
    best = json.loads(capsys.readouterr().out)["answers"][0]
    assert best["citation"]["doc_id"] == "b7" and "7 pm" in best["text"]
    assert main(["index", "compact", "--index", str(tmp_path / "missing")]) == 3
    assert "Traceback" not in capsys.readouterr().err


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_ask_file_answers_each_line_and_reports_a_bad_one_in_place(
    tmp_path: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.txt"
    long_one = "Why " + "really " * 200 + "?"  # over QA_MAX_QUESTION_CHARS
    questions.write_text(f"# claims to check\nHow many prisoners escaped?\n\n{long_one}\nWho told Congress?\n")
    capsys.readouterr()
    # the bad question's exit code, after every other line was still answered
    assert main(["ask", "--file", str(questions), "--index", str(index_dir), "--json"]) == 2
    lines = _json_lines(capsys.readouterr().out)
    assert [line["question"] for line in lines] == ["How many prisoners escaped?", long_one, "Who told Congress?"]
    assert lines[0]["answers"][0]["text"] == "More than 100"  # type: ignore[index]
    assert lines[1]["error"]["code"] == "bad_question"  # type: ignore[index]
    assert "answers" in lines[2] and "error" not in lines[2]
    assert main(["ask", "--file", str(questions), "--index", str(index_dir)]) == 2
    out = capsys.readouterr().out
    assert "Q: How many prisoners escaped?" in out and "More than 100" in out and "error: " in out


def test_ask_needs_exactly_one_question_source(
    tmp_path: Path, index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blank.txt").write_text("\n# nothing\n")
    (tmp_path / "latin1.txt").write_bytes("Qui a d\xe9missionn\xe9 ?\n".encode("latin-1"))
    assert main(["ask", "--index", str(index_dir)]) == 2
    assert main(["ask", "Who?", "--file", str(tmp_path / "blank.txt"), "--index", str(index_dir)]) == 2
    assert main(["ask", "--file", str(tmp_path / "blank.txt"), "--index", str(index_dir)]) == 2
    assert main(["ask", "--file", str(tmp_path / "latin1.txt"), "--index", str(index_dir)]) == 2
    assert main(["ask", "--file", str(tmp_path / "missing.txt"), "--index", str(index_dir)]) == 74
    err = capsys.readouterr().err
    assert "not both" in err and "no questions" in err and "not UTF-8" in err and "missing.txt" in err
    assert "Traceback" not in err


def test_chat_reads_a_follow_up_with_the_question_before_it(
    index_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = "How many prisoners escaped?\nWho told Congress?\n/new\nWho told Congress?\n/quit\nHow many?\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(typed.encode()), encoding="utf-8"))
    capsys.readouterr()
    assert main(["chat", "--index", str(index_dir), "--json"]) == 0
    first, follow_up, fresh = _json_lines(capsys.readouterr().out)  # nothing after /quit
    assert first["answers"][0]["text"] == "More than 100"  # type: ignore[index]
    assert follow_up["question"] == "Who told Congress?"
    assert "prisoners" in str(follow_up["resolved_question"])  # read with the question before it
    assert fresh["resolved_question"] == "Who told Congress?"  # /new forgot it


def test_chat_survives_undecodable_input(
    index_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = b"\xff\xfe prisoners?\nHow many prisoners escaped?\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(typed), encoding="latin-1"))
    capsys.readouterr()
    assert main(["chat", "--index", str(index_dir), "--json"]) == 0
    garbled, good = _json_lines(capsys.readouterr().out)
    assert str(garbled["question"]).startswith("\ufffd")  # replaced, not a crash
    assert good["answers"][0]["text"] == "More than 100"  # type: ignore[index]


def test_ask_warns_of_an_outlet_the_archive_lacks(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["ask", "How many prisoners escaped?", "--index", str(index_dir), "--reader", "rules", "--json"]
    capsys.readouterr()
    assert main([*base, "--source", "zimbabwe news and internet radio"]) == 0  # outlets match in any case
    found = capsys.readouterr()
    assert json.loads(found.out)["no_answer"] is False and "warning" not in found.err
    assert main([*base, "--source", "Zimbabwe Nwes"]) == 0
    typo = capsys.readouterr()
    assert json.loads(typo.out)["no_answer"] is True
    assert "warning: no article in the archive is from 'Zimbabwe Nwes'" in typo.err
