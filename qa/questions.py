"""What a question asks for: its expected answer type and its content terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.tokenize import STOP_WORDS, _stem, words
from qa.places import asked_level

# Words that shape a question but never appear in its answer's evidence.
QUESTION_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "long",
        "far",
        "old",
        "often",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "name",
        "named",
        "called",
        "kind",
        "type",
        "according",
    ]
)
UNIT_WORDS = frozenset(
    [
        "percent",
        "per",
        "cent",
        "%",
        "miles",
        "mile",
        "km",
        "kilometres",
        "kilometers",
        "metres",
        "meters",
        "feet",
        "foot",
        "inches",
        "hours",
        "hour",
        "minutes",
        "minute",
        "seconds",
        "days",
        "day",
        "weeks",
        "week",
        "months",
        "month",
        "years",
        "year",
        "decades",
        "tonnes",
        "tons",
        "pounds",
        "kg",
        "kilograms",
        "dollars",
        "euros",
        "times",
        "acres",
    ]
)


@dataclass(frozen=True)
class QuestionInfo:
    text: str
    kind: str  # quantity, date, person, place, entity, phrase
    terms: tuple[str, ...]  # stemmed content terms
    proper_terms: frozenset[str]  # stemmed terms written with a capital in the question
    counted_noun: str = ""  # "how many PRISONERS": the thing counted
    unit: str = ""  # "how many MILES": the unit asked for
    place_level: str = ""  # "which COUNTRY": country, state or city (qa.places)


_HOW_MANY = re.compile(r"\bhow\s+(many|much)\b((?:\s+[\w-]+){0,3})", re.I)
_HOW_MEASURE = re.compile(r"\bhow\s+(long|far|old|often|big|large|tall|high|fast|deep|heavy)\b", re.I)
_WHAT_NUMBER = re.compile(
    r"\b(what|which)\s+(number|percentage|percent|proportion|amount|share|price|cost|total)\b", re.I
)
# "when" asks for a date only when a verb's auxiliary or the question mark follows it ("When did
# Pelosi become speaker?", "strike from when?"); otherwise it joins a clause ("trafficked from which
# African country when he was eight?", "When the Queen died, ... Who will take care of ...?").
_WHEN = re.compile(
    r"\bwhen(?=\s*\?|\s+(?:is|was|are|were|did|does|do|will|would|could|can|has|have|had|should|might|must)\b)"
    r"|\b(what\s+(year|date|day|month|time|decade|century)|which\s+(year|date|day|month))\b",
    re.I,
)
_MODIFIERS = r"(?:(?!of\b)[\w.'’-]+\s+){0,2}"  # "which African country", "which U.S. state"; not "head of state"
_WHO = re.compile(
    rf"\b(who|whom|whose)\b|\b(what|which)\s+{_MODIFIERS}"
    r"(person|man|woman|company|organi[sz]ation|group|team|official|leader)\b",
    re.I,
)
_WHERE = re.compile(
    rf"\b(where|(what|which)\s+{_MODIFIERS}(country|city|state|place|town|region|nation|continent))\b",
    re.I,
)


def classify(question: str) -> tuple[str, str, str]:
    """(kind, counted_noun, unit)."""
    q = question.strip()
    if m := _HOW_MANY.search(q):
        following = [w.lower() for w in (m.group(2) or "").split()]
        # The counted noun: the first plural among the next words ("how many
        # Kurdish FIGHTERS died"), else the first word ("how many PEOPLE").
        plurals = [w for w in following if w.endswith("s") and not w.endswith("ss") and len(w) > 3]
        noun = plurals[0] if plurals else (following[0] if following else "")
        return "quantity", noun, noun if noun in UNIT_WORDS else ""
    if m := _HOW_MEASURE.search(q):
        return "quantity", "", m.group(1).lower()
    if _WHAT_NUMBER.search(q):
        return "quantity", "", ""
    if _WHEN.search(q):
        asks_year = re.search(r"\b(what|which)\s+year\b", q, re.I) is not None
        return "date", "", "year" if asks_year else ""
    if re.search(r"\bhow\s+soon\b", q, re.I):
        return "date", "", ""
    if _WHERE.search(q):
        return "place", "", ""
    if _WHO.search(q):
        return "person", "", ""
    if re.search(r"\b(what|which)\b", q, re.I):
        return "entity", "", ""
    return "phrase", "", ""


def analyze(question: str) -> QuestionInfo:
    kind, counted, unit = classify(question)
    terms: list[str] = []
    proper: set[str] = set()
    raw_tokens = re.findall(r"[^\W_]+", question)
    capitalized = {t.casefold() for i, t in enumerate(raw_tokens) if i > 0 and t[:1].isupper()}
    for word in words(question):
        if word in STOP_WORDS or word in QUESTION_WORDS:
            continue
        stem = _stem(word)
        if stem not in terms:
            terms.append(stem)
        if word in capitalized:
            proper.add(stem)
    return QuestionInfo(
        text=question,
        kind=kind,
        terms=tuple(terms),
        proper_terms=frozenset(proper),
        counted_noun=_stem(counted) if counted else "",
        unit=unit,
        place_level=asked_level(question) if kind == "place" else "",
    )
