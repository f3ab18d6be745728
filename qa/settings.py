"""One settings object for the CLI, the server and the library.

Every field can be set by an environment variable ``QA_<FIELD>`` (upper
case) and, where the CLI has a flag for it, by that flag, which wins.
Created once per process by ``load_settings`` and passed down explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from index.derived_cache import default_cache_dir
from qa.errors import BadSetting
from qa.reader_arithmetic import PRECISIONS as READER_PRECISIONS
from qa.reader_arithmetic import RUNTIMES as READER_RUNTIMES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "QA_"


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "newsqa"


@dataclass(frozen=True)
class Settings:
    #: Where indexes live by default (QA_DATA_DIR); the default index is DATA_DIR/index.
    data_dir: Path = field(default_factory=_default_data_dir)
    #: The index to use (QA_INDEX); default DATA_DIR/index.
    index: Path | None = None
    #: The demo archive indexed on first use when the default index is missing.
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    #: Embedding model: "all-MiniLM-L6-v2" (packaged) or a local model directory.
    model: str = "all-MiniLM-L6-v2"
    #: Embedding precision: auto (bf16 where the CPU supports it), bf16 or fp32.
    precision: str = "auto"
    #: Chunks retrieved for a question (the reader looks at these).
    top_k: int = 15
    #: Answers returned at most.
    max_answers: int = 5
    #: Candidates per retriever before reciprocal rank fusion.
    candidates: int = 50
    #: RRF constant and the weights of the dense and BM25 lists.
    rrf_k: float = 60.0
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    #: Minimum answer confidence (0-1); below it the answerer abstains.
    min_score: float = 0.25
    #: Once the best answer clears min_score, other answers are listed down to this confidence.
    min_alternative_score: float = 0.1
    #: Span picker: auto (the learned reader when its weights are shipped, else rules), learned or rules.
    reader: str = "auto"
    #: The learned reader's arithmetic: auto (bf16 where the CPU has it, else fp32), bf16, fp32 or int8.
    reader_precision: str = "auto"
    #: What runs the learned reader: auto (ONNX Runtime for fp32/int8, PyTorch for bf16), torch or onnx.
    reader_runtime: str = "auto"
    #: Derived files that can be rebuilt at any time (the reader's ONNX graphs) (QA_CACHE_DIR).
    cache_dir: Path = field(default_factory=default_cache_dir)
    #: Retrieved chunks the learned reader reads (its cost grows with each).
    reader_passages: int = 15
    #: Words the reader reads around the best-matching sentence of a chunk (0: the whole chunk).
    reader_focus_words: int = 80
    #: How answers are scored: auto (the answer ranker shipped with the reader, if any) or formula.
    answer_ranker: str = "auto"
    #: A question naming no time prefers articles from this many days before today (0: off).
    recent_days: int = 0
    #: Verify index file checksums when loading (slower start, catches corruption).
    verify_index: bool = True
    #: Server address.
    host: str = "127.0.0.1"
    port: int = 8000
    #: Token for admin endpoints (POST /admin/reload); empty disables them. Never logged.
    admin_token: str = field(default="", repr=False)
    #: Longest question accepted, in characters.
    max_question_chars: int = 1000

    @property
    def index_dir(self) -> Path:
        return self.index if self.index is not None else self.data_dir / "index"

    @property
    def uses_default_index(self) -> bool:
        return self.index is None

    def with_overrides(self, **overrides: Any) -> Settings:
        """CLI flags: only the ones the user gave (not None) override."""
        given = {k: _coerce(k, v) for k, v in overrides.items() if v is not None}
        return replace(self, **given)


_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any) -> Any:
    kind = str(_TYPES[name])
    try:
        if "Path" in kind:
            return Path(value).expanduser()
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except ValueError:
        raise BadSetting(f"invalid value {value!r} for {ENV_PREFIX}{name.upper()} ({kind})") from None


def load_settings(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    env = os.environ if environ is None else environ
    from_env = {
        f.name: _coerce(f.name, env[ENV_PREFIX + f.name.upper()])
        for f in fields(Settings)
        if ENV_PREFIX + f.name.upper() in env
    }
    settings = replace(Settings(), **from_env).with_overrides(**overrides)
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    if not 1 <= s.top_k <= 50:
        raise BadSetting("top_k must be between 1 and 50")
    if not 1 <= s.max_answers <= 20:
        raise BadSetting("max_answers must be between 1 and 20")
    if s.precision not in ("auto", "bf16", "fp32"):
        raise BadSetting("precision must be auto, bf16 or fp32")
    if not 0 <= s.port <= 65535:
        raise BadSetting("port must be between 0 and 65535")
    if not 0.0 <= s.min_score <= 1.0:
        raise BadSetting("min_score must be between 0 and 1")
    if not 0.0 <= s.min_alternative_score <= 1.0:
        raise BadSetting("min_alternative_score must be between 0 and 1")
    if s.reader not in ("auto", "learned", "rules"):
        raise BadSetting("reader must be auto, learned or rules")
    if s.reader_precision not in READER_PRECISIONS:
        raise BadSetting(f"reader_precision must be one of {', '.join(READER_PRECISIONS)}")
    if s.reader_runtime not in READER_RUNTIMES:
        raise BadSetting(f"reader_runtime must be one of {', '.join(READER_RUNTIMES)}")
    if s.reader_runtime == "onnx" and s.reader_precision == "bf16":
        raise BadSetting("reader_runtime onnx runs the reader in fp32 or int8, not reader_precision bf16")
    if not 1 <= s.reader_passages <= 50:
        raise BadSetting("reader_passages must be between 1 and 50")
    if not 0 <= s.reader_focus_words <= 1000:
        raise BadSetting("reader_focus_words must be between 0 and 1000")
    if s.answer_ranker not in ("auto", "formula"):
        raise BadSetting("answer_ranker must be auto or formula")
    if not 0 <= s.recent_days <= 36500:
        raise BadSetting("recent_days must be between 0 and 36500")
