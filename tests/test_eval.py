"""The benchmark harness's scoring: hits, thresholds swept from one run, training negatives."""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path
from typing import Any, cast

import pytest

from bench import news_subsets
from bench.eval_news import Outcome, in_split, is_hit, score_at
from bench.eval_squad import PassageSearcher, paragraph_id, paragraph_index, read_all, retrieval_ranks
from bench.news_distant import RecordingReader, answer_span, examples_for
from bench.reader_data import load_examples, load_news, without_answer
from bench.reader_speed import VARIANTS, split_variant, weight_dirs
from bench.train_reader import stage_settings
from index.backend import LocalHybridIndex, SearchConfig
from index.embedding import HashingEmbedder
from index.store import file_digest
from index.types import Article, Chunk, Hit
from qa.answerer import AnswerConfig, answer
from qa.learned import Reader, SpanGuess
from qa.ranking import AnswerRanker


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


def test_dev_train_and_dev_tune_split_dev_in_two() -> None:
    ids = [f"q{i}" for i in range(400)]
    train = {i for i in ids if in_split(i, "dev-train")}
    tune = {i for i in ids if in_split(i, "dev-tune")}
    dev = {i for i in ids if in_split(i, "dev")}
    assert train and tune and not train & tune and train | tune == dev
    assert not dev & {i for i in ids if in_split(i, "test")}


def test_answer_span_is_a_whole_word_verbatim_slice() -> None:
    passage = "Shares of “Squid Game” maker rose; SQUID GAME fans cheered. The 1000 or 100 fans."
    start, text = answer_span(passage, "“Squid Game”") or (-1, "")
    assert (start, text) == (passage.index("Squid"), "Squid Game")
    assert answer_span(passage, "100") == (passage.index(" 100 ") + 1, "100")  # not inside "1000"
    assert answer_span(passage, "Squid Games") is None and answer_span(passage, "“”") is None


def test_distant_examples_keep_every_positive_and_cap_negatives() -> None:
    q = {"id": "x", "question": "Who won?", "answer": "Ada Lovelace", "answer_in_docs": ["d1"]}
    passages = ["Ada Lovelace won the prize.", "Nobody else.", "Rain fell.", "Then ada lovelace spoke.", "Quiet."]
    rows = examples_for(q, passages, negatives=2, rng=random.Random(0))
    positives = [r for r in rows if r["answer_start"] >= 0]
    assert [r["context"] for r in positives] == [passages[0], passages[3]]
    assert all(r["context"][r["answer_start"] :].startswith(r["answer_text"]) for r in positives)
    assert len(rows) == 4 and all(r["answer_text"] == "" for r in rows if r["answer_start"] < 0)
    # A question whose answer is in no article teaches only "no answer", even if the words occur.
    unanswerable = examples_for({**q, "answer_in_docs": []}, passages, negatives=9, rng=random.Random(0))
    assert len(unanswerable) == 5 and all(r["answer_start"] == -1 for r in unanswerable)


def test_recording_reader_gets_exactly_the_passages_the_answerer_reads(seed_index: LocalHybridIndex) -> None:
    question = "How many prisoners escaped?"
    hits = seed_index.search(question, k=AnswerConfig().top_k)
    whole, focused = RecordingReader(), RecordingReader()
    result = answer(question, seed_index, AnswerConfig(reader_passages=3, reader_focus_words=0), reader=whole)
    answer(question, seed_index, AnswerConfig(reader_passages=3, reader_focus_words=30), reader=focused)
    assert result.no_answer  # it proposes nothing
    assert whole.passages == [h.chunk.text for h in hits[:3]]
    assert len(focused.passages) == 3 and all(p in h.chunk.text for p, h in zip(focused.passages, hits, strict=False))
    assert any(len(p) < len(h.chunk.text) for p, h in zip(focused.passages, hits, strict=False))


def _subsets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], questions: list[dict[str, Any]], preds: list[dict[str, Any]]
) -> dict[str, Any]:
    """Run bench.news_subsets over these questions and predictions; its printed summary."""
    q_file = tmp_path / "q.jsonl"
    q_file.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    p_file = tmp_path / "p.jsonl"
    p_file.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    assert news_subsets.main(["--pred", str(p_file), "--questions", str(q_file)]) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def test_news_subsets_separate_questions_sharing_an_article_with_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [f"q{i}" for i in range(100)]
    train_id = next(i for i in ids if in_split(i, "dev-train"))
    near, far = [i for i in ids if in_split(i, "test")][:2]
    questions = [
        {"id": train_id, "answer": "Oslo", "evidence_docs": ["a"], "answer_in_docs": ["a"]},
        {"id": near, "answer": "Rome", "evidence_docs": ["a", "b"], "answer_in_docs": ["b"]},
        {"id": far, "answer": "Bern", "evidence_docs": ["c"], "answer_in_docs": ["c"]},
    ]
    preds = [
        {"id": train_id, "answers": [{"text": "Oslo", "score": 0.9}]},
        {"id": near, "answers": [{"text": "Rome", "score": 0.9}]},
        {"id": far, "answers": [{"text": "Lyon", "score": 0.9}, {"text": "Bern", "score": 0.05}]},
    ]
    out = _subsets(tmp_path, capsys, questions, preds)
    assert out["all"]["questions"] == 2  # the training question is never scored
    assert out["article_shared"]["shipped"]["top1"] == 100.0
    assert out["no_article_shared"]["shipped"]["top1"] == 0.0
    assert out["no_article_shared"]["shipped"]["top5"] == 0.0  # 0.05 is below the alternative floor
    assert out["no_article_shared"]["never_abstain"]["top5"] == 100.0


def test_news_subsets_pairs_a_repeated_id_with_its_questions_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # RealTimeQA uses one id for two different questions; each prediction must meet its own gold.
    qid = next(f"q{i}" for i in range(100) if in_split(f"q{i}", "test"))
    questions = [
        {"id": qid, "answer": "Arcturus", "evidence_docs": ["a"], "answer_in_docs": ["a"]},
        {"id": qid, "answer": "Greggs", "evidence_docs": ["b"], "answer_in_docs": ["b"]},
    ]
    preds = [
        {"id": qid, "answers": [{"text": "Arcturus", "score": 0.9}]},
        {"id": qid, "answers": [{"text": "Greggs", "score": 0.9}]},
    ]
    out = _subsets(tmp_path, capsys, questions, preds)
    assert out["all"]["answerable"] == 2 and out["all"]["never_abstain"]["top1"] == 100.0


def test_news_examples_join_the_pool_and_mark_a_new_stage(tmp_path: Path) -> None:
    rows = [
        {"id": "x", "question": "Who?", "context": "Ada spoke.", "answer_start": 0, "answer_text": "Ada"},
        {"id": "x", "question": "Who?", "context": "Rain.", "answer_start": -1, "answer_text": ""},
    ]
    news = tmp_path / "news.jsonl"
    news.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    examples, groups = load_news(news, 2)
    assert examples == [("Who?", "Ada spoke.", 0, "Ada"), ("Who?", "Rain.", -1, "")] * 2
    assert groups == ["x#0", "x#0", "x#1", "x#1"]  # one per example: its question and repeat
    base = dict(features=1, batch=32, lr=1e-4, warmup=0.06, negatives=0.25, hard_negatives=0.0, seed=13)
    rest = dict(news_repeat=2, train_embeddings=False, distill=0.0)
    plain = stage_settings(argparse.Namespace(**base, **rest, news=None, squad_share=1.0, shared_norm=0.0))
    assert plain == base  # earlier stages' settings compare equal: no new stage without news
    with_news = stage_settings(argparse.Namespace(**base, **rest, news=news, squad_share=0.1, shared_norm=0.0))
    assert with_news["news_sha256"] == file_digest(news) and with_news["squad_share"] == 0.1
    assert "shared_norm" not in with_news  # stage 3's recorded settings still compare equal
    shared = stage_settings(argparse.Namespace(**base, **rest, news=news, squad_share=0.1, shared_norm=1.0))
    assert shared == {**with_news, "shared_norm": 1.0}  # a different loss is a new stage
    own = dict(news_repeat=2, train_embeddings=True, distill=0.0)
    embeddings = stage_settings(argparse.Namespace(**base, **own, news=None, squad_share=1.0, shared_norm=0.0))
    assert embeddings == {**base, "train_embeddings": True}  # training the table too is a new stage
    taught = dict(news_repeat=2, train_embeddings=False, distill=0.5, distill_temperature=2.0, teacher="t")
    distilled = stage_settings(argparse.Namespace(**base, **taught, news=None, squad_share=1.0, shared_norm=0.0))
    assert distilled == {**base, "distill": 0.5, "distill_temperature": 2.0, "teacher": "t"}  # a teacher: new stage


def test_reader_speed_reads_other_weights_under_a_label(tmp_path: Path) -> None:
    dirs = weight_dirs(tmp_path / "shipped", [f"student={tmp_path / 'four'}"])
    assert dirs == {"": tmp_path / "shipped", "student": tmp_path / "four"}
    for bad in ("student", "=dir", "a:b=dir"):
        with pytest.raises(SystemExit, match="LABEL=DIR"):
            weight_dirs(tmp_path, [bad])


def test_reader_speed_variants_name_their_batch_size() -> None:
    assert split_variant("bf16@8") == ("bf16", 8)
    assert split_variant("onnx-int8w8@2") == ("onnx-int8w8", 2)
    assert split_variant("bf16") == ("bf16", None)  # the runtime's own default (qa.reader_arithmetic.BATCH)
    assert {"bf16", "fp32", "onnx-int8", "onnx-int8w8"} <= set(VARIANTS)


def _hit(doc_id: str, dense: int | None, sparse: int | None) -> Hit:
    return Hit(row=0, chunk=Chunk(doc_id, 0, 4, "text"), score=0.0, dense_rank=dense, sparse_rank=sparse)


class _FixedLists:
    """A stand-in index with candidate lists of 2: ``short`` is its fused top 2, ``full`` every chunk
    with its ranks in full-length lists."""

    search_config = SearchConfig(candidates=2)

    def __init__(self, short: list[Hit], full: list[Hit]) -> None:
        self.short, self.full, self.deep_searches = short, full, 0

    def info(self) -> dict[str, int]:
        return {"chunks": len(self.full)}

    def search(self, query: str, k: int = 10, filters: object = None) -> list[Hit]:
        if k <= 2:
            return self.short
        self.deep_searches += 1
        return self.full


def test_squad_paragraph_ranks_are_the_retrievers_ranks_of_its_best_chunk() -> None:
    a0, b0 = _hit("A", 1, 1), _hit("B", 2, None)
    full = [a0, b0, _hit("C", None, 2), _hit("B", 3, 3), _hit("D", 4, None)]
    index = _FixedLists([a0, b0], full)
    ranks = retrieval_ranks(cast(LocalHybridIndex, index))
    index.deep_searches = 0
    assert ranks("q", "A") == (1, 1) and index.deep_searches == 0  # its one chunk is in the fused list
    assert ranks("q", "B") == (2, None)  # its second chunk is fused below, and rank 3 is past the lists' 2
    assert ranks("q", "C") == (None, 2)  # second in BM25's list though fused below the others
    assert ranks("q", "D") == (None, None)  # in neither list of 2
    assert index.deep_searches == 3


def _squad(paragraphs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "title": "T",
            "paragraphs": [
                {"context": context, "qas": [{"id": f"q{i}", "question": question, "answers": []}]}
                for i, (context, question) in enumerate(paragraphs)
            ],
        }
    ]


def test_squad_harness_indexes_every_paragraph_once_and_ranks_the_matching_one_first(
    tmp_path: Path, embedder: HashingEmbedder
) -> None:
    data = _squad(
        [
            ("The harbour bridge opened in 1932 after eight years of work.", "When did the harbour bridge open?"),
            ("Wheat prices rose sharply across the region this spring.", "Which prices rose sharply?"),
            ("Penguins nest on rocky southern islands each winter.", "Where do penguins nest?"),
        ]
    )
    index = paragraph_index(data, tmp_path / "idx", embedder)
    assert index.info()["articles"] == 3
    version = index.info()["version"]
    assert paragraph_index(data, tmp_path / "idx", embedder).info()["version"] == version  # kept, not rebuilt
    ranks = retrieval_ranks(index)
    assert ranks("When did the harbour bridge open?", paragraph_id(data[0], 0))[1] == 1
    assert ranks("When did the harbour bridge open?", paragraph_id(data[0], 2))[1] is None  # no shared word
    log: list[tuple[int | None, int | None]] = []
    read_all(data, AnswerConfig(top_k=1, max_answers=1), ranks=lambda q, d: (7, None), rank_log=log)
    assert log == [(7, None)] * 3


class _OnePhraseReader:
    """Reads one fixed phrase wherever it occurs, and ranks answers by the retrieval ranks alone."""

    ranker = AnswerRanker(("dense", "sparse"), (0.0, 0.0), (1.0, 1.0), (-1.0, -1.0), 0.0)

    def read(self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None) -> list[Any]:
        at = passages[0].find("1932")
        return [SpanGuess(0, at, at + 4, 10.0, 0.0)] if at >= 0 else []


def test_squad_paragraph_ranks_move_the_answers_score_and_not_the_answer() -> None:
    article = Article(doc_id="p", title="", text="The harbour bridge opened in 1932 after eight years of work.")
    config = AnswerConfig(top_k=1, max_answers=1, min_score=0.0, reader="learned")
    reader = cast(Reader, _OnePhraseReader())
    first = answer("When did it open?", PassageSearcher(article, 1, 1), config, reader=reader).answers[0]
    unset = answer("When did it open?", PassageSearcher(article), config, reader=reader).answers[0]
    assert first.text == unset.text and "1932" in first.text
    assert first.score > unset.score  # "in neither list" is what the ranker penalises most
