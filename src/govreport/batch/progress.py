"""Progress of a run over many files: a tqdm bar on a terminal, plain log lines otherwise.

tqdm draws the bar (it is well kept, handles narrow terminals and redraws the bar under any line
printed through it); this module adds what a batch needs: counts of ok, failed and skipped files,
failed files listed one line each, and an ETA over the files actually read (files skipped by
``--resume`` take no time and would make the estimate too hopeful).
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts of ok, failed and skipped files, rate and ETA.

    On a terminal (``stream.isatty()``, or ``tty=True``) a tqdm bar is redrawn at most ten times a
    second; otherwise a line is logged every ``interval`` seconds and at the end. Failed files are
    listed, one line each (``show_errors``), above the bar.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, tty: bool | None = None,
                 interval: float = 10.0, show_errors: bool = True, prefix: str = "govreport extract",
                 unit: str = "file") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        try:
            self.tty = self.stream.isatty() if tty is None else tty
        except (AttributeError, ValueError):
            self.tty = False
        self.interval = interval
        self.show_errors = show_errors
        self.prefix = prefix
        self.unit = unit
        self.total = 0
        self.ok = self.failed = self.skipped = 0
        self.t0 = time.monotonic()
        self._last = 0.0
        self._logged_done = -1
        self._bar: Any = None

    @property
    def done(self) -> int:
        return self.ok + self.failed + self.skipped

    def start(self, total: int) -> None:
        self.total = total
        self.t0 = time.monotonic()
        if not self.enabled:
            return
        if self.tty:
            from tqdm import tqdm  # type: ignore[import-untyped]  # its hints are a separate package (types-tqdm)

            # smoothing: the rate of recent files counts more, so a slow stretch (scans) shows at once
            self._bar = tqdm(total=total, file=self.stream, unit=self.unit, desc=self.prefix, mininterval=0.1,
                             smoothing=0.3, dynamic_ncols=True, leave=True)
            self._bar.set_postfix_str(self._counts(), refresh=True)
        else:
            self._print(f"{self.prefix}: {total} {self.unit}(s) to read")
            self._last = time.monotonic()

    def add(self, status: str, path: str | None = None, error: str | None = None) -> None:
        if status == "ok":
            self.ok += 1
        elif status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            if self.show_errors and self.enabled:
                self._print(f"{self.prefix}: FAILED {path}: {error}")
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=False)
            if status == "skipped":
                # done before this run: out of the bar's count, so that its rate and ETA are of real work
                self._bar.total = max(self._bar.n, (self._bar.total or 0) - 1)
                self._bar.refresh()
            else:
                self._bar.update(1)
        else:
            self._refresh()

    def note(self, text: str) -> None:
        if self.enabled:
            self._print(f"{self.prefix}: {text}")

    def message(self, text: str) -> None:
        """Print ``text`` as it is, above the bar when one is drawn (also when progress is off)."""
        if self._bar is not None:
            self._bar.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.t0
        work = self.ok + self.failed
        return work / elapsed if elapsed > 0 else 0.0

    def _counts(self) -> str:
        skipped = f", skipped {self.skipped}" if self.skipped else ""
        return f"ok {self.ok}, failed {self.failed}{skipped}"

    def line(self) -> str:
        rate = self.rate()
        remaining = max(0, self.total - self.done)
        if not remaining:
            eta = "0:00"
        elif rate > 0:
            # never "0:00" while files are still being read: at least the time one file takes
            eta = _clock(max(remaining / rate, 1.0 / rate, 1.0))
        else:
            eta = "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return f"{self.done}/{self.total} ({pct:.0f}%) {self._counts()}; {rate:.1f} {self.unit}s/s; ETA {eta}"

    def _refresh(self) -> None:
        if not self.enabled or self.tty:
            return
        now = time.monotonic()
        if now - self._last >= self.interval and self.done:
            self._log_line()
            self._last = now

    def _log_line(self) -> None:
        # the final line says nothing new when the last periodic one had the same counts
        if self.done != self._logged_done:
            self._print(f"{self.prefix}: {self.line()}")
            self._logged_done = self.done

    def _print(self, text: str) -> None:
        if self._bar is not None:
            self._bar.write(text, file=self.stream)  # clears the bar, prints, draws the bar again
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def finish(self, summary: str | None = None) -> None:
        """End the bar on its own line (so later messages never land on it), then the summary."""
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.set_postfix_str(self._counts(), refresh=True)
            self._bar.close()
            self._bar = None
        elif not self.tty and self.total:
            self._log_line()
        if summary:
            self.stream.write(f"{self.prefix}: {summary}\n")
        self.stream.flush()
