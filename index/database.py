"""The SQLite store of articles and chunk offsets (no pickle, plain SQL).

Chunk text is not stored twice: a chunk is ``(row, doc_id, start, end)`` and
its text is the slice of the article text (SQLite ``substr`` counts
characters, as Python does).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexCorrupt
from index.types import Article, Chunk, SearchFilters

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL,
    source TEXT NOT NULL, published TEXT NOT NULL, url TEXT NOT NULL,
    credit TEXT NOT NULL, also_in TEXT NOT NULL, digest TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    row INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES articles(doc_id),
    start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS signatures (doc_id TEXT PRIMARY KEY, minhash BLOB NOT NULL);
"""
_ARTICLE_COLS = "doc_id, title, text, source, published, url, credit, also_in"


def _article(row: Sequence[str]) -> Article:
    return Article(
        doc_id=row[0],
        title=row[1],
        text=row[2],
        source=row[3],
        published=row[4],
        url=row[5],
        credit=row[6],
        also_in=tuple(json.loads(row[7])),
    )


class ArticleDB:
    """One SQLite connection per opened version. Read-only stores (servers) share
    it across threads behind a lock and open it at once, so a version whose files
    are pruned while a request still reads it keeps working (the inode lives on)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self._lock = threading.Lock()
        self._dates: np.ndarray | None = None
        if readonly:
            try:
                self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise IndexCorrupt(f"{path} cannot be opened ({exc})") from None
        else:
            self.conn = sqlite3.connect(path)
            self.conn.execute("PRAGMA journal_mode=OFF")  # the whole file is discarded on failure
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.executescript(SCHEMA)

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def check(self) -> None:
        try:
            self._rows("SELECT count(*) FROM chunks")
        except sqlite3.DatabaseError as exc:
            raise IndexCorrupt(f"{self.path} is not a readable index database ({exc})") from None

    # -- writing ---------------------------------------------------------
    def put_article(self, article: Article, digest: str) -> None:
        self.conn.execute(
            f"INSERT OR REPLACE INTO articles ({_ARTICLE_COLS}, digest) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                article.doc_id,
                article.title,
                article.text,
                article.source,
                article.published,
                article.url,
                article.credit,
                json.dumps(list(article.also_in)),
                digest,
            ),
        )

    def update_metadata(self, article: Article) -> None:
        """New outlet, date, URL or credit for a stored article whose text is unchanged."""
        self.conn.execute(
            "UPDATE articles SET source=?, published=?, url=?, credit=? WHERE doc_id=?",
            (article.source, article.published, article.url, article.credit, article.doc_id),
        )
        self._dates = None

    def put_chunks(self, rows: Iterable[tuple[int, Chunk]]) -> None:
        self.conn.executemany(
            'INSERT INTO chunks (row, doc_id, start, "end") VALUES (?,?,?,?)',
            ((row, c.doc_id, c.start, c.end) for row, c in rows),
        )

    def add_copy(self, doc_id: str, record: dict[str, str]) -> None:
        """Remember a near-duplicate copy of ``doc_id`` (another outlet or URL)."""
        row = self.conn.execute("SELECT also_in FROM articles WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            return
        copies = json.loads(row[0])
        # one entry per copy: a copy read again with new metadata replaces its old entry
        kept = [c for c in copies if c.get("doc_id") != record.get("doc_id")] + [record]
        if kept != copies:
            self.conn.execute("UPDATE articles SET also_in=? WHERE doc_id=?", (json.dumps(kept), doc_id))

    def delete_articles(self, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            self.conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self.conn.execute("DELETE FROM signatures WHERE doc_id=?", (doc_id,))
            self.conn.execute("DELETE FROM articles WHERE doc_id=?", (doc_id,))

    def put_signature(self, doc_id: str, minhash: bytes) -> None:
        """An article's near-duplicate signature, kept so updates need not recompute it."""
        self.conn.execute("INSERT OR REPLACE INTO signatures (doc_id, minhash) VALUES (?,?)", (doc_id, minhash))

    def signatures(self) -> dict[str, bytes]:
        return {d: bytes(b) for d, b in self.conn.execute("SELECT doc_id, minhash FROM signatures")}

    def renumber_chunks(self, old_rows: np.ndarray) -> None:
        """Make chunk rows contiguous again: ``old_rows`` (every chunk row, sorted, as
        ``chunk_rows`` lists them) become 0, 1, 2, ... in that order, as the vectors do."""
        self.conn.execute("UPDATE chunks SET row = -1 - row")
        self.conn.executemany(
            "UPDATE chunks SET row=? WHERE row=?", ((new, -1 - int(old)) for new, old in enumerate(old_rows))
        )

    def commit(self) -> None:
        self.conn.commit()

    # -- reading ---------------------------------------------------------
    def article(self, doc_id: str) -> Article | None:
        rows = self._rows(f"SELECT {_ARTICLE_COLS} FROM articles WHERE doc_id=?", (doc_id,))
        return _article(rows[0]) if rows else None

    def articles(self) -> Iterator[Article]:
        """All articles, streamed (builders only: not for concurrent use)."""
        for row in self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY rowid"):
            yield _article(row)

    def digests(self) -> dict[str, str]:
        return dict(self._rows("SELECT doc_id, digest FROM articles"))

    # Chunk texts are sliced in Python, one article read per document: SQLite's
    # substr() walks UTF-8 from the start, which is quadratic on long articles.
    def _texts(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        ids = sorted(set(doc_ids))
        marks = ",".join("?" * len(ids))
        query = f"SELECT doc_id, title, text FROM articles WHERE doc_id IN ({marks})"
        return {d: (title, text) for d, title, text in self._rows(query, ids)}

    def chunks(self, rows: Sequence[int]) -> dict[int, Chunk]:
        if not rows:
            return {}
        marks = ",".join("?" * len(rows))
        spans = list(self._rows(f'SELECT row, doc_id, start, "end" FROM chunks WHERE row IN ({marks})', list(rows)))
        texts = self._texts(d for _, d, _, _ in spans)
        return {r: Chunk(doc_id=d, start=s, end=e, text=texts[d][1][s:e]) for r, d, s, e in spans if d in texts}

    def all_chunk_texts(self) -> Iterator[tuple[int, str, str]]:
        """(row, article title, chunk text) in row order, for rebuilding BM25."""
        current, title, text = None, "", ""
        for row, doc_id, start, end in self._rows('SELECT row, doc_id, start, "end" FROM chunks ORDER BY row'):
            if doc_id != current:
                current = doc_id
                title, text = self._texts([doc_id]).get(doc_id, ("", ""))
            yield row, title, text[start:end]

    def chunk_rows(self) -> np.ndarray:
        """The live chunk rows, sorted (gaps are rows of removed articles, hidden from search)."""
        return np.array([r for (r,) in self._rows("SELECT row FROM chunks ORDER BY row")], dtype=np.int64)

    def count(self, table: str) -> int:
        assert table in ("articles", "chunks")
        return int(self._rows(f"SELECT count(*) FROM {table}")[0][0])

    def _chunk_dates(self) -> np.ndarray:
        """Each chunk row's publication date ('' if unknown or removed), read once per open store:
        a date window ("last week") then costs one vectorized comparison, not a SQL join
        over every chunk (that join was a third of a windowed question's time)."""
        if self._dates is None:
            pairs = self._rows("SELECT c.row, a.published FROM chunks c JOIN articles a USING (doc_id)")
            rows = np.array([r for r, _ in pairs], dtype=np.int64)
            dates = np.full(int(rows.max(initial=-1)) + 1, "", dtype="U10")  # hidden rows stay ''
            dates[rows] = [p for _, p in pairs]
            self._dates = dates
        return self._dates

    def rows_matching(self, filters: SearchFilters) -> np.ndarray:
        """Sorted chunk rows whose article passes ``filters``."""
        if not filters.sources and self.readonly:
            dates = self._chunk_dates()
            keep = dates != ""
            if filters.published_from:
                keep &= dates >= filters.published_from
            if filters.published_to:
                keep &= dates <= filters.published_to
            return np.flatnonzero(keep).astype(np.int64)
        clauses: list[str] = []
        params: list[str] = []
        if filters.sources:
            clauses.append(f"lower(a.source) IN ({','.join('?' * len(filters.sources))})")
            params.extend(s.lower() for s in filters.sources)
        if filters.published_from:
            clauses.append("a.published != '' AND a.published >= ?")
            params.append(filters.published_from)
        if filters.published_to:
            clauses.append("a.published != '' AND a.published <= ?")
            params.append(filters.published_to)
        where = " AND ".join(clauses) or "1"
        query = f"SELECT c.row FROM chunks c JOIN articles a USING (doc_id) WHERE {where} ORDER BY c.row"
        return np.array([r for (r,) in self._rows(query, params)], dtype=np.int64)

    def sources(self) -> list[tuple[str, int]]:
        """(outlet, articles) for each outlet, most articles first ("" for articles naming none)."""
        query = "SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC, 1"
        return [(str(s), int(n)) for s, n in self._rows(query)]

    def coverage(self) -> tuple[str, str, int, int]:
        """(first, last) publication date of the dated articles ("" when none is dated), how
        many articles are undated (what a question about "last week" can hope to find), and
        how many distinct outlets the articles name."""
        first, last, undated, outlets = self._rows(
            "SELECT min(NULLIF(published, '')), max(NULLIF(published, '')), "
            "coalesce(sum(published = ''), 0), count(DISTINCT NULLIF(source, '')) FROM articles"
        )[0]
        return first or "", last or "", int(undated), int(outlets)
