"""Where the time goes: run a command under py-spy and summarise by function.

    python -m bench.profile --out bench/out/add-profile.txt -- \\
        python -m qa index add held-out.jsonl --index bench/out/rtqa-index
    python -m bench.profile --summarise bench/out/add-profile.txt

Prints the share of samples (inclusive: the function or anything it calls)
for the project's own functions and the libraries' heavy entry points, so a
figure in RESULTS.md ("BM25 rebuild: 31% of an add") is one command away.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

# A frame in py-spy's raw output: "function (path/to/file.py:line)".
_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^:()]+):\d+\)$")
_OURS = re.compile(r"(^|/)(index|qa|web|bench)/[\w/]+\.py$")


def summarise(raw: Path, top: int = 25) -> list[tuple[str, float]]:
    """(function, share of all samples) for the functions seen most, inclusive."""
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        seen: set[str] = set()
        for frame in stack.split(";"):
            m = _FRAME.match(frame.strip())
            if not m:
                continue
            path = m["file"]
            ours = _OURS.search(path)
            where = ours.group(0).lstrip("/") if ours else path.split("site-packages/")[-1]
            name = f"{m['func']} ({where})"
            if name not in seen:  # recursion counts once
                seen.add(name)
                inclusive[name] += count
    return [(name, n / total) for name, n in inclusive.most_common(top)] if total else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="where py-spy writes its raw samples")
    parser.add_argument("--rate", type=int, default=20, help="samples per second")
    parser.add_argument("--summarise", type=Path, help="only summarise an existing raw file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    raw = args.summarise
    if raw is None:
        command = [c for c in args.command if c != "--"]
        if not command or args.out is None:
            parser.error("give --out and a command after --, or --summarise FILE")
        beside = Path(sys.executable).parent / "py-spy"  # the venv's, when it is not on PATH
        spy = str(beside) if beside.exists() else "py-spy"
        cmd = [spy, "record", "-r", str(args.rate), "-f", "raw", "-o", str(args.out), "--", *command]
        subprocess.run(cmd, check=True)
        raw = args.out
    for name, share in summarise(raw, args.top):
        print(f"{100 * share:5.1f}%  {name}")
    print(json.dumps({"profile": str(raw), "top": [[n, round(s, 4)] for n, s in summarise(raw, args.top)]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
