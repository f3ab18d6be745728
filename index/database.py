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
    """Read/write access for builders; ``readonly=True`` for servers (one
    connection per thread, because sqlite3 connections are not shared)."""

    def __init__(self, path: Path, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self._local = threading.local()
        if not readonly:
            self.conn.executescript(SCHEMA)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                conn = sqlite3.connect(self.path)
                conn.execute("PRAGMA journal_mode=OFF")  # the whole file is discarded on failure
                conn.execute("PRAGMA synchronous=OFF")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def check(self) -> None:
        try:
            self.conn.execute("SELECT count(*) FROM chunks").fetchone()
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
        if record not in copies:
            copies.append(record)
            self.conn.execute("UPDATE articles SET also_in=? WHERE doc_id=?", (json.dumps(copies), doc_id))

    def delete_articles(self, doc_ids: Sequence[str]) -> None:
        for doc_id in doc_ids:
            self.conn.execute("DELETE FROM chunks WHERE doc_id=?", (doc_id,))
            self.conn.execute("DELETE FROM articles WHERE doc_id=?", (doc_id,))

    def renumber_chunks(self) -> np.ndarray:
        """Make chunk rows contiguous again after deletions.

        Returns the old row of each new row, to reorder the vectors the same way.
        """
        old_rows = np.array([r for (r,) in self.conn.execute("SELECT row FROM chunks ORDER BY row")], dtype=np.int64)
        self.conn.execute("UPDATE chunks SET row = -1 - row")
        self.conn.executemany(
            "UPDATE chunks SET row=? WHERE row=?", ((new, -1 - int(old)) for new, old in enumerate(old_rows))
        )
        return old_rows

    def commit(self) -> None:
        self.conn.commit()

    # -- reading ---------------------------------------------------------
    def article(self, doc_id: str) -> Article | None:
        row = self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles WHERE doc_id=?", (doc_id,)).fetchone()
        return _article(row) if row else None

    def articles(self) -> Iterator[Article]:
        for row in self.conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY rowid"):
            yield _article(row)

    def digests(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT doc_id, digest FROM articles"))

    # Chunk texts are sliced in Python, one article read per document: SQLite's
    # substr() walks UTF-8 from the start, which is quadratic on long articles.
    def _texts(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        ids = sorted(set(doc_ids))
        marks = ",".join("?" * len(ids))
        query = f"SELECT doc_id, title, text FROM articles WHERE doc_id IN ({marks})"
        return {d: (title, text) for d, title, text in self.conn.execute(query, ids)}

    def chunks(self, rows: Sequence[int]) -> dict[int, Chunk]:
        if not rows:
            return {}
        marks = ",".join("?" * len(rows))
        spans = list(
            self.conn.execute(f'SELECT row, doc_id, start, "end" FROM chunks WHERE row IN ({marks})', list(rows))
        )
        texts = self._texts(d for _, d, _, _ in spans)
        return {r: Chunk(doc_id=d, start=s, end=e, text=texts[d][1][s:e]) for r, d, s, e in spans if d in texts}

    def all_chunk_texts(self) -> Iterator[tuple[int, str, str]]:
        """(row, article title, chunk text) in row order, for rebuilding BM25."""
        current, title, text = None, "", ""
        for row, doc_id, start, end in self.conn.execute('SELECT row, doc_id, start, "end" FROM chunks ORDER BY row'):
            if doc_id != current:
                current = doc_id
                title, text = self._texts([doc_id]).get(doc_id, ("", ""))
            yield row, title, text[start:end]

    def count(self, table: str) -> int:
        assert table in ("articles", "chunks")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def rows_matching(self, filters: SearchFilters) -> np.ndarray:
        """Sorted chunk rows whose article passes ``filters``."""
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
        return np.array([r for (r,) in self.conn.execute(query, params)], dtype=np.int64)

    def sources(self) -> list[tuple[str, int]]:
        return list(self.conn.execute("SELECT source, count(*) FROM articles GROUP BY source ORDER BY 2 DESC"))
