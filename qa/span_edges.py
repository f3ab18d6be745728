"""Clean edges for reader spans: balanced quotes and brackets, no stray punctuation or photo credit.

The reader scores tokens, and its best span often stops at a quotation mark or a bracket: "“Spare",
'The Godfather" star Brando', "40 degrees Celsius (104 Fahrenheit", ", Louisiana". A user reading the
answer sees a broken quotation. ``tidy_edges`` moves a span's edges to the nearest clean place in the
same sentence and returns new offsets into the same text, so the answer stays a verbatim slice:

- stray punctuation at an edge is dropped (", Louisiana" → "Louisiana"; "-14" stays a number);
- a quotation mark or bracket without its partner at an edge is dropped ('“Spare' → "Spare");
- one inside the span is balanced by taking in its partner, when that is near and in the sentence
  ('The Godfather" star Brando' → '"The Godfather" star Brando'); otherwise the span is left as it is;
- single curly quotes are marks too, except as apostrophes ("don’t", "the ‘90s"); a ’ after a word
  closes a quote only when its ‘ is in the sentence, else it is a possessive ("the Joneses’ farm");
- a dateline's credit is dropped ("London CNN —" → "London", as ``spans`` does for names);
- a photo credit that runs into a caption is cut off ("Leon Neal/Getty Images Sunak and Boris
  Johnson" → "Sunak and Boris Johnson"), and a span that is only a credit line is no answer (None).

``without_leading_word`` leaves out of a name's answer the one lowercase word before it that only
repeats the question ("Which company ...?": "company Meta" → "Meta").

``without_date_preposition`` leaves out of a date's answer a leading "in", "on" or "at", which add
nothing to it ("in 1995" → "1995", "on Monday" → "Monday"); "since", "by", "before" and the like change
what the date means and stay.

``is_bare_quote`` says when a span's sentence holds little but the span: a quiz option ("D. Dollar"
under "... which US currency?"), a byline, a heading ("California drought"), a timeline line ("2021:
Patrick Mahomes"). Such a quote asserts nothing a reader could check, so the answerer does not offer
the span as an answer.
"""

from __future__ import annotations

import re

from index.tokenize import tokenize
from qa.places import demonym_country
from qa.spans import DATE, TIME_EXPRESSION, without_dateline_credit

# How far outside the span a partner quotation mark or bracket may be taken in, in characters.
REACH = 80
_LEADING = ",;:)]}–—"
_TRAILING = ",;:([{–—-"
# A credit line "Name/Agency" (or "Name/Xinhua/Getty Images"), or Getty's bare "Getty Images".
_PHOTO_CREDIT = re.compile(
    r"(?:/[\w-]+)*/(?:Getty Images|Getty|AP|AFP|Reuters|Xinhua|EPA-EFE|EPA|Bloomberg|Shutterstock|NurPhoto|Sipa USA)\b"
    r"|\bGetty Images\b"
)
_STRAIGHT_OPENS_AFTER = " \t\n([{—–/"
_ELIDED_YEAR = re.compile(r"\d\d(?:s\b|\b)")  # "the ‘90s", "in ’08": not a quotation mark
# Words beside the span that still leave its quote bare: one, as in "Wait, Blackpink Oreos?",
# "California drought", "Rome CNN —" or "Playboy 8." (the span "8", the next quiz question's number).
BARE_WORDS = 1
# A list item's label: "D." of a quiz option, "8." or "2)" of a numbered line.
_LIST_LABEL = re.compile(r"(?<!\w)(?:[A-Za-z]|\d{1,3})[.)](?!\w)")


def _is_opening(text: str, pos: int) -> bool:
    """A straight double quote opens when it starts the text or follows a space or an opening bracket."""
    return pos == 0 or text[pos - 1] in _STRAIGHT_OPENS_AFTER


def _mark(text: str, pos: int) -> tuple[bool, str] | None:
    """Whether the character at ``pos`` is a quotation mark or bracket: (opens, family), else None."""
    c = text[pos]
    if c in "“”":
        return c == "“", "curly"
    if c == '"':
        return _is_opening(text, pos), "straight"
    if c in "()":
        return c == "(", "round"
    if c in "‘’":
        return _single(text, pos)
    return None


def _single(text: str, pos: int) -> tuple[bool, str] | None:
    """A single curly quote, or None where it is an apostrophe: between letters or digits
    ("don’t", "Turkey’s") or eliding a year ("the ‘90s", "’08"). A ’ after a word may still be a
    possessive ("the Joneses’ farm"); ``_unmatched`` decides that by looking for its ‘."""
    before, after = text[pos - 1 : pos] if pos else "", text[pos + 1 : pos + 2]
    if _ELIDED_YEAR.match(text, pos + 1) or (after.isalnum() and before.isalnum()):
        return None
    if text[pos] == "‘":
        return True, "single"
    return None if after.isalnum() else (False, "single")


def _marks(text: str, start: int, end: int) -> list[tuple[int, bool, str]]:
    """Quotation marks and brackets in text[start:end] as (position, opens, family)."""
    return [(pos, *mark) for pos in range(start, end) if (mark := _mark(text, pos))]


def _unmatched(text: str, start: int, end: int, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Positions of the closing marks with no opening before them in the span, and of the
    opening marks left open. A ’ with no ‘ before it in the span counts only at the span's
    end and when its ‘ stands before the span in the sentence: elsewhere it is a possessive."""
    stacks: dict[str, list[int]] = {}
    closes: list[int] = []
    for pos, opens, family in _marks(text, start, end):
        stack = stacks.setdefault(family, [])
        if opens:
            stack.append(pos)
        elif stack:
            stack.pop()
        elif family != "single" or (pos == end - 1 and _partner(text, pos, lo, hi) is not None):
            closes.append(pos)
    return closes, sorted(pos for stack in stacks.values() for pos in stack)


def _partner(text: str, pos: int, lo: int, hi: int) -> int | None:
    """The position of the mark that pairs with the one at ``pos``, searching away from it
    (backwards for a closing mark, forwards for an opening one) within [lo, hi) and ``REACH``."""
    mark = _mark(text, pos)
    assert mark is not None
    opening, family = mark
    step = 1 if opening else -1
    depth = 0
    i = pos + step
    while lo <= i < hi and abs(i - pos) <= REACH:
        found = _mark(text, i)
        if found is not None and found[1] == family:
            if found[0] != opening:
                if depth == 0:
                    return i
                depth -= 1
            else:
                depth += 1
        i += step
    return None


def _is_stray(text: str, pos: int) -> bool:
    """Punctuation that cannot start an answer: a hyphen before a digit is a minus sign ("-14"),
    and a dot ends a sentence only before a space (". Germany", but ".300")."""
    c, after = text[pos], text[pos + 1 : pos + 2]
    if c == "-":
        return not after.isdigit()
    return c.isspace() or c in _LEADING or (c == "." and after.isspace())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_stray(text, start):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return start, end


def _after_photo_credit(text: str, start: int, end: int) -> tuple[int, int] | None:
    credits = list(_PHOTO_CREDIT.finditer(text, start, end))
    if not credits:
        return start, end
    last = credits[-1]
    rest = text[last.end() : end].lstrip()
    if not rest:
        # a credit line ("Michael Nagle/Xinhua/Getty Images") is no answer
        return None if "/" in last.group(0) else (start, end)
    if rest[0].isupper():  # the caption that follows the credit is the text
        return end - len(rest), end
    return start, end


def tidy_edges(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int] | None:
    """Clean edges for the span text[start:end] inside its sentence text[lo:hi]; None when nothing
    worth showing is left. The result is a slice of ``text``, so offsets stay exact."""
    hi = len(text) if hi is None else hi
    lo, hi = min(lo, start), max(hi, end)
    credited = _after_photo_credit(text, start, end)
    if credited is None:
        return None
    start, end = _strip(text, *credited)
    end = without_dateline_credit(text, start, end)  # "London CNN —" → "London"
    for _ in range(4):  # each pass fixes one mark; spans rarely hold more than two
        closes, opens = _unmatched(text, start, end, lo, hi)
        if not closes and not opens:
            break
        pos = closes[0] if closes else opens[-1]
        if pos in (start, end - 1):  # a mark at an edge goes
            start, end = _strip(text, start + (pos == start), end - (pos == end - 1))
            continue
        partner = _partner(text, pos, lo, hi)
        if partner is None:
            break  # too far, or in another sentence: the reader's span is left as it is
        start, end = (partner, end) if closes else (start, partner + 1)
    return (start, end) if start < end else None


# Lowercase words that belong to a name: "al Qaeda", "bin Laden", "van Rossum". (An article never repeats
# the question: ``tokenize`` drops it as a stop word, so "the Beatles" keeps its "the" without a listing here.)
_NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "van",
        "von",
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "der",
        "den",
        "ter",
        "dos",
        "das",
    ]
)
_WORD = re.compile(r"\S+")


def _is_name_word(word: str) -> bool:
    """A capital with a lowercase letter after it: "Meta", "McLetchie"; not "III", "D", "T4" or "TV"."""
    return word[:1].isupper() and any(c.islower() for c in word[1:])


def without_leading_word(text: str, start: int, end: int, question_words: set[str]) -> int:
    """Where a name's answer starts without the one lowercase word in front of it that only repeats
    the question ("Which company ...?": "company Meta" → "Meta"; "Who was the Norse leader?": "leader
    Rollo" → "Rollo"). ``start`` itself unless that word's stem is among ``question_words`` and only
    capitalised words follow, one of them a name ("vitamin D" stays) and not a demonym alone."""
    words = list(_WORD.finditer(text, start, end))
    first = words[0].group() if words else ""
    if len(words) < 2 or not (first.isalpha() and first.islower()) or first in _NAME_PARTICLES:
        return start
    rest = [w.group() for w in words[1:]]
    if not set(tokenize(first)) & question_words or not any(_is_name_word(w) for w in rest):
        return start
    if not all(w.split("-")[-1][:1].isupper() for w in rest) or demonym_country(" ".join(rest)):
        return start
    return words[1].start()


_EMPTY_PREPOSITION = re.compile(r"(?:in|on|at) (?=\S)", re.IGNORECASE)


def _is_date(span: str) -> bool:
    return bool(DATE.fullmatch(span) or TIME_EXPRESSION.fullmatch(span))


def without_date_preposition(text: str, start: int, end: int) -> int:
    """Where a date's answer starts without a leading "in", "on" or "at" ("in 1995" → "1995", "in the
    1990s" → "the 1990s", "at 3 p.m." → "3 p.m."). ``start`` itself unless the span is a date and what
    follows the word is one too."""
    span = text[start:end]
    word = _EMPTY_PREPOSITION.match(span)
    if word is None or not _is_date(span) or not _is_date(span[word.end() :]):
        return start
    return start + word.end()


def is_bare_quote(text: str, start: int, end: int, lo: int, hi: int) -> bool:
    """True when the quote text[lo:hi] says nothing beyond its span text[start:end]: at most
    ``BARE_WORDS`` words are left once the span, list labels ("D.", "8."), bullets, dashes and
    quotation marks are taken out. (A two-word sentence, "Biden won.", is bare for "Biden" too.)"""
    rest = f"{text[lo:start]} {text[end:hi]}"
    return len(re.findall(r"\w+", _LIST_LABEL.sub(" ", rest))) <= BARE_WORDS
