"""On-disk layout: versioned index directories, manifest, SQLite store, lock.

    INDEX_DIR/
      CURRENT              name of the live version (replaced atomically)
      .lock                held by a writer (flock) while it builds
      versions/<name>/     manifest.json, dense.faiss, bm25/, store.sqlite

A writer builds a complete new version beside the live one, then replaces
CURRENT with ``os.replace`` (atomic on POSIX). A crash or Ctrl-C at any point
leaves CURRENT pointing at the previous, untouched version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.errors import IndexCorrupt, IndexLocked, IndexNotFound

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DENSE_FILE = "dense.faiss"
SPARSE_DIR = "bm25"
TOKENS_DIR = "tokens"  # every passage's BM25 tokens, so an update tokenizes only new ones
STORE_FILE = "store.sqlite"


def current_version(index_dir: Path) -> Path:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        raise IndexNotFound(f"no index at {index_dir} (build one with: qa index build SOURCES --index {index_dir})")
    name = pointer.read_text(encoding="utf-8").strip()
    version = index_dir / "versions" / name
    if not name or not version.is_dir():
        raise IndexCorrupt(f"{pointer} names version {name!r}, which does not exist")
    return version


def pointer_state(index_dir: Path) -> tuple[int, int, int]:
    """(inode, size, mtime_ns) of CURRENT: changes whenever a version is published."""
    try:
        st = (index_dir / "CURRENT").stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def has_index(index_dir: Path) -> bool:
    return (index_dir / "CURRENT").is_file()


def new_version_dir(index_dir: Path) -> Path:
    """A fresh directory whose final name sorts after every earlier version's, even one
    made in the same second (``_prune`` keeps the newest by name)."""
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now % 10**9:09d}"
    path = index_dir / "versions" / f".tmp-{stamp}-{os.getpid()}"
    path.mkdir(parents=True)
    return path


def publish(index_dir: Path, tmp_version: Path, keep: int = 2) -> Path:
    """Make a finished version live: rename it final, then swap CURRENT."""
    final = tmp_version.with_name(tmp_version.name.removeprefix(".tmp-"))
    os.replace(tmp_version, final)
    _fsync_dir(final.parent)
    pointer_tmp = index_dir / f".CURRENT.{os.getpid()}"
    pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
    with pointer_tmp.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(pointer_tmp, index_dir / "CURRENT")
    _fsync_dir(index_dir)
    _prune(index_dir, final.name, keep)
    return final


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(index_dir: Path, live: str, keep: int) -> None:
    """Delete leftovers of killed builds and all but ``keep`` recent versions.

    The previous version is kept so a server that still has it open (or a
    request in flight on it) is not pulled from under its feet.
    """
    versions = index_dir / "versions"
    finished = sorted((p for p in versions.iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in finished[:-keep]:
        if old.name != live:
            shutil.rmtree(old, ignore_errors=True)
    for tmp in versions.glob(".tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)  # we hold the lock: no other writer owns it


@contextlib.contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """One writer per index directory; a second gets a clear error at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".lock").open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLocked(f"another build or update is running on {index_dir}; try again when it ends") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def link_file(source: Path | str, target: Path | str) -> object:
    """Hard-link a published (never again written) version's file into a new one;
    copy where the file system cannot link."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target


def link_tree(source: Path, target: Path) -> None:
    """``link_file`` for every file of a directory."""
    shutil.copytree(source, target, copy_function=link_file)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def data_files(version: Path) -> list[Path]:
    return sorted(p for p in version.rglob("*") if p.is_file() and p.name != MANIFEST)


def write_manifest(version: Path, manifest: dict[str, Any], base: Path | None = None) -> None:
    """Write the manifest with every file's size and SHA-256. A file hard-linked from the
    ``base`` version (the same inode: published files are never written again) keeps the
    digest recorded there instead of being read again."""
    known = read_manifest(base, verify=False).get("files", {}) if base is not None else {}
    files = {}
    for path in data_files(version):
        name = str(path.relative_to(version))
        st = path.stat()
        try:
            linked = base is not None and name in known and os.path.samestat(st, (base / name).stat())
        except OSError:
            linked = False
        files[name] = known[name] if linked else {"bytes": st.st_size, "sha256": file_digest(path)}
    manifest = dict(manifest)
    manifest["format_version"] = FORMAT_VERSION
    manifest["files"] = files
    (version / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(version: Path, verify: bool = True) -> dict[str, Any]:
    path = version / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexCorrupt(f"{path} is missing") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IndexCorrupt(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexCorrupt(f"{path}: unsupported index format (expected version {FORMAT_VERSION}); rebuild the index")
    if verify:
        for name, expected in manifest.get("files", {}).items():
            file = version / name
            if not file.is_file():
                raise IndexCorrupt(f"index file {file} is missing; rebuild the index")
            if file.stat().st_size != expected["bytes"] or file_digest(file) != expected["sha256"]:
                raise IndexCorrupt(f"index file {file} is corrupt (checksum mismatch); rebuild the index")
    return manifest
