"""What a run did (:class:`Summary`), counted by every engine through :func:`count`."""

from __future__ import annotations

import attrs

from .progress import Progress
from .results import Result, Skipped


@attrs.define
class Summary:
    """What a run did. ``interrupted`` is True when it was stopped (Ctrl-C) before the end."""

    out: str
    format: str
    files: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    failed_before: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    unmatched: tuple[str, ...] = ()
    not_taken: tuple[str, ...] = ()
    errors: dict[str, int] = attrs.Factory(dict)

    @property
    def rate(self) -> float:
        return (self.ok + self.failed) / self.seconds if self.seconds else 0.0

    def text(self) -> str:
        parts = [f"{self.ok} ok", f"{self.failed} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} already done" + (f" ({self.failed_before} of them failed)"
                                                            if self.failed_before else ""))
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate(s) of another file")
        errs = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items(), key=lambda kv: -kv[1]))
        return (f"{self.files} file(s): {', '.join(parts)} in {self.seconds:.1f} s ({self.rate:.1f} files/s)"
                + (f"; errors: {errs}" if errs else "") + f" -> {self.out}")


def count(summary: Summary, progress: Progress, event: Result | Skipped) -> None:
    """Add a file's outcome to the summary and the progress display."""
    if isinstance(event, Skipped):
        summary.skipped += 1
        summary.failed_before += event.status == "error"
        progress.add("skipped", event.path)
        return
    res = event
    if res.ok:
        summary.ok += 1
    else:
        summary.failed += 1
        summary.errors[res.error_type or "?"] = summary.errors.get(res.error_type or "?", 0) + 1
    if res.duplicate_of:
        summary.duplicates += 1
    msg = res.error_message or ""
    if msg.startswith(f"{res.path}:"):  # the line names the path already
        msg = msg[len(res.path) + 1:].lstrip()
    progress.add(res.status, res.path, f"{res.error_type}: {msg}" if not res.ok else None)
