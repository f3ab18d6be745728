"""Token windows over (question, passage) pairs, and the spans their logits point to.

The pure half of the learned reader, shared by training (``bench/train_reader.py``)
and inference (``qa.reader``), so a character offset means the same in both: a
question and a passage become one or more windows of ``max_length`` tokens
(``stride`` tokens of overlap) through the fast tokenizer, which records each
token's character offsets; ``decode_window`` turns a window's start/end logits
back into character spans of the passage, so an answer is always a verbatim slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WindowConfig:
    max_length: int = 256
    stride: int = 128
    max_answer_tokens: int = 30


def encode_windows(tokenizer: Any, questions: list[str], passages: list[str], cfg: WindowConfig) -> Any:
    """Token windows over (question, passage) pairs; long passages overflow into several."""
    return tokenizer(
        [q.strip() for q in questions],
        passages,
        truncation="only_second",
        max_length=cfg.max_length,
        stride=cfg.stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding=False,
    )


PAD_ID = 0  # BERT's [PAD]; [CLS] (101) starts every window, so no real token is 0


def batch_tensors(input_ids: list[list[int]], token_type_ids: list[list[int]]) -> tuple[Any, Any, Any]:
    """(ids, attention mask, token types) padded to the longest window: one way
    for training and inference alike."""
    import torch

    width = max(len(r) for r in input_ids)
    ids = torch.tensor([r + [PAD_ID] * (width - len(r)) for r in input_ids])
    types = torch.tensor([r + [0] * (width - len(r)) for r in token_type_ids])
    return ids, (ids != PAD_ID).long(), types


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
