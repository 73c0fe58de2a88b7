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
import time
from pathlib import Path
from typing import Any

from .dataset import Summary, count
from .deps import require_dask
from .errors import WorkerCrashed
from .inputs import Discovery, Identity, discover, identify, path_key
from .progress import Progress
from .run import (
    Result,
    default_jobs,
    default_max_memory_mb,
    duplicate_result,
    error_result,
    result_from_payload,
    skip_unreadable,
    stored_content,
)
from .writers import OutputError, ParquetDataset, ParquetWriter


def identify_chunk(paths: list[str], max_size: int | None) -> list[tuple[str, str | None, int | None, Any]]:
    """Dask task: hash a chunk of files."""
    out = []
    for p in paths:
        i = identify(p, max_size=max_size)
        out.append((i.path, i.sha256, i.size, i.error))
    return out


def parse_chunk(root: str, part: str, items: list[tuple[tuple[str, str, int], list[tuple[str, str, int]]]],
                opts: dict[str, Any], timeout: float | None) -> list[dict[str, Any]]:
    """Dask task: read each distinct content of ``items`` once, write the chunk's parts, and return
    its reports rows (small) for the driver's progress and summary."""
    from .pool import make_pool

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
        results.extend(duplicate_result(Identity(*d), res.row, res) for d in dups)
    ParquetDataset(Path(root)).write_batch(part, results, stored=set())
    return [r.row for r in results]


def write_dataset_dask(paths: list[Any], out: Path, *, fmt: str, mode: str, wide: bool, jobs: int | None,
                       timeout: float | None, reader: str | None, parser: Any, max_size: int | None,
                       max_memory_mb: int | None | str, all_files: bool, retry_failed: bool,
                       scheduler: str | None, progress: Progress, batch_size: int) -> Summary:
    distributed = require_dask()
    if fmt != "parquet":
        raise OutputError("--engine dask writes a partitioned Parquet dataset: give --out NAME.parquet")
    summary = Summary(out=str(out), format=fmt)
    t0 = time.monotonic()
    writer = ParquetWriter(out, mode=mode, wide=wide, batch_size=batch_size)
    cluster = client = None
    try:
        if scheduler:
            client = distributed.Client(scheduler, set_as_default=False)
        else:
            n = jobs or default_jobs()
            cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            client = distributed.Client(cluster, set_as_default=False)
        workers = client.scheduler_info().get("workers", {})
        nworkers = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()) or (jobs or 1))
        if max_memory_mb == "auto":
            max_memory_mb = default_max_memory_mb(1)
        opts = {"reader": reader, "parser": parser, "want_json": False, "max_memory_mb": max_memory_mb}
        previous = writer.previous() if mode == "resume" else {}

        found = Discovery()
        files = list(discover(paths, all_files=all_files, exclude=[out], found=found))
        summary.files = len(files)
        summary.unmatched = tuple(found.unmatched)
        summary.not_taken = tuple(found.skipped)
        progress.start(len(files))
        if not files:
            return summary

        # 1. hash on the cluster
        idents: list[Identity] = [Identity(f.path, None, None, f.error) for f in files if f.error is not None]
        to_hash = [f.path for f in files if f.error is None]
        size = max(1, min(500, math.ceil(len(to_hash) / (nworkers * 4)) if to_hash else 1))
        chunks = [to_hash[i:i + size] for i in range(0, len(to_hash), size)]
        futs = client.map(identify_chunk, chunks, max_size=max_size, pure=False)
        for part in client.gather(futs):
            idents.extend(Identity(*t) for t in part)
        order = {f.path: i for i, f in enumerate(files)}
        idents.sort(key=lambda i: order[i.path])

        # 2. plan on the driver: what is done, what is a duplicate, what to read
        stored = stored_content(previous, retry_failed)
        groups: dict[str, list[Identity]] = {}
        for ident in idents:
            prev = previous.get(path_key(ident.path))
            if ident.error is not None:
                if skip_unreadable(prev, ident.error, retry_failed):
                    summary.skipped += 1
                    summary.failed_before += 1
                    progress.add("skipped", ident.path)
                else:
                    res = error_result(ident, ident.error)
                    writer.write(res)
                    count(summary, progress, res)
                continue
            sha = ident.sha256
            assert sha is not None
            if prev is not None and prev.get("sha256") == sha and sha in stored:
                summary.skipped += 1
                summary.failed_before += prev.get("status") == "error"
                progress.add("skipped", ident.path)
            elif sha in stored:
                res = duplicate_result(ident, stored[sha], None)
                writer.write(res)
                count(summary, progress, res)
            else:
                groups.setdefault(sha, []).append(ident)
        writer.flush()

        # 3. read on the cluster, each chunk writing its own parts
        items = [((g[0].path, g[0].sha256, g[0].size), [(d.path, d.sha256, d.size) for d in g[1:]])
                 for g in groups.values()]
        size = max(1, min(batch_size, math.ceil(len(items) / (nworkers * 4)) if items else 1))
        batches = [items[i:i + size] for i in range(0, len(items), size)]
        futs = [client.submit(parse_chunk, str(out), f"part-{writer.run}-d{k:06d}.parquet", b, opts, timeout,
                              pure=False, key=f"govreport-parse-{writer.run}-{k}")
                for k, b in enumerate(batches)]
        batch_of = {f.key: b for f, b in zip(futs, batches)}
        for fut in distributed.as_completed(futs, loop=client.loop):
            try:
                rows = fut.result()
            except Exception as exc:  # the chunk was lost (its worker died more than Dask retries)
                for primary, dups in batch_of[fut.key]:
                    for p in (primary, *dups):
                        res = error_result(Identity(*p), WorkerCrashed(
                            f"{p[0]}: the Dask task reading it failed: {type(exc).__name__}: {exc}"))
                        writer.write(res)
                        count(summary, progress, res)
                continue
            for row in rows:
                count(summary, progress, Result(path=row["path"], row=row))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        try:
            writer.close()
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
        summary.seconds = time.monotonic() - t0
    return summary


__all__ = ["write_dataset_dask", "parse_chunk", "identify_chunk"]
