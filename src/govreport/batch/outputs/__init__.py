"""Writing a batch's results: SQLite, JSON Lines, CSV and Parquet, each safe to kill at any moment.

One module per output kind (:mod:`.sqlite`, :mod:`.jsonl`, :mod:`.csv`, :mod:`.parquet`) on the
shared :mod:`.base`; :mod:`.readback` reads the rows a writer left (for ``--resume`` and the wide
table), :mod:`.tables` an output's live tables of any kind (for ``to_frame``). :func:`open_writer`
picks the kind from the output's name (or ``fmt``).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..schema import CELLS, FINDINGS, REPORTS
from .base import FORMATS, OutputError, Writer, infer_format, stem
from .csv import CsvWriter, csv_paths
from .jsonl import JsonlWriter
from .parquet import ParquetDataset, ParquetWriter
from .sqlite import SqliteWriter


def open_writer(out: str | os.PathLike[str], fmt: str | None = None, *, mode: str = "new", wide: bool = False,
                batch_size: int = 500, excel: bool = False) -> Writer:
    """A writer for ``out``; ``batch_size`` is for Parquet, ``excel`` (a byte-order mark) for CSV."""
    kind = infer_format(out, fmt)
    if excel and kind != "csv":
        raise OutputError(f"--excel is for CSV output, not {kind}")
    if kind == "sqlite":
        return SqliteWriter(out, mode=mode, wide=wide)
    if kind == "jsonl":
        return JsonlWriter(out, mode=mode, wide=wide)
    if kind == "csv":
        return CsvWriter(out, mode=mode, wide=wide, excel=excel)
    return ParquetWriter(out, mode=mode, wide=wide, batch_size=batch_size)


def output_paths(out: str | os.PathLike[str], fmt: str | None = None) -> list[Path]:
    """The files and folders an output of this name consists of (never taken as inputs)."""
    kind = infer_format(out, fmt)
    p = Path(out)
    if kind == "sqlite":
        return [p] + [p.with_name(p.name + s) for s in ("-wal", "-shm", "-journal")]
    if kind == "jsonl":
        return [p, p.with_name(stem(p) + ".wide.jsonl")]
    if kind == "csv":
        return list(csv_paths(p).values())
    return [p]


__all__ = ["open_writer", "infer_format", "output_paths", "OutputError", "Writer", "SqliteWriter", "JsonlWriter",
           "CsvWriter", "ParquetWriter", "ParquetDataset", "FORMATS", "REPORTS", "CELLS", "FINDINGS"]
