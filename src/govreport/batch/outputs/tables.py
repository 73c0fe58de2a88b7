"""An output's live tables, whatever its kind: what :func:`govreport.batch.to_frame` reads.

Live means what a finished write left and a later one did not supersede: the latest ``reports``
row per path, and the cells and findings of the contents those rows reference, each once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..schema import columns, from_text, names, row_from_json
from . import readback
from .base import latest_rows
from .parquet import ParquetDataset
from .readback import read_lines

#: The reports rows, then the cells and the findings rows (those may be streamed).
Tables = tuple[list[dict[str, Any]], Iterable[Mapping[str, Any]], Iterable[Mapping[str, Any]]]


def read_tables(path: Path, fmt: str | None = None) -> Tables:
    """The live rows of the output ``path`` (of kind ``fmt``, else told from its name): the latest
    ``reports`` row per path, and the cells and findings those rows reference, each content once."""
    from . import csv_paths, infer_format, output_paths

    if not path.exists() and not any(p.exists() for p in output_paths(path, fmt)):
        raise FileNotFoundError(f"{path}: no such output")
    kind = infer_format(path, fmt)
    if kind == "sqlite":
        return _read_sqlite(path)
    if kind == "jsonl":
        reports, cells = readback.read_jsonl_tables(path)
        live = {r["report_id"] for r in reports if r.get("report_id")}
        return reports, cells, readback.read_jsonl_findings(path, live)
    if kind == "csv":
        paths = csv_paths(path)
        reports = list(latest_rows(readback.read_csv_rows(paths["reports"], "reports")).values())
        live = {r["report_id"] for r in reports if r.get("report_id")}
        return (reports, _live_once(readback.read_csv_rows(paths["cells"], "cells"), live),
                _live_once(readback.read_csv_rows(paths["findings"], "findings"), live))
    return _read_parquet(path)


def _live_once(rows: Iterable[Mapping[str, Any]], live: set[str]) -> Iterator[Mapping[str, Any]]:
    """Rows of live report ids, each id's rows taken from its first run of rows only."""
    done: set[str] = set()
    current = None
    for r in rows:
        rid = r["report_id"]
        if rid != current:
            if current is not None:
                done.add(current)
            current = rid
        if rid in live and rid not in done:
            yield r


def _read_sqlite(path: Path) -> Tables:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = []
        for t in ("reports", "cells", "findings"):
            cols = columns(t)
            cur = db.execute(f"SELECT {', '.join(chr(34) + n + chr(34) for n in names(t))} FROM {t} ORDER BY rowid")
            out.append([{n: from_text(v, typ) if typ in ("date", "timestamp", "bool") else v
                         for (n, typ), v in zip(cols, rec)} for rec in cur])
        return out[0], out[1], out[2]
    finally:
        db.close()


def _read_parquet(path: Path) -> Tables:
    ds = ParquetDataset(path)
    committed = ds.committed()
    journal = path / "_journal.jsonl"
    pending = []
    if journal.exists():
        pending = [o for o in read_lines(journal, repair=False) if o.get("part") not in committed]
    rows = ds.reports() + [row_from_json(o.get("report") or {}, "reports") for o in pending]
    reports = list(latest_rows(rows).values())
    live = {r["report_id"] for r in reports if r.get("report_id")}
    parts = {t: [p for p in ds.parts(t) if p.name in committed] for t in ("cells", "findings")}

    def table_rows(t: str) -> Iterator[Mapping[str, Any]]:
        seen: set[str] = set()
        for part in parts[t]:
            ids_here: set[str] = set()
            for r in ds.read_rows(t, [part]):
                rid = r["report_id"]
                if rid in live and rid not in seen:
                    ids_here.add(rid)
                    yield r
            seen |= ids_here
        for o in pending:
            rid = (o.get("report") or {}).get("report_id")
            if rid is not None and rid in live and rid not in seen and (o.get("cells") or o.get("findings")):
                seen.add(rid)
                yield from (row_from_json(x, t) for x in o.get(t) or [])

    return reports, table_rows("cells"), table_rows("findings")
