"""Place levels: which a question asks for, which a span names, and what a mismatch does."""

from pathlib import Path

import pytest

from index.backend import LocalHybridIndex
from index.clean import fold_for_matching
from qa.answerer import answer
from qa.grouping import group_key
from qa.places import (
    GAZETTEER,
    MAX_PLACE_WORDS,
    asked_level,
    country_key,
    demonym_country,
    not_of_level,
    place_levels,
    wrong_level,
)
from qa.questions import analyze
from qa.reader import SpanGuess
from tests.conftest import archive


@pytest.mark.parametrize(
    ("question", "level"),
    [
        ("In which country was Sam Bankman-Fried arrested?", "country"),
        ("Which island nation plunged into chaos?", "country"),
        ("Which of these countries joined NATO this week?", "country"),
        ("Which U.S. state has the highest gas price?", "state"),
        ("Which member state declined to sign the Social Charter?", "country"),  # of the EU
        ("Which sovereign state recognised Kosovo first?", "country"),
        ("Which state’s capital city is facing a water crisis?", "state"),  # the first place noun decides
        ("Which additional city did he designate as a drop-off?", "city"),
        ("A strike halted classes in which town?", "city"),
        ("Which head of state visited Kyiv?", ""),  # a person
        ("What is the state of the economy?", ""),
        ("Which state-owned company was fined?", ""),
        ("A volcano erupted on which European island?", ""),
        ("Where did the storm make landfall?", ""),  # any level
        ("What made Ohio Country vulnerable?", ""),  # a name
        ("Which Delaware State University alumnus scored?", ""),
        ("What commemorates Old Town's heroic history?", ""),
        ("Which New York City borough has the most parks?", ""),
        ("Which articles state that powers stay with member states?", ""),  # a verb
        ("Which TFEU article states that trade is free?", ""),
        ("Friedrich Ratzel thought imperialism was what for the country?", ""),
        ("Border agents can remove what installed by state officials?", ""),
        ("The mayor announced plans to ban what from the city?", ""),
        ("What California city last hosted the Super Bowl?", "city"),
        ("Which Florida city has the biggest population?", "city"),
        ("Which Country won the most medals?", "country"),  # title case, nothing before the noun
        ("What French City was New Rochelle named after?", "city"),  # title case after a demonym
    ],
)
def test_the_level_a_question_asks_for(question: str, level: str) -> None:
    assert asked_level(question) == level
    assert analyze(question).place_level == (level if analyze(question).kind == "place" else "")


@pytest.mark.parametrize(
    ("span", "asked", "wrong"),
    [
        ("New York", "country", True),  # a state (and a city), no country
        ("the Bahamas", "country", False),
        ("British", "country", False),  # a demonym is not judged: SQuAD's golds take it for the country
        ("the Portuguese", "country", False),
        ("Ohio", "city", True),
        ("New York", "city", False),  # also a city
        ("Washington", "city", False),
        ("Georgia", "country", False),  # a country and a state
        ("Georgia", "state", False),
        ("France", "state", True),
        ("Texas", "state", False),
        ("Atlanta", "state", True),  # a city
        ("Paris", "country", True),
        ("Kyiv", "city", False),
        ("Victoria", "state", False),  # a city, but an Australian state too: left out
        ("Oregon Gov. Kate Brown", "state", False),  # more than a place
        ("Richmond Robert E. Lee Memorial Bridge", "state", False),
        ("Ohio", "", False),  # the question asks for no level
    ],
)
def test_a_span_of_another_level_is_wrong(span: str, asked: str, wrong: bool) -> None:
    assert wrong_level(asked, span) is wrong


def test_the_gazetteer_reads_every_line() -> None:
    rows = [r for r in GAZETTEER.read_text(encoding="utf-8").splitlines() if r and not r.startswith("#")]
    assert sum(r.startswith("state\t") for r in rows) == 50
    assert all(r.split("\t")[0] in ("country", "state", "city") for r in rows)
    assert place_levels("Côte d'Ivoire") == place_levels("Ivory Coast") == {"country"}
    assert place_levels("U.S.") == place_levels("USA") == {"country"}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Britain", "United Kingdom", True),
        ("the U.K.", "Great Britain", True),
        ("US", "the United States", True),
        ("Czechia", "Czech Republic", True),
        ("Britain", "England", False),  # a part is not the whole
        ("Congo", "DR Congo", False),  # which Congo is not known
        ("New York", "New York City", False),  # only countries' aliases are grouped
    ],
)
def test_a_country_named_two_ways_is_one_answer(a: str, b: str, same: bool) -> None:
    assert (group_key(a, "place") == group_key(b, "place")) is same
    assert country_key(fold_for_matching("Ohio")) == "ohio"


@pytest.mark.parametrize(
    ("span", "country"),
    [
        ("Ukrainian", "ukraine"),
        ("Russians", "russia"),  # a plural names the people too
        ("the British", "united kingdom"),
        ("the Portuguese", "portugal"),
        ("Dutch", "netherlands"),
        ("Ukraine", ""),  # a country's name is no demonym
        ("Georgia", ""),
        ("Ukrainian grain", ""),  # more than the people
        ("Texans", ""),  # a state's people: not listed
    ],
)
def test_a_demonym_names_its_one_country(span: str, country: str) -> None:
    assert demonym_country(span) == country


def test_for_a_which_country_question_a_demonym_is_the_same_answer_as_its_country() -> None:
    assert group_key("Ukrainians", "place", "country") == group_key("Ukraine", "place", "country")
    assert group_key("the British", "place", "country") == group_key("Britain", "place", "country")
    # asked for no country, the people stay apart from the place ("Who protested?" "Ukrainians")
    assert group_key("Ukrainians", "place") != group_key("Ukraine", "place")
    assert group_key("Ukrainians", "place", "city") != group_key("Ukraine", "place", "city")


def test_a_demonym_and_its_country_corroborate_one_answer_that_shows_the_country(tmp_path: Path) -> None:
    idx = _two_outlets(
        tmp_path,
        "Jill Biden met the Ukrainian first lady Olena Zelenska at the White House.",
        "The first lady of Ukraine, Olena Zelenska, visited Washington this week.",
    )
    reader = _Likes({"Ukrainian": 9.0, "Ukraine": 6.0})
    result = answer("Jill Biden met the first lady of which country?", idx, reader=reader)
    assert [a.text for a in result.answers] == ["Ukraine"]  # the place, verbatim from article b
    assert {c.doc_id for c in (result.answers[0].citation, *result.answers[0].supporting)} == {"a", "b"}
    # a question asking for no country keeps the people and the place apart
    people = answer("Who did Jill Biden meet at the White House?", idx, reader=reader)
    assert {"Ukrainian", "Ukraine"} <= {a.text for a in people.answers}


def _two_outlets(tmp_path: Path, text_a: str, text_b: str) -> LocalHybridIndex:
    """An archive of two articles, "a" from Outlet A and "b" from Outlet B."""
    return archive(tmp_path, [("a", "Outlet A", "2022-09-06", text_a), ("b", "Outlet B", "2022-09-06", text_b)])


class _Likes:
    """Finds each listed phrase in every passage, with its fixed score."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def read(
        self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
    ) -> list[SpanGuess]:
        out = []
        for p, text in enumerate(passages):
            for phrase, score in self.scores.items():
                if phrase in text:
                    at = text.index(phrase)
                    out.append(SpanGuess(p, at, at + len(phrase), score, 0.0))
        return out


def _arrest_archive(tmp_path: Path) -> LocalHybridIndex:
    text = (
        "Sam Bankman-Fried was arrested in the Bahamas on Monday at the request of prosecutors "
        "in New York, who charged the FTX founder with fraud."
    )
    return archive(tmp_path, [("a", "Outlet", "2022-12-13", text)])


@pytest.mark.parametrize(
    ("question", "liked", "first"),
    [
        ("In which country was Sam Bankman-Fried arrested?", "New York", "Bahamas"),
        ("In which city did prosecutors charge Sam Bankman-Fried?", "Bahamas", "New York"),
        ("Where was Sam Bankman-Fried arrested?", "New York", "New York"),  # no level asked: the reader's order
    ],
)
def test_the_answer_of_the_asked_level_comes_first(tmp_path: Path, question: str, liked: str, first: str) -> None:
    other = "Bahamas" if liked == "New York" else "New York"
    reader = _Likes({liked: 9.0, other: 8.0})  # the reader alone prefers the wrong level
    result = answer(question, _arrest_archive(tmp_path), reader=reader)
    texts = [a.text for a in result.answers]
    assert texts[:1] == [first]
    assert (liked in texts) is (liked == first)  # a place of another level is no answer at all


def test_no_place_name_is_longer_than_the_longest_answer_a_place_question_takes() -> None:
    rows = [r.split("\t") for r in GAZETTEER.read_text(encoding="utf-8").splitlines() if r and not r.startswith("#")]
    names = [n for r in rows for n in [r[1], *(r[2].split(";") if len(r) > 2 else [])] if n]
    assert max(len(f"the {n}".split()) for n in names) <= MAX_PLACE_WORDS


@pytest.mark.parametrize(
    ("asked", "span", "excluded"),
    [
        ("country", "the Democratic Republic of the Congo", False),
        ("country", "South Carolina coast Saturday afternoon, after it drifted for five days", True),
        ("country", "Israeli Prime Minister Yair Lapid and Israeli President Isaac Herzog", True),
        ("country", "New York", True),  # another level
        ("city", "Mobile, Alabama", False),
        ("", "South Carolina coast Saturday afternoon, after it drifted for five days", False),  # no level asked
    ],
)
def test_a_place_question_takes_no_span_longer_than_a_place_name(asked: str, span: str, excluded: bool) -> None:
    assert not_of_level(asked, span) is excluded


def test_a_long_reader_span_is_no_answer_to_a_which_country_question(tmp_path: Path) -> None:
    long = "Bahamas on Monday at the request of prosecutors"
    reader = _Likes({long: 9.0, "Bahamas": 8.0})
    idx = _arrest_archive(tmp_path)
    result = answer("In which country was Sam Bankman-Fried arrested?", idx, reader=reader)
    assert [a.text for a in result.answers][:1] == ["Bahamas"]
    assert long not in [a.text for a in result.answers]
    # asked for no level, the reader's span stands
    where = answer("Where was Sam Bankman-Fried arrested?", idx, reader=reader)
    assert long in [a.text for a in where.answers]


def test_the_rule_based_picker_drops_a_place_of_another_level() -> None:
    from qa.rules import _type_fit

    info = analyze("In which country was Sam Bankman-Fried arrested?")
    assert _type_fit(info, "entity", "Bahamas", "arrested in ") == 1.0
    assert _type_fit(info, "entity", "New York", "prosecutors in ") == 0.0
    assert _type_fit(info, "entity", "Bahamas and its capital Nassau on Monday night", "in ") == 0.0  # too long


def test_two_articles_naming_one_country_two_ways_corroborate_one_answer(tmp_path: Path) -> None:
    idx = _two_outlets(
        tmp_path,
        "Liz Truss became prime minister of Britain on Tuesday after meeting the Queen.",
        "Liz Truss took office as prime minister of the United Kingdom on Tuesday.",
    )
    reader = _Likes({"Britain": 9.0, "United Kingdom": 8.0})
    result = answer("Liz Truss became prime minister of which country?", idx, reader=reader)
    assert len(result.answers) == 1
    assert result.answers[0].text == "United Kingdom"  # the fuller name is shown
    assert {c.doc_id for c in (result.answers[0].citation, *result.answers[0].supporting)} == {"a", "b"}


def test_a_reader_span_across_a_sentence_end_is_no_answer(tmp_path: Path) -> None:
    text = "Buses went to Arizona. Texas Gov. Greg Abbott later sent them to New York, his office said."
    idx = archive(tmp_path, [("a", "Outlet", "2022-09-09", text)])
    reader = _Likes({"Arizona. Texas Gov. Greg Abbott": 9.0, "Texas Gov. Greg Abbott": 8.0})
    result = answer("Who sent the buses to New York?", idx, reader=reader)
    assert [a.text for a in result.answers] == ["Texas Gov. Greg Abbott"]  # "Gov." ends no sentence
