"""Progress for long work: a live bar on a terminal, plain lines in a log.

A build of a large archive runs for an hour or more, often under ``nohup`` or
in CI with stderr going to a file. A redrawn bar is useless there, and saying
nothing for an hour is worse: a log gets one line every ``every`` seconds with
counts, rate and ETA.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from tqdm import tqdm

LINE_EVERY_S = 30.0


def _clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class LineProgress:
    """The slice of tqdm's interface the indexer uses, written as log lines."""

    def __init__(
        self,
        total: int,
        desc: str,
        unit: str,
        stream: TextIO | None = None,
        every: float | None = None,
        clock: Any = time.monotonic,
    ) -> None:
        self.total, self.desc, self.unit = total, desc, unit
        self.stream = stream or sys.stderr
        self.every = LINE_EVERY_S if every is None else every
        self.clock = clock
        self.n = 0
        self.postfix: dict[str, Any] = {}
        self.started = self.last = clock()

    def line(self) -> str:
        elapsed = self.clock() - self.started
        rate = self.n / elapsed if elapsed > 0 else 0.0
        share = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        eta = _clock((self.total - self.n) / rate) if rate > 0 and self.total else "?"
        extra = "".join(f", {k} {v:,}" if isinstance(v, int) else f", {k} {v}" for k, v in self.postfix.items())
        return (
            f"{self.desc}: {self.n:,}/{self.total:,} {self.unit}{share}{extra}, "
            f"{rate:.1f} {self.unit}/s, elapsed {_clock(elapsed)}, ETA {eta}"
        )

    def update(self, n: int = 1) -> None:
        self.n += n
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def set_postfix(self, refresh: bool = True, **values: Any) -> None:
        self.postfix = values

    def close(self) -> None:
        if self.clock() - self.started >= self.every:  # a quick job needs no closing line
            print(self.line(), file=self.stream, flush=True)


def progress(total: int, desc: str, unit: str, quiet: bool) -> Any:
    """A tqdm bar on a terminal, plain lines elsewhere, nothing when ``quiet``."""
    if quiet:
        return tqdm(total=total, disable=True)
    if sys.stderr.isatty():
        return tqdm(total=total, unit=unit, dynamic_ncols=True, desc=desc)
    return LineProgress(total, desc, unit)
