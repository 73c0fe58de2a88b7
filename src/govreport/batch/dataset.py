"""A whole corpus into one dataset: :func:`write_dataset`, what ``govreport extract`` runs."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from .progress import Progress
from .run import DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT, Result, Skipped, Total, run_events
from .writers import OutputError, infer_format, open_writer, output_paths


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


def write_dataset(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    format: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    wide: bool = False,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    reader: str | None = None,
    parser: Any = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
    max_memory_mb: int | None | str = "auto",
    all_files: bool = False,
    retry_failed: bool = False,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Progress | None = None,
    batch_size: int = 500,
    excel: bool = False,
) -> Summary:
    """Parse every input file into the dataset ``out`` (see ``docs/extract.md``) and return a summary.

    ``resume`` completes an existing output: only files missing from it or changed since are read.
    ``overwrite`` replaces it. ``engine="dask"`` runs on a Dask cluster (``scheduler`` address, or a
    local cluster of ``jobs`` workers) and writes a partitioned Parquet dataset. On Ctrl-C the
    output is closed cleanly and the summary has ``interrupted=True``. When no input file is found,
    a new output is not left behind (it would only block the next run). ``excel=True`` writes CSV
    with a byte-order mark, which Excel needs to show UTF-8 text.
    """
    if resume and overwrite:
        raise OutputError("--resume and --overwrite exclude each other")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    fmt = infer_format(out, format)
    progress = progress or Progress(enabled=False)
    mode = "resume" if resume else "overwrite" if overwrite else "new"
    if engine == "dask":
        from .dask_engine import write_dataset_dask

        return write_dataset_dask(paths, Path(out), fmt=fmt, mode=mode, wide=wide, jobs=jobs, timeout=timeout,
                                  reader=reader, parser=parser, max_size=max_size, max_memory_mb=max_memory_mb,
                                  all_files=all_files, retry_failed=retry_failed, scheduler=scheduler,
                                  progress=progress, batch_size=batch_size)
    if engine != "local":
        raise OutputError(f"unknown engine {engine!r} (local or dask)")
    kw: dict[str, Any] = {"batch_size": batch_size} if fmt == "parquet" else {}
    if excel:
        if fmt != "csv":
            raise OutputError(f"--excel is for CSV output, not {fmt}")
        kw["excel"] = True
    summary = Summary(out=str(out), format=fmt)
    t0 = time.monotonic()
    writer = open_writer(out, fmt, mode=mode, wide=wide, **kw)
    events = None
    try:
        previous = writer.previous() if resume else {}
        events = run_events(paths, jobs=jobs, timeout=timeout, reader=reader, parser=parser, max_size=max_size,
                            max_memory_mb=max_memory_mb, all_files=all_files, reports=False,
                            exclude=output_paths(out, fmt), previous=previous, retry_failed=retry_failed)
        for ev in events:
            if isinstance(ev, Result):
                writer.write(ev)
                count(summary, progress, ev)
            elif isinstance(ev, Skipped):
                summary.skipped += 1
                summary.failed_before += ev.status == "error"
                progress.add("skipped", ev.path)
            elif isinstance(ev, Total):
                summary.files = ev.files
                summary.unmatched = ev.unmatched
                summary.not_taken = ev.skipped_files
                progress.start(ev.files)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if events is not None:
            events.close()
        writer.close()
        if mode == "new" and summary.files == 0 and not summary.interrupted:
            writer.discard()
        summary.seconds = time.monotonic() - t0
    return summary


def count(summary: Summary, progress: Progress, res: Result) -> None:
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
