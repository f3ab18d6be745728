"""The reader's training losses beyond the plain start/end cross-entropy (``bench.train_reader``)."""

from __future__ import annotations

from typing import Any


def shared_norm_loss(torch: Any, starts: Any, ends: Any, types: Any, rows: list[tuple], keys: list[str | None]) -> Any:
    """Shared normalization (Clark & Gardner, 2018) over each question's passages in the batch:
    -log P(answer start/end) with one softmax over the passage tokens of *all* its windows, so
    a span in a distractor passage must score below the answer, not just below its own [CLS].
    Groups with no answer in any window add nothing. Mean over groups (0 when none)."""
    by_group: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        if key is not None:
            by_group.setdefault(key, []).append(j)
    losses = []
    for idx in by_group.values():
        if not any(rows[j][2] > 0 for j in idx):
            continue
        passage = types[idx].bool()  # the batch's padded token types: 1 = passage (and its [SEP])
        part = []
        for logits, col in ((starts, 2), (ends, 3)):
            sub = logits[idx].masked_fill(~passage, float("-inf"))
            gold = torch.full_like(sub, float("-inf"))
            for n, j in enumerate(idx):
                if rows[j][2] > 0:
                    gold[n, rows[j][col]] = sub[n, rows[j][col]]
            part.append(torch.logsumexp(sub.flatten(), 0) - torch.logsumexp(gold.flatten(), 0))
        losses.append((part[0] + part[1]) / 2)
    return torch.stack(losses).mean() if losses else starts.new_zeros(())


def distill_loss(torch: Any, student: tuple[Any, Any], teacher: tuple[Any, Any], mask: Any, temperature: float) -> Any:
    """Knowledge distillation (Hinton et al., 2015) for span readers: the KL divergence from the
    teacher's start and end distributions to the student's, both softened by ``temperature`` and
    over the real tokens only (``mask``: 1 = token, 0 = padding), scaled by temperature² so its
    gradients keep their size whatever the temperature. Mean over windows, and over start and end."""
    pad = mask == 0
    parts = []
    for s, t in zip(student, teacher, strict=True):
        s = torch.log_softmax(s.float().masked_fill(pad, -1e4) / temperature, dim=-1)
        t = torch.log_softmax(t.float().masked_fill(pad, -1e4) / temperature, dim=-1)
        parts.append(torch.nn.functional.kl_div(s, t, log_target=True, reduction="batchmean"))
    return (parts[0] + parts[1]) / 2 * temperature**2
