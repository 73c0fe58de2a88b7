"""The Parquet output: a folder of part files per table, fed through a journal of JSON lines."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..inputs import path_key
from ..results import Result
from ..schema import (
    DATASET_SCHEMA,
    arrow_schema,
    arrow_table,
    canonical_cells,
    govreport_version,
    row_from_json,
    wide_rows,
)
from .base import OutputError, Writer, latest_rows, write_all
from .jsonl import json_line
from .readback import read_lines

_PART_RE = re.compile(r"^part-(?P<run>\d{20})-(?P<batch>[0-9a-z]+)\.parquet$")


def new_run_id() -> str:
    return f"{time.time_ns():020d}"


class ParquetDataset:
    """A folder of Parquet part files per table: ``reports/``, ``cells/``, ``findings/`` (and
    ``wide/``), each part named ``part-<run>-<batch>.parquet``. A batch's parts are written
    cells → findings → reports, each atomically (temporary name, then rename): a batch is
    committed when its reports part exists. Parts are ordered by name; a later reports row for a
    path supersedes an earlier one."""

    TABLES = ("reports", "cells", "findings")

    def __init__(self, root: Path) -> None:
        self.root = root

    def table_dir(self, table: str) -> Path:
        return self.root / table

    def parts(self, table: str) -> list[Path]:
        d = self.table_dir(table)
        if not d.is_dir():
            return []
        return sorted(p for p in d.iterdir() if _PART_RE.match(p.name))

    def committed(self) -> set[str]:
        return {p.name for p in self.parts("reports")}

    def write_part(self, table: str, name: str, rows: list[Mapping[str, Any]]) -> None:
        import pyarrow.parquet as pq

        d = self.table_dir(table)
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{name}.tmp-{os.getpid()}"
        pq.write_table(arrow_table(rows, table), tmp, compression="zstd")
        os.replace(tmp, d / name)

    def write_batch(self, name: str, results: list[Result], stored: set[str]) -> None:
        """Write one committed batch: content of results new to the dataset, then their reports rows."""
        cells: list[Mapping[str, Any]] = []
        findings: list[Mapping[str, Any]] = []
        for r in results:
            rid = r.report_id
            if r.new_content and rid and rid not in stored:
                cells.extend(r.cells)
                findings.extend(r.findings)
                stored.add(rid)
        self.write_part("cells", name, cells)
        self.write_part("findings", name, findings)
        self.write_part("reports", name, [r.row for r in results])

    def remove_uncommitted(self) -> None:
        """Delete cells/findings parts of batches whose reports part was never written, and temp files."""
        done = self.committed()
        for t in ("cells", "findings"):
            for p in self.parts(t):
                if p.name not in done:
                    p.unlink(missing_ok=True)
        for t in (*self.TABLES, "wide"):
            d = self.table_dir(t)
            if d.is_dir():
                for p in d.iterdir():
                    if p.name.startswith(".") and ".tmp-" in p.name:
                        p.unlink(missing_ok=True)

    def read_rows(self, table: str, parts: list[Path] | None = None) -> Iterator[dict[str, Any]]:
        import pyarrow.parquet as pq

        for p in self.parts(table) if parts is None else parts:
            for batch in pq.ParquetFile(p).iter_batches(batch_size=65536):
                yield from batch.to_pylist()

    def reports(self) -> list[dict[str, Any]]:
        done = self.committed()
        return list(self.read_rows("reports", [p for p in self.parts("reports") if p.name in done]))

    def compact(self) -> None:
        """Drop superseded reports rows and content no live row references, rewriting (atomically)
        only the parts that hold such rows."""
        import pyarrow.parquet as pq

        parts = self.parts("reports")
        tables = [pq.read_table(p) for p in parts]
        last: dict[str, tuple[int, int]] = {}
        for i, t in enumerate(tables):
            for j, path in enumerate(_paths(t)):
                last[path_key(path)] = (i, j)
        live_ids: set[str] = set()
        for i, t in enumerate(tables):
            keep = [last[path_key(p)] == (i, j) for j, p in enumerate(_paths(t))]
            for rid, k in zip(t.column("report_id").to_pylist(), keep):
                if k and rid:
                    live_ids.add(rid)
            if not all(keep):
                self._replace(parts[i], t.filter(keep))
        for table in ("cells", "findings"):
            for p in self.parts(table):
                ids = pq.read_table(p, columns=["report_id"]).column("report_id").to_pylist()
                live = [rid in live_ids for rid in ids]  # a null id is no live report's
                if not all(live):
                    self._replace(p, pq.read_table(p).filter(live))

    def _replace(self, path: Path, table: Any) -> None:
        import pyarrow.parquet as pq

        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)

    def write_wide(self) -> None:
        """(Re)build ``wide/`` from the live reports and cells, streaming the cells part by part."""
        import pyarrow.parquet as pq

        reports = list(latest_rows(self.reports()).values())
        by_id: dict[str, list[dict[str, Any]]] = {}
        for r in reports:
            by_id.setdefault(r.get("report_id") or "", []).append(r)
        canon = set(canonical_cells())
        d = self.table_dir("wide")
        d.mkdir(parents=True, exist_ok=True)
        name = f"part-{new_run_id()}-0.parquet"
        tmp = d / f".{name}.tmp-{os.getpid()}"
        schema = arrow_schema("wide")
        emitted: set[str] = set()
        with pq.ParquetWriter(tmp, schema, compression="zstd") as w:
            for p in self.parts("cells"):
                t = pq.read_table(p, columns=["report_id", "cell", "value"])
                values: dict[str, dict[str, Any]] = {}
                for rid, cell, v in zip(*(t.column(c).to_pylist() for c in ("report_id", "cell", "value"))):
                    if cell in canon and v is not None and rid in by_id:
                        values.setdefault(rid, {})[cell] = v
                rows = [wr for rid in values if rid not in emitted for wr in wide_rows(by_id[rid], values)]
                emitted |= set(values)
                if rows:
                    w.write_table(arrow_table(rows, "wide"))
            rest = [r for rid, rs in by_id.items() if rid not in emitted for r in rs]
            if rest:
                w.write_table(arrow_table(list(wide_rows(rest, {})), "wide"))
        os.replace(tmp, d / name)
        for p in self.parts("wide"):
            if p.name != name:
                p.unlink(missing_ok=True)


def _paths(table: Any) -> list[str]:
    """The ``path`` column of a reports part (never null: every reports row has its path)."""
    paths: list[str] = table.column("path").to_pylist()
    return paths


class ParquetWriter(Writer):
    """A Parquet dataset folder (see :class:`ParquetDataset`) written in row-group batches.

    Every finished file is first appended to ``_journal.jsonl`` (one flushed line, as in the JSON
    Lines output), so it survives a kill; every ``batch_size`` files or ``flush_seconds`` the journal
    becomes one part per table and is emptied. Parquet readers see the flushed parts;
    :func:`govreport.batch.to_frame` and ``--resume`` also take the journal's files, and a resumed
    or finished run flushes them into parts.
    """

    format = "parquet"

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False,
                 batch_size: int = 500, flush_seconds: float = 60.0) -> None:
        from ..deps import require_pyarrow

        require_pyarrow()
        if Path(out).exists() and not Path(out).is_dir():
            raise OutputError(f"{out}: exists and is not a folder; a Parquet output is a folder of part files")
        if mode == "overwrite" and Path(out).is_dir() and not _looks_like_dataset(Path(out)):
            raise OutputError(f"{out}: a folder that is not a govreport Parquet dataset; not replacing it")
        super().__init__(out, mode=mode, wide=wide)
        self.ds = ParquetDataset(self.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.batch_size = max(1, batch_size)
        self.flush_seconds = flush_seconds
        self.run = new_run_id()
        self.n_batches = 0
        self.journal = self.out / "_journal.jsonl"
        self._dirty = False
        self._buffer: list[Result] = []
        self.ds.remove_uncommitted()
        committed = self.ds.committed()
        rows = self.ds.reports()
        self._stored: set[str] = set()
        for t in ("cells",):
            import pyarrow.parquet as pq

            for p in self.ds.parts(t):
                self._stored.update(x for x in pq.read_table(p, columns=["report_id"]).column("report_id").to_pylist() if x)
        self._stored |= {r["report_id"] for r in rows if r.get("report_id") and not r.get("duplicate_of")}
        # journal lines not yet in a committed part: carried into this run's first batch
        if self.journal.exists():
            for obj in read_lines(self.journal, repair=True):
                if obj.get("part") in committed:
                    continue
                res = _result_from_line(obj)
                self._buffer.append(res)
                rows.append(res.row)
                self._dirty = True
        self._prev = latest_rows(rows)
        if len(self._prev) < len(rows):
            self._dirty = True  # superseded rows from earlier runs
        self._pending_ids = {r.report_id for r in self._buffer if r.new_content and r.report_id}
        (self.out / "_dataset.json").write_text(json.dumps({"schema": DATASET_SCHEMA, "govreport": govreport_version()}))
        self.fd = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._last_flush = time.monotonic()

    def owned_paths(self) -> list[Path]:
        return [self.out]

    def previous(self) -> dict[str, dict[str, Any]]:
        return self._prev

    def _part_name(self) -> str:
        return f"part-{self.run}-{self.n_batches:06d}.parquet"

    def write(self, result: Result) -> None:
        if path_key(result.path) in self._prev:
            self._dirty = True  # supersedes a row of an earlier run: compact at the end
        name = self._part_name()
        rid = result.report_id
        with_content = bool(result.new_content and rid and rid not in self._stored
                            and rid not in self._pending_ids)
        write_all(self.fd, json_line(result, with_content=with_content, extra={"part": name}))
        if with_content and rid:
            self._pending_ids.add(rid)
        elif result.new_content:
            result = _shallow(result)
        self._buffer.append(result)
        self.written += 1
        if len(self._buffer) >= self.batch_size or time.monotonic() - self._last_flush >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        self.ds.write_batch(self._part_name(), self._buffer, self._stored)
        self.n_batches += 1
        self._buffer = []
        self._pending_ids = set()
        os.ftruncate(self.fd, 0)
        self._last_flush = time.monotonic()

    def close(self) -> None:
        if getattr(self, "fd", None) is None:
            return
        self.flush()
        os.close(self.fd)
        del self.fd  # closed: a second close() finds no descriptor
        self.journal.unlink(missing_ok=True)
        if self._dirty:
            self.ds.compact()
        if self.wide:
            self.ds.write_wide()


def _shallow(result: Result) -> Result:
    return Result(path=result.path, row=result.row, json=result.json, new_content=False)


def _result_from_line(obj: Mapping[str, Any]) -> Result:
    row = row_from_json(obj.get("report") or {}, "reports")
    cells = [row_from_json(c, "cells") for c in obj.get("cells") or []]
    findings = [row_from_json(f, "findings") for f in obj.get("findings") or []]
    return Result(path=row["path"], row=row, cells=cells, findings=findings,
                  new_content=bool(cells or findings))


def _looks_like_dataset(p: Path) -> bool:
    try:
        entries = {e.name for e in p.iterdir()}
    except OSError:
        return False
    return not entries or "_dataset.json" in entries or "reports" in entries or "_journal.jsonl" in entries
