"""``--engine local`` (the default): worker processes on this machine, any output kind."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from ..options import ExtractOptions
from ..outputs import Writer, open_writer, output_paths
from ..progress import Progress
from ..results import Result, Skipped, Total
from ..run import run_events
from ..summary import Summary, count


def write(paths: list[str | os.PathLike[str]], out: str | os.PathLike[str], fmt: str, options: ExtractOptions,
          progress: Progress) -> Summary:
    """Read ``paths`` into the output ``out`` of kind ``fmt``. On Ctrl-C the output is closed cleanly
    and the summary says ``interrupted``; a new output that found no input is not left behind (it
    would only block the next run)."""
    summary = Summary(out=str(out), format=fmt)
    t0 = time.monotonic()
    opened: list[Writer] = []

    def writer() -> Writer:
        if not opened:
            opened.append(open_writer(out, fmt, mode=options.mode, wide=options.wide,
                                      batch_size=options.batch_size, excel=options.excel))
        return opened[0]

    if options.mode != "overwrite":
        writer()  # a new or resumed output is checked before any file is looked for
    # an output to replace is replaced only once an input file is found: a run that finds none
    # leaves it as it was
    events = None
    try:
        previous = writer().previous() if options.resume else {}
        events = run_events(paths, options, reports=False, exclude=output_paths(out, fmt), previous=previous)
        _store(events, writer, summary, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if events is not None:
            events.close()  # stops the workers now, not when the generator is collected
        if opened:
            opened[0].close()
            if options.mode == "new" and summary.files == 0 and not summary.interrupted:
                opened[0].discard()
        summary.seconds = time.monotonic() - t0
    return summary


def _store(events: Iterator[Total | Skipped | Result], writer: Callable[[], Writer], summary: Summary,
           progress: Progress) -> None:
    for ev in events:
        if isinstance(ev, Total):
            summary.files = ev.files
            summary.unmatched = ev.unmatched
            summary.not_taken = ev.skipped_files
            if ev.files:
                writer()
            progress.start(ev.files)
            continue
        if isinstance(ev, Result):
            writer().write(ev)
        count(summary, progress, ev)
