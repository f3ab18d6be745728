"""Follow-up questions: rewrite a question that leans on earlier turns into a
standalone one ("Who told Congress?" after "How many prisoners escaped?")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.tokenize import STOP_WORDS, words
from qa.questions import QUESTION_WORDS

_ANAPHORA = frozenset(
    [
        "it",
        "its",
        "they",
        "them",
        "their",
        "he",
        "him",
        "his",
        "she",
        "her",
        "this",
        "that",
        "these",
        "those",
        "there",
        "such",
    ]
)
_CONTINUATION = re.compile(r"^\s*(and|also|what about|how about|and what about|same for)\b", re.I)
_MAX_CONTEXT_WORDS = 6


def _content_words(text: str) -> list[str]:
    """Content words in their written form, first occurrence order."""
    seen: list[str] = []
    for raw in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text):
        low = raw.casefold()
        if low in STOP_WORDS or low in QUESTION_WORDS or low in _ANAPHORA or len(low) < 2:
            continue
        if low not in (s.casefold() for s in seen):
            seen.append(raw)
    return seen


def is_follow_up(question: str) -> bool:
    tokens = words(question)
    if _CONTINUATION.match(question):
        return True
    if any(t in _ANAPHORA for t in tokens):
        return True
    return len(_content_words(question)) <= 2


def resolve(question: str, history: Sequence[str]) -> str:
    """The standalone form of ``question`` given earlier questions (oldest first)."""
    question = question.strip()
    context = ""
    for earlier in history:
        earlier = earlier.strip()
        if earlier:
            context = _resolve_one(earlier, context)
    return _resolve_one(question, context) if context else question


def _resolve_one(question: str, context: str) -> str:
    if not context or not is_follow_up(question):
        return question
    own = {w.casefold() for w in _content_words(question)}
    extra = [w for w in _content_words(context) if w.casefold() not in own][:_MAX_CONTEXT_WORDS]
    if not extra:
        return question
    return f"{question.rstrip(' ?')} ({' '.join(extra)})?"
