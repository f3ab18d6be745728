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
MAX_HISTORY_TURNS = 10  # earlier questions a follow-up may lean on (web chat, API, `qa chat`)


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


# "Who is Joe Biden?", "What are tariffs?": a definition question names its own subject.
_DEFINITION = re.compile(r"^\s*(who|what)\s+(is|are|was|were)\s+\S", re.I)


def _names_its_subject(question: str, content: list[str]) -> bool:
    """A short question that still stands alone: it names a year or number, or two
    capitalised ``content`` words ("Joe Biden", "World Cup", "Did Biden meet Xi?";
    the first word of the question does not count, it is capitalised anyway)."""
    if re.search(r"\d", question):
        return True
    capitalised = [w for w in content if w[:1].isupper()]
    first = re.match(r"\s*([^\W_]+)", question)
    if first and capitalised and capitalised[0] == first.group(1):
        capitalised = capitalised[1:]
    return len(capitalised) >= 2


def is_follow_up(question: str) -> bool:
    """Whether ``question`` leans on earlier turns: it continues them ("And the
    injured?"), points back at them ("Who freed them?"), or is too short to
    stand alone ("Who told Congress?") unless it names its own subject."""
    tokens = words(question)
    if _CONTINUATION.match(question):
        return True
    if any(t in _ANAPHORA for t in tokens):
        return True
    content = _content_words(question)
    if _DEFINITION.match(question) or _names_its_subject(question, content):
        return False
    return len(content) <= 2


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
