"""Which level of place a question asks for, and which levels a span names.

"In which country was Bankman-Fried arrested?" is not answered by "New York", nor "which city"
by "Ohio", nor "which state" by "Atlanta": a span that names a place of another level is no
answer to it (``qa.learned`` and ``qa.rules`` drop it). The gazetteer (``places.tsv``: the world's
countries with their common aliases, the 50 US states, and large cities in the news, among them
those that share a name with a state or country) knows only those levels; any other span is never
called one of another level. A demonym ("British") is not judged: it names a country's people,
and readers (and SQuAD's annotators) take it as the country. For a question that asks for a
country, a demonym is the same answer as its country's name ("Ukrainian", "Ukraine").
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from index.clean import fold_for_matching

GAZETTEER = Path(__file__).with_name("places.tsv")
LEVELS = ("country", "state", "city")
MAX_PLACE_WORDS = 6

# "which [up to two words] country": the first place noun after which/what decides, so "which
# state's capital city" asks for a state; "head of state", "what is the state of", "what for the
# country" or "what installed by state officials" asks for none.
_NOT_A_MODIFIER = (
    r"(?!(?:of|is|was|are|were|did|does|do|has|have|had|will|would"
    r"|for|the|a|an|from|by|to|in|on|at|with|into|that)\b)"
)
_STATES_THAT = re.compile(r"\s+that\b", re.I)  # "Which articles state that ...": a verb
_ASKED = re.compile(
    rf"\b(?:which|what)\s+(?:of\s+(?:these|those|the\s+following|the)\s+)?((?:{_NOT_A_MODIFIER}[\w.'’-]+\s+){{0,2}}?)"
    r"(countr(?:y|ies)|nations?|states?|cit(?:y|ies)|towns?|capital)(?:['’]s)?(?![\w-])",
    re.I,
)
# An EU "member state" or a "sovereign state" is a country, not a US state.
_COUNTRY_STATES = frozenset({"member", "nation", "sovereign", "island", "independent"})
_LEADING_THE = re.compile(r"^the\s+", re.I)


def asked_level(question: str) -> str:
    """ "country", "state" or "city" when the question asks for a place of that level, else ""."""
    found = _ASKED.search(question)
    if not found:
        return ""
    words, noun = found.group(1).split(), found.group(2).casefold()
    if noun.startswith("state") and _STATES_THAT.match(question, found.end()):
        return ""
    if words and words[-1][:1].isupper() and found.group(2)[:1].isupper() and not demonym_country(words[-1]):
        return ""  # part of a name: "Ohio Country", "Delaware State University"; not "French City"
    modifiers = [w.casefold() for w in words]
    if noun.startswith(("countr", "nation")):
        return "country"
    if noun.startswith("state"):
        return "country" if modifiers and modifiers[-1] in _COUNTRY_STATES else "state"
    return "city"  # a town or a capital is a city


def _key(text: str) -> str:
    return fold_for_matching(_LEADING_THE.sub("", text.strip()))


class _Gazetteer(NamedTuple):
    levels: dict[str, frozenset[str]]  # the levels of each folded name
    canonical: dict[str, str]  # a country alias's folded canonical name
    demonyms: dict[str, str]  # a demonym's country (folded canonical name), if it names one only


@cache
def _gazetteer() -> _Gazetteer:
    levels: dict[str, set[str]] = {}
    canonical: dict[str, str] = {}
    demonyms: dict[str, set[str]] = {}
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        level, name, aliases, people = [*line.split("\t"), "", "", ""][:4]
        names = [name, *(a for a in aliases.split(";") if a)]
        for n in names:
            levels.setdefault(_key(n), set()).add(level)
            if level == "country":
                canonical[_key(n)] = _key(name)
        for d in (d for d in people.split(";") if d):
            demonyms.setdefault(_key(d), set()).add(_key(name))
    country = {d: next(iter(c)) for d, c in demonyms.items() if len(c) == 1 and d not in levels}
    return _Gazetteer({k: frozenset(v) for k, v in levels.items()}, canonical, country)


def place_levels(text: str) -> frozenset[str]:
    """The levels a span names when it is exactly a known place ("the Bahamas"), else nothing:
    "Oregon Gov. Kate Brown" names a person, not a state."""
    return _gazetteer().levels.get(_key(text), frozenset())


def not_of_level(asked: str, text: str) -> bool:
    """True when ``text`` cannot be the place of the ``asked`` level: it names only places of other
    levels, or it is longer than any place's name ("South Carolina coast Saturday afternoon, after it
    drifted …"; the longest in the gazetteer is "the Democratic Republic of the Congo")."""
    return bool(asked) and (wrong_level(asked, text) or len(text.split()) > MAX_PLACE_WORDS)


def wrong_level(asked: str, text: str) -> bool:
    """True when ``text`` names only places of levels other than ``asked``."""
    named = place_levels(text)
    return bool(asked and named) and asked not in named


def country_key(key: str) -> str:
    """A folded answer key, with a country's alias replaced by its name ("uk", "britain" →
    "united kingdom"), so that the same country named two ways is one answer."""
    return _gazetteer().canonical.get(_LEADING_THE.sub("", key), key)


def demonym_country(text: str) -> str:
    """The folded name of the one country whose people ``text`` names, singular or plural, with or
    without "the" ("Ukrainian", "Russians", "the British" → "united kingdom"), else ""."""
    country = _gazetteer().demonyms
    key = _key(text)
    return country.get(key) or (country.get(key[:-1], "") if key.endswith("s") else "")
