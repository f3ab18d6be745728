"""The answer ranker: answers' evidence, the logistic model, its fitting and its use."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bench import fit_offset, fit_ranker
from index.backend import LocalHybridIndex
from index.store import file_digest
from qa.answerer import AnswerConfig, answer
from qa.errors import ReaderUnavailable
from qa.grouping import Candidate, answer_evidence, cluster, group_candidates
from qa.ranking import FEATURES, AnswerRanker
from qa.reader import SpanGuess, read_ranker
from qa.reader_arithmetic import arithmetic
from qa.types import Citation
from tests.test_reader import ScriptedReader


def _cand(text: str, doc: str, score: float, published: str = "2024-01-10", start: int = 0, **kw: object) -> Candidate:
    citation = Citation(doc, "t", "", published, "", start, start + len(text), start, start + len(text) + 10)
    return Candidate(text=text, kind="phrase", score=score, quote=text, citation=citation, **kw)  # type: ignore[arg-type]


def _ranker(**coef: float) -> AnswerRanker:
    names = tuple(coef)
    return AnswerRanker(names, (0.0,) * len(names), (1.0,) * len(names), tuple(coef.values()), 0.0)


def test_evidence_counts_agreeing_articles_and_the_lead_over_rivals() -> None:
    groups = cluster(
        [
            _cand("Paris", "a", 0.6, margin=5.0, rank=0),
            _cand("Paris", "b", 0.4, start=50),
            _cand("paris", "b", 0.3, start=90),  # the same answer twice in one article: one article
            _cand("Lyon", "c", 0.5, margin=2.0, rank=3),
        ]
    )
    assert [g[0].text for g in groups] == ["Paris", "Lyon"]
    paris, lyon = answer_evidence(groups)
    assert paris["articles"] == pytest.approx(math.log1p(1)) and paris["mentions"] == pytest.approx(math.log(3))
    assert paris["confidence"] == pytest.approx(0.6 + 0.1 * 0.4)
    assert paris["lead"] == pytest.approx(0.64 - 0.5) and lyon["lead"] == pytest.approx(0.5 - 0.64)
    assert (paris["margin"], lyon["rank"]) == (5.0, pytest.approx(math.log1p(3)))
    assert set(paris) == set(FEATURES)


def _typed(text: str, kind: str, doc: str, score: float, start: int = 0) -> Candidate:
    return replace(_cand(text, doc, score, start=start), kind=kind)


def test_a_hedged_quantity_and_the_bare_one_are_one_answer_a_different_number_or_bound_is_not() -> None:
    groups = cluster(
        [
            _typed("an estimated 18,000", "quantity", "a", 0.6),
            _typed("18,000", "quantity", "b", 0.5),
            _typed("More than 41,000", "quantity", "c", 0.45),
            _typed("about 800", "quantity", "d", 0.4),
            _typed("41,000", "quantity", "e", 0.3),
            _typed("18,000 Street", "phrase", "f", 0.2),  # not a quantity: no hedge to drop, its own answer
            _typed("fewer than 41,000", "quantity", "g", 0.15),  # bounds it from above: a different claim
            _typed("less than 41,000", "quantity", "h", 0.1),
        ]
    )
    assert [[c.text for c in g] for g in groups] == [
        ["an estimated 18,000", "18,000"],
        ["More than 41,000", "41,000"],
        ["about 800"],
        ["18,000 Street"],
        ["fewer than 41,000", "less than 41,000"],
    ]


def test_a_surname_joins_the_one_full_name_ending_in_it() -> None:
    groups = cluster(
        [
            _typed("Sunak", "person", "a", 0.7),
            _typed("Liz Truss", "person", "b", 0.6),
            _typed("Rishi Sunak", "person", "c", 0.5),
            _typed("Dodgers", "entity", "d", 0.45),
            _typed("Los Angeles Dodgers", "entity", "e", 0.44),
            _typed("Zawahiri", "person", "f", 0.43),
            _typed("Ayman al-Zawahiri", "person", "g", 0.42),
        ]
    )
    assert [[c.text for c in g] for g in groups] == [
        ["Sunak", "Rishi Sunak"],  # best first: the group keeps its best span's words
        ["Liz Truss"],
        ["Dodgers", "Los Angeles Dodgers"],
        ["Zawahiri", "Ayman al-Zawahiri"],
    ]
    assert answer_evidence(groups)[0]["articles"] == pytest.approx(math.log1p(1))  # corroboration joins too


def test_titled_forms_of_a_name_join_the_plain_name_and_then_its_surname() -> None:
    groups = cluster(
        [
            _typed("Wyoming Rep. Liz Cheney", "person", "a", 0.7),
            _typed("Liz Cheney", "person", "b", 0.6),
            _typed("Republican Rep. Liz Cheney", "person", "c", 0.5),
            _typed("Tennessee and North Carolina", "entity", "d", 0.45),  # a list: stays
            _typed("North Carolina", "entity", "e", 0.44),
            _typed("UK Prime Minister Rishi Sunak", "person", "f", 0.43),
            _typed("Rishi Sunak", "person", "g", 0.42),
            _typed("Sunak", "person", "h", 0.41),  # two longer names end in it, but they are one
        ]
    )
    assert [[c.text for c in g] for g in groups] == [
        ["Wyoming Rep. Liz Cheney", "Liz Cheney", "Republican Rep. Liz Cheney"],
        ["Tennessee and North Carolina"],
        ["North Carolina"],
        ["UK Prime Minister Rishi Sunak", "Rishi Sunak", "Sunak"],
    ]


def test_an_answer_shows_its_fullest_span_with_that_spans_quote_and_the_others_as_support() -> None:
    ranker = _ranker(confidence=1.0)
    answers = group_candidates(
        [
            _typed("Biden", "person", "a", 0.8),
            _typed("Joe Biden", "person", "b", 0.5, start=30),
            _typed("Biden", "person", "b", 0.4, start=90),
            _typed("18,000", "quantity", "c", 0.7),
            _typed("an estimated 18,000", "quantity", "d", 0.3),
        ],
        ranker,
    )
    biden = next(a for a in answers if a.kind == "person")
    assert (biden.text, biden.quote, biden.citation.doc_id) == ("Joe Biden", "Joe Biden", "b")
    assert [c.doc_id for c in biden.supporting] == ["a"]  # the other article, not the shown one's again
    quantity = next(a for a in answers if a.kind == "quantity")
    assert quantity.text == "an estimated 18,000" and quantity.citation.doc_id == "d"
    # the score is the group's, whichever span is shown: the same as if the best were shown
    alone = group_candidates(
        [_typed("Biden", "person", "a", 0.8), _typed("Joe Biden", "person", "b", 0.5, start=30)], ranker
    )
    assert biden.score == pytest.approx(alone[0].score)


def test_a_leading_the_makes_no_place_fuller_so_its_better_scored_form_is_shown_but_it_belongs_to_a_title() -> None:
    ranker = _ranker(confidence=1.0)
    taiwan = group_candidates([_typed("Taiwan", "entity", "a", 0.9), _typed("the Taiwan", "entity", "b", 0.5)], ranker)
    assert [(a.text, a.citation.doc_id) for a in taiwan] == [("Taiwan", "a")]
    bahamas = group_candidates(
        [_typed("the Bahamas", "entity", "a", 0.9), _typed("Bahamas", "entity", "b", 0.8)], ranker
    )
    assert [(a.text, a.citation.doc_id) for a in bahamas] == [("the Bahamas", "a")]
    # "the" still counts nowhere else: "the United Kingdom" and "UK" are one answer, the fuller shown
    uk = group_candidates([_typed("UK", "entity", "a", 0.9), _typed("the United Kingdom", "entity", "b", 0.5)], ranker)
    assert [a.text for a in uk] == ["the United Kingdom"]
    # a title's "The" is part of it
    show = group_candidates(
        [_typed("White Lotus", "entity", "a", 0.9), _typed("The White Lotus", "entity", "b", 0.5)], ranker
    )
    assert [a.text for a in show] == ["The White Lotus"]


def test_a_name_shows_its_fullest_form_that_is_still_a_name_not_the_title_in_front() -> None:
    ranker = _ranker(confidence=1.0)
    answers = group_candidates(
        [
            _typed("British Prime Minister Rishi Sunak", "person", "a", 0.8),
            _typed("Rishi Sunak", "person", "b", 0.5),
            _typed("Sunak", "person", "c", 0.4),
            _typed("Mexican President Andrés Manuel López Obrador", "person", "d", 0.7),
            _typed("Andrés Manuel López Obrador", "person", "e", 0.3),
            _typed("López Obrador", "person", "f", 0.2),
        ],
        ranker,
    )
    assert [(a.text, a.citation.doc_id) for a in answers] == [
        ("Rishi Sunak", "b"),
        ("Andrés Manuel López Obrador", "e"),
    ]
    assert sorted(c.doc_id for c in answers[0].supporting) == ["a", "c"]
    # a name with no plain form among its spans keeps its fullest one
    alone = group_candidates([_typed("British Prime Minister Rishi Sunak", "person", "a", 0.8)], ranker)
    assert alone[0].text == "British Prime Minister Rishi Sunak"


def test_a_surname_stays_apart_when_ambiguous_or_the_longer_answer_is_no_name() -> None:
    cases = [
        [("Biden", "person"), ("Joe Biden", "person"), ("Jill Biden", "person")],  # which Biden?
        [("Idaho", "place"), ("Coeur d'Alene, Idaho", "place")],  # a place, and a list-like span
        [("Japan", "entity"), ("Prime Minister of Japan", "entity")],  # "X of Y" is a title, not a name
        [("Beaver", "entity"), ("Leave It to Beaver", "entity")],  # lower-case word: not a name
        [("python", "phrase"), ("Burmese python", "phrase")],
        [("Chiefs", "entity"), ("Kansas City Chiefs and San Francisco", "entity")],
    ]
    for case in cases:
        groups = cluster([_typed(t, k, f"d{i}", 0.9 - 0.1 * i) for i, (t, k) in enumerate(case)])
        assert len(groups) == len(case), case


def test_age_counts_from_the_newest_candidate_or_today_whichever_is_earlier() -> None:
    groups = cluster([_cand("old", "a", 0.9, "2024-01-01"), _cand("new", "b", 0.5, "2024-01-11", start=40)])
    old_archive = answer_evidence(groups, today=dt.date(2030, 1, 1))  # today far later: no penalty for it
    assert [e["age"] for e in old_archive] == [pytest.approx(math.log1p(10)), 0.0]
    assert [e["future"] for e in old_archive] == [0.0, 0.0]
    as_of = answer_evidence(groups, today=dt.date(2024, 1, 6))  # an evaluation set in the past
    assert [e["age"] for e in as_of] == [pytest.approx(math.log1p(5)), 0.0]
    assert [e["future"] for e in as_of] == [0.0, 1.0]


def test_reader_spans_sets_how_many_spans_per_passage_the_reader_proposes(seed_index: LocalHybridIndex) -> None:
    asked: list[int] = []

    class Recording(ScriptedReader):
        def read(
            self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
        ) -> list[SpanGuess]:
            asked.append(per_passage)
            return super().read(question, passages, per_passage, batch)

    reader = Recording("More than 100", 12.0, 0.0)
    answer("How many prisoners escaped?", seed_index, AnswerConfig(reader_spans=5), reader=reader)
    answer("How many prisoners escaped?", seed_index, reader=reader)
    assert asked == [5, AnswerConfig().reader_spans]


def test_the_ranker_is_a_logistic_model_of_standardised_evidence() -> None:
    ranker = AnswerRanker(("margin", "articles"), (1.0, 0.5), (2.0, 0.5), (0.8, -0.4), 0.3)
    z = 0.3 + 0.8 * (5.0 - 1.0) / 2.0 - 0.4 * (1.5 - 0.5) / 0.5
    assert ranker.probability({"margin": 5.0, "articles": 1.5}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert AnswerRanker.from_dict(json.loads(json.dumps(ranker.to_dict()))) == ranker
    with pytest.raises(ValueError, match="unknown"):
        AnswerRanker(("shoe_size",), (0.0,), (1.0,), (1.0,), 0.0)
    with pytest.raises(ValueError, match="length"):
        AnswerRanker(("margin", "rank"), (0.0,), (1.0,), (1.0,), 0.0)


def test_a_ranker_can_put_corroboration_above_a_single_stronger_span() -> None:
    candidates = [_cand("Lyon", "c", 0.7), _cand("Paris", "a", 0.6, start=30), _cand("Paris", "b", 0.5, start=60)]
    assert [a.text for a in group_candidates(candidates)] == ["Lyon", "Paris"]
    ranked = group_candidates(candidates, _ranker(articles=5.0))
    assert [a.text for a in ranked] == ["Paris", "Lyon"]
    assert ranked[0].score == pytest.approx(1 / (1 + math.exp(-5.0 * math.log1p(1))))
    assert ranked[0].evidence["articles"] == pytest.approx(math.log1p(1))


def test_a_malformed_ranker_in_reader_json_is_refused(tmp_path: Path) -> None:
    assert read_ranker({}, tmp_path) is None
    with pytest.raises(ReaderUnavailable, match="malformed"):
        read_ranker({"ranker": {"features": ["margin"], "mean": [0.0]}}, tmp_path)


def test_a_ranker_fitted_for_other_weights_is_refused(tmp_path: Path) -> None:
    fitted = {**_ranker(margin=1.0).to_dict(), "weights_sha256": "a" * 64}
    assert read_ranker({"sha256": "a" * 64, "ranker": fitted}, tmp_path) == _ranker(margin=1.0)
    with pytest.raises(ReaderUnavailable, match="other weights"):
        read_ranker({"sha256": "b" * 64, "ranker": fitted}, tmp_path)


def test_answer_ranker_setting_chooses_the_readers_ranker_or_the_formula(seed_index: LocalHybridIndex) -> None:
    reader = ScriptedReader("More than 100", 12.0, 0.0)
    formula = answer("How many prisoners escaped?", seed_index, reader=reader)
    reader.ranker = _ranker(margin=-1.0)  # type: ignore[attr-defined]  # doubts every confident span
    ranked = answer("How many prisoners escaped?", seed_index, AnswerConfig(min_score=0.0), reader=reader)
    assert ranked.answers[0].score == pytest.approx(1 / (1 + math.exp(12.0)))
    assert answer("How many prisoners escaped?", seed_index, reader=reader).no_answer  # below min_score now
    ignored = answer("How many prisoners escaped?", seed_index, AnswerConfig(answer_ranker="formula"), reader=reader)
    assert [a.score for a in ignored.answers] == [a.score for a in formula.answers]


def test_fit_logistic_recovers_the_direction_of_the_evidence() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 3))
    truth = np.array([2.0, -1.0, 0.0])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(x @ truth - 0.5)))).astype(float)
    w, b = fit_ranker.fit_logistic(x, y, l2=1.0)
    assert np.allclose(w, truth, atol=0.2) and b == pytest.approx(-0.5, abs=0.15)
    shrunk, _ = fit_ranker.fit_logistic(x, y, l2=4000.0)
    assert np.abs(shrunk).sum() < np.abs(w).sum()  # the penalty pulls weights toward 0


def _synthetic_questions(n: int, seed: int) -> list[dict[str, object]]:
    """Questions whose right answer is the corroborated one, while the formula prefers another."""
    rnd = random.Random(seed)
    questions: list[dict[str, object]] = []
    for i in range(n):
        answerable = i % 3 != 0  # a third have no answer in the archive: every answer is wrong
        right = {"text": f"right{i}", "hit": answerable, "confidence": 0.4 + rnd.random() * 0.1, "articles": 1.0}
        wrong = {"text": f"wrong{i}", "hit": False, "confidence": 0.5 + rnd.random() * 0.1, "articles": 0.0}
        if not answerable:
            right["articles"] = rnd.random()
        questions.append({"id": str(i), "gold": f"right{i}", "answerable": answerable, "answers": [wrong, right]})
    return questions


def test_fitted_ranker_learns_what_the_formula_misses_and_is_written_to_reader_json(tmp_path: Path) -> None:
    train, held_out = tmp_path / "train.jsonl", tmp_path / "test.jsonl"
    for path, seed in ((train, 1), (held_out, 2)):
        path.write_text("".join(json.dumps(q) + "\n" for q in _synthetic_questions(60, seed)), encoding="utf-8")
    (tmp_path / "reader.json").write_text(json.dumps({"sha256": "x"}), encoding="utf-8")
    out = tmp_path / "fit.json"
    args = ["--train", str(train), "--eval", str(held_out), "--features", "confidence", "articles"]
    assert fit_ranker.main([*args, "--write-to", str(tmp_path), "--out", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    evaluated = summary[f"eval:{held_out}"]["never_abstain"]
    assert evaluated["formula"]["top1"] == 0.0 and evaluated["ranker"]["top1"] == 100.0
    assert summary["cv"]["never_abstain"]["ranker"]["top1"] == 100.0
    # The operating point: at the shared threshold the ranker declines at least as many
    # no-answer questions as the formula does there.
    at = summary["cv"]["at_min_score"]
    assert at["ranker"]["abstained_on_others"] >= at["formula"]["abstained_on_others"]
    meta = json.loads((tmp_path / "reader.json").read_text(encoding="utf-8"))
    ranker = read_ranker(meta, tmp_path)
    assert ranker is not None and meta["sha256"] == meta["ranker"]["weights_sha256"] == "x"
    assert ranker.coef[ranker.features.index("articles")] > 0


def test_extra_evidence_is_fitted_on_in_every_fold_but_never_scored() -> None:
    scored = _synthetic_questions(10, 3)
    # Extra questions that teach the opposite lesson: the uncorroborated answer is right.
    extra = _synthetic_questions(200, 4)
    for q in extra:
        for a in q["answers"]:  # type: ignore[attr-defined]
            a["hit"] = a["text"].startswith("wrong") and bool(q["answerable"])
    alone = fit_ranker.cross_validated(scored, ["confidence", "articles"], 1.0)
    pulled = fit_ranker.cross_validated(scored, ["confidence", "articles"], 1.0, extra)
    assert len(pulled) == len(scored) and all(len(a) == len(b) for a, b in zip(alone, pulled, strict=True))
    right = [row[1] - row[0] for row in alone]  # how much the corroborated answer leads
    assert sum(r > 0 for r in right) > sum(b[1] - b[0] > 0 for b in pulled)


def test_the_offset_maps_the_chosen_operating_point_to_min_score() -> None:
    questions = [{"gold": "x", "answerable": False, "answers": [{"text": "y"}]} for _ in range(4)]
    scores = [[0.02], [0.05], [0.3], [0.6]]
    ranked = fit_ranker.outcomes(questions, scores)
    assert fit_ranker.operating_point(ranked, 50.0) == 0.051  # declines 0.02 and 0.05: half
    offset = fit_ranker.logit(0.25) - fit_ranker.logit(0.051)
    assert fit_ranker.shift([[0.051]], offset)[0][0] == pytest.approx(0.25)
    ranker = AnswerRanker(("margin",), (0.0,), (1.0,), (1.0,), fit_ranker.logit(0.051), offset)
    assert ranker.probability({"margin": 0.0}) == pytest.approx(0.25)


def test_each_arithmetic_reads_its_own_operating_point(tmp_path: Path) -> None:
    ranker = {**_ranker(margin=1.0).to_dict(), "offset": 1.0, "offsets": {"onnx-int8w7": 1.5}}
    meta = {"sha256": "a" * 64, "ranker": ranker}
    assert arithmetic("onnx", "int8") == "onnx-int8w7" and arithmetic("torch", "bf16") == "torch-bf16"
    assert arithmetic("onnx", "int8", 8) == "onnx-int8w8" and arithmetic("torch", "int8", 8) == "torch-int8"
    by_name = {name: read_ranker(meta, tmp_path, name) for name in ("onnx-int8w7", "onnx-int8w8", "torch-bf16")}
    assert {name: r.offset for name, r in by_name.items() if r} == {
        "onnx-int8w7": 1.5,
        "onnx-int8w8": 1.0,  # fitted for another graph: the shared offset
        "torch-bf16": 1.0,
    }
    int8 = by_name["onnx-int8w7"]
    assert int8 is not None and read_ranker(meta, tmp_path) == replace(int8, offset=1.0)
    for bad in ({"onnx-int8w7": "high"}, ["onnx-int8w7"]):
        with pytest.raises(ReaderUnavailable, match="malformed"):
            read_ranker({**meta, "ranker": {**ranker, "offsets": bad}}, tmp_path, "onnx-int8w7")


def _no_answer_evidence(margins: list[float]) -> list[dict[str, object]]:
    answers = [[{"text": "y", "hit": False, "margin": m}] for m in margins]
    return [{"id": str(i), "gold": "x", "answerable": False, "answers": a} for i, a in enumerate(answers)]


def test_fit_offset_makes_another_arithmetic_decline_as_often_as_the_reference(tmp_path: Path) -> None:
    weights = tmp_path / "reader.safetensors"
    weights.write_bytes(b"weights")
    digest = file_digest(weights)
    shipped = {**_ranker(margin=1.0).to_dict(), "weights_sha256": digest}
    (tmp_path / "reader.json").write_text(json.dumps({"sha256": digest, "ranker": shipped}), encoding="utf-8")
    margins = [-3 + 4 * i / 39 for i in range(40)]
    reference, shifted = tmp_path / "bf16.jsonl", tmp_path / "int8.jsonl"
    reference.write_text("".join(json.dumps(q) + "\n" for q in _no_answer_evidence(margins)), encoding="utf-8")
    # The other arithmetic's reader is half a logit less sure of every span: it declines more.
    lower = [m - 0.5 for m in margins]
    shifted.write_text("".join(json.dumps(q) + "\n" for q in _no_answer_evidence(lower)), encoding="utf-8")
    out = tmp_path / "fit.json"
    args = ["--arithmetic", "onnx-int8w7", "--evidence", str(shifted), "--match", str(reference)]
    assert fit_offset.main([*args, "--reader-dir", str(tmp_path), "--write", "--out", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    wanted = summary["reference"]["at_min_score"]["abstained_on_others"]
    assert summary["shared_offset"]["at_min_score"]["abstained_on_others"] > wanted + 5
    own = summary["own_offset"]["at_min_score"]["abstained_on_others"]
    assert wanted <= own <= wanted + 100 / 40  # at most one question more
    assert abs(summary["own_offset"]["offset"] - 0.5) < 0.15
    meta = json.loads((tmp_path / "reader.json").read_text(encoding="utf-8"))
    int8 = read_ranker(meta, tmp_path, "onnx-int8w7")
    assert int8 is not None and int8.offset == pytest.approx(summary["own_offset"]["offset"])
    assert read_ranker(meta, tmp_path, "torch-bf16") == _ranker(margin=1.0)  # the reference keeps its own
    mismatched = ["--arithmetic", "onnx-int8w7", "--evidence", str(shifted), "--match", str(out)]
    out.write_text(json.dumps({"id": "other", "gold": "x", "answerable": False, "answers": []}) + "\n")
    with pytest.raises(SystemExit):
        fit_offset.main([*mismatched, "--reader-dir", str(tmp_path)])
