"""``--engine dask``: the batch on a Dask cluster, written as a partitioned Parquet dataset.

The driver (this process) finds the input files; the cluster hashes them; the driver drops what
the output already holds (``--resume``) and groups identical contents; then each Dask task reads a
chunk of distinct contents and writes that chunk's part files straight into the dataset folder
(cells, findings, then reports: a chunk counts once its reports part exists). The layout is that of
the local Parquet writer, so :func:`govreport.batch.to_frame`, ``--resume`` and Parquet readers
treat both alike. Workers must see the input files and the output folder at the same paths (a
shared file system).

Inside a task each file is still read in a worker subprocess with the per-file time limit, so a
file that hangs costs its chunk one worker restart, not the cluster a stuck thread.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..deps import require_dask
from ..errors import WorkerCrashed
from ..inputs import Discovery, Identity, InputFile, discover, identify, path_key
from ..options import ExtractOptions, default_jobs
from ..outputs import OutputError, ParquetDataset, ParquetWriter
from ..progress import Progress
from ..results import Result, duplicate_result, error_result, result_from_payload
from ..resume import settled, stored_content
from ..summary import Summary, count

#: A file as a Dask task gets it: (path, sha256, size).
FileKey = tuple[str, str | None, int | None]
#: A distinct content to read: its first file, and the other files with the same content.
Item = tuple[FileKey, list[FileKey]]


def identify_chunk(paths: list[str], max_size: int | None) -> list[tuple[str, str | None, int | None, Any]]:
    """Dask task: hash a chunk of files."""
    out = []
    for p in paths:
        i = identify(p, max_size=max_size)
        out.append((i.path, i.sha256, i.size, i.error))
    return out


def parse_chunk(root: str, part: str, items: list[Item], opts: dict[str, Any],
                timeout: float | None) -> list[dict[str, Any]]:
    """Dask task: read each distinct content of ``items`` once, write the chunk's parts, and return
    its reports rows (small) for the driver's progress and summary."""
    from ..pool import make_pool

    results: list[Result] = []
    idents = {i: Identity(*primary) for i, (primary, _) in enumerate(items)}
    done: dict[int, Result] = {}
    with make_pool(1 if timeout else 0, timeout=timeout, opts=opts) as pool:
        todo = list(idents)
        while todo or pool.in_flight():
            while todo and pool.has_room():
                i = todo.pop(0)
                pool.submit(i, idents[i].path)
            for i, payload in pool.poll(0.25):
                done[i] = result_from_payload(idents[i], payload)
    for i, (_, dups) in enumerate(items):
        res = done[i]
        results.append(res)
        results.extend(duplicate_result(Identity(*d), res.row) for d in dups)
    ParquetDataset(Path(root)).write_batch(part, results, stored=set())
    return [r.row for r in results]


class _Run:
    """One run on the cluster: the driver's output writer, summary and progress."""

    def __init__(self, client: Any, out: str | os.PathLike[str], options: ExtractOptions, writer: ParquetWriter | None,
                 summary: Summary, progress: Progress) -> None:
        self.client = client
        self.out = out
        self.options = options
        self.writer = writer
        self.summary = summary
        self.progress = progress
        workers = client.scheduler_info().get("workers", {})
        self.nthreads = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()) or (options.jobs or 1))

    @property
    def output(self) -> ParquetWriter:
        assert self.writer is not None, "the output is opened once an input file is found"
        return self.writer

    def record(self, res: Result) -> None:
        self.output.write(res)
        count(self.summary, self.progress, res)

    def chunk_size(self, n: int, most: int) -> int:
        """Chunks small enough that every worker gets about four of them."""
        return max(1, min(most, math.ceil(n / (self.nthreads * 4)) if n else 1))

    def find(self, paths: list[str | os.PathLike[str]]) -> list[InputFile]:
        found = Discovery()
        files = list(discover(paths, all_files=self.options.all_files, exclude=[self.out], found=found))
        self.summary.files = len(files)
        self.summary.unmatched = tuple(found.unmatched)
        self.summary.not_taken = tuple(found.skipped)
        self.progress.start(len(files))
        return files

    def hash(self, files: list[InputFile]) -> list[Identity]:
        """1. Hash on the cluster; the identities come back in the order of ``files``."""
        idents = [Identity(f.path, None, None, f.error) for f in files if f.error is not None]
        to_hash = [f.path for f in files if f.error is None]
        size = self.chunk_size(len(to_hash), 500)
        chunks = [to_hash[i:i + size] for i in range(0, len(to_hash), size)]
        futs = self.client.map(identify_chunk, chunks, max_size=self.options.max_size, pure=False)
        for part in self.client.gather(futs):
            idents.extend(Identity(*t) for t in part)
        order = {f.path: i for i, f in enumerate(files)}
        idents.sort(key=lambda i: order[i.path])
        return idents

    def plan(self, idents: list[Identity]) -> list[Item]:
        """2. On the driver: record what the output settles, group the rest by content."""
        previous = self.output.previous() if self.options.resume else {}
        stored = stored_content(previous, self.options.retry_failed)
        groups: dict[str, list[Identity]] = {}
        for ident in idents:
            outcome = settled(ident, previous.get(path_key(ident.path)), stored, self.options.retry_failed)
            if isinstance(outcome, Result):
                self.record(outcome)
            elif outcome is not None:
                count(self.summary, self.progress, outcome)
            else:
                groups.setdefault(ident.sha256 or "", []).append(ident)
        self.output.flush()
        return [((g[0].path, g[0].sha256, g[0].size), [(d.path, d.sha256, d.size) for d in g[1:]])
                for g in groups.values()]

    def read(self, items: list[Item], distributed: Any) -> None:
        """3. Read on the cluster, each chunk writing its own parts."""
        size = self.chunk_size(len(items), self.options.batch_size)
        batches = [items[i:i + size] for i in range(0, len(items), size)]
        opts = self.options.worker_opts(1, want_json=False)  # one reading subprocess per Dask worker
        run = self.output.run
        futs = [self.client.submit(parse_chunk, str(self.out), f"part-{run}-d{k:06d}.parquet", b, opts,
                                   self.options.timeout, pure=False, key=f"govreport-parse-{run}-{k}")
                for k, b in enumerate(batches)]
        batch_of = {f.key: b for f, b in zip(futs, batches)}
        for fut in distributed.as_completed(futs, loop=self.client.loop):
            try:
                rows = fut.result()
            except Exception as exc:  # the chunk was lost (its worker died more than Dask retries)
                for res in _lost(batch_of[fut.key], exc):
                    self.record(res)
                continue
            for row in rows:
                count(self.summary, self.progress, Result(path=row["path"], row=row))


def _lost(items: list[Item], exc: Exception) -> Iterator[Result]:
    for primary, dups in items:
        for p in (primary, *dups):
            yield error_result(Identity(*p), WorkerCrashed(
                f"{p[0]}: the Dask task reading it failed: {type(exc).__name__}: {exc}"))


def _connect(distributed: Any, options: ExtractOptions) -> tuple[Any, Any]:
    """(client, the local cluster started for it or ``None``)."""
    if options.scheduler:
        return distributed.Client(options.scheduler, set_as_default=False), None
    cluster = distributed.LocalCluster(n_workers=options.jobs or default_jobs(), threads_per_worker=1,
                                       processes=True, dashboard_address=None)
    return distributed.Client(cluster, set_as_default=False), cluster


def write(paths: list[str | os.PathLike[str]], out: str | os.PathLike[str], fmt: str, options: ExtractOptions,
          progress: Progress) -> Summary:
    """Read ``paths`` on a Dask cluster into the Parquet dataset ``out``."""
    distributed = require_dask()
    if fmt != "parquet":
        raise OutputError("--engine dask writes a partitioned Parquet dataset: give --out NAME.parquet")
    summary = Summary(out=str(out), format=fmt)
    t0 = time.monotonic()
    def open_output() -> ParquetWriter:
        return ParquetWriter(out, mode=options.mode, wide=options.wide, batch_size=options.batch_size)

    # an output to replace is replaced only once an input file is found (a new or resumed one is
    # checked before anything is looked for)
    writer = None if options.mode == "overwrite" else open_output()
    client = cluster = None
    try:
        client, cluster = _connect(distributed, options)
        run = _Run(client, out, options, writer, summary, progress)
        files = run.find(paths)
        if files:
            if writer is None:
                writer = run.writer = open_output()
            run.read(run.plan(run.hash(files)), distributed)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        try:
            if writer is not None:
                writer.close()
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
        summary.seconds = time.monotonic() - t0
    return summary


__all__ = ["write", "parse_chunk", "identify_chunk"]
