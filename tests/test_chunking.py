import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import chunk_article, chunk_spans, split_sentences
from tests.conftest import SEED_FILE

WORDS = st.sampled_from(
    [
        "the",
        "U.S.",
        "Mr.",
        "escaped",
        "100",
        "prisoners",
        "said.",
        "Jeffrey.",
        "‘now",
        "over",
        "100’",
        "Dr.",
        "Syria?",
        "yes!",
        "e.g.",
        "No.",
        "3.5",
        "“quoted.”",
        "(AFP)",
        "—",
        "a",
    ]
)
TEXTS = st.lists(st.one_of(WORDS, st.sampled_from([" ", "\n", "\n\n", "  ", "\t"])), max_size=400).map(" ".join)


@given(TEXTS, st.integers(min_value=5, max_value=60))
@settings(max_examples=200, deadline=None)
def test_chunk_offsets_are_exact(text: str, target: int) -> None:
    for chunk in chunk_article("d", text, target_words=target, max_words=target + 20):
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text == chunk.text.strip()
        assert chunk.text


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_sentences_cover_all_words_in_order(text: str) -> None:
    spans = split_sentences(text)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    covered = " ".join(text[a:b] for a, b in spans)
    assert covered.split() == text.split()


@given(TEXTS)
@settings(max_examples=100, deadline=None)
def test_every_sentence_lands_in_some_chunk(text: str) -> None:
    chunks = chunk_spans(text, target_words=20, max_words=40)
    for s, e in split_sentences(text):
        if len(text[s:e].split()) <= 40:  # longer ones are split at word boundaries
            assert any(cs <= s and e <= ce for cs, ce in chunks), text[s:e]
        else:
            assert any(cs < e and s < ce for cs, ce in chunks)


def test_abbreviations_do_not_split_sentences() -> None:
    text = "A top U.S. State Department official told Congress today. Mr. Jeffrey said so."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "A top U.S. State Department official told Congress today.",
        "Mr. Jeffrey said so.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Sens. Joe Manchin and Kyrsten Sinema voted against it. The bill failed.", 2),
        ("Reps. Liz Cheney and Adam Kinzinger sat on the panel.", 1),
        ("Maj. Gen. Pat Ryder spoke. Cpl. Jane Doe did not.", 2),
        ("ABC aired Warner Bros. Presents in 1955.", 1),
        ("The population was ca. 2 million then.", 1),
        ("He grew up in Paducah, Ky. From there, he moved west.", 2),  # a state's abbreviation ends it
    ],
)
def test_titles_before_names_end_no_sentence(text: str, sentences: int) -> None:
    assert len(split_sentences(text)) == sentences


def test_seed_chunks_have_overlap_and_bounded_size() -> None:
    text = SEED_FILE.read_text(encoding="utf-8")
    spans = chunk_spans(text, target_words=150, max_words=200)
    assert len(spans) > 3
    for (a1, b1), (a2, _b2) in itertools.pairwise(spans):
        assert a2 < b1, "consecutive chunks share a sentence"
        assert a1 < a2
    assert all(len(text[a:b].split()) <= 200 for a, b in spans)
