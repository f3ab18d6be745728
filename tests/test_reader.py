"""The learned reader's plumbing: windows, labels, decoding, confidence, offsets, checksums.

Fast tests: a scripted fake reader stands in for the network; the tokenizer
is the real (local) one, because offsets are where readers go wrong.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest

from bench.reader_data import batches, grouped_batches, make_features, plan_passes
from bench.reader_losses import shared_norm_loss
from bench.reader_weights import export, load_shipped
from bench.train_reader import main as train_main
from index.backend import LocalHybridIndex
from index.tokenize import tokenize
from qa.answerer import AnswerConfig, answer
from qa.learned import (
    TYPE_MISMATCH,
    drop_echoed_item,
    echoes_question,
    focus,
    kind_of,
    quote_bounds,
    reader_confidence,
    snap_to_typed,
    type_prior,
)
from qa.reader import (
    CONFIG_FILE,
    WEIGHTS_FILE,
    WORD_EMBEDDINGS,
    Calibration,
    ReaderUnavailable,
    SpanGuess,
    SpanReader,
    load_tokenizer,
)
from qa.reader_windows import WindowConfig, decode_window, encode_windows
from qa.spans import proper_names
from tests.conftest import SEED_ID


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    return load_tokenizer()


def test_training_labels_point_at_the_answer_in_every_window(tokenizer: Any) -> None:
    context = ("Filler sentence number %d is here. " * 60) % tuple(range(60)) + "The bridge cost $3 billion in 2019."
    answer_start = context.index("$3 billion")
    cfg = WindowConfig(max_length=96, stride=32)
    feats = make_features(tokenizer, [("How much did the bridge cost?", context, answer_start, "$3 billion")], cfg)
    assert len(feats) > 3  # the long context overflows into several windows
    windows = encode_windows(tokenizer, ["How much did the bridge cost?"], [context], cfg)
    assert len(windows) == len(feats)
    labelled = [i for i, f in enumerate(feats) if f[2] > 0]
    assert labelled, "the window holding the answer must be labelled"
    for i in labelled:
        offsets = windows[i].offsets
        s, e = feats[i][2], feats[i][3]
        assert context[offsets[s][0] : offsets[e][1]] == "$3 billion"
    # Windows without the answer point at [CLS].
    assert all(f[2] == f[3] == 0 for i, f in enumerate(feats) if i not in labelled)


def test_shared_norm_makes_a_distractor_passage_compete_with_the_answer() -> None:
    import torch

    # One question's two windows: the first holds the answer (token 3), the second does not.
    rows = [
        ([101, 5, 102, 7, 8, 102], [0, 0, 0, 1, 1, 1], 3, 4, 0),
        ([101, 5, 102, 9, 9, 102], [0, 0, 0, 1, 1, 1], 0, 0, 1),
    ]
    starts, ends = torch.zeros(2, 6), torch.zeros(2, 6)
    types = torch.tensor([r[1] for r in rows])
    uniform = float(shared_norm_loss(torch, starts, ends, types, rows, ["q", "q"]))
    assert uniform == pytest.approx(math.log(6))  # one softmax over the 6 passage tokens of both windows
    starts[1, 3] = 10.0  # a confident start in the distractor passage is now penalised
    assert float(shared_norm_loss(torch, starts, ends, types, rows, ["q", "q"])) > uniform + 3
    assert float(shared_norm_loss(torch, starts, ends, types, rows, [None, None])) == 0.0  # no group, no term


def test_grouped_batches_keep_a_questions_passages_together() -> None:
    feats = [([1] * 5, [0] * 5, 0, 0, i) for i in range(10)]
    groups = [None] * 4 + ["a"] * 3 + ["b"] * 3
    plan = grouped_batches(feats, groups, 4, seed=1)
    assert sorted(i for batch in plan for i in batch) == list(range(10))  # every window once
    for batch in plan:
        assert len(batch) <= 4 and len({groups[i] for i in batch if groups[i]}) <= 1
        assert {4, 5, 6} <= set(batch) or not {4, 5, 6} & set(batch)


def test_a_stage_longer_than_its_pool_makes_fresh_passes() -> None:
    feats = [([1] * (i + 1), [0] * (i + 1), 0, 0, i) for i in range(10)]
    plan = plan_passes(lambda seed: batches(feats, 4, seed), seed=5, steps=7)
    assert len(plan) == 9  # three passes of three batches: the last pass is not cut
    assert plan[:3] == batches(feats, 4, 5)  # the first pass is what a one-pass stage sees
    for k in range(3):
        assert sorted(i for batch in plan[3 * k : 3 * k + 3] for i in batch) == list(range(10))
    assert plan[3:6] != plan[:3]  # each further pass reshuffled
    assert plan_passes(lambda seed: batches(feats, 4, seed), seed=5, steps=2) == plan[:3]


def test_unanswerable_examples_point_at_cls(tokenizer: Any) -> None:
    feats = make_features(tokenizer, [("Who won?", "Nothing about winners here.", -1, "")], WindowConfig())
    assert [(f[2], f[3]) for f in feats] == [(0, 0)]


def test_windows_are_token_for_token_those_of_transformers_tokenizer(tokenizer: Any) -> None:
    """The shipped weights were trained on windows from transformers' AutoTokenizer; inference
    and training now call the ``tokenizers`` library directly (a faster start), which must give
    the very same tokens, offsets, overflow and sequence ids."""
    from transformers import AutoTokenizer

    from qa.reader import base_model_path

    hf = AutoTokenizer.from_pretrained(base_model_path())
    long = " ".join(f"Sentence {i} says Zürich’s café spent €{i},000 — “quoted” 東京 🙂." for i in range(80))
    questions = ["  How much did Zürich spend?  ", "Who won?", "Where?\n"]
    passages = [long, "Nothing about winners here.", "Line one.\n\nLine two, in Ōsaka."]
    cfg = WindowConfig(max_length=96, stride=32)
    ours = encode_windows(tokenizer, questions, passages, cfg)
    theirs = hf(
        [q.strip() for q in questions],
        passages,
        truncation="only_second",
        max_length=cfg.max_length,
        stride=cfg.stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    assert len(ours) == len(theirs["input_ids"]) > len(passages)  # the long passage overflowed
    for i, w in enumerate(ours):
        assert w.owner == theirs["overflow_to_sample_mapping"][i]
        assert w.input_ids == theirs["input_ids"][i] and w.type_ids == theirs["token_type_ids"][i]
        assert w.offsets == [tuple(o) for o in theirs["offset_mapping"][i]]
        assert w.sequence_ids == theirs.sequence_ids(i)


def test_decode_window_keeps_spans_inside_the_passage_and_ordered() -> None:
    # tokens: [CLS] q q [SEP] p0 p1 p2 [SEP]
    seq = [None, 0, 0, None, 1, 1, 1, None]
    offsets = [(0, 0), (0, 3), (4, 8), (0, 0), (0, 5), (6, 11), (12, 17), (0, 0)]
    start = [9.0, 50.0, 0, 0, 1.0, 5.0, 2.0, 0]  # a question token scores highest: must be ignored
    end = [9.0, 50.0, 0, 0, 3.0, 1.0, 4.0, 0]
    spans, null = decode_window(start, end, offsets, seq, max_answer_tokens=30)
    assert null == 18.0
    assert spans[0] == (6, 17, 9.0)  # start p1 (5) + end p2 (4)
    assert all(s < e and s >= 0 and e <= 17 for s, e, _ in spans)
    assert all(a[2] >= b[2] for a, b in itertools.pairwise(spans))
    short, _ = decode_window(start, end, offsets, seq, max_answer_tokens=1)
    assert all(len([o for o in offsets[4:7] if s <= o[0] and o[1] <= e]) == 1 for s, e, _ in short)


def test_decode_window_never_crosses_a_line_break() -> None:
    # A quiz page's choices, one per line: the best-scoring pair spans two of them.
    passage = "Oslo\n\nBern\n\nRome"
    seq = [None, 0, None, 1, 1, 1, None]
    offsets = [(0, 0), (0, 3), (0, 0), (0, 4), (6, 10), (12, 16), (0, 0)]
    start = [0.0, 0, 0, 6.0, 2.0, 1.0, 0]
    end = [0.0, 0, 0, 1.0, 5.0, 3.0, 0]
    crossing, _ = decode_window(start, end, offsets, seq, max_answer_tokens=30)
    assert crossing[0] == (0, 10, 11.0)  # without the text, "Oslo\n\nBern" wins
    spans, _ = decode_window(start, end, offsets, seq, max_answer_tokens=30, passage=passage)
    assert spans[0] == (0, 4, 7.0) and all("\n" not in passage[s:e] for s, e, _ in spans)
    assert {passage[s:e] for s, e, _ in spans} == {"Oslo", "Bern", "Rome"}


def test_reader_confidence_rises_with_margin_and_rank() -> None:
    cal = Calibration(bias=1.0, temperature=2.0)
    assert reader_confidence(10, 0, 0, cal) > reader_confidence(5, 0, 0, cal) > reader_confidence(0, 5, 0, cal)
    assert reader_confidence(5, 0, 0, cal) > reader_confidence(5, 0, 9, cal)
    assert 0.0 < reader_confidence(-1e9, 1e9, 0, cal) < reader_confidence(1e9, -1e9, 0, cal) <= 1.0


def test_quote_bounds_cover_the_span_with_whole_sentences() -> None:
    text = "First one here. The bridge cost $3 billion. Last one."
    s = text.index("$3")
    assert text[slice(*quote_bounds(text, s, s + 10))] == "The bridge cost $3 billion."


class ScriptedReader:
    """Returns the first occurrence of a fixed phrase in each passage that has it."""

    def __init__(self, phrase: str, score: float, null: float) -> None:
        self.phrase, self.score, self.null = phrase, score, null

    def read(
        self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
    ) -> list[SpanGuess]:
        out = []
        for i, text in enumerate(passages):
            at = text.find(self.phrase)
            if at >= 0:
                out.append(SpanGuess(i, at, at + len(self.phrase), self.score, self.null))
        return out


def test_answer_with_a_reader_quotes_verbatim_with_offsets(seed_index: LocalHybridIndex) -> None:
    result = answer("How many prisoners escaped?", seed_index, reader=ScriptedReader("More than 100", 12.0, 0.0))
    best = result.answers[0]
    article = seed_index.get_article(SEED_ID)
    assert article is not None and best.text == "More than 100"
    assert article.text[best.citation.start : best.citation.end] == best.text
    assert article.text[best.citation.quote_start : best.citation.quote_end] == best.quote


def test_answer_with_a_reader_abstains_when_no_answer_wins(seed_index: LocalHybridIndex) -> None:
    result = answer("How many prisoners escaped?", seed_index, reader=ScriptedReader("More than 100", 0.0, 12.0))
    assert result.no_answer and result.related


@pytest.mark.parametrize(
    ("span", "echo"),
    [("ISIS prisoners", True), ("what", True), ("its name", True), ("More than 100", False), ("Syria", False)],
)
def test_a_span_of_only_the_questions_words_answers_nothing(span: str, echo: bool) -> None:
    question_words = set(tokenize("How many ISIS prisoners escaped, and what is its name?"))
    assert echoes_question(span, question_words) is echo


def test_reader_spans_that_echo_the_question_are_dropped(seed_index: LocalHybridIndex) -> None:
    echo = ScriptedReader("ISIS prisoners", 12.0, 0.0)
    assert answer("How many ISIS prisoners escaped?", seed_index, reader=echo).no_answer
    # A question that offers choices is answered by one of its own words.
    chosen = answer("Were ISIS prisoners or Kurdish fighters freed?", seed_index, reader=echo)
    assert [a.text for a in chosen.answers[:1]] == ["ISIS prisoners"]


@pytest.mark.parametrize(
    ("span", "kept"),
    [
        ("Fox News and Tucker Carlson", "Tucker Carlson"),  # the question's own subject is no answer
        ("Tucker Carlson or Fox News", "Tucker Carlson"),
        ("Tucker Carlson and Sean Hannity", "Tucker Carlson and Sean Hannity"),  # neither item echoes
        ("Fox News and the network", "Fox News and the network"),  # both do: left to the echo check
        ("Fox News, CNN and Tucker Carlson", "Fox News, CNN and Tucker Carlson"),  # three items: kept whole
        ("Laverne & Shirley", "Laverne & Shirley"),  # "&" joins one name
        ("Tucker Carlson", "Tucker Carlson"),
    ],
)
def test_a_two_item_answer_drops_the_item_that_only_echoes_the_question(span: str, kept: str) -> None:
    question_words = set(tokenize("Which Fox News host parted ways with the network this week?"))
    text = f"On Monday, {span} said so."
    start, end = drop_echoed_item(text, 11, 11 + len(span), question_words)
    assert text[start:end] == kept


def test_a_trimmed_list_answer_keeps_exact_offsets_into_the_article(seed_index: LocalHybridIndex) -> None:
    # The reader proposes a list one of whose items the question names.
    reader = ScriptedReader("Russia and Turkey", 12.0, 0.0)
    result = answer("Which country made a deal with Turkey over the ISIS prisoners?", seed_index, reader=reader)
    article = seed_index.get_article(SEED_ID)
    best = result.answers[0]
    assert article is not None and best.text == "Russia"
    assert article.text[best.citation.start : best.citation.end] == "Russia"
    assert "Russia and Turkey" in best.quote


@pytest.mark.parametrize(
    ("question_kind", "answer_kind", "prior"),
    [
        ("quantity", "quantity", 1.0),
        ("quantity", "phrase", TYPE_MISMATCH),
        ("date", "entity", TYPE_MISMATCH),
        ("date", "date", 1.0),
        ("person", "phrase", 1.0),  # only counts and dates are checked: names are too varied to type
        ("entity", "quantity", 1.0),
    ],
)
def test_type_prior_doubts_untyped_answers_to_how_many_and_when(
    question_kind: str, answer_kind: str, prior: float
) -> None:
    assert type_prior(question_kind, answer_kind) == prior


def test_an_untyped_span_ranks_below_a_quantity_for_how_many(seed_index: LocalHybridIndex) -> None:
    class TwoSpans:
        """Likes "Syria" (a place) a little more than "More than 100" wherever both occur."""

        def read(
            self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
        ) -> list[SpanGuess]:
            out = []
            for p, text in enumerate(passages):
                for phrase, score in (("Syria", 9.0), ("More than 100", 8.0)):
                    if phrase in text:
                        at = text.index(phrase)
                        out.append(SpanGuess(p, at, at + len(phrase), score, 0.0))
            return out

    result = answer("How many prisoners escaped?", seed_index, reader=TwoSpans())
    assert [a.text for a in result.answers[:2]] == ["More than 100", "Syria"]


def test_training_can_start_from_the_shipped_weights(tmp_path: Path) -> None:
    from safetensors.torch import load_file

    from qa.reader import MODEL_DIR, build_model

    model = build_model(pooler=True)
    record, own_embeddings = load_shipped(model, MODEL_DIR)
    shipped = load_file(str(MODEL_DIR / WEIGHTS_FILE))
    name = "encoder.encoder.layer.0.attention.self.query.weight"
    assert name in shipped and (model.state_dict()[name] == shipped[name].float()).all()
    meta = json.loads((MODEL_DIR / CONFIG_FILE).read_text())
    assert record["sha256"] == meta["sha256"] and "own_embeddings" not in record
    assert own_embeddings is (meta["training"]["word_embeddings"] == "trained")
    # Weights that do not match their recorded checksum are refused here too.
    (tmp_path / CONFIG_FILE).write_text((MODEL_DIR / CONFIG_FILE).read_text())
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not really weights")
    with pytest.raises(SystemExit, match="checksum"):
        load_shipped(model, tmp_path)


def test_trained_word_embeddings_are_shipped_and_loaded_back(tmp_path: Path) -> None:
    import torch
    from safetensors.torch import load_file

    from qa.reader import build_model

    model = build_model(pooler=True)
    table = model.encoder.embeddings.word_embeddings.weight
    base = table.detach().clone()
    with torch.no_grad():
        table[7] += 1.0  # as if training had moved one word's vector
    state = {"step": 1, "seen": 32, "seconds": 1.0, "loss": [1.0], "stages": []}
    args = argparse.Namespace(export=tmp_path / "frozen", bias=0.5, temperature=2.0, precision="bf16")
    export(model, state, args, WindowConfig())
    args.export = tmp_path / "own"
    export(model, {**state, "own_embeddings": True}, args, WindowConfig())
    assert not any(k.startswith(WORD_EMBEDDINGS) for k in load_file(str(tmp_path / "frozen" / WEIGHTS_FILE)))
    assert any(k.startswith(WORD_EMBEDDINGS) for k in load_file(str(tmp_path / "own" / WEIGHTS_FILE)))
    meta = json.loads((tmp_path / "own" / CONFIG_FILE).read_text())
    assert meta["training"]["word_embeddings"] == "trained" and meta["calibration"]["bias"] == 0.5

    fresh = build_model(pooler=True)
    assert load_shipped(fresh, tmp_path / "frozen")[1] is False
    assert torch.equal(fresh.encoder.embeddings.word_embeddings.weight, base)  # the base table stays
    assert load_shipped(fresh, tmp_path / "own")[1] is True
    loaded = fresh.encoder.embeddings.word_embeddings.weight
    assert torch.allclose(loaded[7], base[7] + 1.0, atol=1e-2) and torch.equal(loaded[8], base[8].half().float())
    reader = SpanReader(tmp_path / "own", runtime="torch")  # inference reads it too (ONNX is traced from this)
    assert torch.equal(reader.model.encoder.embeddings.word_embeddings.weight, loaded)


def test_training_refuses_a_device_it_cannot_use(tmp_path: Path) -> None:
    import torch

    with pytest.raises(SystemExit, match="--device banana"):
        train_main(["--device", "banana", "--ckpt", str(tmp_path)])
    if not torch.cuda.is_available():
        with pytest.raises(SystemExit, match="no CUDA GPU"):
            train_main(["--device", "cuda", "--ckpt", str(tmp_path)])
    assert not any(tmp_path.iterdir())  # refused before anything was written


def test_weights_with_a_wrong_checksum_are_refused(tmp_path: Path) -> None:
    (tmp_path / WEIGHTS_FILE).write_bytes(b"not really weights")
    (tmp_path / CONFIG_FILE).write_text(json.dumps({"sha256": "0" * 64}), encoding="utf-8")
    with pytest.raises(ReaderUnavailable, match="checksum"):
        SpanReader(tmp_path)


def test_missing_weights_are_refused_with_the_way_to_make_them(tmp_path: Path) -> None:
    with pytest.raises(ReaderUnavailable, match=r"bench\.train_reader"):
        SpanReader(tmp_path)


def test_focus_reads_the_matching_sentence_and_its_neighbours() -> None:
    text = "Weather was mild. Markets rose. The bridge cost $3 billion to build. It opened in May. Cats purr."
    weights = {t: 1.0 for t in tokenize("How much did the bridge cost?")}
    start, end = focus(text, weights, max_words=12)
    assert text[start:end] == "The bridge cost $3 billion to build. It opened in May."
    assert focus(text, weights, max_words=0) == (0, len(text))
    wide = focus(text, weights, max_words=100)
    assert wide == (0, len(text))


def test_answer_with_focus_keeps_exact_offsets(seed_index: LocalHybridIndex) -> None:
    config = AnswerConfig(reader_focus_words=40)
    result = answer(
        "How many prisoners escaped?", seed_index, config, reader=ScriptedReader("More than 100", 12.0, 0.0)
    )
    article = seed_index.get_article(SEED_ID)
    assert article is not None and result.answers
    best = result.answers[0]
    assert article.text[best.citation.start : best.citation.end] == best.text == "More than 100"


@pytest.mark.parametrize(
    ("text", "question_kind", "kind"),
    [
        ("More than 100", "quantity", "quantity"),
        # a bare amount and a price per unit are quantities, so no "how much" doubt halves them
        ("$5", "quantity", "quantity"),
        ("$5 a gallon", "quantity", "quantity"),
        ("£1trn", "quantity", "quantity"),
        ("on 23 October 2019", "date", "date"),
        ("James Jeffrey", "person", "person"),
        ("a top U.S. State Department official", "person", "person"),
        ("the chaos of war", "phrase", "phrase"),
        # a time answering "when" in shapes DATE does not find in a sentence is a date too
        ("September", "date", "date"),
        ("last fall", "date", "date"),
        ("spring 2021", "date", "date"),
        ("Thanksgiving", "date", "date"),
        ("Inauguration Day", "date", "date"),
        ("8 a.m. ET", "date", "date"),
        ("Sunday, Nov. 5 at 2 a.m.", "date", "date"),
        ("the 1930s", "date", "date"),
        ("776 BC", "date", "date"),
        ("Thirty-one years ago", "date", "date"),
        ("Next month", "date", "date"),
        # ... but only for a date question, and not any capitalised "Day" or common noun
        ("May", "person", "person"),
        ("Theresa May", "date", "entity"),
        ("a day", "date", "phrase"),
        ("The Day", "date", "phrase"),
        ("winter storm", "date", "phrase"),
        ("20 years ago", "quantity", "quantity"),
    ],
)
def test_reader_spans_are_typed(text: str, question_kind: str, kind: str) -> None:
    assert kind_of(text, question_kind) == kind


def test_a_name_loses_a_trailing_weekday() -> None:
    sentence = "Israel's prime minister, Benjamin Netanyahu Thursday said the war would go on Monday."
    names = [sentence[s:e] for s, e, _ in proper_names(sentence)]
    assert names == ["Israel", "Benjamin Netanyahu"]  # and "Monday" alone is a date, not a name
    weekend = "Voting was on Saturday and Sunday, officials said."
    assert [weekend[s:e] for s, e, _ in proper_names(weekend)] == ["Voting", "Saturday and Sunday"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("During TNT's broadcast, Barkley spoke.", ["TNT", "Barkley"]),
        ("Though China denied it, Beijing acted.", ["China", "Beijing"]),
        ("According to Reuters, sales fell.", ["Reuters"]),  # "According" alone is no name
        ("Under Armour said sales fell.", ["Under Armour"]),  # a name that starts with a preposition stays
        # and so do the adverbs and conjunctions that open sentences
        ("So Boris Johnson resigned.", ["Boris Johnson"]),
        ("Otherwise Italy would have won.", ["Italy"]),
        ("Even IBM cut jobs.", ["IBM"]),
        ("Yet Twitter kept the feature.", ["Twitter"]),
    ],
)
def test_a_name_loses_a_sentence_opening_preposition(sentence: str, names: list[str]) -> None:
    assert [sentence[s:e] for s, e, _ in proper_names(sentence)] == names


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("London CNN — Britain said it would act.", ["London", "Britain"]),  # a dateline's credit, not the place
        ("Dhaka, Bangladesh Reuters - Protests spread.", ["Dhaka", "Bangladesh", "Protests"]),
        ("Kerry told CNN on Monday.", ["Kerry", "CNN"]),  # a credit that is no dateline stays
        ("Fox News and CNN — both refused.", ["Fox News and CNN"]),  # a list is no dateline
        ("New York CNN Business — Stocks fell.", ["New York", "Stocks"]),  # a CNN desk's credit
        ("London CNN Sport — Arsenal won.", ["London", "Arsenal"]),
        ("He told CNN Business — and left.", ["CNN Business"]),  # no place before the credit
    ],
)
def test_a_place_loses_its_datelines_credit(sentence: str, names: list[str]) -> None:
    assert [sentence[s:e] for s, e, _ in proper_names(sentence)] == names


def test_a_reader_span_in_a_dateline_is_not_widened_to_its_credit() -> None:
    text = "London CNN — Britain's prime minister resigned on Thursday."
    s, e = snap_to_typed(text, 0, len("London"))
    assert text[s:e] == "London"


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Is TikTok going to be banned?", "TikTok", "TikTok"),  # a headline's question: not "Is TikTok"
        ("Did Janet Yellen say so?", "Yellen", "Janet Yellen"),
        ("Will Smith won an Oscar.", "Smith", "Will Smith"),  # "Will" may be a name: kept
        ("Was it Harry Kane?", "Kane", "Harry Kane"),
    ],
)
def test_a_widened_name_leaves_out_a_headlines_leading_auxiliary(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    s, e = snap_to_typed(text, start, start + len(span))
    assert text[s:e] == expected


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("100", "More than 100"),
        ("Jeffrey", "James Jeffrey"),
        ("More than 100", "More than 100"),  # already whole
        ("escaped", "escaped"),  # not inside a typed span
    ],
)
def test_reader_spans_snap_to_the_typed_phrase_holding_them(span: str, expected: str) -> None:
    text = "Officials met. More than 100 prisoners escaped, envoy James Jeffrey said on Monday."
    start = text.index(span)
    s, e = snap_to_typed(text, start, start + len(span))
    assert text[s:e] == expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        # A run of capitalised words stops at "at": the quoted title is the answer.
        (
            'The comedy "Everything Everywhere All at Once" swept the Oscars.',
            "Everywhere",
            "Everything Everywhere All at Once",
        ),
        ("She starred in ‘Laverne & Shirley,’ the hit show.", "Shirley", "Laverne & Shirley"),
        ("It beat “Avatar: The Way of Water” at the box office.", "Way", "The Way of Water"),  # its part
        ("It beat “Avatar: The Way of Water” at the box office.", "Avatar", "Avatar"),
        ("It beat “Avatar: The Way of Water” at the box office.", "Avatar: The", "Avatar: The Way of Water"),
        ("He wrote “Welcome back to Twitter, my friend” on Friday.", "Twitter", "Twitter"),  # speech, no title
        ("Spielberg’s ‘Schindler’s List’ won.", "List", "Schindler’s List"),  # an apostrophe is no closing mark
    ],
)
def test_a_reader_span_inside_a_quoted_title_widens_to_the_title(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    s, e = snap_to_typed(text, start, start + len(span), titles=True)
    assert text[s:e] == expected


def test_a_person_in_a_quoted_title_stays_a_person_unless_a_thing_is_asked_for() -> None:
    text = 'Her first guest on "The Misconceptions of Ambition with Serena Williams" was the champion.'
    start = text.index("Serena Williams")
    s, e = snap_to_typed(text, start, start + len("Serena Williams"))  # a "who" question: no titles
    assert text[s:e] == "Serena Williams"
    s, e = snap_to_typed(text, start, start + len("Serena Williams"), titles=True)  # "which episode ...?"
    assert text[s:e] == "The Misconceptions of Ambition with Serena Williams"


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("Which episode did she record first?", "The Misconceptions of Ambition with Serena Williams"),
        ("Who was her first guest?", "Serena Williams"),
    ],
)
def test_the_answerer_widens_to_a_title_only_when_a_thing_is_asked_for(question: str, shown: str) -> None:
    from bench.eval_squad import PassageSearcher
    from index.types import Article

    text = 'Her podcast opened with "The Misconceptions of Ambition with Serena Williams" last week.'
    searcher = PassageSearcher(Article(doc_id="pod", title="", text=text))
    result = answer(question, searcher, reader=ScriptedReader("Serena Williams", 12.0, 0.0))
    assert result.answers[0].text == shown
