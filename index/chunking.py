"""Sentence splitting and sentence-aware chunking, with character offsets.

Pure functions: given a text they return spans ``(start, end)`` into that
same text, so ``text[start:end]`` is always the verbatim passage.
"""

from __future__ import annotations

import re

from index.types import Chunk

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "prof",
        "rev",
        "hon",
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "plc",
        "no",
        "nos",
        "vs",
        "etc",
        "approx",
        "est",
        "dept",
        "univ",
        "ave",
        "blvd",
        "mt",
        "ft",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "fig",
        "al",
        # plural titles and ranks that come before names in news ("Sens. Joe Manchin and Kyrsten
        # Sinema", "Maj. Gen."), "Warner Bros. Pictures", and "ca. 2 million". Not US states
        # ("Paducah, Ky. From there"): those mostly do end a sentence.
        "sens",
        "reps",
        "govs",
        "gens",
        "cpl",
        "pvt",
        "pfc",
        "spc",
        "maj",
        "brig",
        "det",
        "ald",
        "atty",
        "supt",
        "msgr",
        "messrs",
        "amb",
        "bros",
        "ca",
    ]
)
# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WORDS = re.compile(r"\S+")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the period at ``dot`` part of an abbreviation or an initial?"""
    if text[dot] != ".":
        return False
    # look back a bounded window only: scanning from 0 is quadratic on long lines
    match = _WORD_BEFORE.search(text, max(0, dot - 40), dot)
    if not match:
        return False
    word = match.group(1).rstrip(".")
    if "." in word:  # U.S., a.m., e.g.
        return True
    if len(word) == 1 and word.isalpha():  # initials: "George W. Bush"
        return True
    return word.lower() in _ABBREVIATIONS


def _next_starts_sentence(text: str, pos: int) -> bool:
    """After whitespace at ``pos``, does a new sentence plausibly begin?"""
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text) or text[pos] == "\n":
        return True
    first = text[pos]
    return first.isupper() or first.isdigit() or first in "\"'“‘(["


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``; line breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans.extend(_split_line(line, offset))
        offset += len(line) + 1
    return spans


def _split_line(line: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end()
        if _is_abbreviation(line, match.start()) and len(match.group()) == 1:
            continue
        if not _next_starts_sentence(line, end):
            continue
        _append_trimmed(spans, line, start, end, offset)
        start = end
    _append_trimmed(spans, line, start, len(line), offset)
    return spans


def _append_trimmed(spans: list[tuple[int, int]], line: str, start: int, end: int, offset: int) -> None:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((offset + start, offset + end))


def _word_count(text: str, start: int, end: int) -> int:
    return len(_WORDS.findall(text, start, end))


def _hard_split(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Split an over-long 'sentence' (lists, tables, no punctuation) at word boundaries."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text, start, end)]
    return [(words[i][0], words[min(i + max_words, len(words)) - 1][1]) for i in range(0, len(words), max_words)]


def chunk_spans(
    text: str, target_words: int = 150, max_words: int = 200, overlap_sentences: int = 1
) -> list[tuple[int, int]]:
    """Group whole sentences into passages of about ``target_words`` words.

    Consecutive chunks share ``overlap_sentences`` sentences so that an answer
    sitting at a boundary is whole in at least one chunk.
    """
    sentences: list[tuple[int, int, int]] = []
    for start, end in split_sentences(text):
        n = _word_count(text, start, end)
        if n > max_words:
            for s, e in _hard_split(text, start, end, max_words):
                sentences.append((s, e, _word_count(text, s, e)))
        else:
            sentences.append((start, end, n))
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(sentences):
        j, words = i, 0
        while j < len(sentences) and (j == i or words + sentences[j][2] <= max_words):
            words += sentences[j][2]
            j += 1
            if words >= target_words:
                break
        chunks.append((sentences[i][0], sentences[j - 1][1]))
        if j >= len(sentences):
            break
        # Step forward, keeping an overlap, but always make progress.
        i = max(j - overlap_sentences, i + 1)
    return chunks


def chunk_article(doc_id: str, text: str, target_words: int = 150, max_words: int = 200) -> list[Chunk]:
    return [
        Chunk(doc_id=doc_id, start=s, end=e, text=text[s:e])
        for s, e in chunk_spans(text, target_words=target_words, max_words=max_words)
    ]
