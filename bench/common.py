"""What every benchmark shares: the machine description, result output, and waiting for a server."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from index.embedding import cpu_flags

# The instruction sets that decide which precision is fast: bf16 needs avx512_bf16 or amx_bf16,
# int8 gains most from avx512_vnni / avx_vnni. The same CPU name has come with and without them.
ISA_FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "avx_vnni", "amx_bf16")


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "isa": [f for f in ISA_FLAGS if f in cpu_flags()],
        "python": platform.python_version(),
    }


def emit(result: dict[str, Any], out: Path | None) -> None:
    """Print the result as one JSON line; also write it to ``out`` when given."""
    print(json.dumps(result))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def wait_for_200(proc: subprocess.Popen[bytes], url: str, timeout: float, interval: float) -> None:
    """Poll ``url`` every ``interval`` seconds until it answers 200 (a server's health check).
    RuntimeError when ``proc``, the server, exits first or ``timeout`` seconds pass."""
    deadline = time.perf_counter() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass  # not listening yet
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no 200 from {url} within {timeout:.0f} s")
        time.sleep(interval)
