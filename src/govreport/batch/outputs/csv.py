"""The CSV output: three files (four with the wide table), each input file's rows one append per
file."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..results import Result
from ..schema import columns, names, to_text
from .base import Writer, latest_rows, stem, write_all
from .readback import read_csv_rows, wide_from


def csv_paths(out: Path) -> dict[str, Path]:
    """The files of a CSV output: ``out`` ending in .csv gives ``stem.reports.csv`` etc. beside it;
    a folder gives ``folder/reports.csv`` etc."""
    if out.suffix.lower() == ".csv":
        name = stem(out)
        return {t: out.with_name(f"{name}.{t}.csv") for t in ("reports", "cells", "findings", "wide")}
    return {t: out / f"{t}.csv" for t in ("reports", "cells", "findings", "wide")}


def csv_text(rows: Iterable[Mapping[str, Any]], table: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = columns(table)
    for r in rows:
        w.writerow(["" if (s := to_text(r.get(n), t)) is None else s for n, t in cols])
    return buf.getvalue()


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
                write_all(self.fds[t], (_BOM if self.bom else "").encode("utf-8")
                           + (",".join(names(t)) + "\n").encode("utf-8"))

    def _repair(self) -> None:
        """Rewrite the files keeping live reports rows and the content they reference."""
        self._prev = latest_rows(read_csv_rows(self.paths["reports"], "reports"))
        live = {r["report_id"] for r in self._prev.values() if r.get("report_id")}
        for t in ("cells", "findings"):
            p = self.paths[t]
            kept: Iterator[dict[str, Any]] = (r for r in read_csv_rows(p, t) if r["report_id"] in live)
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
                write_all(self.fds["cells"], csv_text(result.cells, "cells").encode("utf-8"))
            if result.findings:
                write_all(self.fds["findings"], csv_text(result.findings, "findings").encode("utf-8"))
            self._stored.add(rid)
        write_all(self.fds["reports"], csv_text([result.row], "reports").encode("utf-8"))
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
            _rewrite_csv(self.paths["wide"], "wide", wide_from(reports, cells), bom=self.bom)


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
                f.write(csv_text(batch, table))
                batch.clear()
        f.write(csv_text(batch, table))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
