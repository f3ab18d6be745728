"""Reader spans get clean edges (``qa.span_edges``): balanced quotes and brackets, no stray
punctuation, no photo credit, and offsets that still slice the article verbatim."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.backend import LocalHybridIndex
from index.tokenize import tokenize
from qa.answerer import answer
from qa.learned import quote_bounds
from qa.span_edges import is_bare_quote, tidy_edges, without_date_preposition, without_leading_word
from tests.conftest import SEED_ID
from tests.test_reader import ScriptedReader


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        # stray punctuation at an edge
        (
            "The Webb telescope is pretty far away – 1 million miles from Earth.",
            "– 1 million miles",
            "1 million miles",
        ),
        ("Today, Louisiana becomes the first state to do so.", ", Louisiana", "Louisiana"),
        ("The cook was attacked by Randon D. Wilkerson, 30.", ", 30", "30"),
        ("as Indians celebrated Diwali – the most important holiday", "Diwali –", "Diwali"),
        ("as close a margin as possible - 0.1% - in the average", "- 0.1%", "0.1%"),
        ("(CNN) Ghana has confirmed its first two cases.", ") Ghana", "Ghana"),
        ("Tokyo is first. Germany is second.", ". Germany", "Germany"),
        ("He batted .300 that year.", ".300", ".300"),
        # a dateline's credit
        ("London CNN — Britain said it would act.", "London CNN", "London"),
        ("New York CNN Business — Stocks fell.", "New York CNN Business", "New York"),
        ("London CNN Business — Shares fell.", "London CNN", "London"),  # the span stops before the desk
        ("Kerry told CNN on Monday.", "told CNN", "told CNN"),
        ("Kerry told CNN Business on Monday.", "told CNN", "told CNN"),
        # a mark without its partner at an edge goes
        ("Harry’s memoir, “Spare,” aired decades of his family’s dirty laundry.", "“Spare", "Spare"),
        ('It would also be "political suicide" for the party to renege.', 'political suicide"', "political suicide"),
        ('These "Better than Revenge" lyrics capture it.', '"Better than Revenge', "Better than Revenge"),
        # a mark inside the span takes in its partner
        (
            'She rejected an Oscar on behalf of "The Godfather" star Brando, who boycotted it.',
            'The Godfather" star Brando',
            '"The Godfather" star Brando',
        ),
        ('In January, FX\'s "The Bear" and HBO\'s "Succession" tied.', "FX's \"The Bear", 'FX\'s "The Bear"'),
        (
            "a man identified only as “Bill” discovered a police document.",
            "Bill” discovered a police document",
            "“Bill” discovered a police document",
        ),
        (
            "when temperatures breached 40 degrees Celsius (104 Fahrenheit).",
            "40 degrees Celsius (104 Fahrenheit",
            "40 degrees Celsius (104 Fahrenheit)",
        ),
        # single curly quotes: marks, but not as apostrophes or possessives
        ("said: ‘We do not know where they are’.", "We do not know where they are’", "We do not know where they are"),
        ("‘We are monitoring that as best we can.", "‘We are monitoring that", "We are monitoring that"),
        ("He called it ‘a disaster’ for Turkey’s army.", "‘a disaster", "a disaster"),
        ("He called it ‘a disaster’ for Turkey’s army.", "it ‘a disaster", "it ‘a disaster’"),
        ("It was Turkey’s invasion.", "Turkey’s invasion", "Turkey’s invasion"),
        ("The Joneses’ farm was sold.", "Joneses’ farm", "Joneses’ farm"),
        ("They met at the Joneses’.", "the Joneses’", "the Joneses’"),
        ("Music of the ‘90s returned.", "the ‘90s", "the ‘90s"),
        ("Music of the ’90s returned.", "’90s", "’90s"),
        ("‘Everybody has contributed,’ he said.", "Everybody has contributed,’", "Everybody has contributed"),
        # photo credits that run into a caption
        (
            "Leon Neal/Getty Images Sunak and Boris Johnson watch as a sheep is sheared.",
            "Getty Images Sunak and Boris Johnson",
            "Sunak and Boris Johnson",
        ),
        ("Petr David Josek/AP Wataru Endo celebrates.", "Petr David Josek/AP Wataru Endo", "Wataru Endo"),
        # left as they are
        ("Delaware (-14), the District of Columbia (-12) and Virginia.", "-14", "-14"),  # a negative number
        ("It was an Ipsos/Reuters poll of 1,000 adults.", "Ipsos/Reuters poll", "Ipsos/Reuters poll"),
        ('"We are ready," she said.', "We are ready", "We are ready"),
        # a ’ inside the span could be a possessive plural ("the Joneses’ farm"): left as it is
        ("Sign up for the ‘5 Things’ newsletter.", "5 Things’ newsletter", "5 Things’ newsletter"),
        # a partner in another sentence is not taken in
        (
            'He said: "It is over. We lost the vote," and left.',
            'We lost the vote," and left',
            'We lost the vote," and left',
        ),
    ],
)
def test_a_reader_span_gets_clean_edges(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    end = start + len(span)
    tidy = tidy_edges(text, start, end, *quote_bounds(text, start, end))  # as the answerer calls it
    assert tidy is not None
    assert text[tidy[0] : tidy[1]] == expected


def test_a_partner_beyond_reach_is_not_taken_in() -> None:
    text = '"' + "word " * 30 + 'end" star Brando said.'
    start = text.index("end")
    tidy = tidy_edges(text, start, text.index(" said"))
    assert tidy is not None and text[tidy[0] : tidy[1]] == 'end" star Brando'


@pytest.mark.parametrize("credit", ["Michael Nagle/Xinhua/Getty Images", "Michael Nagle/Xinhua/Getty", "Jane Doe/AP"])
def test_a_span_that_is_only_a_photo_credit_is_no_answer(credit: str) -> None:
    text = f"{credit} People gather in the square."
    assert tidy_edges(text, 0, len(credit)) is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab C.,;:-–—()\"“”‘’/ '1", "Getty Images", "CNN", "/AP"]), max_size=40).map("".join),
    st.integers(0, 60),
    st.integers(1, 30),
    st.integers(0, 60),
)
def test_clean_edges_are_always_a_nonempty_slice_of_the_sentence(text: str, at: int, size: int, lo: int) -> None:
    start = min(at, len(text))
    end = min(start + size, len(text))
    lo = min(lo, start)
    tidy = tidy_edges(text, start, end, lo, len(text))
    if tidy is not None:
        s, e = tidy
        assert lo <= s < e <= len(text)
        assert text[s:e].strip()  # something to show
        assert not text[s].isspace() and not text[e - 1].isspace()


def test_a_span_of_only_punctuation_is_no_answer() -> None:
    assert tidy_edges("He said – and left.", 8, 10) is None


@pytest.mark.parametrize(
    ("question", "span", "expected"),
    [
        # a stray bracket is balanced
        ("Who warned they could not guard al-Hol?", "Syrian Democratic Forces (SDF", "Syrian Democratic Forces (SDF)"),
        # a closing bracket at the end goes
        ("Who warned they could not guard al-Hol?", "SDF)", "SDF"),
        # so does a closing single quote whose ‘ is outside the span
        (
            "What did Jeffrey say about the prisoners?",
            "We do not know where they are’",
            "We do not know where they are",
        ),
    ],
)
def test_the_answerer_gives_a_reader_span_clean_edges_with_exact_offsets(
    seed_index: LocalHybridIndex, question: str, span: str, expected: str
) -> None:
    result = answer(question, seed_index, reader=ScriptedReader(span, 12.0, 0.0))
    article = seed_index.get_article(SEED_ID)
    best = result.answers[0]
    assert article is not None and best.text == expected
    assert article.text[best.citation.start : best.citation.end] == expected


QUIZ = (
    "QUIZ TIME\n\nAnna May Wong will be the first Asian American on the back of which US coin?\n\n"
    "A. Penny\n\nB. Dime\n\nC. Quarter\n\nD. Dollar\n\nBy Jill Lawless\n\nJill Lawless\n\n"
    "Wong will appear on the quarter, the US Mint said.\n\n“Better Call Saul”\n\nCalifornia drought\n\n"
    "2021: Patrick Mahomes\n\nWait, Blackpink Oreos?\n\nMahomes won it twice."
)


@pytest.mark.parametrize(
    ("span", "bare"),
    [
        ("D. Dollar", True),  # a quiz option, label and all
        ("Dollar", True),  # or without its label
        ("QUIZ TIME", True),  # a heading
        ("Better Call Saul", True),  # a title alone on its line, in quotation marks
        ("California", True),  # a heading: one word beside the span
        ("Patrick Mahomes", True),  # a timeline's line
        ("Blackpink Oreos", True),
        ("Mahomes", False),  # three words beside it: a claim
        ("quarter", False),  # a claim: the sentence says something about it
        ("US Mint", False),
        ("Anna May Wong", False),
    ],
)
def test_a_quote_that_holds_only_its_span_is_bare(span: str, bare: bool) -> None:
    start = QUIZ.rindex(span) if span != "QUIZ TIME" else 0
    end = start + len(span)
    assert is_bare_quote(QUIZ, start, end, *quote_bounds(QUIZ, start, end)) is bare


def test_a_byline_is_bare_with_or_without_its_by() -> None:
    name = "Jill Lawless"
    for at in (QUIZ.rindex(name), QUIZ.index(name)):  # "Jill Lawless", "By Jill Lawless"
        assert is_bare_quote(QUIZ, at, at + len(name), *quote_bounds(QUIZ, at, at + len(name)))


@pytest.mark.parametrize(("span", "shown"), [("D. Dollar", None), ("quarter", "quarter")])
def test_the_answerer_offers_no_span_whose_quote_says_nothing_more(span: str, shown: str | None) -> None:
    from bench.eval_squad import PassageSearcher
    from index.types import Article

    searcher = PassageSearcher(Article(doc_id="quiz", title="", text=QUIZ))
    result = answer("Which coin will Anna May Wong be on?", searcher, reader=ScriptedReader(span, 12.0, 0.0))
    assert [a.text for a in result.answers[:1]] == ([shown] if shown else [])


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("company Meta", "Meta"),  # "company" repeats the question
        ("group Coldplay", "Coldplay"),
        ("company Chick-fil-A", "Chick-fil-A"),  # a hyphenated name counts by its last part
        ("former Twitter head", "former Twitter head"),  # not only capitalised words after it
        ("leader Keir Starmer", "leader Keir Starmer"),  # "leader" is not in the question
        ("company III", "company III"),  # no name after it: "vitamin D", "type III" stay whole
        ("company TV", "company TV"),
        ("company Danish", "company Danish"),  # a demonym alone is no name
        ("al Qaeda", "al Qaeda"),  # a name particle stays
        ("no stranger to City Hall", "no stranger to City Hall"),  # more than one word before
        ("Meta", "Meta"),
    ],
)
def test_one_lowercase_word_that_repeats_the_question_is_left_out_before_a_name(span: str, name: str) -> None:
    text = f"Reporters said {span} was fined."
    at = text.index(span)
    question = set(tokenize("Which company or group was fined?"))
    assert text[without_leading_word(text, at, at + len(span), question) : at + len(span)] == name


def test_a_who_or_which_answer_leaves_out_the_word_before_the_name_and_others_keep_it() -> None:
    from bench.eval_squad import PassageSearcher
    from index.types import Article

    text = "European regulators fined the tech company Meta $1.3 billion on Monday over data transfers."
    searcher = PassageSearcher(Article(doc_id="fine", title="", text=text))
    reader = ScriptedReader("company Meta", 12.0, 0.0)
    best = answer("Which company was fined $1.3 billion by European regulators?", searcher, reader=reader).answers[0]
    assert best.text == "Meta" and text[best.citation.start : best.citation.end] == "Meta"
    assert best.quote == text  # the quote still shows the words left out
    why = answer("Why did European regulators act on Monday?", searcher, reader=reader).answers[0]
    assert why.text == "company Meta"  # a question for a phrase keeps the reader's span
    who = answer("Who was fined $1.3 billion by European regulators?", searcher, reader=reader).answers[0]
    assert who.text == "company Meta"  # and so does one whose words "company" does not repeat


@pytest.mark.parametrize(
    ("span", "answer_text"),
    [
        ("in 1995", "1995"),
        ("on Monday", "Monday"),
        ("at 3 p.m.", "3 p.m."),
        ("in the 1990s", "the 1990s"),
        ("in March 2019", "March 2019"),
        ("on March 3, 2019", "March 3, 2019"),
        ("at noon", "noon"),
        # words that change what the date means stay, and so do spans that are no date
        ("since 1995", "since 1995"),
        ("before March 2019", "before March 2019"),
        ("in 1995 and 1996", "in 1995 and 1996"),
        ("at least four", "at least four"),
        ("in the past", "in the past"),
    ],
)
def test_a_date_answer_leaves_out_a_leading_in_on_or_at(span: str, answer_text: str) -> None:
    text = f"Officials said it happened {span} after all."
    at = text.index(span)
    assert text[without_date_preposition(text, at, at + len(span)) : at + len(span)] == answer_text


@pytest.mark.parametrize("picker", ["learned", "rules"])
@pytest.mark.parametrize(
    ("sentence", "question", "found", "expected"),
    [
        (
            "The harbour bridge opened in 1932 after eight years of work.",
            "When did the harbour bridge open?",
            "in 1932",
            "1932",
        ),
        (
            "The harbour bridge reopened on Monday after repairs.",
            "When did the harbour bridge reopen?",
            "on Monday",
            "Monday",
        ),
        (
            "The bridge has been open since 1932 and carries trains.",
            "Since when has the bridge been open?",
            "since 1932",
            "since 1932",
        ),
        # the rule-based picker scores the span as found: "in 1986" sits next to "sequenced", and "1986"
        # without its "in" must not lose that to "1962"
        (
            "Its existence was first proved in 1962, and first sequenced in 1986 by two teams.",
            "When was the plastome first sequenced?",
            "in 1986",
            "1986",
        ),
    ],
)
def test_both_pickers_give_a_date_without_its_in_or_on_and_keep_it_in_the_quote(
    picker: str, sentence: str, question: str, found: str, expected: str
) -> None:
    """The learned reader (here a scripted one that finds ``found``) since session 27, the rule-based
    picker (no reader loaded) since session 28: a date's answer leaves out a leading "in" or "on" and
    keeps "since"; the quote keeps the whole sentence."""
    from bench.eval_squad import PassageSearcher
    from index.types import Article
    from qa.answerer import AnswerConfig

    searcher = PassageSearcher(Article(doc_id="bridge", title="", text=sentence))
    if picker == "learned":
        result = answer(question, searcher, reader=ScriptedReader(found, 12.0, 0.0))
    else:
        result = answer(question, searcher, AnswerConfig(reader="rules", min_score=0.0))
    best = result.answers[0]
    assert best.text == expected
    assert sentence[best.citation.start : best.citation.end] == expected
    assert best.quote == sentence
