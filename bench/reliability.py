"""Reliability figures: runs the swap-under-load, SIGKILL, hostile-input and
schemathesis tests and records what they exercised.

    python -m bench.reliability [--out bench/results/reliability.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import emit

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/test_reliability.py", "tests/test_hostile.py", "tests/test_schemathesis.py", "tests/test_index.py"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        load_file = Path(tmp) / "load.json"
        env = {**os.environ, "QA_RECORD_FIGURES": str(load_file)}
        started = time.time()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-500:]
        load = json.loads(load_file.read_text()) if load_file.exists() else {}
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *TESTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    result = {
        "benchmark": "reliability",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "pytest": summary,
        "exit_code": proc.returncode,
        "seconds": round(time.time() - started, 1),
        "requests_during_swaps": load.get("requests"),
        "failed_requests_during_swaps": load.get("failures"),
        "swaps_under_load": load.get("swaps"),
        "sigkill_points_survived": len(re.findall(r"test_sigkill_at_any_point\S*\[", listing)),
        "hostile_input_cases": len(re.findall(r"test_hostile\.py::", listing)),
        "schemathesis_operations": len(re.findall(r"test_schemathesis\.py::", listing)),
        "schemathesis_max_examples_per_operation": 100,
    }
    emit(result, args.out)
    return 0 if proc.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
