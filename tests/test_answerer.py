from dataclasses import replace
from pathlib import Path

import pytest

from index.backend import LocalHybridIndex
from qa.answerer import answer
from qa.conversation import resolve
from qa.errors import BadQuestion
from qa.questions import analyze
from qa.spans import candidates
from qa.types import Answer, Citation
from tests.conftest import SEED_ID, archive


def test_seed_how_many_prisoners(seed_index: LocalHybridIndex) -> None:
    result = answer("How many prisoners escaped?", seed_index)
    assert not result.no_answer
    best = result.answers[0]
    assert best.text == "More than 100"
    article = seed_index.get_article(SEED_ID)
    assert article is not None
    c = best.citation
    assert article.text[c.start : c.end] == best.text
    assert article.text[c.quote_start : c.quote_end] == best.quote
    assert c.quote_start <= c.start < c.end <= c.quote_end
    assert c.source == "Zimbabwe News and Internet Radio" and c.title.startswith("More than 100 ISIS")


def test_seed_who_told_congress_is_an_official(seed_index: LocalHybridIndex) -> None:
    best = answer("Who told Congress about the escapes?", seed_index).answers[0]
    assert best.kind == "person"
    assert "official" in best.text or "Jeffrey" in best.text


def test_seed_unanswerable_question_abstains_with_related(seed_index: LocalHybridIndex) -> None:
    result = answer("How many Kurdish fighters died?", seed_index)
    assert result.no_answer and not result.answers
    assert result.related and all(p.citation.doc_id == SEED_ID for p in result.related)


def test_follow_up_uses_the_conversation(seed_index: LocalHybridIndex) -> None:
    resolved = resolve("Who told Congress?", ["How many prisoners escaped?"])
    assert "prisoners" in resolved and resolved.startswith("Who told Congress")
    result = answer("Who told Congress?", seed_index, resolved_question=resolved)
    assert result.resolved_question == resolved
    assert result.answers and result.answers[0].kind == "person"
    assert resolve("What is the capital of France?", []) == "What is the capital of France?"


@pytest.mark.parametrize("question", ["", "   ", "x" * 1001])
def test_bad_questions_raise(seed_index: LocalHybridIndex, question: str) -> None:
    with pytest.raises(BadQuestion):
        answer(question, seed_index)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people died?", "quantity"),
        ("How much did it cost?", "quantity"),
        ("When did it open?", "date"),
        ("Who won the race?", "person"),
        ("Where was the summit held?", "place"),
        ("Which team won?", "person"),
        ("What did the report find?", "entity"),
        # "when" asks for a date before an auxiliary or the question mark ...
        ("Lawyers voted to strike from when?", "date"),
        ("Pelosi is stepping down. When did she first become speaker?", "date"),
        # ... but only joins clauses elsewhere: the question is the wh-phrase's
        ("He was trafficked from which African country when he was eight?", "place"),
        ("When the Queen died she left dogs behind. Who will care for them?", "person"),
        ("A crane collapsed when the wind rose in which major city?", "place"),
        ("Which head of state resigned?", "entity"),  # "state" here names no place
    ],
)
def test_question_types(question: str, kind: str) -> None:
    assert analyze(question).kind == kind


def test_counted_noun_skips_adjectives() -> None:
    assert analyze("How many Kurdish fighters died?").counted_noun == "fighter"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("More than 100 prisoners escaped.", "More than 100"),
        ("It cost about $3 billion last year.", "about $3 billion"),
        ("Some 2,000 foreign fighters are held.", "Some 2,000"),
        ("The march drew tens of thousands of people.", "tens of thousands"),
        ("Prices rose 7.5% in May.", "7.5%"),
        ("within 18 miles of the border", "18 miles"),
        # the currency sign starts the span even with no modifier before it
        ("A gallon cost $4.96 on Monday.", "$4.96"),
        ("Drivers paid $5 a gallon.", "$5 a gallon"),
        ("The plan costs $19.99 per month.", "$19.99 per month"),
        ("Streaming rose to $2/month.", "$2/month"),
        ("Debt passed £1trn in 2020.", "£1trn"),
    ],
)
def test_quantities_keep_modifiers_and_units(sentence: str, expected: str) -> None:
    spans = [sentence[s:e] for s, e, kind in candidates(sentence) if kind == "quantity"]
    assert expected in spans


def test_the_cli_and_the_server_answer_alike(tmp_path: Path) -> None:
    """`qa ask` and the benchmarks answer through the index itself, the server through one
    pinned version of it; until session 13 only the latter weighed words by idf, so the
    served answers were not the measured ones. Both must give the same answers."""
    import datetime as dt

    from qa.answerer import AnswerConfig

    idx = archive(
        tmp_path,
        [
            ("old", "Outlet A", "2019-10-23", "More than 100 prisoners escaped from the camp, the envoy said."),
            ("new", "Outlet B", "2024-03-02", "About 800 prisoners fled the Kobani camp, Kurdish officials said."),
            ("c", "Outlet C", "2022-05-05", "The council voted on the harbour budget of $3 billion on Tuesday."),
        ],
    )
    config = AnswerConfig(today=dt.date(2024, 6, 1), reader="rules", min_score=0.0)
    questions = [
        "How many prisoners escaped from the camp in 2019?",
        "How many prisoners fled the Kobani camp?",
        "How large was the harbour budget?",
        "What did the council vote on?",
    ]
    for q in questions:
        via_index = answer(q, idx, config).to_dict()
        via_server = answer(q, idx.pinned(), config).to_dict()
        via_index.pop("took_ms"), via_server.pop("took_ms")
        assert via_index == via_server, q
        assert via_index["answers"], q


def test_corroborated_answer_is_grouped_across_outlets(tmp_path: Path) -> None:
    idx = archive(
        tmp_path,
        [
            ("a1", "Outlet A", "2024-01-02", "The flood displaced 4,000 residents in the valley, officials said."),
            ("a2", "Outlet B", "2024-01-03", "Officials said the flood displaced 4,000 residents across the valley."),
            ("a3", "Outlet B", "2024-01-03", "A local choir performed at the town hall on Sunday evening."),
        ],
    )
    result = answer("How many residents did the flood displace?", idx)
    best = result.answers[0]
    assert best.text == "4,000"
    assert best.articles == 2 and best.outlets == 2
    assert {best.citation.doc_id, *(c.doc_id for c in best.supporting)} == {"a1", "a2"}


def test_conflicting_answers_stay_separate_with_dates(tmp_path: Path) -> None:
    idx = archive(
        tmp_path,
        [
            ("early", "Outlet A", "2019-10-23", "More than 100 prisoners escaped from the camp, the envoy said."),
            ("later", "Outlet B", "2019-11-02", "About 800 prisoners escaped from the camp, the envoy said."),
        ],
    )
    result = answer("How many prisoners escaped from the camp?", idx)
    texts = {a.text: a.citation.published for a in result.answers}
    assert texts.get("More than 100") == "2019-10-23"
    assert texts.get("About 800") == "2019-11-02"
    assert result.answers[0].citation.as_of.startswith("as of 2019-")


def test_time_windows_in_questions() -> None:
    import datetime as dt

    from qa.timeframe import find_window

    today = dt.date(2024, 6, 15)
    w = find_window("How many prisoners escaped in 2019?", today)
    assert w is not None and (w.start, w.end) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    w = find_window("What happened in March 2023?", today)
    assert w is not None and (w.start, w.end) == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    w = find_window("Who resigned last week?", today)
    assert w is not None and w.end == dt.date(2024, 6, 8)
    w = find_window("What did the council decide this year?", today)
    assert w is not None and w.start == dt.date(2024, 1, 1)
    assert find_window("How many prisoners escaped?", today) is None
    assert find_window("Where is the 2019 report?", today) is None  # a year, but no time question


def test_a_year_naming_an_event_is_a_window_up_to_today_and_a_year_to_come_is_none() -> None:
    import datetime as dt

    from qa.timeframe import find_window

    today = dt.date(2023, 4, 14)
    w = find_window("Which golfer won the 2023 Masters Tournament?", today)
    assert w is not None and (w.start, w.end, w.phrase) == (dt.date(2023, 1, 1), today, "2023")
    w = find_window("Who was Time’s 2022 Person of the Year?", today)
    assert w is not None and (w.start, w.end) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert find_window("Which city will host the 2024 Democratic National Convention?", today) is None
    w = find_window("Who won the 2022 World Cup this week?", today)  # a time phrase comes first
    assert w is not None and w.phrase == "this week"


_CAMP = [
    ("old", "Outlet A", "2019-10-23", "About 800 prisoners escaped from the camp, the envoy said."),
    ("new", "Outlet B", "2024-03-02", "More than 100 prisoners escaped from the camp, the envoy said."),
]
_MASTERS = [
    ("a-last", "Outlet A", "2022-04-11", "Scottie Scheffler won the Masters Tournament at Augusta on Sunday."),
    ("b-this", "Outlet B", "2023-04-10", "Jon Rahm won the Masters Tournament at Augusta on Sunday."),
]


@pytest.mark.parametrize(
    ("docs", "question", "expected"),
    [
        (_CAMP, "How many prisoners escaped from the camp in 2019?", "About 800"),
        (_CAMP, "How many prisoners escaped from the camp this year?", "More than 100"),
        (_MASTERS, "Who won the 2023 Masters Tournament at Augusta?", "Jon Rahm"),  # an event's year
        (_MASTERS, "Who won the 2022 Masters Tournament at Augusta?", "Scottie Scheffler"),
    ],
)
def test_a_question_naming_a_time_or_an_events_year_prefers_articles_from_it(
    tmp_path: Path, docs: list[tuple[str, str, str, str]], question: str, expected: str
) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    config = AnswerConfig(today=dt.date(2024, 6, 1))
    assert answer(question, archive(tmp_path, docs), config).answers[0].text == expected


def test_a_named_time_window_is_reported_and_a_note_says_when_answers_come_from_elsewhere(tmp_path: Path) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    idx = archive(
        tmp_path, [*_CAMP, ("other", "Outlet C", "2022-05-05", "The council voted on the harbour budget on Tuesday.")]
    )
    config = AnswerConfig(today=dt.date(2024, 6, 1), reader="rules")
    in_2019 = answer("How many prisoners escaped from the camp in 2019?", idx, config)
    w = in_2019.time_window
    assert w is not None and (w.phrase, w.start, w.end) == ("in 2019", "2019-01-01", "2019-12-31")
    assert w.archive_has_it and w.answered_from_it and w.note == ""
    # nothing at all from last week (2024-05-18 to 2024-05-25): the answers are from other dates, and it says so
    last_week = answer("How many prisoners escaped from the camp last week?", idx, config)
    w = last_week.time_window
    assert w is not None and not w.archive_has_it and not w.answered_from_it
    assert last_week.answers and 'no article dated 2024-05-18 to 2024-05-25 ("last week")' in w.note
    # articles from 2022 exist, but none answers: a different note
    in_2022 = answer("How many prisoners escaped from the camp in 2022?", idx, config)
    w = in_2022.time_window
    assert w is not None and w.archive_has_it and not w.answered_from_it
    assert in_2022.answers and w.note.startswith('No article dated 2022-01-01 to 2022-12-31 ("in 2022") gave an answer')
    assert in_2022.to_dict()["time_window"]["from"] == "2022-01-01"
    # no time named, or only the QA_RECENT_DAYS preference: nothing to report
    assert answer("How many prisoners escaped from the camp?", idx, config).time_window is None
    recent = replace(config, recent_days=30)
    assert answer("How many prisoners escaped from the camp?", idx, recent).to_dict()["time_window"] is None


class _CountingEmbedder:
    """The hashing embedder, counting how many texts it was asked to embed."""

    def __init__(self) -> None:
        from index.embedding import HashingEmbedder

        self.inner = HashingEmbedder(256)
        self.name, self.dim, self.texts = self.inner.name, self.inner.dim, 0

    def encode(self, texts: list[str], progress: object = None) -> object:
        self.texts += len(texts)
        return self.inner.encode(texts)


def _camp_archive(tmp_path: Path) -> LocalHybridIndex:
    later = [
        (f"new{i}", "Outlet B", f"2024-03-0{i + 1}", f"More than {100 + i} prisoners escaped from the camp.")
        for i in range(4)
    ]
    return archive(tmp_path, [*later, ("old", "Outlet A", "2019-10-23", "About 800 prisoners fled the camp.")])


def test_a_windowed_question_embeds_the_question_once(tmp_path: Path) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    _camp_archive(tmp_path)
    counting = _CountingEmbedder()
    idx = LocalHybridIndex(tmp_path / "idx", embedder=counting)  # type: ignore[arg-type]
    config = AnswerConfig(today=dt.date(2024, 6, 1))
    result = answer("How many prisoners escaped from the camp in 2019?", idx, config)
    assert result.answers  # two searches ran (the top chunks, then the 2019 window's) ...
    assert counting.texts == 1  # ... over one embedding of the question
    answer("How many prisoners escaped from the camp in 2019?", idx, config)
    assert counting.texts == 1  # asked again: still cached


class _RecordingReader:
    calibration = None

    def __init__(self) -> None:
        self.passages: list[str] = []

    def read(self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None) -> list[object]:
        self.passages = list(passages)
        return []


def test_the_reader_also_reads_the_passages_from_the_named_window(tmp_path: Path) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    idx = _camp_archive(tmp_path)
    config = AnswerConfig(today=dt.date(2024, 6, 1), reader_passages=2)
    reader = _RecordingReader()
    answer("How many prisoners escaped from the camp?", idx, config, reader=reader)  # type: ignore[arg-type]
    assert len(reader.passages) == 2 and not any("About 800" in p for p in reader.passages)
    answer("How many prisoners escaped from the camp in 2019?", idx, config, reader=reader)  # type: ignore[arg-type]
    assert len(reader.passages) == 3 and "About 800" in reader.passages[-1]


def test_abstention_looks_at_the_best_answer_and_alternatives_have_their_own_floor() -> None:
    from qa.answerer import AnswerConfig, keep_confident
    from qa.types import Answer, Citation

    cite = Citation("d", "t", "s", "2024-01-01", "", 0, 1, 0, 1)
    ranked = [Answer(text, text, score, cite) for text, score in [("a", 0.6), ("b", 0.2), ("c", 0.12), ("d", 0.05)]]
    config = AnswerConfig(min_score=0.25, min_alternative_score=0.1)
    assert [a.text for a in keep_confident(ranked, config)] == ["a", "b", "c"]
    assert keep_confident(ranked[1:], config) == []  # the best is below min_score: abstain
    strict = AnswerConfig(min_score=0.25, min_alternative_score=0.9)  # capped at min_score
    assert [a.text for a in keep_confident(ranked, strict)] == ["a"]
    assert len(keep_confident(ranked, AnswerConfig(min_score=0.0, min_alternative_score=0.0, max_answers=2))) == 2


@pytest.mark.parametrize(
    ("question", "follows"),
    [
        ("Who told Congress?", True),  # too short to stand alone: told Congress what?
        ("How many died?", True),
        ("And the injured?", True),
        ("Where did they go?", True),
        ("Who is Joe Biden?", False),  # names its subject
        ("What is inflation?", False),  # a definition question
        ("What were the sanctions?", False),
        ("Where is the World Cup?", False),  # a two-word name
        ("What happened in 2019?", False),
        ("Who won the Champions League final in Istanbul?", False),  # long enough on its own
    ],
)
def test_which_questions_lean_on_the_conversation(question: str, follows: bool) -> None:
    history = ["How many prisoners escaped from the Syrian camp?"]
    resolved = resolve(question, history)
    assert (resolved != question) is follows, resolved


def test_with_recent_days_an_undated_question_prefers_recent_articles(tmp_path: Path) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    idx = archive(
        tmp_path,
        [
            ("old", "Outlet A", "2019-10-23", "More than 100 prisoners escaped from the camp, the envoy said."),
            ("new", "Outlet B", "2024-05-28", "About 800 prisoners escaped from the camp, the envoy said."),
        ],
    )
    question = "How many prisoners escaped from the camp?"
    off = AnswerConfig(today=dt.date(2024, 6, 1), reader="rules", min_score=0.0)
    on = replace(off, recent_days=30)
    scores_off = {a.text: a.score for a in answer(question, idx, off).answers}
    scores_on = {a.text: a.score for a in answer(question, idx, on).answers}
    assert set(scores_off) == set(scores_on) == {"More than 100", "About 800"}
    assert scores_on["About 800"] == pytest.approx(scores_off["About 800"])  # the recent one keeps its score
    assert scores_on["More than 100"] == pytest.approx(scores_off["More than 100"] * on.outside_recent)
    assert answer(question, idx, on).answers[0].text == "About 800"
    # An archive with nothing that recent is left as it is.
    later = replace(on, today=dt.date(2026, 1, 1))
    assert {a.text: a.score for a in answer(question, idx, later).answers} == pytest.approx(scores_off)
    # A question that names its own time keeps to it.
    assert answer(f"{question[:-1]} in 2019?", idx, on).answers[0].text == "More than 100"


def test_the_reader_also_reads_the_most_recent_passages(tmp_path: Path) -> None:
    import datetime as dt

    from qa.answerer import AnswerConfig

    idx = _camp_archive(tmp_path)  # four 2024 articles, one from 2019
    config = AnswerConfig(today=dt.date(2019, 11, 1), reader_passages=2, recent_days=30, recent_passages=1)
    reader = _RecordingReader()
    answer("How many prisoners escaped from the camp?", idx, config, reader=reader)  # type: ignore[arg-type]
    assert len(reader.passages) == 3 and "About 800" in reader.passages[-1]
    answer("How many prisoners escaped from the camp?", idx, replace(config, recent_days=0), reader=reader)  # type: ignore[arg-type]
    assert len(reader.passages) == 2


def _cited(doc_id: str, source: str) -> Citation:
    return Citation(doc_id, "", source, "2024-01-02", "", 0, 5, 0, 10)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (("Outlet A", "Outlet B", "Outlet B"), "3 articles, 2 outlets agree"),
        (("Outlet A", "Outlet A"), "2 articles, 1 outlet agree"),
        (("", ""), "2 articles agree"),  # no outlet named: none is claimed
        (("Outlet A",), ""),  # one article corroborates nothing
    ],
)
def test_corroboration_wording_counts_only_named_outlets(sources: tuple[str, ...], expected: str) -> None:
    first, *rest = [_cited(f"d{i}", s) for i, s in enumerate(sources)]
    answer_ = Answer("4,000", "quote", 0.9, first, supporting=tuple(rest))
    assert answer_.corroboration == expected
