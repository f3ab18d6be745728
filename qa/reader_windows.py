"""Token windows over (question, passage) pairs, and the spans their logits point to.

The pure half of the learned reader, shared by training (``bench/train_reader.py``)
and inference (``qa.reader``), so a character offset means the same in both: a
question and a passage become one or more windows of ``max_length`` tokens
(``stride`` tokens of overlap) through the fast tokenizer (the ``tokenizers``
library), which records each token's character offsets; ``decode_window`` turns
a window's start/end logits back into character spans of the passage, so an
answer is always a verbatim slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WindowConfig:
    max_length: int = 256
    stride: int = 128
    max_answer_tokens: int = 30


@dataclass(frozen=True)
class Window:
    """One window: the tokens of a question and part of a passage, each token's character
    offsets into its own text, and which text it is from (``sequence_ids``: 0 question,
    1 passage, None a special token)."""

    owner: int  # the (question, passage) pair it reads
    input_ids: list[int]
    type_ids: list[int]
    offsets: list[tuple[int, int]]
    sequence_ids: list[int | None]


def load_window_tokenizer(model_dir: str) -> Any:
    """The model's fast tokenizer (``tokenizer.json``) through the ``tokenizers`` library alone:
    transformers' ``AutoTokenizer`` wraps this very tokenizer and gives the same windows (checked
    token for token in tests/test_reader.py) but takes a second more to import."""
    from pathlib import Path

    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads to 128 for sentence embeddings; windows pad per batch
    return tokenizer


def encode_windows(tokenizer: Any, questions: list[str], passages: list[str], cfg: WindowConfig) -> list[Window]:
    """Token windows over (question, passage) pairs; long passages overflow into several,
    ``stride`` tokens overlapping, the question whole in each."""
    want = {"max_length": cfg.max_length, "stride": cfg.stride, "strategy": "only_second", "direction": "right"}
    if tokenizer.truncation != want:
        tokenizer.enable_truncation(cfg.max_length, stride=cfg.stride, strategy="only_second")
    pairs = [(q.strip(), p) for q, p in zip(questions, passages, strict=True)]
    out: list[Window] = []
    for owner, enc in enumerate(tokenizer.encode_batch(pairs)):
        for w in (enc, *enc.overflowing):
            out.append(Window(owner, w.ids, w.type_ids, [tuple(o) for o in w.offsets], w.sequence_ids))
    return out


PAD_ID = 0  # BERT's [PAD]; [CLS] (101) starts every window, so no real token is 0


def batch_arrays(input_ids: list[list[int]], type_ids: list[list[int]]) -> tuple[Any, Any, Any]:
    """(ids, attention mask, token types) as int64 arrays padded to the longest window: one way
    for training and inference alike."""
    import numpy as np

    width = max(len(r) for r in input_ids)
    ids = np.array([r + [PAD_ID] * (width - len(r)) for r in input_ids], dtype=np.int64)
    types = np.array([r + [0] * (width - len(r)) for r in type_ids], dtype=np.int64)
    return ids, (ids != PAD_ID).astype(np.int64), types


def batch_tensors(input_ids: list[list[int]], type_ids: list[list[int]]) -> tuple[Any, Any, Any]:
    """``batch_arrays`` as torch tensors (training)."""
    import torch

    ids, mask, types = batch_arrays(input_ids, type_ids)
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(types)


def decode_window(
    start_logits: list[float],
    end_logits: list[float],
    offsets: list[tuple[int, int]],
    sequence_ids: list[int | None],
    max_answer_tokens: int,
    n_best: int = 20,
    passage: str = "",
) -> tuple[list[tuple[int, int, float]], float]:
    """Best (char_start, char_end, score) spans of one window, and its no-answer score.

    Pure: plain lists in, plain tuples out. Only tokens of the passage (sequence
    id 1) can start or end an answer; the end may not precede the start; given
    the ``passage`` text, a span may not cross a line break (a list of quiz
    choices or a headline and the next paragraph is never one answer).
    """
    context = [i for i, s in enumerate(sequence_ids) if s == 1]
    if not context:
        return [], start_logits[0] + end_logits[0]
    lo, hi = context[0], context[-1]
    starts = sorted(range(lo, hi + 1), key=lambda i: -start_logits[i])[:n_best]
    ends = sorted(range(lo, hi + 1), key=lambda i: -end_logits[i])[:n_best]
    spans: list[tuple[int, int, float]] = []
    for s in starts:
        for e in ends:
            if e < s or e - s + 1 > max_answer_tokens:
                continue
            if passage and "\n" in passage[offsets[s][0] : offsets[e][1]]:
                continue
            spans.append((offsets[s][0], offsets[e][1], start_logits[s] + end_logits[e]))
    spans.sort(key=lambda t: -t[2])
    return spans, start_logits[0] + end_logits[0]
