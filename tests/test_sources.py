import gzip
from pathlib import Path

from index.sources import outlet_from_url, read_sources, split_credit
from index.types import Article, SourceProblem
from tests.conftest import SEED_FILE, SEED_ID, write_jsonl


def _read(*paths: Path) -> tuple[list[Article], list[SourceProblem]]:
    items = list(read_sources(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, SourceProblem)]


def test_seed_txt_metadata_and_agency_credit() -> None:
    [article], problems = _read(SEED_FILE)
    assert not problems
    assert article.doc_id == SEED_ID
    assert article.source == "Zimbabwe News and Internet Radio"
    assert article.title.startswith("More than 100 ISIS prisoners have escaped")
    assert article.credit == "AFP"
    assert article.text.rstrip().endswith("were not kept.")
    assert not article.text.startswith("Zimbabwe")


def test_credit_only_after_sentence_end() -> None:
    assert split_credit("He said. AFP") == ("He said.", "AFP")
    assert split_credit("according to the AP") == ("according to the AP", "")


def test_jsonl_gz_csv_and_html(tmp_path: Path) -> None:
    rec = {
        "doc_id": "j1",
        "title": "T",
        "text": "Body text here.",
        "source": "S",
        "published": "2024/03/05",
        "url": "u",
    }
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(__import__("json").dumps(rec) + "\n")
    (tmp_path / "b.csv").write_text('doc_id,title,text,source,published,url\nc1,Title,"Csv, body.",Src,2023-01-02,\n')
    (tmp_path / "c.html").write_text(
        "<html><head><title>Page</title><meta property='og:site_name' content='Daily Planet'>"
        "<meta name='date' content='2024-03-05'></head><body><article><h1>Mayor speaks</h1><p>"
        + "The mayor said more than 100 people attended the meeting on Tuesday evening in the city hall. " * 4
        + "</p></article></body></html>"
    )
    articles, problems = _read(tmp_path)
    assert not problems
    by_id = {a.doc_id: a for a in articles}
    assert by_id["j1"].published == "2024-03-05"
    assert by_id["c1"].text == "Csv, body." and by_id["c1"].source == "Src"
    assert "more than 100 people" in by_id["c"].text and by_id["c"].source == "Daily Planet"


def test_a_record_without_an_outlet_is_credited_to_its_urls_host(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"doc_id": "u1", "title": "T", "text": "Body.", "url": "https://www.usatoday.com/story/news/x/"},
            {"doc_id": "u2", "title": "T", "text": "Body.", "url": "https://edition.cnn.com/2024/x", "source": " "},
            {"doc_id": "u3", "title": "T", "text": "Body.", "url": "https://www.cnn.com/x", "source": "CNN"},
            {"doc_id": "u4", "title": "T", "text": "Body.", "url": "not a url"},
        ],
    )
    articles, problems = _read(tmp_path)
    assert not problems
    outlets = {a.doc_id: a.source for a in articles}
    assert outlets == {"u1": "usatoday.com", "u2": "edition.cnn.com", "u3": "CNN", "u4": ""}


def test_outlet_from_url_keeps_country_domains_and_survives_bad_urls() -> None:
    assert outlet_from_url("http://www.bbc.co.uk/news/1") == "bbc.co.uk"
    assert outlet_from_url("HTTPS://WWW.Example.COM:8080/a") == "example.com"
    assert outlet_from_url("") == ""
    assert outlet_from_url("http://[::1") == ""  # unbalanced IPv6 bracket: urlsplit raises


def test_bad_inputs_are_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "latin1.txt").write_bytes("Outlet\n\nTitle\n\nCaf\xe9 body text.".encode("latin-1"))
    write_jsonl(tmp_path / "mixed.jsonl", [{"doc_id": "ok", "title": "t", "text": "Fine text."}, {"doc_id": "e"}])
    with (tmp_path / "mixed.jsonl").open("a") as f:
        f.write("{not json\n")
    (tmp_path / "notes.docx").write_text("x")
    articles, problems = _read(tmp_path, tmp_path / "notes.docx", tmp_path / "missing.txt")
    assert [a.doc_id for a in articles] == ["ok"]
    reasons = {Path(p.path.split(":")[0]).name: p.reason for p in problems}
    assert "too short" in reasons["empty.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "unsupported" in reasons["notes.docx"]
    assert "no such file" in reasons["missing.txt"]
    mixed = sorted(p.reason for p in problems if "mixed.jsonl" in p.path)
    assert mixed == ["malformed JSON (Expecting property name enclosed in double quotes)", "no article text"]
