"""Grouping candidate spans into answers, and the evidence each answer carries.

The same answer from several articles is one answer with supporting
citations (corroboration), "the same" up to case and punctuation, a quantity's
hedge ("about", "more than"), a country's alias ("Britain", "the United Kingdom"),
a title in front of a name ("Rep. Liz Cheney")
and a surname standing for the one full name among the answers; the answer
shows the fullest of its spans. Answers that differ stay separate, each with its
own citations and dates, so a conflict is visible to the user. An answer's
score is ``combined_score`` (the best span's confidence plus a bonus per
other agreeing article) or, given an ``AnswerRanker``, its probability from
the answer's evidence (``answer_evidence``; ``qa.ranking``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from index.clean import fold_for_matching
from qa.places import country_key, demonym_country, place_levels
from qa.ranking import AnswerRanker
from qa.types import Answer, Citation


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str
    score: float
    quote: str
    citation: Citation
    # The reader's evidence, for the answer ranker; the rule-based picker leaves the defaults.
    margin: float = 0.0  # span score minus the passage's no-answer score
    span: float = 0.0  # start + end logit
    rank: int = 0  # the passage's retrieval rank
    dense_rank: int | None = None  # its rank in the dense and BM25 lists (None: not in that list)
    sparse_rank: int | None = None
    coverage: float = 0.0  # the share of the question's words (by weight) in the quoted sentence
    mismatch: bool = False  # a how-many/when question answered by a span that is no quantity/date
    outside: bool = False  # the article lies outside the time window the question prefers


def answer_key(text: str) -> str:
    """Two spans are the same answer when equal up to case, quotes and punctuation."""
    return fold_for_matching(text)


# Hedges that qualify a number without changing which number is claimed:
# "an estimated 18,000" and "18,000" agree; "about 800" and "More than 100" do not.
# A hedge that puts the figure below the number ("fewer than 100", "up to 100")
# contradicts one that puts it at or above it ("more than 100", "100"), so it
# stays in the key as "<".
_HEDGE = re.compile(
    r"^(?:more than|just over|close to|at least|an estimated|estimated|"
    r"over|about|around|almost|nearly|approximately|roughly|some) "
)
_BELOW = re.compile(r"^(?:(?:fewer|less) than|just under|up to|under|at most|no more than) ")
NAME_KINDS = ("person", "entity")
_LIST_WORDS = frozenset({"and", "or", "&"})  # "A and B" is two answers' worth, never one name
_NOT_IN_A_NAME = _LIST_WORDS | {"of"}


def group_key(text: str, kind: str, place_level: str = "") -> str:
    """``answer_key``, with a quantity's leading hedge dropped ("<" for one that bounds it from above)
    and a country's alias replaced by its name ("Britain", "the UK" → "united kingdom"); for a
    question asking for a country (``place_level``), a demonym too ("British", "Ukrainians")."""
    key = answer_key(text)
    if kind != "quantity":
        return (place_level == "country" and demonym_country(text)) or country_key(key)
    below = _BELOW.sub("<", key)
    return below if below != key else _HEDGE.sub("", key)


def _is_name(text: str) -> bool:
    """2-4 capitalised words, no list ("A and B", "A, B") and no "X of Y"."""
    words = text.split()
    if not 2 <= len(words) <= 4 or "," in text:
        return False
    return all(w.casefold() not in _NOT_IN_A_NAME and w.split("-")[-1][:1].isupper() for w in words)


def _by_score(members: list[Candidate]) -> list[Candidate]:
    return sorted(members, key=lambda c: -c.score)


def _named(group: list[Candidate]) -> bool:
    return group[0].kind in NAME_KINDS and any(_is_name(c.text) for c in group)


def _is_titled(text: str) -> bool:
    """At most 6 words and no list ("A and B", "A, B", "A or B")."""
    words = text.split()
    return len(words) <= 6 and "," not in text and not any(w.casefold() in _LIST_WORDS for w in words)


def _merge_titled(groups: dict[str, list[Candidate]]) -> None:
    """A name with a title or qualifier in front ("Wyoming Rep. Liz Cheney", "Prime Minister
    Boris Johnson") joins the plain name ("Liz Cheney"); a list ("A and B", "A, B") does not."""
    names = sorted((k for k, g in groups.items() if _named(g)), key=lambda k: len(k.split()))
    for short in names:  # shortest first: every titled form joins the plainest name
        if short not in groups:
            continue
        for key in [k for k in groups if k.endswith(" " + short)]:
            if groups[key][0].kind in NAME_KINDS and _is_titled(groups[key][0].text):
                groups[short] = _by_score(groups[short] + groups.pop(key))


def _merge_surnames(groups: dict[str, list[Candidate]]) -> None:
    """A one-word name ("Sunak") joins the only longer name ending in it ("Rishi Sunak");
    when two longer names end in it ("Joe Biden", "Jill Biden") it stays apart."""
    names = [k for k, g in groups.items() if _named(g)]
    for key in [k for k, g in groups.items() if g[0].kind in NAME_KINDS and len(k.split()) == 1]:
        if not groups[key][0].text.strip()[:1].isupper():
            continue
        longer = [k for k in names if k.split()[-1] == key]
        if len(longer) == 1:
            groups[longer[0]] = _by_score(groups[longer[0]] + groups.pop(key))


def _overlaps(a: Citation, b: Citation) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def cluster(candidates: list[Candidate], place_level: str = "") -> list[list[Candidate]]:
    """Candidates grouped by answer, best first within a group and between groups.
    A span overlapping a better, different span of the same article is dropped."""
    ordered = sorted(candidates, key=lambda c: (-c.score, c.citation.doc_id, c.citation.start))
    chosen: list[Candidate] = []
    for cand in ordered:
        if any(_overlaps(cand.citation, c.citation) and answer_key(c.text) != answer_key(cand.text) for c in chosen):
            continue
        chosen.append(cand)
    groups: dict[str, list[Candidate]] = {}
    for cand in chosen:
        groups.setdefault(group_key(cand.text, cand.kind, place_level), []).append(cand)
    _merge_titled(groups)
    _merge_surnames(groups)
    return sorted(groups.values(), key=lambda g: (-g[0].score, g[0].citation.doc_id, g[0].citation.start))


def _others(members: list[Candidate], shown: Candidate | None = None) -> list[Candidate]:
    """The best member of each article other than the shown member's (default: the best's)."""
    per_doc: dict[str, Candidate] = {}
    for m in members:
        per_doc.setdefault(m.citation.doc_id, m)
    return [m for d, m in per_doc.items() if d != (shown or members[0]).citation.doc_id]


def shown_member(members: list[Candidate]) -> Candidate:
    """The span an answer shows: the fullest of its equivalent spans ("Joe Biden" over
    "Biden", "an estimated 18,000" over "18,000"), the better scored of equals. A name
    shows the fullest form that is still a name, without the title in front ("Rishi Sunak",
    not "British Prime Minister Rishi Sunak"): the quote shows the title. A country grouped with
    its demonym shows the country ("Ukraine", not "Ukrainians")."""
    names = [m for m in members if _is_name(m.text)] if members[0].kind in NAME_KINDS else []
    places = [m for m in names or members if not demonym_country(m.text)]
    return max(places or names or members, key=_fullness)  # max keeps the first (best) of ties


def _fullness(member: Candidate) -> int:
    """Words in the span; a leading "the" adds nothing to a known place ("the Taiwan", from "the
    Taiwan question", is no fuller than "Taiwan") but belongs to a title ("The White Lotus")."""
    words = member.text.split()
    return len(words) - (words[0].casefold() == "the" and bool(place_levels(member.text)))


def combined_score(members: list[Candidate]) -> float:
    """The best span's score plus, per other agreeing article, a bonus with diminishing returns."""
    bonus = sum(0.1 * m.score / (i + 1) for i, m in enumerate(_others(members)))
    return min(1.0, members[0].score + bonus)


def _date(published: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


UNRANKED = 100  # the rank given to a passage one retriever did not return at all


def _log_rank(rank: int | None) -> float:
    return math.log1p(UNRANKED if rank is None else rank)


def answer_evidence(groups: list[list[Candidate]], today: dt.date | None = None) -> list[dict[str, float]]:
    """Each group's evidence, the features ``qa.ranking.FEATURES`` documents. Ages count from
    the newest dated candidate, or from ``today`` when that is earlier (an old archive is
    not penalised for being old; an evaluation set in the past sees which articles are later)."""
    scores = [combined_score(g) for g in groups]
    dates = [_date(g[0].citation.published) for g in groups]
    known = [d for d in dates if d is not None]
    reference = min([max(known), today] if today else [max(known)]) if known else None
    evidence = []
    for i, (members, date) in enumerate(zip(groups, dates, strict=True)):
        best = members[0]
        rivals = scores[:i] + scores[i + 1 :]
        evidence.append(
            {
                "confidence": scores[i],
                "margin": max(min(best.margin, 20.0), -20.0),
                "span": max(min(best.span, 30.0), -30.0),
                "rank": math.log1p(best.rank),
                "articles": math.log1p(len(_others(members))),
                "mentions": math.log(len(members)),
                "lead": scores[i] - max(rivals) if rivals else 0.0,
                "mismatch": float(best.mismatch),
                "outside": float(best.outside),
                "dense": _log_rank(best.dense_rank),
                "sparse": _log_rank(best.sparse_rank),
                "coverage": best.coverage,
                "in_title": float(f" {answer_key(best.text)} " in f" {answer_key(best.citation.title)} "),
                "position": math.log1p(best.citation.quote_start / 100),
                "words": math.log1p(len(best.text.split())),
                "typed": float(best.kind not in ("phrase", "")),
                "age": math.log1p(max((reference - date).days, 0)) if date and reference else 0.0,
                "future": float(bool(date and today and date > today)),
            }
        )
    return evidence


def group_candidates(
    candidates: list[Candidate],
    ranker: AnswerRanker | None = None,
    today: dt.date | None = None,
    place_level: str = "",
) -> list[Answer]:
    """Answers, best first: scored by ``ranker`` when given, else by ``combined_score``; ``place_level``
    is the level of place the question asks for (``qa.places.asked_level``), if any."""
    groups = cluster(candidates, place_level)
    evidence = answer_evidence(groups, today)
    answers = []
    for members, facts in zip(groups, evidence, strict=True):
        shown = shown_member(members)  # the evidence stays the best-scored member's
        answers.append(
            Answer(
                text=shown.text,
                quote=shown.quote,
                score=ranker.probability(facts) if ranker else facts["confidence"],
                citation=shown.citation,
                supporting=tuple(m.citation for m in _others(members, shown)),
                kind=shown.kind,
                evidence=facts,
            )
        )
    return sorted(answers, key=lambda a: (-a.score, a.citation.doc_id, a.citation.start))
