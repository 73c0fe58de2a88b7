"""The batch itself: find the files, hash them, parse each distinct content once, in parallel.

:func:`extract` yields a :class:`Result` per input file as soon as it is known; the writers and the
``extract`` command build on :func:`run_events`, which also reports totals and skipped files.
"""

from __future__ import annotations

import datetime
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..errors import GovReportError
from ..model import Report
from .schema import govreport_version
from .errors import make_error
from .inputs import Discovery, Identity, InputFile, discover, identify, path_key
from .pool import make_pool
from .schema import REPORTS

#: Default per-file time limit, in seconds.
DEFAULT_TIMEOUT = 300.0
#: Default size limit: larger files are recorded as FileTooLarge without being read.
DEFAULT_MAX_SIZE = 1 << 30


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_max_memory_mb(jobs: int) -> int | None:
    """A per-worker memory limit that keeps ``jobs`` workers within the machine's memory."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return max(2048, int(total / 2**20 / max(1, jobs)))


@attrs.define(eq=False)
class Result:
    """The outcome for one input file: its ``reports`` row, and its cells and findings.

    ``new_content`` is True for the file whose content was parsed in this run (its cells and
    findings are to be stored). A file with the same content as another has ``duplicate_of`` set
    to that file's path and no cells, findings or report of its own: they are the other file's
    (same ``report_id``). This keeps a batch's memory independent of its size.
    """

    path: str
    row: dict[str, Any]
    cells: list[dict[str, Any]] = attrs.Factory(list)
    findings: list[dict[str, Any]] = attrs.Factory(list)
    json: str | None = attrs.field(default=None, repr=False)
    new_content: bool = False
    _report: Report | None = attrs.field(default=None, repr=False, alias="_report")

    @property
    def sha256(self) -> str | None:
        return self.row.get("sha256")

    @property
    def report_id(self) -> str | None:
        return self.row.get("report_id")

    @property
    def status(self) -> str:
        return self.row["status"]

    @property
    def ok(self) -> bool:
        return self.row["status"] == "ok"

    @property
    def error_type(self) -> str | None:
        return self.row.get("error_type")

    @property
    def error_message(self) -> str | None:
        return self.row.get("error_message")

    @property
    def error(self) -> GovReportError | None:
        """The error as an instance of its class (``None`` when the file was read)."""
        return None if self.ok else make_error(self.error_type, self.error_message)

    @property
    def duplicate_of(self) -> str | None:
        return self.row.get("duplicate_of")

    @property
    def seconds(self) -> float | None:
        return self.row.get("parse_seconds")

    @property
    def report(self) -> Report | None:
        """The :class:`~govreport.model.Report` (``None`` for a failed file, or when the batch ran
        with ``reports=False``)."""
        if self._report is None and self.json is not None:
            from ..jsonio import loads

            self._report = loads(self.json)
        return self._report


@attrs.frozen
class Total:
    """Event: the number of input files found."""

    files: int
    skipped_files: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()


@attrs.frozen
class Skipped:
    """Event: a file already in the output with the same content (``--resume``)."""

    path: str
    status: str | None = None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def _row(path: str, ident: Identity | None, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {name: None for name, _ in REPORTS}
    row["path"] = path
    if ident is not None:
        row["sha256"] = ident.sha256
        row["size"] = ident.size
    row.update(fields)
    row["report_id"] = row.get("sha256") if row["status"] == "ok" else None
    row["govreport_version"] = govreport_version()
    row["extracted_at"] = _now()
    return row


def _with_report_id(cells: list[dict[str, Any]], report_id: str | None) -> list[dict[str, Any]]:
    for c in cells:
        c["report_id"] = report_id
    return cells


_CONTENT_FIELDS = ("status", "error_type", "error_message", "kind", "format", "agency", "year", "published",
                   "reader", "pages", "cells", "cells_filled", "findings_error", "findings_warning",
                   "findings_info", "rule_breaks")


def stored_content(previous: Mapping[str, Mapping[str, Any]], retry_failed: bool = False
                   ) -> dict[str, Mapping[str, Any]]:
    """sha256 -> row, for the content already in an output that need not be read again."""
    stored: dict[str, Mapping[str, Any]] = {}
    for row in previous.values():
        sha = row.get("sha256")
        if not sha or (retry_failed and row.get("status") != "ok"):
            continue
        if sha not in stored or not row.get("duplicate_of"):
            stored[sha] = row
    return stored


def duplicate_result(ident: Identity, primary_row: Mapping[str, Any], primary: Result | None = None) -> Result:
    """The result of a file whose content is that of ``primary_row``: parsed once, so it carries the
    row (with ``duplicate_of``) but not the cells, findings and report, which are the primary's."""
    fields = {k: primary_row.get(k) for k in _CONTENT_FIELDS}
    first = primary_row.get("duplicate_of") or primary_row["path"]
    row = _row(ident.path, ident, duplicate_of=first, parse_seconds=0.0, **fields)
    return Result(path=ident.path, row=row, new_content=False)


def _light(row: Mapping[str, Any]) -> dict[str, Any]:
    """What duplicate detection keeps of a parsed file: its content fields, not its cells."""
    return {"path": row["path"], "duplicate_of": row.get("duplicate_of"), **{k: row.get(k) for k in _CONTENT_FIELDS}}


def result_from_payload(ident: Identity, payload: Mapping[str, Any]) -> Result:
    row = _row(ident.path, ident, **payload["row"])
    return Result(path=ident.path, row=row, cells=_with_report_id(payload["cells"], row["report_id"]),
                  findings=_with_report_id(payload["findings"], row["report_id"]),
                  json=payload.get("json"), new_content=row["report_id"] is not None)


def error_result(ident: Identity, error: BaseException) -> Result:
    row = _row(ident.path, ident, status="error", error_type=type(error).__name__,
               error_message=str(error), parse_seconds=0.0)
    return Result(path=ident.path, row=row)


def skip_unreadable(prev: Mapping[str, Any] | None, error: BaseException, retry_failed: bool) -> bool:
    """On resume: the file was unreadable before in the same way (nothing new to record)."""
    return (prev is not None and not prev.get("sha256") and not retry_failed
            and prev.get("error_type") == type(error).__name__)


def run_events(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    reader: str | None = None,
    parser: Any = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
    max_memory_mb: int | None | str = "auto",
    all_files: bool = False,
    reports: bool = True,
    exclude: Iterable[str | os.PathLike[str]] = (),
    previous: Mapping[str, Mapping[str, Any]] | None = None,
    retry_failed: bool = False,
) -> Iterator[Total | Skipped | Result]:
    """The batch as a stream of events: one :class:`Total`, then a :class:`Result` per input file
    (or a :class:`Skipped` for files ``previous`` already holds with the same content).

    ``previous`` maps each path already in the output (see :func:`~govreport.inputs.path_key`) to
    its ``reports`` row; with it only missing or changed files are parsed, and a file whose content
    was parsed before under another name becomes a duplicate of it without parsing.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    jobs = default_jobs() if jobs is None else int(jobs)
    if max_memory_mb == "auto":
        max_memory_mb = default_max_memory_mb(max(1, jobs))
    found = Discovery()
    files: list[InputFile] = list(discover(paths, all_files=all_files, exclude=exclude, found=found))
    yield Total(len(files), tuple(found.skipped), tuple(found.unmatched))
    if not files:
        return

    previous = previous or {}
    stored = stored_content(previous, retry_failed)

    opts = {"reader": reader, "parser": parser, "want_json": reports, "max_memory_mb": max_memory_mb}
    ready: deque[Result | Skipped] = deque()
    waiting: dict[str, list[Identity]] = {}   # sha256 -> files waiting for its parse
    done: dict[str, dict[str, Any]] = {}      # sha256 -> content fields of the file parsed in this run
    todo = iter(files)
    exhausted = False

    duplicate = duplicate_result

    def next_parse() -> Identity | None:
        """Look at files until one needs parsing; the others become ready results or skips."""
        nonlocal exhausted
        for f in todo:
            prev = previous.get(path_key(f.path))
            if f.error is not None:
                ident = Identity(f.path, None, None, f.error)
            else:
                ident = identify(f.path, max_size=max_size)
            if ident.error is not None:
                if skip_unreadable(prev, ident.error, retry_failed):
                    ready.append(Skipped(f.path, prev.get("status") if prev else None))
                else:
                    ready.append(error_result(ident, ident.error))
                continue
            sha = ident.sha256
            assert sha is not None
            if prev is not None and prev.get("sha256") == sha and sha in stored:
                ready.append(Skipped(f.path, prev.get("status") if prev else None))
                continue
            if sha in done:
                ready.append(duplicate(ident, done[sha]))
            elif sha in waiting:
                waiting[sha].append(ident)
            elif sha in stored:
                ready.append(duplicate(ident, stored[sha]))
            else:
                waiting[sha] = [ident]
                return ident
        exhausted = True
        return None

    with make_pool(jobs, timeout=timeout, opts=opts) as pool:
        while True:
            while not exhausted and pool.has_room():
                ident = next_parse()
                while ready:
                    yield ready.popleft()
                if ident is None:
                    break
                pool.submit(ident, ident.path)
            while ready:
                yield ready.popleft()
            if exhausted and pool.in_flight() == 0:
                break
            for ident, payload in pool.poll(0.25):
                sha = ident.sha256
                res = result_from_payload(ident, payload)
                done[sha] = _light(res.row)
                yield res
                for other in waiting.pop(sha, [])[1:]:
                    yield duplicate(other, res.row)


def extract(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    jobs: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    reader: str | None = None,
    parser: str | Callable[..., Report] | None = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
    max_memory_mb: int | None | str = "auto",
    all_files: bool = False,
    reports: bool = True,
) -> Iterator[Result]:
    """Parse many files in parallel, yielding a :class:`Result` per input file as each finishes.

    ``paths``: files, folders (walked recursively) and glob patterns. ``jobs`` worker processes
    (default: every core; ``0`` reads in this process, without time limit). ``timeout``: seconds
    per file before its worker is killed (``None``: no limit). Files with identical content are
    parsed once; the others come back with ``duplicate_of`` set. A file that cannot be read is a
    result with ``status == "error"``, never an exception. ``reports=False`` leaves out the
    :class:`~govreport.model.Report` objects (rows only), which is faster.

    ``parser`` replaces :func:`govreport.parse` (a module-level function, or ``"module:function"``,
    called as ``parser(path, reader=...)``).
    """
    for ev in run_events(paths, jobs=jobs, timeout=timeout, reader=reader, parser=parser, max_size=max_size,
                         max_memory_mb=max_memory_mb, all_files=all_files, reports=reports):
        if isinstance(ev, Result):
            yield ev
