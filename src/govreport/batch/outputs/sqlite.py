"""The SQLite output: one file, each input file's rows one committed transaction."""

from __future__ import annotations

import datetime
import operator
import os
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..results import Result
from ..schema import (
    DATASET_SCHEMA,
    canonical_cells,
    columns,
    from_text,
    govreport_version,
    names,
    to_text,
    wide_columns,
)
from .base import OutputError, Writer, latest_rows

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


def _row_maker(table: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function from a row to its SQL values: the writer's main cost in the batch's one process,
    so columns stored as they are (text and numbers, most of them) are taken in one step and only
    dates, timestamps and booleans are converted."""
    cols = columns(table)
    take = operator.itemgetter(*(n for n, _ in cols))
    convert = [(i, t) for i, (_, t) in enumerate(cols) if t in ("date", "timestamp", "bool")]

    def values(row: Mapping[str, Any]) -> tuple[Any, ...]:
        try:
            vals = take(row)
        except KeyError:  # a row without some columns: those are null
            vals = tuple(row.get(n) for n, _ in cols)
        if not convert:
            return vals
        out = list(vals)
        for i, t in convert:
            out[i] = _sql_value(out[i], t)
        return tuple(out)

    return values


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
        self._row_of = {t: _row_maker(t) for t in ("reports", "cells", "findings")}

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
                    # map, not a generator: a Python frame fewer for each of the batch's many cell rows
                    db.executemany(self._insert["cells"], map(self._row_of["cells"], result.cells))
                    db.executemany(self._insert["findings"], map(self._row_of["findings"], result.findings))
            db.execute(self._insert["reports"], self._row_of["reports"](row))
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
        del self.db  # closed: a second close() finds no connection
