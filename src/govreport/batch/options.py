"""The options of a batch, in one place: :class:`ExtractOptions`.

``govreport extract`` builds them once from its command line; :func:`~govreport.batch.extract`,
:func:`~govreport.batch.write_dataset` and both engines take them (the Python functions also take
their fields as keywords).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs

from ..model import Report
from .errors import OutputError

#: Default per-file time limit, in seconds.
DEFAULT_TIMEOUT = 300.0
#: Default size limit: larger files are recorded as FileTooLarge without being read.
DEFAULT_MAX_SIZE = 1 << 30

ENGINES = ("local", "dask")


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


def _check_mode(opts: ExtractOptions, attribute: Any, overwrite: bool) -> None:
    if overwrite and opts.resume:
        raise OutputError("--resume and --overwrite exclude each other")


def _check_engine(opts: ExtractOptions, attribute: Any, engine: str) -> None:
    if engine not in ENGINES:
        raise OutputError(f"unknown engine {engine!r} (local or dask)")


@attrs.frozen(kw_only=True)
class ExtractOptions:
    """How a batch reads its files and writes its output (the options of ``govreport extract``).

    Reading: ``jobs`` worker processes (``None``: every core; ``0``: in this process, without time
    limit), ``timeout`` seconds per file (``None``: no limit), ``max_size`` bytes (larger files are
    ``FileTooLarge``), ``max_memory_mb`` per worker (``"auto"``: the machine's memory shared by the
    workers; ``None``: no limit), ``reader`` forced for every file, ``parser`` instead of
    :func:`govreport.parse` (a module-level function or ``"module:function"``), ``all_files`` (take
    files of every kind from folders).

    Writing (:func:`~govreport.batch.write_dataset`): ``format`` of the output (default: from its
    name), ``resume`` or ``overwrite`` an existing one, ``retry_failed`` (with ``resume``), ``wide``
    (also the wide table), ``excel`` (CSV with a byte-order mark), ``batch_size`` (Parquet: files
    per part), ``engine`` (``"local"`` or ``"dask"``) with its ``scheduler`` address.
    """

    jobs: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    reader: str | None = None
    parser: str | Callable[..., Report] | None = None
    max_size: int | None = DEFAULT_MAX_SIZE
    max_memory_mb: int | Literal["auto"] | None = "auto"
    all_files: bool = False
    format: str | None = None
    resume: bool = False
    overwrite: bool = attrs.field(default=False, validator=_check_mode)
    retry_failed: bool = False
    wide: bool = False
    excel: bool = False
    batch_size: int = 500
    engine: str = attrs.field(default="local", validator=_check_engine)
    scheduler: str | None = None

    @classmethod
    def of(cls, options: ExtractOptions | None, keywords: Mapping[str, Any]) -> ExtractOptions:
        """``options`` with ``keywords`` (fields) replaced; a keyword that is no field is a TypeError."""
        if options is None:
            return cls(**keywords)
        return attrs.evolve(options, **keywords) if keywords else options

    @property
    def mode(self) -> str:
        """How the output is opened: ``"resume"``, ``"overwrite"`` or ``"new"``."""
        return "resume" if self.resume else "overwrite" if self.overwrite else "new"

    def worker_count(self) -> int:
        return default_jobs() if self.jobs is None else int(self.jobs)

    def worker_opts(self, workers_per_machine: int, *, want_json: bool) -> dict[str, Any]:
        """What each worker process is given (see :func:`~govreport.batch.work.process_file`);
        ``max_memory_mb="auto"`` shares the machine's memory among ``workers_per_machine``."""
        memory = self.max_memory_mb
        if memory == "auto":
            memory = default_max_memory_mb(max(1, workers_per_machine))
        return {"reader": self.reader, "parser": self.parser, "want_json": want_json, "max_memory_mb": memory}
