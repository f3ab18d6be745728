"""Readers that turn files into ``Article`` objects.

Supported: seed-style ``.txt`` (outlet line, headline line, paragraphs),
``.jsonl`` / ``.jsonl.gz`` and ``.csv`` with the columns
``doc_id, title, text, source, published, url``, and ``.html`` / ``.htm``
(text and metadata extracted by trafilatura). A record that names no outlet
gets its URL's host as one. Problems never raise: each bad file or record
becomes a ``SourceProblem`` naming it and the reason.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from index.types import Article, SourceProblem

SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".csv", ".html", ".htm")
# A wire-agency credit at the very end of an article ("... were not kept. AFP").
# Only after sentence-final punctuation or on its own line, so "... said the AP"
# keeps its words.
_CREDIT = re.compile(
    r"(?:(?<=[.!?\"'”’)])[ \t]+|^|\n\s*)[-–—(]?\s*"
    r"(AFP|AP|Reuters|dpa|DPA|Xinhua|ANI|IANS|UPI|PA|Bloomberg|EFE)\)?\s*$"
)
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")

Item = Article | SourceProblem


def iter_files(paths: Iterable[Path]) -> Iterator[Path | SourceProblem]:
    """Expand files and directories (recursively) into supported files, sorted."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix(child) in SUFFIXES and not child.name.startswith("."):
                    yield child
        elif path.is_file():
            if _suffix(path) in SUFFIXES:
                yield path
            else:
                yield SourceProblem(str(path), f"unsupported file type (expected one of {', '.join(SUFFIXES)})")
        else:
            yield SourceProblem(str(path), "no such file or directory")


def count_records(paths: Iterable[Path]) -> tuple[int, int]:
    """(files, records) about to be read, for the progress bar's ETA."""
    files = records = 0
    for entry in iter_files(paths):
        if isinstance(entry, SourceProblem):
            records += 1
            continue
        files += 1
        suffix = _suffix(entry)
        if suffix in (".jsonl", ".jsonl.gz", ".csv"):
            opener = gzip.open if suffix == ".jsonl.gz" else open
            try:
                with opener(entry, "rb") as f:
                    records += sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
            except (OSError, EOFError):
                records += 1
        else:
            records += 1
    return files, records


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def read_sources(paths: Iterable[Path]) -> Iterator[Item]:
    for entry in iter_files(paths):
        if isinstance(entry, SourceProblem):
            yield entry
            continue
        try:
            yield from _READERS[_suffix(entry)](entry)
        except UnicodeDecodeError as exc:
            yield SourceProblem(str(entry), f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        except (OSError, EOFError, csv.Error, ValueError) as exc:
            yield SourceProblem(str(entry), f"unreadable: {exc}")


def normalize_date(value: object) -> str:
    """ISO date (YYYY-MM-DD) from common forms, or '' when not recognizable."""
    match = _DATE.match(str(value or "").strip())
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _doc_id(path: Path, explicit: object, text: str) -> str:
    if explicit not in (None, ""):
        return str(explicit).strip()
    return f"{path.stem}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def split_credit(text: str) -> tuple[str, str]:
    """Move a trailing agency credit out of the body: (body, credit)."""
    match = _CREDIT.search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), match.group(1)


def outlet_from_url(url: str) -> str:
    """The outlet a URL names, for an article that names none: its host without
    "www." ("https://www.usatoday.com/story/..." → "usatoday.com"); "" when the URL
    has no host. Subdomains stay: without the public-suffix list, cutting more
    would turn "bbc.co.uk" into "co.uk"."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # a malformed URL names no outlet
        return ""
    return host.removeprefix("www.")


def _record_to_article(path: Path, record: dict[str, object], where: str) -> Item:
    text = record.get("text")
    if not isinstance(text, str):
        return SourceProblem(where, "no article text")
    text, credit = split_credit(text)
    if not text.strip():
        return SourceProblem(where, "empty article text")
    url = str(record.get("url") or "")
    return Article(
        doc_id=_doc_id(path, record.get("doc_id") or record.get("id"), text),
        title=str(record.get("title") or ""),
        text=text,
        # Every answer names its outlet ("as of ..., per ..."): without one, the URL's host.
        source=str(record.get("source") or record.get("outlet") or "").strip() or outlet_from_url(url),
        published=normalize_date(record.get("published") or record.get("date")),
        url=url,
        credit=credit,
    )


def read_txt(path: Path) -> Iterator[Item]:
    raw = path.read_bytes().decode("utf-8")
    lines = [line.strip() for line in raw.splitlines()]
    content = [line for line in lines if line]
    if len(content) < 3:
        yield SourceProblem(str(path), "empty or too short (expected outlet, headline and body lines)")
        return
    source, title = content[0], content[1]
    body_start = lines.index(title, lines.index(source) + 1) + 1
    record = {"source": source, "title": title, "text": "\n".join(lines[body_start:])}
    yield _record_to_article(path, {**record, "doc_id": path.stem}, str(path))


def read_jsonl(path: Path) -> Iterator[Item]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError:
                yield SourceProblem(where, "not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield SourceProblem(where, f"malformed JSON ({exc.msg})")
                continue
            if not isinstance(record, dict):
                yield SourceProblem(where, "not a JSON object")
                continue
            yield _record_to_article(path, record, where)


def read_csv(path: Path) -> Iterator[Item]:
    csv.field_size_limit(64 * 1024 * 1024)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            yield SourceProblem(str(path), "CSV has no 'text' column")
            return
        for number, row in enumerate(reader, start=2):
            yield _record_to_article(path, dict(row), f"{path}:{number}")


def read_html(path: Path) -> Iterator[Item]:
    import trafilatura

    html = path.read_bytes().decode("utf-8")
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if doc is None or not getattr(doc, "text", None):
        yield SourceProblem(str(path), "no article text found in HTML")
        return
    text = str(getattr(doc, "text", ""))
    if len(text.split()) < 10:  # a menu or a cookie banner, not an article
        yield SourceProblem(str(path), f"no article text found in HTML (only {len(text.split())} words)")
        return
    title = str(getattr(doc, "title", "") or "")
    if title and text.startswith(title + "\n"):  # trafilatura repeats the <h1>
        text = text[len(title) + 1 :]
    record = {
        "doc_id": path.stem,
        "title": title,
        "text": text,
        "source": getattr(doc, "sitename", "") or getattr(doc, "hostname", "") or "",
        "published": getattr(doc, "date", "") or "",
        "url": getattr(doc, "url", "") or "",
    }
    yield _record_to_article(path, record, str(path))


_READERS = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".csv": read_csv,
    ".html": read_html,
    ".htm": read_html,
}
