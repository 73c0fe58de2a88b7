"""The three tables (and the wide one) as pandas DataFrames: :func:`to_frame`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .deps import require_pandas
from .outputs.base import latest_rows
from .results import Result
from .schema import (
    WIDE_KEYS,
    arrow_table,
    canonical_cells,
    columns,
    from_text,
    names,
    row_from_json,
)

#: The reports rows, then the cells and the findings rows (those may be streamed).
Tables = tuple[list[dict[str, Any]], Iterable[Mapping[str, Any]], Iterable[Mapping[str, Any]]]


class Frames(NamedTuple):
    """``reports``, ``cells`` and ``findings`` DataFrames; ``wide`` when asked for (else ``None``)."""

    reports: Any
    cells: Any
    findings: Any
    wide: Any = None


def _frame(rows: Iterable[Mapping[str, Any]], table: str) -> Any:  # a pandas.DataFrame
    pd = require_pandas()
    import pyarrow as pa

    batches = []
    buf: list[Mapping[str, Any]] = []
    for r in rows:
        buf.append(r)
        if len(buf) >= 50000:
            batches.append(arrow_table(buf, table))
            buf = []
    batches.append(arrow_table(buf, table))
    t = pa.concat_tables(batches)
    return _to_pandas(t, pd)


def _to_pandas(t: Any, pd: Any) -> Any:
    import pyarrow as pa

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype(),
               pa.string(): pd.StringDtype()}
    return t.to_pandas(types_mapper=mapping.get)


def to_frame(source: str | os.PathLike[str] | Iterable[Result], *, wide: bool = False,
             format: str | None = None) -> Frames:
    """DataFrames of a dataset: ``source`` is an output of ``govreport extract`` (a .sqlite file, a
    .parquet folder, a .jsonl file, a .csv name or folder) or the results of
    :func:`govreport.batch.extract`.

    Columns and dtypes are the same whatever the source (nullable ``Int64``/``Float64``/``boolean``
    and ``string``; ``published`` as dates, ``extracted_at`` as UTC timestamps). Only live rows are
    given: a reports row superseded by a later one for the same path, and cells or findings of no
    live report (leftovers of a killed write), are left out. Needs the ``frames`` extra.
    """
    require_pandas()
    if isinstance(source, (str, os.PathLike)):
        reports, cells, findings = _read_output(Path(source), format)
    else:
        reports, cells, findings = _from_results(source)
    rep = _frame(reports, "reports")
    cf = _frame(cells, "cells")
    ff = _frame(findings, "findings")
    return Frames(rep, cf, ff, wide_frame(rep, cf) if wide else None)


def wide_frame(reports: Any, cells: Any) -> Any:
    """One row per reports row, one column per canonical cell (``table/row/column``)."""
    pd = require_pandas()
    canon = list(canonical_cells())
    c = cells[cells["cell"].isin(canon) & cells["value"].notna()]
    piv = c.pivot_table(index="report_id", columns="cell", values="value", aggfunc="first")
    piv = piv.reindex(columns=canon).astype("Float64")
    piv.columns.name = None
    base = reports[list(WIDE_KEYS)]
    out = base.merge(piv, how="left", left_on="report_id", right_index=True)
    out.index = pd.RangeIndex(len(out))
    return out


def _from_results(results: Iterable[Result]) -> Tables:
    reports: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in results:
        reports.append(r.row)
        rid = r.report_id
        if rid and rid not in seen and (r.cells or r.findings):
            seen.add(rid)
            cells.extend(r.cells)
            findings.extend(r.findings)
    return reports, cells, findings


def _read_output(path: Path, fmt: str | None) -> Tables:
    from .outputs import csv_paths, infer_format, output_paths, readback

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
    from .outputs import ParquetDataset
    from .outputs.readback import read_lines

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
