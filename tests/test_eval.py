"""The benchmark harness's scoring: hits, thresholds swept from one run, training negatives."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from bench.eval_news import Outcome, is_hit, score_at
from bench.train_reader import load_examples, without_answer


def test_a_hit_contains_the_gold_and_is_not_much_longer() -> None:
    assert is_hit("More than 100", "100")
    assert is_hit("the “Inflation Reduction Act”", '"Inflation Reduction Act"')
    assert not is_hit("More than 100 prisoners escaped from the camp on Friday", "100")
    assert not is_hit("1000", "100") and not is_hit("anything", "")


def test_score_at_drops_answers_below_the_threshold() -> None:
    outcomes = [
        Outcome("Paris", True, (0.9, 0.4), ("Paris", "Lyon")),  # right at once
        Outcome("Rome", True, (0.6, 0.3), ("Milan", "Rome")),  # right second, only at a low threshold
        Outcome("Oslo", True, (0.2,), ("Oslo",)),  # right but weak
        Outcome("Bern", False, (0.35,), ("Geneva",)),  # not in the archive: should abstain
    ]
    low = score_at(outcomes, 0.0)
    assert (low["top1"], low["top5"], low["abstained_on_answerable"], low["abstained_on_others"]) == (
        round(200 / 3, 2),
        100.0,
        0.0,
        0.0,
    )
    high = score_at(outcomes, 0.5)
    assert (high["top1"], high["top5"]) == (round(100 / 3, 2), round(100 / 3, 2))
    assert high["abstained_on_answerable"] == round(100 / 3, 2) and high["abstained_on_others"] == 100.0
    # Alternatives below the gate count once the best answer clears it (as the answerer keeps them).
    gated = score_at(outcomes, 0.5, alternative=0.3)
    assert (gated["top1"], gated["top5"]) == (round(100 / 3, 2), round(200 / 3, 2))
    assert gated["abstained_on_answerable"] == round(100 / 3, 2)


def test_hard_negative_removes_the_sentences_holding_the_answer() -> None:
    context = (
        "The committee met in the old hall on Monday morning to discuss the budget. "
        "It approved a plan to spend $3 billion on new bridges and roads. "
        "Members argued for hours about the schedule and the contractors involved in the work. "
        "A final vote is expected next month after a public hearing in the city."
    )
    rest = without_answer(context, context.index("$3 billion"), "$3 billion")
    assert rest is not None and "$3 billion" not in rest and "bridges" not in rest
    assert rest.startswith("The committee met") and rest.endswith("in the city.")
    # The answer also appears elsewhere: not a negative.
    twice = context + " Critics said $3 billion was too much for the region to carry."
    assert without_answer(twice, twice.index("$3 billion"), "$3 billion") is None


def test_hard_negatives_leave_the_first_stage_examples_unchanged(tmp_path: Path) -> None:

    para = (
        "The committee met in the old hall on Monday morning to discuss the budget for the year. "
        "It approved a plan to spend $3 billion on new bridges and roads across the state. "
        "Members argued for hours about the schedule and the contractors involved in the work."
    )
    other = "A different paragraph about the weather, which was cold and wet for most of the week in town."
    gold = [{"text": "$3 billion", "answer_start": para.index("$3")}]
    qas = [{"question": f"How much will they spend {i}?", "answers": gold} for i in range(40)]
    data = {"data": [{"paragraphs": [{"context": para, "qas": qas}, {"context": other, "qas": []}]}]}
    path = tmp_path / "train.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f)
    plain = load_examples(path, 0.5, 13)
    hard = load_examples(path, 0.5, 13, hard_negatives=0.5)
    stage1 = [e for e in hard if e[1] in (para, other)]
    assert stage1 == plain  # the stage-1 stream is untouched by the new negatives
    extra = [e for e in hard if e[1] not in (para, other)]
    assert extra and all(e[2] == -1 and "$3 billion" not in e[1] for e in extra)
