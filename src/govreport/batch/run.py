"""The batch itself: find the files, hash them, parse each distinct content once, in parallel.

:func:`extract` yields a :class:`Result` per input file as soon as it is known; the local engine
(what ``govreport extract`` runs by default) builds on :func:`run_events`, which also reports totals
and skipped files.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import Any

from .inputs import Discovery, Identity, InputFile, discover, identify, path_key
from .options import ExtractOptions
from .pool import InlinePool, WorkerPool, make_pool
from .results import (
    Result,
    Skipped,
    Total,
    content_of,
    duplicate_result,
    result_from_payload,
)
from .resume import settled, stored_content

Paths = Iterable[str | os.PathLike[str]] | str | os.PathLike[str]


class _Planner:
    """Decides, file by file, what needs a parse: each distinct content is read once; the files
    that need none (skips, errors, duplicates) wait in ``ready`` to be yielded in order."""

    def __init__(self, files: list[InputFile], options: ExtractOptions,
                 previous: Mapping[str, Mapping[str, Any]]) -> None:
        self.todo = iter(files)
        self.options = options
        self.previous = previous
        self.stored = stored_content(previous, options.retry_failed)
        self.ready: deque[Result | Skipped] = deque()
        self.waiting: dict[str, list[Identity]] = {}   # sha256 -> files waiting for its parse
        self.done: dict[str, dict[str, Any]] = {}      # sha256 -> content fields of the file parsed in this run
        self.exhausted = False

    def next_parse(self) -> Identity | None:
        """Look at files until one needs parsing; the others become ready results or skips."""
        for f in self.todo:
            if f.error is not None:
                ident = Identity(f.path, None, None, f.error)
            else:
                ident = identify(f.path, max_size=self.options.max_size)
            outcome = settled(ident, self.previous.get(path_key(f.path)), self.stored, self.options.retry_failed)
            if outcome is not None:
                self.ready.append(outcome)
                continue
            sha = ident.sha256
            assert sha is not None  # settled() leaves only hashed files to read
            if sha in self.done:
                self.ready.append(duplicate_result(ident, self.done[sha]))
            elif sha in self.waiting:
                self.waiting[sha].append(ident)
            else:
                self.waiting[sha] = [ident]
                return ident
        self.exhausted = True
        return None

    def parsed(self, ident: Identity, payload: Mapping[str, Any]) -> Iterator[Result]:
        """The result of a parse, then those of the files that wait for the same content."""
        sha = ident.sha256
        assert sha is not None  # only hashed files are parsed
        res = result_from_payload(ident, payload)
        self.done[sha] = content_of(res.row)
        yield res
        for other in self.waiting.pop(sha, [])[1:]:
            yield duplicate_result(other, res.row)

    def drain(self) -> Iterator[Result | Skipped]:
        while self.ready:
            yield self.ready.popleft()


def _drive(pool: WorkerPool | InlinePool, plan: _Planner) -> Iterator[Result | Skipped]:
    """Keep the pool full of distinct contents and yield every outcome as soon as it is known."""
    finished: list[Result] = []
    while True:
        while not plan.exhausted and pool.has_room():
            ident = plan.next_parse()
            if ident is None:
                break
            pool.submit(ident, ident.path)
        # the consumer writes each result while the workers read their next files: handing the
        # results over before refilling the pool left a worker idle for every write
        yield from finished
        yield from plan.drain()
        if plan.exhausted and pool.in_flight() == 0:
            return
        finished = [res for ident, payload in pool.poll(0.25) for res in plan.parsed(ident, payload)]


def run_events(
    paths: Paths,
    options: ExtractOptions,
    *,
    reports: bool = True,
    exclude: Iterable[str | os.PathLike[str]] = (),
    previous: Mapping[str, Mapping[str, Any]] | None = None,
) -> Generator[Total | Skipped | Result, None, None]:
    """The batch as a stream of events: one :class:`Total`, then a :class:`Result` per input file
    (or a :class:`Skipped` for files ``previous`` already holds with the same content).

    ``previous`` maps each path already in the output (see :func:`~govreport.inputs.path_key`) to
    its ``reports`` row; with it only missing or changed files are parsed, and a file whose content
    was parsed before under another name becomes a duplicate of it without parsing. ``reports``:
    the results carry their :class:`~govreport.model.Report` (as JSON from the workers).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    found = Discovery()
    files = list(discover(paths, all_files=options.all_files, exclude=exclude, found=found))
    yield Total(len(files), tuple(found.skipped), tuple(found.unmatched))
    if not files:
        return
    jobs = options.worker_count()
    plan = _Planner(files, options, previous or {})
    with make_pool(jobs, timeout=options.timeout, opts=options.worker_opts(jobs, want_json=reports)) as pool:
        yield from _drive(pool, plan)


def extract(paths: Paths, options: ExtractOptions | None = None, *, reports: bool = True,
            **keywords: Any) -> Iterator[Result]:
    """Parse many files in parallel, yielding a :class:`Result` per input file as each finishes.

    ``paths``: files, folders (walked recursively) and glob patterns. The options are an
    :class:`~govreport.batch.ExtractOptions` or its fields as keywords: ``jobs`` worker processes
    (default: every core; ``0`` reads in this process, without time limit), ``timeout`` seconds per
    file before its worker is killed (``None``: no limit), ``max_size``, ``max_memory_mb``,
    ``reader``, ``all_files``. Files with identical content are parsed once; the others come back
    with ``duplicate_of`` set. A file that cannot be read is a result with ``status == "error"``,
    never an exception. ``reports=False`` leaves out the :class:`~govreport.model.Report` objects
    (rows only), which is faster.

    ``parser`` replaces :func:`govreport.parse` (a module-level function, or ``"module:function"``,
    called as ``parser(path, reader=...)``).
    """
    opts = ExtractOptions.of(options, keywords)  # a bad option fails here, not at the first result
    return (ev for ev in run_events(paths, opts, reports=reports) if isinstance(ev, Result))
