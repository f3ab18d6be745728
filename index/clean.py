"""Text normalization and deduplication.

Cleaning normalizes *form* (Unicode NFC, whitespace, invisible characters,
URL-encoded punctuation) but never changes wording: quotes, dashes and spelling
stay as published, because answers are quoted verbatim from the stored text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from index.types import Article

# Zero-width and bidi-control characters carry no wording but break matching
# and can be abused to disguise text; C0/C1 controls other than newline too.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace except newline
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "′": "'"})
_WORD = re.compile(r"\w+")
# Some scraped pages arrive partly URL-encoded: "raise it to %2410%2C the highest" is "$10,".
# A run of escapes is decoded when it spells punctuation, a space or a non-ASCII character, never
# a letter or digit (so "%72" stays), and never inside a web address, where escapes belong.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_WEB_ADDRESS = re.compile(r"\S*(?:://|www\.)\S*")


def _decode_run(match: re.Match[str]) -> str:
    try:
        decoded = bytes.fromhex(match.group(0).replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)
    if any((c.isascii() and c.isalnum()) or (c.isascii() and not c.isprintable()) for c in decoded):
        return match.group(0)
    return decoded


def decode_escapes(line: str) -> str:
    """Undo URL-encoding in prose ("General%27s" → "General's"), leaving web addresses alone."""
    if "%" not in line:
        return line
    out, at = [], 0
    for address in _WEB_ADDRESS.finditer(line):
        out += [_ESCAPES.sub(_decode_run, line[at : address.start()]), address.group(0)]
        at = address.end()
    out.append(_ESCAPES.sub(_decode_run, line[at:]))
    return "".join(out)


def normalize_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    return _SPACES.sub(" ", line).strip()


def fold_for_matching(text: str) -> str:
    """A comparison key: case, quote style and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(_WORD.findall(text))


def clean_paragraphs(paragraphs: Iterable[str]) -> tuple[list[str], int]:
    """Normalize paragraphs and drop repeats inside one article.

    News pages repeat image captions and pull quotes; a repeat is the same
    paragraph up to case, quote style and spacing (the seed article repeats
    its caption once with a straight and once with a curly apostrophe).
    Returns the kept paragraphs and how many were dropped.
    """
    kept: list[str] = []
    seen: set[str] = set()
    dropped = 0
    for raw in paragraphs:
        para = normalize_line(decode_escapes(raw))
        if not para:
            continue
        key = fold_for_matching(para)
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        kept.append(para)
    return kept, dropped


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by line breaks (blank or single)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [p for p in text.split("\n")]


def clean_article(article: Article) -> tuple[Article, int]:
    """Clean title and body; body paragraphs are joined by blank lines."""
    paragraphs, dropped = clean_paragraphs(split_paragraphs(article.text))
    cleaned = replace(
        article,
        title=normalize_line(decode_escapes(article.title)),
        text="\n\n".join(paragraphs),
        source=normalize_line(article.source),
        url=normalize_line(article.url),
    )
    return cleaned, dropped


def content_hash(article: Article) -> str:
    """Identity of an article's content, for exact-duplicate detection."""
    key = fold_for_matching(article.title) + "\n" + fold_for_matching(article.text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = 5) -> set[bytes]:
    words = fold_for_matching(text).split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


# datasketch's 32-bit permutation scheme, named so stored signatures keep their meaning.
_SCHEME = "affine32"


class NearDuplicateFinder:
    """Streaming near-duplicate detection with MinHash LSH (datasketch).

    Syndicated wire copy appears in many outlets with small edits (a byline,
    a trailing credit). The first copy seen becomes canonical; later copies
    are folded into it and remembered in ``Article.also_in``.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 64) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self._num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._threshold = threshold
        self._sigs: dict[str, object] = {}

    def _signature(self, article: Article) -> object:
        mh = self._minhash(num_perm=self._num_perm, seed=1, scheme=_SCHEME)
        mh.update_batch(list(shingles(article.text)))
        return mh

    def signature_bytes(self, doc_id: str) -> bytes | None:
        """The stored form of a remembered signature: its uint32 hash values."""
        sig = self._sigs.get(doc_id)
        if sig is None:
            return None
        return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()  # type: ignore[attr-defined]

    def remember(self, doc_id: str, blob: bytes) -> None:
        """Register an indexed article from its stored signature (no shingling, no hashing)."""
        from datasketch import LeanMinHash

        sig = LeanMinHash(seed=1, hashvalues=np.frombuffer(blob, dtype=np.uint32), scheme=_SCHEME)
        self._lsh.insert(doc_id, sig)
        self._sigs[doc_id] = sig

    def find(self, article: Article) -> str | None:
        """The doc_id of an already-seen near-duplicate, or None (and remember it)."""
        if len(article.text) < 200:  # too short for shingles to be meaningful
            return None
        sig = self._signature(article)
        for other in self._lsh.query(sig):
            if sig.jaccard(self._sigs[other]) >= self._threshold:  # type: ignore[attr-defined]
                return str(other)
        self._lsh.insert(article.doc_id, sig)
        self._sigs[article.doc_id] = sig
        return None

    def forget(self, doc_id: str) -> None:
        if doc_id in self._sigs:
            self._lsh.remove(doc_id)
            del self._sigs[doc_id]


def copy_record(article: Article) -> dict[str, str]:
    return {"doc_id": article.doc_id, "source": article.source, "url": article.url, "published": article.published}


class Deduplicator:
    """Exact + near-duplicate filter used by the index builder."""

    def __init__(self, near_threshold: float = 0.8) -> None:
        self.hashes: dict[str, str] = {}
        self.near = NearDuplicateFinder(threshold=near_threshold)
        self.exact_duplicates = 0
        self.near_duplicates = 0

    def seed(self, doc_id: str, digest: str, article: Article | None = None, signature: bytes | None = None) -> None:
        """Register an article already in the index (incremental updates), from
        its stored MinHash signature when there is one, else from its text."""
        self.hashes[digest] = doc_id
        if signature is not None:
            self.near.remember(doc_id, signature)
        elif article is not None:
            self.near.find(article)

    def forget(self, doc_id: str, digest: str) -> None:
        """Drop an article that is being replaced by a new version of itself."""
        if self.hashes.get(digest) == doc_id:
            del self.hashes[digest]
        self.near.forget(doc_id)

    def check(self, article: Article) -> tuple[str, str | None]:
        """('new'|'exact'|'near', canonical doc_id or None)."""
        digest = content_hash(article)
        if digest in self.hashes:
            self.exact_duplicates += 1
            return "exact", self.hashes[digest]
        canonical = self.near.find(article)
        if canonical is not None:
            self.near_duplicates += 1
            return "near", canonical
        self.hashes[digest] = article.doc_id
        return "new", None
