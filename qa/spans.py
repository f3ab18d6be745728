"""Candidate answer spans inside a sentence, by answer type (pure functions).

Each candidate is ``(start, end, kind)`` with offsets into the sentence;
spans are verbatim slices, never rewritten text. Quantities keep their
modifiers and units ("More than 100", "about $3 billion", "18 miles").
"""

from __future__ import annotations

import re

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY_NAMES = frozenset({"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
_WEEKDAYS = rf"(?:{'|'.join(sorted(_WEEKDAY_NAMES))})"
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"a\s+hundred|a\s+thousand|a\s+dozen|a\s+million|a\s+billion|hundreds|thousands|millions|billions|"
    r"dozens|tens\s+of\s+thousands|hundreds\s+of\s+thousands|half)"
)
_MODIFIER = (
    r"(?:(?:more|fewer|less|greater|higher|lower)\s+than|over|under|about|around|approximately|nearly|"
    r"almost|roughly|some|at\s+least|at\s+most|up\s+to|as\s+many\s+as|as\s+much\s+as|as\s+few\s+as|"
    r"an\s+estimated|estimated|just\s+over|just\s+under|well\s+over|close\s+to|only|just)"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion|trn|bn|tn|m|k|mn)"
_UNIT = (
    r"(?:%|percent|per\s+cent|percentage\s+points?|miles?|km|kilomet(?:re|er)s?|met(?:re|er)s?|feet|foot|"
    r"inches|hours?|minutes?|seconds?|days?|weeks?|months?|years?|decades?|tonnes?|tons?|pounds?|kg|"
    r"dollars?|euros?|times|acres|degrees)"
)
# A price per something is one quantity: "$5 a gallon", "$19.99 per month", "$2/month".
_RATE = (
    r"(?:\s(?:a|an|per)\s+|/)(?:gallon|barrel|litre|liter|ounce|pound|kilo|dozen|share|person|head|"
    r"night|ticket|hour|day|week|month|year|mile|mo|yr|hr)\b"
)
_NUMERIC = r"(?:[$£€¥]\s?)?\d+(?:[,.]\d+)*"
# A quantity starts at a word boundary or at a currency sign that follows no word
# character: "\b" alone would start "$5" at its "5" and lose the sign.
QUANTITY = re.compile(
    rf"(?:\b|(?<![\w$£€¥])(?=[$£€¥]))(?:{_MODIFIER}\s+)?"
    rf"(?:(?:{_NUMERIC}(?:\s?{_SCALE}\b)?|(?<![\w$£€¥]){_NUMBER_WORDS}\b)"
    rf"(?:\s*(?:-|to|and|or)\s*(?:{_NUMERIC}|{_NUMBER_WORDS})(?:\s?{_SCALE}\b)?)?(?:\s?{_UNIT}\b|%)?(?:{_RATE})?)",
    re.I,
)
DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAYS},?\s+)?{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?:,?\s+\d{{4}})?"
    rf"|{_MONTHS}\s+\d{{4}}"
    rf"|(?:in|since|by|from|until|before|after)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?(?:1[5-9]\d\d|20\d\d)s?"
    rf"|(?:1[5-9]\d\d|20\d\d)(?:\s*[-–]\s*(?:\d\d){{1,2}})?"
    rf"|(?:last|next|this|earlier\s+this|later\s+this)\s+(?:week|month|year|{_WEEKDAYS})"
    rf"|(?:on\s+)?{_WEEKDAYS}|yesterday|today|tonight|tomorrow)\b",
)
# A time named in a shape DATE does not cover, for typing a whole reader span that answers a
# "when" question (fullmatch only; DATE alone finds candidates, so "May" in a sentence stays a name).
# Case matters for names ("Leap Day", not "a day"), so only the common words ignore it.
_CLOCK = r"(?:\d{1,2}(?::\d\d)?\s?[ap]\.?m\b\.?(?:\s(?:[ECMP][SD]?T|GMT|UTC|BST))?|(?i:noon|midnight))"
_HOLIDAY = (
    r"(?:(?:(?!The\s)[A-Z][\w'’]*\s){1,3}(?:[Dd]ay|Eve|Weekend)|(?:[A-Z][\w'’]*\s)?(?:Christmas|Easter|Thanksgiving|"
    r"Halloween|Hanukkah|Ramadan|Passover|Diwali|Juneteenth|New\sYear(?:['’]s)?)(?:\s(?:[Dd]ay|Eve|holidays?|weekend))?)"
)
_WHEN_CORE = (
    rf"(?:(?:{_WEEKDAYS},?\s)?{_MONTHS}(?:\s\d{{1,2}}(?:st|nd|rd|th)?)?|{_WEEKDAYS}|(?i:spring|summer|fall|autumn|winter)"
    rf"|{_HOLIDAY}|['‘’]?\d0s|(?:1[5-9]|20)\d0s|\d{{1,4}}\s?(?:BCE?|AD|CE)|AD\s?\d{{1,4}}"
    rf"|(?i:(?:\d{{1,2}}(?:st|nd|rd|th)|last|next|this|previous)\scentury)"
    rf"|(?i:(?:last|next|this|(?:the\s)?coming)\s(?:week|weekend|month|quarter|year|decade)s?)"
    rf"|(?:[\w-]+\s){{1,2}}(?i:years?|months?|weeks?|days?|decades?|centuries)\s(?i:ago))"
)
TIME_EXPRESSION = re.compile(
    rf"(?i:(?:in|on|at|by|from|until|since|before|after|around|during|over|of)\s)?(?i:the\s)?"
    rf"(?i:(?:early|mid|late|this|last|next|end\sof|beginning\sof|start\sof)[\s-])?"
    rf"(?:{_WHEN_CORE}(?:,?\s(?:of\s)?\d{{4}})?|{_CLOCK})(?:,?\s(?:at\s)?{_CLOCK})?"
)
# Proper names: capitalized words, optionally joined by short connectors
# ("Bank of England", "Abu Bakr al-Baghdadi", "U.S. State Department").
_CAP = r"(?:[A-Z][\w'’.-]*[\w.]|[A-Z]\.)"
_CAP_OR_PARTICLE = rf"(?:{_CAP}|(?:al|el|bin|ibn|ben|abu)-[A-Z][\w'’.-]*)"
PROPER = re.compile(rf"{_CAP}(?:\s+(?:(?:of|de|da|del|van|von|al|bin|el|la|the|and|for|&)\s+)?{_CAP_OR_PARTICLE})*")
ROLE_NOUNS = (
    r"(?:official|officials|spokesman|spokeswoman|spokesperson|minister|president|envoy|secretary|"
    r"chief|director|leader|governor|senator|mayor|ambassador|general|commander|chairman|chairwoman|"
    r"executive|head|judge|prosecutor|lawyer|police|authorities|ministry|department|agency|company|"
    r"group|forces|government|army|officer|spokesperson|analyst|expert|researchers|scientists)"
)
ROLE_PHRASE = re.compile(
    rf"\b(?:(?:a|an|the)\s+)?(?:(?:top|senior|former|chief|deputy|local|federal|state|U\.S\.|US|"
    rf"[A-Z][\w.'’-]*)\s+){{0,5}}{ROLE_NOUNS}\b(?:\s+{_CAP}(?:\s+{_CAP}){{0,3}})?",
)
# Prepositions and conjunctions that open a sentence but never a name ("During TNT's broadcast",
# "Though China ..."); not "Under" ("Under Armour") nor "All" ("All Blacks").
_OPENERS = """During Despite Amid Amidst Among Until Without Within Throughout Against Following According
Across Although Though Because Unless Whether Including Instead Besides Upon Unlike"""
_STARTERS = """The A An In On At But And However He She It They We I His Her Its Their This That These Those
From For With As After Before When While If Yesterday Today Once Since Meanwhile Also More Some Which What Who
Where Why How So Yet Thus Hence Then Otherwise Even Nonetheless Nevertheless Moreover Furthermore"""
# A headline's question: "Is TikTok …?", "Did Yellen …?" (not "Will" or "May": "Will Smith").
_HEADLINE_VERBS = "Is Are Was Were Do Does Did Has Have Had Can Could Should Would"
SENTENCE_START_WORDS = frozenset(f"{_OPENERS} {_STARTERS} {_HEADLINE_VERBS}".split())
SENTENCE_START_WORDS_LOWER = frozenset(w.lower() for w in SENTENCE_START_WORDS)


_DATELINE_CREDITS = frozenset({"CNN", "Reuters", "AFP", "AP"})
_CNN_DESKS = frozenset({"Business", "Sport", "Politics", "Travel", "Style", "Health", "Underscored"})
_CNN_DESK_AFTER = re.compile(r" (?:" + "|".join(sorted(_CNN_DESKS)) + r")\b")
_DATELINE_DASH = re.compile(r"\)?\s*[—–-]")


def without_dateline_credit(text: str, start: int, end: int) -> int:
    """The end of text[start:end] without a dateline's credit: "London CNN — …" lost the
    parentheses of "London (CNN)", and the place is the name. The credit may name a CNN desk
    ("New York CNN Business —"); "told CNN" and "Fox News and CNN —" keep theirs."""
    words = text[start:end].split(" ")
    credit = 2 if len(words) > 2 and words[-2] == "CNN" and words[-1] in _CNN_DESKS else 1
    dash_at = end
    if credit == 1 and words[-1] == "CNN" and (desk := _CNN_DESK_AFTER.match(text, end)):
        dash_at = desk.end()  # the span stopped before the desk: "London CNN| Business —"
    if (
        len(words) > credit
        and words[-credit] in _DATELINE_CREDITS
        and words[-credit - 1][:1].isupper()
        and _DATELINE_DASH.match(text, dash_at)
    ):
        return end - len(" ".join(words[-credit:])) - 1
    return end


def _trim_proper(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop leading sentence-start words ('The', 'However') and trailing dots/possessives."""
    span = text[start:end]
    words = span.split(" ")
    while words and words[0] in SENTENCE_START_WORDS:
        start += len(words[0]) + 1
        words = words[1:]
    if not words:
        return None
    # "Benjamin Netanyahu Thursday", but not "Saturday and Sunday" (no name before the weekday)
    while len(words) > 1 and words[-1] in _WEEKDAY_NAMES and words[-2][:1].isupper():
        end -= len(words[-1]) + 1
        words = words[:-1]
    end = without_dateline_credit(text, start, end)
    span = text[start:end]
    for suffix in ("’s", "'s", "."):
        if span.endswith(suffix) and not re.search(r"\b[A-Z]\.$|\.[A-Z]\.$", span):
            end -= len(suffix)
            span = text[start:end]
    return (start, end) if span.strip() else None


def quantities(sentence: str) -> list[tuple[int, int, str]]:
    out = []
    for m in QUANTITY.finditer(sentence):
        span = m.group()
        if re.fullmatch(r"(?:1[5-9]\d\d|20\d\d)", span):  # a bare year is a date, not a count
            continue
        no_digit = not any(ch.isdigit() for ch in span)
        if re.fullmatch(r"one|half", span, re.I) or (no_digit and sentence[m.end() :].startswith(" of the")):
            continue  # "one of those priorities" counts nothing
        out.append((m.start(), m.end(), "quantity"))
    return out


def dates(sentence: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "date") for m in DATE.finditer(sentence)]


def proper_names(sentence: str) -> list[tuple[int, int, str]]:
    out = []
    for m in PROPER.finditer(sentence):
        trimmed = _trim_proper(sentence, m.start(), m.end())
        if trimmed and not DATE.fullmatch(sentence[trimmed[0] : trimmed[1]]):
            out.append((trimmed[0], trimmed[1], "entity"))
    return out


def role_phrases(sentence: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "person") for m in ROLE_PHRASE.finditer(sentence)]


_PHRASE_WORD = re.compile(r"[\w’'$%-]+(?:\.\w+)*")


def noun_phrases(sentence: str, max_words: int = 4) -> list[tuple[int, int, str]]:
    """Fallback candidates: runs of up to ``max_words`` content words, broken at
    stop words and punctuation ("toxic masculinity", "the Hay Wain" -> "Hay Wain")."""
    from index.tokenize import STOP_WORDS

    out: list[tuple[int, int, str]] = []
    run: list[re.Match[str]] = []

    def flush() -> None:
        if run:
            out.append((run[0].start(), run[-1].end(), "phrase"))
            run.clear()

    previous_end = 0
    for m in _PHRASE_WORD.finditer(sentence):
        gap = sentence[previous_end : m.start()]
        previous_end = m.end()
        if run and gap.strip():  # punctuation between words ends a phrase
            flush()
        if m.group().lower() in STOP_WORDS or m.group().lower() in SENTENCE_START_WORDS_LOWER:
            flush()
            continue
        run.append(m)
        if len(run) == max_words:
            flush()
    flush()
    return out


# A title in quotes: "Everything Everywhere All at Once", ‘Laverne & Shirley,’ (a comma or period
# before the closing mark is punctuation, not title). A curly apostrophe inside ‘…’ is no closing mark.
_QUOTED = re.compile(r"“([^“”\n]{1,120})”|(?<!\w)\"([^\"\n]{1,120})\"|(?<![\w’'])‘([^‘\n]{1,120}?)’(?!\w)")
_TITLE_SMALL_WORD = re.compile(
    r"(?:a|an|the|and|or|nor|but|as|at|by|for|from|in|into|of|off|on|onto|out|over|per|than|to|up|upon|via|vs|with)"
)


def quoted_titles(sentence: str, max_words: int = 10) -> list[tuple[int, int, str]]:
    """Titles in quotes, in title case (every word capitalised but short function words), so
    speech ("Welcome back to Twitter, my friend") is none: the whole title, and each part
    between colons ("Glass Onion" of "Glass Onion: A Knives Out Mystery")."""
    out: list[tuple[int, int, str]] = []
    for m in _QUOTED.finditer(sentence):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        start, inner = m.start(group), m.group(group).rstrip(" ,.;")
        words = inner.split()
        if not 0 < len(words) <= max_words or not words[0][:1].isupper():
            continue
        if any(w[:1].islower() and not _TITLE_SMALL_WORD.fullmatch(w.casefold()) for w in words):
            continue
        out.append((start, start + len(inner), "title"))
        at = start
        for part in inner.split(":") if ":" in inner else []:
            lead = len(part) - len(part.lstrip())
            if part.strip():
                out.append((at + lead, at + len(part.rstrip()), "title"))
            at += len(part) + 1
    return out


def candidates(sentence: str, phrases: bool = False) -> list[tuple[int, int, str]]:
    """All typed candidates of a sentence, most specific kinds first; untyped
    noun-phrase runs too when ``phrases`` (for "what ..." questions)."""
    typed = quantities(sentence) + dates(sentence) + role_phrases(sentence) + proper_names(sentence)
    return typed + noun_phrases(sentence) if phrases else typed
