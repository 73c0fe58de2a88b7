"""Progress of a batch: a redrawn bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts of ok, failed and skipped files, rate and ETA.

    On a terminal (``stream.isatty()``) one line is redrawn at most ten times a second; otherwise a
    line is logged every ``interval`` seconds and at the end. Failed files are always listed, one
    line each (``show_errors``).
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, tty: bool | None = None,
                 interval: float = 10.0, show_errors: bool = True, prefix: str = "govreport extract") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        try:
            self.tty = self.stream.isatty() if tty is None else tty
        except (AttributeError, ValueError):
            self.tty = False
        self.interval = interval
        self.show_errors = show_errors
        self.prefix = prefix
        self.total = 0
        self.ok = self.failed = self.skipped = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self._drawn = False

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.skipped

    def start(self, total: int) -> None:
        self.total = total
        self.t0 = time.monotonic()
        if self.enabled and not self.tty:
            self._print(f"{self.prefix}: {total} file(s) to read")
        self._refresh(force=True)

    def add(self, status: str, path: str | None = None, error: str | None = None) -> None:
        if status == "ok":
            self.ok += 1
        elif status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            if self.show_errors and self.enabled:
                self._print(f"{self.prefix}: FAILED {path}: {error}")
        self._refresh()

    def note(self, text: str) -> None:
        if self.enabled:
            self._print(f"{self.prefix}: {text}")

    def rate(self) -> float:
        elapsed = time.monotonic() - self.t0
        work = self.ok + self.failed
        return work / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate = self.rate()
        remaining = max(0, self.total - self.done)
        eta = _clock(remaining / rate) if rate > 0 and remaining else ("0:00" if not remaining else "?")
        pct = 100.0 * self.done / self.total if self.total else 100.0
        skipped = f", skipped {self.skipped}" if self.skipped else ""
        return (f"{self.done}/{self.total} ({pct:.0f}%) ok {self.ok}, failed {self.failed}{skipped}; "
                f"{rate:.1f} files/s; ETA {eta}")

    def bar(self, width: int = 24) -> str:
        frac = self.done / self.total if self.total else 1.0
        full = int(frac * width)
        return "[" + "#" * full + "-" * (width - full) + "] " + self.line()

    def _refresh(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if force or now - self._last >= 0.1:
                self.stream.write("\r\x1b[K" + self.bar())
                self.stream.flush()
                self._drawn = True
                self._last = now
        elif force or now - self._last >= self.interval:
            if self.done:
                self._print(f"{self.prefix}: {self.line()}")
            self._last = now

    def _print(self, text: str) -> None:
        if self.tty and self._drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.stream.flush()
        if self.tty and self._drawn:
            self.stream.write(self.bar())
            self.stream.flush()

    def finish(self, summary: str | None = None) -> None:
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r\x1b[K" + self.bar() + "\n")
            self._drawn = False
        else:
            self._print(f"{self.prefix}: {self.line()}")
        if summary:
            self.stream.write(f"{self.prefix}: {summary}\n")
        self.stream.flush()
