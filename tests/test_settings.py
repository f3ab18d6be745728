"""The one settings object: every field documented, read from QA_* variables, validated."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from qa.errors import BadSetting
from qa.service import answer_config
from qa.settings import Settings, load_settings
from tests.conftest import ROOT


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(QA_[A-Z_]+)`", readme))
    missing = {f"QA_{f.name.upper()}" for f in fields(Settings)} - documented
    assert not missing, f"settings missing from the README's table: {sorted(missing)}"


def test_environment_variables_are_read_and_typed(tmp_path: Path) -> None:
    env = {
        "QA_TOP_K": "7",
        "QA_MIN_SCORE": "0.4",
        "QA_MIN_ALTERNATIVE_SCORE": "0.2",
        "QA_VERIFY_INDEX": "off",
        "QA_INDEX": str(tmp_path / "idx"),
        "QA_READER": "rules",
        "QA_RECENT_DAYS": "30",
        "QA_READER_RUNTIME": "torch",
        "QA_CACHE_DIR": str(tmp_path / "cache"),
    }
    s = load_settings(env)
    assert (s.top_k, s.min_score, s.min_alternative_score, s.verify_index) == (7, 0.4, 0.2, False)
    assert s.index_dir == tmp_path / "idx" and not s.uses_default_index
    config = answer_config(s)
    assert (config.top_k, config.min_score, config.min_alternative_score, config.reader) == (7, 0.4, 0.2, "rules")
    assert (s.reader_runtime, s.cache_dir) == ("torch", tmp_path / "cache")
    assert (config.reader_runtime, config.reader_cache_dir) == ("torch", str(tmp_path / "cache"))
    assert config.recent_days == 30


def test_the_onnx_runtime_is_refused_for_bf16() -> None:
    with pytest.raises(BadSetting, match="reader_runtime onnx"):
        load_settings({"QA_READER_RUNTIME": "onnx", "QA_READER_PRECISION": "bf16"})
    assert load_settings({"QA_READER_RUNTIME": "torch", "QA_READER_PRECISION": "bf16"}).reader_runtime == "torch"


def test_cli_flags_win_over_the_environment() -> None:
    s = load_settings({"QA_TOP_K": "7", "QA_PORT": "9000"}, top_k=3, port=None)
    assert (s.top_k, s.port) == (3, 9000)  # a flag not given (None) leaves the variable's value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QA_TOP_K", "ten"),
        ("QA_TOP_K", "0"),
        ("QA_MIN_SCORE", "1.5"),
        ("QA_MIN_ALTERNATIVE_SCORE", "-0.1"),
        ("QA_VERIFY_INDEX", "maybe"),
        ("QA_READER", "gpt"),
        ("QA_PRECISION", "fp8"),
        ("QA_PORT", "70000"),
        ("QA_READER_PASSAGES", "100"),
        ("QA_READER_PRECISION", "fp16"),
        ("QA_READER_RUNTIME", "tensorrt"),
        ("QA_RECENT_DAYS", "-1"),
        ("QA_ANSWER_RANKER", "vibes"),
    ],
)
def test_bad_values_are_refused_with_the_setting_named(name: str, value: str) -> None:
    with pytest.raises(BadSetting) as err:
        load_settings({name: value})
    assert name.removeprefix("QA_").lower() in str(err.value).lower()
