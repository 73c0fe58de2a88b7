"""The three tables (and the wide one) as pandas DataFrames: :func:`to_frame`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .deps import require_pandas
from .outputs.tables import Tables, read_tables
from .results import Result
from .schema import WIDE_KEYS, arrow_table, canonical_cells


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
        reports, cells, findings = read_tables(Path(source), format)
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
