"""Writing a batch's results: SQLite, JSON Lines, CSV and Parquet, each safe to kill at any moment.

Every writer stores a finished file's rows before the next is taken, so a run killed at any point
leaves an output that opens and holds every file finished before the kill; ``--resume`` reads the
``reports`` rows back and parses only what is missing or changed. How each kind achieves that is
described in ``docs/extract.md`` ("Durability").

The ``reports`` table has one live row per path: a later row for the same path (a changed file on
resume) supersedes the earlier one. ``cells`` and ``findings`` are stored once per content
(``report_id``, the sha256), the first time that content is read.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import GovReportError
from .inputs import path_key
from .run import Result
from .schema import (
    CELLS,
    DATASET_SCHEMA,
    FINDINGS,
    REPORTS,
    arrow_schema,
    arrow_table,
    canonical_cells,
    columns,
    from_text,
    govreport_version,
    names,
    row_from_json,
    row_to_json,
    to_text,
    wide_columns,
    wide_rows,
)

FORMATS = ("sqlite", "parquet", "csv", "jsonl")
_SUFFIXES = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite", ".parquet": "parquet",
             ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class OutputError(GovReportError):
    """The output cannot be used as asked (exists without ``--resume``/``--overwrite``, unknown kind,
    or not a govreport dataset)."""


def infer_format(out: str | os.PathLike[str], fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise OutputError(f"unknown output format {fmt!r} (one of {', '.join(FORMATS)})")
        return fmt
    suffix = Path(out).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if os.fspath(out).endswith(os.sep) or Path(out).is_dir():
        if (Path(out) / "reports").is_dir() or (Path(out) / "_journal.jsonl").exists():
            return "parquet"
        if (Path(out) / "reports.csv").exists():
            return "csv"
    raise OutputError(f"{out}: cannot tell the output kind from its name; end it in .sqlite, .parquet, .csv "
                      "or .jsonl, or give --format")


def _atomic_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def latest_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Path key -> the last row for it (later rows supersede earlier ones)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = path_key(r["path"])
        out.pop(key, None)  # keep insertion order = order of the latest write
        out[key] = dict(r)
    return out


class Writer:
    """Base class: ``previous()`` for resume, ``write(result)`` per file, ``close()`` at the end."""

    format = ""

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False) -> None:
        if mode not in ("new", "resume", "overwrite"):
            raise ValueError(mode)
        self.out = Path(out)
        self.mode = mode
        self.wide = wide
        self.written = 0
        existing = [p for p in self.owned_paths() if p.exists() or p.is_symlink()]
        if existing and mode == "new":
            raise OutputError(f"{existing[0]} exists: add --resume to complete it, or --overwrite to replace it")
        if existing and mode == "overwrite":
            self._remove(existing)

    def owned_paths(self) -> list[Path]:
        return [self.out]

    def _remove(self, paths: list[Path]) -> None:
        for p in paths:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)

    def previous(self) -> dict[str, dict[str, Any]]:
        """Path key -> live ``reports`` row already in the output (empty unless resuming)."""
        return {}

    def discard(self) -> None:
        """Remove what this writer created (after ``close()``): a run that found no input."""
        self._remove([p for p in self.owned_paths() if p.exists() or p.is_symlink()])

    def write(self, result: Result) -> None:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------------------- SQLite

_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER", "date": "TEXT",
              "timestamp": "TEXT"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ddl(table: str) -> str:
    cols = []
    for n, t in columns(table):
        typ = "NUMERIC" if (table == "cells" and n == "value") else _SQL_TYPES[t]
        extra = " PRIMARY KEY" if (table == "reports" and n == "path") else ""
        cols.append(f"{_q(n)} {typ}{extra}")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)})"


def _sql_value(v: Any, typ: str) -> Any:
    if v is None:
        return None
    if typ in ("date", "timestamp"):
        return to_text(v, typ)
    if typ == "bool":
        return int(bool(v))
    return v


def wide_view_sql() -> str:
    keys = ", ".join(f"r.{_q(k)}" for k, _ in wide_columns()[: len(wide_columns()) - len(canonical_cells())])
    pivots = ", ".join(f"MAX(CASE WHEN c.cell = '{c}' THEN c.value END) AS {_q(c)}" for c in canonical_cells())
    return (f"CREATE VIEW IF NOT EXISTS wide AS SELECT {keys}, {pivots} FROM reports r "
            "LEFT JOIN cells c ON c.report_id = r.report_id GROUP BY r.path ORDER BY r.rowid")


class SqliteWriter(Writer):
    """One SQLite file; each file's rows are one transaction, committed before the next file.

    WAL journal with ``synchronous=NORMAL`` while running (a committed report survives the process
    being killed; after a power cut the last few may be rolled back, never half-written); the
    journal is folded back into the single file on close. ``wide`` is a view, always up to date.
    """

    format = "sqlite"

    def owned_paths(self) -> list[Path]:
        return [self.out] + [self.out.with_name(self.out.name + s) for s in ("-wal", "-shm", "-journal")]

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False) -> None:
        super().__init__(out, mode=mode, wide=wide)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.out, isolation_level=None, timeout=60)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._setup()
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"{self.out}: not a usable SQLite file ({exc})") from None
        self._insert = {t: f"INSERT INTO {t} ({', '.join(_q(n) for n in names(t))}) "
                           f"VALUES ({', '.join('?' for _ in names(t))})" for t in ("reports", "cells", "findings")}

    def _setup(self) -> None:
        db = self.db
        db.execute("BEGIN")
        db.execute("CREATE TABLE IF NOT EXISTS dataset (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM dataset WHERE key='schema'").fetchone()
        has_reports = db.execute("SELECT 1 FROM sqlite_master WHERE name='reports'").fetchone()
        if row is None and has_reports:
            db.execute("ROLLBACK")
            raise OutputError(f"{self.out}: an SQLite file that is not a govreport dataset")
        if row is not None and row[0] != DATASET_SCHEMA:
            db.execute("ROLLBACK")
            raise OutputError(f"{self.out}: dataset layout {row[0]!r}, this govreport writes {DATASET_SCHEMA!r}")
        for t in ("reports", "cells", "findings"):
            db.execute(_ddl(t))
        db.execute("CREATE INDEX IF NOT EXISTS reports_sha ON reports (sha256)")
        db.execute("CREATE INDEX IF NOT EXISTS reports_id ON reports (report_id)")
        db.execute("CREATE INDEX IF NOT EXISTS cells_id ON cells (report_id)")
        db.execute("CREATE INDEX IF NOT EXISTS findings_id ON findings (report_id)")
        db.execute("INSERT OR IGNORE INTO dataset VALUES ('schema', ?)", (DATASET_SCHEMA,))
        db.execute("INSERT OR IGNORE INTO dataset VALUES ('created', ?)",
                   (datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),))
        db.execute("INSERT OR REPLACE INTO dataset VALUES ('govreport_version', ?)", (govreport_version(),))
        db.execute(wide_view_sql())
        db.execute("COMMIT")

    def previous(self) -> dict[str, dict[str, Any]]:
        cur = self.db.execute(f"SELECT {', '.join(_q(n) for n in names('reports'))} FROM reports ORDER BY rowid")
        cols = columns("reports")
        rows = ({n: from_text(v, t) if t in ("date", "timestamp", "bool") else v for (n, t), v in zip(cols, r)}
                for r in cur)
        return latest_rows(rows)

    def _values(self, row: Mapping[str, Any], table: str) -> tuple[Any, ...]:
        return tuple(_sql_value(row.get(n), t) for n, t in columns(table))

    def write(self, result: Result) -> None:
        db = self.db
        row = result.row
        db.execute("BEGIN IMMEDIATE")
        try:
            old = db.execute("SELECT report_id FROM reports WHERE path = ?", (row["path"],)).fetchone()
            db.execute("DELETE FROM reports WHERE path = ?", (row["path"],))
            if old and old[0] and old[0] != row.get("report_id"):
                # the file changed: drop its old content's rows unless another file still has it
                if not db.execute("SELECT 1 FROM reports WHERE report_id = ? LIMIT 1", (old[0],)).fetchone():
                    db.execute("DELETE FROM cells WHERE report_id = ?", (old[0],))
                    db.execute("DELETE FROM findings WHERE report_id = ?", (old[0],))
            if result.new_content and result.report_id:
                have = db.execute("SELECT 1 FROM cells WHERE report_id = ? LIMIT 1", (result.report_id,)).fetchone()
                if not have:
                    db.executemany(self._insert["cells"], (self._values(c, "cells") for c in result.cells))
                    db.executemany(self._insert["findings"], (self._values(f, "findings") for f in result.findings))
            db.execute(self._insert["reports"], self._values(row, "reports"))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        self.written += 1

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is None:
            return
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.DatabaseError:
            pass
        db.close()
        self.db = None  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------- JSON Lines

def _read_lines(path: Path, *, repair: bool) -> Iterator[dict[str, Any]]:
    """The complete JSON lines of ``path``; a cut last line (a killed write) is skipped, and with
    ``repair`` cut off the file."""
    good_end = 0
    with open(path, "rb") as f:
        for raw in f:
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError:
                break
            good_end += len(raw)
            yield obj
    if repair and good_end != path.stat().st_size:
        with open(path, "r+b") as f:
            f.truncate(good_end)


def _line(result: Result, *, with_content: bool, extra: Mapping[str, Any] | None = None) -> bytes:
    obj: dict[str, Any] = {"report": row_to_json(result.row, "reports")}
    if with_content:
        obj["cells"] = [row_to_json(c, "cells") for c in result.cells]
        obj["findings"] = [row_to_json(f, "findings") for f in result.findings]
    else:
        obj["cells"] = []
        obj["findings"] = []
    if extra:
        obj.update(extra)
    return (json.dumps(obj, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


class JsonlWriter(Writer):
    """One line per input file, ``{"report": {...}, "cells": [...], "findings": [...]}``, appended
    with a single write and flushed: a killed run loses at most a cut last line, which readers skip
    and ``--resume`` cuts off. Cells and findings are on the line of the first file with that
    content; a later line for the same path supersedes an earlier one."""

    format = "jsonl"

    def owned_paths(self) -> list[Path]:
        return [self.out, self.wide_path]

    @property
    def wide_path(self) -> Path:
        return self.out.with_name(_stem(self.out) + ".wide.jsonl")

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False) -> None:
        super().__init__(out, mode=mode, wide=wide)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._stored: set[str] = set()
        self._prev: dict[str, dict[str, Any]] = {}
        if self.out.exists():
            rows = []
            for obj in _read_lines(self.out, repair=True):
                rep = obj.get("report") or {}
                rows.append(row_from_json(rep, "reports"))
                if obj.get("cells") or obj.get("findings") or (rep.get("status") == "ok" and not rep.get("duplicate_of")):
                    if rep.get("report_id"):
                        self._stored.add(rep["report_id"])
            self._prev = latest_rows(rows)
        self.fd = os.open(self.out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def previous(self) -> dict[str, dict[str, Any]]:
        return self._prev

    def write(self, result: Result) -> None:
        rid = result.report_id
        with_content = bool(result.new_content and rid and rid not in self._stored)
        _write_all(self.fd, _line(result, with_content=with_content))
        if with_content:
            self._stored.add(rid)  # type: ignore[arg-type]
        self.written += 1

    def close(self) -> None:
        if getattr(self, "fd", None) is None:
            return
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = None  # type: ignore[assignment]
        if self.wide:
            reports, cells = read_jsonl_tables(self.out)
            data = b"".join((json.dumps(row_to_json(w, "wide"), ensure_ascii=False) + "\n").encode("utf-8")
                            for w in _wide_from(reports, cells))
            _atomic_bytes(self.wide_path, data)


def _stem(p: Path) -> str:
    name = p.name
    for suf in (".jsonl", ".ndjson", ".csv", ".parquet"):
        if name.lower().endswith(suf):
            return name[: -len(suf)]
    return name


def read_jsonl_tables(path: Path) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
    """(live reports rows, a generator of the live cells) of a JSON Lines output."""
    reports = list(latest_rows(row_from_json(o.get("report") or {}, "reports")
                               for o in _read_lines(path, repair=False)).values())
    live = {r["report_id"] for r in reports if r.get("report_id")}

    def cells() -> Iterator[dict[str, Any]]:
        seen: set[str] = set()
        for o in _read_lines(path, repair=False):
            cs = o.get("cells") or []
            rid = (o.get("report") or {}).get("report_id")
            if not cs or rid not in live or rid in seen:
                continue
            seen.add(rid)
            yield from (row_from_json(c, "cells") for c in cs)

    return reports, cells()


def read_jsonl_findings(path: Path, live: set[str]) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for o in _read_lines(path, repair=False):
        rid = (o.get("report") or {}).get("report_id")
        if rid not in live or rid in seen or not (o.get("cells") or o.get("findings")):
            continue
        seen.add(rid)
        yield from (row_from_json(f, "findings") for f in o.get("findings") or [])


def _wide_from(reports: list[dict[str, Any]], cells: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """Wide rows from live reports and their cells (cells of one report need not be contiguous)."""
    canon = set(canonical_cells())
    values: dict[str, dict[str, Any]] = {}
    for c in cells:
        if c.get("cell") in canon and c.get("value") is not None:
            values.setdefault(c["report_id"], {})[c["cell"]] = c["value"]
    return wide_rows(reports, values)


# ---------------------------------------------------------------------------------------- CSV

_TS_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def csv_paths(out: Path) -> dict[str, Path]:
    """The files of a CSV output: ``out`` ending in .csv gives ``stem.reports.csv`` etc. beside it;
    a folder gives ``folder/reports.csv`` etc."""
    if out.suffix.lower() == ".csv":
        stem = _stem(out)
        return {t: out.with_name(f"{stem}.{t}.csv") for t in ("reports", "cells", "findings", "wide")}
    return {t: out / f"{t}.csv" for t in ("reports", "cells", "findings", "wide")}


def _csv_text(rows: Iterable[Mapping[str, Any]], table: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = columns(table)
    for r in rows:
        w.writerow(["" if (s := to_text(r.get(n), t)) is None else s for n, t in cols])
    return buf.getvalue()


def read_csv_rows(path: Path, table: str) -> Iterator[dict[str, Any]]:
    """Rows of one CSV table; a row cut by a killed write (wrong width, or a cut ``extracted_at``)
    is skipped."""
    cols = columns(table)
    width = len(cols)
    if not path.exists():
        return
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error:  # a quoted field cut at the end of the file
                return
            if len(rec) != width:
                continue
            d = {n: rec[i] for i, (n, _) in enumerate(cols)}
            if table == "reports" and not _TS_RE.match(d["extracted_at"]):
                continue
            try:
                yield {n: from_text(d[n], t) for n, t in cols}
            except ValueError:
                continue


class CsvWriter(Writer):
    """Three CSV files (see :func:`csv_paths`), UTF-8, header first, empty field = null.

    Each file's rows go out as one append: its cells, then its findings, then its reports row,
    which marks it done. After a kill, cells/findings rows whose report_id has no reports row, and
    a cut last line, are leftovers of the file being written: readers skip them, and ``--resume``
    rewrites the files without them (and without superseded reports rows).
    """

    format = "csv"

    def owned_paths(self) -> list[Path]:
        return list(csv_paths(self.out).values())

    def __init__(self, out: str | os.PathLike[str], *, mode: str = "new", wide: bool = False,
                 excel: bool = False) -> None:
        super().__init__(out, mode=mode, wide=wide)
        self.paths = csv_paths(self.out)
        # a resumed output keeps the encoding it was started with
        self.bom = excel or _has_bom(self.paths["reports"])
        self.paths["reports"].parent.mkdir(parents=True, exist_ok=True)
        self._prev: dict[str, dict[str, Any]] = {}
        self._stored: set[str] = set()
        if self.paths["reports"].exists():
            self._repair()
        self.fds: dict[str, int] = {}
        for t in ("reports", "cells", "findings"):
            p = self.paths[t]
            new = not p.exists() or p.stat().st_size == 0
            self.fds[t] = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if new:
                _write_all(self.fds[t], (_BOM if self.bom else "").encode("utf-8")
                           + (",".join(names(t)) + "\n").encode("utf-8"))

    def _repair(self) -> None:
        """Rewrite the files keeping live reports rows and the content they reference."""
        self._prev = latest_rows(read_csv_rows(self.paths["reports"], "reports"))
        live = {r["report_id"] for r in self._prev.values() if r.get("report_id")}
        for t in ("cells", "findings"):
            p = self.paths[t]
            kept = (r for r in read_csv_rows(p, t) if r["report_id"] in live)
            if t == "cells":
                kept = self._note_stored(kept)
            _rewrite_csv(p, t, kept, bom=self.bom)
        _rewrite_csv(self.paths["reports"], "reports", self._prev.values(), bom=self.bom)
        # reports whose content is a read file without cells: nothing is stored for them
        self._stored |= {r["report_id"] for r in self._prev.values() if r.get("report_id") and not r.get("duplicate_of")}

    def _note_stored(self, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for r in rows:
            self._stored.add(r["report_id"])
            yield r

    def previous(self) -> dict[str, dict[str, Any]]:
        return self._prev

    def write(self, result: Result) -> None:
        rid = result.report_id
        if result.new_content and rid and rid not in self._stored:
            if result.cells:
                _write_all(self.fds["cells"], _csv_text(result.cells, "cells").encode("utf-8"))
            if result.findings:
                _write_all(self.fds["findings"], _csv_text(result.findings, "findings").encode("utf-8"))
            self._stored.add(rid)
        _write_all(self.fds["reports"], _csv_text([result.row], "reports").encode("utf-8"))
        self.written += 1

    def close(self) -> None:
        fds = getattr(self, "fds", None)
        if not fds:
            return
        for fd in fds.values():
            os.fsync(fd)
            os.close(fd)
        self.fds = {}
        if self.wide:
            reports = list(latest_rows(read_csv_rows(self.paths["reports"], "reports")).values())
            cells = read_csv_rows(self.paths["cells"], "cells")
            _rewrite_csv(self.paths["wide"], "wide", _wide_from(reports, cells), bom=self.bom)


_BOM = "\ufeff"


def _has_bom(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(3) == _BOM.encode("utf-8")
    except OSError:
        return False


def _rewrite_csv(path: Path, table: str, rows: Iterable[Mapping[str, Any]], *, bom: bool = False) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        f.write((_BOM if bom else "") + ",".join(names(table)) + "\n")
        batch: list[Mapping[str, Any]] = []
        for r in rows:
            batch.append(r)
            if len(batch) >= 5000:
                f.write(_csv_text(batch, table))
                batch.clear()
        f.write(_csv_text(batch, table))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------- Parquet

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
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        parts = self.parts("reports")
        tables = [pq.read_table(p) for p in parts]
        last: dict[str, tuple[int, int]] = {}
        for i, t in enumerate(tables):
            for j, path in enumerate(t.column("path").to_pylist()):
                last[path_key(path)] = (i, j)
        live_ids: set[str] = set()
        for i, t in enumerate(tables):
            keep = [last[path_key(p)] == (i, j) for j, p in enumerate(t.column("path").to_pylist())]
            for rid, k in zip(t.column("report_id").to_pylist(), keep):
                if k and rid:
                    live_ids.add(rid)
            if not all(keep):
                self._replace(parts[i], t.filter(keep))
        for table in ("cells", "findings"):
            for p in self.parts(table):
                ids = pq.read_table(p, columns=["report_id"]).column("report_id")
                mask = pc.is_in(ids, value_set=_pa().array(sorted(live_ids), type=_pa().string()))
                mask = pc.fill_null(mask, False)
                if not pc.all(mask).as_py():
                    self._replace(p, pq.read_table(p).filter(mask))

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


def _pa():
    import pyarrow

    return pyarrow


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
        from .deps import require_pyarrow

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
            for obj in _read_lines(self.journal, repair=True):
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
        _write_all(self.fd, _line(result, with_content=with_content, extra={"part": name}))
        if with_content:
            self._pending_ids.add(rid)  # type: ignore[arg-type]
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
        self.fd = None  # type: ignore[assignment]
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


def open_writer(out: str | os.PathLike[str], fmt: str | None = None, *, mode: str = "new", wide: bool = False,
                **kw: Any) -> Writer:
    kind = infer_format(out, fmt)
    cls = {"sqlite": SqliteWriter, "jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}[kind]
    return cls(out, mode=mode, wide=wide, **kw)  # type: ignore[arg-type]


def output_paths(out: str | os.PathLike[str], fmt: str | None = None) -> list[Path]:
    """The files and folders an output of this name consists of (never taken as inputs)."""
    kind = infer_format(out, fmt)
    p = Path(out)
    if kind == "sqlite":
        return [p] + [p.with_name(p.name + s) for s in ("-wal", "-shm", "-journal")]
    if kind == "jsonl":
        return [p, p.with_name(_stem(p) + ".wide.jsonl")]
    if kind == "csv":
        return list(csv_paths(p).values())
    return [p]


__all__ = ["open_writer", "infer_format", "output_paths", "OutputError", "Writer", "SqliteWriter", "JsonlWriter",
           "CsvWriter", "ParquetWriter", "ParquetDataset", "REPORTS", "CELLS", "FINDINGS"]
