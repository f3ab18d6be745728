"""Files derived from shipped ones (ONNX graphs exported from model weights), cached on disk.

An entry is a file plus ``<name>.json`` holding its SHA-256 and whatever the caller records;
both are written to temporary names and renamed into place (the file first), so a killed
export leaves nothing that loads. An entry whose checksum fails is rebuilt, and when the cache
directory cannot be written the file is built in a temporary one and used from memory. Shared by
the embedding model's graph for questions (``index.embedding_onnx``) and the reader's
(``qa.reader_onnx``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from index.store import file_digest

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "newsqa"


def cached(path: Path) -> bytes | None:
    """The cached file, read once, if it matches the SHA-256 in its sidecar."""
    try:
        recorded = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("sha256")
        data = path.read_bytes()
    except (OSError, ValueError, AttributeError):
        return None
    return data if hashlib.sha256(data).hexdigest() == recorded else None


def _publish(build: Callable[[Path], None], path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        build(tmp)
        side_tmp = tmp.with_suffix(".json")
        side_tmp.write_text(json.dumps({"sha256": file_digest(tmp), **record}) + "\n", encoding="utf-8")
        os.replace(tmp, path)  # the file first: a file without its sidecar is never trusted
        os.replace(side_tmp, path.with_suffix(".json"))
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_suffix(".json").unlink(missing_ok=True)


def derived_bytes(path: Path, build: Callable[[Path], None], record: dict[str, Any], what: str) -> bytes:
    """The bytes of the cache entry ``path``: from the cache when it passes its checksum, else
    made by ``build(target)`` (called only then) and cached when ``path``'s directory can be
    written. ``record`` goes into the sidecar; ``what`` names the file in log messages."""
    data = cached(path)
    if data is not None:
        return data
    if path.exists():
        log.warning("the cached %s %s fails its checksum; rebuilding it", what, path)
    try:
        log.info("exporting the %s into %s, once for these weights", what, path.parent)
        _publish(build, path, record)
        return path.read_bytes()
    except OSError as exc:
        log.warning("cannot cache the %s in %s (%s); building it for this process only", what, path.parent, exc)
    with tempfile.TemporaryDirectory() as work:
        target = Path(work) / path.name
        build(target)
        return target.read_bytes()
