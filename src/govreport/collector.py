"""Python's cyclic garbage collector, held off while parses run.

A parse makes hundreds of thousands of short-lived objects (characters, boxes, lines, cells) and
almost no reference cycles: some five hundred objects for nine PDF reports, which reference
counting cannot free and the next collection after the parse does. With the collector on, every
700 new objects it walks the young ones, and now and then the whole heap, however little of it
is garbage: about 4% of a PDF's parse.

The collector is one for the whole process: while any parse runs it is off for every thread, and
it is turned back on when the last parse ends, if the first one found it on (a program that turned
it off itself keeps it off). Threads parsing one after another without a pause would keep it off
for good: once it has been off for :data:`LONGEST_OFF` seconds, the next parse to end collects
once. ``GOVREPORT_GC=keep`` leaves it alone.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from typing import Iterator

#: Set to ``keep`` to leave the collector as it is while parses run.
ENV = "GOVREPORT_GC"

#: Seconds the collector may stay off while parses overlap before one of them collects.
LONGEST_OFF = 5.0

_lock = threading.Lock()
_running = 0  # parses holding the collector off
_turned_off = False  # whether the first of them turned it off (and the last turns it on)
_off_since = 0.0  # when it was turned off, or last collected while off


def _in_forked_child() -> None:
    """A process forked while parses ran holds none of them: the collector as before the first."""
    global _lock, _running, _turned_off
    _lock = threading.Lock()
    if _running and _turned_off:
        gc.enable()
    _running, _turned_off = 0, False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_child)


@contextlib.contextmanager
def held_off() -> Iterator[None]:
    """Keep the cyclic collector off within the block (see the module's note)."""
    global _running, _turned_off, _off_since
    if os.environ.get(ENV, "").strip().lower() == "keep":
        yield
        return
    held = False
    try:
        with _lock:
            if _running == 0:
                _turned_off = gc.isenabled()
                _off_since = time.monotonic()
                gc.disable()
            _running += 1
            held = True
        yield
    finally:
        collect = False
        if held:
            with _lock:
                # (a process forked inside the block has already let go of every parse)
                _running = max(_running - 1, 0)
                if _running == 0 and _turned_off:
                    _turned_off = False
                    gc.enable()
                elif _running and _turned_off and time.monotonic() - _off_since > LONGEST_OFF:
                    _off_since = time.monotonic()
                    collect = True
        if collect:
            gc.collect()
